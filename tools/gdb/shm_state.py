"""Shared anonymous memory's pages that are out of memory, read from gdb.

A MAP_SHARED|MAP_ANONYMOUS region maps an object (mm/object.c's struct
shm_object). When reclaim writes one of its pages to swap (mm/shm_swap.c), every
entry mapping the page is cleared -- the page is the object's, not an entry's --
and the object records the slot by page index in its slot map: a top array of
leaves, each 1024 32-bit slot numbers (SLOTS_PER_LEAF, a page of them), where
SWAP_NO_SLOT (0) means no slot and SHM_LOST marks a page swapoff could not read
back. So an empty entry of such a region may stand for a page out in slot N, or
a lost one, as a swap entry or a lost mark does for private memory (mm/pte.h).
This module finds them; pagetables_commands, faultinfo and swapinfo show them.
"""

import struct

import gdb

import kernel_headers
import kernel_state

OUT = "out"    # the object's page is in a swap slot
LOST = "lost"  # swapoff could not read its slot: SHM_LOST

MAX_LEAVES = 4096  # leaves of one object read for one command (4 M pages)


def no_slot():
    return kernel_headers.define("mm/swap_slots.h", "SWAP_NO_SLOT")


def lost_mark():
    return kernel_headers.define("mm/object.c", "SHM_LOST")


def slots_per_leaf():
    """mm/object.c's SLOTS_PER_LEAF: a page of 32-bit slot numbers."""
    return kernel_state.page_size() // 4


def is_shared_anonymous(vma):
    """Does the region map shared anonymous memory (an object with a slot map)?"""
    o = vma["object"]
    return int(o) != 0 and int(o["ops"]["slot_of"]) != 0


def page_index(vma, va):
    """The object's page index at va (mm/fault.c's object_index)."""
    return int(vma["pgoff"]) + ((va - int(vma["start"])) >> kernel_state.page_shift())


def classify(recorded):
    """What a slot-map entry says: (OUT, slot), (LOST, None), or None (nothing
    recorded: the page never went out, or came back)."""
    if recorded == no_slot():
        return None
    if recorded == lost_mark():
        return LOST, None
    return OUT, recorded


def words(state, index):
    """The state of page index of a shared object in words, as describe_entry says a
    private page's: "swapped out to slot 7 (shared memory: page 3 of its object)"."""
    kind, slot = state
    if kind == OUT:
        return "swapped out to slot %d (shared memory: page %d of its object)" % (slot, index)
    return ("lost: swapoff could not read it back from swap (shared memory: page %d of its "
            "object; a touch gives SIGBUS)" % index)


class SlotMap:
    """One object's slot map, its leaves read once each (a page at a time)."""

    def __init__(self, object_pointer):
        self.shm = object_pointer.cast(gdb.lookup_type("struct shm_object").pointer())
        self.leaf_count = int(self.shm["leaf_count"])
        self.leaves = {}

    def leaf(self, number):
        """The slot numbers of leaf number, or None if it was never made."""
        if number not in self.leaves:
            if number >= self.leaf_count or len(self.leaves) >= MAX_LEAVES:
                return None
            address = int(self.shm["leaves"][number])
            if address == 0:
                self.leaves[number] = None
            else:
                raw = bytes(gdb.selected_inferior().read_memory(address, 4 * slots_per_leaf()))
                self.leaves[number] = struct.unpack("<%dI" % slots_per_leaf(), raw)
        return self.leaves[number]

    def recorded(self, index):
        leaf = self.leaf(index // slots_per_leaf())
        return leaf[index % slots_per_leaf()] if leaf is not None else no_slot()

    def swapped_slots(self):
        """Every (index, slot number) the map holds, lost marks left out."""
        found = []
        for number in range(min(self.leaf_count, MAX_LEAVES)):
            leaf = self.leaf(number)
            for i, recorded in enumerate(leaf or ()):
                if recorded not in (no_slot(), lost_mark()):
                    found.append((number * slots_per_leaf() + i, recorded))
        return found


def state_at(vma, va):
    """(OUT, slot), (LOST, None) or None for the page at va of a region."""
    if not is_shared_anonymous(vma):
        return None
    return classify(SlotMap(vma["object"]).recorded(page_index(vma, va)))


def states_in(space, start, end):
    """{va: state} of every page in [start, end) of space's shared anonymous
    regions that is out or lost, reading only the leaves the range covers."""
    found = {}
    page = kernel_state.page_size()
    vma = kernel_state.region_after(space, start)
    while vma is not None and int(vma["start"]) < end:
        if is_shared_anonymous(vma):
            found.update(region_states(vma, max(start, int(vma["start"])),
                                       min(end, int(vma["end"])), page))
        vma = kernel_state.region_after(space, int(vma["end"]))
    return found


def region_states(vma, low, high, page):
    """states_in for one region's part [low, high): a leaf never made (no page of
    its 1024 went out) is skipped whole."""
    found, slot_map, va = {}, SlotMap(vma["object"]), low
    while va < high:
        index = page_index(vma, va)
        if slot_map.leaf(index // slots_per_leaf()) is None:
            va += (slots_per_leaf() - index % slots_per_leaf()) * page
            continue
        state = classify(slot_map.recorded(index))
        if state is not None:
            found[va] = state
        va += page
    return found


def objects(most=MAX_LEAVES):
    """Every shared anonymous object (mm/object.c's list all_shm), at most `most`."""
    found, shm = [], kernel_state.static_variable("all_shm", "mm/object.c")
    while int(shm) != 0 and len(found) < most:
        found.append(shm)
        shm = shm["next"]
    return found


def holders(slot):
    """[(object address, page index)] of every object whose slot map names slot:
    each is one of the slot's users, as a swap entry is (mm/check_swap.c counts
    both)."""
    found = []
    for shm in objects():
        object_pointer = shm["object"].address
        for index, recorded in SlotMap(object_pointer).swapped_slots():
            if recorded == slot:
                found.append((int(object_pointer), index))
    return found


def mappers(object_address, index, spaces):
    """[(processes, va)] of the regions that map page index of the object, over
    spaces ([(struct addr_space, processes)], kernel_state.address_spaces())."""
    found = []
    shift = kernel_state.page_shift()
    for space, procs in spaces:
        for vma in kernel_state.regions(space):
            if int(vma["object"]) != object_address:
                continue
            first, pages = int(vma["pgoff"]), (int(vma["end"]) - int(vma["start"])) >> shift
            if first <= index < first + pages:
                found.append((procs, int(vma["start"]) + ((index - first) << shift)))
    return found
