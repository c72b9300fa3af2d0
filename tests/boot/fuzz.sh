#!/usr/bin/env bash
# fuzz.sh — random system calls (user/syscallfuzz.c) on vmlab, the model-checked
# soak of the memory calls (tests/musl/vmsoak.c) on Linux and on vmlab, and
# processes racing over one directory tree of an ext2 disk (tests/musl/fs_stress.c).
#
#   tests/boot/fuzz.sh          the short run of `make test`: one boot, seeds 1-8 of
#                               2000 calls each, 4 processes at once; the soak's seeds
#                               SOAK_SEEDS on the host and on vmlab; fs_stress seed 1
#                               (8 processes, 300 calls each) on a 3 MiB disk
#   tests/boot/fuzz.sh --long   `make fuzz`: one boot per seed of FUZZ_SEEDS (default
#                               1-20; "3", "1-20" or "1 5 9"), FUZZ_CALLS calls per seed
#                               (default 50000) in FUZZ_PROCS processes (default 4): a
#                               million calls; then the soak's seeds SOAK_LONG_SEEDS
#                               (default 1-40) of 2000 steps each; FUZZ_ALL=1 lets the
#                               soak make the cases of the known bugs it avoids (--all);
#                               then fs_stress seeds FS_STRESS_SEEDS (default 1-12) of 8
#                               processes x 600 calls, 1 and 4 KiB blocks in turn; then
#                               the file soak (tests/musl/filesoak.c) seeds
#                               FILESOAK_SEEDS (default 1-40) of 2000 steps on the host
#                               and on vmlab; then file_pressure at --mem 32M: a 48 MiB
#                               file read with read() and a private mapping, a 16 MiB
#                               MAP_SHARED file kept dirty while others allocate; then
#                               swapsoak (tests/musl/swapsoak.c) seeds SWAPSOAK_SEEDS
#                               (default 1-12) at --mem 32M with 96 MiB of swap; then
#                               shmsoak (tests/musl/shmsoak.c: shared anonymous memory)
#                               seeds SHMSOAK_SEEDS (default 1-4), the same machine
# (The short file soak, 3 seeds of 150 steps, runs in musl-diff.sh like every
# tests/musl program.)
#
# A run passes when every process ended with status 0 or by a signal, the kernel
# neither panicked nor hung, and its memory check is clean ("memory check: ... as
# before the first program", no "mm check" complaint). A failing seed is printed
# with the command that replays it; in the long mode each of its processes is then
# replayed alone, with every call printed and the memory recounted after each, to
# name the call that broke the kernel.
source "$(dirname "$0")/lib.sh"

fuzz="$here/build/user/syscallfuzz"
soak="$here/build/musl/vmsoak"
long=false
[ "${1:-}" = --long ] && long=true

# Seeds "1-20" or "1 5 9" or "7" -> one per line.
expand_seeds() {
    local word
    for word in $1; do
        case "$word" in
            *-*) seq "${word%-*}" "${word#*-}" ;;
            *) echo "$word" ;;
        esac
    done
}

# What went wrong in a run-elf log, or nothing: a panic, a hang, a failed memory check.
kernel_trouble() {
    local log=$1 status=$2
    if grep -qE "^(PANIC|EXCEPTION)" "$log"; then
        echo "$(grep -m1 -E "^(PANIC|EXCEPTION)" "$log") in$(sed -n '/^Backtrace:/,/#2/p' "$log" |
            sed -n 's/^ *#[0-9] *0x[0-9a-f]* / /p' | tr '\n' ',' | sed 's/,$//')"
    elif [ "$status" = 124 ]; then
        echo "timed out: the kernel hung or the run was far too slow"
    elif [ "$status" = 125 ]; then
        echo "the kernel failed (run-elf status 125: no panic message; a triple fault?)"
    elif grep -q "^mm check" "$log"; then
        echo "memory check: $(grep -m1 '^mm check: frame' "$log")"
    elif ! grep -q "memory check: .* as before the first program" "$log"; then
        echo "memory not returned: $(grep 'memory check' "$log")"
    fi
}

# fuzz_boot NAME TIMEOUT ARGS...: one boot running syscallfuzz ARGS; sets $trouble
# (empty if the run passed) and leaves $logdir/NAME.log and .out.
fuzz_boot() {
    local name=$1 timeout=$2
    shift 2
    local log="$logdir/$name.log" out="$logdir/$name.out"
    run_elf --timeout "$timeout" --log "$log" "$fuzz" "$@" >"$out"
    trouble=$(kernel_trouble "$log" "$status")
    if [ -z "$trouble" ] && [ "$status" != 0 ]; then
        trouble="syscallfuzz exited with status $status: $(grep -m2 -E 'FAILED|WRONG' "$out" | tr '\n' ' ')"
    fi
}

# The call a replayed child (-v -c) made last before the trouble in its log.
culprit() {
    local log=$1 out=$2
    local pid
    pid=$(grep -m1 "failed after reaping pid" "$log" | sed 's/.*pid //')
    if [ -n "$pid" ]; then
        grep -B1 ": checkpoint: pid $pid\$" "$out" | head -n 1
    elif grep -q WRONG "$out"; then
        grep -m1 WRONG "$out"
    else
        grep ": call " "$out" | tail -n 1
    fi
}

# narrow SEED CALLS PROCS: replay each process of a failing seed alone, verbosely,
# with a memory recount after every call; print what each one shows.
narrow() {
    local seed=$1 calls=$2 procs=$3 i
    for ((i = 1; i <= procs; i++)); do
        local child=$((seed * 1000 + i)) n=$((calls / procs + (i <= calls % procs ? 1 : 0)))
        local log="$logdir/fuzz-child-$child.log" out="$logdir/fuzz-child-$child.out"
        run_elf --timeout 600 --log "$log" "$fuzz" --child "$child" "$n" -v -c >"$out"
        local alone
        alone=$(kernel_trouble "$log" "$status")
        if [ -z "$alone" ] && ! grep -q WRONG "$out"; then
            echo "    child seed $child alone: no trouble"
        else
            echo "    child seed $child alone: ${alone:-a wrong answer}"
            echo "      last call: $(culprit "$log" "$out")"
            echo "      replay: tests/run-elf build/user/syscallfuzz --child $child $n -v -c"
        fi
    done
}

# soak_compare NAME ARGS...: vmsoak ARGS on the host and on vmlab; same output and
# status, a clean memory check.
soak_compare() {
    local name=$1
    shift
    local host_out="$logdir/$name.host" vmlab_out="$logdir/$name.vmlab" log="$logdir/$name.log"
    "$soak" "$@" >"$host_out" 2>&1
    local host_status=$?
    # 600 s: filesoak_long's 40 seeds take 170 s at load 2-4, and passed 300 at load 10
    run_elf --timeout 600 --log "$log" "$soak" "$@" >"$vmlab_out"
    local vmlab_status=$status
    local trouble
    trouble=$(kernel_trouble "$log" "$vmlab_status")
    if [ "$host_status" != 0 ]; then
        fail "$name" "the soak fails on Linux itself (status $host_status): the model is wrong" "$host_out"
    elif [ -n "$trouble" ]; then
        fail "$name" "$trouble" "$log"
        echo "    the seeds that passed before: $(grep -c 'every page as the model says' "$vmlab_out")"
        echo "    replay: tests/run-elf build/musl/vmsoak -v $*"
    elif [ "$vmlab_status" != 0 ] || ! cmp -s "$host_out" "$vmlab_out"; then
        fail "$name" "vmlab differs from Linux (exit status $vmlab_status)"
        diff "$host_out" "$vmlab_out" | head -n 12 | sed 's/^/    | /'
        echo "    replay: tests/run-elf build/musl/vmsoak -v $*"
    else
        pass "$name"
    fi
}

soak_seeds() {
    local seeds=$1 steps=$2 name=$3
    if [ ! -x "$soak" ]; then
        fail "${name}_built" "build/musl/vmsoak is missing (musl-gcc not installed?)"
        return
    fi
    soak_compare "$name" --steps "$steps" ${soak_all:+--all} $seeds
}

# fs_stress_seed SEED CALLS: PROCS processes racing on a fresh 3 MiB ext2 disk (1 KiB
# blocks for odd seeds, 4 KiB for even ones, so small that some fill it); passes
# when every process checked its own file, the kernel is sound and e2fsck -fn is
# clean afterwards.
stress="$here/build/musl/fs_stress"
fs_stress_seed() {
    local seed=$1 calls=$2 name="fs_stress_seed_$1"
    local img="$logdir/$name.img" log="$logdir/$name.log" out="$logdir/$name.out"
    local block=$((seed % 2 ? 1024 : 4096))
    if [ ! -x "$stress" ] || ! command -v mke2fs >/dev/null; then
        fail "$name" "build/musl/fs_stress or mke2fs missing (musl-tools, e2fsprogs)"
        return
    fi
    rm -f "$img"
    mke2fs -q -F -t ext2 -b "$block" "$img" 3M >/dev/null 2>&1
    run_elf --timeout 300 --log "$log" --disk "$img" "$stress" / "$seed" 8 "$calls" >"$out"
    local trouble
    trouble=$(kernel_trouble "$log" "$status")
    if [ -z "$trouble" ] && [ "$status" != 0 ]; then
        trouble="fs_stress exited with status $status: $(grep -m2 -v '^fs_stress:' "$out" | tr '\n' ' ')"
    fi
    if [ -z "$trouble" ] && ! e2fsck -fn "$img" >"$logdir/$name.e2fsck" 2>&1; then
        trouble="e2fsck -fn finds the disk inconsistent: $(grep -m3 -vE '^(Pass|e2fsck|$)' "$logdir/$name.e2fsck" | tr '\n' ' ')"
    fi
    if [ -n "$trouble" ]; then
        fail "$name" "$trouble; replay: mke2fs -t ext2 -b $block x.img 3M; tests/run-elf --disk x.img build/musl/fs_stress / $seed 8 $calls" "$log"
    else
        pass "$name"
        rm -f "$img"
    fi
}

if [ ! -x "$fuzz" ]; then
    fail fuzz_built "build/user/syscallfuzz is missing (make)"
    exit 0
fi

# The short run of make test: 8 seeds x 2000 calls in 4 processes.
fuzz_short() {
    fuzz_boot fuzz-short 120 -j 4 1-8 2000
    if [ -n "$trouble" ]; then
        fail fuzz_syscalls_8_seeds "$trouble; replay: tests/run-elf build/user/syscallfuzz -j 4 1-8 2000 (the seeds it printed: $logdir/fuzz-short.out)" "$logdir/fuzz-short.log"
    else
        pass fuzz_syscalls_8_seeds
    fi
}

if ! $long; then
    selected fuzz_syscalls_8_seeds && in_parallel fuzz_short
    selected soak_memory_model && in_parallel soak_seeds "${SOAK_SEEDS:-1-6}" 400 soak_memory_model
    selected fs_stress_seed_1 && in_parallel fs_stress_seed 1 300
    wait_parallel
    exit 0
fi

seeds=$(expand_seeds "${FUZZ_SEEDS:-1-20}")
calls=${FUZZ_CALLS:-50000} procs=${FUZZ_PROCS:-4}
[ "${FUZZ_ALL:-0}" = 1 ] && soak_all=1
echo "make fuzz: seeds" $seeds", $calls calls each in $procs processes"
failed=""
for seed in $seeds; do
    fuzz_boot "fuzz-$seed" 900 -j "$procs" "$seed" "$calls"
    if [ -z "$trouble" ]; then
        pass "fuzz_seed_$seed"
        continue
    fi
    failed="$failed $seed"
    fail "fuzz_seed_$seed" "$trouble" "$logdir/fuzz-$seed.log"
    echo "    replay: tests/run-elf build/user/syscallfuzz -j $procs $seed $calls"
    narrow "$seed" "$calls" "$procs"
done
soak_seeds "${SOAK_LONG_SEEDS:-1-40}" 2000 soak_memory_model_long | tee "$logdir/soak-long.result"
grep -q "^FAIL" "$logdir/soak-long.result" && failed="$failed soak"
for seed in $(expand_seeds "${FS_STRESS_SEEDS:-1-12}"); do
    fs_stress_seed "$seed" 600 | tee "$logdir/fs-stress-$seed.result"
    grep -q "^FAIL" "$logdir/fs-stress-$seed.result" && failed="$failed fs_stress_$seed"
done
filesoak="$here/build/musl/filesoak"
if [ -x "$filesoak" ]; then
    soak="$filesoak" soak_compare filesoak_long --steps 2000 ${FILESOAK_SEEDS:-1-40} |
        tee "$logdir/filesoak-long.result"
    grep -q "^FAIL" "$logdir/filesoak-long.result" && failed="$failed filesoak"
fi

# file_pressure_run NAME MODE MIB WANTED...: file_pressure at --mem 32M; every WANTED
# line in its output, a sound kernel, every frame back.
file_pressure_run() {
    local name=$1 mode=$2 mib=$3
    shift 3
    local log="$logdir/$name.log" out="$logdir/$name.out"
    run_elf --mem 32M --timeout 300 --log "$log" "$here/build/musl/file_pressure" /tmp "$mode" "$mib" >"$out"
    local trouble line
    trouble=$(kernel_trouble "$log" "$status")
    [ -z "$trouble" ] && [ "$status" != 0 ] && trouble="file_pressure exited with status $status: $(tail -n 2 "$out" | tr '\n' ' ')"
    for line in "$@"; do
        [ -z "$trouble" ] && ! grep -qxF "$line" "$out" && trouble="no \"$line\" in its output: $(tail -n 2 "$out" | tr '\n' ' ')"
    done
    if [ -n "$trouble" ]; then
        fail "$name" "$trouble; replay: tests/run-elf --mem 32M build/musl/file_pressure /tmp $mode $mib" "$log"
    else
        pass "$name"
    fi
}
if [ -x "$here/build/musl/file_pressure" ]; then
    {
        file_pressure_run file_pressure_read_48M read 48 "read(): 0 bad bytes" \
            "MAP_PRIVATE: 0 bad bytes" "MAP_PRIVATE again: 0 bad bytes" "read() again: 0 bad bytes"
        file_pressure_run file_pressure_shared_16M shared 16 "mapping after: 0 bad bytes" \
            "msync: 0" "read() after msync: 0 bad bytes" "read() after munmap: 0 bad bytes"
    } | tee "$logdir/file-pressure.result"
    grep -q "^FAIL" "$logdir/file-pressure.result" && failed="$failed file_pressure"
fi

# swap_soak_seed PROGRAM SEED ARGS...: tests/musl/PROGRAM SEED ARGS at --mem 32M with
# a 96 MiB swap disk; it checks every page against its model; the kernel must stay
# sound and give every frame and slot back.
#   swapsoak SEED 1500 4 28   4 processes of 28 MiB: random memory calls, fork and
#                             mlock while pages go to swap and back
#   shmsoak SEED 1000 4 48    4 processes sharing a 48 MiB MAP_SHARED|MAP_ANONYMOUS
#                             region: its pages go to swap and back through fork,
#                             munmap, mremap and MADV_DONTNEED
swap_soak_seed() {
    local program=$1 seed=$2
    shift 2
    local log="$logdir/$program-$seed.log" out="$logdir/$program-$seed.out"
    run_elf --mem 32M --swap 96M --timeout 600 --log "$log" "$here/build/musl/$program" "$seed" "$@" >"$out"
    local trouble
    trouble=$(kernel_trouble "$log" "$status")
    [ -z "$trouble" ] && [ "$status" != 0 ] && trouble="$program exited with status $status: $(grep -m1 FAILED "$out")"
    if [ -n "$trouble" ]; then
        fail "${program}_seed_$seed" "$trouble; replay: tests/run-elf --mem 32M --swap 96M build/musl/$program $seed $*" "$log"
    else
        pass "${program}_seed_$seed"
    fi
}
if [ -x "$here/build/musl/swapsoak" ]; then
    for seed in $(expand_seeds "${SWAPSOAK_SEEDS:-1-12}"); do
        swap_soak_seed swapsoak $((seed * 10 - 9)) 1500 4 28 | tee "$logdir/swapsoak-$seed.result"
        grep -q "^FAIL" "$logdir/swapsoak-$seed.result" && failed="$failed swapsoak_$seed"
    done
fi
if [ -x "$here/build/musl/shmsoak" ]; then
    for seed in $(expand_seeds "${SHMSOAK_SEEDS:-1-4}"); do
        swap_soak_seed shmsoak $((seed * 10 - 9)) 1000 4 48 | tee "$logdir/shmsoak-$seed.result"
        grep -q "^FAIL" "$logdir/shmsoak-$seed.result" && failed="$failed shmsoak_$seed"
    done
fi

if [ -n "$failed" ]; then
    echo "make fuzz: FAILED seeds:$failed (logs in $logdir/fuzz-*)"
    exit 1
fi
echo "make fuzz: every seed passed"
