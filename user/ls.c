/*
 * ls [-a] [-l] [FILE]... — list directories (getdents64) and files (stat).
 *
 *   $ ls /bin                 the names, sorted, one per line
 *   $ ls -a                   with the names that start with '.', "." and ".."
 *   $ ls -l /tmp              type and permissions, links, size, name:
 *   total 5                     (space used, in KiB: st_blocks / 2)
 *   -rw-r--r-- 1    3 f
 *   drwxr-xr-x 2 1024 sub
 *   lrwxrwxrwx 1    1 link -> f
 *
 * A directory named on the command line is listed; a file is shown as itself (files
 * first, then each directory under a "name:" heading when there are several). The
 * order is strcmp's, as `LC_ALL=C ls`; one name per line, as coreutils' ls writes
 * into a pipe. -l shows what `ls -lgo` shows, without owner, group and time.
 * Errors as coreutils: "ls: cannot access 'x': No such file or directory", and the
 * exit status 2 for a name that cannot be listed, 1 for a lesser trouble.
 */
#include <stdbool.h>

#include "lib/format.h"
#include "lib/string.h"
#include "user/lib/dir.h"
#include "user/lib/errno_names.h"
#include "user/lib/malloc.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define EXIT_MINOR_TROUBLE   1 /* coreutils: e.g. a file in a directory vanished */
#define EXIT_SERIOUS_TROUBLE 2 /* e.g. a command-line name cannot be accessed */
#define NUMBER_TEXT          24
#define LINK_TARGET_SIZE     4096

static bool show_all, long_format;
static int exit_status;

static void trouble(int level)
{
    if (exit_status < level)
        exit_status = level;
}

/* "drwxr-xr-x": the type, then rwx for owner, group and others; s/S and t/T
 * where set-user-ID, set-group-ID or the sticky bit are set. */
static void mode_string(unsigned int mode, char text[11])
{
    switch (mode & S_IFMT) {
    case S_IFDIR: text[0] = 'd'; break;
    case S_IFLNK: text[0] = 'l'; break;
    case S_IFCHR: text[0] = 'c'; break;
    case S_IFBLK: text[0] = 'b'; break;
    case S_IFIFO: text[0] = 'p'; break;
    case S_IFSOCK: text[0] = 's'; break;
    default: text[0] = '-'; break;
    }
    for (int i = 0; i < 9; i++)
        text[1 + i] = (mode & (0400u >> i)) ? "rwxrwxrwx"[i] : '-';
    if (mode & S_ISUID)
        text[3] = (mode & 0100) ? 's' : 'S';
    if (mode & S_ISGID)
        text[6] = (mode & 0010) ? 's' : 'S';
    if (mode & S_ISVTX)
        text[9] = (mode & 0001) ? 't' : 'T';
    text[10] = '\0';
}

/* The size column: bytes, or "major, minor" for a device file. */
static void size_text(const struct stat *st, char text[NUMBER_TEXT])
{
    unsigned int type = st->st_mode & S_IFMT;
    if (type == S_IFCHR || type == S_IFBLK) {
        unsigned long dev = st->st_rdev; /* Linux's split of the 64-bit number */
        unsigned long major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xffful);
        unsigned long minor = (dev & 0xff) | ((dev >> 12) & ~0xfful);
        snprintf(text, NUMBER_TEXT, "%lu, %lu", major, minor);
    } else {
        snprintf(text, NUMBER_TEXT, "%ld", st->st_size);
    }
}

static int digits(unsigned long n)
{
    int count = 1;
    for (; n >= 10; n /= 10)
        count++;
    return count;
}

/* One -l line: mode, links, size, name, and " -> target" for a symlink. */
static void print_long_line(int dirfd, const char *name, const struct stat *st, int links_width,
                            int size_width)
{
    char mode[11], size[NUMBER_TEXT];
    mode_string(st->st_mode, mode);
    size_text(st, size);
    printf("%s %*lu %*s %s", mode, links_width, st->st_nlink, size_width, size, name);
    if (S_ISLNK(st->st_mode)) {
        char target[LINK_TARGET_SIZE];
        long length = sys_readlinkat(dirfd, name, target, sizeof(target) - 1);
        if (length >= 0) {
            target[length] = '\0';
            printf(" -> %s", target);
        }
    }
    printf("\n");
}

/* -l: stat every name (relative to dirfd, symlinks themselves), line up the
 * columns, print "total" first for a directory's listing. */
static void print_long(int dirfd, const char *dir, char **names, size_t count, bool total)
{
    struct stat *stats = malloc((count > 0 ? count : 1) * sizeof(struct stat));
    bool *found = malloc(count > 0 ? count : 1);
    int links_width = 1, size_width = 1;
    unsigned long blocks = 0;
    for (size_t i = 0; i < count; i++) {
        long result = sys_newfstatat(dirfd, names[i], &stats[i], AT_SYMLINK_NOFOLLOW);
        found[i] = result == 0;
        if (!found[i]) {
            dprintf(STDERR, "ls: cannot access '%s%s%s': %s\n", dir ? dir : "", dir ? "/" : "",
                    names[i], errno_text(result));
            trouble(EXIT_MINOR_TROUBLE);
            continue;
        }
        char size[NUMBER_TEXT];
        size_text(&stats[i], size);
        int n = digits(stats[i].st_nlink), s = (int)strlen(size);
        links_width = n > links_width ? n : links_width;
        size_width = s > size_width ? s : size_width;
        blocks += (unsigned long)stats[i].st_blocks;
    }
    if (total)
        printf("total %lu\n", (blocks + 1) / 2); /* 512-byte blocks, shown in KiB */
    for (size_t i = 0; i < count; i++) {
        if (found[i])
            print_long_line(dirfd, names[i], &stats[i], links_width, size_width);
    }
    free(found);
    free(stats);
}

static void print_names(int dirfd, const char *dir, char **names, size_t count, bool total)
{
    if (long_format) {
        print_long(dirfd, dir, names, count, total);
        return;
    }
    for (size_t i = 0; i < count; i++)
        printf("%s\n", names[i]);
}

/* Drop the names that start with '.' unless -a. */
static size_t keep_visible(char **names, size_t count)
{
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        if (show_all || names[i][0] != '.')
            names[kept++] = names[i];
        else
            free(names[i]);
    }
    return kept;
}

/* List the directory path: read its names, sort them, print them. */
static void list_directory(const char *path)
{
    long fd = sys_open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd < 0) {
        dprintf(STDERR, "ls: cannot open directory '%s': %s\n", path, errno_text(fd));
        trouble(EXIT_SERIOUS_TROUBLE);
        return;
    }
    struct name_list list = { 0 };
    long result = name_list_read((int)fd, &list);
    if (result < 0) {
        dprintf(STDERR, "ls: reading directory '%s': %s\n", path, errno_text(result));
        trouble(EXIT_SERIOUS_TROUBLE);
    }
    list.count = keep_visible(list.names, list.count);
    sort_names(list.names, list.count);
    print_names((int)fd, path, list.names, list.count, true);
    name_list_free(&list);
    sys_close((int)fd);
}

/* Options: -a, -l, -1 (one per line: always so here), together as -la. Returns
 * the index of the first name, or -1 for an unknown option. */
static int parse_options(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        for (const char *p = argv[i] + 1; *p != '\0'; p++) {
            if (*p == 'a') {
                show_all = true;
            } else if (*p == 'l') {
                long_format = true;
            } else if (*p != '1') {
                dprintf(STDERR,
                        "ls: invalid option -- '%c'\n"
                        "Try 'ls --help' for more information.\n",
                        *p);
                return -1;
            }
        }
    }
    return i;
}

/* Sort the command-line names into files and directories (symlinks to
 * directories count as directories, except with -l). */
static void classify(char **names, int count, char **files, int *file_count, char **dirs,
                     int *dir_count)
{
    for (int i = 0; i < count; i++) {
        struct stat st;
        long result = long_format ? sys_lstat(names[i], &st) : sys_stat(names[i], &st);
        if (result < 0 && !long_format)
            result = sys_lstat(names[i], &st); /* a dangling symlink is still a name */
        if (result < 0) {
            dprintf(STDERR, "ls: cannot access '%s': %s\n", names[i], errno_text(result));
            trouble(EXIT_SERIOUS_TROUBLE);
        } else if (S_ISDIR(st.st_mode)) {
            dirs[(*dir_count)++] = names[i];
        } else {
            files[(*file_count)++] = names[i];
        }
    }
}

int main(int argc, char **argv)
{
    int first = parse_options(argc, argv);
    if (first < 0)
        return EXIT_SERIOUS_TROUBLE;
    static char *dot[] = { ".", NULL };
    int count = argc - first;
    char **names = count > 0 ? argv + first : dot;
    count = count > 0 ? count : 1;
    char **files = malloc((size_t)count * sizeof(char *));
    char **dirs = malloc((size_t)count * sizeof(char *));
    int file_count = 0, dir_count = 0;
    classify(names, count, files, &file_count, dirs, &dir_count);
    sort_names(files, (size_t)file_count);
    sort_names(dirs, (size_t)dir_count);
    print_names(AT_FDCWD, NULL, files, (size_t)file_count, false);
    /* A heading per directory, unless it is the only name given. */
    bool headings = count > 1 || file_count > 0;
    for (int i = 0; i < dir_count; i++) {
        if (headings)
            printf("%s%s:\n", file_count > 0 || i > 0 ? "\n" : "", dirs[i]);
        list_directory(dirs[i]);
    }
    return exit_status;
}
