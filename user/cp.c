/*
 * cp SOURCE DEST, cp SOURCE... DIRECTORY — copy files: open the source, create the
 * destination (O_CREAT | O_TRUNC, the source's permission bits minus the umask),
 * then read and write until the end.
 *
 *   $ cp notes copy          $ cp a b /tmp        (into /tmp/a and /tmp/b)
 *
 * Errors as coreutils: "cp: cannot stat 'x': No such file or directory",
 * "cp: -r not specified; omitting directory 'd'" (no -r here), "cp: 'a' and 'a'
 * are the same file"; exit status 1.
 */
#include <stdbool.h>

#include "lib/format.h"
#include "lib/string.h"
#include "user/lib/errno_names.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define COPY_BUFFER     (64 * 1024)
#define PATH_SIZE       4096
#define PERMISSION_BITS 07777

static char buffer[COPY_BUFFER];

/* Read from one descriptor, write to the other, until read says the end.
 * 0, or 1 after a reported error. */
static int copy_data(int from, const char *source, int to, const char *dest)
{
    for (;;) {
        long n = sys_read(from, buffer, sizeof(buffer));
        if (n == 0)
            return 0;
        if (n < 0) {
            dprintf(STDERR, "cp: error reading '%s': %s\n", source, errno_text(n));
            return 1;
        }
        long written = write_all(to, buffer, (size_t)n);
        if (written < 0) {
            dprintf(STDERR, "cp: error writing '%s': %s\n", dest, errno_text(written));
            return 1;
        }
    }
}

/* Copy the file source to the path dest. 0, or 1 after a reported error. */
static int copy_file(const char *source, const char *dest)
{
    struct stat from, to;
    long result = sys_stat(source, &from);
    if (result < 0) {
        dprintf(STDERR, "cp: cannot stat '%s': %s\n", source, errno_text(result));
        return 1;
    }
    if (S_ISDIR(from.st_mode)) {
        dprintf(STDERR, "cp: -r not specified; omitting directory '%s'\n", source);
        return 1;
    }
    if (sys_stat(dest, &to) == 0 && to.st_dev == from.st_dev && to.st_ino == from.st_ino) {
        dprintf(STDERR, "cp: '%s' and '%s' are the same file\n", source, dest);
        return 1;
    }
    long in = sys_open(source, O_RDONLY | O_CLOEXEC, 0);
    if (in < 0) {
        dprintf(STDERR, "cp: cannot open '%s' for reading: %s\n", source, errno_text(in));
        return 1;
    }
    long out = sys_open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                        (int)(from.st_mode & PERMISSION_BITS));
    if (out < 0) {
        dprintf(STDERR, "cp: cannot create regular file '%s': %s\n", dest, errno_text(out));
        sys_close((int)in);
        return 1;
    }
    int status = copy_data((int)in, source, (int)out, dest);
    sys_close((int)in);
    result = sys_close((int)out); /* a late write error can show up here */
    if (result < 0 && status == 0) {
        dprintf(STDERR, "cp: error writing '%s': %s\n", dest, errno_text(result));
        status = 1;
    }
    return status;
}

/* The last component of path ("a/b" -> "b"), which names the copy in a directory. */
static const char *last_component(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* cp SOURCE... DIRECTORY: each source to DIRECTORY/its name. */
static int copy_into(int count, char **sources, const char *directory)
{
    int status = 0;
    for (int i = 0; i < count; i++) {
        char dest[PATH_SIZE];
        if ((size_t)snprintf(dest, sizeof(dest), "%s/%s", directory, last_component(sources[i])) >=
            sizeof(dest)) {
            dprintf(STDERR, "cp: '%s': %s\n", sources[i], errno_text(-ENAMETOOLONG));
            status = 1;
            continue;
        }
        status |= copy_file(sources[i], dest);
    }
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        dprintf(STDERR, "cp: missing file operand\nTry 'cp --help' for more information.\n");
        return 1;
    }
    if (argc < 3) {
        dprintf(STDERR,
                "cp: missing destination file operand after '%s'\n"
                "Try 'cp --help' for more information.\n",
                argv[1]);
        return 1;
    }
    const char *target = argv[argc - 1];
    struct stat st;
    long result = sys_stat(target, &st);
    if (result == 0 && S_ISDIR(st.st_mode))
        return copy_into(argc - 2, argv + 1, target);
    if (argc > 3) {
        dprintf(STDERR, "cp: target '%s': %s\n", target,
                errno_text(result < 0 ? result : -ENOTDIR));
        return 1;
    }
    return copy_file(argv[1], target);
}
