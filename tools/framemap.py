#!/usr/bin/env python3
"""framemap.py -- draw a dump of vmlab's physical-memory map as a PNG or SVG.

The kernel writes the map of every physical frame to its serial port when a
program calls vmlab_framemap (system call 501; user/framemap.c) or when F4 is
pressed on the VGA console. This script finds a dump in a captured serial log
(build/serial.log, a tests/run-elf --log file, ...) and draws it: one cell per
4 KiB frame, FRAMES_PER_ROW frames (1 MiB) per row, low addresses at the top,
with a legend.

    tools/framemap.py LOG [--dump N] [--png FILE] [--svg FILE] [--summary]
                          [--frames N] [--per-row N] [--cell PIXELS]

gdb makes the same map of a stopped kernel with three more classes, reclaim's
(tools/gdb's `framemap FILE`): W swap cache, L local resident set, H the frame at a
resident set's hand; they are drawn in colours of their own.

--dump N picks the Nth dump of the log (1 = the first; default: the last).
--summary prints the class counts and the runs' check. --frames N draws only
the first N frames (the legend still counts them all); --per-row and --cell
change the grid (default 256 frames per row, 3-pixel squares with a 1-pixel
gap, as on the VGA view). Python's standard library only: the PNG is written
with zlib and struct.

The dump format (kernel/framemap_export.c), every line starting "framemap ":
    begin v1 frames N page 4096 asked-by WHO tick T
    class LETTER COUNT NAME...          one per class
    allocator total N free N kernel N page-table N user N
    run FIRST_PFN_HEX COUNT LETTER [PIDS]   PIDS: "1", "1,2", "1,2,+"
    range START END pid P pages N untouched N prot-none N swapped N lost N [LETTER=COUNT]...
    end N
"""
import argparse
import collections
import struct
import sys
import zlib

FRAMES_PER_ROW = 256  # 1 MiB of 4 KiB frames per row
CELL = 3  # pixels of a frame's square
GAP = 1  # pixels between squares
LEGEND_ROW = 16  # pixels per legend line in the SVG
SWATCH = 12  # a legend square in the PNG

# The colours of the classes; the same as the VGA view's (kernel/framemap_view.c).
CLASS_COLOURS = {
    "R": (64, 64, 64),  # reserved: not RAM the allocator manages
    "I": (220, 50, 47),  # kernel image
    "M": (255, 140, 0),  # boot modules
    "K": (150, 90, 200),  # kernel heap, stacks, page array
    "P": (240, 220, 40),  # page tables
    "Z": (255, 255, 255),  # the zero page
    "U": (60, 180, 75),  # user (coloured by pid below)
    "C": (255, 80, 160),  # COW-shared
    "S": (0, 200, 220),  # shared memory
    # reclaim's states, in the maps gdb makes (tools/gdb/framemap_command.py)
    "W": (200, 130, 50),  # swap cache: a frame holding a swap slot's page
    "L": (130, 90, 255),  # on a process's local resident set (vmlab_resident_limit)
    "H": (255, 0, 255),  # the frame at a resident set's hand
    "F": (24, 28, 48),  # free
}
CLASS_ORDER = "RIMKPZUCSWLHF"
# A process's own frames: a colour per pid (pid 1 the first), cycling.
USER_COLOURS = [(60, 180, 75), (70, 130, 255), (170, 230, 90), (0, 140, 120), (120, 190, 255),
                (30, 100, 50)]
BACKGROUND = (0, 0, 0)


# How the squares are laid out: frames per row, pixels of a square, of the gap;
# and how many frames are drawn.
Layout = collections.namedtuple("Layout", "per_row cell gap frames")


def pitch(layout):
    """Pixels from one square to the next."""
    return layout.cell + layout.gap


class DumpError(Exception):
    """A dump that is missing, cut short or inconsistent."""


class Dump:
    """One parsed dump: header fields, class counts and names, runs, ranges."""

    def __init__(self):
        self.frames = 0
        self.asked_by = ""
        self.counts = {}
        self.names = {}
        self.allocator = {}
        self.runs = []  # (first_pfn, count, letter, pids or "")
        self.ranges = []  # the rest of each "range" line
        self.ended = False


def find_dumps(lines):
    """Every dump in the log's lines, in order, as lists of their words."""
    dumps, current = [], None
    for line in lines:
        at = line.find("framemap ")
        if at < 0:
            continue
        words = line[at:].split()[1:]
        if not words:
            continue
        if words[0] == "begin":
            current = [words]
            dumps.append(current)
        elif current is not None:
            current.append(words)
            if words[0] == "end":
                current = None
    return dumps


def parse_words(word_lines):
    """A Dump from the word lists of one dump; raises DumpError if malformed."""
    d = Dump()
    try:
        for words in word_lines:
            kind = words[0]
            if kind == "begin":
                fields = dict(zip(words[2::2], words[3::2]))
                d.frames = int(fields["frames"])
                d.asked_by = " ".join(words[words.index("asked-by") + 1:words.index("tick")])
            elif kind == "class":
                d.counts[words[1]] = int(words[2])
                d.names[words[1]] = " ".join(words[3:])
            elif kind == "allocator":
                d.allocator = {k: int(v) for k, v in zip(words[1::2], words[2::2])}
            elif kind == "run":
                pids = words[4] if len(words) > 4 else ""
                d.runs.append((int(words[1], 16), int(words[2]), words[3], pids))
            elif kind == "range":
                d.ranges.append(" ".join(words[1:]))
            elif kind == "end":
                d.ended = True
    except (IndexError, ValueError, KeyError) as e:
        raise DumpError(f"malformed dump line {' '.join(words)!r}: {e}") from e
    check(d)
    return d


def check(d):
    """The runs cover 0..frames-1 in order and agree with the class counts."""
    if not d.ended:
        raise DumpError("the dump is cut short (no 'framemap end' line)")
    at, counted = 0, {}
    for first, count, letter, _ in d.runs:
        if first != at:
            raise DumpError(f"run at frame {first:#x}, expected {at:#x}")
        at += count
        counted[letter] = counted.get(letter, 0) + count
    if at != d.frames:
        raise DumpError(f"the runs cover {at} frames, the dump has {d.frames}")
    for letter, count in d.counts.items():
        if counted.get(letter, 0) != count:
            raise DumpError(f"class {letter}: {counted.get(letter, 0)} frames in runs, "
                            f"{count} counted")


def frame_colour(letter, pids):
    """The colour of a frame: its class's, a user frame's by its pid."""
    if letter == "U" and pids and pids[0].isdigit():
        return USER_COLOURS[(int(pids.split(",")[0]) - 1) % len(USER_COLOURS)]
    return CLASS_COLOURS.get(letter, BACKGROUND)


def grid_size(layout):
    """(width, height) in pixels of the frame grid."""
    rows = (layout.frames + layout.per_row - 1) // layout.per_row
    return layout.per_row * pitch(layout), rows * pitch(layout)


def cell_origin(layout, pfn):
    """The top-left pixel of frame pfn's square."""
    return (pfn % layout.per_row) * pitch(layout), (pfn // layout.per_row) * pitch(layout)


def clipped_runs(d, layout):
    """The runs, cut at the last frame drawn."""
    for first, count, letter, pids in d.runs:
        if first < layout.frames:
            yield first, min(count, layout.frames - first), letter, pids


def legend_entries(d):
    """(colour, text) for the legend: each class present, user frames per pid."""
    entries = []
    for letter in CLASS_ORDER:
        if letter not in d.counts:
            continue  # a class this dump does not have (the kernel's has no W, L, H)
        count = d.counts.get(letter, 0)
        if letter == "U":
            for pid, n in sorted(user_pids(d).items()):
                entries.append((frame_colour("U", str(pid)), f"user, pid {pid}: {n}"))
            continue
        entries.append((CLASS_COLOURS[letter], f"{d.names.get(letter, letter)}: {count}"))
    return entries


def user_pids(d):
    """{pid: frames} of the user frames."""
    pids = {}
    for _, count, letter, p in d.runs:
        if letter == "U" and p and p[0].isdigit():
            pid = int(p.split(",")[0])
            pids[pid] = pids.get(pid, 0) + count
    return pids


def png_chunk(kind, data):
    """One PNG chunk: length, type, data, CRC of type and data."""
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))


def png_bytes(width, height, pixels, text):
    """An 8-bit RGB PNG of pixels (rows of bytearrays), with a tEXt comment."""
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)  # filter 0 on each row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) +
            png_chunk(b"tEXt", b"Comment\x00" + text.encode("latin-1", "replace")) +
            png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b""))


def fill(pixels, x, y, w, h, colour):
    """Paint a rectangle of pixels."""
    for row in pixels[y:y + h]:
        row[3 * x:3 * (x + w)] = bytes(colour) * w


def draw_png(d, layout, path):
    """The map as a PNG: the grid, then a row of legend squares in legend order
    (their meaning in the PNG's comment, and in full in the SVG)."""
    width, grid_height = grid_size(layout)
    entries = legend_entries(d)
    width = max(width, len(entries) * 2 * SWATCH)
    height = grid_height + 2 * SWATCH
    pixels = [bytearray(bytes(BACKGROUND) * width) for _ in range(height)]
    for first, count, letter, pids in clipped_runs(d, layout):
        colour = frame_colour(letter, pids)
        for pfn in range(first, first + count):
            x, y = cell_origin(layout, pfn)
            fill(pixels, x, y, layout.cell, layout.cell, colour)
    for i, (colour, _) in enumerate(entries):
        fill(pixels, i * 2 * SWATCH, grid_height + SWATCH // 2, SWATCH, SWATCH, colour)
    text = "vmlab frame map; legend squares left to right: " + "; ".join(t for _, t in entries)
    with open(path, "wb") as f:
        f.write(png_bytes(width, height, pixels, text))


def row_segments(d, layout):
    """(pfn, count, colour) pieces of the runs, each within one row of the grid."""
    for first, count, letter, pids in clipped_runs(d, layout):
        colour = frame_colour(letter, pids)
        pfn, end = first, first + count
        while pfn < end:
            piece = min(end, (pfn // layout.per_row + 1) * layout.per_row) - pfn
            yield pfn, piece, colour
            pfn += piece


def draw_svg(d, layout, path):
    """The map as an SVG: a rectangle per run and row (squares drawn as a stripe
    of one colour), and a legend with each class's name and frame count."""
    width, grid_height = grid_size(layout)
    width = max(width, 640)  # room for the legend's text
    entries = legend_entries(d)
    height = grid_height + LEGEND_ROW * (len(entries) + 2)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="monospace" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="rgb{BACKGROUND}"/>',
           f'<title>vmlab physical memory, {d.frames} frames, dump asked by {d.asked_by}</title>']
    for pfn, count, colour in row_segments(d, layout):
        x, y = cell_origin(layout, pfn)
        out.append(f'<rect x="{x}" y="{y}" width="{count * pitch(layout) - layout.gap}" '
                   f'height="{layout.cell}" fill="rgb{colour}"/>')
    y = grid_height + LEGEND_ROW
    shown = "" if layout.frames == d.frames else f", the first {layout.frames} of {d.frames}"
    out.append(f'<text x="0" y="{y}" fill="white">one square per 4 KiB frame, '
               f'{layout.per_row} per row{shown}; asked by {d.asked_by}</text>')
    for colour, text in entries:
        y += LEGEND_ROW
        out.append(f'<rect x="0" y="{y - 10}" width="10" height="10" fill="rgb{colour}"/>')
        out.append(f'<text x="16" y="{y}" fill="white">{text}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def summary(d):
    """Lines describing the dump: counts per class and the ranges asked for."""
    lines = [f"{d.frames} frames, asked by {d.asked_by}"]
    lines += [f"  {letter} {d.counts.get(letter, 0):6d} {d.names.get(letter, '')}"
              for letter in CLASS_ORDER if letter in d.counts]
    lines += [f"  range {r}" for r in d.ranges]
    return lines


def main(argv):
    """Parse the arguments, find the dump, draw what was asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", help="a serial log holding one or more dumps")
    parser.add_argument("--dump", type=int, default=0, help="which dump (1 = first; default last)")
    parser.add_argument("--png", help="write the map as a PNG here")
    parser.add_argument("--svg", help="write the map as an SVG here")
    parser.add_argument("--summary", action="store_true", help="print the counts")
    parser.add_argument("--frames", type=int, default=0, help="draw only the first N frames")
    parser.add_argument("--per-row", type=int, default=FRAMES_PER_ROW, help="frames per row")
    parser.add_argument("--cell", type=int, default=CELL, help="pixels of a frame's square")
    args = parser.parse_args(argv)
    if args.frames < 0 or args.per_row < 1 or not 1 <= args.cell <= 64:
        parser.error("--frames must be >= 0, --per-row >= 1, --cell 1..64")
    try:
        with open(args.log, errors="replace") as f:
            dumps = find_dumps(f.read().splitlines())
        if not dumps:
            raise DumpError(f"no 'framemap begin' line in {args.log}")
        if not -len(dumps) <= (args.dump - 1 if args.dump > 0 else -1) < len(dumps):
            raise DumpError(f"there are {len(dumps)} dumps in {args.log}, not {args.dump}")
        d = parse_words(dumps[args.dump - 1 if args.dump > 0 else -1])
    except (OSError, DumpError) as e:
        print(f"framemap.py: {e}", file=sys.stderr)
        return 1
    frames = min(args.frames, d.frames) if args.frames else d.frames
    layout = Layout(args.per_row, args.cell, GAP, frames)
    if args.png:
        draw_png(d, layout, args.png)
    if args.svg:
        draw_svg(d, layout, args.svg)
    if args.summary or not (args.png or args.svg):
        try:
            print("\n".join(summary(d)))
        except BrokenPipeError:  # e.g. piped into head
            sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
