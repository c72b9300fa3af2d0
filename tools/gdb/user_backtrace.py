"""user_backtrace — `bt` goes on into the user program's callers.

trap_unwinder gives gdb the interrupted registers, so the frame just past a trap
entry is the interrupted function (with its arguments, locals and source line).
gdb then refuses to go further: it checks that each caller's stack lies above its
callee's ("previous frame inner to this frame (corrupt stack?)"), and a user stack
(below 0x800000000000) lies far below the kernel stack the trap ran on. gdb 13 lets
no Python unwinder declare a frame that switches stacks, so this frame filter
finishes the job when `bt` prints:

  - the entry frame shows as `trap_common (frame=0x...)` or `syscall_entry (...)`,
    with the address of its struct trap_frame (not as the label .from_kernel);
  - where gdb's chain stopped for that reason at a user frame, the callers follow,
    found as the kernel's own backtrace finds them: the saved RIP and RBP that gdb's
    debug information locates for the stopped frame, then the frame-pointer chain
    (user programs are built with -fno-omit-frame-pointer; crt0 sets RBP to 0), up
    to main. They print indented under that frame, with names and source lines but
    no frame numbers: `frame N` cannot select them.
"""

import re

import gdb
from gdb.FrameDecorator import FrameDecorator

import kernel_headers
import trap_unwinder
import usersyms

MAX_USER_FRAMES = 4096  # a frame-pointer chain longer than this is not trusted
WORD = 8
SAVED_REGISTER = re.compile(r"\b(rip|rbp) at (0x[0-9a-f]+)")
SYMBOL_AT = re.compile(r"<([A-Za-z_.$][A-Za-z0-9_.$]*)(\+[0-9]+)?>")  # gdb.format_address: "0x400000 <_start>"


class FrameArgument:
    """One argument as a frame decorator reports it: a name and a value."""

    def __init__(self, name, value):
        self.name, self.val = name, value

    def symbol(self):
        return self.name

    def value(self):
        return self.val


class EntryFrameDecorator(FrameDecorator):
    """The trap or system-call entry frame, named after its entry point and showing
    the struct trap_frame it saved."""

    def __init__(self, base, entry, trap):
        super().__init__(base)
        self.entry, self.trap = entry, trap

    def function(self):
        return self.entry

    def frame_args(self):
        return [FrameArgument("frame", self.trap.address)]


def function_at(pc):
    """The name of the function (inlined or not) whose code holds pc, or None."""
    block = gdb.current_progspace().block_for_pc(pc)
    while block is not None and block.function is None:
        block = block.superblock
    return block.function.print_name if block is not None else None


class CallerDecorator(FrameDecorator):
    """A user frame gdb could not reach: a return address and what it is in."""

    def __init__(self, borrowed_frame, pc):
        super().__init__(borrowed_frame)
        self.pc = pc
        # the call is the instruction before the return address
        self.sal = gdb.find_pc_line(pc - 1)

    def function(self):
        return function_at(self.pc - 1)

    def address(self):
        return self.pc

    def filename(self):
        return self.sal.symtab.filename if self.sal.symtab else None

    def line(self):
        return self.sal.line if self.sal.symtab else None

    def frame_args(self):
        return None

    def frame_locals(self):
        return None


def read_word(address):
    """The 8-byte word at address (through the current page tables), or None."""
    try:
        data = gdb.selected_inferior().read_memory(address, WORD)
    except (gdb.error, gdb.MemoryError):
        return None
    return int.from_bytes(bytes(data), "little")


def saved_registers(frame):
    """{'rip': caller's pc, 'rbp': caller's rbp} of a frame whose caller gdb would
    not create, from where gdb's debug information says they were saved."""
    text = gdb.execute("info frame level %d" % frame.level(), to_string=True)
    found = {}
    for name, address in SAVED_REGISTER.findall(text):
        value = read_word(int(address, 16))
        if value is not None:
            found[name] = value
    if "rbp" not in found:  # the function has not saved RBP (yet): the caller's is live
        found["rbp"] = int(frame.read_register("rbp"))
    return found


def in_user_space(address):
    return address is not None and 0 < address < usersyms.user_space_end()


def frame_function(frame):
    """The name of the function a frame is in: gdb's, else the symbol table's (gdb
    leaves a frame unnamed when the program's symbols came after the frame was made,
    as usersyms loads them at the stop; an assembly function such as crt0.asm's
    _start has only a symbol, no debug information)."""
    if frame.name() is not None:
        return frame.name()
    named = function_at(int(frame.pc()))
    if named is not None:
        return named
    found = SYMBOL_AT.search(gdb.format_address(int(frame.pc())))
    return found.group(1) if found else None


def callers(frame):
    """The return addresses of a user frame's callers, outermost last, ending after
    main or where the frame-pointer chain ends."""
    name = frame_function(frame)
    if name == "main":
        return  # as gdb's own backtrace, which stops at main
    if name == "_start":
        return  # the entry point: exec jumped there, nothing called it; [rsp] is argc
    saved = saved_registers(frame)
    pc, rbp = saved.get("rip"), saved["rbp"]
    for _ in range(MAX_USER_FRAMES):
        if not in_user_space(pc):
            return
        yield pc
        if function_at(pc - 1) == "main" or not in_user_space(rbp):
            return
        pc, next_rbp = read_word(rbp + WORD), read_word(rbp)
        if next_rbp is not None and next_rbp != 0 and next_rbp <= rbp:
            return  # frames go up the stack; anything else is not a frame chain
        rbp = next_rbp


def stopped_at_stack_switch(frame):
    """True if gdb's chain ends at this user frame only because of its stack check."""
    return (frame.unwind_stop_reason() == gdb.FRAME_UNWIND_INNER_ID
            and in_user_space(int(frame.pc())))


class NamedDecorator(FrameDecorator):
    """gdb's own frame, printed as gdb prints it without a filter: gdb 13 shows a
    frame whose function it cannot name as "in  ()" under a filter, not "in ?? ()"."""

    def function(self):
        name = super().function()
        if isinstance(name, int) and "<" not in gdb.format_address(name):
            return "??"
        return name


class ContinuedDecorator(FrameDecorator):
    """The frame where gdb's chain stopped, with the callers found past it shown as
    its elided frames: `bt` prints them indented under it, without numbers."""

    def __init__(self, base, frame):
        super().__init__(base)
        self.callers = [CallerDecorator(frame, pc) for pc in callers(frame)]

    def elided(self):
        return iter(self.callers) if self.callers else None


def line_at(sal, pc):
    """The source line of the instruction at pc: of the line-table rows that start
    exactly there (inlined code gives several, one per "view"), the last one, which
    is the statement the instruction belongs to; else the row pc falls in."""
    rows = [row.line for row in sal.symtab.linetable() if row.pc == pc] if sal.symtab else []
    return rows[-1] if rows else sal.line


class InterruptedDecorator(NamedDecorator):
    """The frame a fault or interrupt stopped. Its pc is the instruction that was
    running (the faulting one), not a return address after a call; gdb, which cannot know,
    looks up pc - 1 and so may show the line before, or at a function's first
    instruction the function before. Here the line and function are those of pc."""

    def __init__(self, base):
        super().__init__(base)
        self.pc = int(base.inferior_frame().pc())
        self.sal = gdb.find_pc_line(self.pc)

    def function(self):
        return function_at(self.pc) or super().function()

    def filename(self):
        return self.sal.symtab.filename if self.sal.symtab else super().filename()

    def line(self):
        return line_at(self.sal, self.pc) if self.sal.symtab else super().line()


def stops_at_the_instruction(entry):
    """True if the code an entry frame interrupted stopped AT an instruction: a fault
    (page fault, #GP, ...) or an interrupt. A system call, a breakpoint (int3) or an
    overflow (into) stops after its instruction, like a call: gdb's pc - 1 is right."""
    if entry is None or entry.entry != "trap_common":
        return False
    after = ("VEC_BREAKPOINT", "VEC_OVERFLOW")
    return int(entry.trap["vector"]) not in [kernel_headers.enum_value(name) for name in after]


def decorated(decorator, previous):
    """gdb's frame: an entry frame named after its entry point; the frame a fault or
    interrupt stopped (the one after such an entry) with its instruction's line."""
    kind, trap = trap_unwinder.entry_frame_trap(decorator.inferior_frame())
    if kind is not None:
        entry = "syscall_entry" if kind == "system call" else "trap_common"
        return EntryFrameDecorator(decorator, entry, trap)
    if isinstance(previous, EntryFrameDecorator) and stops_at_the_instruction(previous):
        return InterruptedDecorator(decorator)
    return NamedDecorator(decorator)


def each_frame(decorators):
    """gdb's frames, until one cannot be unwound: gdb's own `bt` then ends with
    "Backtrace stopped: Cannot access memory" (a stack page not present yet, which
    is often the very fault being handled); a frame filter would end in a Python
    exception, and print nothing at all."""
    iterator = iter(decorators)
    while True:
        try:
            yield next(iterator)
        except StopIteration:
            return
        except (gdb.error, gdb.MemoryError):
            return


def joined(decorators):
    """gdb's frames with entry frames named; the last one, if gdb stopped there at a
    stack switch, with the callers gdb would not reach. One frame of look-ahead."""
    previous = None
    for decorator in each_frame(decorators):
        if previous is not None:
            yield previous
        previous = decorated(decorator, previous)
    if previous is None:
        return
    try:
        frame = previous.inferior_frame()
        if stopped_at_stack_switch(frame):
            previous = ContinuedDecorator(previous, frame)
    except (gdb.error, gdb.MemoryError):
        pass  # the callers cannot be read: the frame alone, as gdb would end
    yield previous


def stack_has_entry_frame():
    """True if the current stack crosses a trap or system-call entry."""
    try:
        frame = gdb.newest_frame()
        while frame is not None:
            if trap_unwinder.entry_frame_trap(frame)[0] is not None:
                return True
            frame = frame.older()
    except gdb.error:
        pass  # no stack (not running)
    return False


class TrapFrameFilter:
    """Frame filter: joins the kernel's and the interrupted code's frames in `bt`.
    It takes part only when the stack crosses an entry, so any other backtrace is
    gdb's own, untouched; `disable frame-filter global vmlab-trap-frames` turns it off."""

    def __init__(self):
        self.name = "vmlab-trap-frames"
        self.priority = 100
        self.wanted = True

    @property
    def enabled(self):
        return self.wanted and stack_has_entry_frame()

    @enabled.setter
    def enabled(self, value):
        self.wanted = value

    def filter(self, frames):
        return joined(frames)


REGISTERED = []


def register():
    """Install the frame filter for every program (once)."""
    if REGISTERED:
        return
    REGISTERED.append(True)
    frame_filter = TrapFrameFilter()
    gdb.frame_filters[frame_filter.name] = frame_filter
