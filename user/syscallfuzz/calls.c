/*
 * calls.c — a random call of each family: the memory calls (mmap, munmap,
 * mprotect, mremap, madvise, brk), calls that make the kernel read or write user
 * memory, vmlab's other calls, and any number at all.
 */
#include "fuzz.h"

static void set_call(struct call *c, long number, long a0, long a1, long a2, long a3, long a4,
                     long a5)
{
    *c = (struct call){ number, { a0, a1, a2, a3, a4, a5 } };
}

static void random_mmap(struct call *c)
{
    long flags = random_map_flags();
    bool placed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) || random_below(2) == 0;
    unsigned long address = placed ? random_address() : 0; /* else a hint, or none */
    set_call(c, SYS_mmap, (long)address, (long)random_length(address), random_prot(), flags,
             random_fd(), random_offset());
}

static void random_mprotect(struct call *c)
{
    static const long keys[] = { -1, 0, 1, 15, 16 };
    unsigned long address = random_address();
    bool with_key = random_below(8) == 0;
    set_call(c, with_key ? SYS_pkey_mprotect : SYS_mprotect, (long)address,
             (long)random_length(address), random_prot(), PICK(keys), 0, 0);
}

static void random_madvise(struct call *c)
{
    /* Never 100 and 101 (MADV_HWPOISON, MADV_SOFT_OFFLINE): as root on Linux they
     * take real memory out of service. */
    static const long advice[] = { 0,
                                   1,
                                   2,
                                   3,
                                   4,
                                   4,
                                   4,
                                   8,
                                   9,
                                   10,
                                   11,
                                   12,
                                   13,
                                   14,
                                   15,
                                   16,
                                   17,
                                   18,
                                   19,
                                   20,
                                   21,
                                   MADV_POPULATE_READ,
                                   MADV_POPULATE_WRITE,
                                   25,
                                   -1,
                                   1000 };
    unsigned long address = random_address();
    set_call(c, SYS_madvise, (long)address, (long)random_length(address), PICK(advice), 0, 0, 0);
}

static void random_mremap(struct call *c)
{
    static const long flags[] = {
        0,
        MREMAP_MAYMOVE,
        MREMAP_MAYMOVE,
        MREMAP_MAYMOVE | MREMAP_FIXED,
        MREMAP_FIXED,
        MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
        MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
        8,
    };
    unsigned long old = random_address();
    unsigned long old_size = random_below(10) == 0 ? 0 : random_length(old);
    long how = random_below(16) == 0 ? (long)random_next() : PICK(flags);
    set_call(c, SYS_mremap, (long)old, (long)old_size, (long)random_length(old), how,
             (long)random_address(), 0);
}

static void random_brk(struct call *c)
{
    unsigned long request;
    switch (random_below(8)) {
    case 0: request = edge_address(); break;
    case 1: request = -100UL; break;
    case 2: request = first_break + random_below(NEAR_PAGES) * PAGE_SIZE; break;
    case 3: request = random_address(); break;
    default:
        request = current_break + (random_below(2 * NEAR_PAGES) - NEAR_PAGES) * PAGE_SIZE;
        if (random_below(4) == 0)
            request += random_below(PAGE_SIZE);
    }
    set_call(c, SYS_brk, (long)request, 0, 0, 0, 0, 0);
}

void random_memory_call(struct call *c)
{
    switch (random_below(12)) {
    case 0:
    case 1:
    case 2: random_mmap(c); break;
    case 3:
    case 4: {
        unsigned long address = random_address();
        set_call(c, SYS_munmap, (long)address, (long)random_length(address), 0, 0, 0, 0);
        break;
    }
    case 5:
    case 6: random_mprotect(c); break;
    case 7:
    case 8: random_mremap(c); break;
    case 9: random_madvise(c); break;
    default: random_brk(c);
    }
}

/* A call that makes the kernel write (or read) user memory at one of our addresses:
 * it must fault pages in, copy on write, or answer -EFAULT, never touch another
 * page. */
void random_user_access(struct call *c)
{
    long at = (long)random_address(), size = PAGE_SIZE;
    keep_off_ourselves(&at, &size);
    switch (random_below(8)) {
    case 0: set_call(c, SYS_clock_gettime, (long)random_below(2), at, 0, 0, 0, 0); break;
    case 1: set_call(c, SYS_uname, at, 0, 0, 0, 0, 0); break;
    case 2:
        set_call(c, SYS_getrusage, random_below(2) ? RUSAGE_SELF : RUSAGE_CHILDREN, at, 0, 0, 0, 0);
        break;
    case 3: set_call(c, SYS_rt_sigprocmask, SIG_BLOCK, 0, at, SIGSET_SIZE, 0, 0); break;
    case 4:
        set_call(c, SYS_rt_sigprocmask, INVALID_HOW, at, 0, SIGSET_SIZE, 0, 0);
        break; /* reads */
    case 5: set_call(c, SYS_wait4, -1, at, WNOHANG, at, 0, 0); break;
    case 6:
        set_call(c, SYS_arch_prctl, random_below(2) ? ARCH_GET_FS : ARCH_GET_GS, at, 0, 0, 0, 0);
        break;
    default: set_call(c, SYS_nanosleep, at, at, 0, 0, 0, 0); break; /* reads (tamed below) */
    }
}

/* The calls vmlab has, with random arguments. */
void random_known_call(struct call *c)
{
    static const short known[] = {
        SYS_write,   SYS_writev,    SYS_ioctl,       SYS_nanosleep,       SYS_getpid,
        SYS_getppid, SYS_gettid,    SYS_sched_yield, SYS_rt_sigaction,    SYS_rt_sigprocmask,
        SYS_uname,   SYS_getrusage, SYS_arch_prctl,  SYS_set_tid_address, SYS_clock_gettime,
        SYS_wait4,   SYS_kill,      SYS_execve,
    };
    c->number = PICK(known);
    for (int a = 0; a < 6; a++)
        c->args[a] = random_argument();
}

/* Any number Linux had by 2023 (but the skipped ones), and now and then one no kernel
 * knows, with random arguments. */
void random_any_call(struct call *c, long *skips)
{
    static const long unknown[] = { -1, 512, 1000, 4096, 100000 };
    if (random_below(50) == 0) {
        c->number = PICK(unknown);
    } else {
        do {
            c->number = (long)random_below(SYS_LAST_FUZZED + 1);
            *skips += is_skipped(c->number);
        } while (is_skipped(c->number));
    }
    for (int a = 0; a < 6; a++)
        c->args[a] = random_argument();
}
