/*
 * parse.h — reading numbers out of text.
 */
#ifndef LIB_PARSE_H
#define LIB_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/* Parse a whole string as an unsigned number: decimal, or hexadecimal after "0x".
 * Returns false (and leaves *value alone) on an empty string, a stray character
 * or overflow. */
bool parse_u64(const char *text, uint64_t *value);

#endif
