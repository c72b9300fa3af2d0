/*
 * sysctl_writes — how a write to a /proc/sys file is read, the same test on
 * Linux's knobs and on vmlab's (kernel/fs/procfs/sysctl_parse.c):
 *
 *   sysctl_writes KNOB...
 *     int:PATH:MIN:MAX        a number knob taking MIN..MAX (proc_dointvec_minmax)
 *     name:PATH:NAME1:NAME2   a knob set by a name, two names it takes (proc_dostring)
 *
 * Each case sets the knob to a known value, makes one write (or pwrite at an
 * offset), and prints what write returned (all of it, all but K bytes, or the
 * errno), how far the file offset moved, and the value read back afterwards.
 * The values print as symbols (min, max, NAME1, NAME2) and lengths relative
 * to the write, so the transcript does not depend on the knob: run on Linux
 * with watermark_scale_factor (1..3000), compact_unevictable_allowed (0..1) and
 * tcp_congestion_control (reno, cubic), it must print what vmlab prints for its
 * knobs of the same minimum (tests/boot/sysctl.sh; the one difference, an
 * unknown name's errno, ENOENT there and EINVAL here, is the script's to map).
 * Each knob gets its old value back at the end. Without knob arguments (on
 * the host, from run-host-tests and musl-diff.sh) it says how to use it and
 * exits 0: it needs a machine whose knobs it may change.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BAD_POINTER ((const char *)1)
#define LONG_WRITE  5000 /* more than the page a sysctl write is read from */
#define TEXT_MAX    (LONG_WRITE + 64)
#define HUGE_WRITE  (4 << 20) /* Linux's KMALLOC_MAX_SIZE: too long to be copied in */
#define PAGE        4096

static const char *errno_name(int e)
{
    switch (e) {
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EFAULT: return "EFAULT";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case ENOMEM: return "ENOMEM";
    default: return "another errno";
    }
}

/* ---- the two kinds of knob ---- */

struct knob {
    const char *path;
    bool is_int;
    long min, max;             /* int: its range */
    const char *name1, *name2; /* name: two names it takes */
    char saved[64];            /* what it held before the test */
};

/* The knob's text now (its first line), or "(errno)". */
static const char *read_knob(const struct knob *k)
{
    static char text[128];
    int fd = open(k->path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n < 0) {
        snprintf(text, sizeof text, "(%s)", errno_name(errno));
        return text;
    }
    text[n] = '\0';
    text[strcspn(text, "\n")] = '\0';
    return text;
}

/* The value a knob holds as the transcript shows it: min or max (int), NAME1
 * or NAME2 (name: the one in brackets when the file lists several), else the
 * text itself. */
static const char *symbol(const struct knob *k)
{
    static char name[128];
    const char *text = read_knob(k);
    if (k->is_int) {
        char *end;
        long value = strtol(text, &end, 10);
        if (*text != '\0' && *end == '\0' && value == k->min)
            return "min";
        if (*text != '\0' && *end == '\0' && value == k->max)
            return "max";
        return text;
    }
    const char *open_bracket = strchr(text, '[');
    if (open_bracket != NULL) {
        snprintf(name, sizeof name, "%s", open_bracket + 1);
        name[strcspn(name, "]")] = '\0';
    } else {
        snprintf(name, sizeof name, "%s", text);
    }
    if (strcmp(name, k->name1) == 0)
        return "NAME1";
    if (strcmp(name, k->name2) == 0)
        return "NAME2";
    snprintf(name, sizeof name, "%s", text);
    return name;
}

/* Set the knob with one plain write of text; false (with a line) if it fails. */
static bool set_knob(const struct knob *k, const char *text)
{
    int fd = open(k->path, O_WRONLY);
    ssize_t n = fd >= 0 ? write(fd, text, strlen(text)) : -1;
    if (n != (ssize_t)strlen(text))
        printf("setting %s to %s failed: %s\n", k->path, text, errno_name(errno));
    if (fd >= 0)
        close(fd);
    return n == (ssize_t)strlen(text);
}

/* ---- one case ---- */

/* What a write of n bytes at offset at (after an earlier write of first, if
 * given, on the same descriptor) did, on one line. */
static void try_write(const struct knob *k, const char *what, const char *bytes, size_t n, off_t at,
                      const char *first)
{
    int fd = open(k->path, O_WRONLY);
    if (fd < 0) {
        printf("%s: open: %s\n", what, errno_name(errno));
        return;
    }
    if (first != NULL && write(fd, first, strlen(first)) < 0)
        printf("%s: first write: %s\n", what, errno_name(errno));
    off_t start = at >= 0 ? at : lseek(fd, 0, SEEK_CUR);
    ssize_t r = at >= 0 ? pwrite(fd, bytes, n, at) : write(fd, bytes, n);
    int error = errno;
    off_t moved = lseek(fd, 0, SEEK_CUR) - (at >= 0 ? 0 : start);
    close(fd);
    char result[32], offset[32];
    if (r < 0)
        snprintf(result, sizeof result, "%s", errno_name(error));
    else if ((size_t)r == n)
        snprintf(result, sizeof result, "all");
    else
        snprintf(result, sizeof result, "all-%zd", (ssize_t)n - r);
    if (at >= 0) /* pwrite leaves the offset alone */
        snprintf(offset, sizeof offset, "%s", moved == 0 ? "offset kept" : "offset moved");
    else if ((size_t)moved == n)
        snprintf(offset, sizeof offset, "offset +all");
    else if (r > 0 && moved == r)
        snprintf(offset, sizeof offset, "offset +taken");
    else
        snprintf(offset, sizeof offset, "offset +%lld", (long long)moved);
    printf("%-34s %-7s %-13s value %s\n", what, result, offset, symbol(k));
}

/* The case with text (a C string) as the bytes written, from value from. */
static void case_text(const struct knob *k, const char *from, const char *what, const char *text)
{
    if (set_knob(k, from))
        try_write(k, what, text, strlen(text), -1, NULL);
}

/* The case with n bytes (NULs may be among them), from value from. */
static void case_bytes(const struct knob *k, const char *from, const char *what, const char *bytes,
                       size_t n)
{
    if (set_knob(k, from))
        try_write(k, what, bytes, n, -1, NULL);
}

/* The case of a pwrite at offset at, from value from. */
static void case_at(const struct knob *k, const char *from, const char *what, const char *text,
                    off_t at)
{
    if (set_knob(k, from))
        try_write(k, what, text, strlen(text), at, NULL);
}

/* The case of a second write on a descriptor the first write (first) moved. */
static void case_second(const struct knob *k, const char *from, const char *what, const char *first,
                        const char *text)
{
    if (set_knob(k, from))
        try_write(k, what, text, strlen(text), -1, first);
}

/* Reads of just under and of 4 MiB into buffer: the knob's text, or the errno
 * (Linux reads a sysctl into a buffer the size of the request too). */
static void read_cases(const struct knob *k, char *buffer)
{
    const size_t sizes[] = { HUGE_WRITE - 1, HUGE_WRITE };
    const char *names[] = { "a read of 4 MiB - 1", "a read of 4 MiB" };
    for (int i = 0; i < 2; i++) {
        int fd = open(k->path, O_RDONLY);
        ssize_t r = fd >= 0 ? read(fd, buffer, sizes[i]) : -1;
        int error = errno;
        if (fd >= 0)
            close(fd);
        printf("%-34s %s\n", names[i], r > 0 ? "its text" : r == 0 ? "nothing" : errno_name(error));
    }
    memset(buffer, 0, sizes[1]);
}

/* Reads near and at 4 MiB; writes of value and then NULs, near and at 4 MiB,
 * and of 2 pages of which the second cannot be read: Linux copies the whole
 * write in before it parses the first page, so the size and every byte's page
 * count. label: the value's symbol (max, NAME1). */
static void size_cases(const struct knob *k, const char *from, const char *label, const char *value)
{
    char *big = mmap(NULL, HUGE_WRITE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (big == MAP_FAILED) {
        printf("mmap: %s\n", errno_name(errno));
        return;
    }
    read_cases(k, big);
    char what[64];
    memcpy(big, value, strlen(value));
    snprintf(what, sizeof what, "%s, NULs to 4 MiB - 1", label);
    case_bytes(k, from, what, big, HUGE_WRITE - 1);
    snprintf(what, sizeof what, "%s, NULs to 4 MiB", label);
    case_bytes(k, from, what, big, HUGE_WRITE);
    mprotect(big + PAGE, PAGE, PROT_NONE);
    snprintf(what, sizeof what, "%s, 2 pages, the 2nd unreadable", label);
    case_bytes(k, from, what, big, 2 * PAGE);
    munmap(big, HUGE_WRITE);
}

/* ---- the cases of a number knob ---- */

static void int_cases(const struct knob *k)
{
    char min[32], max[32], t[TEXT_MAX];
    snprintf(min, sizeof min, "%ld", k->min);
    snprintf(max, sizeof max, "%ld", k->max);
    printf("== number knob, minimum %ld\n", k->min);

    case_text(k, min, "max", max);
    snprintf(t, sizeof t, "%s\n", max);
    case_text(k, min, "max newline", t);
    snprintf(t, sizeof t, " \t %s", max);
    case_text(k, min, "spaces, tab before", t);
    snprintf(t, sizeof t, "\n\v\f\r%s", max);
    case_text(k, min, "\\n\\v\\f\\r before", t);
    snprintf(t, sizeof t, "%s \t\n \n", max);
    case_text(k, min, "spaces, newlines after", t);
    snprintf(t, sizeof t, "%s\r", max);
    case_text(k, min, "\\r right after", t);
    snprintf(t, sizeof t, "%s \r\v\f", max);
    case_text(k, min, "space then \\r\\v\\f", t);
    snprintf(t, sizeof t, "%s x", max);
    case_text(k, min, "max x", t);
    snprintf(t, sizeof t, "%s\nx", max);
    case_text(k, min, "max newline x", t);
    snprintf(t, sizeof t, "%sx", max);
    case_text(k, min, "maxx", t);
    snprintf(t, sizeof t, "%s %s", max, min);
    case_text(k, min, "max min", t);
    int len = snprintf(t, sizeof t, "%s", max);
    case_bytes(k, min, "max NUL", t, (size_t)len + 1);
    len = snprintf(t, sizeof t, "%s %cx", max, '\0');
    case_bytes(k, min, "max space NUL x", t, (size_t)len);
    len = snprintf(t, sizeof t, "%s%cx", max, '\0');
    case_bytes(k, min, "max NUL x", t, (size_t)len);

    snprintf(t, sizeof t, "0x%lx", k->max);
    case_text(k, min, "max in hex", t);
    snprintf(t, sizeof t, "0X%lX", k->max);
    case_text(k, min, "max in hex, 0X", t);
    snprintf(t, sizeof t, "0%lo", k->max);
    case_text(k, min, "max in octal", t);
    case_text(k, min, "09", "09");
    case_text(k, min, "0x", "0x");
    case_text(k, min, "0xg", "0xg");
    snprintf(t, sizeof t, "+%s", max);
    case_text(k, min, "+max", t);
    snprintf(t, sizeof t, "-%s", max);
    case_text(k, min, "-max", t);
    case_text(k, max, "-0", "-0");
    case_text(k, max, "-", "-");
    case_text(k, max, "- 1", "- 1");
    snprintf(t, sizeof t, "%ld", k->min - 1);
    case_text(k, max, "min-1", t);
    case_text(k, max, "min", min);
    snprintf(t, sizeof t, "%ld", k->max + 1);
    case_text(k, min, "max+1", t);
    snprintf(t, sizeof t, "%lld", (1LL << 32) + k->max);
    case_text(k, min, "2^32+max", t);
    case_text(k, min, "2^31", "2147483648");
    case_text(k, min, "-2^31-1", "-2147483649");
    case_text(k, min, "2^64", "18446744073709551616");
    snprintf(t, sizeof t, "0x%018lx", k->max);
    case_text(k, min, "max in 20 characters", t);
    snprintf(t, sizeof t, "0x%019lx", k->max);
    case_text(k, min, "max in 21 characters", t);
    snprintf(t, sizeof t, "0x%019lx\n", k->max);
    case_text(k, min, "max in 21 characters, newline", t);

    case_bytes(k, max, "nothing (0 bytes)", "", 0);
    case_text(k, max, "spaces", "   ");
    case_text(k, max, "newline", "\n");
    case_bytes(k, max, "NUL", "", 1);
    case_at(k, max, "min at offset 1", min, 1);
    case_at(k, max, "min at offset 4096", min, 4096);
    case_at(k, max, "junk at offset 1", "junk", 1);
    case_second(k, min, "newline after max", max, "\n");
    case_second(k, max, "min after a refused newline", "\n", min);

    len = snprintf(t, sizeof t, "%s", max);
    memset(t + len, ' ', LONG_WRITE - (size_t)len);
    case_bytes(k, min, "max, then 5000 bytes of spaces", t, LONG_WRITE);
    t[100] = 'x';
    case_bytes(k, min, "max, spaces, x at byte 100", t, LONG_WRITE);
    t[100] = ' ';
    t[4500] = 'x';
    case_bytes(k, min, "max, spaces, x at byte 4500", t, LONG_WRITE);

    if (set_knob(k, min))
        try_write(k, "from a bad pointer", BAD_POINTER, 3, -1, NULL);
    size_cases(k, min, "max", max);
}

/* ---- the cases of a name knob ---- */

static void name_cases(const struct knob *k)
{
    const char *n1 = k->name1, *n2 = k->name2;
    char t[TEXT_MAX];
    printf("== name knob\n");

    case_text(k, n2, "NAME1", n1);
    snprintf(t, sizeof t, "%s\n", n1);
    case_text(k, n2, "NAME1 newline", t);
    snprintf(t, sizeof t, "%s\nx", n1);
    case_text(k, n2, "NAME1 newline x", t);
    int len = snprintf(t, sizeof t, "%s%cx", n1, '\0');
    case_bytes(k, n2, "NAME1 NUL x", t, (size_t)len);
    snprintf(t, sizeof t, " %s", n1);
    case_text(k, n2, "space NAME1", t);
    snprintf(t, sizeof t, "%s ", n1);
    case_text(k, n2, "NAME1 space", t);
    snprintf(t, sizeof t, "%s\r", n1);
    case_text(k, n2, "NAME1 \\r", t);
    case_text(k, n2, "nosuch", "nosuch\n");
    snprintf(t, sizeof t, "%s%s", n1, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    case_text(k, n2, "NAME1 and 30 x", t);
    case_bytes(k, n2, "nothing (0 bytes)", "", 0);
    case_text(k, n2, "newline", "\n");
    case_bytes(k, n2, "NUL", "", 1);

    /* at an offset, the write goes on from there in the name in force */
    case_at(k, n1, "rest of NAME2 at 2, from NAME1", n2 + 2, 2);
    case_at(k, n2, "rest of NAME2 at 2, from NAME2", n2 + 2, 2);
    case_at(k, n2, "NAME1 at the end of NAME2", n1, (off_t)strlen(n2));
    case_at(k, n2, "NAME1 past the end of NAME2", n1, (off_t)strlen(n2) + 1);
    case_at(k, n2, "NAME1 at offset 4096", n1, 4096);
    case_second(k, n2, "newline after NAME1", n1, "\n");
    case_second(k, n2, "NAME1 after a refused newline", "\n", n1);
    if (set_knob(k, n2))
        try_write(k, "from a bad pointer", BAD_POINTER, 3, -1, NULL);
    size_cases(k, n2, "NAME1", n1);
}

/* ---- main ---- */

static bool parse_knob(const char *arg, struct knob *k)
{
    static char copy[8][256];
    static int used;
    if (used == 8)
        return false;
    char *s = copy[used++];
    snprintf(s, 256, "%s", arg);
    char *kind = strtok(s, ":"), *path = strtok(NULL, ":");
    char *a = strtok(NULL, ":"), *b = strtok(NULL, ":");
    if (kind == NULL || path == NULL || a == NULL || b == NULL)
        return false;
    memset(k, 0, sizeof *k);
    k->path = path;
    k->is_int = strcmp(kind, "int") == 0;
    if (k->is_int) {
        k->min = strtol(a, NULL, 10), k->max = strtol(b, NULL, 10);
        return true;
    }
    k->name1 = a, k->name2 = b;
    return strcmp(kind, "name") == 0;
}

/* The value the knob held, as text a write gives back. */
static void save(struct knob *k)
{
    const char *text = read_knob(k);
    if (!k->is_int && strchr(text, '[') != NULL) {
        snprintf(k->saved, sizeof k->saved, "%s", strchr(text, '[') + 1);
        k->saved[strcspn(k->saved, "]")] = '\0';
    } else {
        snprintf(k->saved, sizeof k->saved, "%s", text);
    }
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2 || (strncmp(argv[1], "int:", 4) != 0 && strncmp(argv[1], "name:", 5) != 0)) {
        printf("usage: sysctl_writes int:PATH:MIN:MAX | name:PATH:NAME1:NAME2 ...\n");
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        struct knob k;
        if (!parse_knob(argv[i], &k)) {
            printf("bad knob argument: %s\n", argv[i]);
            return 2;
        }
        save(&k);
        if (k.is_int)
            int_cases(&k);
        else
            name_cases(&k);
        if (set_knob(&k, k.saved) && strcmp(read_knob(&k), k.saved) != 0 && k.is_int)
            printf("%s not back to %s\n", k.path, k.saved);
    }
    return 0;
}
