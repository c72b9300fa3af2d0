"""ps, memstat and waits: the processes, where the frames went, and who sleeps where."""

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


KERNEL_HALF = 0xffff800000000000
SAVED_REGISTERS = 6  # context_switch pushes rbp, rbx, r12-r15, then returns through the 7th word
STACK_FRAMES_SHOWN = 12


def symbol_at(address):
    """The function (or variable) containing address, without the offset; None if
    no symbol does."""
    symbol = gdb.execute("info symbol 0x%x" % address, to_string=True).strip()
    if symbol.startswith("No symbol"):
        return None
    return symbol.split(" in section")[0].split(" + ")[0]


def field_at(proc, offset):
    """The name of the field of struct proc at offset (or the one it falls in)."""
    best = None
    for field in proc.dereference().type.fields():
        if field.bitpos // 8 <= offset:
            best = field.name
    return best


def channel_name(channel):
    """What a wait channel names: a kernel variable ("kswapd_channel"), a field of a
    process record ("pid 2's wake_ns"; a process's record itself: "pid 2"), or the
    bare address (a pipe's, an inode's... in the kernel heap)."""
    if channel == 0:
        return "-"
    for proc in kernel_state.processes():
        start = int(proc)
        if start <= channel < start + proc.dereference().type.sizeof:
            offset = channel - start
            owner = "pid %d" % int(proc["pid"])
            return owner if offset == 0 else "%s's %s" % (owner, field_at(proc, offset))
    return symbol_at(channel) or "0x%x" % channel


def kernel_stack(proc):
    """The functions a switched-out process's kernel stack passes through,
    innermost first: from the context context_switch saved (its return address,
    then the chain of saved frame pointers; the kernel keeps frame pointers)."""
    rsp = int(proc["saved_rsp"])
    word = gdb.lookup_type("unsigned long").pointer()
    read = lambda address: int(gdb.Value(address).cast(word).dereference())
    names = [symbol_at(read(rsp + 8 * SAVED_REGISTERS))]
    frame = read(rsp + 8 * (SAVED_REGISTERS - 1))  # the saved rbp: switch_to's frame
    while frame >= KERNEL_HALF and len(names) < STACK_FRAMES_SHOWN:
        name = symbol_at(read(frame + 8))
        if name is None:
            break  # the bottom of the stack
        names.append(name)
        if name in ("syscall_entry", "trap_common", "kthread_entry"):
            break  # the way in from user mode, or a kernel thread's start
        frame = read(frame)
    skipped = {"switch_to", "schedule"}  # every sleep goes through these two
    return " <- ".join(name or "?" for name in names if name not in skipped)


class Waits(VmCommand):
    """Where each process waits: waits

One line per process: pid, state, the channel a sleeping process waits on (a
kernel variable, a field of a process record such as "pid 2's wake_ns", or an
address in the kernel heap) and the functions on its kernel stack, innermost
first (switch_to and schedule left out). For a hang: attach to the running
machine (tests/boot-kernel's VMLAB_GDB_NOWAIT) and see who sleeps where. The
current process is running: bt shows its stack."""

    name = "waits"

    def run(self, argv):
        if argv:
            raise usage("waits (no arguments)")
        current = kernel_state.current_process()
        gdb.write("  PID STATE    WAITS ON             KERNEL STACK (innermost first)\n")
        for proc in kernel_state.processes():
            state = kernel_state.state_name(proc)
            if current is not None and int(proc) == int(current):
                stack = "(on the CPU: bt)"
            elif state == "zombie":
                stack = "(exited)"
            else:
                stack = kernel_stack(proc)
            channel = channel_name(int(proc["wait_channel"])) if state == "sleeping" else "-"
            gdb.write("%5d %-8s %-20s %s\n" % (int(proc["pid"]), state, channel, stack))


Ps()
Memstat()
Waits()
