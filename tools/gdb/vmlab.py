"""vmlab.py — vmlab's gdb extensions, sourced by .gdbinit. Each module is one concept
and lives beside this file (tools/gdb/). Sourcing it again changes nothing."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import btpagefault  # noqa: E402  (after the path is set)
import trap_unwinder  # noqa: E402
import user_backtrace  # noqa: E402
import user_fault  # noqa: E402
import usersyms  # noqa: E402

trap_unwinder.register()
user_backtrace.register()
usersyms.register()
user_fault.register()
btpagefault.register()
