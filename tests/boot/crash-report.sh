#!/usr/bin/env bash
# crash-report.sh — a deliberate fault in the kernel (`crash=KIND`, kernel/crash.c)
# produces the full report: the exception's name, the error code decoded, CR2 for a
# page fault, every register, and a backtrace naming each function of the chain
# kmain -> crash_run -> crash_dispatch -> the faulting function. With panic=poweroff
# the machine then powers off with the panic status.
source "$(dirname "$0")/lib.sh"

registers=("RIP " "RSP " "RFLAGS " "RAX " "RBX " "RCX " "RDX " "RSI " "RDI " "RBP "
           "R8 " "R9 " "R10 " "R11 " "R12 " "R13 " "R14 " "R15 ")
chain=("crash_dispatch+" "crash_run+" "kmain+")

boot crash_null --cmdline "crash=null panic=poweroff"
expect crash_null_write_is_a_decoded_page_fault "$logdir/crash_null.log" "$status" 2 \
    "EXCEPTION: page fault (#PF), vector 14, in kernel mode at 0x" "<crash_null_write+" \
    "error code 0x2: kernel write, page not present" \
    "faulting address (CR2) 0x0" \
    "${registers[@]}" \
    "Backtrace:" "crash_null_write+" "${chain[@]}" \
    "Powering off (status 2)."

boot crash_gp --cmdline "crash=gp panic=poweroff"
expect crash_non_canonical_is_general_protection "$logdir/crash_gp.log" "$status" 2 \
    "EXCEPTION: general protection (#GP), vector 13, in kernel mode" \
    "error code 0 (no selector involved)" "${registers[@]}" \
    "Backtrace:" "crash_non_canonical_read+" "${chain[@]}"

boot crash_ud --cmdline "crash=ud panic=poweroff"
expect crash_ud2_is_invalid_opcode "$logdir/crash_ud.log" "$status" 2 \
    "EXCEPTION: invalid opcode (#UD), vector 6, in kernel mode" "${registers[@]}" \
    "Backtrace:" "crash_invalid_opcode+" "${chain[@]}"

boot crash_div --cmdline "crash=div panic=poweroff"
expect crash_divide_by_zero_is_divide_error "$logdir/crash_div.log" "$status" 2 \
    "EXCEPTION: divide error (#DE), vector 0, in kernel mode" "${registers[@]}" \
    "Backtrace:" "crash_divide_by_zero+" "${chain[@]}"

boot crash_panic --cmdline "crash=panic panic=poweroff"
expect crash_panic_prints_file_line_and_backtrace "$logdir/crash_panic.log" "$status" 2 \
    "PANIC at kernel/crash.c:" ": a deliberate panic (crash=panic)" \
    "Backtrace:" "panic_at+" "${chain[@]}"

boot crash_assert --cmdline "crash=assert panic=poweroff"
expect crash_assert_prints_condition_and_values "$logdir/crash_assert.log" "$status" 2 \
    "PANIC at kernel/crash.c:" "assertion \`frames == 4' failed: frames = 3, expected 4" \
    "Backtrace:" "assert_failed+" "crash_assert+" "${chain[@]}"

# Without panic=poweroff the kernel halts after the report (so gdb can inspect it).
boot crash_halts --cmdline "crash=null" --until "System halted." --timeout 20
expect crash_without_poweroff_halts "$logdir/crash_halts.log" "$status" 3 \
    "EXCEPTION: page fault (#PF)" "System halted."
