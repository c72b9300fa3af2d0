/*
 * program_source.c — reading a program wherever it is (program_source.h), and the
 * simplest kind of source: bytes already in memory.
 */
#include "program_source.h"

#include "errno.h"
#include "lib/string.h"

/* A boot module: the bytes are in memory, a read is a copy. */
static int memory_read_at(const struct program_source *src, uint64_t offset, void *buf, size_t n)
{
    memcpy(buf, src->bytes + offset, n);
    return 0;
}

void program_source_from_memory(struct program_source *src, const uint8_t *bytes, size_t n)
{
    *src = (struct program_source){ .size = n, .read_at = memory_read_at, .bytes = bytes };
}

int program_source_read(const struct program_source *src, uint64_t offset, void *buf, size_t n)
{
    if (offset > src->size || src->size - offset < n)
        return -EIO; /* the callers check ranges first: this is a file that changed */
    return n == 0 ? 0 : src->read_at(src, offset, buf, n);
}
