/*
 * firsttouch [-c SIZE] FILE — pages of a mapped file arrive when first touched.
 *
 * mmap of a file reads nothing: it only records a region ("these addresses show
 * that file"). A page comes in when it is first touched, in the page fault:
 *
 *   the page is not in memory     the kernel reads it from the disk into the
 *                                 page cache and maps it          a MAJOR fault
 *   it is in the page cache       (read before, by anyone) the kernel only maps
 *                                 the cached frame                a MINOR fault
 *
 * firsttouch maps FILE, asks mincore how many of its pages are resident, touches
 * every 16th page, and asks again; getrusage's ru_majflt and ru_minflt count the
 * faults in between. Then it does it all again in a fresh mapping: now the pages
 * are in the page cache, so the same touches are minor faults only.
 *
 * -c SIZE first creates FILE with SIZE bytes (12345, 64K, 8M), each page starting
 * with its number, and asks the kernel to drop it from the cache
 * (posix_fadvise(DONTNEED): Linux does; a kernel without it keeps the pages it
 * has just written, and the first mapping finds them resident).
 *
 * Checks: every touch was a fault; the bytes seen through the mapping are the
 * bytes read() gives. If the file is at most a quarter of memory (else reclaim
 * may drop pages while we touch): at least the touched pages are resident after
 * touching, the second mapping has no major fault, and on vmlab exactly one fault
 * per touched page, of which, if some touched pages were not resident, at least
 * one and at most one per such page major (a disk read brings in the pages after
 * it too, read-ahead, so a later touch may find its page cached), else none.
 * Exit status 0 if all hold, 1 otherwise.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/parse.h"
#include "lib/string.h"
#include "user/lib/check.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define STRIDE      16          /* touch every 16th page */
#define MAX_PAGES   (1UL << 16) /* files up to 256 MiB */
#define MAX_TOUCHED (MAX_PAGES / STRIDE)
#define CHUNK_SIZE  (64UL << 10) /* -c writes the file 64 KiB at a time */

#define SYS_fadvise64       221 /* Linux's; posix_fadvise */
#define POSIX_FADV_DONTNEED 4   /* "I will not need these pages": drop clean ones */
#define SYS_sysinfo         99  /* Linux's: the machine's memory */
#define FITS_FRACTION       4   /* exact checks for files up to 1/4 of memory */

/* Static, so that they are touched (and their faults taken) before a measurement. */
static unsigned char residency[MAX_PAGES]; /* mincore's answer, a byte per page */
static uint64_t seen[MAX_TOUCHED];         /* the first word of each touched page */
static char chunk[CHUNK_SIZE];             /* -c: what is written */

struct round {
    unsigned long resident_before, touched, resident_after;
    unsigned long touched_resident_before; /* of the pages to be touched */
    long major_faults, minor_faults;
};

static unsigned long pages_of(unsigned long bytes)
{
    return (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* Pages of [map, map + pages) that mincore says are resident; -errno on failure. */
static long count_resident(const void *map, unsigned long pages)
{
    long result = sys_mincore((void *)map, pages * PAGE_SIZE, residency);
    if (result < 0)
        return result;
    long resident = 0;
    for (unsigned long i = 0; i < pages; i++)
        resident += residency[i] & 1;
    return resident;
}

/* Of the pages touch_pages will touch, how many residency[] says are resident. */
static unsigned long resident_among_touched(unsigned long pages)
{
    unsigned long resident = 0;
    for (unsigned long page = 0; page < pages; page += STRIDE)
        resident += residency[page] & 1;
    return resident;
}

/* Touch (read the first word of) pages 0, STRIDE, 2 * STRIDE ... below `pages`,
 * keeping what was read in seen[]. Returns the number touched. noinline: it is
 * called once with pages 0 first, so its own code is in memory before the
 * measured call (a fault on our text would be counted too). */
__attribute__((noinline)) static unsigned long touch_pages(const char *map, unsigned long pages)
{
    unsigned long touched = 0;
    for (unsigned long page = 0; page < pages; page += STRIDE)
        seen[touched++] = *(volatile const uint64_t *)(map + page * PAGE_SIZE);
    return touched;
}

/* One round: map the file, count resident pages, touch, count faults and
 * resident pages again. False (with a message) if a system call failed. */
static bool measure_round(int fd, unsigned long pages, struct round *r)
{
    long map = sys_mmap(NULL, pages * PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
    if (IS_ERROR(map))
        return EXPECT(false, "mmap of the file (MAP_SHARED, PROT_READ): %s", errno_name(map));
    long before = count_resident((void *)map, pages);
    r->touched_resident_before = before >= 0 ? resident_among_touched(pages) : 0;
    touch_pages((void *)map, 0); /* warm up: its code, not the file */
    stack_prefault();
    struct rusage usage_before, usage_after;
    sys_getrusage(RUSAGE_SELF, &usage_before);
    r->touched = touch_pages((void *)map, pages);
    sys_getrusage(RUSAGE_SELF, &usage_after);
    long after = count_resident((void *)map, pages);
    sys_munmap((void *)map, pages * PAGE_SIZE);
    if (before < 0 || after < 0)
        return EXPECT(false, "mincore: %s", errno_name(before < 0 ? before : after));
    r->resident_before = (unsigned long)before;
    r->resident_after = (unsigned long)after;
    r->major_faults = usage_after.ru_majflt - usage_before.ru_majflt;
    r->minor_faults = usage_after.ru_minflt - usage_before.ru_minflt;
    return true;
}

/* The words of the touched pages as read() gives them, compared with seen[]:
 * the number that differ. */
static unsigned long differing_words(int fd, unsigned long touched)
{
    unsigned long wrong = 0;
    for (unsigned long k = 0; k < touched; k++) {
        uint64_t word = 0;
        sys_pread64(fd, &word, sizeof word, (long)(k * STRIDE * PAGE_SIZE));
        wrong += word != seen[k];
    }
    return wrong;
}

static void print_round(const char *name, const struct round *r)
{
    printf("  %s: resident before %lu pages; touched %lu (every %dth); resident after %lu; "
           "faults %ld major, %ld minor\n",
           name, r->resident_before, r->touched, STRIDE, r->resident_after, r->major_faults,
           r->minor_faults);
    unsigned long arrived = r->resident_after - r->resident_before;
    if (r->resident_after > r->resident_before + r->touched && r->major_faults > 0)
        printf("  (%lu pages arrived for %lu touches, %ld disk reads: %lu pages a read, "
               "read-ahead)\n",
               arrived, r->touched, r->major_faults, arrived / (unsigned long)r->major_faults);
}

/* vmlab: the touched pages that were not resident cost between one disk read
 * (read-ahead might bring in all of them) and one each; none cost none. */
static void check_major_faults(const struct round *r)
{
    long missing = (long)(r->touched - r->touched_resident_before);
    if (missing == 0) {
        EXPECT_RESULT(r->major_faults, 0,
                      "first mapping: every touched page was cached: no "
                      "major fault");
        return;
    }
    EXPECT(r->major_faults >= 1 && r->major_faults <= missing,
           "first mapping: 1 to %ld major faults (disk reads) for the %ld touched pages that "
           "were not resident (%ld)",
           missing, missing, r->major_faults);
}

/* What must hold of a round: that every first touch faulted, always; when the
 * file fits in memory (fits), that the touched pages stayed resident and, on
 * vmlab, that nothing else faulted. */
static void check_round(const char *name, const struct round *r, bool fits)
{
    EXPECT(r->major_faults + r->minor_faults >= (long)r->touched,
           "%s: each first touch was a page fault (%ld >= %lu)", name,
           r->major_faults + r->minor_faults, r->touched);
    if (!fits)
        return;
    EXPECT(r->resident_after >= r->touched, "%s: every touched page is resident (%lu >= %lu)", name,
           r->resident_after, r->touched);
    if (running_on_linux())
        return; /* Linux reads ahead: one major fault may bring in many pages */
    EXPECT_RESULT(r->major_faults + r->minor_faults, r->touched,
                  "%s: exactly one fault per touched page", name);
}

/* -c: write size bytes to path, page i beginning with the number i, then ask
 * for the file to be dropped from the page cache. Returns 0 or -errno. */
static long create_file(const char *path, unsigned long size)
{
    long fd = sys_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return fd;
    memset(chunk, 'x', sizeof chunk);
    for (unsigned long offset = 0; offset < size; offset += CHUNK_SIZE) {
        for (unsigned long at = 0; at < CHUNK_SIZE; at += PAGE_SIZE)
            *(uint64_t *)(chunk + at) = (offset + at) / PAGE_SIZE;
        unsigned long n = size - offset < CHUNK_SIZE ? size - offset : CHUNK_SIZE;
        long written = write_all((int)fd, chunk, n);
        if (written < 0)
            return written;
    }
    long result = sys_fsync((int)fd);
    long dropped = syscall4(SYS_fadvise64, fd, 0, 0, POSIX_FADV_DONTNEED);
    printf("  created %s: %lu bytes; fsync: %s; dropping it from the page cache "
           "(posix_fadvise DONTNEED): %s\n",
           path, size, result == 0 ? "ok" : errno_name(result),
           dropped == 0 ? "ok" : errno_name(dropped));
    sys_close((int)fd);
    return result;
}

/* "12345", "64K", "8M" -> bytes; false if not such a number. */
static bool parse_size(const char *text, unsigned long *bytes)
{
    char digits[24];
    size_t n = strlcpy(digits, text, sizeof digits);
    unsigned long unit = 1;
    if (n > 0 && (digits[n - 1] == 'K' || digits[n - 1] == 'M')) {
        unit = digits[n - 1] == 'K' ? 1UL << 10 : 1UL << 20;
        digits[n - 1] = '\0';
    }
    uint64_t value;
    if (n >= sizeof digits || !parse_u64(digits, &value))
        return false;
    *bytes = value * unit;
    return true;
}

static int usage(void)
{
    dprintf(STDERR, "usage: firsttouch [-c SIZE] FILE   (SIZE: bytes, or with K or M; at most "
                    "256M)\n");
    return 2;
}

/* The machine's memory in bytes: vmlab's frames, or Linux's sysinfo; 0 if
 * neither answers. */
static unsigned long memory_size(void)
{
    struct vmlab_vmstat v;
    if (vmstat_read(&v))
        return v.total_frames * PAGE_SIZE;
    struct { /* Linux's struct sysinfo, up to what is read here */
        long uptime;
        unsigned long loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
        unsigned short procs, pad;
        unsigned long totalhigh, freehigh;
        unsigned int mem_unit;
        char reserved[256];
    } info;
    if (syscall1(SYS_sysinfo, (long)&info) != 0)
        return 0;
    return info.totalram * (info.mem_unit != 0 ? info.mem_unit : 1);
}

/* The two rounds on an open file of `size` bytes, and their checks. The exact
 * ones need the file to stay in memory meanwhile: with a file near the size of
 * memory, reclaim drops pages (the file's, even our own code's) while we touch,
 * and they fault again. */
static void first_and_second_touch(int fd, unsigned long size)
{
    unsigned long pages = pages_of(size);
    unsigned long memory = memory_size();
    bool fits = size <= memory / FITS_FRACTION;
    if (!fits)
        printf("  (the file is more than 1/%d of memory (%lu MiB): pages may be dropped while "
               "we touch, so only the checks that always hold are made)\n",
               FITS_FRACTION, memory >> 20);
    struct round first, second;
    if (!measure_round(fd, pages, &first))
        return;
    print_round("first mapping ", &first);
    unsigned long wrong = differing_words(fd, first.touched);
    if (!measure_round(fd, pages, &second))
        return;
    print_round("second mapping", &second);
    check_round("first mapping", &first, fits);
    EXPECT_RESULT(wrong, 0, "the touched pages hold what read() gives");
    check_round("second mapping", &second, fits);
    if (!fits)
        return;
    if (!running_on_linux())
        check_major_faults(&first);
    EXPECT(second.resident_before >= first.touched,
           "second mapping: the pages touched before are still in the page cache (%lu >= %lu)",
           second.resident_before, first.touched);
    EXPECT_RESULT(second.major_faults, 0,
                  "second mapping: no major fault, the page cache had every page");
}

int main(int argc, char **argv)
{
    use_small_pages_only();
    unsigned long create_size = 0;
    bool create = argc == 4 && strcmp(argv[1], "-c") == 0;
    if ((argc != 2 && !create) || (create && !parse_size(argv[2], &create_size)))
        return usage();
    const char *path = argv[argc - 1];
    printf("firsttouch: pages of a mapped file come in when first touched (mincore counts the "
           "resident pages, getrusage the faults)\n");
    memset(residency, 0, sizeof residency); /* their own faults, before any measurement */
    memset(seen, 0, sizeof seen);
    long created = create ? create_file(path, create_size) : 0;
    if (created < 0) {
        EXPECT(false, "creating %s: %s", path, errno_name(created));
        return check_summary("firsttouch");
    }
    long fd = sys_open(path, O_RDONLY, 0);
    struct stat st;
    long result = fd < 0 ? fd : sys_fstat((int)fd, &st);
    if (result < 0) {
        EXPECT(false, "open and fstat %s: %s", path, errno_name(result));
        return check_summary("firsttouch");
    }
    unsigned long size = (unsigned long)st.st_size;
    printf("  %s: %lu bytes, %lu pages, mapped MAP_SHARED read-only\n", path, size, pages_of(size));
    if (size == 0 || pages_of(size) > MAX_PAGES)
        EXPECT(false, "the file must have 1 to %lu pages (an empty file has nothing to map)",
               MAX_PAGES);
    else
        first_and_second_touch((int)fd, size);
    sys_close((int)fd);
    return check_summary("firsttouch");
}
