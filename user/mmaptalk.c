/*
 * mmaptalk [FILE] — two processes talk through one page of a mapped file.
 *
 * The parent creates FILE (/tmp/mmaptalk if none is given), makes it one page
 * long (ftruncate) and maps it MAP_SHARED. After fork the child opens the file by
 * its name and maps it again, at an address of its own: two mappings of the same
 * file, which meet in the one copy of the page the kernel keeps for the file (the
 * page cache). A byte stored through one mapping is there to be loaded through
 * the other: no read(), no write(), no copy.
 *
 *     parent                    the file's page                 child
 *     mapping --------------->  [turn | line 0 | line 1 ...]  <--------- mapping
 *
 * They take turns: the page's first word says whose turn it is (even: the
 * parent's, odd: the child's). Each side waits for its turn by polling with
 * sched_yield (a bounded number of times), reads the other's last line, checks it
 * is the line the script says, writes its own and passes the turn. At the end the
 * parent writes the page back (msync MS_SYNC), unmaps it, and reads the file with
 * read(): the child's last line must be in the file itself.
 *
 * Exit status 0 if every line arrived intact and the file holds the last one, 1
 * with a reason otherwise. Runs the same on Linux.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/string.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define DEFAULT_PATH "/tmp/mmaptalk"
#define LINE_SIZE    80
#define MAX_POLLS    2000000 /* sched_yields while waiting for one turn: seconds, at worst */
#define CHILD_LOST   3       /* the child's exit status when it gave up waiting */

/* The conversation: even lines are the parent's, odd ones the child's. */
static const char *const script[] = {
    "hello child: this page is the first page of the file",
    "hello parent: I opened it by its name and mapped it myself",
    "so our two mappings share one copy of the page",
    "and every byte you store there, I load from it",
    "no read(), no write(), no copy",
    "goodbye: msync will put these words on the disk",
};
#define LINES ((int)(sizeof script / sizeof script[0]))

/* The file they talk through: DEFAULT_PATH, or the program's argument. */
static const char *talk_path = DEFAULT_PATH;

/* The layout of the shared page. */
struct talk_page {
    int turn; /* the next line to write; whose turn it is by its parity */
    char lines[LINES][LINE_SIZE];
};
_Static_assert(sizeof(struct talk_page) <= PAGE_SIZE, "the conversation fits in one page");

static const char *speaker(int line)
{
    return line % 2 == 0 ? "parent" : "child";
}

/* The parent's view of the child: its pid, and its wait status once it ended. */
static long child_pid;
static bool child_ended;
static int child_status;

/* True if the child (for the parent) has ended; it is then reaped, its status kept. */
static bool child_gone(void)
{
    if (child_pid > 0 && !child_ended)
        child_ended = sys_wait4((int)child_pid, &child_status, WNOHANG, NULL) == child_pid;
    return child_ended;
}

/* Wait until the turn is `line` (polling, yielding the CPU between looks).
 * False if it did not come within MAX_POLLS looks, or the child ended first. */
static bool wait_for_turn(struct talk_page *page, int line)
{
    for (long polls = 0; polls < MAX_POLLS; polls++) {
        if (__atomic_load_n(&page->turn, __ATOMIC_ACQUIRE) == line)
            return true;
        if (child_gone())
            return false;
        sys_sched_yield();
    }
    return false;
}

/* One turn: check the other side's last line, print and write ours, pass the
 * turn on (the line is stored before the turn, so whoever sees the turn sees the
 * line). False, with a message, if the other's line is not the script's. */
static bool take_turn(struct talk_page *page, int line)
{
    if (line > 0 && strcmp(page->lines[line - 1], script[line - 1]) != 0) {
        printf("mmaptalk: FAILED: the %s found \"%.*s\" where the %s wrote \"%s\"\n", speaker(line),
               LINE_SIZE, page->lines[line - 1], speaker(line - 1), script[line - 1]);
        return false;
    }
    printf(line % 2 == 0 ? "  parent: %s\n" : "  child:  %s\n", script[line]);
    strlcpy(page->lines[line], script[line], LINE_SIZE);
    __atomic_store_n(&page->turn, line + 1, __ATOMIC_RELEASE);
    return true;
}

/* Speak lines first, first + 2, ... in turn. False if a turn never came or a
 * line arrived wrong. */
static bool converse(struct talk_page *page, int first)
{
    for (int line = first; line < LINES; line += 2) {
        if (!wait_for_turn(page, line)) {
            printf("mmaptalk: FAILED: the %s waited for turn %d in vain (the turn is %d%s)\n",
                   speaker(line), line, page->turn, child_ended ? "; the child has ended" : "");
            return false;
        }
        if (!take_turn(page, line))
            return false;
    }
    return true;
}

/* Map the first page of fd shared and read-write; the address or -errno. */
static long map_page(int fd)
{
    return sys_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
}

/* The child: open and map the file itself, speak the odd lines, exit. */
static int child(void)
{
    long fd = sys_open(talk_path, O_RDWR, 0);
    long mapped = fd < 0 ? fd : map_page((int)fd);
    if (IS_ERROR(mapped)) {
        printf("mmaptalk: FAILED: the child could not map %s: %s\n", talk_path, errno_text(mapped));
        return 1;
    }
    sys_close((int)fd);
    return converse((struct talk_page *)mapped, 1) ? 0 : CHILD_LOST;
}

/* Make the file: one page of zeros, open read-write. The fd or -errno. */
static long create_file(void)
{
    long fd = sys_open(talk_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return fd;
    long result = sys_ftruncate((int)fd, PAGE_SIZE);
    return result < 0 ? result : fd;
}

static int failed(const char *step, long error)
{
    printf("mmaptalk: FAILED: %s: %s\n", step, errno_text(error));
    return 1;
}

/* After the talk: write the page back, unmap it, and find the last line in the
 * file with read(). 0 or 1 (with a message). */
static int check_file(int fd, struct talk_page *page)
{
    long result = sys_msync(page, PAGE_SIZE, MS_SYNC);
    if (result != 0)
        return failed("msync(MS_SYNC)", result);
    result = sys_munmap(page, PAGE_SIZE);
    if (result != 0)
        return failed("munmap", result);
    char line[LINE_SIZE];
    long offset = (long)__builtin_offsetof(struct talk_page, lines[LINES - 1]);
    result = sys_pread64(fd, line, sizeof line, offset);
    if (result != (long)sizeof line)
        return failed("pread of the last line", result < 0 ? result : -EIO);
    if (strcmp(line, script[LINES - 1]) != 0) {
        printf("mmaptalk: FAILED: read() finds \"%.*s\" at offset %ld, not the last line\n",
               LINE_SIZE, line, offset);
        return 1;
    }
    printf("mmaptalk: after msync and munmap, read() finds the child's last line at offset %ld "
           "of the file: ok\n",
           offset);
    return 0;
}

/* The parent's part after fork: talk, collect the child, check the file. */
static int parent(long pid, int fd, struct talk_page *page)
{
    bool talked = converse(page, 0);
    if (!child_ended) {
        long waited = sys_wait4((int)pid, &child_status, 0, NULL);
        if (waited != pid)
            return failed("wait4", waited);
    }
    if (!talked || !WIFEXITED(child_status) || WEXITSTATUS(child_status) != 0) {
        printf("mmaptalk: FAILED: the child ended with wait status 0x%x\n", (unsigned)child_status);
        return 1;
    }
    printf("mmaptalk: %d lines, each read by the other process through its own mapping: ok\n",
           LINES);
    return check_file(fd, page);
}

int main(int argc, char **argv)
{
    if (argc > 2) {
        dprintf(STDERR, "usage: mmaptalk [FILE]   (" DEFAULT_PATH " if none)\n");
        return 2;
    }
    if (argc == 2)
        talk_path = argv[1];
    printf("mmaptalk: two processes take turns writing lines into one page of %s, "
           "each through its own MAP_SHARED mapping of the file\n",
           talk_path);
    long fd = create_file();
    if (fd < 0)
        return failed("creating the file (open, ftruncate)", fd);
    long mapped = map_page((int)fd);
    if (IS_ERROR(mapped))
        return failed("mmap of the file", mapped);
    long pid = sys_fork();
    if (pid < 0)
        return failed("fork", pid);
    if (pid == 0) {
        sys_munmap((void *)mapped, PAGE_SIZE); /* the child maps the file by itself */
        sys_exit_group(child());
    }
    child_pid = pid;
    int status = parent(pid, (int)fd, (struct talk_page *)mapped);
    sys_close((int)fd); /* the file stays, to be looked at (tests/boot/demos-mmap.sh does) */
    return status;
}
