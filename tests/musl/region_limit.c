/*
 * region_limit.c — an address space holds at most about 65530 regions (Linux's
 * vm.max_map_count): beyond that mmap, mprotect and munmap fail with ENOMEM.
 *
 * Every other page of a big read-only mapping is made writable, one mprotect at a
 * time, each making two more regions, until the kernel refuses. Linux refuses at
 * its limit (the exact page depends on the regions the program had before). vmlab
 * had no limit: about a million regions (70 MiB of kernel memory at 128 MiB of
 * RAM) before memory ran out, and walks over them (fork, munmap) took seconds.
 * Then a split by munmap is refused too, one more mmap likewise, and after the
 * mapping is gone everything works again.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE     4096ul
#define PAGES    (160ul * 1024) /* 640 MiB of address space: more than the limit needs */
#define LIMIT    65530          /* Linux's default vm.max_map_count */
#define BASELINE 64             /* regions a program may have before it starts */

static const char *name(int e)
{
    return e == ENOMEM ? "ENOMEM" : e == 0 ? "ok" : strerror(e);
}

int main(void)
{
    char *base =
        mmap(NULL, PAGES * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        return 1;
    unsigned long i;
    int error = 0;
    for (i = 1; i + 1 < PAGES; i += 2) {
        if (mprotect(base + i * PAGE, PAGE, PROT_READ | PROT_WRITE) != 0) {
            error = errno;
            break;
        }
    }
    unsigned long regions = i; /* about: the pieces of the big mapping */
    printf("mprotect of every other page: refused with %s\n", name(error));
    printf("after between %d and %d regions: %s\n", LIMIT - BASELINE, LIMIT,
           regions >= LIMIT - BASELINE && regions <= LIMIT ? "yes" : "no");

    /* a munmap in the middle of a piece would split it: refused too */
    char *piece = base + (i + 3) * PAGE; /* inside the untouched read-only tail */
    errno = 0;
    printf("munmap splitting a region: %s\n", munmap(piece, PAGE) == 0 ? "ok" : name(errno));
    void *one =
        mmap(NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("one more mmap: %s\n", one == MAP_FAILED ? name(errno) : "ok");

    pid_t pid = fork();
    if (pid == 0)
        _exit(base[PAGE] == 0 ? 0 : 1);
    int status = 0;
    waitpid(pid, &status, 0);
    printf("fork with all those regions: child %s\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "ran" : "failed");

    printf("munmap of the whole mapping: %s\n",
           munmap(base, PAGES * PAGE) == 0 ? "ok" : name(errno));
    if (one != MAP_FAILED)
        munmap(one, PAGE);
    char *again = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("then mmap and mprotect work again: %s\n",
           again != MAP_FAILED && mprotect(again + PAGE, PAGE, PROT_READ | PROT_WRITE) == 0 ? "yes"
                                                                                            : "no");
    return 0;
}
