/*
 * format.c — the printf engine.
 *
 * One pass over the format string: plain text is copied through; each conversion
 * is parsed into a `struct spec` (flags, width, precision, length), its argument
 * is turned into digits or a string, and pad() lays it out in the field.
 */
#include "format.h"

#include <stdbool.h>
#include <stdint.h>

#include "string.h"

/* Widths and precisions are capped here, so that a huge or INT_MIN value cannot
 * overflow the int arithmetic (C leaves such fields undefined anyway). */
#define FIELD_MAX 4096

enum length {
    LEN_INT,
    LEN_CHAR,
    LEN_SHORT,
    LEN_LONG,
    LEN_LONG_LONG,
    LEN_SIZE,
    LEN_PTRDIFF,
    LEN_MAX
};

struct spec {
    bool left;      /* '-': pad on the right */
    bool zero;      /* '0': pad numbers with zeros */
    bool plus;      /* '+': always show a sign */
    bool space;     /* ' ': a space where a '+' would go */
    bool alternate; /* '#': 0x for hex, 0 for octal */
    int width;      /* minimum field width */
    int precision;  /* -1 if not given */
    enum length length;
    char conversion;
};

struct out {
    format_sink_fn sink;
    void *context;
    int count;
};

static void emit(struct out *o, const char *bytes, size_t n)
{
    if (n > 0)
        o->sink(o->context, bytes, n);
    o->count += (int)n;
}

static void emit_repeated(struct out *o, char c, int times)
{
    for (int i = 0; i < times; i++)
        emit(o, &c, 1);
}

/* Lay out prefix ("-", "0x"...), zeros and body in a field of spec->width. */
static void pad(struct out *o, const struct spec *s, const char *prefix, int zeros,
                const char *body, int body_len)
{
    int prefix_len = (int)strlen(prefix);
    int len = prefix_len + zeros + body_len;
    int fill = s->width > len ? s->width - len : 0;

    if (!s->left && !s->zero)
        emit_repeated(o, ' ', fill);
    emit(o, prefix, (size_t)prefix_len);
    if (!s->left && s->zero)
        emit_repeated(o, '0', fill);
    emit_repeated(o, '0', zeros);
    emit(o, body, (size_t)body_len);
    if (s->left)
        emit_repeated(o, ' ', fill);
}

/* Write value in base into the end of buf; returns the first digit. */
static char *to_digits(uint64_t value, unsigned base, bool upper, char *end)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    do {
        *--p = digits[value % base];
        value /= base;
    } while (value != 0);
    return p;
}

static void format_integer(struct out *o, const struct spec *s, uint64_t magnitude, bool negative)
{
    char buf[24]; /* 2^64 in octal is 22 digits */
    unsigned base = 10;
    if (s->conversion == 'x' || s->conversion == 'X' || s->conversion == 'p')
        base = 16;
    else if (s->conversion == 'o')
        base = 8;

    char *digits = to_digits(magnitude, base, s->conversion == 'X', buf + sizeof buf);
    int len = (int)(buf + sizeof buf - digits);
    if (s->precision == 0 && magnitude == 0 && s->conversion != 'p')
        len = 0; /* C: "%.0d" of 0 prints nothing */

    int zeros = s->precision > len ? s->precision - len : 0;
    const char *prefix = "";
    if (negative)
        prefix = "-";
    else if (s->conversion == 'd' || s->conversion == 'i')
        prefix = s->plus ? "+" : s->space ? " " : "";
    else if (s->conversion == 'p' || (s->alternate && magnitude != 0 && base == 16))
        prefix = s->conversion == 'X' ? "0X" : "0x";
    else if (s->alternate && base == 8 && zeros == 0 && (len == 0 || digits[0] != '0'))
        prefix = "0"; /* '#' octal: the first digit must be a 0 */

    struct spec layout = *s;
    if (s->precision >= 0)
        layout.zero = false; /* C: a precision turns off '0' padding */
    pad(o, &layout, prefix, zeros, digits, len);
}

/* Fetch a signed argument of the spec's length, as a sign and a magnitude. */
static void next_signed(const struct spec *s, va_list *args, uint64_t *magnitude, bool *negative)
{
    int64_t v;
    switch (s->length) {
    case LEN_CHAR: v = (signed char)va_arg(*args, int); break;
    case LEN_SHORT: v = (short)va_arg(*args, int); break;
    case LEN_LONG: v = va_arg(*args, long); break;
    case LEN_LONG_LONG: v = va_arg(*args, long long); break;
    case LEN_SIZE: v = (int64_t)va_arg(*args, size_t); break;
    case LEN_PTRDIFF: v = va_arg(*args, ptrdiff_t); break;
    case LEN_MAX: v = va_arg(*args, intmax_t); break;
    default: v = va_arg(*args, int); break;
    }
    *negative = v < 0;
    /* negate in unsigned arithmetic so INT64_MIN does not overflow */
    *magnitude = *negative ? 0 - (uint64_t)v : (uint64_t)v;
}

static uint64_t next_unsigned(const struct spec *s, va_list *args)
{
    switch (s->length) {
    case LEN_CHAR: return (unsigned char)va_arg(*args, unsigned);
    case LEN_SHORT: return (unsigned short)va_arg(*args, unsigned);
    case LEN_LONG: return va_arg(*args, unsigned long);
    case LEN_LONG_LONG: return va_arg(*args, unsigned long long);
    case LEN_SIZE: return va_arg(*args, size_t);
    case LEN_PTRDIFF: return (uint64_t)va_arg(*args, ptrdiff_t);
    case LEN_MAX: return va_arg(*args, uintmax_t);
    default: return va_arg(*args, unsigned);
    }
}

static void format_string(struct out *o, const struct spec *s, const char *str)
{
    if (str == NULL) /* as glibc: "(null)", or nothing if the precision cuts it */
        str = (s->precision < 0 || s->precision >= (int)sizeof "(null)" - 1) ? "(null)" : "";
    size_t len = s->precision >= 0 ? strnlen(str, (size_t)s->precision) : strlen(str);
    struct spec layout = *s;
    layout.zero = false;
    pad(o, &layout, "", 0, str, (int)len);
}

/* A decimal field width or precision, saturating at FIELD_MAX. */
static const char *parse_field(const char *p, int *value)
{
    *value = 0;
    while (*p >= '0' && *p <= '9') {
        *value = *value * 10 + (*p++ - '0');
        if (*value > FIELD_MAX)
            *value = FIELD_MAX;
    }
    return p;
}

/* A '*' width or precision from the arguments, clamped to [-FIELD_MAX, FIELD_MAX]. */
static int star_field(va_list *args)
{
    int v = va_arg(*args, int);
    return v > FIELD_MAX ? FIELD_MAX : v < -FIELD_MAX ? -FIELD_MAX : v;
}

/* Parse "[flags][width][.precision][length]conversion" after a '%'.
 * Returns a pointer just past the conversion character. */
static const char *parse_spec(const char *p, struct spec *s, va_list *args)
{
    *s = (struct spec){ .precision = -1 };
    for (;; p++) {
        if (*p == '-')
            s->left = true;
        else if (*p == '0')
            s->zero = true;
        else if (*p == '+')
            s->plus = true;
        else if (*p == ' ')
            s->space = true;
        else if (*p == '#')
            s->alternate = true;
        else
            break;
    }
    if (*p == '*') {
        s->width = star_field(args);
        if (s->width < 0) { /* C: a negative '*' width means '-' */
            s->left = true;
            s->width = -s->width;
        }
        p++;
    } else {
        p = parse_field(p, &s->width);
    }
    if (*p == '.') {
        p++;
        if (*p == '*') {
            s->precision = star_field(args);
            if (s->precision < 0)
                s->precision = -1; /* C: a negative '*' precision is "none" */
            p++;
        } else {
            p = parse_field(p, &s->precision);
        }
    }
    if (p[0] == 'h' && p[1] == 'h') {
        s->length = LEN_CHAR;
        p += 2;
    } else if (p[0] == 'l' && p[1] == 'l') {
        s->length = LEN_LONG_LONG;
        p += 2;
    } else if (*p == 'h') {
        s->length = LEN_SHORT;
        p++;
    } else if (*p == 'l') {
        s->length = LEN_LONG;
        p++;
    } else if (*p == 'z') {
        s->length = LEN_SIZE;
        p++;
    } else if (*p == 't') {
        s->length = LEN_PTRDIFF;
        p++;
    } else if (*p == 'j') {
        s->length = LEN_MAX;
        p++;
    }
    s->conversion = *p;
    return *p ? p + 1 : p;
}

/* Produce one conversion; `start` is its '%', printed verbatim if unknown. */
static void format_one(struct out *o, const struct spec *s, va_list *args, const char *start,
                       const char *end)
{
    uint64_t magnitude;
    bool negative;
    char c;

    switch (s->conversion) {
    case 'd':
    case 'i':
        next_signed(s, args, &magnitude, &negative);
        format_integer(o, s, magnitude, negative);
        break;
    case 'u':
    case 'x':
    case 'X':
    case 'o': format_integer(o, s, next_unsigned(s, args), false); break;
    case 'p': format_integer(o, s, (uintptr_t)va_arg(*args, void *), false); break;
    case 'c':
        c = (char)va_arg(*args, int);
        pad(o, s, "", 0, &c, 1);
        break;
    case 's': format_string(o, s, va_arg(*args, const char *)); break;
    case '%': emit(o, "%", 1); break;
    default: emit(o, start, (size_t)(end - start)); break;
    }
}

int format_v(format_sink_fn sink, void *context, const char *fmt, va_list args)
{
    struct out o = { .sink = sink, .context = context };
    va_list ap;
    va_copy(ap, args); /* lets helpers take a va_list * on every ABI */

    const char *p = fmt;
    while (*p) {
        const char *text = p;
        while (*p && *p != '%')
            p++;
        emit(&o, text, (size_t)(p - text));
        if (*p != '%')
            break;
        struct spec s;
        const char *start = p;
        p = parse_spec(p + 1, &s, &ap);
        format_one(&o, &s, &ap, start, p);
    }
    va_end(ap);
    return o.count;
}

struct buffer {
    char *buf;
    size_t size; /* room including the terminating zero */
    size_t used;
};

static void buffer_sink(void *context, const char *bytes, size_t n)
{
    struct buffer *b = context;
    for (size_t i = 0; i < n; i++) {
        if (b->used + 1 < b->size)
            b->buf[b->used++] = bytes[i];
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    struct buffer b = { .buf = buf, .size = size };
    int n = format_v(buffer_sink, &b, fmt, args);
    if (size > 0)
        buf[b.used] = '\0';
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}
