/*
 * stdio.c — printf on top of lib/format.c, and reading lines from fd 0.
 */
#include "stdio.h"

#include <stdbool.h>

#include "errno_names.h"
#include "lib/string.h"
#include "syscall.h"

#define OUTPUT_BUFFER 256 /* one write(2) per this many characters at most */
#define INPUT_BUFFER  512

/* ---- output ---- */

struct output {
    int fd;
    size_t used;
    long error; /* the first write error, 0 if none */
    char bytes[OUTPUT_BUFFER];
};

long write_all(int fd, const void *bytes, size_t n)
{
    const char *p = bytes;
    size_t left = n;
    while (left > 0) {
        long written = sys_write(fd, p, left);
        if (written < 0)
            return written;
        if (written == 0)
            return -EIO; /* a write that makes no progress would loop forever */
        p += written;
        left -= (size_t)written;
    }
    return (long)n;
}

static void flush(struct output *out)
{
    if (out->used > 0 && out->error == 0) {
        long result = write_all(out->fd, out->bytes, out->used);
        if (result < 0)
            out->error = result;
    }
    out->used = 0;
}

/* format_v's sink: collect bytes, write them out when the buffer is full. */
static void output_sink(void *context, const char *bytes, size_t n)
{
    struct output *out = context;
    while (n > 0) {
        if (out->used == OUTPUT_BUFFER)
            flush(out);
        size_t room = OUTPUT_BUFFER - out->used;
        size_t chunk = n < room ? n : room;
        memcpy(out->bytes + out->used, bytes, chunk);
        out->used += chunk;
        bytes += chunk;
        n -= chunk;
    }
}

int vdprintf(int fd, const char *fmt, va_list args)
{
    struct output out = { .fd = fd };
    int count = format_v(output_sink, &out, fmt, args);
    flush(&out);
    return out.error != 0 ? (int)out.error : count;
}

int dprintf(int fd, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int result = vdprintf(fd, fmt, args);
    va_end(args);
    return result;
}

int printf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int result = vdprintf(STDOUT, fmt, args);
    va_end(args);
    return result;
}

int puts(const char *s)
{
    int result = printf("%s\n", s);
    return result < 0 ? result : 0;
}

/* ---- input ---- */

/* Bytes read from fd 0 but not yet returned: one read() may deliver several lines
 * (from a pipe on Linux; our console returns one line per read). */
static struct {
    char bytes[INPUT_BUFFER];
    size_t start, end;
    bool ended;
} input;

/* Take the next byte of input, reading more when needed: 0..255, or <0 at the end. */
static long next_input_byte(void)
{
    if (input.start == input.end) {
        if (input.ended)
            return END_OF_INPUT;
        long n = sys_read(STDIN, input.bytes, sizeof(input.bytes));
        if (n <= 0) {
            input.ended = true; /* end of input (0) or an error */
            return n == 0 ? END_OF_INPUT : n;
        }
        input.start = 0;
        input.end = (size_t)n;
    }
    return (unsigned char)input.bytes[input.start++];
}

/* ASSIGNMENT(read_line): lines out of reads that may hold several lines, or part of one. */
long read_line(char *buf, size_t size)
{
    size_t length = 0;
    for (;;) {
        long c = next_input_byte();
        if (c < 0) {
            if (length > 0)
                break; /* a last line without a newline */
            return c;
        }
        if (c == '\n')
            break;
        if (length + 1 < size)
            buf[length++] = (char)c;
    }
    if (size > 0)
        buf[length] = '\0';
    return (long)length;
}
