/*
 * wc [-l] [-w] [-c] [FILE]... — count lines, words and bytes, as coreutils' wc
 * prints them in the C locale.
 *
 *   $ echo a b | wc           $ wc notes plan
 *         1       2       4     3  12  61 notes
 *                               1   2   9 plan
 *                               4  14  70 total
 *
 * A line is a '\n'. A word is a run of printable characters between white space
 * (space, \t, \n, \v, \f, \r); other bytes (control characters, bytes >= 0x80)
 * neither start a word nor end one, as coreutils counts in the C locale. The
 * columns are as wide as the total size of the files needs (stat), at least 7
 * when an input is not a regular file (a pipe's size is not known), and one
 * count alone is printed without padding.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/string.h"
#include "user/lib/errno_names.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define READ_BUFFER   (64 * 1024)
#define UNKNOWN_WIDTH 7 /* coreutils' width when an input's size is unknown */

struct counts {
    uint64_t lines, words, bytes;
};

static bool show_lines, show_words, show_bytes;
static char buffer[READ_BUFFER];

static bool is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool is_printable(unsigned char c)
{
    return c > ' ' && c < 0x7f;
}

/* Count fd to its end into *counts. 0 or -errno of a failed read. */
static long count_fd(int fd, struct counts *counts)
{
    bool in_word = false;
    for (;;) {
        long n = sys_read(fd, buffer, sizeof(buffer));
        if (n <= 0)
            return n;
        counts->bytes += (uint64_t)n;
        for (long i = 0; i < n; i++) {
            unsigned char c = (unsigned char)buffer[i];
            if (c == '\n')
                counts->lines++;
            if (is_space(c)) {
                in_word = false;
            } else if (is_printable(c) && !in_word) {
                in_word = true;
                counts->words++;
            }
        }
    }
}

/* The width of each column: digits of the total size of the regular files,
 * at least UNKNOWN_WIDTH if some input is not one; 1 for a single count of a
 * single input (nothing to line up). */
static int column_width(int count, char **names)
{
    if ((int)show_lines + (int)show_words + (int)show_bytes == 1 && count <= 1)
        return 1;
    uint64_t total = 0;
    int minimum = 1;
    for (int i = 0; i < (count > 0 ? count : 1); i++) {
        struct stat st;
        bool is_stdin = count == 0 || strcmp(names[i], "-") == 0;
        long result = is_stdin ? sys_fstat(STDIN, &st) : sys_stat(names[i], &st);
        if (result < 0) {
            if (i == 0)
                return 1; /* as coreutils: the first input decides this case */
            continue;
        }
        if (S_ISREG(st.st_mode))
            total += (uint64_t)st.st_size;
        else
            minimum = UNKNOWN_WIDTH;
    }
    int width = 1;
    for (; total >= 10; total /= 10)
        width++;
    return width > minimum ? width : minimum;
}

static void print_counts(const struct counts *counts, int width, const char *name)
{
    const char *separator = "";
    if (show_lines) {
        printf("%*lu", width, (unsigned long)counts->lines);
        separator = " ";
    }
    if (show_words) {
        printf("%s%*lu", separator, width, (unsigned long)counts->words);
        separator = " ";
    }
    if (show_bytes)
        printf("%s%*lu", separator, width, (unsigned long)counts->bytes);
    printf(name != NULL ? " %s\n" : "\n", name);
}

/* Count one input and print its line; add it to *total. 0, or 1 after an error. */
static int wc_file(const char *name, int width, struct counts *total)
{
    struct counts counts = { 0, 0, 0 };
    bool is_stdin = name == NULL || strcmp(name, "-") == 0;
    long fd = is_stdin ? STDIN : sys_open(name, O_RDONLY | O_CLOEXEC, 0);
    long result = fd < 0 ? fd : count_fd((int)fd, &counts);
    if (fd >= 0 && !is_stdin)
        sys_close((int)fd);
    if (result < 0) {
        dprintf(STDERR, "wc: %s: %s\n", name != NULL ? name : "-", errno_text(result));
        if (fd < 0)
            return 1; /* not even opened: no line for it */
    }
    print_counts(&counts, width, name);
    total->lines += counts.lines;
    total->words += counts.words;
    total->bytes += counts.bytes;
    return result < 0 ? 1 : 0;
}

/* Options -l -w -c (together as -lw too); none means all three. Returns the
 * index of the first file name, or -1 for an unknown option. */
static int parse_options(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        for (const char *p = argv[i] + 1; *p != '\0'; p++) {
            if (*p == 'l')
                show_lines = true;
            else if (*p == 'w')
                show_words = true;
            else if (*p == 'c')
                show_bytes = true;
            else {
                dprintf(STDERR,
                        "wc: invalid option -- '%c'\n"
                        "Try 'wc --help' for more information.\n",
                        *p);
                return -1;
            }
        }
    }
    if (!show_lines && !show_words && !show_bytes)
        show_lines = show_words = show_bytes = true;
    return i;
}

int main(int argc, char **argv)
{
    int first = parse_options(argc, argv);
    if (first < 0)
        return 1;
    int count = argc - first;
    char **names = argv + first;
    int width = column_width(count, names);
    struct counts total = { 0, 0, 0 };
    int status = 0;
    if (count == 0)
        return wc_file(NULL, width, &total);
    for (int i = 0; i < count; i++)
        status |= wc_file(names[i], width, &total);
    if (count > 1)
        print_counts(&total, width, "total");
    return status;
}
