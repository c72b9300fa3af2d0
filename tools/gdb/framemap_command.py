"""framemap: the map of physical memory, made by gdb, with swap's states.

The kernel exports its frame map (kernel/framemap.c, kernel/framemap_export.c) when
a program asks; gdb can make the same map of a stopped kernel at any moment, and it
knows three more states that reclaim keeps in struct page:
  W  swap cache         an anonymous frame holding a swap slot's page (read in, read
                        ahead, or being written out): anon.swap_slot
  L  local resident set  an anonymous frame on a process's own set
                        (vmlab_resident_limit) rather than the machine's
  H  hand               the frame a resident set's hand points at: the next page
                        the policy looks at
The other classes are the kernel's, decided the same way (framemap.c's two passes:
the allocator's record, then every address space's tables). The dump is written in
the export's format (version 1), so tools/framemap.py draws it.
"""

import struct

import gdb

import kernel_headers
import kernel_state
import pagetables as pt
import swap_state
from vm_command import VmCommand, usage

# The kernel's classes (kernel/framemap.c), then gdb's three, in the dump's order.
CLASSES = [("R", "reserved"), ("I", "kernel image"), ("M", "boot module"), ("K", "kernel"),
           ("P", "page table"), ("Z", "zero page"), ("U", "user"), ("C", "COW-shared"),
           ("S", "shared memory"), ("W", "swap cache"), ("L", "local resident set"),
           ("H", "resident-set hand"), ("F", "free")]
WITH_PIDS = "PUCSWLH"  # classes whose runs name pids, as the export's


def offset_of(struct_type, path):
    """The byte offset of a field path ("anon.swap_slot") in a struct, looking into
    anonymous unions on the way."""
    offset, current = 0, struct_type
    for name in path.split("."):
        found = _find_field(current, name)
        if found is None:
            raise gdb.GdbError("%s has no field %s any more" % (struct_type, path))
        field_offset, current = found
        offset += field_offset
    return offset


def _find_field(struct_type, name):
    for field in struct_type.strip_typedefs().fields():
        if field.name == name:
            return field.bitpos // 8, field.type
        if field.name is None:  # an anonymous union or struct
            inner = _find_field(field.type, name)
            if inner is not None:
                return field.bitpos // 8 + inner[0], inner[1]
    return None


class Records:
    """Every struct page, read in one piece and decoded with offsets from the debug
    information (one read instead of a gdb.Value per field per frame)."""

    FIELDS = (("refcount", "I"), ("state", "B"), ("use", "B"), ("object", "Q"),
              ("anon.maps", "Q"), ("anon.set", "Q"), ("anon.swap_slot", "I"))

    def __init__(self):
        page_type = gdb.lookup_type("struct page")
        self.size = page_type.sizeof
        self.count = kernel_state.page_count()
        base = int(gdb.parse_and_eval("(unsigned long)pmm_pages"))
        self.raw = bytes(gdb.selected_inferior().read_memory(base, self.size * self.count))
        self.layout = [(name, offset_of(page_type, name), code) for name, code in self.FIELDS]

    def get(self, pfn):
        at = pfn * self.size
        return {name: struct.unpack_from("<" + code, self.raw, at + offset)[0]
                for name, offset, code in self.layout}


class Owner:
    """One frame: its class and who maps it (framemap.h's struct frame_owner)."""

    __slots__ = ("letter", "pids", "mappings", "shared")

    def __init__(self, letter):
        self.letter, self.pids, self.mappings, self.shared = letter, [], 0, False

    def add_pid(self, pid):
        if pid not in self.pids:
            self.pids.append(pid)

    def pid_words(self):
        if self.letter not in WITH_PIDS or not self.pids:
            return ""
        return ",".join(str(p) for p in self.pids[:2]) + (",+" if len(self.pids) > 2 else "")


def reserved_ranges():
    """(start, end, letter) of what lies in reserved frames (framemap.c's
    reserved_class): the kernel image, the boot modules, the page array and the
    boot information (the kernel's own)."""
    image = (int(gdb.parse_and_eval("(unsigned long)&__kernel_phys_start")),
             int(gdb.parse_and_eval("(unsigned long)&__kernel_phys_end")), "I")
    info = gdb.parse_and_eval("boot_info")
    ranges = [image]
    for i in range(int(info["module_count"])):
        module = info["modules"][i]
        ranges.append((int(module["start"]), int(module["end"]), "M"))
    array = int(gdb.parse_and_eval("(unsigned long)pmm_pages")) - kernel_state.direct_map_base()
    size = kernel_state.page_count() * gdb.lookup_type("struct page").sizeof
    ranges.append((array, array + size, "K"))
    ranges.append((int(info["mbi_phys"]), int(info["mbi_phys"]) + int(info["mbi_size"]), "K"))
    return ranges


def allocator_letter(pfn, record, reserved, zero_pfn):
    """Pass 1: the class the allocator's record gives (framemap.c's allocator_class)."""
    if record["state"] == kernel_headers.enum_value("PAGE_FREE"):
        return "F"
    if record["state"] != kernel_headers.enum_value("PAGE_IN_USE"):
        frame, size = pfn << kernel_state.page_shift(), kernel_state.page_size()
        for start, end, letter in reserved:
            if frame + size > start and frame < end:
                return letter
        return "R"
    if pfn == zero_pfn:
        return "Z"
    if record["use"] == kernel_headers.enum_value("FRAME_PAGE_TABLE"):
        return "P"
    return "U" if record["use"] == kernel_headers.enum_value("FRAME_USER") else "K"


class Region:
    """Bisecting a space's regions for the MAP_SHARED flag of an address."""

    def __init__(self, space):
        shared = kernel_headers.define("mm/vma.h", "VMA_SHARED")
        self.spans = [(int(v["start"]), int(v["end"]), bool(int(v["flags"]) & shared))
                      for v in kernel_state.regions(space)]

    def shared(self, va):
        low, high = 0, len(self.spans)
        while low < high:
            mid = (low + high) // 2
            start, end, is_shared = self.spans[mid]
            if va < start:
                high = mid
            elif va >= end:
                low = mid + 1
            else:
                return is_shared
        return False


def walk_spaces(owners):
    """Pass 2: each address space once, with its first process's pid: its tables
    get the pid, each entry holding a frame adds a mapping and a pid."""
    shift = kernel_state.page_shift()
    for space, procs in kernel_state.address_spaces():
        pid = int(procs[0]["pid"])
        reader = pt.TableReader(8192)
        frames, tables = pt.user_leaves_holding_frames(int(space["root"]), reader)
        for table, _, _ in tables:
            if (table >> shift) < len(owners):
                owners[table >> shift].add_pid(pid)
        regions = Region(space)
        for va, entry in frames:
            pfn = pt.frame(entry) >> shift
            if pfn >= len(owners) or owners[pfn].letter == "Z":
                continue
            owners[pfn].mappings += 1
            owners[pfn].shared |= regions.shared(va)
            owners[pfn].add_pid(pid)


def keeps_pages(object_address, cache):
    """Does the object keep its pages (a shared anonymous object: they exist nowhere
    else)? framemap.c counts its frames as shared memory."""
    if object_address not in cache:
        obj = gdb.Value(object_address).cast(gdb.lookup_type("struct mem_object").pointer())
        cache[object_address] = bool(obj["ops"]["keep_pages"])
    return cache[object_address]


def hands():
    """The frames at the hands: the machine's set's and each local set's."""
    found = {int(swap_state.global_set()["hand"])}
    for space, _ in kernel_state.address_spaces():
        limit = space["resident_limit"]
        if int(limit) != 0:
            found.add(int(limit["set"]["hand"]))
    return found - {0}


def build():
    """Every frame's Owner, in pfn order."""
    records = Records()
    reserved = reserved_ranges()
    zero_pfn = kernel_state.zero_page_frame() >> kernel_state.page_shift()
    global_set = int(swap_state.global_set().address)
    owners, objects, anon = [], {}, {}
    for pfn in range(records.count):
        record = records.get(pfn)
        owner = Owner(allocator_letter(pfn, record, reserved, zero_pfn))
        if owner.letter == "U":
            if record["object"]:
                owner.shared = keeps_pages(record["object"], objects)
            elif pfn != zero_pfn:
                anon[pfn] = record
        owners.append(owner)
    walk_spaces(owners)
    at_hand = hands()
    for pfn, owner in enumerate(owners):
        if owner.letter == "P" and not owner.pids:
            owner.pids = [0]  # no process's: the kernel's own tables
        if owner.letter != "U":
            continue
        owner.letter = "S" if owner.shared else "C" if owner.mappings > 1 else "U"
        record = anon.get(pfn)
        if record is None:
            continue
        if pfn in at_hand:
            owner.letter = "H"
        elif record["anon.swap_slot"]:
            owner.letter = "W"
        elif record["anon.set"] and record["anon.set"] != global_set:
            owner.letter = "L"
    return owners


def dump_lines(owners):
    """The dump, in kernel/framemap_export.c's format."""
    counts = {letter: 0 for letter, _ in CLASSES}
    for owner in owners:
        counts[owner.letter] += 1
    stats = kernel_state.frame_counters()
    uses = {name: i for i, name in kernel_headers.enum_names("enum frame_use").items()}
    lines = ["framemap begin v1 frames %d page %d asked-by gdb tick %d" % (
        len(owners), kernel_state.page_size(),
        int(kernel_state.static_variable("ticks", "kernel/timer.c")))]
    lines += ["framemap class %s %d %s" % (letter, counts[letter], name) for letter, name in CLASSES]
    lines.append("framemap allocator total %d free %d kernel %d page-table %d user %d" % (
        int(stats["total"]), int(stats["free"]), int(stats["used"][uses["FRAME_KERNEL"]]),
        int(stats["used"][uses["FRAME_PAGE_TABLE"]]), int(stats["used"][uses["FRAME_USER"]])))
    first = 0
    for pfn in range(1, len(owners) + 1):
        if pfn < len(owners) and (owners[pfn].letter, owners[pfn].pid_words()) == \
                (owners[first].letter, owners[first].pid_words()):
            continue
        pids = owners[first].pid_words()
        lines.append("framemap run 0x%x %d %s%s" % (first, pfn - first, owners[first].letter,
                                                     " " + pids if pids else ""))
        first = pfn
    lines.append("framemap end %d" % len(owners))
    return lines


class Framemap(VmCommand):
    """The map of physical memory, made by gdb, with swap's states: framemap [FILE]

Classifies every frame as the kernel's export does (kernel/framemap.c: reserved,
kernel image, boot module, kernel, page table, zero page, user, COW-shared, shared
memory, free), and marks three states of reclaim's: W the swap cache (a frame
holding a slot's page), L a page on a process's local resident set
(vmlab_resident_limit), H the frame at a resident set's hand. Writes the dump in
the export's format to FILE (tools/framemap.py FILE --svg map.svg draws it), or
without FILE prints the class counts."""

    name = "framemap"

    def run(self, argv):
        if len(argv) > 1:
            raise usage("framemap [FILE]")
        owners = build()
        lines = dump_lines(owners)
        if not argv:
            for line in lines:
                if line.startswith("framemap class "):
                    gdb.write(line[len("framemap "):] + "\n")
            return
        with open(argv[0], "w") as out:
            out.write("\n".join(lines) + "\n")
        gdb.write("framemap: %d frames written to %s (tools/framemap.py %s --svg FILE)\n"
                  % (len(owners), argv[0], argv[0]))


Framemap()
