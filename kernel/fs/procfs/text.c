/*
 * text.c — the growing text of a /proc file (text.h).
 */
#include "text.h"

#include <stdarg.h>

#include "lib/format.h"
#include "lib/string.h"
#include "mm/kheap.h"

#define TEXT_FIRST_CAPACITY 1024

/* Room for n more bytes: the buffer doubles until they fit. False (and the text
 * marked cut short) if memory ran out. */
static bool make_room(struct procfs_text *t, size_t n)
{
    if (t->overflow)
        return false;
    if (t->length + n <= t->capacity)
        return true;
    size_t capacity = t->capacity ? t->capacity : TEXT_FIRST_CAPACITY;
    while (capacity < t->length + n)
        capacity *= 2;
    char *bigger = kmalloc(capacity);
    if (bigger == NULL) {
        t->overflow = true;
        return false;
    }
    if (t->length > 0)
        memcpy(bigger, t->bytes, t->length);
    kfree(t->bytes);
    t->bytes = bigger;
    t->capacity = capacity;
    return true;
}

void text_put(struct procfs_text *t, const void *bytes, size_t n)
{
    if (n == 0 || !make_room(t, n))
        return;
    memcpy(t->bytes + t->length, bytes, n);
    t->length += n;
}

/* format_v's sink: the formatted pieces go to the end of the text. */
static void text_sink(void *context, const char *bytes, size_t n)
{
    text_put(context, bytes, n);
}

void text_printf(struct procfs_text *t, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    format_v(text_sink, t, fmt, args);
    va_end(args);
}

void text_pad(struct procfs_text *t, size_t width)
{
    size_t line_start = t->length;
    while (line_start > 0 && t->bytes[line_start - 1] != '\n')
        line_start--;
    for (size_t at = t->length - line_start; at < width; at++)
        text_put(t, " ", 1);
    text_put(t, " ", 1);
}

void text_free(struct procfs_text *t)
{
    kfree(t->bytes);
    *t = (struct procfs_text){ 0 };
}
