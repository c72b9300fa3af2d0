#!/usr/bin/env bash
# elf-fuzz.sh [SEED...] — the ELF loader fuzzer.
#
# tests/elf/elfgen writes ELF files: named cases (odd but valid files, malformed
# ones) and, for each SEED (default: 1 2 3), random mutations of a plain program.
# `exectest --each` runs every file, on the host's Linux and on vmlab (tests/run-elf,
# a few dozen files per boot), and prints what each one did: the program inside
# (tests/elf/probe.asm) reports its auxiliary vector, probes its own memory
# (readable? writable? which bytes?) and the heap, and the line after says how it
# ended. For each file the two outputs must be the same byte for byte, except
# where vmlab refuses on purpose:
#   - Linux killed the process inside execve (past its point of no return, the
#     old program already gone) and vmlab refused the file with the caller still
#     intact (EINVAL, ENOEXEC or ENOMEM);
#   - elfgen tagged the file floor, stackzone or pasteof (see tests/elf/elfgen.c)
#     and vmlab refused it with EINVAL.
# The kernel must survive every file, and its memory check must pass after each
# process. A failure names the case and its seed; `tests/boot/elf-fuzz.sh SEED`
# runs that seed again (the files stay in build/test-logs/elf-fuzz/).
source "$(dirname "$0")/lib.sh"

gen=$here/build/elf/elfgen
probe=$here/build/elf/probe.bin
driver=$here/build/user/exectest
if [ ! -x "$gen" ] || [ ! -f "$probe" ] || [ ! -x "$driver" ]; then
    fail elf_fuzz_built "build/elf/elfgen, build/elf/probe.bin or build/user/exectest is missing (make)"
    exit 0
fi

if [ "$(uname -s)" != Linux ]; then
    fail elf_fuzz_host "the files are compared with the host's Linux; this host runs $(uname -s)"
    exit 0
fi

seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3)
selected elf_fuzz_named "${seeds[@]/#/elf_fuzz_seed_}" || exit 0
RANDOM_CASES=24   # per seed
FILES_PER_BOOT=28 # at most 32 boot modules, and init's arguments fit in 256 bytes
MAX_SHOWN=4       # mismatches shown in full per group

work=$logdir/elf-fuzz
rm -rf "$work"
mkdir -p "$work/generated" "$work/bin" "$work/linux" "$work/vmlab"

# ---- the files: cases lists "SHORT NAME TAGS WHAT GROUP" ----
{
    "$gen" "$probe" "$work/generated" fixed | sed 's/$/ named/'
    for seed in "${seeds[@]}"; do
        "$gen" "$probe" "$work/generated" "$seed" "$RANDOM_CASES" | sed "s/\$/ seed_$seed/"
    done
} | awk '{ printf "c%03d %s\n", NR - 1, $0 }' >"$work/cases" || {
    fail elf_fuzz_generate "elfgen failed"
    exit 0
}
shorts=()
while read -r short name _; do
    cp "$work/generated/$name" "$work/bin/$short"
    shorts+=("$short")
done <"$work/cases"

# Split exectest --each output into one file per case, named by its short name.
split_cases() {
    awk -v dir="$1" '/^== c[0-9]+$/ { name = $2 } name != "" { print > (dir "/" name) }'
}

# ---- Linux ----
(cd "$work" && timeout 300 "$driver" --each "$work/bin" "${shorts[@]}") >"$work/linux.out" 2>&1
split_cases "$work/linux" <"$work/linux.out"

# ---- vmlab, FILES_PER_BOOT files per boot, the boots side by side ----
# run_part PART CASE...: one boot running exectest --each on these cases; a boot
# that failed leaves $work/boot-failed-PART behind.
run_part() {
    local part=$1
    shift
    local withs=() c log=$work/vmlab-$part.log
    for c in "$@"; do withs+=(--with "$work/bin/$c"); done
    run_elf --timeout 120 --log "$log" "${withs[@]}" "$driver" --each /bin "$@" >"$work/vmlab-$part.out"
    split_cases "$work/vmlab" <"$work/vmlab-$part.out"
    local last
    last=$(grep -E '^== c[0-9]+$' "$work/vmlab-$part.out" | tail -n 1 | cut -c4-)
    if [ $status -ne 0 ]; then
        fail "elf_fuzz_boot_$part" "run-elf status $status (124: hang, 125: kernel failure) during $last: $(grep "^$last " "$work/cases" | cut -d' ' -f2,4-)" "$log"
        touch "$work/boot-failed-$part"
    elif grep -q "^mm check" "$log" || ! grep -q "memory check: .* as before the first program" "$log"; then
        fail "elf_fuzz_boot_$part" "memory check failed (files $1..${!#})" "$log"
        touch "$work/boot-failed-$part"
    fi
}

for ((first = 0; first < ${#shorts[@]}; first += FILES_PER_BOOT)); do
    in_parallel run_part $((first / FILES_PER_BOOT)) "${shorts[@]:first:FILES_PER_BOOT}"
done
wait_parallel
boot_failures=$(find "$work" -maxdepth 1 -name 'boot-failed-*' | wc -l)

# ---- comparing, case by case ----
# The last line of a case's output, if the case is just "== c..." and that line.
only_result() {
    [ "$(wc -l <"$1")" -eq 2 ] && tail -n 1 "$1"
}

# How vmlab's result for a case relates to Linux's: same, point-of-no-return,
# deliberate, or different.
judge() {
    local short=$1 tags=$2 linux=$work/linux/$1 vmlab=$work/vmlab/$1
    [ -f "$vmlab" ] || { echo missing; return; }
    if cmp -s "$linux" "$vmlab"; then
        echo same
    elif only_result "$linux" | grep -qE ': killed by signal (9|11) ' &&
        only_result "$vmlab" | grep -qE ': error -(8|12|22) '; then
        echo point-of-no-return
    elif [ "$tags" != - ] && only_result "$vmlab" | grep -qE ': error -22 '; then
        echo deliberate
    else
        echo different
    fi
}

for group in $(cut -d' ' -f5 "$work/cases" | uniq); do
    same=0 ponr=0 deliberate=0 bad=0 shown=0
    while read -r short name tags what g; do
        [ "$g" = "$group" ] || continue
        verdict=$(judge "$short" "$tags")
        echo "$short $name $verdict" >>"$work/verdicts"
        case $verdict in
            same) same=$((same + 1)) ;;
            point-of-no-return) ponr=$((ponr + 1)) ;;
            deliberate) deliberate=$((deliberate + 1)) ;;
            *)
                bad=$((bad + 1))
                if [ $shown -lt $MAX_SHOWN ]; then
                    shown=$((shown + 1))
                    echo "    $name ($what, tags $tags): $verdict; file $work/generated/$name"
                    diff "$work/linux/$short" "$work/vmlab/$short" 2>&1 | head -n 12 |
                        sed 's/^</    | linux /; s/^>/    | vmlab /; /^[0-9]/d; /^---/d'
                fi
                ;;
        esac
    done <"$work/cases"
    summary="$same same as Linux, $ponr refused where Linux kills in execve, $deliberate refused on purpose"
    if [ $bad -gt 0 ]; then
        rerun=""
        [ "$group" != named ] && rerun="; rerun: tests/boot/elf-fuzz.sh ${group#seed_}"
        fail "elf_fuzz_$group" "$bad files ran differently on vmlab ($summary)$rerun"
    elif [ $same -eq 0 ] || [ $boot_failures -gt 0 ]; then
        fail "elf_fuzz_$group" "nothing to compare, or a boot failed ($summary)"
    else
        pass "elf_fuzz_$group"
        echo "    ($summary)"
    fi
done
