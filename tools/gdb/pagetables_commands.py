"""pagewalk and ptes: what the page tables say about an address or a range."""

import bisect

import gdb

import kernel_state
import pagetables as pt
import shm_state
from vm_command import VmCommand, number, pid_argument, usage

MAX_LINES = 1000  # ptes prints at most this many lines


def root_for(pid, addresses):
    """The PML4 to walk, who it belongs to, and the address space whose regions
    say what an empty entry stands for (None: the kernel's own tables): process
    pid's (read through the direct map, whatever CR3 holds), or CR3's. A pid walk
    is a walk of user space: a kernel address there gets a clear refusal."""
    for va in addresses:
        if not pt.canonical(va):
            raise gdb.GdbError("0x%x is not canonical (bits 63..47 must all be equal): no "
                               "page table can map it" % va)
    if pid is None:
        root = pt.cr3_root()
        return root, "CR3", space_with_root(root)
    proc = kernel_state.process_by_pid(pid)
    space = kernel_state.address_space(proc)
    for va in addresses:
        if pt.is_kernel_address(va):
            raise gdb.GdbError("0x%x is a kernel address: the kernel half is the same in every "
                               "address space; leave out the PID to walk it (CR3)" % va)
    return int(space["root"]), kernel_state.describe_process(proc), space


def space_with_root(root):
    """The address space whose PML4 is at root, or None (the kernel's own tables)."""
    for space, _ in kernel_state.address_spaces():
        if int(space["root"]) == root:
            return space
    return None


def shared_state(space, va):
    """What the object of a shared anonymous region records for the page at va
    (shm_state: out in a slot, or lost), or None."""
    if space is None or pt.is_kernel_address(va):
        return None
    vma = kernel_state.region_containing(space, va)
    if vma is None:
        return None
    state = shm_state.state_at(vma, va)
    return (state, shm_state.page_index(vma, va)) if state is not None else None


# ---- pagewalk ----


def summary_line(va, steps, shared=None):
    """The walk on one line, in the format of the kernel's pt_dump (mm/pt.c):
    0x...: PML4[511] -> PDPT[510] -> PD[0] -> PT[269] -> frame 0x10d000, flags P A G
    shared: (state, index) when the page is shared memory's and out or lost: the
    empty entry stands for that (reclaim cleared it, the object keeps the slot)."""
    names = pt.level_names()
    path = " -> ".join("%s[%d]" % (names[s.level], s.index) for s in steps)
    last = steps[-1]
    if shared is not None and not pt.present(last.entry):
        end = "not present: " + shm_state.words(*shared)
    elif pt.present(last.entry) and last.level == 1:
        end = "frame 0x%x, flags %s" % (pt.frame(last.entry), pt.flags_string(last.entry))
    elif pt.present(last.entry):
        span = pt.level_span(last.level)
        end = "%d MiB page at 0x%x, flags %s" % (span >> 20, pt.frame(last.entry) & ~(span - 1),
                                                 pt.flags_string(last.entry))
    elif last.level == 1:
        end = pt.describe_entry(last.entry)
        end = end if end.startswith("not present") else "not present: " + end
    else:
        end = "not present: no %s below, nothing mapped in these %s" % (
            names[last.level - 1], size_words(pt.level_span(last.level)))
    return "0x%016x: %s -> %s" % (va, path, end)


def size_words(size):
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift:
            return "%d %s" % (size >> shift, unit)
    return "%d bytes" % size


def step_line(step, shared=None):
    """One level: its index, the entry's value, where it leads and its flags."""
    names = pt.level_names()
    where = "%s[%d]" % (names[step.level], step.index)
    text = "  %-10s entry 0x%016x  " % (where, step.entry)
    if not pt.present(step.entry) and step.level == 1 and shared is not None:
        return text + "empty: " + shm_state.words(*shared)
    if not pt.present(step.entry):
        return text + pt.describe_entry(step.entry) if step.level == 1 else text + "not present"
    if step.leaf():
        target = "frame 0x%x" % pt.frame(step.entry)
    else:
        target = "%s at 0x%x" % (names[step.level - 1], pt.frame(step.entry))
    return text + "%-22s %s" % (target, pt.flags_string(step.entry))


class Pagewalk(VmCommand):
    """Walk the page tables for one address: pagewalk ADDR [PID]

ADDR is any gdb expression: a number, a symbol (kmain), $rsp-8, frame->rip, or one
with spaces in quotes ("frame->rip + 8"). Without PID the walk uses the tables the
CPU uses now (CR3); with PID, that process's tables (its address space's PML4),
whoever is running. The first line is in the kernel's pt_dump format; then each
level: index, the entry's value, what it points at, its decoded flags. The walk
stops at the frame or says why it stops: not present (never touched, swapped out
to slot N, lost), or PROT_NONE still holding frame N (mm/pte.h's kinds). A page of
shared anonymous memory that is out has an empty entry (reclaim cleared every
entry mapping it) and its slot in its object's slot map: shown as swapped out to
that slot, or lost, as a private page's swap entry is."""

    name = "pagewalk"

    def run(self, argv):
        if not 1 <= len(argv) <= 2:
            raise usage("pagewalk ADDR [PID]")
        va = number(argv[0], "ADDR")
        root, owner, space = root_for(pid_argument(argv, 1), [va])
        steps = pt.walk(root, va)
        last = steps[-1]
        empty = not pt.present(last.entry) and (last.level > 1 or last.entry == 0)
        shared = shared_state(space, va) if empty else None
        gdb.write(summary_line(va, steps, shared) + "\n")
        gdb.write("  (tables of %s, PML4 at 0x%x)\n" % (owner, root))
        for step in steps:
            gdb.write(step_line(step, shared) + "\n")
        last = steps[-1]
        if pt.present(last.entry):
            span = pt.level_span(last.level)
            physical = (pt.frame(last.entry) & ~(span - 1)) + (va & (span - 1))
            gdb.write("  physical address 0x%x\n" % physical)


# ---- ptes ----


SHARED_OUT = "shared out"    # an empty entry: shared memory's page, out in a slot
SHARED_LOST = "shared lost"  # an empty entry: shared memory's page, lost


class Piece(pt.Leaf):
    """Part of an empty leaf: a page that shared memory has out or lost (shared:
    its shm_state), or the empty pages around such pages."""

    def __init__(self, va, size, entry, shared=None):
        super().__init__(va, 1, entry, None)
        self.size, self.shared = size, shared

    def span(self):
        return self.size


def with_shared_pages(leaves, states):
    """The leaves, each empty one that covers pages shared memory has out or lost
    (states: {va: shm_state}) cut around them, so that those pages are leaves of
    their own and a run shows them as it shows swap entries."""
    vas, page = sorted(states), kernel_state.page_size()
    for leaf in leaves:
        low, high = leaf.va, leaf.va + leaf.span()
        i = bisect.bisect_left(vas, low)
        if pt.entry_kind(leaf.entry) != pt.UNTOUCHED or i == len(vas) or vas[i] >= high:
            yield leaf
            continue
        at = low
        while i < len(vas) and vas[i] < high:
            if vas[i] > at:
                yield Piece(at, vas[i] - at, leaf.entry)
            yield Piece(vas[i], page, leaf.entry, states[vas[i]])
            at, i = vas[i] + page, i + 1
        if at < high:
            yield Piece(at, high - at, leaf.entry)


def leaf_kind(leaf):
    """mm/pte.h's kind of the leaf's entry, or SHARED_OUT, SHARED_LOST."""
    shared = getattr(leaf, "shared", None)
    if shared is not None:
        return SHARED_OUT if shared[0] == shm_state.OUT else SHARED_LOST
    return pt.entry_kind(leaf.entry)


def leaf_slot(leaf):
    """The slot a swap entry, or shared memory's page out, is in."""
    shared = getattr(leaf, "shared", None)
    return shared[1] if shared is not None else pt.swap_slot(leaf.entry)


class Run:
    """Consecutive leaves of one kind: the same flags and page size, and frames that
    follow each other, up or down (the frame allocator hands out a stack of free
    frames, so a program's pages often get descending frames), slots that follow
    each other, or all without a frame."""

    def __init__(self, leaf, start):
        self.first, self.start, self.end, self.count = leaf, start, start, 0
        self.last_frame, self.step = pt.frame(leaf.entry), None
        self.last_slot, self.slot_step = leaf_slot(leaf), None

    def kind(self):
        return leaf_kind(self.first)

    def takes(self, leaf):
        kind = leaf_kind(leaf)
        if kind != self.kind():
            return False
        if kind in (pt.UNTOUCHED, SHARED_LOST):
            return True  # an empty entry or a missing table: both never touched
        if kind in (pt.UNKNOWN, pt.LOST):
            return leaf.entry == self.first.entry
        if kind in (pt.SWAPPED, SHARED_OUT):
            return self.slot_follows(leaf)
        if leaf.level != self.first.level or (pt.entry_flags(leaf.entry) !=
                                              pt.entry_flags(self.first.entry)):
            return False
        step = pt.frame(leaf.entry) - self.last_frame
        return step == self.step if self.step is not None else abs(step) == leaf.span()

    def slot_follows(self, leaf):
        """Swapped pages run on while their slots follow each other, up or down
        (reclaim gives pages taken together neighbouring slots)."""
        step = leaf_slot(leaf) - self.last_slot
        return step == self.slot_step if self.slot_step is not None else abs(step) == 1

    def add(self, leaf, end):
        if self.count == 1:
            self.step = pt.frame(leaf.entry) - self.last_frame
            self.slot_step = leaf_slot(leaf) - self.last_slot
        self.end = end
        self.count += 1
        self.last_frame = pt.frame(leaf.entry)
        self.last_slot = leaf_slot(leaf)

    def frames(self):
        """"0x1000" for one frame; first-last ("0x17e000-0x170000" going down) for a run."""
        if self.count == 1:
            return "0x%x" % self.last_frame
        return "0x%x-0x%x" % (pt.frame(self.first.entry), self.last_frame)

    def slots(self):
        first = leaf_slot(self.first)
        return "slot %d" % first if self.count == 1 else "slots %d-%d" % (first, self.last_slot)

    def line(self):
        kind, entry = self.kind(), self.first.entry
        pages = (self.end - self.start) // pt.level_span(1)
        if kind in (pt.PRESENT, pt.PROT_NONE):
            frames = self.frames()
            flags = pt.flags_string(entry)
            if kind == pt.PRESENT:
                what = "present " + flags
            else:
                what = "PROT_NONE (frame kept)" + ("" if flags == "-" else ", bits " + flags)
            if self.first.level > 1:
                what += " (%s pages)" % size_words(self.first.span())
        elif kind == pt.SWAPPED:
            frames, what = self.slots(), "swapped out"
        elif kind == SHARED_OUT:
            frames, what = self.slots(), "swapped out (shared memory: its object's slots)"
        elif kind == SHARED_LOST:
            frames = "-"
            what = "lost (shared memory: swapoff could not read it back; a touch gives SIGBUS)"
        else:
            frames = "-"
            what = "not present: never touched" if kind == pt.UNTOUCHED else pt.describe_entry(entry)
        return "0x%016x-0x%016x %7d  0x%016x  %-19s %s" % (self.start, self.end, pages, entry,
                                                          frames, what)


class Ptes(VmCommand):
    """The leaf page-table entries of a range: ptes START END [PID]

One line per run of entries of one kind (the same flags, frames consecutive going up
or down, swap entries whose slots follow each other, or all never touched): the
addresses, how many 4 KiB pages, the first entry's value, the frames (or slots),
the kind and flags. Pages of shared anonymous memory that are out have empty
entries and their slots in their object's slot map: they run as "swapped out
(shared memory)" with those slots, or "lost". START and END are gdb expressions (rounded out to
pages). Missing tables are skipped whole, so even all of user space is cheap. With
PID, that process's tables (user addresses only); otherwise CR3's."""

    name = "ptes"

    def run(self, argv):
        if not 2 <= len(argv) <= 3:
            raise usage("ptes START END [PID]")
        page = kernel_state.page_size()
        start = number(argv[0], "START") & ~(page - 1)
        end = number(argv[1], "END")
        end = min((end + page - 1) & ~(page - 1), 1 << 64) if end else 0
        if end <= start:
            raise gdb.GdbError("END 0x%x is not above START 0x%x" % (end, start))
        if pt.is_kernel_address(end - 1) and not pt.is_kernel_address(start):
            raise gdb.GdbError("0x%x-0x%x crosses the non-canonical hole between user and kernel "
                               "space: ask for each half" % (start, end))
        root, owner, space = root_for(pid_argument(argv, 2), [start, end - 1])
        gdb.write("entries of 0x%x-0x%x (tables of %s, PML4 at 0x%x)\n" % (start, end, owner, root))
        user = space is not None and not pt.is_kernel_address(start)
        self.print_runs(root, start, end, shm_state.states_in(space, start, end) if user else {})

    def print_runs(self, root, start, end, shared):
        reader, stopped = pt.TableReader(), []
        leaves = until_table_limit(pt.leaves(root, start, end, reader), stopped)
        for lines, run in enumerate(runs(with_shared_pages(leaves, shared), start, end), 1):
            gdb.write(run.line() + "\n")
            if lines >= MAX_LINES:
                gdb.write("... stopped after %d lines: ask for a smaller range\n" % lines)
                return
        if stopped:
            gdb.write("... stopped after reading %d page tables: ask for a smaller range\n"
                      % stopped[0])


def until_table_limit(leaves, stopped):
    """The leaves, up to the TableReader's limit: then they end, and stopped gets
    the limit."""
    try:
        yield from leaves
    except pt.TableLimit as limit:
        stopped.append(limit.limit)


def runs(leaves, start, end):
    """The leaves cut to [start, end), gathered into runs (Run), in address order."""
    run = None
    for leaf in leaves:
        low, high = max(leaf.va, start), min(leaf.va + leaf.span(), end)
        if high <= low:
            continue  # a piece of an empty leaf outside the range
        if run is not None and run.takes(leaf):
            run.add(leaf, high)
            continue
        if run is not None:
            yield run
        run = Run(leaf, low)
        run.add(leaf, high)
    if run is not None:
        yield run


Pagewalk()
Ptes()
