/*
 * swapcore.h — the parts of swapcore (main.c says what each step checks) and the
 * helpers they share (common.c).
 */
#ifndef SWAPCORE_H
#define SWAPCORE_H

#define _GNU_SOURCE /* mremap */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096ul
#define MIB  (1ul << 20)

/* common.c */
extern int failures;        /* checks that failed */
extern size_t filler_bytes; /* what push_out touches: more than memory */
void check(int ok, const char *fmt, ...);
uint64_t pattern(uint64_t tag, uint64_t i);
void fill(uint64_t *p, size_t bytes, uint64_t tag);
size_t wrong_words(const uint64_t *p, size_t bytes, uint64_t tag);
void *map(size_t bytes);
void unmap(void *p, size_t bytes);
void push_out(void);
size_t resident_pages(void *p, size_t bytes);
long proc_kb(const char *file, unsigned long start, const char *name);
long vm_swap_kb(void);
long major_faults(void);
long vmstat_counter(const char *name);
long meminfo_kb(const char *name);
uint64_t *map_shared(size_t bytes);
int in_child(size_t (*fn)(uint64_t *, size_t, uint64_t), uint64_t *p, size_t bytes, uint64_t tag);

/* the steps, in the order main runs them */
void step_journey(void); /* journey.c */
void step_journey_shared(void);
void step_pushed(void); /* private.c */
void step_clean_copy(void);
void step_readahead(void);
void step_mlock(void);
void step_lock_rules(void);
void step_fork(void);
void step_munmap(void);
void step_mremap(void);
void step_prot_none(void);
void step_mincore(void);   /* mincore.c */
void step_pageout(void);   /* pageout.c */
void step_cold(void);      /* cold.c */
void step_local_set(void); /* process.c */
void step_cmdline(void);
int sleeper(int argc, char **argv);
void step_shared(void); /* shared.c */
void step_mapped(void);
void step_readahead_shared(void);
void step_remove_shared(void);
void step_shared_no_swap(void);

#endif
