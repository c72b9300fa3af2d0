"""Page tables as the CPU reads them: walking, and decoding entries the way
mm/pte.h defines them.

A virtual address splits into four 9-bit indices and a 12-bit offset (mm/pte.h):

   47      39 38      30 29      21 20      12 11         0
  +----------+----------+----------+----------+------------+
  |PML4 index|PDPT index| PD index | PT index |   offset   |
  +----------+----------+----------+----------+------------+

Tables are read through the direct map (kernel_state.read_physical), a whole
table (512 entries) at a time, so a walk costs one read per level.

An entry is one of the kinds DESIGN.md lists and mm/pte.h names:
  present      P set: the frame and the rights the CPU uses
  untouched    0: never touched; the first access faults and the handler fills it
  PROT_NONE    P clear, PTE_PROTNONE set: the page keeps its frame out of reach
  swapped      P clear, PTE_SWAP set: the page is in swap slot N (N where the frame
               number would be); the next access faults and reads it back
  lost         PTE_SWAP with slot 0 (PTE_SWAP_LOST_SLOT, the header's: never a
               page's): swapoff could not read the page back; an access gives SIGBUS
  unknown      any other non-present value (a kernel bug)
"""

import struct

import gdb

import kernel_headers
import kernel_state

PTE_H = "mm/pte.h"

PRESENT = "present"
UNTOUCHED = "untouched"
PROT_NONE = "PROT_NONE"
SWAPPED = "swapped"
LOST = "lost"
UNKNOWN = "unknown"


def pte(name):
    """A constant of mm/pte.h (PTE_PRESENT, PTE_FRAME_MASK, PT_ENTRIES, ...)."""
    return kernel_headers.define(PTE_H, name)


# ---- levels and indices ----


def level_names():
    """{4: "PML4", 3: "PDPT", 2: "PD", 1: "PT"}, from enum pt_level."""
    return {value: name.replace("PT_LEVEL_", "")
            for value, name in kernel_headers.enum_names("enum pt_level").items()}


def top_level():
    return max(level_names())


def index_bits():
    return pte("PT_ENTRIES").bit_length() - 1  # 512 entries: 9 bits


def level_shift(level):
    return kernel_state.page_shift() + index_bits() * (level - 1)


def level_span(level):
    """Bytes one entry maps at this level: 4 KiB, 2 MiB, 1 GiB, 512 GiB."""
    return 1 << level_shift(level)


def index(va, level):
    return (va >> level_shift(level)) & (pte("PT_ENTRIES") - 1)


def virtual_bits():
    return level_shift(top_level()) + index_bits()  # 48


def canonical(va):
    """Bits 63..47 all equal: the only addresses a page table can map."""
    upper = va >> (virtual_bits() - 1)
    return upper == 0 or upper == (1 << (64 - virtual_bits() + 1)) - 1


def sign_extend(va):
    """The canonical form of a 48-bit address (bit 47 copied upward)."""
    if va & (1 << (virtual_bits() - 1)):
        return va | (((1 << 64) - 1) ^ ((1 << virtual_bits()) - 1))
    return va


def user_space_end():
    return kernel_headers.define("mm/layout.h", "USER_SPACE_END")


def is_kernel_address(va):
    return va >= user_space_end()


# ---- entries ----


def present(entry):
    return bool(entry & pte("PTE_PRESENT"))


def huge(entry):
    return bool(entry & pte("PTE_HUGE"))


def frame(entry):
    return entry & pte("PTE_FRAME_MASK")


def entry_flags(entry):
    return entry & ~pte("PTE_FRAME_MASK") & ((1 << 64) - 1)


def entry_kind(entry):
    """present, untouched, PROT_NONE, swapped, lost or unknown (see the module's
    docstring); mirrors pte_present, pte_holds_frame, pte_is_swap and pte_is_lost
    of mm/pte.h."""
    if present(entry):
        return PRESENT
    if entry & pte("PTE_PROTNONE"):
        return PROT_NONE
    if entry == 0:
        return UNTOUCHED
    if entry == pte("PTE_SWAP") | (pte("PTE_SWAP_LOST_SLOT") << 12):
        return LOST
    if entry & pte("PTE_SWAP"):
        return SWAPPED
    return UNKNOWN


def swap_slot(entry):
    """The slot a swap entry names (pte_swap_slot)."""
    return frame(entry) >> 12


def flags_string(entry):
    """The rights and status bits in the kernel's own words (pte_flags_string in
    mm/pt.c): "P W U NX A D", "-" first when not present; "ws_used" names the
    software bit PTE_WS_USED (a use in this working-set window whose A bit a
    policy took: mm/workingset.h)."""
    words = ["P" if present(entry) else "-"]
    for name, word in (("PTE_WRITABLE", "W"), ("PTE_USER", "U")):
        if entry & pte(name):
            words.append(word)
    if entry & pte("PTE_NX"):
        words.append("NX")
    for name, word in (("PTE_ACCESSED", "A"), ("PTE_DIRTY", "D"), ("PTE_GLOBAL", "G"),
                       ("PTE_HUGE", "PS"), ("PTE_WS_USED", "ws_used")):
        if entry & pte(name):
            words.append(word)
    return " ".join(words)


def describe_entry(entry):
    """What a leaf entry means, in words: "frame 0x2345000, flags P U NX A",
    "PROT_NONE, still holding frame 0x2345000", "not present: never touched"."""
    kind = entry_kind(entry)
    if kind == PRESENT:
        return "frame 0x%x, flags %s" % (frame(entry), flags_string(entry))
    if kind == PROT_NONE:
        return "PROT_NONE, still holding frame 0x%x (frame %d)" % (frame(entry),
                                                                   frame(entry) >> 12)
    if kind == UNTOUCHED:
        return "not present: never touched"
    if kind == SWAPPED:
        used = " (ws_used)" if entry & pte("PTE_WS_USED") else ""  # used in this window
        return "swapped out to slot %d%s" % (swap_slot(entry), used)
    if kind == LOST:
        return "lost: swapoff could not read it back from swap (a touch gives SIGBUS)"
    return "not present, entry 0x%x of no kind mm/pte.h names" % entry


# ---- reading tables ----


class TableReader:
    """Reads page tables (512 entries each) through the direct map, each at most
    once, and refuses to read more than limit of them: the cost of a command stays
    bounded however large the address space is."""

    def __init__(self, limit=4096):
        self.limit = limit
        self.tables = {}

    def read(self, table_paddr):
        if table_paddr not in self.tables:
            if len(self.tables) >= self.limit:
                raise TableLimit(self.limit)
            entries = pte("PT_ENTRIES")
            raw = kernel_state.read_physical(table_paddr, 8 * entries)
            self.tables[table_paddr] = struct.unpack("<%dQ" % entries, raw)
        return self.tables[table_paddr]


class TableLimit(Exception):
    """More page tables than a TableReader may read."""

    def __init__(self, limit):
        super().__init__("read %d page tables already" % limit)
        self.limit = limit


def cr3_root():
    """The PML4 the CPU is using: CR3 without its flag bits."""
    kernel_state.require_paging()
    return int(gdb.parse_and_eval("$cr3")) & pte("PTE_FRAME_MASK")


class Step:
    """One level of a walk: the table, the index into it and the entry found."""

    def __init__(self, level, table, index_, entry):
        self.level, self.table, self.index, self.entry = level, table, index_, entry

    def leaf(self):
        """True if the walk ends at this entry: not present, a large page, or a PT entry."""
        return self.level == 1 or not present(self.entry) or huge(self.entry)


def walk(root, va, reader=None):
    """The steps the CPU takes to translate va from the PML4 at root, down to the
    entry that ends the walk (a frame, a large page, or not present)."""
    reader = reader or TableReader()
    steps, table, level = [], root, top_level()
    while True:
        i = index(va, level)
        step = Step(level, table, i, reader.read(table)[i])
        steps.append(step)
        if step.leaf():
            return steps
        table, level = frame(step.entry), level - 1


def leaf_entry(root, va, reader=None):
    """The entry mapping the page of va (0 if a table on the way is missing) and
    its level."""
    last = walk(root, va, reader)[-1]
    return (last.entry if last.level == 1 or present(last.entry) else 0), last.level


# ---- every leaf of a range ----


class Leaf:
    """A leaf slot of a walk over a range: a PT entry, a large page, or an absent
    upper entry standing for its whole span (nothing below it was ever made)."""

    def __init__(self, va, level, entry, table):
        self.va, self.level, self.entry, self.table = va, level, entry, table

    def span(self):
        return level_span(self.level)


def leaves(root, start, end, reader):
    """Every leaf covering [start, end), in address order, skipping whole absent
    tables: the cost follows the tables that exist, not the size of the range."""
    return _visit(root, top_level(), 0, start, end, reader)


def _visit(table, level, base, start, end, reader):
    span = level_span(level)
    entries = reader.read(table)
    first = index(max(start, base), level) if start > base else 0
    for i in range(first, len(entries)):
        va = sign_extend(base + i * span)
        if va >= end:
            return
        entry = entries[i]
        if level == 1 or not present(entry) or huge(entry):
            yield Leaf(va, level, entry, table)
        else:
            yield from _visit(frame(entry), level - 1, va, start, end, reader)


def user_leaves_holding_frames(root, reader):
    """(va, entry) of every user leaf that holds a frame (present or PROT_NONE), and
    (table, level, va) of every page table below root: all of user space."""
    frames, tables = [], [(root, top_level(), 0)]
    _collect(root, top_level(), 0, reader, (PRESENT, PROT_NONE), frames, tables)
    return frames, tables


def user_swap_entries(root, reader):
    """(va, entry) of every swap entry of user space below root (what mm/as_walk.c's
    swap visitor sees: the pages of this address space that are in swap slots)."""
    entries = []
    _collect(root, top_level(), 0, reader, (SWAPPED,), entries, [])
    return entries


def _collect(table, level, base, reader, kinds, found, tables):
    entries = reader.read(table)
    count = len(entries) // 2 if level == top_level() else len(entries)  # user half only
    for i in range(count):
        entry = entries[i]
        va = base + i * level_span(level)
        if level == 1 or huge(entry) or not present(entry):
            if entry_kind(entry) in kinds:
                found.append((va, entry))
        else:
            tables.append((frame(entry), level - 1, va))
            _collect(frame(entry), level - 1, va, reader, kinds, found, tables)
