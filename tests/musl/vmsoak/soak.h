/*
 * soak.h — what the parts of vmsoak share (tests/musl/vmsoak/main.c explains the
 * program): the model of the window, probing the kernel's view of a page, and one
 * step.
 */
#ifndef TESTS_MUSL_VMSOAK_SOAK_H
#define TESTS_MUSL_VMSOAK_SOAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../../lib/xorshift.h" /* header only: no vmlab code, just the generator */

#define PAGE                 4096UL
#define WINDOW_PAGES         64
#define MAX_RUN              8   /* the most pages one call covers */
#define MAX_OBJECTS          128 /* shared objects alive at once (at most 64 are in the window) */
#define DEFAULT_STEPS        200
#define MAX_SEEDS            1000
#define INVALID_HOW          99 /* rt_sigprocmask: not SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK */
#define SIGSET_BYTES         8  /* the kernel's sigset_t */
#define CHILD_FOUND_MISMATCH 3

/* ---- random numbers: xorshift64* (main.c seeds it) ---- */

extern uint64_t random_state;

static inline uint64_t random_next(void)
{
    return xorshift64star(&random_state);
}

static inline unsigned random_below(unsigned limit)
{
    return (unsigned)(random_next() % limit);
}

/* ---- the model ---- */

struct page_state {
    bool mapped;
    int prot;        /* PROT_NONE, PROT_READ, PROT_WRITE or both */
    int object;      /* shared: the object's slot; -1: private */
    int index;       /* shared: the page's index in its object */
    uint32_t stamp;  /* private: what it holds (0: zeros, else the pattern of stamp) */
    uint32_t region; /* pages of one region (one mapping, never split since) share it */
};

/* Shared anonymous memory: what each of its pages holds. */
struct object {
    bool used;
    uint32_t stamp[WINDOW_PAGES];
};

extern struct page_state model[WINDOW_PAGES];
extern struct object objects[MAX_OBJECTS];
extern uintptr_t window;      /* the first page: the initial program break */
extern uintptr_t model_break; /* the break, as the model has it */
extern uint32_t next_region, next_stamp;

/* model.c: the model, and page contents */
uintptr_t page_address(int page);
bool model_readable(const struct page_state *s);
bool model_writable(const struct page_state *s);
uint32_t model_stamp(const struct page_state *s);
int new_object(void);
void model_map(int first, int count, int prot, bool shared);
void model_split_at(int at);
void model_unmap(int first, int count);
bool model_any_mapped(int first, int count);
void fill_page(uintptr_t address, uint32_t stamp);
long page_differs(uintptr_t address, uint32_t stamp);

/* probe.c: the kernel's view of a page, without ever faulting */
struct seen {
    bool mapped, readable, writable;
};
struct seen probe_page(uintptr_t address);
char model_letter(const struct page_state *s);
char seen_letter(struct seen s);
bool check_window(const char *who);

/* ---- one step (step.c, steps.c) ---- */

enum op {
    OP_MMAP,
    OP_MUNMAP,
    OP_MPROTECT,
    OP_MREMAP,
    OP_MADVISE,
    OP_BRK,
    OP_WRITE,
    OP_FORK,
    OP_COUNT
};

struct tally {
    long done[OP_COUNT], refused[OP_COUNT], moved;
};

extern const char *const op_names[OP_COUNT];
extern bool verbose;
extern char step_text[200]; /* the current step, for messages */
extern struct tally tally;

const char *prot_name(int prot);
int random_prot(void);
int random_run(int *first);
int random_page_mostly_mapped(void);
int random_run_mostly_mapped(int *first);
void announce(void);
bool agree(enum op op, long result, long expected);
bool check_elsewhere(uintptr_t at, const struct page_state *states, int n);
bool random_step(void);

#endif
