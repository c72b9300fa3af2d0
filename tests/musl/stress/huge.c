/*
 * huge.c — a global array larger than memory (OS/161's huge, in our words).
 *
 *   stress huge [MIB]       MIB of the array to use, 1..HUGE_MAX_MIB (default 96)
 *
 * The array is in .bss: the ELF file holds none of it, the kernel maps it as
 * demand-zero pages. The program writes a word every STRIDE_WORDS words (a little
 * under a page, so every page is written and the word's place in the page drifts),
 * then reads every one of them back, first forwards, then backwards. With more
 * array than memory the early pages must have gone to the swap disk by the end of
 * the first pass; each check reads one back. The word after each written one was
 * never written: it must still read zero (a page that comes back must come back
 * whole, zeros included).
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

/* Checks one written word and the untouched word after it. */
static void huge_check_word(size_t i, size_t words, const char *pass)
{
    check(huge_array[i] == huge_value(i), "%s pass: word %zu (page %zu) is %#llx, wrote %#llx",
          pass, i, i / WORDS_PER_PAGE, (unsigned long long)huge_array[i],
          (unsigned long long)huge_value(i));
    if (i + 1 < words)
        check(huge_array[i + 1] == 0, "%s pass: untouched word %zu is %#llx, not 0", pass, i + 1,
              (unsigned long long)huge_array[i + 1]);
}

/* Reads every written word back, from the start or from the end. */
static void huge_verify(size_t words, bool forwards)
{
    unsigned long before = failures();
    size_t last = (words - 1) / STRIDE_WORDS * STRIDE_WORDS;
    const char *pass = forwards ? "forward" : "backward";
    if (forwards)
        for (size_t i = 0; i < words; i += STRIDE_WORDS)
            huge_check_word(i, words, pass);
    else
        for (size_t i = last + STRIDE_WORDS; i >= STRIDE_WORDS; i -= STRIDE_WORDS)
            huge_check_word(i - STRIDE_WORDS, words, pass);
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
