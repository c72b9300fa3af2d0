/*
 * procfile.c — reading the text files of /proc (procfile.h).
 */
#include "procfile.h"

#include "lib/string.h"
#include "syscall.h"

bool proc_file_read(const char *path, char *buf, size_t size)
{
    long fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0)
        return false;
    size_t used = 0;
    long got;
    while (used + 1 < size && (got = sys_read((int)fd, buf + used, size - 1 - used)) > 0)
        used += (size_t)got;
    sys_close((int)fd);
    buf[used] = '\0';
    return used > 0;
}

const char *proc_value(const char *text, const char *name)
{
    size_t len = strlen(name);
    for (const char *line = text; *line != '\0';) {
        if (strncmp(line, name, len) == 0 &&
            (line[len] == ' ' || line[len] == '\t' || line[len] == ':')) {
            const char *at = line + len + 1;
            while (*at == ' ' || *at == '\t')
                at++;
            return at;
        }
        while (*line != '\0' && *line++ != '\n')
            ;
    }
    return NULL;
}

long proc_field(const char *text, const char *name)
{
    const char *at = proc_value(text, name);
    if (at == NULL)
        return -1;
    long value = 0;
    while (*at >= '0' && *at <= '9')
        value = value * 10 + (*at++ - '0');
    return value;
}
