/*
 * sysctl_parse.c — the rules of a write to a /proc/sys file, as Linux's
 * kernel/sysctl.c has them (sysctl_parse.h). Where a rule looks odd it is
 * because Linux has it; the comments say which of its functions it follows.
 */
#include "sysctl_parse.h"

#include "kernel/errno.h"
#include "lib/string.h"

/* proc_get_long copies a number into a 22-byte buffer: a number of 21
 * characters or more might go on past what it saw, so it is refused. */
#define NUMBER_MAX_CHARS 21

#define INT_MAX_VALUE INT32_MAX /* a knob holds an int, as Linux's do */

/* isspace: what proc_skip_spaces skips before and after a number. */
static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* proc_wspace_sep: the only characters that may come right after a number. */
static bool ends_number(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* The value of digit c in base, or -1 when c is not one. */
static int digit_value(char c, unsigned base)
{
    int v = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    return v >= 0 && (unsigned)v < base ? v : -1;
}

/* The spaces at the start of s (n bytes): how many. */
static size_t count_spaces(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_space(s[i]))
        i++;
    return i;
}

/* strtoul with base 0, on s (n bytes, starting with a digit): "0x" and a hex
 * digit make it hexadecimal, another leading 0 octal, else decimal. The
 * characters it used, with *value; 0 when the number overflows 64 bits (the
 * kernel's strtoul_lenient says -ERANGE). */
static size_t read_unsigned(const char *s, size_t n, uint64_t *value)
{
    unsigned base = 10;
    size_t i = 0;
    if (s[0] == '0') {
        bool hex = n > 2 && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2], 16) >= 0;
        base = hex ? 16 : 8;
        i = hex ? 2 : 0;
    }
    bool overflow = false;
    *value = 0;
    for (int d; i < n && (d = digit_value(s[i], base)) >= 0; i++) {
        overflow |= *value > (UINT64_MAX - (unsigned)d) / base;
        *value = *value * base + (unsigned)d;
    }
    return overflow ? 0 : i;
}

/* proc_get_long: a number at s (n bytes, n > 0): an optional '-' (when more
 * follows), then digits. Its length in characters, with *negative and
 * *magnitude; 0 when there is none, it overflows, it is 21 characters long or
 * longer, or something other than a space, tab or newline follows it. */
static size_t read_number(const char *s, size_t n, bool *negative, uint64_t *magnitude)
{
    size_t seen = n < NUMBER_MAX_CHARS ? n : NUMBER_MAX_CHARS;
    size_t at = 0;
    *negative = n > 1 && s[0] == '-';
    if (*negative)
        at = 1;
    if (at >= seen || digit_value(s[at], 10) < 0)
        return 0;
    size_t used = read_unsigned(s + at, seen - at, magnitude);
    if (used == 0)
        return 0;
    at += used;
    if (at == NUMBER_MAX_CHARS)
        return 0;
    if (at < n && !ends_number(s[at]))
        return 0;
    return at;
}

/* do_proc_dointvec_minmax_conv: the number as an int in min..max. */
static bool to_int_in_range(bool negative, uint64_t magnitude, int min, int max, int *value)
{
    int64_t v;
    if (negative) {
        if (magnitude > (uint64_t)INT_MAX_VALUE + 1)
            return false;
        v = -(int64_t)magnitude;
    } else {
        if (magnitude > (uint64_t)INT_MAX_VALUE)
            return false;
        v = (int64_t)magnitude;
    }
    if (v < min || v > max)
        return false;
    *value = (int)v;
    return true;
}

long sysctl_parse_int(struct sysctl_write *w, int min, int max, int *value, bool *has_value)
{
    *has_value = false;
    if (w->count == 0)
        return 0;
    /* sysctl_writes_strict: a write at an offset does not go on from where an
     * earlier one stopped (a number is one write); it is taken and ignored. */
    if (w->pos != 0) {
        w->pos += w->count;
        return (long)w->count;
    }
    const char *s = w->bytes;
    size_t left = w->n;
    size_t spaces = count_spaces(s, left);
    s += spaces, left -= spaces;
    if (left == 0)
        return -EINVAL;
    bool negative;
    uint64_t magnitude;
    size_t length = read_number(s, left, &negative, &magnitude);
    if (length == 0 || !to_int_in_range(negative, magnitude, min, max, value))
        return -EINVAL;
    s += length, left -= length;
    left -= count_spaces(s, left);
    /* What is left after the spaces (a second number, junk) is not taken:
     * the write comes back short, and a later write at its offset is ignored. */
    *has_value = true;
    long taken = (long)(w->count - left);
    w->pos += (uint64_t)taken;
    return taken;
}

long sysctl_parse_string(struct sysctl_write *w, char *value, size_t size, bool *changed)
{
    *changed = false;
    if (w->count == 0)
        return 0;
    /* sysctl_writes_strict: a write goes on from its offset in the value in
     * force, so one name may come in several writes; past its end, nothing. */
    size_t length = strlen(value);
    if (length > size - 1)
        length = size - 1;
    if (w->pos > length)
        return (long)w->count;
    length = (size_t)w->pos;
    for (size_t i = 0; i < w->n && length < size - 1; i++) {
        if (w->bytes[i] == '\0' || w->bytes[i] == '\n')
            break;
        value[length++] = w->bytes[i];
    }
    value[length] = '\0';
    w->pos += w->count;
    *changed = true;
    return (long)w->count;
}
