/*
 * fuzz.h — what the parts of syscallfuzz share (user/syscallfuzz/main.c explains
 * the program): the random numbers, the places calls aim at, a call and the tally
 * of answers.
 */
#ifndef USER_SYSCALLFUZZ_FUZZ_H
#define USER_SYSCALLFUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/xorshift.h"
#include "user/lib/image.h" /* PAGE_SIZE */
#include "user/lib/syscall.h"

/* ---- random numbers: xorshift64*, small and reproducible ---- */

/* The fuzzer's own state lives in .data, BELOW the bss where `scratch` is: a call
 * that writes far past the end of scratch (given a huge length) cannot reach it. */
#define SAFE_FROM_SCRATCH __attribute__((section(".data")))

extern uint64_t random_state; /* (places.c) */
extern uint64_t fuzz_seed;    /* this process's seed, for messages */

static inline uint64_t random_next(void)
{
    return xorshift64star(&random_state);
}

static inline uint64_t random_below(uint64_t limit)
{
    return random_next() % limit;
}

/* One element of a constant array, at random. */
#define PICK(array) ((array)[random_below(sizeof(array) / sizeof((array)[0]))])

/* ---- Linux's numbers and flags that user/lib/syscall.h does not define ---- */

#define SYS_pkey_mprotect   329
#define PROT_SEM            0x8
#define PROT_GROWSDOWN      0x01000000
#define PROT_GROWSUP        0x02000000
#define MAP_SHARED_VALIDATE 0x03
#define MAP_32BIT           0x40
#define MAP_GROWSDOWN       0x100
#define MAP_LOCKED          0x2000
#define MAP_STACK           0x20000
#define MAP_HUGETLB         0x40000
#define MREMAP_FIXED        2
#define MREMAP_DONTUNMAP    4
#define MADV_POPULATE_READ  22
#define MADV_POPULATE_WRITE 23
#define INVALID_HOW         99 /* rt_sigprocmask: neither SIG_BLOCK, SIG_UNBLOCK nor SIG_SETMASK */

/* ---- where things are: our own image and stack, the break, our mappings ---- */

#define USER_SPACE_END   0x800000000000UL /* the first non-canonical address */
#define PLAYGROUND       0x200000000000UL /* 32 TiB: MAP_FIXED calls aim here; nothing else is */
#define PLAYGROUND_PAGES 256
#define FAR_AWAY         0x300000000000UL /* where calls that would hit us are sent instead */
#define STACK_MARGIN     (16UL << 20)
#define RECENT_SLOTS     16          /* mappings remembered, to aim calls inside them */
#define NEAR_PAGES       64          /* how far into a mapping or around the break calls aim */
#define POPULATE_LIMIT   (4UL << 20) /* the most a call may make present at once */
#define SCRATCH_SIZE     4096

extern unsigned long stack_address;              /* roughly where our stack is */
extern unsigned long first_break, current_break; /* the break at the start, and now */
extern unsigned char scratch[SCRATCH_SIZE];      /* random bytes that calls read */

/* places.c: our own image, stack and mappings */
void keep_off_ourselves(long *address, long *length);
unsigned long inside_recent_mapping(void);
struct call;
void learn_from(const struct call *c, long result);

/* arguments.c: random arguments of each kind */
unsigned long edge_address(void);
unsigned long random_address(void);
unsigned long random_length(unsigned long address);
long random_prot(void);
long random_map_flags(void);
long random_fd(void);
long random_offset(void);
long random_pointer(void);
long random_argument(void);
long unreadable_pointer(void);

/* skipped.c */
bool is_skipped(long number);
void list_skipped(void);

/* ---- the calls ---- */

struct call {
    long number;
    long args[6];
};

/* calls.c: a random call of each family */
void random_memory_call(struct call *c);
void random_user_access(struct call *c);
void random_known_call(struct call *c);
void random_any_call(struct call *c, long *skips);

/* files.c: our files in /tmp, and calls on them and their mappings */
void files_create(void);
void files_remove(void);
bool is_our_file(long fd);
struct tally;
bool random_file_call(struct call *c, long index, struct tally *t); /* false: made already */

/* tame.c: arguments that keep a few calls harmless */
void tame(struct call *c);

struct tally {
    long calls, enosys, errors, successes, skipped, processes, wrong;
};

/* answers.c: make a call, check and count its answer */
void make_call(const struct call *c, bool verbose, long index, struct tally *t);

/* children.c: children of the fuzzing process */
void fork_and_play(long index, struct tally *t);
void vfork_and_exit(long index, struct tally *t);
void checkpoint(bool verbose);

#endif
