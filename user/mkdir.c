/*
 * mkdir [-p] DIR... — make directories: one mkdir system call each.
 *
 *   $ mkdir /tmp/new           $ mkdir -p /tmp/a/b/c   (the missing parents too,
 *                                                        and no error if it exists)
 *
 * A new directory gets mode 0777 minus the umask (the kernel applies it), and two
 * links to start with: its name in the parent, and its own ".". Errors as
 * coreutils: "mkdir: cannot create directory 'x': File exists", exit status 1.
 */
#include <stdbool.h>

#include "lib/string.h"
#include "user/lib/errno_names.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define DIRECTORY_MODE 0777
#define PATH_SIZE      4096

static bool make_parents;

/* mkdir, or with -p: success also when a directory of that name exists. */
static long make_one(const char *path)
{
    long result = sys_mkdir(path, DIRECTORY_MODE);
    if (result == -EEXIST && make_parents) {
        struct stat st;
        if (sys_stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
    }
    return result;
}

/* -p: make every prefix of path that ends before a '/', then path itself:
 * "a/b/c" makes "a", "a/b", "a/b/c". */
static long make_with_parents(const char *path)
{
    char prefix[PATH_SIZE];
    size_t length = strlen(path);
    if (length >= sizeof(prefix))
        return -ENAMETOOLONG;
    memcpy(prefix, path, length + 1);
    for (size_t i = 1; i < length; i++) {
        if (prefix[i] != '/' || prefix[i - 1] == '/')
            continue;
        prefix[i] = '\0';
        long result = make_one(prefix);
        prefix[i] = '/';
        if (result < 0)
            return result;
    }
    return make_one(path);
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-p") == 0) {
        make_parents = true;
        first = 2;
    }
    if (first >= argc) {
        dprintf(STDERR, "mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
        return 1;
    }
    int status = 0;
    for (int i = first; i < argc; i++) {
        long result = make_parents ? make_with_parents(argv[i]) : make_one(argv[i]);
        if (result < 0) {
            dprintf(STDERR, "mkdir: cannot create directory '%s': %s\n", argv[i],
                    errno_text(result));
            status = 1;
        }
    }
    return status;
}
