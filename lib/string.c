/*
 * string.c — the C library's memory and string functions, written to be obviously
 * right. memset, memcpy and memcmp move eight bytes at a time, then the last few
 * one by one: measured, the file system spends its time in them (directory names
 * compared, blocks copied), and under QEMU's emulation every instruction counts.
 * (Page copies and user copies use their own loops.)
 */
#include "string.h"

#include <stdint.h>

#define WORD sizeof(uint64_t)

/* Eight bytes at p, at any alignment (x86 allows it; the compiler makes one load). */
static inline uint64_t load_word(const unsigned char *p)
{
    uint64_t w;
    __builtin_memcpy(&w, p, WORD);
    return w;
}

static inline void store_word(unsigned char *p, uint64_t w)
{
    __builtin_memcpy(p, &w, WORD);
}

void *memset(void *dst, int byte, size_t n)
{
    unsigned char *d = dst;
    uint64_t pattern = 0x0101010101010101ull * (unsigned char)byte;
    for (; n >= WORD; n -= WORD, d += WORD)
        store_word(d, pattern);
    while (n--)
        *d++ = (unsigned char)byte;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
        store_word(d, load_word(s));
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else if (d > s) {
        /* copy backwards so the overlapping tail is read before it is written */
        while (n--)
            d[n] = s[n];
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    size_t i = 0;
    while (i + WORD <= n && load_word(x + i) == load_word(y + i))
        i += WORD; /* equal words: the first difference, if any, is further on */
    for (; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

void *memchr(const void *s, int byte, size_t n)
{
    const unsigned char *p = s;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == (unsigned char)byte)
            return (void *)(p + i);
    }
    return NULL;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n > 0; n--, a++, b++) {
        if (*a != *b || *a == '\0')
            return (unsigned char)*a - (unsigned char)*b;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (*s == '\0')
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;
    for (;; s++) {
        if (*s == (char)c)
            last = s;
        if (*s == '\0')
            return (char *)last;
    }
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);
    if (size > 0) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}
