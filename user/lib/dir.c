/*
 * dir.c — reading a directory with getdents64, sorting names.
 */
#include "dir.h"

#include "errno_names.h"
#include "lib/string.h"
#include "malloc.h"
#include "syscall.h"

#define DIRENT_BUFFER 4096 /* bytes of entries one getdents64 call may return */

static long name_list_add(struct name_list *list, const char *name)
{
    if (list->count == list->capacity) {
        size_t capacity = list->capacity == 0 ? 16 : 2 * list->capacity;
        char **names = realloc(list->names, capacity * sizeof(char *));
        if (names == NULL)
            return -ENOMEM;
        list->names = names;
        list->capacity = capacity;
    }
    size_t length = strlen(name);
    char *copy = malloc(length + 1);
    if (copy == NULL)
        return -ENOMEM;
    memcpy(copy, name, length + 1);
    list->names[list->count++] = copy;
    return 0;
}

long name_list_read(int fd, struct name_list *list)
{
    char buffer[DIRENT_BUFFER] __attribute__((aligned(8)));
    for (;;) {
        long bytes = sys_getdents64(fd, buffer, sizeof(buffer));
        if (bytes <= 0)
            return bytes; /* 0: the end; or -errno */
        /* Walk the entries: each says how long it is. */
        for (long at = 0; at < bytes;) {
            const struct linux_dirent64 *entry = (const void *)(buffer + at);
            long error = name_list_add(list, entry->d_name);
            if (error < 0)
                return error;
            at += entry->d_reclen;
        }
    }
}

/* Insertion sort: simple, and quick enough for the directories of this system
 * (n squared comparisons: 10,000 names take a moment). */
void sort_names(char **names, size_t count)
{
    for (size_t i = 1; i < count; i++) {
        char *name = names[i];
        size_t j = i;
        for (; j > 0 && strcmp(names[j - 1], name) > 0; j--)
            names[j] = names[j - 1];
        names[j] = name;
    }
}

void name_list_free(struct name_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->names[i]);
    free(list->names);
    list->names = NULL;
    list->count = list->capacity = 0;
}

int is_dot_or_dotdot(const char *name)
{
    return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}
