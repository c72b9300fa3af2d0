/*
 * cmdline.c — finding `name` or `name=value` words in the command line.
 */
#include "cmdline.h"

#include "lib/string.h"

/* Find the last word whose name is `name` (as in Linux, a later option overrides
 * an earlier one); returns its start or NULL. */
static const char *find_word(const char *cmdline, const char *name)
{
    size_t name_len = strlen(name);
    const char *p = cmdline, *found = NULL;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *word = p;
        while (*p && *p != ' ')
            p++;
        size_t word_len = (size_t)(p - word);
        if (word_len >= name_len && strncmp(word, name, name_len) == 0 &&
            (word_len == name_len || word[name_len] == '='))
            found = word;
    }
    return found;
}

bool cmdline_has(const char *cmdline, const char *name)
{
    return find_word(cmdline, name) != NULL;
}

bool cmdline_get(const char *cmdline, const char *name, char *value, size_t size)
{
    const char *word = find_word(cmdline, name);
    if (word == NULL)
        return false;
    const char *v = word + strlen(name);
    if (*v == '=')
        v++;
    size_t len = 0;
    while (v[len] && v[len] != ' ')
        len++;
    if (size > 0) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(value, v, n);
        value[n] = '\0';
    }
    return true;
}
