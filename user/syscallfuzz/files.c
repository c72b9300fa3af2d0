/*
 * files.c — calls on files of our own, and on mappings of them: the page cache's
 * and the file mappings' edge cases.
 *
 * Each fuzzing process makes FILE_COUNT files in /tmp at its start, of random
 * sizes (empty, under a page, whole pages, pages and a bit), and keeps them open
 * for reading and writing. Its calls then map them (MAP_SHARED or MAP_PRIVATE, any
 * rights, offsets inside, at and past the end, unaligned and huge ones, MAP_FIXED
 * over what is there, MAP_POPULATE), msync and mincore them (every flag, bad
 * vectors), read into and write from mappings of the very file read or written
 * (a kernel that locks the file while it copies deadlocks there), truncate the
 * files shorter and longer under their mappings, fsync them, unlink them while
 * mapped and close their descriptors (and make them again). The existing memory
 * calls (munmap, mprotect, mremap, madvise) aim at these mappings too, since they
 * aim inside the mappings we made.
 *
 * One call checks answers against what the file holds: the end-of-file probe maps
 * a file, forks, and has the child touch one byte. The child must die of SIGBUS
 * exactly when the page lies wholly past the end of the file, and otherwise see
 * what pread sees (zeros past the end in the last page); a store through a shared
 * mapping must reach pread, one through a private mapping must not.
 */
#include "fuzz.h"
#include "lib/format.h"
#include "lib/string.h"
#include "user/lib/child.h"
#include "user/lib/spawn.h"
#include "user/lib/stdio.h"

#define FILE_COUNT      4
#define FILE_PATH_SIZE  48
#define FILE_MAX_PAGES  12               /* a new file's largest size, in pages */
#define GROW_LIMIT      (64 * PAGE_SIZE) /* how far writes and truncates reach, mostly */
#define IO_LIMIT        (16 * PAGE_SIZE) /* the most one read or write moves */
#define SYS_msync       26
#define SYS_mincore     27
#define SYS_pwrite64    18
#define SYS_fsync       74
#define SYS_fdatasync   75
#define SYS_ftruncate   77
#define MS_ASYNC        1
#define MS_INVALIDATE   2
#define MS_SYNC         4
#define MADV_WILLNEED   3
#define BUS_PROBE_WRONG 3 /* the probe child's exit status when it saw a wrong byte */

struct fuzz_file {
    char path[FILE_PATH_SIZE];
    long fd; /* -errno while it is not open */
};
static struct fuzz_file files[FILE_COUNT] SAFE_FROM_SCRATCH;

static void set_call(struct call *c, long number, long a0, long a1, long a2, long a3, long a4,
                     long a5)
{
    *c = (struct call){ number, { a0, a1, a2, a3, a4, a5 } };
}

/* A size for a new file or a truncate: 0, under a page, whole pages, or pages and
 * a bit. */
static unsigned long random_file_size(void)
{
    switch (random_below(4)) {
    case 0: return 0;
    case 1: return 1 + random_below(PAGE_SIZE - 1);
    case 2: return (1 + random_below(FILE_MAX_PAGES)) * PAGE_SIZE;
    default: return random_below(FILE_MAX_PAGES) * PAGE_SIZE + 1 + random_below(PAGE_SIZE - 1);
    }
}

/* Fill fd with size random bytes (from scratch, a page at a time). */
static void fill(long fd, unsigned long size)
{
    for (unsigned long done = 0; done < size;) {
        unsigned long piece = size - done < SCRATCH_SIZE ? size - done : SCRATCH_SIZE;
        if (sys_write((int)fd, scratch, piece) != (long)piece)
            return;
        done += piece;
    }
}

/* (Re)make file i at a random size, open for reading and writing. */
static void make_file(int i)
{
    struct fuzz_file *f = &files[i];
    f->fd = sys_open(f->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (f->fd >= 0)
        fill(f->fd, random_file_size());
}

void files_create(void)
{
    for (int i = 0; i < FILE_COUNT; i++) {
        snprintf(files[i].path, FILE_PATH_SIZE, "/tmp/syscallfuzz-%lu-%d", (unsigned long)fuzz_seed,
                 i);
        make_file(i);
    }
}

void files_remove(void)
{
    for (int i = 0; i < FILE_COUNT; i++)
        sys_unlink(files[i].path);
}

bool is_our_file(long fd)
{
    for (int i = 0; i < FILE_COUNT; i++) {
        if (files[i].fd == fd && fd >= 0)
            return true;
    }
    return false;
}

static struct fuzz_file *random_file(void)
{
    return &files[random_below(FILE_COUNT)];
}

/* A file offset for mmap: inside, at and past the end of a small file, or one
 * mmap must refuse (unaligned, negative, beyond any file). */
static long random_file_offset(void)
{
    static const long odd[] = { 1, PAGE_SIZE / 2, -PAGE_SIZE, 1L << 40, 1L << 62, -1 };
    switch (random_below(8)) {
    case 0:
    case 1:
    case 2: return 0;
    case 3:
    case 4:
    case 5: return (long)(random_below(FILE_MAX_PAGES + 4) * PAGE_SIZE);
    case 6: return PICK(odd);
    default: return (long)random_next() & ~(long)(PAGE_SIZE - 1);
    }
}

/* A buffer for read or write: often inside one of our mappings (maybe of the very
 * file), else scratch, else one the kernel cannot reach. */
static long random_buffer(long *length)
{
    long at;
    switch (random_below(6)) {
    case 0:
    case 1:
    case 2: at = (long)inside_recent_mapping() + (long)random_below(PAGE_SIZE); break;
    case 3: at = (long)scratch + (long)random_below(SCRATCH_SIZE / 2); break;
    case 4: return unreadable_pointer();
    default: at = (long)random_address();
    }
    keep_off_ourselves(&at, length);
    return at;
}

static long random_io_length(void)
{
    return random_below(4) == 0 ? (long)random_below(100) : (long)random_below(IO_LIMIT + 1);
}

static void random_file_mmap(struct call *c)
{
    static const long kinds[] = { MAP_SHARED, MAP_SHARED, MAP_PRIVATE, MAP_PRIVATE,
                                  MAP_SHARED_VALIDATE };
    long flags = PICK(kinds);
    long address = 0, length = (long)(1 + random_below(FILE_MAX_PAGES + 4)) * PAGE_SIZE;
    if (random_below(8) == 0)
        length = (long)random_length(0);
    if (random_below(3) == 0) {
        flags |= MAP_FIXED; /* over whatever is there: often one of our own mappings */
        address = (long)inside_recent_mapping();
        keep_off_ourselves(&address, &length);
    }
    if (random_below(5) == 0)
        flags |= MAP_POPULATE;
    long prot = random_below(4) == 0 ? random_prot() : PROT_READ | PROT_WRITE;
    set_call(c, SYS_mmap, address, length, prot, flags, random_file()->fd, random_file_offset());
}

static void random_msync(struct call *c)
{
    static const long flags[] = { MS_SYNC,
                                  MS_SYNC,
                                  MS_ASYNC,
                                  MS_INVALIDATE,
                                  MS_SYNC | MS_INVALIDATE,
                                  MS_ASYNC | MS_INVALIDATE,
                                  MS_SYNC | MS_ASYNC,
                                  0,
                                  8,
                                  -1 };
    unsigned long address = random_below(4) == 0 ? random_address() : inside_recent_mapping();
    unsigned long length =
        random_below(4) == 0 ? random_length(address) : (1 + random_below(NEAR_PAGES)) * PAGE_SIZE;
    set_call(c, SYS_msync, (long)address, (long)length, PICK(flags), 0, 0, 0);
}

static void random_mincore(struct call *c)
{
    unsigned long address = random_below(4) == 0 ? random_address() : inside_recent_mapping();
    unsigned long length =
        random_below(4) == 0 ? random_length(address) : (1 + random_below(NEAR_PAGES)) * PAGE_SIZE;
    long vec;
    switch (random_below(6)) {
    case 0: vec = unreadable_pointer(); break;
    case 1: vec = 0; break;
    case 2: vec = random_pointer(); break;              /* our code, the end of our image... */
    case 3: vec = (long)inside_recent_mapping(); break; /* a mapping, maybe of a file */
    default: vec = (long)scratch + (long)random_below(SCRATCH_SIZE / 2);
    }
    /* the answer is one byte per page: never let it reach our own state */
    long pages = (long)((length + PAGE_SIZE - 1) / PAGE_SIZE);
    if (pages <= 0 || pages > (long)SCRATCH_SIZE / 2)
        pages = (long)SCRATCH_SIZE / 2;
    keep_off_ourselves(&vec, &pages);
    set_call(c, SYS_mincore, (long)address, (long)length, vec, 0, 0, 0);
}

/* read, pread, write or pwrite on one of our files, the buffer often a mapping of
 * the same file. */
static void random_file_io(struct call *c)
{
    long fd = random_file()->fd, length = random_io_length();
    long buffer = random_buffer(&length);
    long offset = random_below(8) == 0 ? (long)random_offset() : (long)random_below(GROW_LIMIT);
    switch (random_below(4)) {
    case 0: set_call(c, SYS_read, fd, buffer, length, 0, 0, 0); break;
    case 1: set_call(c, SYS_pread64, fd, buffer, length, offset, 0, 0); break;
    case 2: set_call(c, SYS_write, fd, buffer, length, 0, 0, 0); break;
    default: set_call(c, SYS_pwrite64, fd, buffer, length, offset, 0, 0);
    }
    if ((c->number == SYS_write || c->number == SYS_pwrite64) && offset >= (long)GROW_LIMIT)
        c->args[3] = (long)random_below(GROW_LIMIT); /* files stay small: the disk is */
}

static void random_truncate(struct call *c)
{
    static const long odd[] = { -1, -PAGE_SIZE, 1L << 40, 1L << 62 };
    long size = random_below(10) == 0 ? PICK(odd) : (long)random_file_size();
    if (random_below(6) == 0)
        size = (long)random_below(GROW_LIMIT);
    set_call(c, SYS_ftruncate, random_file()->fd, size, 0, 0, 0, 0);
}

static void random_file_madvise(struct call *c)
{
    static const long advice[] = { MADV_DONTNEED, MADV_WILLNEED, MADV_POPULATE_READ,
                                   MADV_POPULATE_WRITE };
    unsigned long address = inside_recent_mapping();
    long length = (long)(1 + random_below(NEAR_PAGES)) * PAGE_SIZE, at = (long)address;
    keep_off_ourselves(&at, &length);
    set_call(c, SYS_madvise, at, length, PICK(advice), 0, 0, 0);
}

/* Unlink a file (maybe still mapped) or close its descriptor (its mappings live
 * on), and make a new one in its place. Made here: no call for make_call. */
static void replace_file(void)
{
    struct fuzz_file *f = random_file();
    if (random_below(2) == 0)
        sys_unlink(f->path);
    sys_close((int)f->fd);
    make_file((int)(f - files));
}

/* Map file f at page `page` for `pages` pages, fork, touch one byte in the child;
 * the child must die of SIGBUS exactly when the page is wholly past the end,
 * else see pread's byte (and a shared store must reach the file, a private one
 * not). False if the answer was wrong (printed). */
static bool probe_end_of_file(struct fuzz_file *f, long index)
{
    struct stat st;
    if (sys_fstat((int)f->fd, &st) != 0)
        return true;
    unsigned long page = random_below(FILE_MAX_PAGES + 2), pages = 1 + random_below(4);
    unsigned long at = random_below(pages) * PAGE_SIZE + random_below(PAGE_SIZE);
    bool shared = random_below(2), store = random_below(2);
    long mapped = sys_mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
                           shared ? MAP_SHARED : MAP_PRIVATE, (int)f->fd, (long)(page * PAGE_SIZE));
    if (IS_ERROR(mapped))
        return true; /* short of memory, or the descriptor was closed */
    unsigned long offset = page * PAGE_SIZE + at;
    unsigned char before = 0, stored = (unsigned char)(random_below(255) + 1);
    sys_pread64((int)f->fd, &before, 1, (long)offset); /* past the end: stays 0 */
    bool past_end = offset / PAGE_SIZE >= ((unsigned long)st.st_size + PAGE_SIZE - 1) / PAGE_SIZE;
    long pid = sys_fork();
    if (pid == 0) {
        volatile unsigned char *p = (volatile unsigned char *)(mapped + (long)at);
        if (*p != before)
            sys_exit_group(BUS_PROBE_WRONG);
        if (store)
            *p = stored;
        sys_exit_group(0);
    }
    bool right = true;
    if (pid > 0) {
        long status = wait_for(pid);
        unsigned char after = 0;
        long got = sys_pread64((int)f->fd, &after, 1, (long)offset);
        unsigned char wanted =
            store && shared && offset < (unsigned long)st.st_size ? stored : before;
        /* (a pread that failed, -ENOMEM with memory short, says nothing of the byte) */
        bool readable = got >= 0;
        right = past_end   ? killed_by(status, SIGBUS)
                : readable ? exited_with(status, 0) && after == wanted
                           : exited_with(status, 0);
        if (!right) {
            char text[60];
            describe_status(status, text, sizeof(text));
            printf("syscallfuzz: WRONG: %lu: call %ld: a byte at offset %lu of a %ld-byte file, "
                   "mapped %s from page %lu: the child %s a byte (%s), expected %s; pread "
                   "then gives %u (expected %u; pread returned %ld)\n",
                   (unsigned long)fuzz_seed, index, offset, st.st_size,
                   shared ? "MAP_SHARED" : "MAP_PRIVATE", page, store ? "stored" : "read", text,
                   past_end ? "SIGBUS" : "exit 0", after, wanted, got);
        }
    }
    sys_munmap((void *)mapped, pages * PAGE_SIZE);
    return right;
}

bool random_file_call(struct call *c, long index, struct tally *t)
{
    switch (random_below(16)) {
    case 0:
    case 1:
    case 2:
    case 3: random_file_mmap(c); return true;
    case 4: random_msync(c); return true;
    case 5: random_mincore(c); return true;
    case 6:
    case 7:
    case 8: random_file_io(c); return true;
    case 9: random_truncate(c); return true;
    case 10:
        set_call(c, random_below(2) ? SYS_fsync : SYS_fdatasync, random_file()->fd, 0, 0, 0, 0, 0);
        return true;
    case 11: random_file_madvise(c); return true;
    case 12: replace_file(); return false;
    default:
        t->processes++;
        if (!probe_end_of_file(random_file(), index))
            t->wrong++;
        return false;
    }
}
