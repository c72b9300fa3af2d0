"""btpagefault — the backtrace of the code that took the page fault (as in Pintos).

Stopped anywhere in the fault path (mm_handle_fault, a function it calls, or
page_fault in kernel/trap.c), the interesting stack is not the kernel's but the one
the fault interrupted: the user program's, or, for a fault inside copy_to_user, the
kernel's system call and then the program's. The innermost trap frame on the
current stack (found by trap_unwinder) holds it; this prints a line about the fault
and then `bt`'s frames from that trap frame outwards, with gdb's frame numbers (so
`frame N` selects one of them); $trapframe is left pointing at the trap frame.
"""

import gdb

import faultinfo_command
import kernel_headers
import trap_unwinder
import usersyms

SYSCALL_VECTOR = 0x80  # kernel/syscall_entry.asm marks its frames with it


def innermost_trap():
    """(level, kind, trap frame) of the newest entry frame on the stack, or None."""
    frame, level = gdb.newest_frame(), 0
    while frame is not None:
        kind, trap = trap_unwinder.entry_frame_trap(frame)
        if kind is not None:
            return level, kind, trap
        frame, level = frame.older(), level + 1
    return None


def fault_address():
    """CR2, the address the fault was about, or None if the stub does not show it."""
    try:
        return int(gdb.parse_and_eval("$cr2"))
    except gdb.error:
        return None


def describe_trap(kind, trap):
    """One line: who faulted, where, on what address, and how."""
    vector, rip = int(trap["vector"]), int(trap["rip"])
    process = usersyms.current_process()
    who = "pid %d (%s)" % process if process else "no process"
    mode = "user mode" if int(trap["cs"]) & 3 == 3 else "kernel mode"
    if kind == "system call" or vector == SYSCALL_VECTOR:
        return ("btpagefault: not in a page fault: %s is in system call %d, from rip 0x%x"
                % (who, int(trap["rax"]), rip))
    if vector != kernel_headers.enum_value("VEC_PAGE_FAULT"):
        return ("btpagefault: not in a page fault: %s took vector %d in %s at rip 0x%x"
                % (who, vector, mode, rip))
    address = fault_address()
    at = " on address 0x%x" % address if address is not None else ""
    return ("btpagefault: page fault in %s%s (%s) at rip 0x%x, %s:"
            % (who, at, faultinfo_command.error_words(int(trap["error_code"])), rip, mode))


def interrupted_frames(level):
    """gdb's backtrace lines from frame level+1 (the interrupted code) outwards."""
    text = gdb.execute("backtrace", to_string=True)
    marker = "#%d " % (level + 1)
    start = text.find("\n" + marker)
    if text.startswith(marker):
        start = 0
    return text[start:].lstrip("\n") if start >= 0 else ""


class BtpagefaultCommand(gdb.Command):
    """The backtrace of the code a page fault interrupted.

Stopped anywhere in the page-fault path (e.g. after `break-user-fault NAME`), prints
one line about the fault (process, address, read/write, user/kernel mode, rip) and
then the frames of the interrupted code from the innermost trap frame outwards: the
user program's, with their source lines, or for a fault in copy_to_user the kernel's
system call and then the program's. gdb's frame numbers are kept: `frame N` selects
one. It sets $trapframe to the struct trap_frame it read: `p *$trapframe` shows
every saved register. Like Pintos's btpagefault."""

    def __init__(self):
        super().__init__("btpagefault", gdb.COMMAND_STACK)

    def invoke(self, argument, from_tty):
        if argument.strip():
            raise gdb.GdbError("btpagefault takes no arguments")
        try:
            gdb.selected_frame()
        except gdb.error:
            raise gdb.GdbError("btpagefault: the program is not stopped (no frames)")
        found = innermost_trap()
        if found is None:
            raise gdb.GdbError("btpagefault: no trap frame on this stack: stop in the "
                               "page-fault path first (break-user-fault NAME, continue)")
        level, kind, trap = found
        gdb.set_convenience_variable("trapframe", trap.address)
        print(describe_trap(kind, trap))
        print(interrupted_frames(level), end="")


REGISTERED = []


def register():
    """Install the command (once)."""
    if REGISTERED:
        return
    REGISTERED.append(True)
    BtpagefaultCommand()
