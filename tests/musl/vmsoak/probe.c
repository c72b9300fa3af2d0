/*
 * probe.c — asking the kernel about a page without ever faulting (see main.c for
 * the three probes), and checking the whole window against the model.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "soak.h"

static bool probe_mapped(uintptr_t address)
{
    return syscall(SYS_madvise, address, PAGE, MADV_NORMAL) == 0;
}

static bool probe_readable(uintptr_t address)
{
    return syscall(SYS_rt_sigprocmask, INVALID_HOW, address, 0, SIGSET_BYTES) == -1 &&
           errno == EINVAL;
}

/* Writes the 8 bytes at address through the kernel, then puts them back (they were
 * saved if the page is readable; a writable page that is not is a mismatch anyway). */
static bool probe_writable(uintptr_t address, bool readable)
{
    uint64_t saved = 0;
    if (readable)
        memcpy(&saved, (const void *)address, sizeof(saved));
    bool written = syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, address, SIGSET_BYTES) == 0;
    if (written && readable)
        memcpy((void *)address, &saved, sizeof(saved));
    return written;
}

/* ---- checking the window ---- */
struct seen probe_page(uintptr_t address)
{
    struct seen s;
    s.mapped = probe_mapped(address);
    s.readable = probe_readable(address);
    s.writable = probe_writable(address, s.readable);
    return s;
}

/* One letter per page: '.' unmapped, '-' no access, 'r' read, 'w' read-write
 * ('=', 'R', 'W': the same, shared; the kernel's view may also show '!', written
 * but not read, and '?', not mapped yet accessible). */
char model_letter(const struct page_state *s)
{
    bool shared = s->object >= 0;
    if (!s->mapped)
        return '.';
    if (model_writable(s))
        return shared ? 'W' : 'w';
    if (model_readable(s))
        return shared ? 'R' : 'r';
    return shared ? '=' : '-';
}

char seen_letter(struct seen s)
{
    if (!s.mapped)
        return s.readable || s.writable ? '?' : '.';
    if (s.writable)
        return s.readable ? 'w' : '!'; /* writable, yet not readable */
    return s.readable ? 'r' : '-';
}

void print_views(const char *who)
{
    char mine[WINDOW_PAGES + 1], theirs[WINDOW_PAGES + 1];
    for (int p = 0; p < WINDOW_PAGES; p++) {
        mine[p] = model_letter(&model[p]);
        theirs[p] = seen_letter(probe_page(page_address(p)));
    }
    mine[WINDOW_PAGES] = theirs[WINDOW_PAGES] = '\0';
    printf("%s  model:  %s\n%s  kernel: %s\n", who, mine, who, theirs);
}

/* Compare page p with the model; print and return false on the first difference. */
bool check_page(int p, const char *who)
{
    const struct page_state *s = &model[p];
    struct seen k = probe_page(page_address(p));
    const char *what = NULL;
    if (k.mapped != s->mapped)
        what = "mapped";
    else if (k.readable != model_readable(s))
        what = "readable";
    else if (k.writable != model_writable(s))
        what = "writable";
    if (what != NULL) {
        bool says = what[0] == 'm'   ? s->mapped
                    : what[0] == 'r' ? model_readable(s)
                                     : model_writable(s);
        bool found = what[0] == 'm' ? k.mapped : what[0] == 'r' ? k.readable : k.writable;
        printf("%s: page %d: %s: model %s, kernel %s\n", who, p, what, says ? "yes" : "no",
               found ? "yes" : "no");
        return false;
    }
    if (k.readable) {
        long offset = page_differs(page_address(p), model_stamp(s));
        if (offset >= 0) {
            printf("%s: page %d: contents differ from the model at byte %ld (expected %s)\n", who,
                   p, offset, model_stamp(s) == 0 ? "zeros" : "its last write");
            return false;
        }
    }
    return true;
}

bool check_window(const char *who)
{
    for (int p = 0; p < WINDOW_PAGES; p++) {
        if (!check_page(p, who)) {
            print_views(who);
            return false;
        }
    }
    return true;
}
