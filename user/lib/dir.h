/*
 * dir.h — the names in a directory (getdents64), and sorting names.
 *
 * getdents64 fills a buffer with as many entries as fit, each a struct
 * linux_dirent64 (syscall.h) of d_reclen bytes; the next call goes on where the
 * last stopped, and 0 means the end. The order is the file system's (ext2: the
 * order in the directory's blocks), so ls sorts what it gets.
 */
#ifndef USER_LIB_DIR_H
#define USER_LIB_DIR_H

#include <stddef.h>

struct name_list {
    char **names; /* malloc'd copies */
    size_t count, capacity;
};

/* Append a copy of every name in the open directory fd, "." and ".." included.
 * Returns 0 or -errno (-ENOTDIR if fd is not a directory, -ENOMEM). */
long name_list_read(int fd, struct name_list *list);

/* Sort names by their bytes (strcmp: the C locale's order, as `LC_ALL=C ls`). */
void sort_names(char **names, size_t count);

/* Free the names and the array; the list is empty again. */
void name_list_free(struct name_list *list);

/* True for "." and "..", which ls -a shows and rm -r must skip. */
int is_dot_or_dotdot(const char *name);

#endif
