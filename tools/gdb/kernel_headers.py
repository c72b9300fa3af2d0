"""The kernel's named constants, read from its own headers and debug information.

The kernel is built with -g, which records types and enums but not #define macros.
So enum values (enum page_state, enum frame_use, ...) come from the debug information
of build/kernel.elf, and macros (PTE_PRESENT in mm/pte.h, PF_ERR_WRITE in
kernel/x86.h, DIRECT_MAP_BASE in mm/layout.h) are read from the header files
themselves. Either way a number lives in one place only: the kernel's source.
"""

import os
import re

import gdb

SOURCE_ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))

# "#define NAME value /* comment */": a constant expression on one line.
DEFINE = re.compile(r"^\s*#define\s+([A-Za-z_]\w*)\s+(.+?)\s*(/\*.*)?$")
# C integer literals with their suffixes: 0x1000ul, 12u, 1ull.
INTEGER = re.compile(r"\b(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*\b")
WORD = re.compile(r"\b[A-Za-z_]\w*\b")
MASK64 = (1 << 64) - 1

_cache = {}


def _evaluate(expression, known):
    """The value of a macro's C expression, or None if it is not a plain number
    (a function-like macro, a string, or a name we do not know)."""
    expression = INTEGER.sub(lambda m: str(int(m.group(1), 0)), expression)
    for name in WORD.findall(expression):
        if name not in known:
            return None
    expression = WORD.sub(lambda m: str(known[m.group(0)]), expression)
    if not re.fullmatch(r"[0-9\s()+\-*/<>~&|^]+", expression):
        return None
    try:
        return eval(expression.replace("/", "//"), {"__builtins__": {}}) & MASK64
    except (SyntaxError, ValueError, ZeroDivisionError):
        return None


def _logical_lines(text):
    """The lines of a header as the preprocessor sees them: a line ending in a
    backslash goes on with the next (clang-format wraps a long #define so)."""
    return text.replace("\\\n", " ").splitlines()


def header_constants(path):
    """Every numeric #define of a header (path relative to the source root), as a
    dict name -> value; macros may use earlier ones of the same header or of the
    headers read before it."""
    if path in _cache:
        return _cache[path]
    known = {}
    for earlier in _cache.values():
        known.update(earlier)
    found = {}
    with open(os.path.join(SOURCE_ROOT, path)) as header:
        for line in _logical_lines(header.read()):
            match = DEFINE.match(line)
            if match is None:
                continue
            value = _evaluate(match.group(2), known)
            if value is not None:
                known[match.group(1)] = value
                found[match.group(1)] = value
    _cache[path] = found
    return found


def define(path, name):
    """One macro's value; a clear error if the header no longer defines it."""
    constants = header_constants(path)
    if name not in constants:
        raise gdb.GdbError("%s no longer defines %s (tools/gdb reads it from there)" % (path, name))
    return constants[name]


def enum_value(name):
    """The value of an enumerator (PAGE_IN_USE, FRAME_USER, ...) from the debug
    information."""
    return int(gdb.parse_and_eval(name))


def enum_names(type_name):
    """An enum's values and names from the debug information, e.g. for
    "enum frame_use": {0: "FRAME_KERNEL", 1: "FRAME_PAGE_TABLE", ...}."""
    return {int(field.enumval): field.name for field in gdb.lookup_type(type_name).fields()}
