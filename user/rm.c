/*
 * rm [-r] [-f] FILE... — remove names: unlink for a file, and with -r a directory's
 * contents first (getdents64), then the directory itself (rmdir).
 *
 *   $ rm /tmp/f           $ rm -r /tmp/tree          $ rm -f maybe-not-there
 *
 * unlink removes a name; the file's space is given back once no name and no open
 * descriptor refers to it. A directory needs -r ("rm: cannot remove 'd': Is a
 * directory": unlink refuses it with EISDIR). -f: a missing file is no error.
 * Errors as coreutils, exit status 1.
 */
#include <stdbool.h>

#include "lib/format.h"
#include "lib/string.h"
#include "user/lib/dir.h"
#include "user/lib/errno_names.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define PATH_SIZE 4096

static bool recursive, force;

static int report(const char *path, long error)
{
    if (force && error == -ENOENT)
        return 0;
    dprintf(STDERR, "rm: cannot remove '%s': %s\n", path, errno_text(error));
    return 1;
}

static int remove_path(const char *path);

/* -r on a directory: every entry but "." and "..", then the directory. The names
 * are all read before the first is removed, so removing does not disturb the
 * reading. 0, or 1 if something could not be removed. */
static int remove_directory(const char *path)
{
    long fd = sys_open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd < 0)
        return report(path, fd);
    struct name_list list = { 0 };
    long result = name_list_read((int)fd, &list);
    sys_close((int)fd);
    int status = 0;
    if (result < 0)
        status = report(path, result);
    for (size_t i = 0; i < list.count; i++) {
        if (is_dot_or_dotdot(list.names[i]))
            continue;
        char child[PATH_SIZE];
        if ((size_t)snprintf(child, sizeof(child), "%s/%s", path, list.names[i]) >= sizeof(child))
            status |= report(list.names[i], -ENAMETOOLONG);
        else
            status |= remove_path(child);
    }
    name_list_free(&list);
    result = sys_rmdir(path);
    return result < 0 ? report(path, result) : status;
}

/* Remove one name: a file (or symlink) by unlink, a directory by -r. */
static int remove_path(const char *path)
{
    struct stat st;
    long result = sys_lstat(path, &st);
    if (result == 0 && S_ISDIR(st.st_mode) && recursive)
        return remove_directory(path);
    result = result < 0 ? result : sys_unlink(path);
    return result < 0 ? report(path, result) : 0;
}

/* "." and ".." (alone or as the last part of a path) are refused, as coreutils does. */
static bool names_dot_or_dotdot(const char *path)
{
    const char *slash = strrchr(path, '/');
    return is_dot_or_dotdot(slash != NULL ? slash + 1 : path);
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        for (const char *p = argv[i] + 1; *p != '\0'; p++) {
            if (*p == 'r' || *p == 'R') {
                recursive = true;
            } else if (*p == 'f') {
                force = true;
            } else {
                dprintf(STDERR,
                        "rm: invalid option -- '%c'\n"
                        "Try 'rm --help' for more information.\n",
                        *p);
                return 1;
            }
        }
    }
    if (i >= argc && !force) {
        dprintf(STDERR, "rm: missing operand\nTry 'rm --help' for more information.\n");
        return 1;
    }
    int status = 0;
    for (; i < argc; i++) {
        if (recursive && names_dot_or_dotdot(argv[i])) {
            dprintf(STDERR, "rm: refusing to remove '.' or '..' directory: skipping '%s'\n",
                    argv[i]);
            status = 1;
            continue;
        }
        status |= remove_path(argv[i]);
    }
    return status;
}
