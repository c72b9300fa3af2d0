/*
 * format.h — printf-style formatting, written once for the kernel and user programs.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%
 * Flags: '-' (left-justify), '0' (zero padding), '+', ' ', '#' (0x / 0 prefix)
 * Width and precision: numbers or '*' ("%08lx", "%-12s", "%.*s", "%5.3d")
 * Lengths: hh h l ll z t j ("%lx", "%zu", "%llu")
 * %p prints 0x followed by the hexadecimal address. An unknown conversion is printed
 * as written. The output goes to a sink, so the same code serves a console, a
 * buffer (snprintf) or a test.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives the formatted output, n bytes at a time (not zero-terminated). */
typedef void (*format_sink_fn)(void *context, const char *bytes, size_t n);

/* Format into sink; returns the number of characters produced. */
int format_v(format_sink_fn sink, void *context, const char *fmt, va_list args);

/* Like C's: writes at most size-1 characters plus a terminating zero (if size > 0)
 * and returns the length the whole output would have had. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
