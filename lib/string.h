/*
 * string.h — the C string and memory functions, freestanding.
 *
 * Shared by the kernel, the user programs and the host unit tests; depends on
 * nothing. The compiler may also emit calls to memcpy/memset/memmove/memcmp on its
 * own (for struct copies), which is why the kernel must provide them.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include <stddef.h>

void *memset(void *dst, int byte, size_t n);         /* fill n bytes; returns dst */
void *memcpy(void *dst, const void *src, size_t n);  /* regions must not overlap */
void *memmove(void *dst, const void *src, size_t n); /* regions may overlap */
int memcmp(const void *a, const void *b, size_t n);  /* <0, 0, >0 like strcmp */
void *memchr(const void *s, int byte, size_t n);     /* first byte, or NULL */

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max); /* strlen, but at most max */
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);  /* first c (c may be 0), or NULL */
char *strrchr(const char *s, int c); /* last c, or NULL */

/* Copy at most size-1 bytes of src and always terminate (if size > 0).
 * Returns strlen(src): truncation happened iff the result is >= size. */
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
