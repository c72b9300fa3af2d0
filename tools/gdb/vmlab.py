"""vmlab's gdb commands: the one file .gdbinit sources.

It puts its own folder on Python's path and imports the modules beside it, each one
concept. Sourcing it again changes nothing (each module registers once).
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ folders in the source tree
if HERE not in sys.path:
    sys.path.insert(0, HERE)

# Following a user program: README.md, "Following a user program".
import trap_unwinder  # noqa: E402  gdb unwinds trap and system-call entries
import user_backtrace  # noqa: E402  bt names entry frames, goes past the stack switch
import usersyms  # noqa: E402  usersyms; the program's symbols follow the_cpu.current
import user_fault  # noqa: E402  break-user-fault
import btpagefault  # noqa: E402  btpagefault

for _module in (trap_unwinder, user_backtrace, usersyms, user_fault, btpagefault):
    _module.register()
