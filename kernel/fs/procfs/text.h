/*
 * text.h — the text of a /proc file, built in kernel memory.
 *
 * Every /proc file is a small report made on demand: a function prints it into a
 * struct procfs_text, which grows as it is written (like Linux's seq_file, without
 * its paging: these files are a few KiB), and read() copies from it at any offset.
 */
#ifndef KERNEL_FS_PROCFS_TEXT_H
#define KERNEL_FS_PROCFS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct procfs_text {
    char *bytes;     /* NULL until the first byte */
    size_t length;   /* bytes written */
    size_t capacity; /* bytes allocated */
    bool overflow;   /* memory ran out: the text is cut short */
};

/* Append printf-style formatted text (lib/format.h's conversions). */
void text_printf(struct procfs_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append n bytes as they are (NUL bytes too: cmdline separates arguments so). */
void text_put(struct procfs_text *t, const void *bytes, size_t n);

/* Append spaces until the current line is width characters long, then one more
 * (Linux's seq_pad): what comes next starts at column width + 1 or later. */
void text_pad(struct procfs_text *t, size_t width);

/* Free the bytes and empty the text. */
void text_free(struct procfs_text *t);

#endif
