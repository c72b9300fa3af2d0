/*
 * segv — every kind of bad memory access, and the one signal they all get.
 *
 * A bad access is a page fault (or, for a non-canonical address, a general
 * protection fault) that the kernel cannot resolve: there is no region at that
 * address, or the region forbids what was tried. The process is killed with
 * SIGSEGV, and the kernel prints one line saying why:
 *
 *   kind              what it does                           the kernel's reason
 *   null-read         read address 0                         address not mapped
 *   null-write        write address 0                        address not mapped
 *   write-text        write our own code (R-X)               write to read-only memory
 *   write-rodata      write a constant (R--)                 write to read-only memory
 *   exec-data         call code placed in data (RW-, NX)     execute of no-execute memory
 *   exec-stack        call code placed on the stack (NX)     execute of no-execute memory
 *   kernel-read       read 0xffffffff80000000                user access to a kernel address
 *   noncanonical      read 0x8000000000000000                general protection (#GP)
 *   stack-overflow    recurse without end                    stack overflow: beyond the 8 MiB ...
 *   munmapped         read a page after munmap               address not mapped
 *   prot-none         read a PROT_NONE page                  read of inaccessible memory
 *
 * segv commits each in a child of its own (fork) and checks how the child ended.
 * `segv KIND` commits just that one, to see the kernel's message from the shell.
 */
#include <stdint.h>

#include "lib/string.h"
#include "user/lib/bad_access.h"
#include "user/lib/check.h"
#include "user/lib/child.h"
#include "user/lib/image.h"
#include "user/lib/signal_names.h"
#include "user/lib/spawn.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

static char *munmapped_page; /* mapped, then unmapped: nothing there now */
static char *prot_none_page; /* mapped with PROT_NONE: there, but no access */

/* n calls deep, 1 KiB each (a count no stack can hold, in practice endless). */
static __attribute__((noinline)) unsigned long recurse(unsigned long n)
{
    volatile char frame[1024];
    frame[0] = (char)n;
    return n == 0 ? 0 : recurse(n - 1) + frame[0];
}

static void stack_overflow(void)
{
    limit_stack_like_vmlab(); /* Linux: in case the shell allows more than 8 MiB */
    recurse(~0UL);
}

static void munmapped_read(void)
{
    (void)*(volatile char *)munmapped_page;
}

static void prot_none_read(void)
{
    (void)*(volatile char *)prot_none_page;
}

static const struct bad_access {
    const char *kind;
    void (*commit)(void);
    const char *what;
} accesses[] = {
    { "null-read", bad_null_read, "read address 0 (the first 4 MiB are never mapped)" },
    { "null-write", bad_null_write, "write address 0" },
    { "write-text", bad_write_text, "write our own code (text is R-X)" },
    { "write-rodata", bad_write_rodata, "write a constant (rodata is R--)" },
    { "exec-data", bad_exec_data, "call code placed in data (data is NX)" },
    { "exec-stack", bad_exec_stack, "call code placed on the stack (the stack is NX)" },
    { "kernel-read", bad_read_kernel, "read kernel memory at 0xffffffff80000000" },
    { "noncanonical", bad_read_noncanonical, "read 0x8000000000000000, not an address at all" },
    { "stack-overflow", stack_overflow, "recurse until the stack passes 8 MiB" },
    { "munmapped", munmapped_read, "read a page that munmap removed" },
    { "prot-none", prot_none_read, "read a page mapped with PROT_NONE" },
};
#define KINDS (sizeof(accesses) / sizeof(accesses[0]))

/* Make the pages for munmapped and prot-none. False if mmap failed. */
static bool prepare_pages(void)
{
    long gone =
        sys_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long none = sys_mmap(NULL, PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (IS_ERROR(gone) || IS_ERROR(none))
        return false;
    munmapped_page = (char *)gone;
    *munmapped_page = 1;
    prot_none_page = (char *)none;
    return sys_munmap(munmapped_page, PAGE_SIZE) == 0;
}

static int commit(void *access)
{
    ((const struct bad_access *)access)->commit();
    return CHILD_SURVIVED;
}

static void usage(const char *self)
{
    dprintf(STDERR, "usage: %s [KIND]\nkinds:", self);
    for (size_t i = 0; i < KINDS; i++)
        dprintf(STDERR, " %s", accesses[i].kind);
    dprintf(STDERR, "\n");
}

/* `segv KIND`: commit one bad access right here. */
static int commit_one(const char *self, const char *kind)
{
    for (size_t i = 0; i < KINDS; i++) {
        if (strcmp(accesses[i].kind, kind) != 0)
            continue;
        printf("segv: about to %s\n", accesses[i].what);
        accesses[i].commit();
        printf("segv: still alive after trying to %s!\n", accesses[i].what);
        return CHILD_SURVIVED;
    }
    usage(self);
    return 2;
}

int main(int argc, char **argv)
{
    if (!prepare_pages()) {
        dprintf(STDERR, "segv: mmap or munmap failed\n");
        return 1;
    }
    if (argc == 2)
        return commit_one(argv[0], argv[1]);
    if (argc != 1) {
        usage(argv[0]);
        return 2;
    }

    printf("segv: each bad access kills only the child that made it, with SIGSEGV\n");
    for (size_t i = 0; i < KINDS; i++) {
        long status = run_in_child(commit, (void *)&accesses[i]);
        char text[60];
        describe_status(status, text, sizeof(text));
        EXPECT(killed_by(status, SIGSEGV), "%-14s %s: %s", accesses[i].kind, accesses[i].what,
               text);
    }
    EXPECT(sys_getpid() > 0, "and the parent is still here");
    return check_summary("segv");
}
