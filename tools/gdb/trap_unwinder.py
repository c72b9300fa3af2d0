"""trap_unwinder — `bt` walks from the kernel back into what a trap interrupted.

Every way into the kernel saves the interrupted registers in a struct trap_frame
(kernel/trap.h) on the kernel stack, then calls C:

    kernel/trap_entry.asm    trap_common:   ... call trap_dispatch      (interrupts,
    kernel/syscall_entry.asm syscall_entry: ... call syscall_dispatch    exceptions, syscalls)

and just below the frame it pushes a (rbp, rip) record, then calls, so the stack at
the call is

    rsp + 0    the interrupted RBP  \\ a frame record, so that the kernel's own
    rsp + 8    the interrupted RIP  /  backtrace (kernel/backtrace.c) crosses it
    rsp + 16   struct trap_frame: r15 ... rax, vector, error_code, rip, cs, rflags, rsp, ss

gdb knows nothing of this: unwinding the entry code it guesses, and `bt` ends in
"?? ()". This unwinder recognises an entry frame by its pc (the return address of
the call to the dispatcher) and gives gdb the caller's registers from the saved
frame: for a trap from user mode, the user program's rip, rsp, rbp...; for a trap in
the kernel (a fault inside copy_to_user), the interrupted kernel function's. gdb then
unwinds the interrupted code with its own debug information (the user program's
symbols come from usersyms). Memory below USER_SPACE_END is read through the current
CR3, which is the interrupted process's when the trap came from it.
"""

import gdb

from gdb.unwinder import Unwinder

# The dispatchers the entry code calls, and what their callers are.
DISPATCHERS = {"trap_dispatch": "trap", "syscall_dispatch": "system call"}
FRAME_RECORD_BYTES = 16  # the (rbp, rip) record between the call and the trap frame
CALL_REL32 = 0xE8  # `call rel32`: opcode, then a 32-bit displacement from the next insn
CALL_BYTES = 5
# struct trap_frame fields restored to registers of the same name.
GENERAL_REGISTERS = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp",
                     "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15")
# Fields pushed by the CPU, and the register each restores.
CPU_SAVED = (("rip", "rip"), ("rsp", "rsp"), ("rflags", "eflags"), ("cs", "cs"), ("ss", "ss"))


def address_of(name):
    """The address of a kernel function (C or assembly), or None."""
    try:
        return int(gdb.parse_and_eval("(unsigned long)&%s" % name))
    except gdb.error:
        return None


class EntryCalls:
    """Which return addresses are the entry code's calls to a dispatcher. A pc is
    checked once, by reading the 5 bytes before it: a `call rel32` to trap_dispatch
    or syscall_dispatch. Nothing is read before the first unwind (the kernel may not
    be in memory yet when gdb connects)."""

    def __init__(self):
        self.known = {}  # pc -> the dispatcher's kind, or None

    def kind(self, pc):
        """'trap' or 'system call' if pc returns from the entry code's call to the
        dispatcher, else None."""
        if pc not in self.known:
            self.known[pc] = self.examine(pc)
        return self.known[pc]

    @staticmethod
    def examine(pc):
        """The dispatcher called by the instruction just before pc, if any."""
        try:
            code = bytes(gdb.selected_inferior().read_memory(pc - CALL_BYTES, CALL_BYTES))
        except (gdb.error, gdb.MemoryError, OverflowError, ValueError):
            return None
        if code[0] != CALL_REL32:
            return None
        target = (pc + int.from_bytes(code[1:], "little", signed=True)) & 0xFFFFFFFFFFFFFFFF
        for name, kind in DISPATCHERS.items():
            if target == address_of(name):
                return kind
        return None

    def forget(self):
        """Drop what was learnt (the kernel file was reloaded)."""
        self.known.clear()


ENTRY_CALLS = EntryCalls()


def trap_frame_type():
    """struct trap_frame *, from the kernel's debug information (trap_dispatch's
    parameter: a user program never defines that function)."""
    dispatch = gdb.lookup_global_symbol("trap_dispatch")
    if dispatch is None:
        raise gdb.GdbError("trap_dispatch not found: are the kernel's symbols loaded?")
    return dispatch.type.fields()[0].type


def trap_frame_at(entry_rsp):
    """The struct trap_frame (a gdb.Value) of an entry frame whose rsp is entry_rsp."""
    address = int(entry_rsp) + FRAME_RECORD_BYTES
    return gdb.Value(address).cast(trap_frame_type()).dereference()


def entry_frame_trap(frame):
    """For a gdb.Frame of the entry code (at its call to the dispatcher): its kind
    and its struct trap_frame; (None, None) for any other frame."""
    kind = ENTRY_CALLS.kind(int(frame.pc()))
    if kind is None:
        return None, None
    return kind, trap_frame_at(frame.read_register("rsp"))


class TrapFrameId:
    """The entry frame's id for gdb: its stack address (the trap frame's) and code
    address, as gdb.Values (gdb 13 takes nothing else). `special` makes gdb skip its
    check that each caller's stack lies above its callee's: the interrupted user
    stack is far below the kernel stack, and that is not a corrupt stack here."""

    def __init__(self, sp, pc):
        self.sp = gdb.Value(sp)
        self.pc = gdb.Value(pc)
        self.special = gdb.Value(sp)


class TrapEntryUnwinder(Unwinder):
    """Unwinds the kernel's trap and system-call entry frames to the interrupted
    context saved in struct trap_frame."""

    def __init__(self):
        super().__init__("vmlab-trap-frame")

    def __call__(self, pending_frame):
        pc = int(pending_frame.read_register("rip"))
        if ENTRY_CALLS.kind(pc) is None:
            return None
        rsp = pending_frame.read_register("rsp")
        frame = trap_frame_at(rsp)
        info = pending_frame.create_unwind_info(TrapFrameId(int(frame.address), pc))
        saved = [(name, name) for name in GENERAL_REGISTERS] + list(CPU_SAVED)
        for field, register in saved:
            # as the register's own type: gdb's cs, ss and eflags are 32 bits wide
            kind = pending_frame.read_register(register).type
            info.add_saved_register(register, frame[field].cast(kind))
        return info


def on_new_objfile(_event):
    """A reloaded kernel may have moved the entry code: relearn the addresses."""
    ENTRY_CALLS.forget()


REGISTERED = []


def register():
    """Install the unwinder for every program gdb debugs here (once)."""
    if REGISTERED:
        return
    REGISTERED.append(True)
    gdb.unwinder.register_unwinder(None, TrapEntryUnwinder(), replace=True)
    gdb.events.new_objfile.connect(on_new_objfile)
