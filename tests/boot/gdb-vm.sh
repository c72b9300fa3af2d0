#!/usr/bin/env bash
# gdb-vm.sh — the VM commands of tools/gdb (vmas, pagewalk, ptes, pageinfo, faultinfo,
# ps, memstat) against a booted kernel. Two gdb -batch sessions:
#   cowtest as init: its first page fault, the fetch of its first instruction (exec
#     mapped the program and read nothing); its first two write faults (break-user-fault
#     cowtest write), the MAP_SHARED mailbox and a demand-zero page; just after its
#     fork, when every private page is shared read-only by pid 1 and pid 2; its first
#     copy-on-write fault; then bad input, each answered with one line;
#   mprotecttest as init: just after mprotect(PROT_NONE) of 3 written pages, and the
#     child's read of the first, which the handler refuses;
#   stacktest as init: a fault just below the stack, which grows it; the child's
#     overflow past 8 MiB, which gets SIGSEGV;
#   crash=write-text: a kernel bug, which mm/ is never asked about.
# Each check matches whole lines of the output (extended regular expressions, in
# order), so a field read from the wrong place or a decoding gone wrong fails here.
# The README's sample session ("Debugging with gdb") is checked against the cowtest
# session too, numbers aside.
source "$(dirname "$0")/lib.sh"

tests=(gdb_vm_commands_have_help_and_shadow_nothing gdb_vm_first_fault_fetches_the_first_instruction
    gdb_vm_write_faults_shared_then_demand_zero gdb_vm_ps_and_vmas_show_the_processes gdb_vm_fork_leaves_pages_shared_read_only
    gdb_vm_cow_fault_is_explained gdb_vm_memstat_adds_up gdb_vm_bad_input_gets_one_line
    gdb_vm_prot_none_keeps_its_frame gdb_vm_stack_growth_and_overflow_are_foreseen
    gdb_vm_kernel_fault_is_not_for_mm gdb_vm_readme_sample_is_what_gdb_prints)
selected "${tests[@]}" || exit 0
if ! command -v gdb >/dev/null; then
    fail gdb_vm "gdb is not installed"
    exit 0
fi

# expect_lines NAME LOG REGEX...: each REGEX matches a whole line of LOG, in order.
expect_lines() {
    local name=$1 log=$2 rest at
    shift 2
    rest=$(cat "$log")
    for pattern in "$@"; do
        at=$(grep -n -m1 -E -- "^$pattern\$" <<<"$rest" | cut -d: -f1)
        if [ -z "$at" ]; then
            fail "$name" "no line matching \"$pattern\" (after the previous ones)" "$log"
            return 1
        fi
        rest=$(tail -n +$((at + 1)) <<<"$rest")
    done
    pass "$name"
}

# The output of one command of a session: the lines after its "(gdb) CMD" echo.
output_of() {
    awk -v cmd="(gdb) $2" '$0 == cmd { on = 1; next } /^\(gdb\) / { on = 0 } on' "$1"
}

# ---- without QEMU: every command has help, and none hides a gdb command ----

check_help() {
    local name=gdb_vm_commands_have_help_and_shadow_nothing log="$logdir/gdb-vm-help.log" args=()
    for cmd in vmas pagewalk ptes pageinfo faultinfo ps memstat; do
        args+=(-ex "help $cmd")
    done
    gdb -nx -batch "${args[@]}" -ex 'help pt' -ex 'help fa' >"$log.plain" 2>&1
    (cd "$here" && gdb -nx -batch -ex 'source tools/gdb/vmlab.py' "${args[@]}" -ex 'help pt' \
        -ex 'help fa') >"$log" 2>&1
    local plain
    plain=$(grep -c '^Undefined command: "[a-z]*".  Try "help".$' "$log.plain")
    if [ "$plain" != 7 ]; then
        fail $name "a plain gdb knows one of the commands already (only $plain of 7 undefined)" \
            "$log.plain"
        return
    fi
    expect_lines $name "$log" "The regions of the current process, or of process PID: vmas \[PID\]" \
        "Walk the page tables for one address: pagewalk ADDR \[PID\]" \
        "The leaf page-table entries of a range: ptes START END \[PID\]" \
        "A physical frame's struct page and who maps it: pageinfo PFN\|PADDR" \
        "Explain the page fault being handled: faultinfo" "List the processes: ps" \
        "Frames and page faults, machine-wide: memstat" \
        "ptype, pt" "faas, fa"
}
selected gdb_vm_commands_have_help_and_shadow_nothing && check_help

# ---- the sessions ----

listening() { grep -qi ":$(printf '%04X' "$1") [0-9A-F:]* 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null; }

# session NAME PROGRAM COMMAND...: boot PROGRAM as init, halted; run gdb -batch with
# each COMMAND, echoed first as "(gdb) COMMAND"; output in $logdir/NAME.log. PROGRAM
# "crash=KIND" boots no program but that deliberate kernel fault (kernel/crash.c).
session() {
    local name=$1 program=$2 port args=() boot_options
    shift 2
    if [[ $program == crash=* ]]; then
        boot_options=(--cmdline "$program panic=poweroff")
    else
        boot_options=(--module "$here/build/user/$program" --cmdline "init=/bin/$program panic=poweroff")
    fi
    for cmd in "$@"; do
        args+=(-ex "echo (gdb) $cmd\\n" -ex "$cmd")
    done
    port=$((20000 + ($$ + ${#name}) % 20000))
    while listening $port; do port=$((port + 1)); done
    "$boot_kernel" --gdb $port "${boot_options[@]}" --timeout 90 --log "$logdir/$name-serial.log" &
    local boot_pid=$!
    for _ in $(seq 1 100); do listening $port && break; sleep 0.1; done
    if ! listening $port; then
        echo "QEMU's gdb stub never listened on port $port" >"$logdir/$name.log"
        kill $boot_pid 2>/dev/null
        wait $boot_pid
        return
    fi
    (cd "$here" && timeout 90 gdb -batch -iex "add-auto-load-safe-path $here/.gdbinit" \
        -iex "set \$gdbport = $port" "${args[@]}") >"$logdir/$name.log" 2>&1
    wait $boot_pid
}

slot_take
test_started=$(now_ms)
# The cowtest session. Its first fault; its first two write faults; then the end of fork (sys_fork's finish: the
# child exists and has not run); then the first copy-on-write fault, whichever
# process makes it (both wait for the first write, so the frame is shared). ps comes
# first, at the reset vector, before paging is on.
cow_session=(
    'ps' 'break-user-fault cowtest' 'continue' 'faultinfo' 'vmas' 'ps' 'delete'
    'break-user-fault cowtest write' 'continue' 'faultinfo' 'continue' 'faultinfo' 'delete'
    'break kernel/sys_proc.c:sys_fork' 'continue' 'finish' 'ps' 'vmas 2'
    'pagewalk the_cpu.current->frame->rsp 2' 'ptes 0x7ffffffdf000 0x7ffffffff000 2'
    'memstat' 'delete'
    'break copy_on_write' 'continue' 'faultinfo' 'pagewalk $cr2' 'pageinfo old'
    'pageinfo zero_frame' 'pageinfo $cr3' 'memstat'
    'vmas 99' 'vmas 0' 'vmas 1 2' 'pagewalk' 'pagewalk nosuchsymbol' 'pagewalk 0x800000000000'
    'pagewalk kmain 1' 'ptes 0x2000 0x1000' 'ptes 0x7ffffffff000 0xffff800000001000'
    'ptes 0 0x800000000000 5' 'pageinfo 0xffffffffffff' 'ps 1' 'memstat now'
    'frame 7' 'faultinfo'
)
session gdb-vm-cow cowtest "${cow_session[@]}"
prot_session=(
    'break mm_mprotect if prot == 0' 'continue' 'set $r = addr' 'finish' 'vmas' 'pagewalk $r'
    'ptes $r $r+0x3000' 'delete' 'break mm_handle_fault if f->address == $r' 'continue'
    'faultinfo'
)
session gdb-vm-prot mprotecttest "${prot_session[@]}"
session gdb-vm-stack stacktest 'break grow_stack' 'continue' 'faultinfo' 'finish' 'vmas' 'delete' \
    'break force_fault_signal' 'continue' 'faultinfo'
session gdb-vm-crash crash=write-text 'break exception_report' 'continue' 'faultinfo'
slot_give
cow="$logdir/gdb-vm-cow.log" prot="$logdir/gdb-vm-prot.log" stack="$logdir/gdb-vm-stack.log"
crash="$logdir/gdb-vm-crash.log"

H='0x[0-9a-f]+'  # a hex number
A='0x[0-9a-f]{16}'  # an address as the commands print it
# exec mapped cowtest's file and read nothing: its first fault is the fetch of its
# first instruction, _start at 0x400000, which brings in the page of text.
expect_lines gdb_vm_first_fault_fetches_the_first_instruction "$cow" \
    "Breakpoint 1, mm_handle_fault \(.*\) at mm/fault\.c:[0-9]+" \
    "page fault at 0x0000000000400000 \(rip 0x400000\), in pid 1 \(cowtest\)" \
    "  error code 0x14: not-present user fetch" \
    "  region 0x0000000000400000-$A +[0-9]+ KiB  r-xp  program" \
    "  entry 0x0: not present: never touched" \
    "  handler: first touch of a page of a program module object \(the program's file: exec mapped it and read nothing\): its page from the page cache, mapped read-only, its frame shared with every mapping of the page \(map_object_page\)"

# Only writes stop: the first is the MAP_SHARED mailbox, the next the first of the 16
# private anonymous pages, demand-zero.
expect_lines gdb_vm_write_faults_shared_then_demand_zero "$cow" \
    "break mm_handle_fault if \\\$_streq\(the_cpu.current->name, \"cowtest\"\) && f->access == FAULT_WRITE" \
    "page fault at $A \(rip $H\), in pid 1 \(cowtest\)" \
    "  error code 0x6: not-present write user" \
    "  region $A-$A +4 KiB  rw-s  shared" \
    "  entry 0x0: not present: never touched" \
    "  handler: first touch of a page of a shared anonymous object: its page from the page cache, mapped as it is \(map_object_page\)" \
    "page fault at $A \(rip $H\), in pid 1 \(cowtest\)" \
    "  error code 0x6: not-present write user" \
    "  region $A-$A +64 KiB  rw-p  anon" \
    "  entry 0x0: not present: never touched" \
    "  handler: demand-zero, write: map a fresh zeroed frame \(map_untouched\)"

expect_lines gdb_vm_ps_and_vmas_show_the_processes "$cow" \
    "pid 1 \(cowtest\): 4 regions, brk $H" \
    "0x0000000000400000-$A +[0-9]+ KiB  r-xp  program" \
    "$A-$A +[0-9]+ KiB  r--p  program" \
    "$A-$A +4 KiB  rw-p  program" \
    "0x00007ffffffdf000-0x00007ffffffff000 +128 KiB  rw-p  stack" \
    "  PID  PPID STATE      RSS      VSZ NAME" \
    "    0     - [a-z]+ +0 +0 idle" \
    "\*   1     - running +[1-9][0-9]* +[1-9][0-9]* cowtest" \
    "Value returned is \\\$1 = 2" \
    "\*   1     - running +[0-9]+ +[1-9][0-9]* cowtest" \
    "    2     1 runnable +[0-9]+ +[1-9][0-9]* cowtest" \
    "pid 2 \(cowtest\): 6 regions, brk $H" \
    "0x0000000000400000-$A +[0-9]+ KiB  r-xp  program" \
    "$A-$A +[0-9]+ KiB  r--p  program" \
    "$A-$A +4 KiB  rw-p  program" \
    "$A-$A +4 KiB  rw-s  shared" \
    "$A-$A +64 KiB  rw-p  anon" \
    "0x00007ffffffdf000-0x00007ffffffff000 +128 KiB  rw-p  stack"

# After fork the child's stack page is the parent's frame, read-only in the child's
# tables (walked by pid, not CR3, which is the parent's).
expect_lines gdb_vm_fork_leaves_pages_shared_read_only "$cow" \
    "0x00007fffffff[0-9a-f]{4}: PML4\[255\] -> PDPT\[511\] -> PD\[511\] -> PT\[510\] -> frame $H, flags P U NX A D" \
    "  \(tables of pid 2 \(cowtest\), PML4 at $H\)" \
    "  PML4\[255\]  entry 0x0000000000[0-9a-f]{6}  PDPT at $H +P W U( A)?" \
    "  PDPT\[511\]  entry $A  PD at $H +P W U( A)?" \
    "  PD\[511\]    entry $A  PT at $H +P W U( A)?" \
    "  PT\[510\]    entry 0x8000000000[0-9a-f]{6}  frame $H +P U NX A D" \
    "  physical address $H" \
    "entries of 0x7ffffffdf000-0x7ffffffff000 \(tables of pid 2 \(cowtest\), PML4 at $H\)" \
    "0x00007ffffffdf000-0x00007fffffffe000 +31  0x0{16}  - +not present: never touched" \
    "0x00007fffffffe000-0x00007ffffffff000 +1  0x8000000000[0-9a-f]{6}  $H +present P U NX A D"

# The first copy-on-write fault: the stack page, shared by both, refcount 2.
fault_page=$(output_of "$cow" 'faultinfo' | sed -n 's/^page fault at \(0x[0-9a-f]*\)[0-9a-f]\{3\} (rip.*/\1000/p' | tail -n 1)
fault_page=$(printf '0x%x' "$fault_page" 2>/dev/null)
expect_lines gdb_vm_cow_fault_is_explained "$cow" \
    "page fault at 0x00007fffffff[0-9a-f]{4} \(rip $H\), in pid [12] \(cowtest\)" \
    "  error code 0x7: present write user" \
    "  region 0x00007ffffffdf000-0x00007ffffffff000 +128 KiB  rw-p  stack" \
    "  entry 0x8000000000[0-9a-f]{6}: frame $H, flags P U NX A D" \
    "  handler: copy-on-write, copy: frame $H has refcount 2, still shared, so it is copied \(copy_on_write\)" \
    "0x00007fffffff[0-9a-f]{4}: PML4\[255\] -> PDPT\[511\] -> PD\[511\] -> PT\[510\] -> frame $H, flags P U NX A D" \
    "frame $H \(physical $H\): in use, use user, refcount 2, flags 0x0" \
    "  mapped by pid 1 at $fault_page \(P U NX A D\), pid 2 at $fault_page \(P U NX A D\)" \
    "frame $H \(physical $H\): in use, use kernel, refcount 1, flags 0x0" \
    "  the shared zero page \(zero_frame, mm/fault.c\): untouched pages that are read map it, read-only" \
    "  no user page table maps it \(kernel memory: heap, stacks, objects\)" \
    "frame $H \(physical $H\): in use, use page table, refcount 1, flags 0x0" \
    "  page table: the PML4 of pid [12]"

# memstat: free + used = total, the uses add up to used, and total is what the
# kernel said at boot it manages. Before the first copy-on-write fault one copy was
# made already: exec's private copy of cowtest's last data page, whose .bss tail it
# zeroed (copy_file_page, kernel/exec.c). Page-cache reads (major faults) depend on
# the readahead and the program's size.
check_memstat() {
    local name=gdb_vm_memstat_adds_up line total free used kernel tables user managed
    line=$(output_of "$cow" memstat | grep '^frames: ' | tail -n 1)
    read -r total free used kernel tables user < <(sed -E \
        's/^frames: ([0-9]+) total, ([0-9]+) free, ([0-9]+) used \(kernel ([0-9]+), page table ([0-9]+), user ([0-9]+)\)$/\1 \2 \3 \4 \5 \6/' <<<"$line")
    managed=$(sed -n 's/.* \([0-9]*\) frames managed.*/\1/p' "$logdir/gdb-vm-cow-serial.log" | head -n 1)
    if [ -z "$user" ] || ! [ "$user" -eq "$user" ] 2>/dev/null; then
        fail $name "no memstat line \"frames: T total, F free, U used (kernel K, page table P, user N)\"" "$cow"
    elif [ $((free + used)) != "$total" ] || [ $((kernel + tables + user)) != "$used" ]; then
        fail $name "memstat does not add up: $line" "$cow"
    elif [ "$total" != "$managed" ]; then
        fail $name "memstat says $total frames, the kernel's boot report $managed" "$cow"
    elif [ "$user" -lt 20 ] || [ "$tables" -lt 8 ]; then
        fail $name "cowtest and its child should hold 20+ user frames and 8+ page tables: $line" "$cow"
    else
        expect_lines $name "$cow" \
            "faults \(vm_totals\): minor_faults [1-9][0-9]*, zero_page_maps [0-9]+, zero_fills [1-9][0-9]*, cow_copies 1, cow_reuses 0, stack_growths [0-9]+, kills 0, major_faults [0-9]+, object_maps [1-9][0-9]*, swap_ins 0, swap_cache_hits 0"
    fi
}
check_memstat

expect_lines gdb_vm_bad_input_gets_one_line "$cow" \
    "ps: paging is not on yet \(CR0.PG is clear\): the kernel's variables and page tables are not reachable; break at kmain and continue first" \
    "vmas: no process with pid 99 \(ps lists them\)" \
    "vmas: pid 0 \(idle\) has no address space: it runs on the kernel's own page tables" \
    "vmas: usage: vmas \[PID\]" \
    "pagewalk: usage: pagewalk ADDR \[PID\]" \
    "pagewalk: ADDR \"nosuchsymbol\" is not a value gdb can compute \(No symbol \"nosuchsymbol\" in current context.\)" \
    "pagewalk: 0x800000000000 is not canonical \(bits 63..47 must all be equal\): no page table can map it" \
    "pagewalk: $H is a kernel address: the kernel half is the same in every address space; leave out the PID to walk it \(CR3\)" \
    "ptes: END 0x1000 is not above START 0x2000" \
    "ptes: 0x7ffffffff000-0xffff800000001000 crosses the non-canonical hole between user and kernel space: ask for each half" \
    "ptes: no process with pid 5 \(ps lists them\)" \
    "pageinfo: 0xffffffffffff is neither a frame number \(below $H\) nor a physical address with a struct page \(below $H\)" \
    "ps: usage: ps \(no arguments\)" \
    "memstat: usage: memstat \(no arguments\)" \
    "faultinfo: not stopped in the page-fault path \(no page-fault trap frame or struct fault_info in the stack\): break mm_handle_fault, continue"
if grep -q "Traceback\|internal error in tools/gdb" "$cow" "$prot" "$stack" "$crash"; then
    fail gdb_vm_bad_input_gets_one_line "a Python traceback or internal error in a session" "$cow"
fi

expect_lines gdb_vm_prot_none_keeps_its_frame "$prot" \
    "Value returned is \\\$1 = 0" \
    "pid 1 \(mprotecttest\): 5 regions, brk $H" \
    "$A-$A +12 KiB  ---p  anon" \
    "$A: PML4\[255\] -> PDPT\[511\] -> PD\[[0-9]+\] -> PT\[[0-9]+\] -> not present: PROT_NONE, still holding frame ($H) \(frame [0-9]+\)" \
    "  PT\[[0-9]+\] +entry 0x0000000000[0-9a-f]{3}200  PROT_NONE, still holding frame $H \(frame [0-9]+\)" \
    "entries of $H-$H \(tables of CR3, PML4 at $H\)" \
    "$A-$A +1  0x0000000000[0-9a-f]{3}200  $H +PROT_NONE \(frame kept\)" \
    "page fault at $A \(rip $H\), in pid [0-9]+ \(mprotecttest\)" \
    "  error code 0x4: not-present user" \
    "  region $A-$A +12 KiB  ---p  anon" \
    "  entry 0x[0-9a-f]+200: PROT_NONE, still holding frame $H \(frame [0-9]+\)" \
    "  handler: forbidden by the region: SIGSEGV, SEGV_ACCERR \(read of inaccessible \(PROT_NONE\) memory\)"

expect_lines gdb_vm_stack_growth_and_overflow_are_foreseen "$stack" \
    "page fault at 0x00007ffffffde[0-9a-f]{3} \(rip $H\), in pid 1 \(stacktest\)" \
    "  error code 0x6: not-present write user" \
    "  region 0x00007ffffffdf000-0x00007ffffffff000 +128 KiB  rw-p  stack \(to be grown down to the address\)" \
    "  entry 0x0: not present: never touched" \
    "  handler: stack growth down to 0x7ffffffde000, then demand-zero, write: map a fresh zeroed frame \(map_untouched\)" \
    "0x00007ffffffde000-0x00007ffffffff000 +132 KiB  rw-p  stack" \
    "page fault at 0x00007fffff7f[0-9a-f]{4} \(rip $H\), in pid 2 \(stacktest\)" \
    "  region: none" \
    "  handler: no region: SIGSEGV, SEGV_MAPERR \(stack overflow: beyond the 8 MiB stack limit\)"

# A kernel bug (a write to kernel text): mm/ is never asked.
expect_lines gdb_vm_kernel_fault_is_not_for_mm "$crash" \
    "page fault at 0xffffffff801[0-9a-f]{5} \(rip 0xffffffff801[0-9a-f]{5}\), in pid 0 \(idle\)" \
    "  error code 0x3: present write" \
    "  handler: a kernel-mode fault on a kernel address; mm/ is not asked: the instruction's fix-up \(extable\) if it has one, else a kernel bug \(exception report, stop\) \(page_fault, kernel/trap.c\)"

# ---- the README's sample session is what the commands print ----

# Sample lines (stdin) as extended regular expressions: literal text, numbers free,
# any run of spaces for a run of spaces (columns widen with the numbers).
sample_pattern() {
    perl -pe 's/0x[0-9a-f]+|[0-9]+/\x01/g; s/ +/\x02/g; s/([][\\.^\$*+?(){}|\/])/\\$1/g;
              s/\x01/(0x[0-9a-f]+|[0-9]+)/g; s/\x02/ +/g'
}

check_readme_sample() {
    local name=gdb_vm_readme_sample_is_what_gdb_prints sample line patterns=()
    sample=$(awk '/^A session at cowtest/ { on = 1; next } on && /^    / { print substr($0, 5); seen = 1; next }
                  on && seen && !/^    / { exit }' "$here/README.md")
    if [ -z "$sample" ]; then
        fail $name "README.md has no sample after \"A session at cowtest\""
        return
    fi
    while IFS= read -r line; do
        [ "$line" = "..." ] || patterns+=("$line")
    done < <(grep -v '^\.\.\.$' <<<"$sample" | sample_pattern)
    expect_lines $name "$cow" "${patterns[@]}"
}
selected gdb_vm_readme_sample_is_what_gdb_prints && check_readme_sample
true
