#!/usr/bin/env bash
# gdb-vm.sh — the VM commands of tools/gdb (vmas, pagewalk, ptes, pageinfo, faultinfo,
# ps, memstat, waits, swapinfo, resident, framemap) against a booted kernel. gdb -batch
# sessions:
#   cowtest as init: its first page fault, the fetch of its first instruction (exec
#     mapped the program and read nothing); its first two write faults (break-user-fault
#     cowtest write), the MAP_SHARED mailbox and a demand-zero page; just after its
#     fork, when every private page is shared read-only by pid 1 and pid 2; its first
#     copy-on-write fault; then bad input, each answered with one line;
#   mprotecttest as init: just after mprotect(PROT_NONE) of 3 written pages, and the
#     child's read of the first, which the handler refuses;
#   stacktest as init: a fault just below the stack, which grows it; the child's
#     overflow past 8 MiB, which gets SIGSEGV;
#   crash=write-text: a kernel bug, which mm/ is never asked about;
#   swaptour under a 16 MiB swap disk, as its child exits: swap entries and their
#     slots (ptes, pagewalk), the area and one slot's users (swapinfo), the reverse
#     map, resident set, swap-cache slot and lock of frames (pageinfo), a resident
#     set's circle (resident), gdb's frame map with the swap cache and the sets
#     (framemap, drawn by tools/framemap.py), each checked against the others; who
#     sleeps on what (waits: the parent in wait4, kswapd on its channel);
#   shmtour under a 32 MiB swap disk in 24 MiB: the 8 pages of a MAP_SHARED|
#     MAP_ANONYMOUS region out in slots its object records (their entries empty),
#     then the fault that reads page 0 back: ptes, pagewalk, faultinfo and
#     swapinfo show them as out with their slots, as they show private pages.
# Each check matches whole lines of the output (extended regular expressions, in
# order), so a field read from the wrong place or a decoding gone wrong fails here.
# The README's sample sessions ("Debugging with gdb") are checked against the cowtest
# and swaptour sessions too, numbers aside.
source "$(dirname "$0")/lib.sh"

tests=(gdb_vm_commands_have_help_and_shadow_nothing gdb_vm_first_fault_fetches_the_first_instruction
    gdb_vm_write_faults_shared_then_demand_zero gdb_vm_ps_and_vmas_show_the_processes gdb_vm_fork_leaves_pages_shared_read_only
    gdb_vm_cow_fault_is_explained gdb_vm_memstat_adds_up gdb_vm_bad_input_gets_one_line
    gdb_vm_prot_none_keeps_its_frame gdb_vm_stack_growth_and_overflow_are_foreseen
    gdb_vm_kernel_fault_is_not_for_mm gdb_vm_readme_sample_is_what_gdb_prints
    gdb_vm_swap_entries_show_their_slots gdb_vm_swapinfo_finds_every_user_of_a_slot
    gdb_vm_pageinfo_shows_reclaim_state gdb_vm_resident_shows_the_circle
    gdb_vm_framemap_from_gdb_shows_swap_states gdb_vm_swap_bad_input_gets_one_line
    gdb_vm_readme_swap_sample_is_what_gdb_prints gdb_vm_waits_names_channels_and_stacks
    gdb_vm_shared_pages_out_show_their_slots gdb_vm_shared_swap_fault_is_explained
    gdb_vm_swapinfo_names_the_object_holding_a_slot gdb_vm_readme_shared_sample_is_what_gdb_prints
    gdb_vm_framemap_range_counts_pages_out)
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
    for cmd in vmas pagewalk ptes pageinfo faultinfo ps memstat waits swapinfo resident framemap; do
        args+=(-ex "help $cmd")
    done
    gdb -nx -batch "${args[@]}" -ex 'help pt' -ex 'help fa' -ex 'help fr' >"$log.plain" 2>&1
    (cd "$here" && gdb -nx -batch -ex 'source tools/gdb/vmlab.py' "${args[@]}" -ex 'help pt' \
        -ex 'help fa' -ex 'help fr') >"$log" 2>&1
    local plain
    plain=$(grep -c '^Undefined command: "[a-z]*".  Try "help".$' "$log.plain")
    if [ "$plain" != 11 ]; then
        fail $name "a plain gdb knows one of the commands already (only $plain of 11 undefined)" \
            "$log.plain"
        return
    fi
    expect_lines $name "$log" "The regions of the current process, or of process PID: vmas \[PID\]" \
        "Walk the page tables for one address: pagewalk ADDR \[PID\]" \
        "The leaf page-table entries of a range: ptes START END \[PID\]" \
        "A physical frame's struct page and who maps it: pageinfo PFN\|PADDR" \
        "Explain the page fault being handled: faultinfo" "List the processes: ps" \
        "Frames and page faults, machine-wide: memstat" "Where each process waits: waits" \
        "The swap area at a glance, or one slot: swapinfo \[SLOT\]" \
        "A resident set as the replacement policy sees it: resident \[N \[PID\]\]" \
        "The map of physical memory, made by gdb, with swap's states: framemap \[FILE\]" \
        "ptype, pt" "faas, fa" "frame, fr, f"
}
selected gdb_vm_commands_have_help_and_shadow_nothing && check_help

# ---- the sessions ----

listening() { grep -qi ":$(printf '%04X' "$1") [0-9A-F:]* 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null; }

# session NAME PROGRAM COMMAND...: boot PROGRAM as init, halted; run gdb -batch with
# each COMMAND, echoed first as "(gdb) COMMAND"; output in $logdir/NAME.log. PROGRAM
# "crash=KIND" boots no program but that deliberate kernel fault (kernel/crash.c).
# session_boot_options: more options of tests/boot-kernel (--swap 16M).
session_boot_options=()
session() {
    local name=$1 program=$2 port args=() boot_options
    shift 2
    if [[ $program == crash=* ]]; then
        boot_options=(--cmdline "$program panic=poweroff")
    else
        boot_options=(--module "$here/build/user/$program" --cmdline "init=/bin/$program panic=poweroff")
    fi
    boot_options+=("${session_boot_options[@]}")
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
    'ptes 0 0x800000000000 5' 'pageinfo 0xffffffffffff' 'ps 1' 'memstat now' 'swapinfo'
    'resident 4 1'
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
# swaptour on a fresh 16 MiB swap disk, stopped as its child exits: pages 0-3 of its
# region in slots 1-4 (named by both processes), 4-7 on pid 1's local set and
# shared with pid 2, the child's page 0 read back (slot 1 in the swap cache, slots
# 2-4 read ahead), a MAP_LOCKED page.
swap_map="$logdir/gdb-vm-swap.map"
rm -f "$swap_map"
session_boot_options=(--swap 16M)
# $region: the limited region (pid 1's); $hand: the frame at its set's hand; $locked:
# the MAP_LOCKED page's frame, the page below the region.
swap_session=(
    'break sys_exit_group if the_cpu.current->pid == 2' 'continue' 'delete'
    'set $region = the_cpu.current->parent->as->resident_limit->start'
    'set $hand = the_cpu.current->parent->as->resident_limit->set.hand'
    'python import pagetables; gdb.set_convenience_variable("locked", pagetables.frame(pagetables.leaf_entry(int(gdb.parse_and_eval("the_cpu.current->as->root")), int(gdb.parse_and_eval("$region")) - 0x1000)[0]))'
    'python gdb.set_convenience_variable("text", pagetables.frame(pagetables.leaf_entry(int(gdb.parse_and_eval("the_cpu.current->as->root")), 0x400000)[0]))'
    'ptes $region-0x1000 $region+0x8000 1' 'ptes $region-0x1000 $region+0x8000 2' 'swapinfo'
    'pagewalk $region+0x1000 1' 'swapinfo 2' 'swapinfo 1'
    "set \$slot1 = 'mm/swap_slots.c'::area.slots[1].cached"
    "set \$slot2 = 'mm/swap_slots.c'::area.slots[2].cached"
    'pageinfo $slot1' 'pageinfo $slot2' 'pageinfo $hand' 'pageinfo $locked' 'pageinfo $text'
    'resident 8 1' 'resident 100' "framemap $swap_map"
    'memstat' 'swapinfo 0' 'swapinfo 4096' 'swapinfo 1 2' 'resident 4 2' 'resident 1 2 3'
    'waits' 'waits 1'
)
session gdb-vm-swap swaptour "${swap_session[@]}"
# shmtour: stopped at its munmap of the pressure region (all 8 shared pages out),
# at the fault on page 0, and at its exit (page 0 back in, 1-7 out). $shared: the
# region; $slot: the slot page 1 is out in (its object's slot map).
session_boot_options=(--swap 32M --mem 24M)
shm_session=(
    'break sys_munmap' 'continue' 'delete'
    'python import kernel_state, shm_state; gdb.set_convenience_variable("shared", [int(v["start"]) for v in kernel_state.regions(kernel_state.address_space(kernel_state.current_process())) if shm_state.is_shared_anonymous(v)][0])'
    'ptes $shared $shared+0x8000 1'
    'break mm_handle_fault if f->address == $shared' 'continue' 'faultinfo' 'delete'
    'break sys_exit_group' 'continue' 'delete'
    'python v = kernel_state.region_containing(kernel_state.address_space(kernel_state.current_process()), int(gdb.parse_and_eval("$shared"))); gdb.set_convenience_variable("slot", shm_state.state_at(v, int(gdb.parse_and_eval("$shared")) + 0x1000)[1])'
    'ptes $shared $shared+0x8000 1' 'pagewalk $shared+0x1000 1' 'pagewalk $shared+0x1000'
    'swapinfo $slot' 'print $slot'
)
session gdb-vm-shm shmtour "${shm_session[@]}"
session_boot_options=()
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
    "swapinfo: no swap area is active \(swapon, or boot with swap=vdX: make run SWAP=16M\)" \
    "resident: pid [12] \(cowtest\) has no local resident set \(vmlab_resident_limit was not called\)" \
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

# ---- shared memory out: shmtour, at its munmap, its fault on page 0, its exit ----

shm="$logdir/gdb-vm-shm.log"
shm_ptes='ptes $shared $shared+0x8000 1'
shared_out='swapped out \(shared memory: its object.s slots\)$'
# The lines of the Nth output of a command (output_of gives every one's).
nth_output() { awk -v cmd="(gdb) $2" -v n="$3" '$0 == cmd { k++; on = k == n; next } /^\(gdb\) / { on = 0 } on' "$1"; }
# The pages a ptes output shows out for shared memory (its lines' counts added up).
shared_pages_out() { grep -E -- "$shared_out" | awk '{ n += $2 } END { print n + 0 }'; }
shared=$(nth_output "$shm" "$shm_ptes" 1 | sed -n 's/^entries of \(0x[0-9a-f]*\)-.*/\1/p')
slot=$(output_of "$shm" 'print $slot' | sed -n 's/^\$[0-9]* = //p')
page0_slot=$(nth_output "$shm" "$shm_ptes" 1 | grep -E -- "$shared_out" | head -1 | sed -n 's/.*  slots\? \([0-9]*\).*/\1/p')
shm_at() { printf '0x%x' $((${shared:-0} + $1)); }
check_shared_ptes() {
    local name=gdb_vm_shared_pages_out_show_their_slots at_munmap at_exit
    at_munmap=$(nth_output "$shm" "$shm_ptes" 1 | shared_pages_out)
    at_exit=$(nth_output "$shm" "$shm_ptes" 2 | shared_pages_out)
    if [ "$at_munmap" != 8 ] || [ "$at_exit" != 7 ]; then
        fail $name "ptes showed $at_munmap and $at_exit pages of shared memory out, 8 and 7 expected" "$shm"
        return
    fi
    if ! grep -q "shmtour: pages in memory 1; smaps Swap 28 kB, SwapPss 0 kB" "$logdir/gdb-vm-shm-serial.log"; then
        fail $name "shmtour did not print its smaps line (Swap 28 kB: the 7 pages out)" "$logdir/gdb-vm-shm-serial.log"
        return
    fi
    # at the exit page 0 is back, in a frame; pages 1-7 are out, and pagewalk (of
    # pid 1, and of CR3) says where page 1 is
    local out="not present: swapped out to slot ${slot:-none} \(shared memory: page 1 of its object\)"
    expect_lines $name "$shm" \
        "$A-$A +1  0x80000000[0-9a-f]{8}  $H +present P W U NX( A)?( D)?( ws_used)?" \
        "0x0000$(shm_at 0x1000 | cut -c3-): PML4\[255\] -> PDPT\[[0-9]+\] -> PD\[[0-9]+\] -> PT\[[0-9]+\] -> $out" \
        "  PT\[[0-9]+\] +entry 0x0000000000000000  empty: swapped out to slot ${slot:-none} \(shared memory: page 1 of its object\)" \
        "0x0000$(shm_at 0x1000 | cut -c3-): PML4\[255\] -> PDPT\[[0-9]+\] -> PD\[[0-9]+\] -> PT\[[0-9]+\] -> $out" \
        "  \(tables of CR3, PML4 at $H\)"
}
check_shared_ptes

# The fault on page 0: its entry is empty, its object has it in a slot.
expect_lines gdb_vm_shared_swap_fault_is_explained "$shm" \
    "page fault at 0x0000$(shm_at 0 | cut -c3-) \(rip $H\), in pid 1 \(shmtour\)" \
    "  region 0x0000$(shm_at 0 | cut -c3-)-$A +32 KiB  rw-s  shared" \
    "  entry 0x0: empty: swapped out to slot ${page0_slot:-none} \(shared memory: page 0 of its object\)" \
    "  handler: shared memory's page, swapped out to slot ${page0_slot:-none}: read back into the page cache and mapped as it is \(map_object_page, read_from_slot\)"

# swapinfo SLOT: no entry names a slot of shared memory; its object holds it.
expect_lines gdb_vm_swapinfo_names_the_object_holding_a_slot "$shm" \
    "slot ${slot:-none}: held by 1 shared memory object and named by 0 entries; its page is only on the disk \(not in the swap cache\)" \
    "  shared memory: page 1 of the object at $H, mapped by pid 1 \(shmtour\) at $(shm_at 0x1000)"

# The frame map's counts (vmlab_framemap, kernel/framemap_export.c) of shmtour's
# first 64 private pages under pressure (each in a frame or out: none untouched),
# and of its shared region at the exit: page 0 in a frame of shared memory, 7 out.
expect_lines gdb_vm_framemap_range_counts_pages_out "$logdir/gdb-vm-shm-serial.log" \
    "framemap range $H $H pid 1 pages 64 untouched 0 prot-none 0 swapped [1-9][0-9]* lost 0( [A-Z]=[0-9]+)*" \
    "framemap range $(shm_at 0) $(shm_at 0x8000) pid 1 pages 8 untouched 0 prot-none 0 swapped 7 lost 0 S=1"

# ---- swapping: swaptour stopped as its child exits ----

swap="$logdir/gdb-vm-swap.log"
# The region's address and the frames the checks name, from the session's own lines.
region=$(output_of "$swap" 'ptes $region-0x1000 $region+0x8000 1' |
    sed -n 's/^0x0*\([0-9a-f]*\)-.* slots 1-4 .*swapped out$/0x\1/p')
slot_frame() { output_of "$swap" swapinfo | awk -v s="$1" '$1 == s { print $4 }'; }
slot1=$(slot_frame 1) slot2=$(slot_frame 2)
at() { printf '0x%x' $((region + $1)); }

# Pages 0-3 went to slots 1-4 in order (Clock, a fresh area); fork copied the
# entries; the child's read of page 0 mapped slot 1's cached frame.
expect_lines gdb_vm_swap_entries_show_their_slots "$swap" \
    "$A-$A +1  0x80000000[0-9a-f]{8}  $H +present P U NX A D" \
    "$A-$A +4  0x0000000000001[0-9a-f]00  slots 1-4 +swapped out" \
    "$A-$A +4  0x80000000[0-9a-f]{8}  $H-$H +present P U NX A D" \
    "$A-$A +1  0x80000000[0-9a-f]{8}  $H +present P U NX A D" \
    "$A-$A +1  0x8000000000[0-9a-f]{6}  ${slot1:-none}000 +present P U NX A( ws_used)?" \
    "$A-$A +3  0x0000000000002[0-9a-f]00  slots 2-4 +swapped out" \
    "$A-$A +4  0x80000000[0-9a-f]{8}  $H-$H +present P U NX A D" \
    "swap area: 4096 slots \(16384 KiB\): slot 0 the header, 0 bad, 4095 usable" \
    "  4 in use, 4 of them in the swap cache; the next free slot is searched from slot 5" \
    "  pages swapped in 4, out 4 \(pswpin, pswpout\); read errors 0, write errors 0" \
    "   SLOT  USERS  CACHED IN" "      1      1  frame $H" "      2      2  frame $H" \
    "      3      2  frame $H" "      4      2  frame $H" \
    "0x0000$(at 0x1000 | cut -c3-): PML4\[255\] -> PDPT\[511\] -> PD\[[0-9]+\] -> PT\[[0-9]+\] -> not present: swapped out to slot 2( \(ws_used\))?" \
    "  PT\[[0-9]+\] +entry 0x0000000000002[0-9a-f]00  swapped out to slot 2( \(ws_used\))?"

# swapinfo SLOT walks both address spaces for the entries naming the slot.
expect_lines gdb_vm_swapinfo_finds_every_user_of_a_slot "$swap" \
    "slot 2: named by 2 entries; its page is in the swap cache, frame ${slot2:-none} \(pageinfo $H\)" \
    "  pid 1 \(swaptour\) at $(at 0x1000) \(entry 0x0000000000002[0-9a-f]00\)" \
    "  pid 2 \(swaptour\) at $(at 0x1000) \(entry 0x0000000000002[0-9a-f]00\)" \
    "slot 1: named by 1 entry; its page is in the swap cache, frame ${slot1:-none} \(pageinfo $H\)" \
    "  pid 1 \(swaptour\) at $(at 0) \(entry 0x0000000000001[0-9a-f]00\)"

# Slot 1's frame: mapped by the child only, the cache's reference the second. Slot
# 2's: read ahead, mapped by nobody. The frame at the hand: shared by the two
# processes of the fork, two records. The MAP_LOCKED page: locked. The first page of
# text: a page-cache frame, on the cache's list.
expect_lines gdb_vm_pageinfo_shows_reclaim_state "$swap" \
    "frame ${slot1:-none} \(physical $H\): in use, use user, refcount 2, flags 0x0" \
    "  mapped by pid 2 at $(at 0) \(P U NX A( ws_used)?\)" \
    "  1 mappings for refcount 2: the kernel holds the other references \(a MAP_SHARED object, the swap cache, the zero page's own\)" \
    "  reverse map \(anon.maps, mm/anon_rmap.c\): 1 record: pid 2 \(swaptour\) at $(at 0)" \
    "  resident set: the machine's resident set \(resident_global\), 8 pages, this one [0-7] from the hand; referenced \(A\) 1, age 0b00000000, last use 0 ms" \
    "  swap cache: slot 1, which 1 entry names \(swapinfo 1\)" \
    "  locked: no \(no region mapping it is VMA_LOCKED\)" \
    "frame ${slot2:-none} \(physical $H\): in use, use user, refcount 1, flags 0x100 \(PG_SWAP_READAHEAD\)" \
    "  no user page table maps it \(user memory nobody maps: a page the swap cache holds, read ahead or left by its last mapping\)" \
    "  reverse map \(anon.maps, mm/anon_rmap.c\): 0 records \(nothing maps it\)" \
    "  resident set: the machine's resident set \(resident_global\), 8 pages, this one [0-7] from the hand; referenced \(A\) 0, age 0b00000000, last use 0 ms" \
    "  swap cache: slot 2, which 2 entries name \(swapinfo 2\)" \
    "frame $H \(physical $H\): in use, use user, refcount 2, flags 0x0" \
    "  mapped by pid 1 at $(at 0x4000) \(P U NX A D\), pid 2 at $(at 0x4000) \(P U NX A D\)" \
    "  reverse map \(anon.maps, mm/anon_rmap.c\): 2 records: pid 2 \(swaptour\) at $(at 0x4000), pid 1 \(swaptour\) at $(at 0x4000)" \
    "  resident set: the local set of pid 1 \(swaptour\) \(vmlab_resident_limit $region-$(at 0x8000)\), 4 pages, this one at the hand; referenced \(A\) 1, age 0b00000000, last use 0 ms" \
    "  swap cache: no" "  locked: no \(no region mapping it is VMA_LOCKED\)" \
    "  mapped by pid 1 at $(at -0x1000) \(P U NX A D\), pid 2 at $(at -0x1000) \(P U NX A D\)" \
    "  locked: yes, pid 1 \(swaptour\)'s region $(at -0x1000)-$region is VMA_LOCKED \(mlock, MAP_LOCKED\): reclaim passes it over" \
    "  mapped by pid 1 at 0x400000 \(P U A\), pid 2 at 0x400000 \(P U A\)" \
    "  page cache: page [0-9]+ of a program module object \($H\); on the list lru, [0-9]+ from the oldest of [1-9][0-9]*"

# resident 8 1: pid 1's set holds pages 4-7, in load order from the hand, each in
# the frame ptes shows; the machine's set: every other anonymous page, the four
# swap-cache frames among them.
check_resident() {
    local name=gdb_vm_resident_shows_the_circle frames rows expected=""
    frames=$(output_of "$swap" 'ptes $region-0x1000 $region+0x8000 1' | awk '$2 == 4 && $5 == "present" { print $4 }')
    rows=$(output_of "$swap" 'resident 8 1' | awk '$1 ~ /^[0-9]+$/ { sub(/,$/, "", $11); printf "%s %s %s;", $2, $3, $11 }')
    local first=${frames%%-*} last=${frames##*-} k
    for k in 0 1 2 3; do
        expected+=$(printf '0x%x 1 %s;' $(((first + k * (last - first) / 3) >> 12)) "$(at $((0x4000 + k * 0x1000)))")
    done
    if [ "$rows" != "$expected" ]; then
        fail $name "resident 8 1 rows (frame, A, address) \"$rows\", expected \"$expected\" (ptes: $frames)" "$swap"
        return
    fi
    expect_lines $name "$swap" "policy clock \(of fifo, clock, aging, wsclock\); WSClock's tau 100 ms" \
        "the local set of pid 1 \(swaptour\) \(vmlab_resident_limit $region-$(at 0x8000)\): 4 pages, limit 4; 8 pages brought in, 4 evicted" \
        "hand at frame $H; 4 pages from the hand:" \
        "the machine's resident set \(resident_global\): 8 pages" "hand at frame $H; 8 pages from the hand:" \
        " +[0-7]  $H +0  0{8} +0 +2  nobody \(read ahead, in the swap cache\)" \
        " +[0-7]  $H +0  0{8} +0 +3  nobody \(read ahead, in the swap cache\)" \
        " +[0-7]  $H +0  0{8} +0 +4  nobody \(read ahead, in the swap cache\)"
}
check_resident

# gdb's frame map: the kernel's classes and reclaim's three, drawn by framemap.py.
check_gdb_framemap() {
    local name=gdb_vm_framemap_from_gdb_shows_swap_states d count pixel
    d=$(sed -n 's/^framemap //p' "$swap_map" 2>/dev/null)
    count() { awk -v c="$1" '$1 == "class" && $2 == c { print $3 }' <<<"$d"; }
    local tables allocator_tables local_set
    allocator_tables=$(awk '$1 == "allocator" { print $9 }' <<<"$d")
    local_set=$(awk '$1 == "run" && ($4 == "L" || $4 == "H") && $5 == "1,2" { n += $3 } END { print n + 0 }' <<<"$d")
    if [ -z "$d" ]; then
        fail $name "gdb's framemap wrote no dump" "$swap"
    elif [ "$(count W)" != 4 ] || [ "$(count H)" != 2 ] || [ "$local_set" != 5 ]; then
        fail $name "W $(count W) (expected the 4 swap-cache frames), H $(count H) (2 hands), L/H of pids 1,2 $local_set (the local set's 4 and the global hand's page)" "$swap_map"
    elif [ "$(count P)" != "$allocator_tables" ] || [ "$(count Z)" != 1 ]; then
        fail $name "$(count P) page tables in the map, the allocator counts $allocator_tables; $(count Z) zero pages" "$swap_map"
    elif ! grep -qx "  W      4 swap cache" <("$here/tools/framemap.py" "$swap_map" --summary 2>&1); then
        fail $name "tools/framemap.py does not count the 4 swap-cache frames" "$swap_map"
    else
        "$here/tools/framemap.py" "$swap_map" --png "$logdir/gdb-vm-swap.png"
        pixel=$(python3 - "$logdir/gdb-vm-swap.png" "$slot2" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
width = struct.unpack(">I", data[16:20])[0]
pos, idat = 8, b""
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    idat += data[pos + 8:pos + 8 + length] if kind == b"IDAT" else b""
    pos += 12 + length
raw, pfn = zlib.decompress(idat), int(sys.argv[2], 0)
x, y = (pfn % 256) * 4 + 1, (pfn // 256) * 4 + 1
row = raw[y * (3 * width + 1) + 1:(y + 1) * (3 * width + 1)]
print(*row[3 * x:3 * x + 3])
PY
        )
        if [ "$pixel" = "200 130 50" ]; then pass $name; else
            fail $name "slot 2's frame $slot2 is drawn ($pixel), not in the swap cache's colour" "$swap_map"
        fi
    fi
}
check_gdb_framemap

expect_lines gdb_vm_swap_bad_input_gets_one_line "$swap" \
    "swapinfo: slot 0 is not a page's slot \(1..4095; slot 0 is the header\)" \
    "swapinfo: slot 4096 is not a page's slot \(1..4095; slot 0 is the header\)" \
    "swapinfo: usage: swapinfo \[SLOT\]" \
    "resident: pid 2 \(swaptour\) has no local resident set \(vmlab_resident_limit was not called\)" \
    "resident: usage: resident \[N \[PID\]\]"
if grep -q "Traceback\|internal error in tools/gdb" "$swap"; then
    fail gdb_vm_swap_bad_input_gets_one_line "a Python traceback or internal error in the swap session" "$swap"
fi

# waits, as swaptour's child exits: the parent sleeps in wait4 on its own record, the
# child is on the CPU.
expect_lines gdb_vm_waits_names_channels_and_stacks "$swap" \
    "  PID STATE    WAITS ON             KERNEL STACK \(innermost first\)" \
    "    1 sleeping pid 1 +sleep_on <- wait_for_child <- sys_wait4 <- syscall_dispatch <- syscall_entry" \
    "    2 running  - +\(on the CPU: bt\)" \
    "waits: usage: waits \(no arguments\)"

# ---- the README's sample session is what the commands print ----

# Sample lines (stdin) as extended regular expressions: literal text, numbers free,
# any run of spaces for a run of spaces (columns widen with the numbers).
sample_pattern() {
    perl -pe 's/0x[0-9a-f]+|[0-9]+/\x01/g; s/ +/\x02/g; s/([][\\.^\$*+?(){}|\/])/\\$1/g;
              s/\x01/(0x[0-9a-f]+|[0-9]+)/g; s/\x02/ +/g'
}

# check_readme_sample NAME ANCHOR LOG [commands]: the indented block after README.md's
# line starting with ANCHOR matches LOG's lines in order; with "commands" the
# "(gdb) ..." lines are left out (the test names values with convenience variables
# where the README has the numbers).
check_readme_sample() {
    local name=$1 anchor=$2 log=$3 sample line patterns=()
    sample=$(awk -v a="$anchor" 'index($0, a) == 1 { on = 1; next } on && /^    / { print substr($0, 5); seen = 1; next }
                  on && seen && !/^    / { exit }' "$here/README.md")
    if [ -z "$sample" ]; then
        fail $name "README.md has no sample after \"$anchor\""
        return
    fi
    [ "${4:-}" = commands ] && sample=$(grep -v '^(gdb) ' <<<"$sample")
    while IFS= read -r line; do
        [ "$line" = "..." ] || patterns+=("$line")
    done < <(grep -v '^\.\.\.$' <<<"$sample" | sample_pattern)
    expect_lines $name "$log" "${patterns[@]}"
}
selected gdb_vm_readme_sample_is_what_gdb_prints &&
    check_readme_sample gdb_vm_readme_sample_is_what_gdb_prints "A session at cowtest" "$cow"
selected gdb_vm_readme_swap_sample_is_what_gdb_prints &&
    check_readme_sample gdb_vm_readme_swap_sample_is_what_gdb_prints '`make gdb INIT=swaptour' "$swap" commands
selected gdb_vm_readme_shared_sample_is_what_gdb_prints &&
    check_readme_sample gdb_vm_readme_shared_sample_is_what_gdb_prints '`make gdb INIT=shmtour' "$shm" commands
true
