/*
 * cmdline.c — finding `name` or `name=value` words in the command line, and
 * splitting the first program's arguments after `--`.
 */
#include "cmdline.h"

#include "lib/string.h"

/* True if the word of word_len bytes at word is `--`, the end of the options. */
static bool ends_options(const char *word, size_t word_len)
{
    size_t len = strlen(CMDLINE_END_OF_OPTIONS);
    return word_len == len && strncmp(word, CMDLINE_END_OF_OPTIONS, len) == 0;
}

/* The next word at or after p: its start in *word, its length as the result
 * (0 at the end of the line). */
static size_t next_word(const char *p, const char **word)
{
    while (*p == ' ')
        p++;
    *word = p;
    size_t len = 0;
    while (p[len] != '\0' && p[len] != ' ')
        len++;
    return len;
}

/* Find the last option whose name is `name` (as in Linux, a later option overrides
 * an earlier one), looking no further than `--`; returns its start or NULL. */
static const char *find_word(const char *cmdline, const char *name)
{
    size_t name_len = strlen(name);
    const char *word, *found = NULL;
    for (size_t len = next_word(cmdline, &word); len > 0; len = next_word(word + len, &word)) {
        if (ends_options(word, len))
            break;
        if (len >= name_len && strncmp(word, name, name_len) == 0 &&
            (len == name_len || word[name_len] == '='))
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

const char *cmdline_arguments(const char *cmdline)
{
    const char *word;
    for (size_t len = next_word(cmdline, &word); len > 0; len = next_word(word + len, &word)) {
        if (ends_options(word, len))
            return word + len;
    }
    return NULL;
}

/* Append byte c to buffer (size bytes, *used of them taken). False if it is full. */
static bool append(char *buffer, size_t size, size_t *used, char c)
{
    if (*used >= size)
        return false;
    buffer[(*used)++] = c;
    return true;
}

/* Copy the word starting at p into buffer, undoing GRUB's quoting, and terminate it.
 * Returns where the word ends in the text, or NULL if the buffer is full. */
static const char *copy_word(const char *p, char *buffer, size_t size, size_t *used)
{
    bool quoted = false; /* inside "...", where a space belongs to the word */
    for (; *p != '\0' && (quoted || *p != ' '); p++) {
        if (*p == '"') {
            quoted = !quoted;
            continue;
        }
        if (*p == '\\' && p[1] != '\0')
            p++; /* the next character, whatever it is, is part of the word */
        if (!append(buffer, size, used, *p))
            return NULL;
    }
    return append(buffer, size, used, '\0') ? p : NULL;
}

int cmdline_split_arguments(const char *text, char *buffer, size_t size, const char **words,
                            int max_words)
{
    size_t used = 0;
    int count = 0;
    for (const char *p = text;;) {
        while (*p == ' ')
            p++;
        if (*p == '\0')
            return count;
        if (count == max_words)
            return -1;
        words[count++] = buffer + used;
        p = copy_word(p, buffer, size, &used);
        if (p == NULL)
            return -1;
    }
}
