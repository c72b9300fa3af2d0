/*
 * steps.c — the steps: each makes one call (or a fork, or a write), computes what
 * the model expects, compares, and updates the model to match.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "soak.h"

static bool mmap_step(void)
{
    int first, count = random_run(&first), prot = random_prot();
    bool shared = random_below(3) == 0;
    unsigned how = random_below(8); /* 0-4 MAP_FIXED, 5 MAP_FIXED_NOREPLACE, 6-7 a hint */
    int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS |
                (how < 5    ? MAP_FIXED
                 : how == 5 ? MAP_FIXED_NOREPLACE
                            : 0);
    snprintf(step_text, sizeof(step_text), "mmap(W+%d, %d pages, %s, %s%s)", first, count,
             prot_name(prot), shared ? "MAP_SHARED" : "MAP_PRIVATE",
             how < 5    ? "|MAP_FIXED"
             : how == 5 ? "|MAP_FIXED_NOREPLACE"
                        : " (a hint)");
    announce();
    long result = (long)mmap((void *)page_address(first), (size_t)count * PAGE, prot, flags, -1, 0);
    bool taken = how < 5 || !model_any_mapped(first, count);
    if (how == 5 && !taken)
        return agree(OP_MMAP, result, -EEXIST);
    if (!taken) { /* Linux puts it elsewhere: fresh zeros, far from the window */
        struct page_state fresh[MAX_RUN];
        for (int i = 0; i < count; i++)
            fresh[i] = (struct page_state){ true, prot, -1, 0, 0, 0 };
        bool outside = result != -1 && (uintptr_t)result >= page_address(WINDOW_PAGES);
        if (!agree(OP_MMAP, outside ? 1 : result, 1))
            return false;
        return check_elsewhere((uintptr_t)result, fresh, count);
    }
    if (!agree(OP_MMAP, result, (long)page_address(first)))
        return false;
    model_unmap(first, count);
    model_map(first, count, prot, shared);
    return true;
}

static bool munmap_step(void)
{
    int first, count = random_run(&first);
    bool unaligned = random_below(16) == 0;
    snprintf(step_text, sizeof(step_text), "munmap(W+%d%s, %d pages)", first,
             unaligned ? " + 1 byte" : "", count);
    announce();
    long result = munmap((void *)(page_address(first) + unaligned), (size_t)count * PAGE);
    if (unaligned)
        return agree(OP_MUNMAP, result, -EINVAL);
    if (!agree(OP_MUNMAP, result, 0))
        return false;
    model_unmap(first, count);
    return true;
}

/* Linux changes the pages up to the first hole, then says ENOMEM (nothing at all if
 * the first page is a hole). */
static bool mprotect_step(void)
{
    int first, count = random_run_mostly_mapped(&first), prot = random_prot();
    snprintf(step_text, sizeof(step_text), "mprotect(W+%d, %d pages, %s)", first, count,
             prot_name(prot));
    announce();
    long result = mprotect((void *)page_address(first), (size_t)count * PAGE, prot);
    int end = first;
    while (end < first + count && model[end].mapped)
        end++;
    if (!agree(OP_MPROTECT, result, end == first + count ? 0 : -ENOMEM))
        return false;
    model_split_at(first);
    model_split_at(end);
    for (int p = first; p < end; p++)
        model[p].prot = prot;
    return true;
}

/* MADV_DONTNEED drops the pages: private ones read back as zeros, shared ones keep
 * what the object holds. Holes: ENOMEM, after the mapped parts were done. */
static bool madvise_step(void)
{
    static const int advice[] = { MADV_DONTNEED, MADV_DONTNEED, MADV_DONTNEED,  MADV_NORMAL,
                                  MADV_WILLNEED, MADV_RANDOM,   MADV_SEQUENTIAL };
    int first, count = random_run_mostly_mapped(&first);
    int what = advice[random_below(sizeof(advice) / sizeof(advice[0]))];
    snprintf(step_text, sizeof(step_text), "madvise(W+%d, %d pages, %d)", first, count, what);
    announce();
    long result = madvise((void *)page_address(first), (size_t)count * PAGE, what);
    int mapped = 0;
    for (int p = first; p < first + count; p++)
        mapped += model[p].mapped;
    if (!agree(OP_MADVISE, result, mapped == count ? 0 : -ENOMEM))
        return false;
    for (int p = first; p < first + count && what == MADV_DONTNEED; p++) {
        if (model[p].mapped && model[p].object < 0)
            model[p].stamp = 0;
    }
    return true;
}

/* The region around page p: [*start, *end). */
static void region_of(int p, int *start, int *end)
{
    *start = *end = p;
    while (*start > 0 && model[*start - 1].mapped && model[*start - 1].region == model[p].region)
        (*start)--;
    while (*end < WINDOW_PAGES && model[*end].mapped && model[*end].region == model[p].region)
        (*end)++;
}

/* Move the model's pages [from, from + count) to [to, to + size) (size >= count; the
 * extra pages are fresh zeros with the same rights) as one new region. */
static void model_move(int from, int count, int to, int size)
{
    struct page_state moved[MAX_RUN];
    memcpy(moved, &model[from], (size_t)count * sizeof(moved[0]));
    model_unmap(from, count);
    model_unmap(to, size);
    uint32_t region = ++next_region;
    for (int i = 0; i < size; i++) {
        model[to + i] =
            i < count ? moved[i] : (struct page_state){ true, moved[0].prot, -1, 0, 0, 0 };
        model[to + i].region = region;
    }
}

/* Left out, where vmlab and Linux may rightly differ or Linux changed between versions:
 * ranges that span regions or holes (Linux 6.x ends the check at the first region
 * for some calls), growing a shared mapping (Linux maps pages past the end of its
 * object, which then give SIGBUS), old_size 0 and MREMAP_DONTUNMAP. */
static bool mremap_step(void)
{
    int p = random_page_mostly_mapped(), start = p, end = p + 1;
    if (model[p].mapped)
        region_of(p, &start, &end);
    else
        while (end < WINDOW_PAGES && end - p < MAX_RUN && !model[end].mapped)
            end++;
    int from = start + (int)random_below((unsigned)(end - start));
    int old_count = 1 + (int)random_below((unsigned)(end - from < MAX_RUN ? end - from : MAX_RUN));
    bool shared = model[from].mapped && model[from].object >= 0;
    int new_count = 1 + (int)random_below(shared ? (unsigned)old_count : MAX_RUN);
    unsigned how = random_below(4); /* 0: in place only, 1-2: may move, 3: to a fixed place */
    int flags = how == 0 ? 0 : how < 3 ? MREMAP_MAYMOVE : MREMAP_MAYMOVE | MREMAP_FIXED;
    int to = (int)random_below(WINDOW_PAGES - (unsigned)new_count + 1);
    if (how < 3 && from + new_count > WINDOW_PAGES)
        new_count = WINDOW_PAGES - from; /* growing in place stays inside the window */
    snprintf(step_text, sizeof(step_text), "mremap(W+%d, %d pages, %d pages, %s, W+%d)", from,
             old_count, new_count,
             how == 0  ? "0"
             : how < 3 ? "MREMAP_MAYMOVE"
                       : "MREMAP_MAYMOVE|MREMAP_FIXED",
             to);
    announce();
    long result = syscall(SYS_mremap, page_address(from), (size_t)old_count * PAGE,
                          (size_t)new_count * PAGE, flags, page_address(to));
    if (how == 3 && to < from + old_count && from < to + new_count)
        return agree(OP_MREMAP, result, -EINVAL); /* the two ranges overlap */
    if (!model[from].mapped)
        return agree(OP_MREMAP, result, -EFAULT);
    if (how == 3) {
        if (!agree(OP_MREMAP, result, (long)page_address(to)))
            return false;
        if (old_count > new_count)
            model_unmap(from + new_count, old_count - new_count);
        model_move(from, old_count < new_count ? old_count : new_count, to, new_count);
        return true;
    }
    if (new_count <= old_count) {
        if (!agree(OP_MREMAP, result, (long)page_address(from)))
            return false;
        model_unmap(from + new_count, old_count - new_count);
        return true;
    }
    bool in_place = from + old_count == end && !model_any_mapped(end, from + new_count - end) &&
                    from + new_count <= WINDOW_PAGES;
    if (in_place) {
        if (!agree(OP_MREMAP, result, (long)page_address(from)))
            return false;
        for (int q = from + old_count; q < from + new_count; q++)
            model[q] = (struct page_state){ true, model[from].prot, -1, 0, 0, model[from].region };
        return true;
    }
    if (how == 0)
        return agree(OP_MREMAP, result, -ENOMEM);
    struct page_state moved[MAX_RUN];
    for (int i = 0; i < new_count; i++)
        moved[i] = i < old_count ? model[from + i]
                                 : (struct page_state){ true, model[from].prot, -1, 0, 0, 0 };
    bool outside = result != -1 && (uintptr_t)result >= page_address(WINDOW_PAGES);
    if (!agree(OP_MREMAP, outside ? 1 : result, 1))
        return false;
    tally.moved++;
    model_unmap(from, old_count);
    return check_elsewhere((uintptr_t)result, moved, new_count);
}

/* Linux's rules: never below the start; a grow needs [old end, new end) and one page
 * more free; a shrink unmaps whatever is in [new end, old end), and is refused when
 * nothing is. The result is the new break, or the old one when refused. */
static bool brk_step(void)
{
    /* mostly a few pages around the break; sometimes anywhere, or below the start */
    int around = (int)((model_break - window) / PAGE) + (int)random_below(9) - 4;
    int page = random_below(2) && around >= 0 && around < WINDOW_PAGES - 1
                   ? around
                   : (int)random_below(WINDOW_PAGES - 1);
    uintptr_t request = random_below(16) == 0
                            ? window - PAGE
                            : page_address(page) + (random_below(4) == 0 ? random_below(PAGE) : 0);
    if (request < window)
        snprintf(step_text, sizeof(step_text), "brk(W-1)");
    else
        snprintf(step_text, sizeof(step_text), "brk(W+%lu%s)", (request - window) / PAGE,
                 request % PAGE ? " and a bit" : "");
    announce();
    long result = syscall(SYS_brk, request);
    int old_end = (int)((model_break - window + PAGE - 1) / PAGE);
    int new_end = (int)((request - window + PAGE - 1) / PAGE);
    bool granted;
    if (request < window)
        granted = false;
    else if (new_end == old_end)
        granted = true;
    else if (request < model_break)
        granted = model_any_mapped(new_end, old_end - new_end);
    else
        granted = !model_any_mapped(old_end, new_end - old_end + 1);
    if (!agree(OP_BRK, result, (long)(granted ? request : model_break)))
        return false;
    if (!granted)
        tally.refused[OP_BRK]++;
    if (granted && new_end < old_end)
        model_unmap(new_end, old_end - new_end);
    else if (granted && new_end > old_end)
        model_map(old_end, new_end - old_end, PROT_READ | PROT_WRITE, false);
    if (granted)
        model_break = request;
    return true;
}

/* Give page p a new stamp in the model; return it. */
static uint32_t model_write(int p)
{
    uint32_t stamp = ++next_stamp;
    if (model[p].object >= 0)
        objects[model[p].object].stamp[model[p].index] = stamp;
    else
        model[p].stamp = stamp;
    return stamp;
}

/* Write new contents into the writable pages of a run, by hand. */
static bool write_step(void)
{
    int first, count = random_run_mostly_mapped(&first), written = 0;
    for (int p = first; p < first + count; p++) {
        if (model_writable(&model[p])) {
            fill_page(page_address(p), model_write(p));
            written++;
        }
    }
    snprintf(step_text, sizeof(step_text), "write(W+%d, %d pages): %d written", first, count,
             written);
    announce();
    return agree(OP_WRITE, 0, 0);
}

/* fork: the child checks its copy of the window, writes new contents into a run of
 * writable pages and exits; afterwards only the shared pages show its writes. */
static bool fork_step(void)
{
    int first, count = random_run_mostly_mapped(&first);
    uint32_t stamps[MAX_RUN] = { 0 };
    for (int i = 0; i < count; i++)
        stamps[i] = model_writable(&model[first + i]) ? ++next_stamp : 0;
    snprintf(step_text, sizeof(step_text), "fork, the child writes W+%d, %d pages", first, count);
    announce();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        bool ok = check_window("  the child");
        for (int i = 0; i < count && ok; i++) {
            if (stamps[i] != 0)
                fill_page(page_address(first + i), stamps[i]);
        }
        fflush(stdout);
        _exit(ok ? 0 : CHILD_FOUND_MISMATCH);
    }
    int status = -1;
    if (pid > 0)
        waitpid(pid, &status, 0);
    if (!agree(OP_FORK, pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0))
        return false;
    for (int i = 0; i < count; i++) {
        const struct page_state *s = &model[first + i];
        if (stamps[i] != 0 && s->object >= 0)
            objects[s->object].stamp[s->index] = stamps[i];
    }
    return true;
}

bool random_step(void)
{
    static const enum op weights[] = {
        OP_MMAP,   OP_MMAP,   OP_MMAP,     OP_MMAP,     OP_MMAP,     OP_MUNMAP,
        OP_MUNMAP, OP_MUNMAP, OP_MPROTECT, OP_MPROTECT, OP_MPROTECT, OP_MREMAP,
        OP_MREMAP, OP_MREMAP, OP_MREMAP,   OP_MADVISE,  OP_MADVISE,  OP_BRK,
        OP_BRK,    OP_BRK,    OP_WRITE,    OP_WRITE,    OP_WRITE,    OP_FORK,
    };
    switch (weights[random_below(sizeof(weights) / sizeof(weights[0]))]) {
    case OP_MMAP: return mmap_step();
    case OP_MUNMAP: return munmap_step();
    case OP_MPROTECT: return mprotect_step();
    case OP_MREMAP: return mremap_step();
    case OP_MADVISE: return madvise_step();
    case OP_BRK: return brk_step();
    case OP_WRITE: return write_step();
    default: return fork_step();
    }
}
