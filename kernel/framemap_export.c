/*
 * framemap_export.c — writing the frame map to COM1 as run-length encoded text.
 *
 * Every line starts with "framemap ", so the dump can be picked out of a serial
 * log whatever else the kernel printed around it. Version 1:
 *
 *   framemap begin v1 frames 32736 page 4096 asked-by pid 2 tick 53
 *   framemap class R 256 reserved            one line per class: letter, frames, name
 *   ...
 *   framemap allocator total 32148 free 31723 kernel 92 page-table 28 user 305
 *   framemap run 0x0 256 R                   runs: first frame (hex), how many, class,
 *   framemap run 0x14a 3 P 1                 then for P, U, C and S the pids: the owner
 *   framemap run 0x2a1 40 C 1,2              (0: the kernel's own tables), or the first
 *   framemap run 0x2c9 1 C 1,2,+             two mappers, "+" when there are more
 *   framemap range 0x40a000 0x44a000 pid 2 pages 64 untouched 0 prot-none 0 swapped 0 lost 0 C=64
 *   framemap end 32736
 *
 * A run is a stretch of consecutive frames with the same class and pids; the runs
 * cover frames 0 .. frames-1 in order, and the class counts add up to frames.
 * "range" (only when the program asked for one) counts the frames that the pages
 * [start, end) of its address space hold, by class: untouched pages hold none;
 * prot-none counts PROT_NONE pages, whose frames are counted by class as well;
 * swapped and lost count the pages that hold none because they are out in a
 * swap slot or lost, private or shared memory alike (mm/page_out.h).
 * "allocator" is the frame allocator's own counters taken with the map, so that
 * its page-table count can be checked against the map's P frames.
 */
#include "framemap_export.h"

#include "errno.h"
#include "framemap.h"
#include "lib/format.h"
#include "mm/as.h"
#include "mm/page_out.h"
#include "mm/pmm.h"
#include "mm/vma.h"
#include "printk.h"
#include "serial.h"
#include "timer.h"

#define LINE_MAX 160

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line to COM1 only: the dump would flood the VGA console. */
static void emit(const char *fmt, ...)
{
    char line[LINE_MAX];
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(line, sizeof line, fmt, args);
    va_end(args);
    serial_write(line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
}

static bool has_pids(enum frame_class class)
{
    return class == FRAME_CLASS_PAGE_TABLE || class == FRAME_CLASS_USER ||
           class == FRAME_CLASS_COW_SHARED || class == FRAME_CLASS_SHARED_MEMORY;
}

/* Two frames belong to one run if they would print the same. */
static bool same_run(const struct frame_owner *a, const struct frame_owner *b)
{
    if (a->class != b->class)
        return false;
    if (!has_pids(a->class))
        return true;
    return a->pid == b->pid && a->pid2 == b->pid2 &&
           (a->flags & FRAME_MORE_PIDS) == (b->flags & FRAME_MORE_PIDS);
}

static void emit_run(pfn_t first, pfn_t count, const struct frame_owner *o)
{
    enum frame_class class = o->class;
    if (!has_pids(class) || o->pid == FRAME_NO_PID) {
        emit("framemap run 0x%lx %lu %c\n", first, count, frame_class_letter(class));
        return;
    }
    char pids[40];
    int n = snprintf(pids, sizeof pids, "%d", o->pid);
    if (o->pid2 != FRAME_NO_PID)
        n += snprintf(pids + n, sizeof pids - (size_t)n, ",%d", o->pid2);
    if (o->flags & FRAME_MORE_PIDS)
        snprintf(pids + n, sizeof pids - (size_t)n, ",+");
    emit("framemap run 0x%lx %lu %c %s\n", first, count, frame_class_letter(class), pids);
}

static void emit_header(const struct framemap *map, const char *reason)
{
    /* on a line of its own, even after a line redrawn in place (the uptime) */
    emit("\nframemap begin v1 frames %lu page %lu asked-by %s tick %lu\n", map->frames, PAGE_SIZE,
         reason, timer_ticks());
    for (int c = 0; c < FRAME_CLASS_COUNT; c++)
        emit("framemap class %c %lu %s\n", frame_class_letter(c), map->counts[c],
             frame_class_name(c));
    struct pmm_stats s = pmm_stats();
    emit("framemap allocator total %lu free %lu kernel %lu page-table %lu user %lu\n", s.total,
         s.free, s.used[FRAME_KERNEL], s.used[FRAME_PAGE_TABLE], s.used[FRAME_USER]);
}

static void emit_runs(const struct framemap *map)
{
    pfn_t first = 0;
    for (pfn_t pfn = 1; pfn <= map->frames; pfn++) {
        if (pfn < map->frames && same_run(&map->owners[first], &map->owners[pfn]))
            continue;
        emit_run(first, pfn - first, &map->owners[first]);
        first = pfn;
    }
}

/* What the pages of a range hold: frames by class, or none. */
struct range_counts {
    uint64_t classes[FRAME_CLASS_COUNT];
    uint64_t untouched, prot_none, swapped, lost;
};

/* A page of the range that holds no frame: out in a swap slot (a private page's
 * swap entry, or shared memory's slot in its object), lost, or untouched. */
static void count_frameless(const struct framemap_range *range, vaddr_t va, struct range_counts *c)
{
    const struct vma *vma = vma_find(range->as, va);
    enum page_out where = vma != NULL ? page_out_state(range->as, vma, va) : PAGE_OUT_NONE;
    c->swapped += where == PAGE_OUT_SWAPPED;
    c->lost += where == PAGE_OUT_LOST;
    c->untouched += where == PAGE_OUT_NONE;
}

/* How the pages of range hold frames, counted by the classes of the map. */
static void emit_range(const struct framemap *map, const struct framemap_range *range)
{
    struct range_counts c = { 0 };
    for (vaddr_t va = range->start; va < range->end; va += PAGE_SIZE) {
        pte_t entry = as_entry(range->as, va);
        pfn_t pfn = paddr_to_pfn(pte_frame(entry));
        if (!pte_holds_frame(entry) || pfn >= map->frames) {
            count_frameless(range, va, &c);
            continue;
        }
        c.prot_none += !pte_present(entry);
        c.classes[map->owners[pfn].class]++;
    }
    char text[LINE_MAX] = "";
    int n = 0;
    for (int k = 0; k < FRAME_CLASS_COUNT && n < (int)sizeof text; k++) {
        if (c.classes[k] != 0)
            n += snprintf(text + n, sizeof text - (size_t)n, " %c=%lu", frame_class_letter(k),
                          c.classes[k]);
    }
    emit("framemap range 0x%lx 0x%lx pid %d pages %lu untouched %lu prot-none %lu swapped %lu "
         "lost %lu%s\n",
         range->start, range->end, range->pid, (range->end - range->start) / PAGE_SIZE, c.untouched,
         c.prot_none, c.swapped, c.lost, text);
}

int framemap_export(const char *reason, const struct framemap_range *range)
{
    struct framemap map = FRAMEMAP_EMPTY;
    if (!framemap_build(&map)) {
        kprintf("framemap: no memory for the map (%lu frames)\n", pmm_page_count);
        return -ENOMEM;
    }
    emit_header(&map, reason);
    emit_runs(&map);
    if (range != NULL)
        emit_range(&map, range);
    emit("framemap end %lu\n", map.frames);
    framemap_release(&map);
    return 0;
}
