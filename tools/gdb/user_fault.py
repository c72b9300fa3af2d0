"""user_fault — stop at the first page fault of a given program.

The recipe is one gdb line: a breakpoint on the fault handler of mm/ with a
condition on the name of the process the kernel works for (the_cpu.current, see
kernel/cpu.h; the name is the program's file name, kernel/proc.c):

    break mm_handle_fault if $_streq(the_cpu.current->name, "cowtest")

`break-user-fault cowtest` types it for you. Every page fault of that process goes
through mm_handle_fault, whether the program touched the page itself or the kernel
did on its behalf (copy_to_user in a system call), so the first stop is its first
fault; `continue` goes to the next one. exec maps the program's file and reads
nothing, so that first fault is the fetch of the program's first instruction.

`break-user-fault cowtest write` adds a condition on the kind of access, as
mm/fault.h's struct fault_info records it (read, write, execute):

    break mm_handle_fault if $_streq(the_cpu.current->name, "cowtest") && f->access == FAULT_WRITE
"""

import re

import gdb

FAULT_HANDLER = "mm_handle_fault"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.+-]{1,31}$")  # fits in struct proc's name[32]


ACCESSES = {"read": "FAULT_READ", "write": "FAULT_WRITE", "execute": "FAULT_EXECUTE"}


def recipe(name, access=None):
    """The gdb command that breaks at program name's page faults (of one kind of
    access: a key of ACCESSES, if given)."""
    command = 'break %s if $_streq(the_cpu.current->name, "%s")' % (FAULT_HANDLER, name)
    if access is not None:
        command += " && f->access == %s" % ACCESSES[access]
    return command


class BreakUserFaultCommand(gdb.Command):
    """Stop at the page faults of one program: break-user-fault NAME [read|write|execute]

NAME is a program's file name as the kernel knows it (cowtest for /bin/cowtest, as
`p the_cpu.current->name` shows). It sets this breakpoint, which you can also type:
    break mm_handle_fault if $_streq(the_cpu.current->name, "NAME")
`continue` then stops at the program's first page fault: the fetch of its first
instruction, as exec maps the program's file and reads none of it. `bt` shows the
kernel's fault path and, across the trap frame, the program's own frames;
`btpagefault` shows only the program's. With read, write or execute, only faults of
that access stop (the condition adds && f->access == FAULT_WRITE, ...): `write`
skips the program's text and rodata coming in. `delete N` removes the breakpoint."""

    def __init__(self):
        super().__init__("break-user-fault", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, argument, from_tty):
        words = gdb.string_to_argv(argument)
        if len(words) not in (1, 2):
            raise gdb.GdbError("usage: break-user-fault NAME [read|write|execute]   "
                               "(e.g. break-user-fault cowtest)")
        access = words[1] if len(words) == 2 else None
        if access is not None and access not in ACCESSES:
            raise gdb.GdbError("break-user-fault: the access is read, write or execute, not %r"
                               % access)
        name = words[0].rsplit("/", 1)[-1]  # /bin/cowtest means cowtest, as the kernel names it
        if not NAME_PATTERN.match(name):
            raise gdb.GdbError("break-user-fault: %r is not a program name (letters, digits, "
                               "_ . + -, at most 31 characters)" % name)
        command = recipe(name, access)
        print(command)
        gdb.execute(command, from_tty)


REGISTERED = []


def register():
    """Install the command (once)."""
    if REGISTERED:
        return
    REGISTERED.append(True)
    BreakUserFaultCommand()
