/*
 * uaccess.c — copying between kernel and user memory, safely.
 *
 * The copy itself is one `rep movsb` listed in the exception table: if it faults
 * part way (an unmapped or protected user page), the trap handler resumes at the
 * fix-up with RCX still holding the bytes not yet copied. SMAP must be lifted
 * around it (stac/clac), but only on CPUs that have SMAP: elsewhere those
 * instructions do not exist.
 */
#include "uaccess.h"

#include "kernel/errno.h"
#include "kernel_pt.h"

bool user_range_ok(vaddr_t addr, size_t size)
{
    return addr <= USER_SPACE_END && size <= USER_SPACE_END - addr;
}

static void user_access_begin(void)
{
    if (kernel_pt_protections().smap)
        __asm__ volatile("stac" ::: "memory");
}

static void user_access_end(void)
{
    if (kernel_pt_protections().smap)
        __asm__ volatile("clac" ::: "memory");
}

/* Copy n bytes; returns how many were NOT copied (0 on success). */
static size_t copy_with_fixup(void *dst, const void *src, size_t n)
{
    user_access_begin();
    __asm__ volatile("1: rep movsb\n"
                     "2:\n"
                     ".pushsection .extable, \"a\"\n"
                     ".balign 8\n"
                     ".quad 1b, 2b, 1\n" /* quiet: a bad user pointer is not news */
                     ".popsection\n"
                     : "+D"(dst), "+S"(src), "+c"(n)
                     :
                     : "memory");
    user_access_end();
    return n;
}

int copy_from_user(void *dst, vaddr_t src, size_t size)
{
    if (!user_range_ok(src, size))
        return -EFAULT;
    return copy_with_fixup(dst, (const void *)src, size) == 0 ? 0 : -EFAULT;
}

int copy_to_user(vaddr_t dst, const void *src, size_t size)
{
    if (!user_range_ok(dst, size))
        return -EFAULT;
    return copy_with_fixup((void *)dst, src, size) == 0 ? 0 : -EFAULT;
}

long copy_string_from_user(char *dst, vaddr_t src, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        if (copy_from_user(&dst[i], src + i, 1) != 0)
            return -EFAULT;
        if (dst[i] == '\0')
            return (long)i;
    }
    return -ENAMETOOLONG;
}

int user_range_readable(vaddr_t addr, size_t size)
{
    if (!user_range_ok(addr, size))
        return -EFAULT;
    char byte;
    /* one byte in every page the range touches */
    for (vaddr_t p = addr; p < addr + size; p = align_down(p, PAGE_SIZE) + PAGE_SIZE) {
        if (copy_with_fixup(&byte, (const void *)p, 1) != 0)
            return -EFAULT;
    }
    return 0;
}
