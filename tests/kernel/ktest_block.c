/*
 * ktest_block.c — the block layer and virtio-blk against a disk of known contents.
 *
 * tests/boot/block.sh makes the disk on the host: word j (of 64) of sector i holds
 * TEST_PATTERN | i << 8 | j. The tests run only on such a disk (so `test` with a
 * real disk attached writes nothing on it); without one they say so and check
 * nothing. Booted with `test=disk_` (and `test=diskerr_` on a disk whose sector
 * ERROR_SECTOR fails through QEMU's blkdebug).
 */
#include "kernel/cpu.h"
#include "kernel/clock.h"
#include "kernel/dev/block.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/x86.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "mm/kheap.h"

#define TEST_PATTERN     0x564d000000000000ul /* "VM": the disk as the host made it */
#define WRITTEN_PATTERN  0x5752000000000000ul /* "WR": what disk_write_* writes */
#define WORDS_PER_SECTOR (BLOCK_SECTOR_SIZE / 8)
#define TEST_DISK_MIN    40960 /* sectors: 20 MiB */
#define REQUEST_LIMIT    256   /* sectors per request virtio_blk.c sends at most */
#define WRITE_START      36000 /* block.sh checks these sectors on the image */
#define WRITE_COUNT      300
#define ERROR_SECTOR     777          /* block.sh's blkdebug configuration fails reads here */
#define WRITE_ERROR      778          /* ... and writes here */
#define THROUGHPUT_BYTES (16ul << 20) /* sectors 0..32767, below WRITE_START */
#define THROUGHPUT_CHUNK (64ul << 10)
#define SLEEP_READ_COUNT (8 * REQUEST_LIMIT) /* 8 requests */

static uint64_t pattern_word(uint64_t pattern, uint64_t sector, unsigned j)
{
    return pattern | sector << 8 | j;
}

/* True if buf holds count sectors of pattern starting at sector; else says
 * where the first difference is. */
static bool holds_pattern(const void *buf, uint64_t pattern, uint64_t sector, uint32_t count)
{
    for (uint32_t s = 0; s < count; s++) {
        for (unsigned j = 0; j < WORDS_PER_SECTOR; j++) {
            uint64_t got;
            memcpy(&got, (const uint8_t *)buf + s * BLOCK_SECTOR_SIZE + j * 8, 8);
            uint64_t want = pattern_word(pattern, sector + s, j);
            if (!KEXPECT(got == want, "sector %lu word %u: 0x%lx, expected 0x%lx", sector + s, j,
                         got, want))
                return false;
        }
    }
    return true;
}

static void fill_pattern(void *buf, uint64_t pattern, uint64_t sector, uint32_t count)
{
    for (uint32_t s = 0; s < count; s++) {
        for (unsigned j = 0; j < WORDS_PER_SECTOR; j++) {
            uint64_t word = pattern_word(pattern, sector + s, j);
            memcpy((uint8_t *)buf + s * BLOCK_SECTOR_SIZE + j * 8, &word, 8);
        }
    }
}

/* vda if it is the host-made test disk, else NULL (and the test is skipped). */
static struct block_device *test_disk(void)
{
    static uint8_t first[BLOCK_SECTOR_SIZE];
    struct block_device *dev = block_device_find("vda");
    uint64_t word = 0;
    if (dev != NULL && block_sector_count(dev) >= TEST_DISK_MIN &&
        block_read(dev, 0, 1, first) == 0)
        memcpy(&word, first + 8, 8);
    if (word != pattern_word(TEST_PATTERN, 0, 1)) {
        ktest_skip("no test disk (vda with the test pattern; tests/boot/block.sh attaches one)");
        return NULL;
    }
    return dev;
}

/* The counters that changed since before. */
static struct block_stats stats_since(struct block_device *dev, struct block_stats before)
{
    struct block_stats now = block_stats(dev);
    return (struct block_stats){ .requests = now.requests - before.requests,
                                 .sectors_read = now.sectors_read - before.sectors_read,
                                 .sectors_written = now.sectors_written - before.sectors_written,
                                 .errors = now.errors - before.errors,
                                 .wait_ns = now.wait_ns - before.wait_ns };
}

KTEST(disk_read_one_sector_into_a_stack_buffer)
{
    struct block_device *dev = test_disk();
    if (dev == NULL)
        return;
    uint8_t buf[BLOCK_SECTOR_SIZE]; /* on the kernel stack: a kvmap page */
    struct block_stats before = block_stats(dev);
    KEXPECT_EQ(block_read(dev, 1, 1, buf), 0);
    holds_pattern(buf, TEST_PATTERN, 1, 1);
    struct block_stats d = stats_since(dev, before);
    KEXPECT_EQ(d.requests, 1);
    KEXPECT_EQ(d.sectors_read, 1);
    KEXPECT_EQ(d.errors, 0);
}

KTEST(disk_read_300_sectors_is_two_requests)
{
    struct block_device *dev = test_disk();
    uint8_t *buf = kmalloc(300 * BLOCK_SECTOR_SIZE);
    if (dev == NULL || !KEXPECT(buf != NULL, "no memory"))
        goto out;
    struct block_stats before = block_stats(dev);
    KEXPECT_EQ(block_read(dev, 100, 300, buf), 0);
    holds_pattern(buf, TEST_PATTERN, 100, 300);
    struct block_stats d = stats_since(dev, before);
    KEXPECT_EQ(d.requests, 2); /* 256 + 44 */
    KEXPECT_EQ(d.sectors_read, 300);
out:
    kfree(buf);
}

KTEST(disk_read_the_last_sector)
{
    struct block_device *dev = test_disk();
    if (dev == NULL)
        return;
    static uint8_t buf[2 * BLOCK_SECTOR_SIZE];
    uint64_t last = block_sector_count(dev) - 1;
    KEXPECT_EQ(block_read(dev, last - 1, 2, buf), 0);
    holds_pattern(buf, TEST_PATTERN, last - 1, 2);
}

KTEST(disk_read_into_an_unaligned_buffer_across_pages)
{
    struct block_device *dev = test_disk();
    uint8_t *block = kmalloc(4 * 4096);
    if (dev == NULL || !KEXPECT(block != NULL, "no memory"))
        goto out;
    uint8_t *buf = block + 4096 - 3; /* 9 sectors from 3 bytes before a page end: 3 pages */
    memset(block, 0xaa, 4 * 4096);
    KEXPECT_EQ(block_read(dev, 5000, 9, buf), 0);
    holds_pattern(buf, TEST_PATTERN, 5000, 9);
    KEXPECT_EQ(block[4096 - 4], 0xaa);            /* the byte before is untouched */
    KEXPECT_EQ(buf[9 * BLOCK_SECTOR_SIZE], 0xaa); /* and the byte after */
out:
    kfree(block);
}

KTEST(disk_out_of_range_and_empty_requests_are_einval)
{
    struct block_device *dev = test_disk();
    if (dev == NULL)
        return;
    static uint8_t buf[2 * BLOCK_SECTOR_SIZE];
    uint64_t n = block_sector_count(dev);
    struct block_stats before = block_stats(dev);
    KEXPECT_EQ(block_read(dev, n, 1, buf), -EINVAL);
    KEXPECT_EQ(block_read(dev, n - 1, 2, buf), -EINVAL);
    KEXPECT_EQ(block_read(dev, 0, 0, buf), -EINVAL);
    KEXPECT_EQ(block_read(dev, UINT64_MAX, 1, buf), -EINVAL);
    KEXPECT_EQ(block_read(dev, 1, UINT32_MAX, buf), -EINVAL);
    KEXPECT_EQ(block_write(dev, n, 1, buf), -EINVAL);
    KEXPECT_EQ(block_write(dev, 0, 0, buf), -EINVAL);
    KEXPECT_EQ(block_read(NULL, 0, 1, buf), -EINVAL);
    KEXPECT_EQ(stats_since(dev, before).requests, 0); /* none reached the device */
}

KTEST(disk_write_flush_and_read_back)
{
    struct block_device *dev = test_disk();
    uint8_t *buf = kmalloc(WRITE_COUNT * BLOCK_SECTOR_SIZE);
    if (dev == NULL || !KEXPECT(buf != NULL, "no memory"))
        goto out;
    struct block_stats before = block_stats(dev);
    fill_pattern(buf, WRITTEN_PATTERN, WRITE_START, WRITE_COUNT);
    KEXPECT_EQ(block_write(dev, WRITE_START, WRITE_COUNT, buf), 0);
    KEXPECT_EQ(block_flush(dev), 0);
    memset(buf, 0, WRITE_COUNT * BLOCK_SECTOR_SIZE);
    KEXPECT_EQ(block_read(dev, WRITE_START, WRITE_COUNT, buf), 0);
    holds_pattern(buf, WRITTEN_PATTERN, WRITE_START, WRITE_COUNT);
    struct block_stats d = stats_since(dev, before);
    KEXPECT_EQ(d.requests, 5); /* write 256 + 44, flush, read 256 + 44 */
    KEXPECT_EQ(d.sectors_written, WRITE_COUNT);
    KEXPECT_EQ(d.sectors_read, WRITE_COUNT);
    KEXPECT_EQ(d.errors, 0);
    KEXPECT(d.wait_ns > 0, "no time spent waiting");
out:
    kfree(buf);
}

/* ---- a process asleep on I/O lets another run ---- */

static struct block_device *sleep_disk;
static uint8_t *sleep_buf;
static volatile bool reader_done;
static volatile uint64_t other_runs; /* times the other process got the CPU */
static uint64_t other_runs_during_read;
static int reader_result;

/* End a kernel thread: a zombie for the test to reap. */
static void __attribute__((noreturn)) thread_exit(void)
{
    current_proc()->state = PROC_ZOMBIE;
    schedule();
    __builtin_unreachable();
}

static void reader_thread(void)
{
    uint64_t before = other_runs;
    reader_result = block_read(sleep_disk, 0, SLEEP_READ_COUNT, sleep_buf);
    other_runs_during_read = other_runs - before;
    reader_done = true;
    thread_exit();
}

/* Runnable all along: counts its turns and gives the CPU back each time. */
static void other_thread(void)
{
    while (!reader_done) {
        other_runs++;
        interrupt_window();
        schedule();
    }
    thread_exit();
}

/* A process that runs fn in the kernel: its stack made so that context_switch
 * "returns" into fn (6 callee-saved registers, then fn, then a zero return
 * address that ends backtraces). */
static struct proc *spawn_kernel_thread(const char *name, void (*fn)(void))
{
    struct proc *p = proc_alloc(name);
    if (p == NULL)
        return NULL;
    uint64_t *sp = (uint64_t *)p->kstack_top;
    *--sp = 0;
    *--sp = (uint64_t)fn;
    for (int i = 0; i < 6; i++)
        *--sp = 0;
    p->saved_rsp = (uint64_t)sp;
    sched_start(p);
    return p;
}

/* Run the idle loop (this test runs as the idle process: it gets the CPU when
 * nobody else can run) until every one of the n threads has ended; reap them. */
static void wait_for_threads(struct proc **threads, int n)
{
    cli();
    for (int i = 0; i < n; i++) {
        while (threads[i] != NULL && threads[i]->state != PROC_ZOMBIE) {
            schedule();
            sti_hlt();
            cli();
        }
    }
    sti();
    for (int i = 0; i < n; i++) {
        if (threads[i] != NULL)
            proc_reap(threads[i]);
    }
}

KTEST(disk_sleeping_reader_lets_another_process_run)
{
    sleep_disk = test_disk();
    sleep_buf = kmalloc(SLEEP_READ_COUNT * BLOCK_SECTOR_SIZE);
    if (sleep_disk == NULL || !KEXPECT(sleep_buf != NULL, "no memory"))
        goto out;
    reader_done = false;
    other_runs = 0;
    struct block_stats before = block_stats(sleep_disk);
    cli(); /* neither may run before both exist */
    struct proc *threads[] = { spawn_kernel_thread("blkreader", reader_thread),
                               spawn_kernel_thread("blkother", other_thread) };
    wait_for_threads(threads, 2);
    if (!KEXPECT(threads[0] != NULL && threads[1] != NULL, "no memory for the threads"))
        goto out;
    KEXPECT_EQ(reader_result, 0);
    holds_pattern(sleep_buf, TEST_PATTERN, 0, SLEEP_READ_COUNT);
    KEXPECT_EQ(stats_since(sleep_disk, before).requests, SLEEP_READ_COUNT / REQUEST_LIMIT);
    /* Each request put the reader to sleep (it submits with interrupts off, so the
     * completion cannot come before it sleeps), and the other process was the one
     * runnable: it ran at least once per request. */
    KEXPECT(other_runs_during_read >= SLEEP_READ_COUNT / REQUEST_LIMIT,
            "the other process ran %lu times during %u requests", other_runs_during_read,
            SLEEP_READ_COUNT / REQUEST_LIMIT);
    kprintf("disk: while a process read %u sectors (%u requests), another ran %lu times\n",
            SLEEP_READ_COUNT, SLEEP_READ_COUNT / REQUEST_LIMIT, other_runs_during_read);
out:
    kfree(sleep_buf);
}

/* ---- many readers at once: more requests than the queue holds ---- */

#define READERS        100 /* x 3 or more descriptors each > the queue's 256 */
#define READER_SECTORS 8
#define READER_OFFSET  (PAGE_SIZE - 4) /* the data straddles a page boundary */

static uint8_t *reader_bufs[READERS];
static int reader_results[READERS];
static int next_reader;

/* Reader k reads its own 8 sectors. Every reader submits before any completion
 * is taken (each runs with interrupts off until it sleeps, and the next reader
 * runs then), so the queue fills up and the last ones wait for room. */
static void many_reader_thread(void)
{
    int k = next_reader++; /* interrupts are off: no other reader runs meanwhile */
    reader_results[k] = block_read(sleep_disk, (uint64_t)k * READER_SECTORS, READER_SECTORS,
                                   reader_bufs[k] + READER_OFFSET);
    thread_exit();
}

KTEST(disk_a_hundred_readers_at_once_wait_for_room_in_the_queue)
{
    sleep_disk = test_disk();
    if (sleep_disk == NULL)
        return;
    struct proc *threads[READERS] = { 0 };
    for (int k = 0; k < READERS; k++) {
        reader_bufs[k] = kmalloc(READER_OFFSET + READER_SECTORS * BLOCK_SECTOR_SIZE);
        reader_results[k] = 1;
    }
    next_reader = 0;
    struct block_stats before = block_stats(sleep_disk);
    cli();
    for (int k = 0; k < READERS; k++)
        threads[k] =
            reader_bufs[k] != NULL ? spawn_kernel_thread("blkreader", many_reader_thread) : NULL;
    wait_for_threads(threads, READERS);
    for (int k = 0; k < READERS; k++) {
        if (KEXPECT(threads[k] != NULL, "reader %d: no memory", k) &&
            KEXPECT_EQ(reader_results[k], 0))
            holds_pattern(reader_bufs[k] + READER_OFFSET, TEST_PATTERN,
                          (uint64_t)k * READER_SECTORS, READER_SECTORS);
        kfree(reader_bufs[k]);
    }
    struct block_stats d = stats_since(sleep_disk, before);
    KEXPECT_EQ(d.requests, READERS);
    KEXPECT_EQ(d.sectors_read, READERS * READER_SECTORS);
}

/* Not a timed test: prints the rate, checks only the data. */
KTEST(disk_read_throughput)
{
    struct block_device *dev = test_disk();
    uint8_t *buf = kmalloc(THROUGHPUT_CHUNK);
    if (dev == NULL || !KEXPECT(buf != NULL, "no memory"))
        goto out;
    uint32_t sectors = THROUGHPUT_CHUNK / BLOCK_SECTOR_SIZE;
    uint64_t start = clock_monotonic_ns();
    for (uint64_t at = 0; at < THROUGHPUT_BYTES / BLOCK_SECTOR_SIZE; at += sectors) {
        if (!KEXPECT_EQ(block_read(dev, at, sectors, buf), 0))
            break;
        if (!holds_pattern(buf + (sectors - 1) * BLOCK_SECTOR_SIZE, TEST_PATTERN, at + sectors - 1,
                           1))
            break;
    }
    uint64_t ns = clock_monotonic_ns() - start;
    uint64_t kb_per_s = THROUGHPUT_BYTES * 1000000ul / (ns / 1000 + 1) / 1000;
    kprintf("disk: read %lu MiB in %lu KiB requests in %lu ms: %lu.%lu MB/s\n",
            THROUGHPUT_BYTES >> 20, THROUGHPUT_CHUNK >> 10, ns / 1000000, kb_per_s / 1000,
            kb_per_s % 1000 / 100);
out:
    kfree(buf);
}

/* ---- with blkdebug failing reads of ERROR_SECTOR ---- */

KTEST(diskerr_read_of_a_failing_sector_is_eio)
{
    struct block_device *dev = test_disk();
    if (dev == NULL)
        return;
    static uint8_t buf[16 * BLOCK_SECTOR_SIZE];
    struct block_stats before = block_stats(dev);
    KEXPECT_EQ(block_read(dev, ERROR_SECTOR, 1, buf), -EIO);
    KEXPECT_EQ(block_read(dev, ERROR_SECTOR - 1, 1, buf), 0); /* the next good read works */
    holds_pattern(buf, TEST_PATTERN, ERROR_SECTOR - 1, 1);
    KEXPECT_EQ(block_read(dev, ERROR_SECTOR - 8, 16, buf), -EIO); /* a range covering it */
    KEXPECT_EQ(block_read(dev, ERROR_SECTOR + 1, 1, buf), 0);
    holds_pattern(buf, TEST_PATTERN, ERROR_SECTOR + 1, 1);
    KEXPECT_EQ(block_write(dev, WRITE_ERROR, 1, buf), -EIO);
    struct block_stats d = stats_since(dev, before);
    KEXPECT_EQ(d.requests, 5);
    KEXPECT_EQ(d.errors, 3);
    KEXPECT_EQ(d.sectors_read, 2); /* failed requests count no sectors */
    KEXPECT_EQ(d.sectors_written, 0);
}
