"""pageinfo: one physical frame's struct page, and who maps it."""

import gdb

import kernel_headers
import kernel_state
import pagetables as pt
import swap_state
from vm_command import VmCommand, number, usage

MAX_TABLES = 8192  # page tables read looking for mappings, over all processes
MAX_LISTED = 8     # mappings named on the line; the rest are counted


def enum_word(type_name, prefix, value):
    """An enumerator's name in plain words: FRAME_PAGE_TABLE -> "page table"."""
    name = kernel_headers.enum_names(type_name).get(value)
    return name.replace(prefix, "").replace("_", " ").lower() if name else "%d?" % value


def owner_words(procs):
    return ", ".join("pid %d" % int(p["pid"]) for p in procs)


class Search:
    """Every user page-table entry and page table pointing at one frame, over all
    address spaces, reading at most MAX_TABLES tables in all."""

    def __init__(self, paddr):
        self.paddr, self.mappings, self.tables, self.complete = paddr, [], [], True
        reader = pt.TableReader(MAX_TABLES)
        try:
            for space, procs in kernel_state.address_spaces():
                self.search_space(space, procs, reader)
        except pt.TableLimit:
            self.complete = False

    def search_space(self, space, procs, reader):
        frames, tables = pt.user_leaves_holding_frames(int(space["root"]), reader)
        for va, entry in frames:
            if pt.frame(entry) == self.paddr:
                self.mappings.append((procs, va, entry))
        for table, level, va in tables:
            if table == self.paddr:
                self.tables.append((procs, level, va))


def reserved_reason(paddr):
    """Why a reserved frame is not the allocator's, where that is cheap to tell."""
    image_start = int(gdb.parse_and_eval("(unsigned long)&__kernel_phys_start"))
    image_end = int(gdb.parse_and_eval("(unsigned long)&__kernel_phys_end"))
    array_start = int(gdb.parse_and_eval("(unsigned long)pmm_pages")) - kernel_state.direct_map_base()
    array_end = array_start + kernel_state.page_count() * gdb.lookup_type("struct page").sizeof
    if paddr < 1 << 20:
        return "the first MiB (BIOS data, video memory, firmware)"
    if image_start <= paddr < image_end:
        return "the kernel image"
    if array_start <= paddr < array_end:
        return "the page array (pmm_pages)"
    return "a hole, firmware, the boot information or a boot module"


def table_words(procs, level, va):
    names = pt.level_names()
    if level == pt.top_level():
        return "the %s of %s" % (names[level], owner_words(procs))
    return "a %s of %s, for 0x%x-0x%x" % (names[level], owner_words(procs), va,
                                          va + pt.level_span(level + 1))


def mapping_words(procs, va, entry):
    kind = "" if pt.present(entry) else "PROT_NONE "
    return "%s at 0x%x (%s%s)" % (owner_words(procs), va, kind, pt.flags_string(entry))


class Pageinfo(VmCommand):
    """A physical frame's struct page and who maps it: pageinfo PFN|PADDR

The argument (any gdb expression) is a frame number if it is below the number of
frames with a struct page (pmm_page_count), otherwise a physical address in the
frame. Prints the state (reserved, free, in use), the use (kernel, page table,
user), the reference count and flags of mm/pmm.h's struct page, whether it is the
shared zero page, and every user page-table entry pointing at it ("mapped by
pid 1 at 0x..., pid 2 at 0x...") or the page table it is, found by walking every
process's tables (at most 8192 tables).
For an anonymous frame, what reclaim keeps in struct page's anon: its reverse map
(one record per entry mapping it, mm/anon_rmap.c), the resident set it is on and
how far from the hand, its reference (A) bit, aging's byte and WSClock's last use,
the swap slot whose page it caches (the swap cache) and whether a locked region
(mlock, MAP_LOCKED) maps it. For a page-cache frame, whose page it holds and its
place on the cache's list (lru: droppable, oldest first; kept: shared anonymous)."""

    name = "pageinfo"

    def run(self, argv):
        if len(argv) != 1:
            raise usage("pageinfo PFN|PADDR")
        value = number(argv[0], "PFN|PADDR")
        shift = kernel_state.page_shift()
        count = kernel_state.page_count()
        pfn = value if value < count else value >> shift
        if pfn >= count:
            raise gdb.GdbError("0x%x is neither a frame number (below 0x%x) nor a physical address "
                               "with a struct page (below 0x%x)" % (value, count, count << shift))
        page = kernel_state.page_record(pfn)
        paddr = pfn << shift
        state = int(page["state"])
        gdb.write("frame 0x%x (physical 0x%x): %s\n" % (pfn, paddr, self.record_words(page)))
        if paddr == kernel_state.zero_page_frame():
            gdb.write("  the shared zero page (zero_frame, mm/fault.c): untouched pages that are "
                      "read map it, read-only\n")
        if state == kernel_headers.enum_value("PAGE_RESERVED"):
            gdb.write("  reserved: %s\n" % reserved_reason(paddr))
        elif state == kernel_headers.enum_value("PAGE_IN_USE"):
            anonymous = swap_state.is_anonymous(pfn, page)
            self.print_users(paddr, int(page["refcount"]), anonymous)
            if anonymous:
                print_anonymous(pfn, page)
            elif int(page["object"]) != 0:
                print_cached(pfn, page)

    def record_words(self, page):
        state = int(page["state"])
        words = enum_word("enum page_state", "PAGE_", state)
        if state == kernel_headers.enum_value("PAGE_IN_USE"):
            words += ", use %s, refcount %d" % (enum_word("enum frame_use", "FRAME_", int(page["use"])),
                                               int(page["refcount"]))
        words += ", flags 0x%x" % int(page["flags"])
        names = swap_state.flag_words(page, int(page["object"]) == 0)
        return words + (" (%s)" % names if names and int(page["flags"]) else "")

    def print_users(self, paddr, refcount, anonymous):
        found = Search(paddr)
        for procs, level, va in found.tables:
            gdb.write("  page table: %s\n" % table_words(procs, level, va))
        if found.mappings:
            listed = [mapping_words(*m) for m in found.mappings[:MAX_LISTED]]
            more = len(found.mappings) - len(listed)
            gdb.write("  mapped by %s%s\n" % (", ".join(listed), " and %d more" % more if more else ""))
        elif anonymous:
            gdb.write("  no user page table maps it (user memory nobody maps: a page the swap "
                      "cache holds, read ahead or left by its last mapping)\n")
        elif not found.tables:
            gdb.write("  no user page table maps it (kernel memory: heap, stacks, objects)\n")
        if not found.complete:
            gdb.write("  (the search stopped after %d page tables: there may be more)\n" % MAX_TABLES)
        elif found.mappings and len(found.mappings) != refcount:
            gdb.write("  %d mappings for refcount %d: the kernel holds the other references "
                      "(a MAP_SHARED object, the swap cache, the zero page's own)\n"
                      % (len(found.mappings), refcount))


# ---- what reclaim keeps for an anonymous frame ----


def print_anonymous(pfn, page):
    """The anon half of struct page: the reverse map, the resident set with the
    policy's state, the swap-cache slot, and whether a lock keeps it in memory."""
    roots = swap_state.Roots()
    records = swap_state.rmap_records(page)
    listed = ["%s at 0x%x" % (roots.owner(root), va) for root, va in records[:MAX_LISTED]]
    more = len(records) - len(listed)
    gdb.write("  reverse map (anon.maps, mm/anon_rmap.c): %d record%s%s%s\n" % (
        len(records), "" if len(records) == 1 else "s", ": " if listed else " (nothing maps it)",
        ", ".join(listed) + (" and %d more" % more if more else "")))
    gdb.write("  resident set: %s\n" % resident_words(pfn, page, records, roots))
    gdb.write("  swap cache: %s\n" % swap_cache_words(page))
    lock = swap_state.locked_region(records, roots)
    if lock is None:
        gdb.write("  locked: no (no region mapping it is VMA_LOCKED)\n")
    else:
        owner, vma = lock
        gdb.write("  locked: yes, %s's region 0x%x-0x%x is VMA_LOCKED (mlock, MAP_LOCKED): "
                  "reclaim passes it over\n" % (owner, int(vma["start"]), int(vma["end"])))


def print_cached(pfn, page):
    """A page-cache frame: whose page it holds and where it is on the cache's list,
    which reclaim reads from the oldest end (mm/page_cache_writeback.c)."""
    obj = page["object"]
    page_list, name = swap_state.cache_list(obj)
    at, count = swap_state.cache_list_position(pfn, page_list)
    where = ("%d from the oldest of %d" % (at, count)) if at is not None else \
        "not on it (a broken list?)"
    gdb.write("  page cache: page %d of a %s object (0x%x); on the list %s, %s\n" % (
        int(page["index"]), obj["ops"]["kind"].string(), int(obj), name, where))


def resident_words(pfn, page, records, roots):
    """Which set the frame is on, where from the hand, and what the policies keep:
    the reference (A) bit of its entries, aging's byte, WSClock's last use."""
    anon = page["anon"]
    set_pointer = anon["set"]
    if int(set_pointer) == 0:
        return "none (nothing maps it: reclaim does not look at it)"
    at = swap_state.position_on_set(pfn, set_pointer.dereference())
    where = ("at the hand" if at == 0 else "%d from the hand" % at) if at is not None else \
        "not found going round from the hand (a broken circle?)"
    return "%s, %d pages, this one %s; referenced (A) %d, age 0b%s, last use %d ms" % (
        swap_state.set_words(int(set_pointer), roots), int(set_pointer["count"]), where,
        swap_state.accessed(records), format(int(anon["age"]), "08b"), int(anon["last_use"]))


def swap_cache_words(page):
    """The slot whose page the frame holds (the swap cache), with that slot's users."""
    slot = int(page["anon"]["swap_slot"])
    if slot == 0:
        return "no"
    swap = swap_state.area()
    if not bool(swap["active"]) or slot >= int(swap["pages"]):
        return "slot %d (outside the active area: a broken record?)" % slot
    users = int(swap["slots"][slot]["users"])
    return "slot %d, which %d entr%s name%s (swapinfo %d)" % (
        slot, users, "y" if users == 1 else "ies", "s" if users == 1 else "", slot)


Pageinfo()
