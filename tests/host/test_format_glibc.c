/*
 * test_format_glibc.c — lib/format.c compared byte for byte with glibc's snprintf,
 * on a table of cases, at every buffer size, and on a grid of flags x widths x
 * precisions x integer conversions. Only formats whose output C defines are used.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "lib/format.h"
#include "lib/string.h"

/* ---- differential: vmlab's snprintf against glibc's ---- */

enum arg_kind {
    ARG_NONE,
    ARG_INT,
    ARG_UNSIGNED,
    ARG_LONG,
    ARG_ULONG,
    ARG_LLONG,
    ARG_ULLONG,
    ARG_SIZE,
    ARG_PTRDIFF,
    ARG_INTMAX,
    ARG_UINTMAX,
    ARG_CHAR,
    ARG_STRING,
};

/* One formatting case: the format, up to two '*' arguments, then one value. */
struct diff_case {
    const char *fmt;
    enum arg_kind kind;
    long long i;          /* for the signed kinds and ARG_CHAR */
    unsigned long long u; /* for the unsigned kinds */
    const char *s;        /* for ARG_STRING */
    int stars;            /* how many of star[] precede the value */
    int star[2];
};

#define S(f, v)                                                                                    \
    {                                                                                              \
        .fmt = f, .kind = ARG_STRING, .s = v                                                       \
    }
#define I(f, v)                                                                                    \
    {                                                                                              \
        .fmt = f, .kind = ARG_INT, .i = v                                                          \
    }
#define U(f, v)                                                                                    \
    {                                                                                              \
        .fmt = f, .kind = ARG_UNSIGNED, .u = v                                                     \
    }
#define L(f, v)                                                                                    \
    {                                                                                              \
        .fmt = f, .kind = ARG_LONG, .i = v                                                         \
    }
#define UL(f, v)                                                                                   \
    {                                                                                              \
        .fmt = f, .kind = ARG_ULONG, .u = v                                                        \
    }
#define LL(f, v)                                                                                   \
    {                                                                                              \
        .fmt = f, .kind = ARG_LLONG, .i = v                                                        \
    }
#define ULL(f, v)                                                                                  \
    {                                                                                              \
        .fmt = f, .kind = ARG_ULLONG, .u = v                                                       \
    }
#define STAR1(k, f, a, v)                                                                          \
    {                                                                                              \
        .fmt = f, .kind = k, .i = v, .u = (unsigned long long)(v), .stars = 1, .star = { a }       \
    }
#define STAR2(k, f, a, b, v)                                                                       \
    {                                                                                              \
        .fmt = f, .kind = k, .i = v, .u = (unsigned long long)(v), .stars = 2, .star = { a, b }    \
    }

static const struct diff_case diff_cases[] = {
    { .fmt = "plain text", .kind = ARG_NONE },
    { .fmt = "%%", .kind = ARG_NONE },
    { .fmt = "a%%b%%", .kind = ARG_NONE },
    I("%d", 0),
    I("%d", 1),
    I("%d", -1),
    I("%d", INT_MAX),
    I("%d", INT_MIN),
    I("%i", -12345),
    I("%5d", -42),
    I("%-5d|", -42),
    I("%05d", -42),
    I("%+d", 0),
    I("% d", 42),
    I("% 5d", 42),
    I("%+5d", 42),
    I("%-+5d|", 42),
    I("%- 5d|", 42),
    I("%.0d", 0),
    I("%.0d", 1),
    I("%.1d", 0),
    I("%.10d", -1),
    I("%3.2d", 7),
    I("%-6.3d|", -7),
    I("%+.3d", 7),
    I("% .3d", 7),
    I("%010.4d", 123),
    I("%+010d", -123),
    I("%hhd", 127),
    I("%hhd", 128),
    I("%hhd", -129),
    I("%hhu", 300),
    I("%hhx", -1),
    I("%hd", 32767),
    I("%hd", 32768),
    I("%hu", -1),
    I("%ho", -1),
    I("%hX", 0xabcd),
    U("%u", 0),
    U("%u", UINT_MAX),
    U("%x", 0),
    U("%x", 0x7fffffff),
    U("%X", 0xabcdef),
    U("%o", 0),
    U("%o", 8),
    U("%o", UINT_MAX),
    U("%#o", 0),
    U("%#o", 1),
    U("%#o", 010),
    U("%#x", 0),
    U("%#x", 1),
    U("%#X", 0xabc),
    U("%#10x", 0xabc),
    U("%#-10x|", 0xabc),
    U("%#010x", 0xabc),
    U("%#.5x", 0xabc),
    U("%#10.5x", 0xabc),
    U("%#.0x", 0),
    U("%#.0o", 0),
    U("%#5.0o", 0),
    U("%#.3o", 8),
    U("%#.2o", 8),
    U("%#5o", 8),
    U("%#05o", 8),
    U("%8u", 123),
    U("%-8u|", 123),
    U("%08u", 123),
    U("%.8u", 123),
    U("%.0u", 0),
    U("%5.0x", 0),
    U("%-5.0x|", 0),
    U("%08.3x", 0xff),
    U("%.3X", 0xf),
    L("%ld", LONG_MIN),
    L("%ld", LONG_MAX),
    L("%li", -1),
    L("%+ld", 1),
    L("%20ld", LONG_MIN),
    L("%-25ld|", LONG_MIN),
    L("%025ld", LONG_MIN),
    L("%.25ld", LONG_MIN),
    UL("%lu", ULONG_MAX),
    UL("%lx", ULONG_MAX),
    UL("%lX", 0xdeadbeefcafeul),
    UL("%lo", ULONG_MAX),
    UL("%#lx", 0xffffffff80000000ul),
    UL("%#lo", ULONG_MAX),
    UL("%016lx", 0x1000),
    UL("%.16lx", 0x1000),
    LL("%lld", LLONG_MIN),
    LL("%lld", LLONG_MAX),
    LL("%lli", 0),
    LL("% lld", LLONG_MIN),
    ULL("%llu", ULLONG_MAX),
    ULL("%llx", 1ull << 63),
    ULL("%#llo", 1ull << 63),
    ULL("%llX", 0),
    { .fmt = "%zu", .kind = ARG_SIZE, .u = SIZE_MAX },
    { .fmt = "%zx", .kind = ARG_SIZE, .u = 4096 },
    { .fmt = "%zd", .kind = ARG_PTRDIFF, .i = -4096 }, /* %zd takes the signed size type */
    { .fmt = "%td", .kind = ARG_PTRDIFF, .i = PTRDIFF_MIN },
    { .fmt = "%ti", .kind = ARG_PTRDIFF, .i = -1 },
    { .fmt = "%tx", .kind = ARG_SIZE, .u = 0x123 }, /* %tx takes the unsigned ptrdiff type */
    { .fmt = "%jd", .kind = ARG_INTMAX, .i = INTMAX_MIN },
    { .fmt = "%ji", .kind = ARG_INTMAX, .i = INTMAX_MAX },
    { .fmt = "%ju", .kind = ARG_UINTMAX, .u = UINTMAX_MAX },
    { .fmt = "%#jx", .kind = ARG_UINTMAX, .u = 0xabcdef },
    { .fmt = "%c", .kind = ARG_CHAR, .i = 'A' },
    { .fmt = "%5c|", .kind = ARG_CHAR, .i = 'A' },
    { .fmt = "%-5c|", .kind = ARG_CHAR, .i = 'A' },
    { .fmt = "[%c]", .kind = ARG_CHAR, .i = 0x1e9 }, /* converted to unsigned char */
    S("%s", ""),
    S("%s", "hello"),
    S("%10s|", "hello"),
    S("%-10s|", "hello"),
    S("%2s", "hello"),
    S("%.2s", "hello"),
    S("%.0s", "hello"),
    S("%.10s", "hello"),
    S("%7.3s|", "hello"),
    S("%-7.3s|", "hello"),
    S("<%s>", "a b c"),
    S("%.5s", "\xe9t\xe9"),
    STAR1(ARG_INT, "%*d", 6, 42),
    STAR1(ARG_INT, "%*d|", -6, 42),
    STAR1(ARG_INT, "%-*d|", -6, 42),
    STAR1(ARG_INT, "%0*d", 6, -42),
    STAR1(ARG_INT, "%*d", 0, 42),
    STAR1(ARG_INT, "%.*d", 4, 42),
    STAR1(ARG_INT, "%.*d", -4, 42),
    STAR1(ARG_INT, "%.*d", 0, 0),
    STAR1(ARG_INT, "%.*d", -1, 0),
    STAR1(ARG_INT, "%05.*d", -1, 42),
    STAR1(ARG_INT, "%05.*d", 1, 42),
    STAR2(ARG_INT, "%*.*d|", 8, 4, -42),
    STAR2(ARG_INT, "%*.*d|", -8, 4, -42),
    STAR2(ARG_INT, "%*.*d|", -8, -4, -42),
    STAR2(ARG_UNSIGNED, "%#*.*x|", 10, 6, 0xab),
    STAR2(ARG_UNSIGNED, "%#*.*o|", -6, 0, 0),
    { .fmt = "%.*s|", .kind = ARG_STRING, .s = "hello", .stars = 1, .star = { 3 } },
    { .fmt = "%.*s|", .kind = ARG_STRING, .s = "hello", .stars = 1, .star = { -3 } },
    { .fmt = "%*s|", .kind = ARG_STRING, .s = "hello", .stars = 1, .star = { -8 } },
    { .fmt = "%*.*s|", .kind = ARG_STRING, .s = "hello", .stars = 2, .star = { 8, 2 } },
};

typedef int (*snprintf_fn)(char *buf, size_t size, const char *fmt, ...);

/* Call fn with c's arguments, each passed as the type its length modifier reads. */
static int run_case(snprintf_fn fn, char *buf, size_t size, const struct diff_case *c)
{
#define CALL(value)                                                                                \
    (c->stars == 0   ? fn(buf, size, c->fmt, value)                                                \
     : c->stars == 1 ? fn(buf, size, c->fmt, c->star[0], value)                                    \
                     : fn(buf, size, c->fmt, c->star[0], c->star[1], value))
    switch (c->kind) {
    case ARG_NONE: return fn(buf, size, c->fmt);
    case ARG_INT: return CALL((int)c->i);
    case ARG_UNSIGNED: return CALL((unsigned)c->u);
    case ARG_LONG: return CALL((long)c->i);
    case ARG_ULONG: return CALL((unsigned long)c->u);
    case ARG_LLONG: return CALL((long long)c->i);
    case ARG_ULLONG: return CALL((unsigned long long)c->u);
    case ARG_SIZE: return CALL((size_t)c->u);
    case ARG_PTRDIFF: return CALL((ptrdiff_t)c->i);
    case ARG_INTMAX: return CALL((intmax_t)c->i);
    case ARG_UINTMAX: return CALL((uintmax_t)c->u);
    case ARG_CHAR: return CALL((int)c->i);
    case ARG_STRING: return CALL(c->s);
    }
#undef CALL
    return -1;
}

/* Compare one case at one buffer size; reports and returns false on a mismatch. */
static bool same_as_glibc(const struct diff_case *c, size_t size)
{
    char ours[128], theirs[128];
    memset(ours, '#', sizeof ours);
    memset(theirs, '#', sizeof theirs);
    int n_ours = run_case(snprintf, ours, size, c);
    int n_theirs = run_case(real_snprintf, theirs, size, c);
    bool same = n_ours == n_theirs && memcmp(ours, theirs, sizeof ours) == 0;
    ours[sizeof ours - 1] = theirs[sizeof theirs - 1] = '\0';
    return CHECK(same,
                 "format \"%s\", size %zu: vmlab \"%s\" (returns %d), glibc \"%s\" (returns %d)",
                 c->fmt, size, ours, n_ours, theirs, n_theirs);
}

TEST(format_matches_glibc_on_table)
{
    size_t count = sizeof diff_cases / sizeof diff_cases[0];
    for (size_t i = 0; i < count; i++) {
        if (!same_as_glibc(&diff_cases[i], 100))
            return; /* report only the first mismatch */
    }
}

TEST(format_matches_glibc_when_truncated)
{
    /* every case again at every buffer size from 0 to one past its full length */
    size_t count = sizeof diff_cases / sizeof diff_cases[0];
    for (size_t i = 0; i < count; i++) {
        char full[128];
        int len = run_case(real_snprintf, full, sizeof full, &diff_cases[i]);
        for (size_t size = 0; size <= (size_t)len + 1; size++) {
            if (!same_as_glibc(&diff_cases[i], size))
                return;
        }
    }
}

/* A grid of every flag set, width and precision with the integer conversions. */
TEST(format_matches_glibc_on_integer_grid)
{
    static const char *const flags[] = { "",   "-",  "0",  "+",  " ",  "#",
                                         "-0", "+0", "-+", " 0", "#0", "#-" };
    static const char *const widths[] = { "", "1", "7" };
    static const char *const precisions[] = { "", ".0", ".1", ".4" };
    static const char conversions[] = "diuxXo";
    static const int values[] = { 0, 1, -1, 8, 255, 4096, INT_MAX, INT_MIN };

    for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++)
        for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++)
            for (size_t p = 0; p < sizeof precisions / sizeof precisions[0]; p++)
                for (const char *conv = conversions; *conv; conv++) {
                    bool is_signed = *conv == 'd' || *conv == 'i';
                    if (is_signed && flags[f][0] == '#')
                        continue; /* C: '#' with d or i is undefined */
                    char fmt[16];
                    real_snprintf(fmt, sizeof fmt, "[%%%s%s%s%c]", flags[f], widths[w],
                                  precisions[p], *conv);
                    for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
                        struct diff_case c = { .fmt = fmt,
                                               .kind = is_signed ? ARG_INT : ARG_UNSIGNED,
                                               .i = values[v],
                                               .u = (unsigned)values[v] };
                        if (!same_as_glibc(&c, 100))
                            return;
                    }
                }
}
