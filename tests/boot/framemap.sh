#!/usr/bin/env bash
# framemap.sh — the export of the physical-memory map (kernel/framemap*.c,
# tools/framemap.py) checked against a known state: user/framemap writes 64 heap
# pages, dumps the map, forks, and the child dumps while those pages are shared
# copy-on-write; the parent dumps again after the child exited.
#   framemap_export_before_fork     dump 1: the 64 heap frames are "user", pid 1's
#   framemap_refuses_bad_arguments  bad flags, unaligned, too long, beyond user space,
#                                   wrapping: -EINVAL, and no dump
#   framemap_export_cow_after_fork  dump 2: the same 64 frames COW-shared, every COW
#                                   run by pids 1 and 2 (and 4 MAP_SHARED frames "shared
#                                   memory" of both), one zero page, page tables
#                                   as the allocator counts them, classes adding up
#   framemap_export_after_child     dump 3: pid 1's alone again, nothing COW-shared
#   framemap_png_svg_colours        tools/framemap.py draws dump 2: the PNG's square of
#                                   a COW-shared frame is pink, the SVG's too, the
#                                   kernel image's first frame red, the last frame free
#   framemap_enosys_on_linux        on Linux the same binary gets -ENOSYS
#   framemap_readme_sample_current  the dump shown in README.md has the shape of a real
#                                   one (its words; numbers may differ), line by line
# The live view on the VGA console (kernel/framemap_view.c), with `framemap hold`
# keeping the heap COW-shared, keys pressed and the screen saved by QEMU's monitor
# (tests/boot-kernel --keys with @wait= and @screendump=):
#   framemap_view_physical          F2: 1024x768; the legend's COW-shared square is
#                                   pink; the kernel image's first frame red, the last
#                                   frame free, a COW-shared frame (from an F4 export
#                                   of the same moment) pink
#   framemap_view_process           F3, Tab: pid 2's view shows its data page and its
#                                   64 heap pages COW-shared, the heap a region of its own
#   framemap_view_back_to_text      F1: the text console as it was, status bar and all;
#                                   the program ends normally, every frame back
#   framemap_view_shows_pages_out   shmtour hold (24 MiB, 32 MiB of swap): F3's band of
#                                   its MAP_SHARED region, page 0 in a frame of shared
#                                   memory, pages 1-7 out in slots their object records:
#                                   drawn as swapped out, as a private page's swap entry
#                                   is (mm/page_out.h); the legend has both out colours
source "$(dirname "$0")/lib.sh"

names="framemap_export_before_fork framemap_refuses_bad_arguments framemap_export_cow_after_fork
    framemap_export_after_child framemap_png_svg_colours framemap_enosys_on_linux
    framemap_readme_sample_current"
view_names="framemap_view_physical framemap_view_process framemap_view_back_to_text"
selected $names $view_names framemap_view_shows_pages_out || exit 0
tool="$here/tools/framemap.py"
log="$logdir/framemap.log"
out="$logdir/framemap.out"
pages=64

# dump N [LOG]: the lines of the Nth dump in the log, without their "framemap " prefix.
dump() {
    awk -v n="$1" '/^framemap begin/ { k++ } k == n && /^framemap / { sub(/^framemap /, ""); print }
        k == n && /^framemap end/ { exit }' "${2:-$log}"
}

# class_count DUMP LETTER: the frames the dump counts for a class.
class_count() { awk -v c="$2" '$1 == "class" && $2 == c { print $3 }' <<<"$1"; }

# check_dump NAME N OWNER_CLASS: the range line says all 64 heap frames are of
# OWNER_CLASS, and the dump is consistent; prints the reason if not.
check_dump() {
    local d why="" range frames sum tables allocator_tables zero
    d=$(dump "$2")
    [ -n "$d" ] || { echo "no dump $2 in the log"; return; }
    range=$(grep '^range ' <<<"$d")
    [[ "$range" == *" pages $pages untouched 0 prot-none 0 swapped 0 lost 0 $3=$pages" ]] ||
        { echo "heap range: \"$range\", expected all $pages frames $3"; return; }
    frames=$(awk '$1 == "begin" { print $4 }' <<<"$d")
    sum=$(awk '$1 == "class" { s += $3 } END { print s }' <<<"$d")
    [ "$sum" = "$frames" ] || { echo "the classes add up to $sum frames, not $frames"; return; }
    tables=$(class_count "$d" P)
    allocator_tables=$(awk '$1 == "allocator" { print $9 }' <<<"$d")
    [ "$tables" = "$allocator_tables" ] ||
        { echo "$tables page-table frames in the map, the allocator counts $allocator_tables"; return; }
    zero=$(class_count "$d" Z)
    [ "$zero" = 1 ] || { echo "$zero zero pages"; return; }
    "$tool" "$log" --dump "$2" --summary >/dev/null 2>"$logdir/framemap-tool.err" ||
        { echo "tools/framemap.py rejects dump $2: $(cat "$logdir/framemap-tool.err")"; return; }
}

# expect_dump NAME N CLASS EXTRA_CHECK...: check_dump, then the extra check's words.
expect_dump() {
    local name=$1 why
    why=$(check_dump "$@")
    [ -z "$why" ] && why=$(${4:-true} "$2")
    if [ -n "$why" ]; then fail "$name" "$why" "$log"; else pass "$name"; fi
}

# shared_memory N PIDS: the 4 MAP_SHARED frames are "shared memory", of PIDS.
shared_memory() {
    local d bad
    d=$(dump "$1")
    [ "$(class_count "$d" S)" = 4 ] || { echo "$(class_count "$d" S) shared-memory frames, not 4"; return; }
    bad=$(awk -v p="$2" '$1 == "run" && $4 == "S" && $5 != p' <<<"$d")
    [ -z "$bad" ] || echo "shared-memory runs not of pids $2: $bad"
}

# Dump 2: every COW-shared run is shared by pids 1 and 2 exactly; so is the shared memory.
cow_runs_by_both() {
    local bad
    bad=$(dump "$1" | awk '$1 == "run" && $4 == "C" && $5 != "1,2"')
    [ -z "$bad" ] || { echo "COW-shared runs not by pids 1,2: $bad"; return; }
    shared_memory "$1" 1,2
}

# Dumps 1 and 3: nothing is COW-shared; the shared memory is pid 1's.
nothing_cow() {
    local c
    c=$(class_count "$(dump "$1")" C)
    [ "$c" = 0 ] || { echo "$c COW-shared frames with one process"; return; }
    shared_memory "$1" 1
}

# The pixel at the centre of frame PFN's square in a PNG written by the tool:
# "R G B" (PNG decoded here with zlib: every row filter 0, as the tool writes it).
png_pixel() {
    python3 - "$1" "$2" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
width, height = struct.unpack(">II", data[16:24])
pos, idat = 8, b""
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + length]
    pos += 12 + length
raw = zlib.decompress(idat)
pfn = int(sys.argv[2], 0)
x, y = (pfn % 256) * 4 + 1, (pfn // 256) * 4 + 1
row = raw[y * (3 * width + 1) + 1:(y + 1) * (3 * width + 1)]
print(*row[3 * x:3 * x + 3])
PY
}

# PNG and SVG of dump 2: the colours at known frames.
check_pictures() {
    local d cow_pfn image_pfn last_pfn frames x y
    "$tool" "$log" --dump 2 --png "$logdir/framemap.png" --svg "$logdir/framemap.svg" ||
        { echo "tools/framemap.py failed"; return; }
    d=$(dump 2)
    cow_pfn=$(awk '$1 == "run" && $4 == "C" { print $2; exit }' <<<"$d")
    image_pfn=$(awk '$1 == "run" && $4 == "I" { print $2; exit }' <<<"$d")
    frames=$(awk '$1 == "begin" { print $4 }' <<<"$d")
    last_pfn=$((frames - 1))
    [ -n "$cow_pfn" ] && [ -n "$image_pfn" ] || { echo "dump 2 has no COW-shared or no kernel-image run"; return; }
    [ "$(png_pixel "$logdir/framemap.png" "$cow_pfn")" = "255 80 160" ] ||
        { echo "PNG: COW-shared frame $cow_pfn is $(png_pixel "$logdir/framemap.png" "$cow_pfn"), not pink"; return; }
    [ "$(png_pixel "$logdir/framemap.png" "$image_pfn")" = "220 50 47" ] ||
        { echo "PNG: kernel image frame $image_pfn is not red"; return; }
    [ "$(png_pixel "$logdir/framemap.png" "$last_pfn")" = "24 28 48" ] ||
        { echo "PNG: the last frame $last_pfn is not the free colour"; return; }
    x=$(((cow_pfn % 256) * 4)) y=$(((cow_pfn / 256) * 4))
    grep -q "<rect x=\"$x\" y=\"$y\" [^>]*fill=\"rgb(255, 80, 160)\"" "$logdir/framemap.svg" ||
        { echo "SVG: no pink square at frame $cow_pfn"; return; }
    grep -q ">COW-shared: $(class_count "$d" C)<" "$logdir/framemap.svg" ||
        echo "SVG: no legend line for the COW-shared frames"
}
# readme_sample: each "    framemap ..." line of README.md's sample, its numbers
# made wildcards, must match a line of dump 2, in order; prints why not.
readme_sample() {
    python3 - "$here/README.md" <(dump 2) <<'PY'
import re, sys
sample = [l.strip() for l in open(sys.argv[1]) if l.startswith("    framemap ")]
real = ["framemap " + l for l in open(sys.argv[2]).read().splitlines()]
if not sample:
    print("README.md shows no dump")
at = 0
for line in sample:
    words = [r"(0x[0-9a-f]+|[0-9]+)" if re.fullmatch(r"0x[0-9a-f]+|[0-9]+", w) else re.escape(w)
             for w in line.split()]
    pattern = re.compile(" ".join(words) + "$")
    while at < len(real) and not pattern.match(real[at]):
        at += 1
    if at == len(real):
        print(f"README.md's line {line!r} matches no real line (in order)")
        break
    at += 1
PY
}

# export_tests: user/framemap's three dumps, the pictures of dump 2, and Linux.
export_tests() {
    run_elf --log "$log" "$here/build/user/framemap" >"$out"
    if [ "$status" -ne 0 ] || [ "$(grep -c '^framemap: dump [123] ' "$out")" != 3 ]; then
        for n in $names; do fail "$n" "framemap exited with $status: $(tail -n 1 "$out")" "$log"; done
        return
    fi
    selected framemap_export_before_fork && expect_dump framemap_export_before_fork 1 U nothing_cow
    if selected framemap_refuses_bad_arguments; then
        grep -q "^framemap: 6 of 6 bad calls refused with EINVAL" "$out" &&
            [ "$(grep -c '^framemap begin' "$log")" = 3 ] && pass framemap_refuses_bad_arguments ||
            fail framemap_refuses_bad_arguments "$(grep 'bad calls' "$out"), $(grep -c '^framemap begin' "$log") dumps" "$log"
    fi
    selected framemap_export_cow_after_fork &&
        expect_dump framemap_export_cow_after_fork 2 C cow_runs_by_both
    selected framemap_export_after_child && expect_dump framemap_export_after_child 3 U nothing_cow

    if selected framemap_png_svg_colours; then
        why=$(check_pictures)
        if [ -n "$why" ]; then fail framemap_png_svg_colours "$why"; else pass framemap_png_svg_colours; fi
    fi

    if selected framemap_readme_sample_current; then
        why=$(readme_sample)
        if [ -n "$why" ]; then fail framemap_readme_sample_current "$why"; else pass framemap_readme_sample_current; fi
    fi

    # The same static binary on the host's Linux: the call is vmlab's own.
    if selected framemap_enosys_on_linux; then
        if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
            pass framemap_enosys_on_linux # nothing to compare with
        else
            host_out=$("$here/build/user/framemap" 2>&1)
            host_status=$?
            [ $host_status = 1 ] && [[ "$host_out" == *"dump 1: vmlab_framemap failed: ENOSYS"* ]] &&
                pass framemap_enosys_on_linux ||
                fail framemap_enosys_on_linux "on Linux: status $host_status, output: $host_out"
        fi
    fi
}


# ppm pixel FILE X Y: "R G B" of a pixel of QEMU's screendump (binary PPM, P6);
# ppm size FILE: "WIDTH HEIGHT"; ppm rows FILE FIRST LAST: a checksum of those rows;
# ppm pages FILE Y N: "R G B" of the first N page squares of the process view's row
# at Y (x = 1, 5, 9, ...), a line each.
ppm() {
    python3 - "$@" <<'PY'
import hashlib, sys
data = open(sys.argv[2], "rb").read()
magic, size, depth, pixels = data.split(b"\n", 3)
width, height = map(int, size.split())
if sys.argv[1] == "size":
    print(width, height)
elif sys.argv[1] == "pixel":
    x, y = int(sys.argv[3]), int(sys.argv[4])
    print(*pixels[3 * (y * width + x):3 * (y * width + x) + 3])
elif sys.argv[1] == "pages":
    y, n = int(sys.argv[3]), int(sys.argv[4])
    for x in range(1, 4 * n, 4):
        print(*pixels[3 * (y * width + x):3 * (y * width + x) + 3])
else:
    first, last = int(sys.argv[3]), int(sys.argv[4])
    print(hashlib.sha1(pixels[3 * width * first:3 * width * (last + 1)]).hexdigest())
PY
}

# Where things are on the 1024x768 view (kernel/framemap_view.c, 128 MiB: 3x3
# squares, 256 per row, the grid from y = 22, the legend's 5 lines from y = 684).
GRID_Y=22
cell_x() { echo $((($1 % 256) * 4 + 1)); }
cell_y() { echo $((GRID_Y + ($1 / 256) * 4 + 1)); }
COW_LEGEND="261 708"    # the 7th entry (column 1, line 1): COW-shared's square
# The process view: one band per region, a header line (18 pixels), then the pages
# (4 pixels each), then 4 pixels: text from y = 22 (pages at 40), rodata from 48 (66),
# data from 74 (92), heap from 100 (118). The data region maps the program's file
# (private) and the heap is anonymous: two regions, as in Linux's /proc/PID/maps.
DATA_PAGE="1 93"        # the 3rd region's (data, file-backed) only page
HEAP_PAGE_1="1 119"     # the 4th region's (heap) 1st page
HEAP_PAGE_64="253 119"  # ... and its 64th, the heap's last
AFTER_HEAP="257 119"    # where a 65th heap page would be: background
BACKGROUND="0 0 0"
PINK="255 80 160" RED="220 50 47" FREE="24 28 48" STATUS_BLUE="0 0 168"

# expect_pixel FILE "X Y" COLOUR WHAT: prints why not, if that pixel is not COLOUR.
expect_pixel() {
    local got
    got=$(ppm pixel "$1" $2)
    [ "$got" = "$3" ] || echo "$4 at ($2) is ($got), expected ($3)"
}

view_physical() {
    local why d cow_pfn frames
    [ "$(ppm size "$shot_physical")" = "1024 768" ] || { echo "screen is $(ppm size "$shot_physical")"; return; }
    d=$(dump 1 "$view_log")
    [ -n "$d" ] || { echo "no F4 export in the log"; return; }
    frames=$(awk '$1 == "begin" { print $4 }' <<<"$d")
    # a frame of the longest COW-shared run: the heap's, unchanged while both wait
    cow_pfn=$(awk '$1 == "run" && $4 == "C" && $3 > n { n = $3; p = $2 } END { print p }' <<<"$d")
    [ -n "$cow_pfn" ] || { echo "the F4 export has no COW-shared frames"; return; }
    expect_pixel "$shot_physical" "$COW_LEGEND" "$PINK" "the legend's COW-shared square"
    expect_pixel "$shot_physical" "$(cell_x 256) $(cell_y 256)" "$RED" "the kernel image's first frame (0x100)"
    expect_pixel "$shot_physical" "$(cell_x $((frames - 1))) $(cell_y $((frames - 1)))" "$FREE" "the last frame"
    expect_pixel "$shot_physical" "$(cell_x $((cow_pfn))) $(cell_y $((cow_pfn)))" "$PINK" "COW-shared frame $cow_pfn"
}

view_process() {
    grep -q "framemap view: process 2 drawn" "$view_log" || { echo "no 'process 2 drawn' line"; return; }
    expect_pixel "$shot_process" "$DATA_PAGE" "$PINK" "pid 2's data page"
    expect_pixel "$shot_process" "$HEAP_PAGE_1" "$PINK" "pid 2's first heap page"
    expect_pixel "$shot_process" "$HEAP_PAGE_64" "$PINK" "pid 2's last heap page"
    expect_pixel "$shot_process" "$AFTER_HEAP" "$BACKGROUND" "pid 2's heap has 64 pages, not more:"
}

view_back_to_text() {
    [ "$(ppm size "$shot_text")" = "720 400" ] || { echo "the screen after F1 is $(ppm size "$shot_text"), not text mode's 720x400"; return; }
    expect_pixel "$shot_text" "715 8" "$STATUS_BLUE" "the status bar"
    [ "$(ppm rows "$shot_before" 16 31)" = "$(ppm rows "$shot_text" 16 31)" ] ||
        echo "the first line of text differs from before F2"
    [ $view_status = 0 ] || echo "framemap hold ended with status $view_status"
    grep -q "vmlab: memory check: .* as before the first program" "$view_log" ||
        echo "memory not returned: $(grep 'memory check' "$view_log")"
}

# view_tests: `framemap hold`, then F2, F4, F3, Tab, F1, with screendumps.
view_tests() {
    view_log="$logdir/framemap-view.log"
    local shots="$logdir/framemap-view" name why
    shot_before=$shots-before.ppm shot_physical=$shots-physical.ppm
    shot_process=$shots-process.ppm shot_text=$shots-text.ppm
    rm -f "$shots"-*.ppm
    run_elf --timeout 60 --log "$view_log" --keys "@wait=framemap:_holding @screendump=$shot_before
        f2 @wait=physical_memory_drawn @screendump=$shot_physical f4 @wait=framemap_end
        f3 @wait=process_1_drawn tab @wait=process_2_drawn @screendump=$shot_process
        f1 @wait=framemap_view:_text_console @screendump=$shot_text ret" \
        "$here/build/user/framemap" hold >"$logdir/framemap-view.out"
    view_status=$status
    for name in $view_names; do
        selected "$name" || continue
        if [ ! -s "$shot_text" ]; then
            fail "$name" "the run ended (status $view_status) before the last screendump" "$view_log"
            continue
        fi
        why=$(${name#framemap_})
        if [ -n "$why" ]; then fail "$name" "$why" "$view_log"; else pass "$name"; fi
    done
}

# shmtour's regions from its "shmtour: map START-END ..." lines, as "START PAGES".
region_pages() {
    sed -n 's/^shmtour: map \([0-9a-f]*\)-\([0-9a-f]*\) .*/\1 \2/p' "$1" |
        while read -r a b; do echo "$a $(((0x$b - 0x$a) / 4096))"; done
}

# The y of the first row of pages of the region starting at START (hex, no 0x), in
# the process view: each region above it a header (18 pixels), its rows of pages (4
# pixels each, 256 pages a row, at most 4 rows) and 4 pixels.
band_y() {
    local y=$GRID_Y start pages rows
    while read -r start pages; do
        [ "$start" = "$2" ] && { echo $((y + 18 + 1)); return; }
        rows=$(((pages + 255) / 256))
        y=$((y + 18 + (rows > 4 ? 4 : rows) * 4 + 4))
    done < <(region_pages "$1")
}

SWAPPED="144 144 180" LOST="255 64 64" CYAN="0 200 220" GREEN="60 180 75"
pages_out_view() {
    local out=$1 shot=$2 shared y i
    grep -q "framemap view: process 1 drawn" "$3" || { echo "no 'process 1 drawn' line"; return; }
    shared=$(sed -n 's/^shmtour: shared region 0x\([0-9a-f]*\),.*all out.*/\1/p' "$out")
    [ -n "$shared" ] || { echo "shmtour did not put its shared pages out"; return; }
    y=$(band_y "$out" "$shared")
    [ -n "$y" ] || { echo "no region at $shared among shmtour's maps lines"; return; }
    expect_pixel "$shot" "1 $y" "$CYAN" "page 0 of the shared region (in a frame)"
    for i in 1 7; do
        expect_pixel "$shot" "$((i * 4 + 1)) $y" "$SWAPPED" "page $i of the shared region (out in a slot)"
    done
    # the 64 private pages left of the pressure: each out in a swap entry, drawn
    # swapped out, or in a frame of pid 1's; as many out as the frame map's range
    # counted just before the hold
    local private swapped drawn
    private=$(region_pages "$out" | awk '$2 == 64 { print $1 }')
    [ -n "$private" ] || { echo "no region of 64 pages among shmtour's maps lines"; return; }
    y=$(band_y "$out" "$private")
    swapped=$(grep "^framemap range 0x$private .* pages 64 " "$3" | tail -1 | sed -n 's/.* swapped \([0-9]*\) .*/\1/p')
    drawn=$(ppm pages "$shot" "$y" 64 | sort | uniq -c | awk -v s="$SWAPPED" -v g="$GREEN" '
        $2 " " $3 " " $4 == s { out = $1; next } $2 " " $3 " " $4 == g { next } { other += $1 }
        END { print out + 0, other + 0 }')
    [ "$drawn" = "${swapped:-none} 0" ] ||
        echo "the private pages: $drawn (swapped out, neither out nor pid 1's) drawn, $swapped out in the frame map's range"
    expect_pixel "$shot" "517 692" "$SWAPPED" "the legend's swapped-out square"
    expect_pixel "$shot" "517 708" "$LOST" "the legend's lost square"
}

# shmtour hold: F3 once its pages are out, then F1 and a line to end it.
pages_out_view_test() {
    local name=framemap_view_shows_pages_out log="$logdir/framemap-shm.log" why
    local out="$logdir/framemap-shm.out" shot="$logdir/framemap-shm.ppm"
    rm -f "$shot"
    run_elf --timeout 90 --mem 24M --swap 32M --log "$log" --keys "@wait=shmtour:_holding f3
        @wait=process_1_drawn @screendump=$shot f1 @wait=framemap_view:_text_console ret" \
        "$here/build/user/shmtour" hold >"$out"
    if [ ! -s "$shot" ]; then
        fail $name "the run ended (status $status) before the screendump" "$log"
        return
    fi
    why=$(pages_out_view "$out" "$shot" "$log")
    if [ -n "$why" ]; then fail $name "$why" "$log"; else pass $name; fi
}

selected $names && in_parallel export_tests
selected $view_names && in_parallel view_tests
selected framemap_view_shows_pages_out && in_parallel pages_out_view_test
wait_parallel
