/*
 * random.c — RDRAND, or xorshift seeded from the TSC; the getrandom system call.
 */
#include "random.h"

#include <stdbool.h>
#include <stdint.h>

#include "errno.h"
#include "kernel/fs/uio.h"
#include "lib/xorshift.h"
#include "mm/uaccess.h"
#include "syscall.h"
#include "x86.h"

#define CPUID1_ECX_RDRAND (1u << 30)

static bool rdrand(uint64_t *value)
{
    unsigned char ok;
    __asm__ volatile("rdrand %0; setc %1" : "=r"(*value), "=qm"(ok));
    return ok;
}

static uint64_t next_value(void)
{
    static uint64_t state;
    uint64_t v;
    if ((cpuid(1, 0).ecx & CPUID1_ECX_RDRAND) && rdrand(&v))
        return v;
    state ^= rdtsc() | 1; /* never 0, and different every call */
    return xorshift64(&state);
}

void random_bytes(void *buf, size_t n)
{
    uint8_t *out = buf;
    while (n > 0) {
        uint64_t v = next_value();
        for (int i = 0; i < 8 && n > 0; i++, n--)
            *out++ = (uint8_t)(v >> (8 * i));
    }
}

/* getrandom's flags (Linux's values). The generator has no "not seeded yet"
 * state, so none of them ever makes a call wait or fail with EAGAIN. */
#define GRND_NONBLOCK 0x1 /* do not wait for the generator to be seeded */
#define GRND_RANDOM   0x2 /* once: the blocking pool; now the same bytes */
#define GRND_INSECURE 0x4 /* even before it is seeded */
#define GRND_CHUNK    256 /* bytes made and copied out at a time */

/* getrandom(buf, count, flags): count random bytes (cut at MAX_RW_COUNT, as a
 * read is); the bytes copied before a bad page, or -EFAULT if none; -EINVAL for
 * an unknown flag or GRND_RANDOM with GRND_INSECURE. A long call lets others run
 * every chunk and stops early (with what it has) at a fatal signal. */
long sys_getrandom(struct syscall_args a)
{
    vaddr_t buf = a.arg[0];
    size_t count = a.arg[1] < MAX_RW_COUNT ? a.arg[1] : MAX_RW_COUNT;
    uint32_t flags = (uint32_t)a.arg[2];
    if ((flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0 ||
        (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
        return -EINVAL;
    if (!user_range_ok(buf, count))
        return -EFAULT;
    size_t done = 0;
    while (done < count) {
        uint8_t chunk[GRND_CHUNK];
        size_t n = count - done < sizeof chunk ? count - done : sizeof chunk;
        size_t to_page_end = PAGE_SIZE - (buf + done) % PAGE_SIZE;
        n = n < to_page_end ? n : to_page_end; /* a bad page: exactly the bytes before it */
        random_bytes(chunk, n);
        if (copy_to_user(buf + done, chunk, n) != 0)
            return done > 0 ? (long)done : -EFAULT;
        done += n;
        if (done < count && !syscall_preempt_point())
            break;
    }
    return (long)done;
}
