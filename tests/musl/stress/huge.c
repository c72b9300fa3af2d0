/*
 * huge.c — a global array larger than memory (OS/161's huge, in our words).
 *
 *   stress huge [MIB]       MIB of the array to use, 1..HUGE_MAX_MIB (default 96)
 *
 * The array is in .bss: the ELF file holds none of it, the kernel maps it as
 * demand-zero pages. The program writes a word every STRIDE_WORDS words (a little
 * under a page, so every page is written and the word's place in the page drifts),
 * then reads the whole array back, first forwards, then backwards: the written
 * words hold their pattern, all the others zero (a page that comes back from the
 * swap disk must come back whole, zeros included). With more array than memory
 * the early pages must have gone to the swap disk by the end of the writing.
 */
#include <stdio.h>

#include "stress.h"

#define HUGE_MAX_MIB     128
#define HUGE_DEFAULT_MIB 96
#define STRIDE_WORDS     (WORDS_PER_PAGE - 1) /* 4088 bytes */

static uint64_t huge_array[HUGE_MAX_MIB * MIB / sizeof(uint64_t)];

/* The value written at word INDEX: mixed, so a page read back in the wrong place
 * (another page's contents) cannot pass. */
static uint64_t huge_value(size_t index)
{
    return mix64(index) | 1; /* never zero, unlike an untouched word */
}

/* Writes the pattern into the first WORDS words of the array. */
static size_t huge_write(size_t words)
{
    size_t written = 0;
    for (size_t i = 0; i < words; i += STRIDE_WORDS, written++)
        huge_array[i] = huge_value(i);
    return written;
}

/* What word I of the array must hold: the pattern where it was written, zero
 * everywhere else. */
static uint64_t huge_expected(size_t i)
{
    return i % STRIDE_WORDS == 0 ? huge_value(i) : 0;
}

/* Reads every word of the first WORDS back, from the start or from the end. */
static void huge_verify(size_t words, bool forwards)
{
    unsigned long before = failures();
    const char *pass = forwards ? "forward" : "backward";
    for (size_t n = 0; n < words; n++) {
        size_t i = forwards ? n : words - 1 - n;
        if (huge_array[i] != huge_expected(i) &&
            !check(false, "%s pass: word %zu (page %zu) is %#llx, not %#llx", pass, i,
                   i / WORDS_PER_PAGE, (unsigned long long)huge_array[i],
                   (unsigned long long)huge_expected(i)))
            break; /* one line per pass */
    }
    printf("huge: %s pass: %s\n", pass, failures() == before ? "every word right" : "WRONG");
}

/* stress huge [MIB] */
int huge_main(int argc, char **argv)
{
    unsigned long mib;
    if (!number_argument(argc, argv, 1, 1, HUGE_MAX_MIB, HUGE_DEFAULT_MIB, &mib,
                         "stress huge [MIB]"))
        return 0;
    size_t words = mib * MIB / sizeof(uint64_t);
    size_t written = huge_write(words);
    printf("huge: %lu MiB of .bss, %zu words written %lu bytes apart\n", mib, written,
           (unsigned long)(STRIDE_WORDS * sizeof(uint64_t)));
    huge_verify(words, true);
    huge_verify(words, false);
    return verdict("huge");
}
