#!/usr/bin/env bash
# crash-report.sh — a deliberate fault in the kernel (`crash=KIND`, kernel/crash.c)
# produces the full report: the exception's name, the error code decoded, CR2 for a
# page fault, every register, and a backtrace naming each function of the chain
# kmain_on_kernel_stack -> crash_run -> crash_dispatch -> the faulting function.
# With panic=poweroff the machine then powers off with the panic status. The boots are `quiet`, so a
# failure shows the report, not the boot messages before it.
source "$(dirname "$0")/lib.sh"

registers=("RIP " "RSP " "RFLAGS " "RAX " "RBX " "RCX " "RDX " "RSI " "RDI " "RBP "
           "R8 " "R9 " "R10 " "R11 " "R12 " "R13 " "R14 " "R15 ")
chain=("crash_dispatch+" "crash_run+" "kmain_on_kernel_stack+")

check_boot crash_null_write_is_a_decoded_page_fault 2 --cmdline "crash=null panic=poweroff quiet" -- \
    "EXCEPTION: page fault (#PF), vector 14, in kernel mode at 0x" "<crash_null_write+" \
    "error code 0x2: kernel write, page not present" \
    "faulting address (CR2) 0x0" \
    "cause: write to an unmapped page in the never-mapped lowest 4 MiB" \
    "translation: 0x0000000000000000: PML4[0] -> not present" \
    "${registers[@]}" \
    "Backtrace:" "crash_null_write+" "${chain[@]}" \
    "Powering off (status 2)."

check_boot crash_non_canonical_is_general_protection 2 --cmdline "crash=gp panic=poweroff quiet" -- \
    "EXCEPTION: general protection (#GP), vector 13, in kernel mode" \
    "error code 0 (no selector involved)" "${registers[@]}" \
    "Backtrace:" "crash_non_canonical_read+" "${chain[@]}"

check_boot crash_ud2_is_invalid_opcode 2 --cmdline "crash=ud panic=poweroff quiet" -- \
    "EXCEPTION: invalid opcode (#UD), vector 6, in kernel mode" "${registers[@]}" \
    "Backtrace:" "crash_invalid_opcode+" "${chain[@]}"

check_boot crash_divide_by_zero_is_divide_error 2 --cmdline "crash=div panic=poweroff quiet" -- \
    "EXCEPTION: divide error (#DE), vector 0, in kernel mode" "${registers[@]}" \
    "Backtrace:" "crash_divide_by_zero+" "${chain[@]}"

check_boot crash_panic_prints_file_line_and_backtrace 2 --cmdline "crash=panic panic=poweroff quiet" -- \
    "PANIC at kernel/crash.c:" ": a deliberate panic (crash=panic)" \
    "Backtrace:" "panic_at+" "${chain[@]}"

check_boot crash_assert_prints_condition_and_values 2 --cmdline "crash=assert panic=poweroff quiet" -- \
    "PANIC at kernel/crash.c:" "assertion \`frames == 4' failed: frames = 3, expected 4" \
    "Backtrace:" "assert_failed+" "crash_assert+" "${chain[@]}"

# Memory protection (issue: kernel page tables): the report names the violated
# permission and the region.
check_boot crash_write_to_kernel_text_is_read_only_violation 2 --cmdline "crash=write-text panic=poweroff quiet" -- \
    "EXCEPTION: page fault (#PF)" "error code 0x3: kernel write, page present but access not allowed" \
    "cause: write to a read-only page in kernel text" \
    "translation: 0xffffffff80" "PML4[511] -> PDPT[510] -> PD[0] -> PT[" "flags P" \
    "Backtrace:" "crash_write_kernel_text+" "${chain[@]}"

check_boot crash_execute_kernel_data_is_no_execute_violation 2 --cmdline "crash=exec-data panic=poweroff quiet" -- \
    "EXCEPTION: page fault (#PF)" "kernel instruction fetch, page present but access not allowed" \
    "cause: instruction fetch from a no-execute page in kernel data/bss" "NX" \
    "Backtrace:" "(not kernel code)" "crash_execute_kernel_data+" "${chain[@]}"

check_boot crash_touch_of_stack_guard_page_is_named 2 --cmdline "crash=guard panic=poweroff quiet" -- \
    "EXCEPTION: page fault (#PF)" "kernel read, page not present" \
    "cause: access to the guard page below a kernel stack (stack overflow)" \
    "Backtrace:" "crash_read_guard_page+" "${chain[@]}"

check_boot crash_stack_overflow_is_a_reported_double_fault 2 --cmdline "crash=stack-overflow panic=poweroff quiet" -- \
    "EXCEPTION: double fault (#DF), vector 8, in kernel mode" \
    "in the guard page below a kernel stack" \
    "cause: kernel stack overflow: the stack ran into its guard page" \
    "Backtrace:" "crash_recurse+" "... the same frame"

# The frame allocator and the heap catch misuse and name the caller.
check_boot crash_frame_freed_twice_names_frame_and_caller 2 --cmdline "crash=frame-twice panic=poweroff quiet" -- \
    "PANIC at mm/pmm.c:" "pmm_free: frame 0x" "is already free (caller crash_free_frame_twice+0x"

check_boot crash_kfree_twice_detected 2 --cmdline "crash=kfree-twice panic=poweroff quiet" -- \
    "PANIC at mm/kheap.c:" "was freed twice (caller crash_kfree_twice+0x"

check_boot crash_kfree_of_interior_pointer_detected 2 --cmdline "crash=kfree-middle panic=poweroff quiet" -- \
    "is not the start of a kmalloc object (caller crash_kfree_middle+0x"

check_boot crash_kfree_of_foreign_pointer_detected 2 --cmdline "crash=kfree-static panic=poweroff quiet" -- \
    "kfree: 0xffffffff80" "was not returned by kmalloc (caller crash_kfree_static+0x"

# Without panic=poweroff the kernel halts after the report (so gdb can inspect it).
check_boot crash_without_poweroff_halts 3 --cmdline "crash=null quiet" --until "System halted." --timeout 20 -- \
    "EXCEPTION: page fault (#PF)" "System halted."
wait_parallel
