"""Reading reclaim's state from gdb: reverse maps, resident sets, swap slots.

What mm/ keeps for swapping, read through the debug information:
  the reverse map     struct page's anon.maps: one (page-table root, address) record
                      per entry mapping an anonymous frame (mm/anon_rmap.h)
  resident sets       the pages reclaim may take, in a circle linked by frame numbers
                      (lru_prev/lru_next) with a hand (mm/resident.h): the machine's
                      resident_global, or a process's local set (vmlab_resident_limit,
                      mm/resident_limit.h, in its address space)
  the swap area       mm/swap_slots.c's static `area`: per slot, the entries naming it
                      (users) and the frame caching its page (cached: the swap cache)
Every list is read with a bound, so a corrupted list cannot make a command loop.
"""

import struct

import gdb

import kernel_headers
import kernel_state
import pagetables as pt

SWAP_SLOTS_H = "mm/swap_slots.h"
MAX_RECORDS = 4096  # reverse-map records read for one frame


# ---- who a page-table root belongs to ----


def pids_words(procs):
    """"pid 1 (swaptour)", or "pids 1, 3 (sh)" for a space a vfork child borrows."""
    pids = ", ".join("%d" % int(p["pid"]) for p in procs)
    plural = "s" if len(procs) > 1 else ""
    return "pid%s %s (%s)" % (plural, pids, kernel_state.process_name(procs[0]))


class Roots:
    """PML4 address -> (address space, processes), for naming reverse-map records."""

    def __init__(self):
        self.spaces = {int(space["root"]): (space, procs)
                       for space, procs in kernel_state.address_spaces()}

    def owner(self, root):
        """Who uses the tables at root: "pid 1 (swaptour)", or what they are if no
        process does (an address space being torn down)."""
        if root in self.spaces:
            return pids_words(self.spaces[root][1])
        return "the tables at 0x%x (no live process's)" % root

    def space(self, root):
        return self.spaces[root][0] if root in self.spaces else None


# ---- anonymous frames and their reverse map ----


def is_anonymous(pfn, page):
    """anon_page_of's test: an anonymous user frame (in use, for user memory, not a
    page-cache frame, not the zero page) keeps the `anon` half of struct page."""
    return (int(page["state"]) == kernel_headers.enum_value("PAGE_IN_USE")
            and int(page["use"]) == kernel_headers.enum_value("FRAME_USER")
            and int(page["object"]) == 0
            and pfn << kernel_state.page_shift() != kernel_state.zero_page_frame())


def rmap_records(page):
    """The frame's reverse map: [(root, va)], newest first as the list keeps them."""
    records, node = [], page["anon"]["maps"]
    while int(node) != 0 and len(records) < MAX_RECORDS:
        records.append((int(node["root"]), int(node["va"])))
        node = node["next"]
    return records


def record_entry(root, va, reader=None):
    """The leaf entry a record names (0 if its tables are gone)."""
    return pt.leaf_entry(root, va, reader)[0]


def accessed(records, reader=None):
    """The page's reference bit as the policies see it (replace_test_and_clear_used):
    the A bit of any entry mapping it."""
    return any(record_entry(root, va, reader) & pt.pte("PTE_ACCESSED") for root, va in records)


def locked_region(records, roots):
    """The first locked region (VMA_LOCKED: mlock, MAP_LOCKED) mapping the page, as
    (owner words, struct vma *), or None: reclaim asks the same (mm_is_locked)."""
    flag = kernel_headers.define("mm/vma.h", "VMA_LOCKED")
    for root, va in records:
        space = roots.space(root)
        if space is None:
            continue
        vma = kernel_state.region_containing(space, va)
        if vma is not None and int(vma["flags"]) & flag:
            return roots.owner(root), vma
    return None


def flag_words(page, anonymous):
    """struct page's flags by name: the swap flags of an anonymous frame (mm/swap_slots.h),
    the page cache's of a cached page (mm/page_cache.h), and mm/pmm.h's of any frame."""
    flags = int(page["flags"])
    header, prefix = (SWAP_SLOTS_H, "PG_SWAP_") if anonymous else ("mm/page_cache.h", "PG_")
    known = {name: value for name, value in kernel_headers.header_constants(header).items()
             if name.startswith(prefix)}
    known.update((name, value) for name, value in kernel_headers.header_constants("mm/pmm.h").items()
                 if name.startswith("PG_"))  # any frame's: PG_REFERENCED
    return " ".join(name for name, value in sorted(known.items(), key=lambda item: item[1])
                    if flags & value)


# ---- resident sets ----


def global_set():
    return gdb.parse_and_eval("resident_global")


def set_words(set_address, roots):
    """Which set the pointer names: the machine's, or a process's local one."""
    if set_address == int(global_set().address):
        return "the machine's resident set (resident_global)"
    for space, procs in roots.spaces.values():
        limit = space["resident_limit"]
        if int(limit) != 0 and int(limit["set"].address) == set_address:
            return "the local set of %s (vmlab_resident_limit 0x%x-0x%x)" % (
                pids_words(procs), int(limit["start"]), int(limit["end"]))
    return "the resident set at 0x%x (no live process's)" % set_address


def local_limit(pid):
    """Process pid's struct resident_limit; a clear error if it has none."""
    proc = kernel_state.process_by_pid(pid)
    limit = kernel_state.address_space(proc)["resident_limit"]
    if int(limit) == 0:
        raise gdb.GdbError("%s has no local resident set (vmlab_resident_limit was not called)"
                           % kernel_state.describe_process(proc))
    return limit


def circle(resident_set, most):
    """The frame numbers of a set from its hand on, following lru_next: at most `most`
    and never more than the set's count."""
    pages = kernel_state.page_count()
    pfn, found = int(resident_set["hand"]), []
    limit = min(most, int(resident_set["count"]))
    while pfn != 0 and len(found) < limit and pfn < pages:
        found.append(pfn)
        pfn = int(kernel_state.page_record(pfn)["lru_next"])
    return found


def position_on_set(pfn, resident_set):
    """How many steps from the hand pfn is on its set (0: at the hand), or None."""
    for at, other in enumerate(circle(resident_set, int(resident_set["count"]))):
        if other == pfn:
            return at
    return None


def policy_name():
    """The policy in force (mm/replace.c's in_force)."""
    return kernel_state.static_variable("in_force", "mm/replace.c")["name"].string()


def policy_names():
    policies = kernel_state.static_variable("policies", "mm/replace.c")
    count = policies.type.range()[1] + 1
    return [policies[i]["name"].string() for i in range(count)]


def wsclock_tau_ms():
    return int(kernel_state.static_variable("wsclock_tau_ms", "mm/replace.c"))


# ---- the swap area ----


def area():
    """mm/swap_slots.c's area: the swap area and its counters."""
    return kernel_state.static_variable("area", "mm/swap_slots.c")


def require_area():
    swap = area()
    if not bool(swap["active"]):
        raise gdb.GdbError("no swap area is active (swapon, or boot with swap=vdX: make run "
                           "SWAP=16M)")
    return swap


def slot_bad():
    """The users of a slot never handed out (the header, bad pages, failed writes)."""
    return kernel_headers.define("mm/swap_slots.c", "SLOT_BAD")


def slot_table(swap):
    """[(users, cached pfn)] of every slot, read in one piece: struct slot is two
    32-bit words (mm/swap_slots.c)."""
    slot_type = gdb.lookup_type("struct slot")
    if slot_type.sizeof != 8:
        raise gdb.GdbError("struct slot is %d bytes, tools/gdb reads 8 (users, cached)"
                           % slot_type.sizeof)
    count = int(swap["pages"])
    raw = bytes(gdb.selected_inferior().read_memory(int(swap["slots"]), 8 * count))
    return list(struct.iter_unpack("<II", raw))


def entries_naming(slot, roots):
    """Every user entry that names slot, over all address spaces, as mm/check_swap.c
    counts them: [(owner words, va, entry)]."""
    found = []
    for root in sorted(roots.spaces, key=lambda r: int(roots.spaces[r][1][0]["pid"])):
        reader = pt.TableReader(8192)
        for va, entry in pt.user_swap_entries(root, reader):
            if pt.swap_slot(entry) == slot:
                found.append((roots.owner(root), va, entry))
    return found


# ---- the page cache's lists (mm/page_cache.c) ----


def cache_list(object_pointer):
    """The list a cached page of this object is on, and its name: `kept` for the
    pages of objects that keep them (shared anonymous memory), else `lru`."""
    if bool(object_pointer["ops"]["keep_pages"]):
        return gdb.parse_and_eval("cache_kept"), "kept"  # shared with mm/shm_swap.c
    return gdb.parse_and_eval("cache_lru"), "lru"  # shared with mm/page_cache_writeback.c


def cache_list_position(pfn, page_list, most=1 << 20):
    """(steps from the oldest page of the list to pfn or None, pages counted)."""
    page_type = gdb.lookup_type("struct page").pointer()
    base = int(gdb.parse_and_eval("(unsigned long)pmm_pages"))
    size = gdb.lookup_type("struct page").sizeof
    oldest = page_list["oldest"]
    at = (int(oldest) - base) // size if int(oldest) != 0 else 0
    found, count = None, 0
    while at != 0 and count < most:
        if at == pfn:
            found = count
        count += 1
        at = int(gdb.Value(base + at * size).cast(page_type)["lru_next"])
    return found, count

