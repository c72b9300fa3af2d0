/*
 * stress.h — what the virtual-memory stress programs share (tests/musl/stress/).
 *
 * Each program is one file and one idea, in the spirit of OS/161's testbin: it
 * uses more memory than the machine has, in a known pattern, and checks every
 * value it reads back, so a page lost or mixed up on its way to the swap disk and
 * back shows as a wrong number. A program prints a line per step and ends with
 *
 *     NAME: PASS            or            NAME: FAIL (N checks failed)
 *
 * and exits 0 only after PASS. Sizes are arguments in MiB (defaults fit a 32 MiB
 * machine with a swap disk: tests/boot/swap-stress.sh); the output holds no times,
 * pids or addresses, so it is the same on Linux and on vmlab.
 */
#ifndef STRESS_H
#define STRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE      4096UL
#define WORDS_PER_PAGE (PAGE_SIZE / sizeof(uint64_t))
#define MIB            (1024UL * 1024UL)

/* ---- checks and the verdict (common.c) ---- */

/* Counts a failed check and prints "FAILED: " and the message when OK is false;
 * returns OK. Only the first few failures are printed, the rest only counted. */
bool check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The number of failed checks so far in this process. */
unsigned long failures(void);

/* Prints "NAME: PASS" or "NAME: FAIL (N checks failed)"; returns the exit
 * status (0 for PASS, 1 for FAIL). */
int verdict(const char *name);

/* ---- arguments ---- */

/* ARGV[INDEX] as a number from MIN to MAX, or FALLBACK when there is no such
 * argument; false (after printing the usage line USAGE) for anything else. */
bool number_argument(int argc, char **argv, int index, unsigned long min, unsigned long max,
                     unsigned long fallback, unsigned long *out, const char *usage);

/* ---- patterns ---- */

/* splitmix64's finaliser: a well-mixed 64-bit value for each input, so two
 * different (page, word) positions practically never share a pattern. */
uint64_t mix64(uint64_t x);

/* The value generation GEN (who wrote it) stores at word WORD of page PAGE: one
 * mix per page, then a step per word, so the pattern costs little to check, yet
 * a page read back zeroed, stale or in another page's place shows at once. */
uint64_t page_pattern(uint64_t gen, size_t page, size_t word);

/* xorshift64: the next pseudo-random number of the sequence in *STATE (not 0). */
uint64_t next_random(uint64_t *state);

/* ---- memory ---- */

/* LENGTH bytes of fresh private anonymous memory (4 KiB pages on Linux too), or
 * NULL after a FAILED line. */
void *map_anonymous(size_t length);

/* ---- processes ---- */

/* Waits for child PID; true if it exited with status 0, else a FAILED line that
 * names WHAT and how it ended. */
bool child_passed(int pid, const char *what);

/* ---- the kernel's counters ---- */

/* The value of counter NAME in /proc/vmstat ("pswpin"), or -1 without one. */
long vmstat_counter(const char *name);

/* The kB of field NAME ("VmSwap") in FILE ("/proc/self/status",
 * "/proc/meminfo"), or -1 without one. */
long kb_field(const char *file, const char *name);

/* ---- the programs (one file each) ---- */
int huge_main(int argc, char **argv);
int matmult_main(int argc, char **argv);
int sort_main(int argc, char **argv);
int ctest_main(int argc, char **argv);
int parallelvm_main(int argc, char **argv);
int bigfork_main(int argc, char **argv);
int swapverify_main(int argc, char **argv);

/* matmult's job, shared with parallelvm: C (N x N) = A (N x K) times B (K x N),
 * seeded by SEED; returns the sum of C's entries after checking that it and
 * sampled entries equal their closed forms (failed checks are counted). */
uint64_t matmult_job(unsigned long n, unsigned long k, uint64_t seed);

/* The sum of C's entries for that job, from its closed form. */
uint64_t matmult_expected_sum(uint64_t n, uint64_t k, uint64_t seed);

#endif
