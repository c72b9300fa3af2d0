"""usersyms — gdb knows the symbols of the user program the current process runs.

gdb starts with the kernel's symbols only (.gdbinit: `file build/kernel.elf`). A user
program is another ELF file, linked at its own addresses in the lower half (from
0x400000; the kernel lives above 0xffff800000000000, so the two never overlap). When
gdb stops in the kernel, the process the kernel is working for is the_cpu.current
(kernel/cpu.h); its name is its program's file name (kernel/proc.c, proc_set_name).
This module finds that program on the host (build/user/NAME, then build/musl/NAME)
and loads its symbols next to the kernel's with `add-symbol-file`, replacing the
previous program's, so `bt` can name the user frames and their source lines.

It happens at every stop (a gdb stop-event hook); the command `usersyms` does it by
hand, or names the host file for a program that is somewhere else.
"""

import os

import gdb

import kernel_headers
import kernel_state

ROOT = kernel_headers.SOURCE_ROOT
SEARCH_DIRS = ("build/user", "build/musl")  # relative to the checkout's root
# The ELF64 header and program headers (the fields used here; see elf(5)).
ELF_HEADER_BYTES = 64
ELF_TYPE_OFFSET = 16  # e_type (2 bytes)
ELF_PHOFF_OFFSET = 32  # e_phoff: where the program headers are (8 bytes)
ELF_PHENTSIZE_OFFSET = 54  # e_phentsize (2 bytes)
ELF_PHNUM_OFFSET = 56  # e_phnum (2 bytes)
ELF_PT_LOAD = 1
PHDR_VADDR_OFFSET = 16  # p_vaddr (8 bytes)
PHDR_MEMSZ_OFFSET = 40  # p_memsz (8 bytes)
ELF_ET_DYN = 3  # a position-independent program, loaded at ELF_DYN_BASE


def current_process():
    """The (pid, name) of the user process the kernel runs for (the_cpu.current), or
    None: none yet, or the idle process (no address space, no program), or not
    readable yet (paging off, before kmain)."""
    try:
        proc = kernel_state.current_process()
        if proc is None or int(proc["as"]) == 0:
            return None
        return int(proc["pid"]), kernel_state.process_name(proc)
    except (gdb.error, gdb.MemoryError):
        return None


class UserSymbols:
    """Which user program's symbols gdb holds, and the host files chosen by hand."""

    def __init__(self):
        self.loaded_name = None  # the program whose symbols are loaded
        self.loaded_file = None  # ... from this host file
        self.chosen_files = {}  # program name -> host file given with `usersyms FILE`
        self.missing_told = set()  # names already reported as not found
        self.automatic = True

    def host_file(self, name):
        """The host file with the symbols of program `name`, or None."""
        if name in self.chosen_files:
            return self.chosen_files[name]
        for folder in SEARCH_DIRS:
            path = os.path.join(ROOT, folder, name)
            if os.path.isfile(path):
                return path
        return None

    def unload(self):
        """Drop the loaded user program's symbols (the kernel's stay)."""
        if self.loaded_file is not None:
            try:
                gdb.execute("remove-symbol-file " + self.loaded_file, to_string=True)
            except gdb.error:
                pass  # already gone (e.g. `symbol-file` reloaded everything)
        self.loaded_name = self.loaded_file = None

    def load(self, name, path):
        """Load path's symbols for program name in place of the previous program's.
        Raises gdb.error if gdb cannot read the file."""
        self.unload()
        offset = load_offset(path)
        command = "add-symbol-file %s" % path
        if offset:
            command += " -o 0x%x" % offset
        gdb.execute(command, to_string=True)
        self.loaded_name, self.loaded_file = name, path

    def sync(self, verbose):
        """Make the loaded symbols those of the current process's program. Says what
        changed (and, if verbose, what stays); returns the process or None."""
        process = current_process()
        if process is None:
            if verbose:
                print("usersyms: no user process is current (idle or early boot); "
                      "keeping %s" % describe(self.loaded_name, self.loaded_file))
            return None
        pid, name = process
        if name == self.loaded_name:
            if verbose:
                print("usersyms: pid %d (%s): symbols from %s (unchanged)"
                      % (pid, name, relative(self.loaded_file)))
            return process
        path = self.host_file(name)
        if path is None:
            self.unload()
            if verbose or name not in self.missing_told:
                print("usersyms: pid %d (%s): no host file %s; give one with `usersyms FILE`"
                      % (pid, name, " or ".join(os.path.join(d, name) for d in SEARCH_DIRS)))
                self.missing_told.add(name)
            return process
        previous = self.loaded_name
        try:
            self.load(name, path)
        except (gdb.error, OSError) as error:
            print("usersyms: cannot load %s: %s" % (relative(path), error))
            return process
        replaced = " (replacing %s)" % previous if previous else ""
        print("usersyms: pid %d (%s): symbols from %s%s" % (pid, name, relative(path), replaced))
        return process


def load_offset(path):
    """0 for a program linked at its run-time addresses (ET_EXEC); for a static-pie
    (ET_DYN), the base where the kernel loads it, which gdb must add. Raises
    gdb.error for a file that is no user program (not ELF, or the kernel's half)."""
    with open(path, "rb") as elf:
        image = elf.read()
    if len(image) < ELF_HEADER_BYTES or image[:4] != b"\x7fELF":
        raise gdb.error("%s is not an ELF file" % relative(path))
    top = highest_loaded_address(image)
    if top > user_space_end():
        # user and kernel symbols must never mix: the kernel's are loaded already
        raise gdb.error("%s is not a user program (it is loaded up to 0x%x, in the kernel's half)"
                        % (relative(path), top - 1))
    if field(image, ELF_TYPE_OFFSET, 2) != ELF_ET_DYN:
        return 0
    return elf_dyn_base()


def field(image, offset, size):
    """A little-endian number of size bytes at offset in the file (0 past its end)."""
    return int.from_bytes(image[offset:offset + size], "little")


def highest_loaded_address(image):
    """The end of the highest PT_LOAD segment of an ELF64 image (its program headers)."""
    phoff = field(image, ELF_PHOFF_OFFSET, 8)
    phentsize = field(image, ELF_PHENTSIZE_OFFSET, 2)
    phnum = field(image, ELF_PHNUM_OFFSET, 2)
    top = 0
    for i in range(phnum):
        header = phoff + i * phentsize
        if field(image, header, 4) == ELF_PT_LOAD:
            top = max(top, field(image, header + PHDR_VADDR_OFFSET, 8)
                      + field(image, header + PHDR_MEMSZ_OFFSET, 8))
    return top


def elf_dyn_base():
    """ELF_DYN_BASE from kernel/elf.h: where the kernel loads a static-pie."""
    return kernel_headers.define("kernel/elf.h", "ELF_DYN_BASE")


def user_space_end():
    """USER_SPACE_END from mm/layout.h: user addresses are below it."""
    return kernel_headers.define("mm/layout.h", "USER_SPACE_END")


def relative(path):
    """path relative to the checkout, as a student would type it."""
    return os.path.relpath(path, ROOT) if path else path


def describe(name, path):
    """'cowtest's symbols (build/user/cowtest)' or 'no user symbols'."""
    return "%s's symbols (%s)" % (name, relative(path)) if name else "no user symbols"


STATE = UserSymbols()


def on_stop(_event):
    """Stop-event hook: follow the current process's program, quietly when unchanged."""
    if STATE.automatic:
        STATE.sync(verbose=False)


class UsersymsCommand(gdb.Command):
    """Load the symbols of the user program the current process runs.

usersyms          load them now for the_cpu.current's program (build/user/NAME or
                  build/musl/NAME), replacing the previous program's symbols
usersyms FILE     the current program's symbols are in FILE (from now on)
usersyms off|on   off: drop the program's symbols and load none at stops (only
                  the kernel's, e.g. so that `break sys_fork` means only the
                  kernel's); on (the default): load them again at every stop

gdb does it by itself whenever it stops, so `bt` in the kernel continues into the
user program's frames with their source lines (see trap_unwinder)."""

    def __init__(self):
        super().__init__("usersyms", gdb.COMMAND_FILES, gdb.COMPLETE_FILENAME)

    def invoke(self, argument, from_tty):
        argument = argument.strip()
        if argument == "off":
            STATE.automatic = False
            STATE.unload()
            print("usersyms: off: no user program's symbols, none loaded at stops")
            return
        if argument == "on":
            STATE.automatic = True
            print("usersyms: on: the current program's symbols, at every stop")
            STATE.sync(verbose=True)
            return
        if argument:
            self.choose_file(os.path.expanduser(argument))
        STATE.sync(verbose=True)

    @staticmethod
    def choose_file(path):
        """Remember path as the current program's host file."""
        process = current_process()
        if process is None:
            raise gdb.GdbError("usersyms: no user process is current: stop in one first")
        if not os.path.isfile(path):
            raise gdb.GdbError("usersyms: no such file: %s" % path)
        try:
            load_offset(path)
        except (OSError, gdb.error) as error:
            raise gdb.GdbError("usersyms: %s" % error)
        STATE.chosen_files[process[1]] = os.path.abspath(path)
        if STATE.loaded_name == process[1]:
            STATE.unload()  # reload from the new file


REGISTERED = []


def register():
    """Install the command and the stop hook (once)."""
    if REGISTERED:
        return
    REGISTERED.append(True)
    UsersymsCommand()
    gdb.events.stop.connect(on_stop)
