#!/usr/bin/env bash
# gdb-decode.sh — tools/gdb's decoding of page-table entries, without a boot: the
# kinds of mm/pte.h (present, never touched, PROT_NONE, swapped, lost) as
# pagetables.py names and describes them (bit 11, PTE_WS_USED, as "ws_used" in
# a present or a swap entry), and what faultinfo says the fault
# handler will do for each non-present kind. The gdb module is a stand-in (these
# functions read only mm/pte.h's constants); boot/gdb-vm.sh runs the commands in
# a real gdb. A lost page's mark (PTE_SWAP with slot 0) is the entry swapoff
# leaves when it cannot read a slot back (tests/boot/swap-core.sh makes one).
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
    "step: lost page (swapoff could not read it back): SIGBUS"
exit 0
