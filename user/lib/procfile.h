/*
 * procfile.h — reading the text files of /proc: "Name:  value" and "name value"
 * lines (status, meminfo, smaps_rollup, vmstat).
 */
#ifndef USER_LIB_PROCFILE_H
#define USER_LIB_PROCFILE_H

#include <stdbool.h>
#include <stddef.h>

/* The whole text of the file at path, zero-terminated, in buf (at most size - 1
 * bytes). False if it cannot be opened or is empty. */
bool proc_file_read(const char *path, char *buf, size_t size);

/* Where the value of the line of text that starts with name begins (after name,
 * one ':', ' ' or tab, and any blanks): "suspended" for "LoadControl" in
 * "LoadControl:\tsuspended". NULL when no line starts so. */
const char *proc_value(const char *text, const char *name);

/* The number after name at the start of a line of text ("MemFree:  123 kB" for
 * "MemFree", "pgfault 17" for "pgfault"), or -1 when no line starts so. */
long proc_field(const char *text, const char *name);

#endif
