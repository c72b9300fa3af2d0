"""vmlab's gdb commands: the one file .gdbinit sources.

It puts its own folder on Python's path and imports the modules beside it, each one
concept: reading the kernel's state (kernel_state), page tables (pagetables), and
the commands (vmas, pagewalk, ptes, pageinfo, faultinfo, ps, memstat, swapinfo,
resident, framemap); and, to follow
a user program, the unwinder of the kernel's entries (trap_unwinder), backtraces
joined across them (user_backtrace), its symbols (usersyms), break-user-fault
(user_fault) and btpagefault. `help NAME` shows each command's use.
"""

import os
import sys

import gdb

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ folders in the source tree
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import regions_command  # noqa: E402  vmas
import pagetables_commands  # noqa: E402  pagewalk, ptes
import pageinfo_command  # noqa: E402  pageinfo
import faultinfo_command  # noqa: E402  faultinfo
import process_commands  # noqa: E402  ps, memstat
import swap_commands  # noqa: E402  swapinfo, resident
import framemap_command  # noqa: E402  framemap

# Following a user program: README.md, "Following a user program".
import trap_unwinder  # noqa: E402  gdb unwinds trap and system-call entries
import user_backtrace  # noqa: E402  bt names entry frames, goes past the stack switch
import usersyms  # noqa: E402  usersyms; the program's symbols follow the_cpu.current
import user_fault  # noqa: E402  break-user-fault
import btpagefault  # noqa: E402  btpagefault

for _module in (trap_unwinder, user_backtrace, usersyms, user_fault, btpagefault):
    _module.register()

# gdb accepts any unique prefix of a command name: before these commands, "pt" meant
# ptype, "fa" faas and "fr" frame. ptes, faultinfo and framemap would make them
# ambiguous, so they keep their old meaning as aliases (no built-in command is replaced).
for _prefix, _command in (("pt", "ptype"), ("fa", "faas"), ("fr", "frame")):
    gdb.execute("alias %s = %s" % (_prefix, _command))
