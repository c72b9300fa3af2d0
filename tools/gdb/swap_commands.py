"""swapinfo and resident: the swap area, its slots and the swap cache; a resident
set's circle as the replacement policy sees it."""

import gdb

import kernel_state
import pagetables as pt
import shm_state
import swap_state
from vm_command import VmCommand, number, pid_argument, usage

MAX_SLOTS_LISTED = 16  # slots in use swapinfo lists
MAX_MAPPERS = 2        # reverse-map records named on one line of resident
DEFAULT_PAGES = 16     # pages resident lists from the hand


def frame_words(pfn):
    return "frame 0x%x" % pfn if pfn else "-"


class Swapinfo(VmCommand):
    """The swap area at a glance, or one slot: swapinfo [SLOT]

Without SLOT: the area (mm/swap_slots.c's area): its slots (slot 0 is the header;
bad slots are never used), how many are in use (named by swap entries or caching a
frame), how many of them have their page in a frame (the swap cache), where the
next search for a free slot starts (the cursor: next fit), the pages swapped in and
out, then the first 16 slots in use: entries naming each (users) and the frame
caching its page.
With SLOT (any gdb expression): who uses that slot: every page-table entry naming it,
found by walking each address space's tables as mm/check_swap.c recounts them, or
the shared memory object whose page it holds (its slot map, mm/object.c) and who
maps that page, and the frame caching its page (pageinfo shows the frame)."""

    name = "swapinfo"

    def run(self, argv):
        if len(argv) > 1:
            raise usage("swapinfo [SLOT]")
        kernel_state.require_frame_allocator()
        swap = swap_state.require_area()
        if argv:
            self.one_slot(swap, number(argv[0], "SLOT"))
        else:
            self.summary(swap)

    def summary(self, swap):
        slots = swap_state.slot_table(swap)
        bad = sum(1 for users, _ in slots[1:] if users == swap_state.slot_bad())
        pages = int(swap["pages"])
        gdb.write("swap area: %d slots (%d KiB): slot 0 the header, %d bad, %d usable%s\n" % (
            pages, pages * kernel_state.page_size() // 1024, bad, int(swap["usable"]),
            "; swapoff under way" if bool(swap["disabling"]) else ""))
        gdb.write("  %d in use, %d of them in the swap cache; the next free slot is searched "
                  "from slot %d\n" % (int(swap["used"]), int(swap["cached"]), int(swap["cursor"])))
        gdb.write("  pages swapped in %d, out %d (pswpin, pswpout); read errors %d, write "
                  "errors %d\n" % (int(swap["pswpin"]), int(swap["pswpout"]),
                                   int(swap["read_errors"]), int(swap["write_errors"])))
        used = [(slot, users, cached) for slot, (users, cached) in enumerate(slots)
                if users != swap_state.slot_bad() and (users or cached)]
        if not used:
            gdb.write("  no slot in use\n")
            return
        gdb.write("   SLOT  USERS  CACHED IN\n")
        for slot, users, cached in used[:MAX_SLOTS_LISTED]:
            gdb.write("  %5d  %5d  %s\n" % (slot, users, frame_words(cached)))
        if len(used) > MAX_SLOTS_LISTED:
            gdb.write("  ... and %d more slots in use\n" % (len(used) - MAX_SLOTS_LISTED))

    def one_slot(self, swap, slot):
        pages = int(swap["pages"])
        if not 0 < slot < pages:
            raise gdb.GdbError("slot %d is not a page's slot (1..%d; slot 0 is the header)"
                               % (slot, pages - 1))
        users, cached = swap_state.slot_table(swap)[slot]
        if users == swap_state.slot_bad():
            gdb.write("slot %d: bad (never used: a bad page of the area, or a failed write)\n"
                      % slot)
            return
        if not users and not cached:
            gdb.write("slot %d: free\n" % slot)
            return
        cache = ("its page is in the swap cache, frame 0x%x (pageinfo 0x%x)" % (cached, cached)
                 if cached else "its page is only on the disk (not in the swap cache)")
        holders = shm_state.holders(slot)
        held = ("held by %d shared memory object%s and " % (len(holders), "" if len(holders) == 1
                                                              else "s") if holders else "")
        entries = users - len(holders)
        gdb.write("slot %d: %snamed by %d entr%s; %s\n" % (slot, held, entries,
                                                          "y" if entries == 1 else "ies", cache))
        for object_address, index in holders:
            gdb.write("  shared memory: page %d of the object at 0x%x, %s\n" % (
                index, object_address, mappers_words(object_address, index)))
        found = swap_state.entries_naming(slot, swap_state.Roots())
        for owner, va, entry in found:
            gdb.write("  %s at 0x%x (entry 0x%016x)\n" % (owner, va, entry))
        if len(found) + len(holders) != users:
            gdb.write("  %d entries and %d objects found for %d users: the count is wrong, or an "
                      "address space no process uses names it\n" % (len(found), len(holders),
                                                                     users))


def mappers_words(object_address, index):
    """Who maps page index of a shared object: "mapped by pid 1 (shmtour) at 0x..."."""
    found = shm_state.mappers(object_address, index, kernel_state.address_spaces())
    if not found:
        return "in no region now"
    return "mapped by " + ", ".join("%s at 0x%x" % (swap_state.pids_words(procs), va)
                                    for procs, va in found)


class Resident(VmCommand):
    """A resident set as the replacement policy sees it: resident [N [PID]]

The policy in force (clock at boot; replace=NAME, /proc/sys/vm/page_replacement),
then the machine's resident set (resident_global), or with PID that process's local
set (vmlab_resident_limit): its pages, its limit, and the first N pages (16 by
default) going round from the hand in the order the hand will visit them (the
oldest loaded first), each with its frame, its reference bit (A in any entry
mapping it), aging's history byte, WSClock's last use in ms, its swap-cache slot
and who maps it (the reverse map)."""

    name = "resident"

    def run(self, argv):
        if len(argv) > 2:
            raise usage("resident [N [PID]]")
        most = number(argv[0], "N") if argv else DEFAULT_PAGES
        pid = pid_argument(argv, 1)
        kernel_state.require_frame_allocator()
        limit = swap_state.local_limit(pid) if pid is not None else None
        gdb.write("policy %s (of %s); WSClock's tau %d ms\n" % (
            swap_state.policy_name(), ", ".join(swap_state.policy_names()),
            swap_state.wsclock_tau_ms()))
        roots = swap_state.Roots()
        if limit is None:
            resident_set = swap_state.global_set()
            gdb.write("%s: %d pages\n" % (swap_state.set_words(int(resident_set.address), roots),
                                          int(resident_set["count"])))
        else:
            resident_set = limit["set"]
            gdb.write("%s: %d pages, limit %d; %d pages brought in, %d evicted\n" % (
                swap_state.set_words(int(resident_set.address), roots), int(resident_set["count"]),
                int(resident_set["limit"]), int(limit["faults"]), int(limit["evictions"])))
        self.print_circle(resident_set, most, roots)

    def print_circle(self, resident_set, most, roots):
        pfns = swap_state.circle(resident_set, most)
        if not pfns:
            gdb.write("empty: the hand points at nothing\n")
            return
        gdb.write("hand at frame 0x%x; %d page%s from the hand:\n" % (
            pfns[0], len(pfns), "" if len(pfns) == 1 else "s"))
        gdb.write("     #  FRAME      A  AGE       LAST_USE  SLOT  MAPPED BY\n")
        reader = pt.TableReader(8192)
        for at, pfn in enumerate(pfns):
            page = kernel_state.page_record(pfn)
            anon = page["anon"]
            records = swap_state.rmap_records(page)
            mappers = ", ".join("%s at 0x%x" % (roots.owner(root), va)
                                for root, va in records[:MAX_MAPPERS])
            if len(records) > MAX_MAPPERS:
                mappers += " and %d more" % (len(records) - MAX_MAPPERS)
            slot = int(anon["swap_slot"])
            gdb.write("  %4d  %-9s  %d  %s  %8d  %4s  %s\n" % (
                at, "0x%x" % pfn, swap_state.accessed(records, reader),
                format(int(anon["age"]), "08b"), int(anon["last_use"]),
                "%d" % slot if slot else "-", mappers or "nobody (read ahead, in the swap cache)"))
        count = int(resident_set["count"])
        if count > len(pfns):
            gdb.write("  ... and %d more (resident N [PID] for more)\n" % (count - len(pfns)))


Swapinfo()
Resident()
