#!/usr/bin/env bash
# gdb-decode.sh — tools/gdb's decoding of page-table entries, without a boot: the
# kinds of mm/pte.h (present, never touched, PROT_NONE, swapped, lost) as
# pagetables.py names and describes them (bit 11, PTE_WS_USED, as "ws_used" in
# a present or a swap entry), and what faultinfo says the fault
# handler will do for each non-present kind. The gdb module is a stand-in (these
# functions read only mm/pte.h's constants); boot/gdb-vm.sh runs the commands in
# a real gdb. A lost page's mark (PTE_SWAP with slot 0) is the entry swapoff
# leaves when it cannot read a slot back (tests/boot/swap-core.sh makes one).
# Shared anonymous memory's pages out have empty entries and their slots (or
# SHM_LOST) in their object's slot map: shm_state's reading of a map entry, the
# ptes runs of an empty 2 MiB leaf with pages out and lost in it, and faultinfo's
# step for each (boot/gdb-vm.sh's shmtour session shows the pages out for real;
# a lost one needs a failed read at swapoff).
source "$(dirname "$0")/lib.sh"

selected gdb_decodes_every_entry_kind || exit 0
out=$logdir/gdb-decode.out
python3 - "$here/tools/gdb" >"$out" 2>&1 <<'PY'
import sys, types
gdb = types.ModuleType("gdb")
gdb.GdbError = RuntimeError
class Command:  # the commands' base class: never instantiated here
    def __init__(self, *args):
        pass
gdb.Command = Command
gdb.COMMAND_USER = gdb.COMMAND_DATA = gdb.COMMAND_STATUS = gdb.COMPLETE_NONE = 0
gdb.write = sys.stdout.write
sys.modules["gdb"] = gdb
sys.path.insert(0, sys.argv[1])
import pagetables as pt
import faultinfo_command as fi
swap, protnone, present = pt.pte("PTE_SWAP"), pt.pte("PTE_PROTNONE"), pt.pte("PTE_PRESENT")
used = pt.pte("PTE_WS_USED")
for name, entry in (("present", 0x1234000 | present | pt.pte("PTE_USER")),
                    ("present, used", 0x1234000 | present | pt.pte("PTE_USER") | used),
                    ("untouched", 0), ("PROT_NONE", 0x1234000 | protnone),
                    ("swapped", (500 << 12) | swap), ("swapped, used", (500 << 12) | swap | used),
                    ("lost", swap)):
    print("%s: %s: %s" % (name, pt.entry_kind(entry), pt.describe_entry(entry)))
vma = {"flags": 0, "object": 0}
for entry in ((500 << 12) | swap, swap):
    print("step: %s" % fi.page_step(vma, entry, "read"))
import shm_state
import pagetables_commands as ptc
lost = shm_state.lost_mark()
for recorded in (0, 9, lost):
    print("shm %#x: %s" % (recorded, shm_state.classify(recorded)))
print("shm words: %s" % shm_state.words(shm_state.classify(9), 3))
print("shm words: %s" % shm_state.words(shm_state.classify(lost), 5))
shared = {"flags": 0, "object": 1}
for state in (shm_state.classify(9), shm_state.classify(lost)):
    print("step: %s" % fi.page_step(shared, 0, "read", out=state))
# an empty PD entry (no PT: 2 MiB never touched) over 0x10000000: pages 3-4 out
# in slots 9-10, page 5 lost, page 6 out in slot 40; asked for pages 1-7
states = {0x10003000: shm_state.classify(9), 0x10004000: shm_state.classify(10),
          0x10005000: shm_state.classify(lost), 0x10006000: shm_state.classify(40)}
leaves = ptc.with_shared_pages([pt.Leaf(0x10000000, 2, 0, None)], states)
for run in ptc.runs(leaves, 0x10001000, 0x10008000):
    print(run.line())
PY
expect gdb_decodes_every_entry_kind "$out" 0 0 \
    "present: present: frame 0x1234000, flags P U" \
    "present, used: present: frame 0x1234000, flags P U ws_used" \
    "untouched: untouched: not present: never touched" \
    "PROT_NONE: PROT_NONE: PROT_NONE, still holding frame 0x1234000" \
    "swapped: swapped: swapped out to slot 500" \
    "swapped, used: swapped: swapped out to slot 500 (ws_used)" \
    "lost: lost: lost: swapoff could not read it back from swap (a touch gives SIGBUS)" \
    "step: swapped out to slot 500: from the swap cache, or read from the slot (swap_in)" \
    "step: lost page (swapoff could not read it back): SIGBUS" \
    "shm 0x0: None" "shm 0x9: ('out', 9)" "shm 0xffffffff: ('lost', None)" \
    "shm words: swapped out to slot 9 (shared memory: page 3 of its object)" \
    "shm words: lost: swapoff could not read it back from swap (shared memory: page 5 of its object; a touch gives SIGBUS)" \
    "step: shared memory's page, swapped out to slot 9: read back into the page cache and mapped as it is (map_object_page, read_from_slot)" \
    "step: lost page of shared memory (swapoff could not read it back): SIGBUS" \
    "0x0000000010001000-0x0000000010003000       2  0x0000000000000000  -                   not present: never touched" \
    "0x0000000010003000-0x0000000010005000       2  0x0000000000000000  slots 9-10          swapped out (shared memory: its object's slots)" \
    "0x0000000010005000-0x0000000010006000       1  0x0000000000000000  -                   lost (shared memory: swapoff could not read it back; a touch gives SIGBUS)" \
    "0x0000000010006000-0x0000000010007000       1  0x0000000000000000  slot 40             swapped out (shared memory: its object's slots)" \
    "0x0000000010007000-0x0000000010008000       1  0x0000000000000000  -                   not present: never touched"
exit 0
