/*
 * swap_file — swap files (kernel/swap/README.md, "Swap files"): what Linux 6.1
 * answers about a regular file that is, or is to be, a swap area. Run by
 * tests/boot/swapfile.sh on vmlab's root disk (ext2):
 *
 *   swap_file active FILE    FILE is the active area (busybox's swapon made it
 *                            so): a second swapon is EBUSY; write, pwrite,
 *                            O_TRUNC and a truncate that does not grow it are
 *                            ETXTBSY, one that grows it is not; unlink and rename
 *                            (either name, and a hard link's) are EPERM; a
 *                            shared writable mmap ETXTBSY, and a store through
 *                            a shared mapping made writable later SIGBUS; a read
 *                            shows the header mkswap wrote; then memory pressure:
 *                            pages written out (pswpout grows, Used in
 *                            /proc/swaps too) are found in FILE's bytes, and come
 *                            back intact
 *   swap_file after FILE     after swapoff: FILE is an ordinary file again
 *   swap_file errors DIR     files made in DIR that swapon refuses (no signature,
 *                            holes, shorter than the header says, smaller than a
 *                            page, /proc's, holes only past the area the header
 *                            names) and one it takes (a header written by hand)
 *   swap_file exec DIR       a file in DIR that is both a program (an ELF that
 *                            exits 42) and a swap area: it runs before swapon,
 *                            and while it is the active area execve is ETXTBSY
 *                            (Linux's swapon keeps it open O_RDWR: a writer,
 *                            deny_write_access), as it runs again after swapoff
 *
 * Each call prints its result and errno's name. Anything else: the usage, and
 * exit status 0 (swapon needs root and a disk file system of its own).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE         4096
#define PAGE_MARK    "swap_file page "
#define PRESSURE_MIB 30 /* more than the 32 MiB the test boots with has free */

static const char *errno_name(int e)
{
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EBUSY: return "EBUSY";
    case EINVAL: return "EINVAL";
    case ETXTBSY: return "ETXTBSY";
    case ENOTBLK: return "ENOTBLK";
    case ENOMEM: return "ENOMEM";
    case EIO: return "EIO";
    default: return "another errno";
    }
}

static void result(const char *what, long r)
{
    printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? errno_name(errno) : "");
}

static long do_swapon(const char *path)
{
    return syscall(SYS_swapon, path, 0);
}

static long do_swapoff(const char *path)
{
    return syscall(SYS_swapoff, path);
}

/* A counter of /proc/vmstat (-1 if missing). */
static long vmstat(const char *name)
{
    char key[64];
    long value, found = -1;
    FILE *f = fopen("/proc/vmstat", "r");
    while (f != NULL && fscanf(f, "%63s %ld", key, &value) == 2) {
        if (strcmp(key, name) == 0)
            found = value;
    }
    if (f != NULL)
        fclose(f);
    return found;
}

/* The KiB /proc/swaps says FILE's area uses (-1: not listed). */
static long swaps_used(const char *file)
{
    char name[256], type[32];
    long size, used, priority, found = -1;
    FILE *f = fopen("/proc/swaps", "r");
    if (f != NULL && fscanf(f, "%*[^\n]\n") == 0) { /* the heading */
        while (fscanf(f, "%255s %31s %ld %ld %ld", name, type, &size, &used, &priority) == 5) {
            if (strcmp(name, file) == 0)
                found = used;
        }
    }
    if (f != NULL)
        fclose(f);
    return found;
}

static long size_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* ---- the active area ---- */

/* What a program may and may not do to the active swap file. */
static void changes_refused(const char *file)
{
    char other[256], link_name[256];
    snprintf(other, sizeof other, "%s.other", file);
    snprintf(link_name, sizeof link_name, "%s.link", file);
    long size = size_of(file);
    result("swapon again", do_swapon(file));
    int fd = open(file, O_WRONLY);
    result("open for writing", fd < 0 ? -1 : 0);
    result("write", write(fd, "x", 1));
    result("pwrite at 0", pwrite(fd, "x", 1, 0));
    result("ftruncate to 0", ftruncate(fd, 0));
    result("ftruncate to its size", ftruncate(fd, size));
    close(fd);
    result("open with O_TRUNC", open(file, O_WRONLY | O_TRUNC));
    result("truncate to a page", truncate(file, PAGE));
    result("truncate a page longer", truncate(file, size + PAGE));
    printf("size grew by a page: %s\n", size_of(file) == size + PAGE ? "yes" : "no");
    result("unlink", unlink(file));
    result("rename away", rename(file, other));
    close(open(other, O_CREAT | O_WRONLY, 0600));
    result("rename over it", rename(other, file));
    unlink(other);
    result("link", link(file, link_name));
    result("unlink of the link", unlink(link_name));
    printf("size after all that: %s\n", size_of(file) == size + PAGE ? "as grown" : "changed");
}

/* Shared mappings: a writable one is ETXTBSY (Linux's do_mmap); a read-only
 * one may be made, and made writable by mprotect, but a store through it is
 * SIGBUS (what Linux 6.1 does): the page never reaches the file's blocks, which
 * swap owns. The store is a child's, which the signal ends. */
static void shared_mappings(const char *file)
{
    int fd = open(file, O_RDWR);
    void *writable = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PAGE);
    result("mmap shared writable", writable == MAP_FAILED ? -1 : 0);
    if (writable != MAP_FAILED)
        munmap(writable, PAGE);
    char *page = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
    result("mmap shared read-only", page == MAP_FAILED ? -1 : 0);
    if (page != MAP_FAILED) {
        result("mprotect to writable", mprotect(page, PAGE, PROT_READ | PROT_WRITE));
        pid_t child = fork();
        if (child == 0) {
            page[0] = 'x';
            _exit(0);
        }
        int status = 0;
        waitpid(child, &status, 0);
        printf("a store through it: %s\n",
               WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS ? "SIGBUS" : "no signal");
        munmap(page, PAGE);
    }
    close(fd);
}

/* The header mkswap wrote, read through the file system. */
static void header_readable(const char *file)
{
    char page[PAGE] = "";
    int fd = open(file, O_RDONLY);
    ssize_t n = fd >= 0 ? pread(fd, page, PAGE, 0) : -1;
    printf("read of page 0: %zd bytes, signature \"%.10s\"\n", n, page + PAGE - 10);
    if (fd >= 0)
        close(fd);
}

/* Pages of FILE that hold a page of ours: swapped out there (read() goes to the
 * disk: swapon left no page of the file cached). */
static long marked_pages_in(const char *file)
{
    static char page[PAGE];
    long found = 0;
    int fd = open(file, O_RDONLY);
    for (off_t at = 0; fd >= 0 && pread(fd, page, PAGE, at) == PAGE; at += PAGE)
        found += memcmp(page, PAGE_MARK, strlen(PAGE_MARK)) == 0;
    if (fd >= 0)
        close(fd);
    return found;
}

static long intact_pages(const char *region, long pages)
{
    char want[48];
    long intact = 0;
    for (long i = 0; i < pages; i++) {
        snprintf(want, sizeof want, PAGE_MARK "%ld.", i);
        intact += strcmp(region + i * PAGE, want) == 0;
    }
    return intact;
}

/* More than memory holds, each page marked: reclaim must write pages to FILE. */
static void pressure(const char *file)
{
    long pages = PRESSURE_MIB * 256L, written_before = vmstat("pswpout");
    char *region =
        mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) {
        result("mmap", -1);
        return;
    }
    for (long i = 0; i < pages; i++)
        snprintf(region + i * PAGE, 48, PAGE_MARK "%ld.", i);
    printf("pressure: %d MiB written, pswpout grew: %s\n", PRESSURE_MIB,
           vmstat("pswpout") > written_before ? "yes" : "no");
    printf("used in /proc/swaps: %s\n", swaps_used(file) > 0 ? "some" : "none");
    printf("marked pages in the file: %s\n", marked_pages_in(file) > 0 ? "some" : "none");
    printf("pages intact: %s\n", intact_pages(region, pages) == pages ? "all" : "NOT ALL");
    munmap(region, pages * PAGE);
}

/* ---- after swapoff ---- */

static void ordinary_again(const char *file)
{
    char link_name[256];
    snprintf(link_name, sizeof link_name, "%s.link", file);
    printf("listed in /proc/swaps: %s\n", swaps_used(file) >= 0 ? "yes" : "no");
    result("unlink of the link", unlink(link_name));
    result("swapoff again", do_swapoff(file));
    int fd = open(file, O_WRONLY | O_APPEND);
    result("append", write(fd, "x", 1));
    close(fd);
}

/* ---- files swapon refuses, and two it takes ---- */

/* Page 0 of a swap area of `pages` pages, as mkswap writes it (version 1). */
static void make_header(char *page, uint32_t pages)
{
    memset(page, 0, PAGE);
    uint32_t version = 1, last_page = pages - 1;
    memcpy(page + 1024, &version, 4);
    memcpy(page + 1028, &last_page, 4);
    memcpy(page + PAGE - 10, "SWAPSPACE2", 10);
}

/* DIR/name: a header for `area` pages unless area is 0, then `written` pages of
 * data in all, then the size made `size` pages (a hole past the data). */
static void make_file(const char *path, uint32_t area, long written, long size)
{
    static char page[PAGE];
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    for (long i = 0; fd >= 0 && i < written; i++) {
        if (i == 0 && area > 0)
            make_header(page, area);
        else
            memset(page, 0, PAGE);
        if (write(fd, page, PAGE) != PAGE)
            printf("cannot write %s\n", path);
    }
    if (fd < 0 || ftruncate(fd, size * PAGE) != 0)
        printf("cannot make %s\n", path);
    if (fd >= 0)
        close(fd);
}

/* swapon of a file made so, then swapoff if it took it. */
static void try_file(const char *dir, const char *what, uint32_t area, long written, long size)
{
    char path[256];
    snprintf(path, sizeof path, "%s/swap_file.%d", dir, (int)written);
    make_file(path, area, written, size);
    char line[128];
    snprintf(line, sizeof line, "swapon of %s", what);
    long r = do_swapon(path);
    result(line, r);
    if (r == 0)
        result("  swapoff", do_swapoff(path));
    unlink(path);
}

/* A swap file whose name has a space and a backslash: /proc/swaps writes them
 * as octal escapes (DIR's part of the path is printed as "DIR"). */
static void escaped_name(const char *dir)
{
    char path[256], line[512], name[512] = "";
    snprintf(path, sizeof path, "%s/swap file\\1", dir);
    make_file(path, 16, 16, 16);
    result("swapon of a file named \"swap file\\1\"", do_swapon(path));
    FILE *f = fopen("/proc/swaps", "r");
    if (f != NULL && fgets(line, sizeof line, f) != NULL && fgets(line, sizeof line, f) != NULL)
        sscanf(line, "%511s", name);
    if (f != NULL)
        fclose(f);
    const char *last = strrchr(name, '/');
    printf("its name in /proc/swaps: DIR%s\n", last != NULL ? last : "(none)");
    result("  swapoff", do_swapoff(path));
    unlink(path);
}

static void refused_and_taken(const char *dir)
{
    try_file(dir, "a file with no signature", 0, 256, 256);
    try_file(dir, "a file with holes", 256, 1, 256);
    try_file(dir, "a file shorter than its header says", 512, 256, 256);
    try_file(dir, "a file smaller than a page", 0, 0, 0);
    try_file(dir, "a file of a header alone", 1, 1, 1);
    try_file(dir, "a header written by hand", 256, 256, 256);
    try_file(dir, "a file with holes past its area", 16, 16, 256);
    escaped_name(dir);
    result("swapon of /proc/meminfo", do_swapon("/proc/meminfo"));
    char path[256];
    snprintf(path, sizeof path, "%s/swap_file.idle", dir);
    make_file(path, 256, 256, 256);
    result("swapoff of a file that is no area", do_swapoff(path));
    unlink(path);
}

/* ---- a program that is a swap area ---- */

/* DIR/swap_file.elf: an ELF whose one segment (page 0) runs exit(42), 4 pages
 * long, whose page 0 is also a swap header for those 4 pages (the ELF header
 * and code lie below byte 1024, where the header's fields begin). */
static void make_program_area(const char *path)
{
    static unsigned char file[4 * PAGE];
    static const unsigned char code[] = {
        0xb8, 60,   0, 0, 0, /* mov $60 (exit), %eax */
        0xbf, 42,   0, 0, 0, /* mov $42, %edi */
        0x0f, 0x05,          /* syscall */
    };
    const uint64_t base = 0x400000, code_at = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);
    Elf64_Ehdr eh = { .e_type = ET_EXEC,
                      .e_machine = EM_X86_64,
                      .e_version = EV_CURRENT,
                      .e_entry = base + code_at,
                      .e_phoff = sizeof eh,
                      .e_ehsize = sizeof eh,
                      .e_phentsize = sizeof(Elf64_Phdr),
                      .e_phnum = 1 };
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    Elf64_Phdr ph = { .p_type = PT_LOAD,
                      .p_flags = PF_R | PF_X,
                      .p_vaddr = base,
                      .p_paddr = base,
                      .p_filesz = PAGE,
                      .p_memsz = PAGE,
                      .p_align = PAGE };
    make_header((char *)file, 4);
    memcpy(file, &eh, sizeof eh);
    memcpy(file + sizeof eh, &ph, sizeof ph);
    memcpy(file + code_at, code, sizeof code);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
    if (fd < 0 || write(fd, file, sizeof file) != (ssize_t)sizeof file)
        printf("cannot make %s\n", path);
    if (fd >= 0)
        close(fd);
}

/* Run path in a child: its exit status (42: it ran), or execve's errno's name. */
static void run_program(const char *what, const char *path)
{
    int pipe_fds[2], error = 0, status = 0;
    if (pipe(pipe_fds) != 0)
        return;
    pid_t child = fork();
    if (child == 0) {
        close(pipe_fds[0]);
        fcntl(pipe_fds[1], F_SETFD, FD_CLOEXEC);
        execl(path, path, (char *)NULL);
        error = errno;
        if (write(pipe_fds[1], &error, sizeof error) < 0)
            _exit(1);
        _exit(1);
    }
    close(pipe_fds[1]);
    if (read(pipe_fds[0], &error, sizeof error) != sizeof error)
        error = 0;
    close(pipe_fds[0]);
    waitpid(child, &status, 0);
    if (error != 0)
        printf("%s: execve %s\n", what, errno_name(error));
    else
        printf("%s: exit status %d\n", what, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void exec_refused(const char *dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/swap_file.elf", dir);
    make_program_area(path);
    run_program("run before swapon", path);
    long r = do_swapon(path);
    result("swapon of the program", r);
    run_program("run while it is the area", path);
    if (r == 0)
        result("swapoff", do_swapoff(path));
    run_program("run after swapoff", path);
    unlink(path);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* every line out, even if a signal ends it */
    if (argc == 3 && strcmp(argv[1], "active") == 0) {
        changes_refused(argv[2]);
        shared_mappings(argv[2]);
        header_readable(argv[2]);
        pressure(argv[2]);
    } else if (argc == 3 && strcmp(argv[1], "after") == 0) {
        ordinary_again(argv[2]);
    } else if (argc == 3 && strcmp(argv[1], "errors") == 0) {
        refused_and_taken(argv[2]);
    } else if (argc == 3 && strcmp(argv[1], "exec") == 0) {
        exec_refused(argv[2]);
    } else {
        /* on the host (user/run-host-tests starts every program with two words) */
        printf(
            "usage: swap_file active|after FILE, swap_file errors|exec DIR (swapon needs root)\n");
    }
    return 0;
}
