/*
 * framemap_view.c — the physical-memory and address-space views on the screen.
 *
 * Keys only record a wish (framemap_view_key runs in the keyboard interrupt, where
 * page tables may be half-changed by the process it interrupted); the switching,
 * the map's building and the drawing happen in framemap_view_work, at a point
 * where no page-table change is in progress.
 *
 * The screen (1024 x 768, Bochs VBE) of the physical view:
 *   a title line
 *   the frames: FRAMES_PER_ROW(pitch) squares per row, low addresses at the top
 *   the legend: each class's colour, name and frame count; a colour per pid
 */
#include "framemap_view.h"

#include "dev/bochs_vbe.h"
#include "framemap.h"
#include "framemap_draw.h"
#include "framemap_export.h"
#include "lib/format.h"
#include "mm/as.h"
#include "mm/kheap.h"
#include "mm/page_out.h"
#include "mm/vma.h"
#include "printk.h"
#include "proc.h"
#include "timer.h"
#include "vga.h"

#define SCREEN_WIDTH  1024
#define SCREEN_HEIGHT 768
#define TITLE_Y       2
#define GRID_Y        (TITLE_Y + FONT_HEIGHT + 4)
#define LEGEND_LINES  5
#define LEGEND_HEIGHT (LEGEND_LINES * FONT_HEIGHT + 8)
#define LEGEND_COLUMN 256 /* pixels per legend column */
#define SWATCH        10
#define REDRAW_TICKS  (TIMER_HZ / 4) /* four pictures a second, at most */
#define DRAW_SHARE    4              /* ... and drawing takes at most a quarter of the time */
#define NOT_DRAWN     0xffffffffu    /* no colour: colours are 0x00RRGGBB */
#define MAX_PITCH     4              /* a 3x3 square and a 1-pixel gap */
#define TEXT_MAX      128

/* Scan codes (set 1) of the keys, as pressed. */
#define KEY_ESC 0x01
#define KEY_TAB 0x0f
#define KEY_F1  0x3b
#define KEY_F2  0x3c
#define KEY_F3  0x3d
#define KEY_F4  0x3e

enum view { VIEW_TEXT, VIEW_PHYSICAL, VIEW_PROCESS };

static volatile enum view wanted = VIEW_TEXT; /* set by keys */
static volatile bool next_process_wanted, export_wanted;
static enum view shown = VIEW_TEXT;
static uint64_t drawn_at, redraw_interval = REDRAW_TICKS;
static int shown_pid;
static bool font_loaded;
static struct framebuffer fb;

/* Kept while a view is shown, given back on F1: the map (rebuilt in place) and the
 * colour each frame's square has on the screen, so a redraw paints only changes. */
static struct framemap map = FRAMEMAP_EMPTY;
static uint32_t *drawn_colours;
static pfn_t drawn_count;

bool framemap_view_key(uint8_t code)
{
    bool in_view = wanted != VIEW_TEXT;
    switch (code) {
    case KEY_F2: wanted = VIEW_PHYSICAL; return true;
    case KEY_F3:
        if (wanted == VIEW_PROCESS)
            next_process_wanted = true;
        wanted = VIEW_PROCESS;
        return true;
    case KEY_F4: export_wanted = true; return true;
    case KEY_F1: wanted = VIEW_TEXT; return true;
    case KEY_ESC:
        if (in_view)
            wanted = VIEW_TEXT;
        return in_view;
    case KEY_TAB:
        if (in_view)
            next_process_wanted = true;
        return in_view;
    default: return false;
    }
}

/* ---- the physical view ---- */

struct grid {
    unsigned pitch, cell, per_row; /* pixels per frame, of its square; frames per row */
};

/* The largest squares that fit every frame above the legend (3x3 up to about
 * 160 MiB; 2x2, then single pixels, for more; what does not fit is left out). */
static struct grid grid_for(pfn_t frames)
{
    unsigned height = SCREEN_HEIGHT - GRID_Y - LEGEND_HEIGHT;
    for (unsigned pitch = MAX_PITCH; pitch > 1; pitch--) {
        unsigned per_row = SCREEN_WIDTH / pitch;
        if ((frames + per_row - 1) / per_row * pitch <= height)
            return (struct grid){ pitch, pitch - 1, per_row };
    }
    return (struct grid){ 1, 1, SCREEN_WIDTH };
}

/* drawn_colours for map's frames, all "not drawn" (the screen was cleared); NULL
 * if there is no memory for it (then every square is painted every time). */
static void forget_drawn_colours(const struct framemap *m)
{
    if (drawn_colours == NULL || drawn_count != m->frames) {
        kfree(drawn_colours);
        drawn_colours = kmalloc(m->frames * sizeof *drawn_colours);
        drawn_count = drawn_colours != NULL ? m->frames : 0;
    }
    for (pfn_t pfn = 0; pfn < drawn_count; pfn++)
        drawn_colours[pfn] = NOT_DRAWN;
}

/* The squares whose colour changed since the last picture. */
static void draw_frames(const struct framemap *m, struct grid g)
{
    unsigned rows = (SCREEN_HEIGHT - GRID_Y - LEGEND_HEIGHT) / g.pitch;
    for (pfn_t pfn = 0; pfn < m->frames && pfn / g.per_row < rows; pfn++) {
        uint32_t colour = frame_colour(&m->owners[pfn]);
        if (pfn < drawn_count && drawn_colours[pfn] == colour)
            continue;
        if (pfn < drawn_count)
            drawn_colours[pfn] = colour;
        unsigned x = (unsigned)(pfn % g.per_row) * g.pitch;
        unsigned y = GRID_Y + (unsigned)(pfn / g.per_row) * g.pitch;
        draw_rect(&fb, x, y, g.cell, g.cell, colour);
    }
}

/* One legend entry: a swatch and its text, in column column of line line. */
static void legend_entry(unsigned line, unsigned column, uint32_t colour, const char *text)
{
    unsigned x = column * LEGEND_COLUMN, y = SCREEN_HEIGHT - LEGEND_HEIGHT + 4 + line * FONT_HEIGHT;
    draw_rect(&fb, x, y + 3, SWATCH, SWATCH, colour);
    draw_text(&fb, x + SWATCH + 4, y, text, COLOUR_TEXT);
}

/* The user frames of each process, as many as there is room for in the legend. */
static void legend_user_pids(const struct framemap *m, unsigned *slot)
{
    enum { ROOM = 4 * LEGEND_LINES };
    int pids[ROOM];
    uint64_t counts[ROOM] = { 0 };
    unsigned n = 0;
    for (int i = 0; i < MAX_PROCS && *slot + n < ROOM; i++) {
        struct proc *p = proc_at(i);
        if (p != NULL && p->as != NULL && p->state != PROC_ZOMBIE)
            pids[n++] = p->pid;
    }
    for (pfn_t pfn = 0; pfn < m->frames; pfn++) {
        const struct frame_owner *o = &m->owners[pfn];
        for (unsigned i = 0; i < n && o->class == FRAME_CLASS_USER; i++)
            counts[i] += o->pid == pids[i];
    }
    for (unsigned i = 0; i < n; i++, (*slot)++) {
        char text[TEXT_MAX];
        snprintf(text, sizeof text, "user pid %d: %lu", pids[i], counts[i]);
        legend_entry(*slot % LEGEND_LINES, *slot / LEGEND_LINES, user_pid_colour(pids[i]), text);
    }
}

static void draw_legend(const struct framemap *m)
{
    draw_rect(&fb, 0, SCREEN_HEIGHT - LEGEND_HEIGHT, SCREEN_WIDTH, LEGEND_HEIGHT,
              COLOUR_BACKGROUND);
    unsigned slot = 0;
    for (int c = 0; c < FRAME_CLASS_COUNT; c++) {
        if (c == FRAME_CLASS_USER)
            continue; /* by pid, below */
        char text[TEXT_MAX];
        snprintf(text, sizeof text, "%s: %lu", frame_class_name(c), m->counts[c]);
        legend_entry(slot % LEGEND_LINES, slot / LEGEND_LINES, frame_class_colour(c), text);
        slot++;
    }
    legend_user_pids(m, &slot);
}

static void draw_title(const char *text)
{
    draw_rect(&fb, 0, 0, SCREEN_WIDTH, GRID_Y, COLOUR_BACKGROUND);
    draw_text(&fb, 4, TITLE_Y, text, COLOUR_TEXT);
}

/* How many frames the grid has room for (all of them up to about 2.6 GiB). */
static pfn_t frames_shown(pfn_t frames, struct grid g)
{
    pfn_t room = (pfn_t)((SCREEN_HEIGHT - GRID_Y - LEGEND_HEIGHT) / g.pitch) * g.per_row;
    return frames < room ? frames : room;
}

static void draw_physical(const struct framemap *m)
{
    struct grid g = grid_for(m->frames);
    pfn_t shown_frames = frames_shown(m->frames, g);
    char title[TEXT_MAX], part[40] = "";
    if (shown_frames < m->frames)
        snprintf(part, sizeof part, ", the first %lu MiB shown", shown_frames * PAGE_SIZE >> 20);
    snprintf(title, sizeof title,
             "Physical memory: %lu frames (%lu MiB)%s, %u per row, tick %lu   "
             "F1 text  F3 process  F4 export",
             m->frames, m->frames * PAGE_SIZE >> 20, part, g.per_row, timer_ticks());
    draw_title(title);
    draw_frames(m, g);
    draw_legend(m);
}

/* ---- the view of one process's address space ---- */

#define PAGES_PER_ROW    (SCREEN_WIDTH / MAX_PITCH)
#define REGION_ROWS_MAX  4 /* pages beyond 4 rows of a region are left out */
#define REGION_HEADER    (FONT_HEIGHT + 2)
#define PROCESS_AREA_END (SCREEN_HEIGHT - LEGEND_HEIGHT)

/* The process with an address space after pid `after` (the first if none), or 0. */
static int next_process_pid(int after)
{
    int first = 0, next = 0;
    for (int slot = 0; slot < MAX_PROCS; slot++) {
        struct proc *p = proc_at(slot);
        if (p == NULL || p->as == NULL || p->state == PROC_ZOMBIE)
            continue;
        if (first == 0 || p->pid < first)
            first = p->pid;
        if (p->pid > after && (next == 0 || p->pid < next))
            next = p->pid;
    }
    return next != 0 ? next : first;
}

static const char *region_kind(const struct addr_space *as, const struct vma *vma)
{
    if (vma->flags & VMA_GROWSDOWN)
        return "stack";
    if (vma->flags & VMA_SHARED)
        return "shared";
    if (vma->start == as->brk_start)
        return "heap";
    if (vma->start < as->brk_start && vma->end > as->brk_start)
        return "data + heap"; /* the heap grew straight on from the program's data */
    return vma->start < as->brk_start ? "program" : "anon";
}

/* The colour of one page of vma: what the map says of the frame its entry holds;
 * or, holding none, whether it is out in a swap slot or lost (a private page's
 * entry says so, a shared one's object: mm/page_out.h), or untouched. */
static uint32_t page_colour(const struct framemap *m, struct addr_space *as, const struct vma *vma,
                            vaddr_t va)
{
    pte_t entry = as_entry(as, va);
    pfn_t pfn = paddr_to_pfn(pte_frame(entry));
    if (pte_holds_frame(entry) && pfn < m->frames)
        return pte_present(entry) ? frame_colour(&m->owners[pfn]) : COLOUR_PROT_NONE;
    switch (page_out_state(as, vma, va)) {
    case PAGE_OUT_SWAPPED: return COLOUR_SWAPPED;
    case PAGE_OUT_LOST: return COLOUR_LOST;
    default: return COLOUR_UNTOUCHED;
    }
}

/* A region's header line and its pages (at most REGION_ROWS_MAX rows); returns
 * the y below it. */
static unsigned draw_region(const struct framemap *m, struct addr_space *as, const struct vma *vma,
                            unsigned y)
{
    uint64_t pages = (vma->end - vma->start) / PAGE_SIZE;
    uint64_t shown_pages =
        pages < PAGES_PER_ROW * REGION_ROWS_MAX ? pages : PAGES_PER_ROW * REGION_ROWS_MAX;
    char text[TEXT_MAX];
    snprintf(text, sizeof text, "0x%lx-0x%lx %c%c%c%c %s, %lu pages%s", vma->start, vma->end,
             vma->prot & VMA_READ ? 'r' : '-', vma->prot & VMA_WRITE ? 'w' : '-',
             vma->prot & VMA_EXEC ? 'x' : '-', vma->flags & VMA_SHARED ? 's' : 'p',
             region_kind(as, vma), pages, shown_pages < pages ? " (the first shown)" : "");
    draw_text(&fb, 4, y, text, COLOUR_TEXT);
    y += REGION_HEADER;
    for (uint64_t i = 0;
         i < shown_pages && y + (i / PAGES_PER_ROW + 1) * MAX_PITCH < PROCESS_AREA_END; i++)
        draw_rect(&fb, (unsigned)(i % PAGES_PER_ROW) * MAX_PITCH,
                  y + (unsigned)(i / PAGES_PER_ROW) * MAX_PITCH, MAX_PITCH - 1, MAX_PITCH - 1,
                  page_colour(m, as, vma, vma->start + i * PAGE_SIZE));
    return y + (unsigned)((shown_pages + PAGES_PER_ROW - 1) / PAGES_PER_ROW) * MAX_PITCH + 4;
}

static void draw_process_legend(int pid)
{
    draw_rect(&fb, 0, PROCESS_AREA_END, SCREEN_WIDTH, LEGEND_HEIGHT, COLOUR_BACKGROUND);
    char own[TEXT_MAX];
    snprintf(own, sizeof own, "present, pid %d's alone", pid);
    legend_entry(0, 0, user_pid_colour(pid), own);
    legend_entry(1, 0, frame_class_colour(FRAME_CLASS_ZERO_PAGE), "the zero page");
    legend_entry(2, 0, frame_class_colour(FRAME_CLASS_COW_SHARED), "COW-shared");
    legend_entry(0, 1, frame_class_colour(FRAME_CLASS_SHARED_MEMORY), "shared memory");
    legend_entry(1, 1, COLOUR_PROT_NONE, "PROT_NONE, holding a frame");
    legend_entry(2, 1, COLOUR_UNTOUCHED, "untouched (no frame yet)");
    legend_entry(0, 2, COLOUR_SWAPPED, "swapped out (in a slot)");
    legend_entry(1, 2, COLOUR_LOST, "lost (swapoff could not read it)");
}

static void draw_process(const struct framemap *m, int pid)
{
    struct proc *p = proc_find(pid);
    char title[TEXT_MAX];
    /* regions come and go (mmap, munmap): the bands are drawn afresh each time */
    draw_rect(&fb, 0, GRID_Y, SCREEN_WIDTH, PROCESS_AREA_END - GRID_Y, COLOUR_BACKGROUND);
    if (p == NULL || p->as == NULL) {
        draw_title("No process to show (F3 again: the next one)   F1 text  F2 physical");
        return;
    }
    snprintf(title, sizeof title,
             "Process %d (%s): %lu pages resident, %u regions   "
             "Tab/F3 next  F1 text  F2 physical",
             pid, p->name, p->as->rss, p->as->regions);
    draw_title(title);
    unsigned y = GRID_Y;
    for (struct vma *vma = vma_find_after(p->as, 0); vma != NULL; vma = vma_next(vma)) {
        if (y + REGION_HEADER + MAX_PITCH >= PROCESS_AREA_END) {
            draw_text(&fb, 4, y, "... more regions", COLOUR_TEXT);
            break;
        }
        y = draw_region(m, p->as, vma, y);
    }
    draw_process_legend(pid);
}

/* ---- switching and redrawing ---- */

static bool enter_graphics(void)
{
    if (!font_loaded) {
        draw_load_font(); /* while the card is still in text mode */
        font_loaded = true;
    }
    vga_text_suspend();
    if (!vbe_enter(SCREEN_WIDTH, SCREEN_HEIGHT, &fb)) {
        vga_text_resume();
        kprintf("framemap view: no Bochs VBE graphics card (QEMU's -vga std)\n");
        return false;
    }
    return true;
}

/* Back to text, and the view's memory back to the pool. */
static void leave_graphics(void)
{
    vbe_leave();
    vga_text_resume();
    framemap_release(&map);
    kfree(drawn_colours);
    drawn_colours = NULL;
    drawn_count = 0;
}

/* One line on the consoles when a view appears (tests wait for it). */
static void report_switch(enum view v, bool drawn)
{
    const char *note = drawn ? "" : " (no memory for the map)";
    if (v == VIEW_PROCESS && shown_pid == 0)
        kprintf("framemap view: no process to show\n");
    else if (v == VIEW_PROCESS)
        kprintf("framemap view: process %d drawn%s\n", shown_pid, note);
    else
        kprintf("framemap view: physical memory drawn%s\n", note);
}

/* Build the map and draw the view wanted (after a clear screen if fresh); false
 * if there was no memory for the map. */
static bool draw(enum view v, bool fresh)
{
    if (!framemap_build(&map)) {
        draw_title("framemap: no memory for the map");
        return false;
    }
    if (fresh)
        forget_drawn_colours(&map);
    if (v == VIEW_PHYSICAL)
        draw_physical(&map);
    else
        draw_process(&map, shown_pid);
    return true;
}

/* Redraw after REDRAW_TICKS, or later if drawing takes long (a big memory under
 * a slow emulator): the view never takes more than 1/DRAW_SHARE of the CPU. */
static void schedule_redraw(uint64_t started)
{
    drawn_at = timer_ticks();
    uint64_t cost = drawn_at - started;
    redraw_interval = cost * DRAW_SHARE > REDRAW_TICKS ? cost * DRAW_SHARE : REDRAW_TICKS;
}

void framemap_view_work(void)
{
    if (export_wanted) {
        export_wanted = false;
        framemap_export("key F4", NULL);
    }
    enum view want = wanted;
    bool next = next_process_wanted, switched = want != shown;
    if (!switched && (shown == VIEW_TEXT || (!next && timer_ticks() - drawn_at < redraw_interval)))
        return;
    if (want == VIEW_TEXT) {
        leave_graphics();
        shown = VIEW_TEXT;
        kprintf("framemap view: text console\n");
        return;
    }
    if (shown == VIEW_TEXT && !enter_graphics()) {
        wanted = VIEW_TEXT;
        return;
    }
    if (want == VIEW_PROCESS && (switched || next))
        shown_pid = next_process_pid(switched ? 0 : shown_pid);
    next_process_wanted = false;
    if (switched || next)
        draw_rect(&fb, 0, 0, SCREEN_WIDTH, SCREEN_HEIGHT, COLOUR_BACKGROUND);
    shown = want;
    uint64_t started = timer_ticks();
    bool drawn = draw(want, switched || next);
    schedule_redraw(started);
    if (switched || next)
        report_switch(want, drawn);
}

void framemap_view_close(void)
{
    wanted = VIEW_TEXT;
    if (shown == VIEW_TEXT)
        return;
    leave_graphics();
    shown = VIEW_TEXT;
}
