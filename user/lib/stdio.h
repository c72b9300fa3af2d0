/*
 * stdio.h — formatted output and line input on file descriptors 0, 1 and 2.
 *
 * printf and dprintf format with lib/format.c into a small buffer that is written
 * out (write(2)) whenever it fills and at the end of every call, so output appears
 * at once and in order, even when several processes share the console. There is no
 * FILE and no buffering across calls.
 */
#ifndef USER_LIB_STDIO_H
#define USER_LIB_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#include "lib/format.h" /* snprintf, vsnprintf */

#define STDIN  0
#define STDOUT 1
#define STDERR 2

/* Format to standard output / to fd. Return the number of characters formatted, or
 * the -errno of a write that failed. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char *fmt, va_list args);

/* Write s and a newline to standard output. Returns 0 or -errno. */
int puts(const char *s);

/* Write all n bytes, continuing after partial writes. Returns n or -errno. */
long write_all(int fd, const void *bytes, size_t n);

/* Read one line from standard input into buf (at most size-1 bytes, zero-terminated,
 * the newline removed; the rest of a longer line is dropped). Returns the line's
 * length, END_OF_INPUT when input has ended and nothing is left, or -errno. */
#define END_OF_INPUT (-4096L) /* just outside the -errno range (-4095 .. -1) */
long read_line(char *buf, size_t size);

#endif
