/*
 * oomtest.h — what oomtest's parts share (main.c says what oomtest checks): the
 * page the processes of a scenario share, and the helpers every scenario uses
 * (common.c).
 */
#ifndef USER_OOMTEST_H
#define USER_OOMTEST_H

#include <stdint.h>

#include "lib/string.h"
#include "user/lib/check.h"
#include "user/lib/child.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define MAX_GROUP         512 /* processes (and failed forks) one scenario tracks */
#define BOMB_FORKS        8   /* each bomb process forks up to this often: 2^8 */
#define MANY_CHILDREN     8
#define POLL_MS           10
#define PATIENCE_MS       30000 /* a flag not set by then: something is wrong */
#define NOT_KILLED        3     /* exit code of a child that expected to be killed */
#define PAGES_WRONG       1     /* exit code of a child whose pages did not read back */
#define GIB               (1ul << 30)
#define ADDRESS_STEP      (16 * GIB)  /* mmap and brk of untouched memory, per call */
#define HUGE_MAPPING      (1ul << 40) /* 1 TiB of address space: more than any RAM here */
#define PAGE_TABLE_SPAN   (2ul << 20) /* what one page table maps: 512 pages */
#define TEXT_FREE_LEFT    64          /* frames left free: half of reclaim's reserve */
#define TEXT_ROUNDS       200         /* init's rounds of reading /proc with them */
#define SYSCALL_FREE_LEFT 4           /* frames left free: fewer than a fork needs */
#define FORKED_EXIT       7           /* the exit code of the child the squeezed fork made */

/* What the processes of one scenario share (a MAP_SHARED page). */
struct shared {
    volatile int ready;              /* the holder has its memory */
    volatile int stop;               /* everyone waiting may end now */
    volatile long vfork_child;       /* the pid of the vfork child */
    volatile int count;              /* slots handed out in pids[] */
    volatile long pids[MAX_GROUP];   /* 0: not known yet; -1: its fork failed */
    volatile int settled[MAX_GROUP]; /* done growing, waiting for stop */
};

extern struct shared *shared;
extern int killed_in_all; /* processes this program reaped that SIGKILL ended */

enum toucher { BY_CPU, BY_KERNEL };

/* common.c */
void sleep_ms(long ms);
bool wait_for_flag(volatile int *flag); /* false if PATIENCE_MS went by first */
long free_pages(void);                  /* free frames now (vmlab_vmstat) */
uint64_t pattern_word(long owner, long i);
void fill(char *area, long pages, long owner, enum toucher who);
bool intact(const char *area, long pages, long owner, enum toucher who);
char *map(unsigned long bytes); /* anonymous, MAP_NORESERVE; NULL if refused */
__attribute__((noreturn)) void take_and_check(long pages, enum toucher who);
__attribute__((noreturn)) void hold(long pages);
__attribute__((noreturn)) void hog(enum toucher who);
long reap(long pid);           /* wait4; counts a SIGKILL */
long start_holder(long pages); /* a child holding pages, once it has them */
const char *toucher_name(enum toucher who);

/* largest.c: the largest process dies */
void holder_dies_for_a_child(enum toucher who);
void holder_dies_for_init(void);
void hog_dies(enum toucher who);
void page_table_hog_dies(enum toucher who);
void vfork_holder_dies(void);

/* groups.c: groups of processes */
bool process_gone(long pid);
void fork_bomb(void);
void many_children(void);

/* reserve.c: memory held down to a few frames */
void text_stays_resident(void);
void system_call_needs_memory(void);
void system_call_alone(void);

/* refused.c: address space, not memory */
void until_refused(void);

#endif
