/*
 * fresh_pages.c — a process's new pages never hold another process's data.
 *
 * A frame freed by one process is soon handed to another: the kernel must clear it
 * first, or the next owner reads what the last one wrote. So: a child fills 32 MiB
 * of anonymous memory, 8 MiB of heap (brk), 1 MiB of stack and its bss with a
 * pattern, and exits. Then
 *   - a freshly exec'd program finds its bss, new anonymous pages, new heap pages
 *     and new stack pages all zero;
 *   - this process fills and frees memory of its own (munmap, brk shrinking,
 *     MADV_DONTNEED), and neither it nor a forked child sees that dead pattern in
 *     its new pages.
 * Each new page is first written at one byte (so it gets a frame of its own; a
 * page only read would show the shared zero page), then the rest is checked.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE        4096ul
#define PATTERN     0xa5
#define DIRTY_MMAP  (32ul << 20)
#define DIRTY_HEAP  (8ul << 20)
#define STACK_BYTES (1ul << 20)  /* well inside the 8 MiB stack limit of both kernels */
#define STACK_USED  (64ul << 10) /* stack the callers may have touched before: not checked */
#define FRESH_BYTES (16ul << 20)
#define BSS_BYTES   (4ul << 20)
#define CHECK_FRESH "--check-fresh"

static unsigned char bss[BSS_BYTES]; /* untouched until a check or a fill */

/* Give each page a frame (a write to its first byte), then check that every other
 * byte is zero. True if so. */
static int pages_fresh(volatile unsigned char *area, size_t bytes)
{
    int fresh = 1;
    for (size_t page = 0; page < bytes; page += PAGE) {
        area[page] = 1;
        for (size_t i = 1; i < PAGE; i++)
            fresh &= area[page + i] == 0;
    }
    return fresh;
}

static void fill(volatile unsigned char *area, size_t bytes)
{
    for (size_t i = 0; i < bytes; i++)
        area[i] = PATTERN;
}

static unsigned char *map(size_t bytes)
{
    void *area = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return area == MAP_FAILED ? NULL : area;
}

/* A stack frame of STACK_BYTES (plus STACK_USED) below the caller: filled, or
 * checked -- all but its top STACK_USED, where earlier calls (printf...) may have
 * left their own frames. Not inlined, so the array really is below the caller. */
__attribute__((noinline)) static int deep_stack(int check)
{
    volatile unsigned char frame[STACK_BYTES + STACK_USED];
    if (!check) {
        fill(frame, sizeof frame);
        return 1;
    }
    return pages_fresh(frame, STACK_BYTES);
}

/* Move the break by `bytes` (musl's sbrk only reports it); the old break, or NULL
 * if refused. */
static unsigned char *move_break(intptr_t bytes)
{
    uintptr_t old = (uintptr_t)syscall(SYS_brk, 0);
    uintptr_t now = (uintptr_t)syscall(SYS_brk, old + bytes);
    return now == old + bytes ? (unsigned char *)old : NULL;
}

static const char *yes(int condition)
{
    return condition ? "yes" : "no";
}

/* The pages that are new to this process: bss, anonymous, heap, stack. */
static void check_new_pages(const char *who)
{
    printf("%s: bss reads zero: %s\n", who, yes(pages_fresh(bss, BSS_BYTES)));
    unsigned char *area = map(FRESH_BYTES);
    printf("%s: new anonymous pages read zero: %s\n", who,
           yes(area && pages_fresh(area, FRESH_BYTES)));
    unsigned char *heap = move_break((intptr_t)FRESH_BYTES);
    printf("%s: new heap (brk) pages read zero: %s\n", who,
           yes(heap != NULL && pages_fresh(heap, FRESH_BYTES)));
    printf("%s: new stack pages read zero: %s\n", who, yes(deep_stack(1)));
}

/* In a child: write the pattern everywhere it can, then exit, freeing it all. */
static void dirty_and_exit(void)
{
    unsigned char *area = map(DIRTY_MMAP);
    if (area)
        fill(area, DIRTY_MMAP);
    unsigned char *heap = move_break((intptr_t)DIRTY_HEAP);
    if (heap != NULL)
        fill(heap, DIRTY_HEAP);
    fill(bss, BSS_BYTES);
    deep_stack(0);
    _exit(0);
}

static int run_and_wait(pid_t pid)
{
    int status = -1;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void exec_fresh_program(const char *self)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl(self, self, CHECK_FRESH, (char *)NULL);
        _exit(127);
    }
    printf("the exec'd program ended normally: %s\n", yes(run_and_wait(pid) == 0));
}

/* Memory this process fills, then gives back in three ways. */
static void fill_and_free_own(void)
{
    unsigned char *area = map(FRESH_BYTES);
    if (area) {
        fill(area, FRESH_BYTES);
        madvise(area, FRESH_BYTES / 2, MADV_DONTNEED);
        printf("pages dropped with MADV_DONTNEED read zero: %s\n",
               yes(pages_fresh(area, FRESH_BYTES / 2)));
        munmap(area, FRESH_BYTES);
    }
    unsigned char *heap = move_break((intptr_t)FRESH_BYTES);
    if (heap != NULL) {
        fill(heap, FRESH_BYTES);
        move_break(-(intptr_t)FRESH_BYTES);
        heap = move_break((intptr_t)FRESH_BYTES);
        printf("heap given back with brk and taken again reads zero: %s\n",
               yes(heap != NULL && pages_fresh(heap, FRESH_BYTES)));
        move_break(-(intptr_t)FRESH_BYTES);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], CHECK_FRESH) == 0) {
        check_new_pages("an exec'd program");
        return 0;
    }
    setvbuf(stdout, NULL, _IONBF, 0); /* nothing buffered for the children to copy */
    pid_t pid = fork();
    if (pid == 0)
        dirty_and_exit();
    printf("a child filled memory with a pattern and exited: %s\n", yes(run_and_wait(pid) == 0));
    exec_fresh_program(argv[0]);

    fill_and_free_own();
    pid = fork();
    if (pid == 0) {
        check_new_pages("a forked child");
        _exit(0);
    }
    printf("the forked child ended normally: %s\n", yes(run_and_wait(pid) == 0));
    check_new_pages("this process");
    return 0;
}
