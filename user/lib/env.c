/*
 * env.c — looking up variables in the environment.
 */
#include "env.h"

#include <stddef.h>

#include "lib/string.h"

char **environ;

const char *getenv(const char *name)
{
    size_t length = strlen(name);
    for (char **entry = environ; entry != NULL && *entry != NULL; entry++) {
        if (strncmp(*entry, name, length) == 0 && (*entry)[length] == '=')
            return *entry + length + 1;
    }
    return NULL;
}
