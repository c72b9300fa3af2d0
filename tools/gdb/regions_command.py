"""vmas: a process's regions, like Linux's /proc/PID/maps."""

import gdb

import kernel_headers
import kernel_state
from vm_command import VmCommand, pid_argument, usage

VMA_H = "mm/vma.h"
MAX_LISTED = 1000  # regions vmas prints (a process may have up to 65530)


def rights(vma):
    """"rw-p": read, write, execute from the region's prot (VMA_READ, VMA_WRITE,
    VMA_EXEC), then p (private: copy-on-write across fork) or s (VMA_SHARED)."""
    prot, flags = int(vma["prot"]), int(vma["flags"])
    text = ""
    for name, letter in (("VMA_READ", "r"), ("VMA_WRITE", "w"), ("VMA_EXEC", "x")):
        text += letter if prot & kernel_headers.define(VMA_H, name) else "-"
    return text + ("s" if flags & kernel_headers.define(VMA_H, "VMA_SHARED") else "p")


def kind(space, vma):
    """What a region is, decided in this order:
      stack      VMA_GROWSDOWN (exec's stack region; faults below it grow it)
      shared     a MAP_SHARED anonymous mapping (its object's kind is "shared anonymous")
      program    below brk_start: a segment of the program (mapped from its file at exec)
      file       any other region mapping an object: a file, MAP_SHARED or MAP_PRIVATE
      heap       inside [brk_start, brk) of the address space (brk(), mm/brk.c)
      data+heap  the heap merged into the program's data below it (same rights)
      anon       anything else: an anonymous private mmap"""
    flags, start, end = int(vma["flags"]), int(vma["start"]), int(vma["end"])
    if flags & kernel_headers.define(VMA_H, "VMA_GROWSDOWN"):
        return "stack"
    brk_start, brk = int(space["brk_start"]), int(space["brk"])
    if int(vma["object"]) != 0:
        if vma["object"]["ops"]["kind"].string() == "shared anonymous":
            return "shared"
        return "program" if end <= brk_start else "file"
    if brk > brk_start and start < brk and end > brk_start:
        return "heap" if start >= brk_start else "data+heap"
    if end <= brk_start:
        return "program"
    return "anon"


def region_line(space, vma):
    start, end = int(vma["start"]), int(vma["end"])
    return "0x%016x-0x%016x %9d KiB  %s  %s" % (start, end, (end - start) // 1024, rights(vma),
                                               kind(space, vma))


class Vmas(VmCommand):
    """The regions of the current process, or of process PID: vmas [PID]

Like Linux's /proc/PID/maps: start-end, size, rights (r w x, then p private or s
shared) and kind: program (a segment of the ELF), heap (brk), data+heap (the heap
merged into the data segment), stack, shared (MAP_SHARED anonymous), file (a
mapping of a file), anon (private mmap).
The regions are read from the address space's AVL tree (mm/vma.h)."""

    name = "vmas"

    def run(self, argv):
        if len(argv) > 1:
            raise usage("vmas [PID]")
        proc = kernel_state.process_or_current(pid_argument(argv, 0))
        space = kernel_state.address_space(proc)
        count = kernel_state.region_count(space)
        gdb.write("%s: %d regions, brk 0x%x\n" % (kernel_state.describe_process(proc), count,
                                                   int(space["brk"])))
        for vma in kernel_state.regions(space, MAX_LISTED):
            gdb.write(region_line(space, vma) + "\n")
        if count > MAX_LISTED:
            gdb.write("... and %d more (vmas lists the first %d)\n" % (count - MAX_LISTED, MAX_LISTED))


Vmas()
