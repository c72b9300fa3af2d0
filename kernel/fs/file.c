/*
 * file.c — open file descriptions and their reference counts.
 */
#include "file.h"

#include "kernel/errno.h"
#include "kernel/panic.h"
#include "mm/kheap.h"

struct file *file_alloc(const struct file_ops *ops, uint32_t flags, void *private)
{
    struct file *f = kzalloc(sizeof *f);
    if (f == NULL)
        return NULL;
    f->refs = 1;
    f->flags = flags & ~O_CLOEXEC;
    f->ops = ops;
    f->private = private;
    return f;
}

void file_get(struct file *f)
{
    assert(f->refs > 0, "file_get: file %p has %d references", f, f->refs);
    f->refs++;
}

/* The last reference: the object behind learns it (a pipe end closes), then the
 * record goes. */
void file_put(struct file *f)
{
    assert(f->refs > 0, "file_put: file %p has %d references", f, f->refs);
    if (--f->refs > 0)
        return;
    if (f->ops->release != NULL)
        f->ops->release(f);
    kfree(f);
}

bool file_readable(const struct file *f)
{
    uint32_t mode = f->flags & O_ACCMODE;
    return mode == O_RDONLY || mode == O_RDWR;
}

bool file_writable(const struct file *f)
{
    uint32_t mode = f->flags & O_ACCMODE;
    return mode == O_WRONLY || mode == O_RDWR;
}

bool file_is_stream(const struct file *f)
{
    return f->ops->llseek == NULL;
}

long file_seek_from(struct file *f, int64_t base, int64_t offset)
{
    int64_t target;
    if (__builtin_add_overflow(base, offset, &target) || target < 0)
        return -EINVAL;
    f->offset = (uint64_t)target;
    return target;
}
