"""ps and memstat: the processes, and where the frames went."""

import gdb

import kernel_headers
import kernel_state
from vm_command import VmCommand, usage


MAX_REGIONS_SUMMED = 4096  # beyond this, reading every region would take minutes


def virtual_size_kib(proc):
    """The sum of the process's region sizes (Linux's VSZ) in KiB, as text: "0"
    without an address space, "?" with too many regions to read quickly."""
    space = proc["as"]
    if int(space) == 0:
        return "0"
    if kernel_state.region_count(space) > MAX_REGIONS_SUMMED:
        return "?"
    return "%d" % (sum(int(v["end"]) - int(v["start"]) for v in kernel_state.regions(space)) // 1024)


def resident_pages(proc):
    """Frames mapped (struct addr_space's rss; the zero page is not counted)."""
    return int(proc["as"]["rss"]) if int(proc["as"]) != 0 else 0


class Ps(VmCommand):
    """List the processes: ps

One line per process of the process table (kernel/proc.c): pid, parent's pid,
state, resident pages (RSS: frames mapped, the zero page not counted), virtual
size in KiB (VSZ: the sum of its regions; ? beyond 4096 regions) and name. * marks the current process."""

    name = "ps"

    def run(self, argv):
        if argv:
            raise usage("ps (no arguments)")
        current = kernel_state.current_process()
        gdb.write("  PID  PPID STATE      RSS      VSZ NAME\n")
        for proc in kernel_state.processes():
            parent = proc["parent"]
            ppid = "%5d" % int(parent["pid"]) if int(parent) != 0 else "    -"
            mark = "*" if current is not None and int(proc) == int(current) else " "
            gdb.write("%s%4d %s %-8s %6d %8s %s\n" % (
                mark, int(proc["pid"]), ppid, kernel_state.state_name(proc), resident_pages(proc),
                virtual_size_kib(proc), kernel_state.process_name(proc)))


class Memstat(VmCommand):
    """Frames and page faults, machine-wide: memstat

The frame allocator's counters (pmm_pool.stats, mm/pmm.h): total frames it manages,
free, and used by use (kernel, page table, user; free + used = total), then the
fault counters of mm/fault.c (vm_totals): faults resolved, zero-page maps, zero
fills, copy-on-write copies and reuses, stack growths, kills."""

    name = "memstat"

    def run(self, argv):
        if argv:
            raise usage("memstat (no arguments)")
        kernel_state.require_frame_allocator()
        stats = kernel_state.frame_counters()
        uses = kernel_headers.enum_names("enum frame_use")
        used = {uses[i]: int(stats["used"][i]) for i in sorted(uses) if uses[i] != "FRAME_USE_COUNT"}
        total, free = int(stats["total"]), int(stats["free"])
        gdb.write("frames: %d total, %d free, %d used (%s)\n" % (
            total, free, sum(used.values()),
            ", ".join("%s %d" % (name.replace("FRAME_", "").replace("_", " ").lower(), count)
                      for name, count in used.items())))
        totals = gdb.parse_and_eval("vm_totals")
        gdb.write("faults (vm_totals): %s\n" % ", ".join(
            "%s %d" % (field.name, int(totals[field.name])) for field in totals.type.fields()))


Ps()
Memstat()
