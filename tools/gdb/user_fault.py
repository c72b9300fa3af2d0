"""user_fault — stop at the first page fault of a given program.

The recipe is one gdb line: a breakpoint on the fault handler of mm/ with a
condition on the name of the process the kernel works for (the_cpu.current, see
kernel/cpu.h; the name is the program's file name, kernel/proc.c):

    break mm_handle_fault if $_streq(the_cpu.current->name, "cowtest")

`break-user-fault cowtest` types it for you. Every page fault of that process goes
through mm_handle_fault, whether the program touched the page itself or the kernel
did on its behalf (copy_to_user in a system call), so the first stop is its first
fault; `continue` goes to the next one.
"""

import re

import gdb

FAULT_HANDLER = "mm_handle_fault"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.+-]{1,31}$")  # fits in struct proc's name[32]


def recipe(name):
    """The gdb command that breaks at program name's page faults."""
    return 'break %s if $_streq(the_cpu.current->name, "%s")' % (FAULT_HANDLER, name)


class BreakUserFaultCommand(gdb.Command):
    """Stop at the page faults of one program: break-user-fault NAME.

NAME is a program's file name as the kernel knows it (cowtest for /bin/cowtest, as
`p the_cpu.current->name` shows). It sets this breakpoint, which you can also type:
    break mm_handle_fault if $_streq(the_cpu.current->name, "NAME")
`continue` then stops at the program's first page fault; `bt` shows the kernel's
fault path and, across the trap frame, the program's own frames; `btpagefault`
shows only the program's. `delete N` removes the breakpoint again."""

    def __init__(self):
        super().__init__("break-user-fault", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, argument, from_tty):
        words = gdb.string_to_argv(argument)
        if len(words) != 1:
            raise gdb.GdbError("usage: break-user-fault NAME   (e.g. break-user-fault cowtest)")
        name = words[0].rsplit("/", 1)[-1]  # /bin/cowtest means cowtest, as the kernel names it
        if not NAME_PATTERN.match(name):
            raise gdb.GdbError("break-user-fault: %r is not a program name (letters, digits, "
                               "_ . + -, at most 31 characters)" % name)
        command = recipe(name)
        print(command)
        gdb.execute(command, from_tty)


REGISTERED = []


def register():
    """Install the command (once)."""
    if REGISTERED:
        return
    REGISTERED.append(True)
    BreakUserFaultCommand()
