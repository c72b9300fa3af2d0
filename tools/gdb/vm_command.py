"""What every VM command shares: parsing arguments and reporting bad input.

Each command is a VmCommand whose docstring is its `help` text. Errors of any kind
(a bad expression, memory gdb cannot read, no such process) end as one line,
"NAME: why", here in one place, never as a Python traceback.
"""

import gdb

import kernel_state

MASK64 = (1 << 64) - 1


class VmCommand(gdb.Command):
    """Base of the VM commands: subclasses set name and define run(argv)."""

    name = None

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        try:
            kernel_state.require_target()
            kernel_state.require_paging()
            self.run(gdb.string_to_argv(argument))
        except gdb.GdbError as error:
            raise gdb.GdbError("%s: %s" % (self.name, error))
        except gdb.MemoryError as error:
            raise gdb.GdbError("%s: cannot read the kernel's memory (%s)" % (self.name, error))
        except gdb.error as error:
            raise gdb.GdbError("%s: %s" % (self.name, error))
        except Exception as error:  # a bug in tools/gdb: still one line, with its kind
            raise gdb.GdbError("%s: internal error in tools/gdb: %s: %s"
                               % (self.name, type(error).__name__, error))

    def run(self, argv):
        raise NotImplementedError


def usage(text):
    """A one-line usage error."""
    return gdb.GdbError("usage: %s" % text)


def number(expression, what):
    """The value of a gdb expression (a number, a symbol, $rsp, frame->rip) as an
    unsigned 64-bit integer."""
    try:
        value = gdb.parse_and_eval(expression)
        if value.type.strip_typedefs().code == gdb.TYPE_CODE_ARRAY:
            value = value.address  # an array's name stands for its address, as in C
        elif value.type.strip_typedefs().code == gdb.TYPE_CODE_FUNC:
            value = value.address
        return int(value) & MASK64
    except gdb.error as error:
        raise gdb.GdbError("%s \"%s\" is not a value gdb can compute (%s)" % (what, expression,
                                                                              error))


def pid_argument(argv, position):
    """The optional PID argument at argv[position], or None."""
    if len(argv) <= position:
        return None
    pid = number(argv[position], "PID")
    if pid >= 1 << 31:
        raise gdb.GdbError("%s is not a pid" % argv[position])
    return pid
