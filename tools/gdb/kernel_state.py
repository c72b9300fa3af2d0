"""Reading the kernel's state from gdb: processes, address spaces, regions, frames.

Everything here reads memory through gdb.Value and the kernel's debug information,
so a renamed struct field shows up as a clear gdb error, never as a wrong number.
Nothing runs code in the kernel: a stopped kernel is only looked at.

  processes()           the process table (kernel/proc.c's table[], what proc_at reads)
  current_process()     the_cpu.current (kernel/cpu.h)
  process_by_pid(pid)   as proc_find
  address_spaces()      each address space once, with the processes using it
  regions(as)           the regions of a struct addr_space (mm/as.h), in address
                        order: an in-order walk of the AVL tree of mm/vma.h;
                        region_containing/_after/_before: one path down the tree
  page_record(pfn)      pmm_pages[pfn], the struct page of a frame (mm/pmm.h)
  read_physical(pa, n)  physical memory, through the direct map (mm/layout.h)
"""

import gdb

import kernel_headers

LAYOUT_H = "mm/layout.h"
ADDR_H = "mm/addr.h"
CR0_PG = 1 << 31  # paging on (Intel SDM vol. 3, 2.5)


def direct_map_base():
    return kernel_headers.define(LAYOUT_H, "DIRECT_MAP_BASE")


def page_size():
    return kernel_headers.define(ADDR_H, "PAGE_SIZE")


def page_shift():
    return kernel_headers.define(ADDR_H, "PAGE_SHIFT")


# ---- is there anything to read yet? ----


def require_target():
    """Raise a clear error unless gdb is connected to the stopped kernel."""
    if gdb.selected_inferior().pid == 0:
        raise gdb.GdbError("gdb is not connected to the kernel (.gdbinit's target remote does "
                           "it; the kernel may have powered off)")


def require_paging():
    """Raise a clear error unless the CPU has paging on: before that (at _start,
    in the 32-bit boot code) the kernel's higher-half variables do not exist."""
    cr0 = int(gdb.parse_and_eval("$cr0"))
    if not cr0 & CR0_PG:
        raise gdb.GdbError("paging is not on yet (CR0.PG is clear): the kernel's variables and "
                           "page tables are not reachable; break at kmain and continue first")


def require_frame_allocator():
    """Raise a clear error unless pmm_init has built the page array."""
    if int(gdb.parse_and_eval("pmm_page_count")) == 0:
        raise gdb.GdbError("the frame allocator is not set up yet (pmm_init has not run)")


# ---- physical memory ----


def read_physical(paddr, size):
    """size bytes of physical memory at paddr, read through the kernel's direct map
    (virtual = DIRECT_MAP_BASE + physical), which every address space shares."""
    try:
        return bytes(gdb.selected_inferior().read_memory(direct_map_base() + paddr, size))
    except gdb.MemoryError:
        raise gdb.GdbError("cannot read physical 0x%x through the direct map (not RAM?)" % paddr)


# ---- static variables of one file ----


def static_variable(name, source_file):
    """The static variable name of source_file (e.g. "table" of kernel/proc.c; several
    files have a static named table, so the file decides)."""
    for symbol in gdb.lookup_static_symbols(name):
        if symbol.symtab is not None and symbol.symtab.filename.endswith(source_file):
            return symbol.value()
    raise gdb.GdbError("%s no longer has a static variable %s" % (source_file, name))


# ---- processes ----


def max_processes():
    """MAX_PROCS, from the size of the table itself."""
    table_type = static_variable("table", "kernel/proc.c").type
    return table_type.range()[1] + 1


def processes():
    """Every process (struct proc *, never NULL), in table-slot order as proc_at
    visits them; slot 0 is the idle process."""
    table = static_variable("table", "kernel/proc.c")
    found = []
    for slot in range(max_processes()):
        proc = table[slot]
        if int(proc) != 0:
            found.append(proc)
    return found


def current_process():
    """The process running on the CPU (the_cpu.current), or None before
    proc_init_idle."""
    proc = gdb.parse_and_eval("the_cpu.current")
    return proc if int(proc) != 0 else None


def process_by_pid(pid):
    """The process with this pid; a clear error if there is none."""
    for proc in processes():
        if int(proc["pid"]) == pid:
            return proc
    raise gdb.GdbError("no process with pid %d (ps lists them)" % pid)


def process_or_current(pid):
    """process_by_pid(pid), or the current process when pid is None."""
    if pid is not None:
        return process_by_pid(pid)
    proc = current_process()
    if proc is None:
        raise gdb.GdbError("no process yet (the_cpu.current is NULL: proc_init_idle has not run)")
    return proc


def address_spaces():
    """Each address space once, with the processes using it (a vfork child borrows
    its parent's): a list of (struct addr_space *, [struct proc *])."""
    spaces = {}
    for proc in processes():
        space = proc["as"]
        if int(space) != 0:
            spaces.setdefault(int(space), (space, []))[1].append(proc)
    return list(spaces.values())


def process_name(proc):
    return proc["name"].string()


def state_name(proc):
    """"running", "sleeping", ... from enum proc_state's enumerator names."""
    names = kernel_headers.enum_names("enum proc_state")
    value = int(proc["state"])
    return names.get(value, "state %d" % value).replace("PROC_", "").lower()


def describe_process(proc):
    return "pid %d (%s)" % (int(proc["pid"]), process_name(proc))


def address_space(proc):
    """A process's struct addr_space *; a clear error for the idle process, which
    has none (it runs on the kernel's own tables)."""
    space = proc["as"]
    if int(space) == 0:
        raise gdb.GdbError("%s has no address space: it runs on the kernel's own page tables"
                           % describe_process(proc))
    return space


# ---- regions: the AVL tree of mm/vma.h ----


def _field_offset(struct_type, field_name):
    for field in struct_type.fields():
        if field.name == field_name:
            return field.bitpos // 8
    raise gdb.GdbError("%s has no field %s any more" % (struct_type, field_name))


def _vma_of(node):
    """avl_entry(node, struct vma, node): the region that embeds this tree node."""
    vma_type = gdb.lookup_type("struct vma")
    address = int(node) - _field_offset(vma_type, "node")
    return gdb.Value(address).cast(vma_type.pointer())


def region_count(space):
    return int(space["vmas"]["count"])


def regions(space, most=None):
    """The regions of an address space (struct vma *), lowest address first; only
    the first `most` if given. The walk is bounded by the tree's own count, so a
    corrupted tree cannot loop."""
    tree = space["vmas"]
    limit = int(tree["count"]) if most is None else min(most, int(tree["count"]))
    found, stack, node = [], [], tree["root"]
    while (stack or int(node) != 0) and len(found) < limit:
        while int(node) != 0 and len(stack) <= limit:
            stack.append(node)
            node = node["left"]
        node = stack.pop()
        found.append(_vma_of(node))
        node = node["right"]
    return found


def _descend(space, go_right):
    """The regions met on one path down the AVL tree, choosing at each node by
    go_right(vma): O(log n) reads, as vma_find does in the kernel. The path is
    bounded by the tree's count, so a corrupted tree cannot loop."""
    tree = space["vmas"]
    node, steps, path = tree["root"], int(tree["count"]), []
    while int(node) != 0 and len(path) <= steps:
        vma = _vma_of(node)
        right = go_right(vma)
        path.append((vma, right))
        node = node["right"] if right else node["left"]
    return path


def region_after(space, address):
    """The first region that ends above address (vma_find_after), or None."""
    found = None
    for vma, right in _descend(space, lambda v: int(v["end"]) <= address):
        if not right:
            found = vma
    return found


def region_containing(space, address):
    """The region containing address (vma_find), or None."""
    vma = region_after(space, address)
    return vma if vma is not None and int(vma["start"]) <= address else None


def region_before(space, address):
    """The last region that starts below address (the vma_prev of a region starting
    at address), or None."""
    found = None
    for vma, right in _descend(space, lambda v: int(v["start"]) < address):
        if right:
            found = vma
    return found


# ---- frames: struct page (mm/pmm.h) ----


def page_count():
    require_frame_allocator()
    return int(gdb.parse_and_eval("pmm_page_count"))


def page_record(pfn):
    """pmm_pages[pfn], the struct page of frame pfn; a clear error beyond the array."""
    count = page_count()
    if not 0 <= pfn < count:
        raise gdb.GdbError("frame 0x%x is beyond the page array (frames 0..0x%x have a struct "
                           "page)" % (pfn, count - 1))
    return gdb.parse_and_eval("pmm_pages")[pfn]


def zero_page_frame():
    """The physical address of the shared zero page (mm/fault.c's zero_frame),
    0 before zero_page_init."""
    return int(static_variable("zero_frame", "mm/fault.c"))


def frame_counters():
    """pmm's counters (struct pmm_stats in mm/pmm.h): pmm_pool.stats."""
    return gdb.parse_and_eval("pmm_pool.stats")
