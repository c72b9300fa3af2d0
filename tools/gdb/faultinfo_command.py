"""faultinfo: at a stop in the page-fault path, the fault and how it will end."""

import gdb

import kernel_headers
import kernel_state
import pagetables as pt
import regions_command
import shm_state
from vm_command import VmCommand, usage

X86_H = "kernel/x86.h"
LAYOUT_H = "mm/layout.h"
FAULT_C = "mm/fault.c"
ERROR_BITS = ("PF_ERR_PRESENT", "PF_ERR_WRITE", "PF_ERR_USER", "PF_ERR_RESERVED", "PF_ERR_FETCH",
              "PF_ERR_PKEY")


# ---- finding the fault in the stopped frames ----


def frame_variables(frame):
    """(name, value) of the arguments and locals of a stack frame that gdb can read."""
    try:
        block = frame.block()
    except RuntimeError:
        return
    while block is not None:
        for symbol in block:
            if symbol.is_argument or symbol.is_variable:
                try:
                    value = frame.read_var(symbol, block)
                except (gdb.error, ValueError):
                    continue
                if not value.is_optimized_out:
                    yield symbol.name, value
        if block.function is not None:
            return
        block = block.superblock


def struct_name(value):
    """"struct trap_frame" for a struct trap_frame or a pointer to one, else None."""
    kind = value.type.strip_typedefs()
    if kind.code == gdb.TYPE_CODE_PTR:
        kind = kind.target().strip_typedefs()
    return str(kind) if kind.code == gdb.TYPE_CODE_STRUCT else None


def pointed(value):
    kind = value.type.strip_typedefs()
    if kind.code != gdb.TYPE_CODE_PTR:
        return value
    if int(value) == 0:
        return None
    return value.dereference()


class FaultContext:
    """What the stopped frames know about the fault: the trap frame (vector, error
    code, rip), the decoded record (struct fault_info) and the address space."""

    def __init__(self):
        self.trap_frame = self.record = self.space = None
        frame = gdb.selected_frame()
        while frame is not None and (self.trap_frame is None or self.record is None):
            self.take(frame)
            frame = frame.older()

    def take(self, frame):
        for name, value in frame_variables(frame):
            kind = struct_name(value)
            if kind == "struct trap_frame" and self.trap_frame is None:
                found = pointed(value)
                if found is not None and int(found["vector"]) == kernel_headers.enum_value(
                        "VEC_PAGE_FAULT"):
                    self.trap_frame = found
            elif kind == "struct fault_info" and self.record is None:
                self.record = pointed(value)
            elif kind == "struct addr_space" and self.space is None and name == "as":
                self.space = pointed(value)


# ---- the error code ----


def error_words(error):
    """"present write user": the PF_ERR_* bits of kernel/x86.h that are set, with
    not-present for a clear P bit (the page had no mapping at all)."""
    words = []
    for name in ERROR_BITS:
        if error & kernel_headers.define(X86_H, name):
            words.append(name.replace("PF_ERR_", "").lower())
    if not error & kernel_headers.define(X86_H, "PF_ERR_PRESENT"):
        words.insert(0, "not-present")
    return " ".join(words)


def error_from_record(record):
    """The error bits a decoded struct fault_info stands for (when the trap frame
    itself is out of sight)."""
    bits = {"PF_ERR_PRESENT": bool(record["present"]), "PF_ERR_USER": bool(record["user_mode"]),
            "PF_ERR_RESERVED": bool(record["reserved_bit"]),
            "PF_ERR_WRITE": int(record["access"]) == kernel_headers.enum_value("FAULT_WRITE"),
            "PF_ERR_FETCH": int(record["access"]) == kernel_headers.enum_value("FAULT_EXECUTE")}
    return sum(kernel_headers.define(X86_H, name) for name, on in bits.items() if on)


def access_of(error):
    if error & kernel_headers.define(X86_H, "PF_ERR_FETCH"):
        return "execute"
    return "write" if error & kernel_headers.define(X86_H, "PF_ERR_WRITE") else "read"


# ---- the handler's decision (a mirror of mm/fault.c) ----


def stack_to_grow(space, va):
    """Mirrors grow_stack: the stack region a fault at va extends, or None."""
    page = va & ~(kernel_state.page_size() - 1)
    stack = kernel_state.region_after(space, va)
    if stack is None or not int(stack["flags"]) & kernel_headers.define("mm/vma.h", "VMA_GROWSDOWN"):
        return None
    if int(stack["end"]) - page > kernel_headers.define(LAYOUT_H, "USER_STACK_LIMIT"):
        return None
    below = kernel_state.region_before(space, int(stack["start"]))
    gap = kernel_headers.define(LAYOUT_H, "USER_STACK_GUARD_GAP")
    if below is not None and va < int(below["end"]) + gap:
        return None
    return stack


def why_no_region(space, va):
    """Mirrors why_no_region: SEGV_MAPERR's reason."""
    stack = kernel_state.region_after(space, va)
    if stack is None or not int(stack["flags"]) & kernel_headers.define("mm/vma.h", "VMA_GROWSDOWN"):
        return "address not mapped"
    limit = kernel_headers.define(LAYOUT_H, "USER_STACK_LIMIT")
    distance = int(stack["end"]) - va
    if distance > limit + kernel_headers.define(FAULT_C, "STACK_SLACK"):
        return "address not mapped"
    if distance > limit:
        return "stack overflow: beyond the 8 MiB stack limit"
    below = kernel_state.region_before(space, int(stack["start"]))
    if below is not None and int(below["end"]) <= va < int(below["end"]) + kernel_headers.define(
            LAYOUT_H, "USER_STACK_GUARD_GAP"):
        return "stack overflow into the guard gap"
    return "address not mapped"


def access_denied(vma, access):
    """Mirrors access_denied: the region's rights against the access."""
    prot = int(vma["prot"])
    bit = lambda name: kernel_headers.define("mm/vma.h", name)
    if access == "write" and not prot & bit("VMA_WRITE"):
        return "write to read-only memory"
    if access == "execute" and not prot & bit("VMA_EXEC"):
        return "execute of no-execute memory"
    if access == "read" and not prot & (bit("VMA_READ") | bit("VMA_WRITE") | bit("VMA_EXEC")):
        return "read of inaccessible (PROT_NONE) memory"
    return None


def object_page_step(vma, access, program):
    """Mirrors map_object_page: the first touch of a page of a region that maps an
    object (a file, a boot module, shared anonymous memory). program: the region is
    a segment of the program, which exec mapped without reading any of it."""
    shared = (int(vma["flags"]) & kernel_headers.define("mm/vma.h", "VMA_SHARED")) != 0
    writable = (int(vma["prot"]) & kernel_headers.define("mm/vma.h", "VMA_WRITE")) != 0
    what = vma["object"]["ops"]["kind"].string()
    if shared:
        how = "mapped as it is"
    elif access == "write":
        how = "copied, a private write"
    else:  # MAP_PRIVATE: the page cache's frame itself, read-only
        how = "mapped read-only, its frame shared with every mapping of the page"
        if writable:
            how += "; a write will copy it"
    whose = " (the program's file: exec mapped it and read nothing)" if program else ""
    return ("first touch of a page of a %s object%s: its page from the page cache, %s "
            "(map_object_page)" % (what, whose, how))


def page_step(vma, entry, access, program=False, out=None):
    """Mirrors classify and resolve_page: the one step for the page's entry. out:
    the shm_state of the page when its region's object (shared memory) has it out
    in a slot, or lost."""
    shared = (int(vma["flags"]) & kernel_headers.define("mm/vma.h", "VMA_SHARED")) != 0
    kind = pt.entry_kind(entry)
    if kind == pt.SWAPPED:
        return ("swapped out to slot %d: from the swap cache, or read from the slot "
                "(swap_in)" % pt.swap_slot(entry))
    if kind == pt.LOST:
        return "lost page (swapoff could not read it back): SIGBUS"
    if kind == pt.UNTOUCHED and out is not None and out[0] == shm_state.OUT:
        return ("shared memory's page, swapped out to slot %d: read back into the page cache "
                "and mapped as it is (map_object_page, read_from_slot)" % out[1])
    if kind == pt.UNTOUCHED and out is not None:
        return "lost page of shared memory (swapoff could not read it back): SIGBUS"
    if kind not in (pt.PRESENT, pt.PROT_NONE):
        if int(vma["object"]) != 0:
            return object_page_step(vma, access, program)
        if access != "write":
            return "demand-zero, read: map the shared zero page read-only (map_untouched)"
        return "demand-zero, write: map a fresh zeroed frame (map_untouched)"
    if kind == pt.PROT_NONE:
        return "PROT_NONE page, now allowed: give it the region's rights back (restore_access)"
    if access != "write" or entry & pt.pte("PTE_WRITABLE"):
        return "the entry allows the access: a stale TLB entry, forget it (forget_stale_translation)"
    if pt.frame(entry) == kernel_state.zero_page_frame():
        return "write to the zero page: replace it with a fresh zeroed frame (replace_zero_page)"
    if shared:
        return "read-only MAP_SHARED page: make it writable, never copied (restore_access)"
    refcount = int(kernel_state.page_record(pt.frame(entry) >> kernel_state.page_shift())["refcount"])
    if refcount == 1:
        return ("copy-on-write, reuse: frame 0x%x has refcount 1, the last reference, so it is "
                "made writable (copy_on_write)" % pt.frame(entry))
    return ("copy-on-write, copy: frame 0x%x has refcount %d, still shared, so it is copied "
            "(copy_on_write)" % (pt.frame(entry), refcount))


def handler_case(space, va, error):
    """Which case of mm_handle_fault (mm/fault.c) will resolve the fault, and the
    region it falls in: a small mirror of mm_handle_fault, in its order."""
    if error & kernel_headers.define(X86_H, "PF_ERR_RESERVED"):
        return None, "reserved bit in an entry: FAULT_BAD_ENTRY, a kernel bug (panic)"
    if va >= kernel_headers.define(LAYOUT_H, "USER_SPACE_END"):
        return None, "user access to a kernel address: SIGSEGV, SEGV_ACCERR"
    vma = kernel_state.region_containing(space, va)
    grown = ""
    if vma is None:
        vma = stack_to_grow(space, va)
        if vma is None:
            return None, "no region: SIGSEGV, SEGV_MAPERR (%s)" % why_no_region(space, va)
        grown = "stack growth down to 0x%x, then " % (va & ~(kernel_state.page_size() - 1))
    denied = access_denied(vma, access_of(error))
    if denied is not None:
        return vma, "forbidden by the region: SIGSEGV, SEGV_ACCERR (%s)" % denied
    entry, _ = pt.leaf_entry(int(space["root"]), va)
    program = regions_command.kind(space, vma) == "program"
    out = shm_state.state_at(vma, va) if entry == 0 else None
    return vma, grown + page_step(vma, entry, access_of(error), program, out)


def entry_words(vma, va, entry):
    """The faulting page's entry in words; an empty one of shared memory whose page
    is out says so (its object keeps the slot, shm_state)."""
    inside = vma is not None and int(vma["start"]) <= va
    out = shm_state.state_at(vma, va) if inside and entry == 0 else None
    if out is not None:
        return "empty: " + shm_state.words(out, shm_state.page_index(vma, va))
    return pt.describe_entry(entry)


class Faultinfo(VmCommand):
    """Explain the page fault being handled: faultinfo

Use it stopped anywhere in the fault path (trap_dispatch, page_fault,
user_page_fault, mm_handle_fault and what it calls). It finds the trap frame and
the decoded struct fault_info in the stopped frames (CR2 if only the trap frame is
in sight), and prints the faulting address, the error code decoded with
kernel/x86.h's PF_ERR_* bits (present, write, user, reserved, fetch), the region the
address falls in, its page-table entry, and which case of mm_handle_fault
(mm/fault.c) will resolve it: a page from the page cache (a program's text and
data, a mapped file, shared memory), demand-zero, copy-on-write (copy or reuse),
PROT_NONE, stack growth, or SIGSEGV with SEGV_MAPERR or SEGV_ACCERR."""

    name = "faultinfo"

    def run(self, argv):
        if argv:
            raise usage("faultinfo (no arguments)")
        context = FaultContext()
        if context.trap_frame is None and context.record is None:
            raise gdb.GdbError("not stopped in the page-fault path (no page-fault trap frame or "
                               "struct fault_info in the stack): break mm_handle_fault, continue")
        va, error, rip = self.fault_of(context)
        proc = kernel_state.current_process()
        who = kernel_state.describe_process(proc) if proc is not None else "no process"
        gdb.write("page fault at 0x%016x (%s), in %s\n" % (va, rip, who))
        gdb.write("  error code 0x%x: %s\n" % (error, error_words(error)))
        if not self.kernel_mode_note(va, error):
            return
        space = context.space or kernel_state.address_space(kernel_state.process_or_current(None))
        vma, case = handler_case(space, va, error)
        if vma is not None:
            outside = "" if int(vma["start"]) <= va else " (to be grown down to the address)"
            gdb.write("  region " + regions_command.region_line(space, vma) + outside + "\n")
        else:
            gdb.write("  region: none\n")
        if va < kernel_headers.define(LAYOUT_H, "USER_SPACE_END"):
            entry, _ = pt.leaf_entry(int(space["root"]), va)
            gdb.write("  entry 0x%x: %s\n" % (entry, entry_words(vma, va, entry)))
        gdb.write("  handler: %s\n" % case)

    def fault_of(self, context):
        """The address (the decoded record's, else CR2), the error code (the trap
        frame's, else rebuilt from the record) and where the rip is."""
        if context.record is not None:
            va = int(context.record["address"])
        else:
            va = int(gdb.parse_and_eval("$cr2"))
        if context.trap_frame is not None:
            return va, int(context.trap_frame["error_code"]), "rip 0x%x" % int(
                context.trap_frame["rip"])
        return va, error_from_record(context.record), "rip not in sight"

    def kernel_mode_note(self, va, error):
        """For a fault in kernel mode, what kernel/trap.c's page_fault does instead
        (mirrored): False when mm/ is not asked at all."""
        if error & kernel_headers.define(X86_H, "PF_ERR_USER"):
            return True
        if va >= kernel_headers.define(LAYOUT_H, "USER_SPACE_END"):
            gdb.write("  handler: a kernel-mode fault on a kernel address; mm/ is not asked: "
                      "the instruction's fix-up (extable) if it has one, else a kernel bug "
                      "(exception report, stop) (page_fault, kernel/trap.c)\n")
            return False
        gdb.write("  kernel mode on a user address: the kernel copying user memory; if mm/ "
                  "cannot resolve it, the copy fails with -EFAULT\n")
        return True


Faultinfo()
