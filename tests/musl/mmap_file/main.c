/*
 * mmap_file — memory-mapped files, compared with Linux (tests/boot/mmap-file.sh).
 * One file per concept: rules.c (errors, contents), sharing.c (who sees a store),
 * end.c (the end of the file), stores.c (entries that move or go; I/O to and from
 * mappings), residency.c (msync, mincore, madvise, faults), programs.c (ETXTBSY),
 * reread.c (big files, the files after a fresh boot), full_disk.c (stores the disk
 * cannot take), common.c (the helpers).
 *
 *   mmap_file DIR [vmlab]   chdir(DIR), an empty scratch directory on a disk, then
 *                           one line per rule of mmap(2) on files: the errors of
 *                           mmap with a descriptor (EBADF, EACCES by open mode,
 *                           ENODEV, EINVAL, EOVERFLOW); contents equal to read() at
 *                           page-aligned offsets; the mapping outliving close();
 *                           MAP_SHARED writes seen by read(), by other mappings and
 *                           by the disk, MAP_PRIVATE ones by nobody; write() seen
 *                           through mappings; munmap splits, fork, mremap; past the
 *                           end of the file (zeros, then SIGBUS as the parent's
 *                           wait status), ftruncate under a mapping; stores whose
 *                           page-table entries move or go; read() and write() to
 *                           and from mappings; msync, mincore and madvise with
 *                           their errors; ETXTBSY; minor faults. With "vmlab", a
 *                           last part checks what only vmlab can say (the console
 *                           cannot be mapped).
 *   mmap_file DIR big MIB   write a file of MIB MiB, then read it back through
 *                           read() and through a MAP_PRIVATE mapping, checking each
 *                           byte (run on vmlab with less memory than the file);
 *                           then store to it through MAP_SHARED; then store to the
 *                           holes of a file larger than the free space beside a
 *                           process holding most of memory (msync: ENOSPC once);
 *                           then cut a file while it is written back.
 *   mmap_file DIR sums [vmlab]
 *                           each file the main run left in DIR, read through a
 *                           mapping and through read(): size and checksum (run on
 *                           vmlab after a fresh boot: the pages come from the disk).
 *   mmap_file --wait        (used by the ETXTBSY part) say "ready", then wait for
 *                           end of file on standard input.
 *
 * It prints no addresses, pids or times, only what must agree. Files left in DIR
 * (kept.bin, synced.bin, tail.bin...) are compared with Linux's by the test script.
 * The ETXTBSY part runs a copy of DIR/prog if there is one, else of argv[0].
 * Without a directory it says so and exits 0.
 */
#include "mmap_file.h"

const char *self; /* argv[0]: the ETXTBSY part runs a copy of this program */

/* What only vmlab answers: its console is a character device that cannot be mapped;
 * MADV_REMOVE (punch a hole) in a MAP_SHARED mapping of an ext2 file is EOPNOTSUPP,
 * as Linux's ext2 says (it has no fallocate; the host's file system may have one). */
void vmlab_only(void)
{
    printf("== vmlab only\n");
    show_map("the console (fd 0)", raw_mmap(NULL, PAGE, PROT_READ, MAP_SHARED, 0, 0));
    int fd = open("remove.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char *p = ftruncate(fd, PAGE) == 0 ? mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                                       : MAP_FAILED;
    if (p != MAP_FAILED) {
        p[0] = 1;
        show("MADV_REMOVE on MAP_SHARED of an ext2 file", madvise(p, PAGE, MADV_REMOVE));
        printf("its first byte after: %d\n", p[0]);
    }
    close(fd);
    unlink("remove.bin"); /* the disk must hold what Linux's run left, no more */
}

/* Run one part in a child process, so that a part which dies (a mapping refused, then
 * used) costs only its own remaining lines; its death is a line of its own. */
typedef void part_fn(void);

static void in_own_process(part_fn *part)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        part();
        fflush(stdout);
        _exit(0);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        printf("fork or wait failed\n");
    else if (WIFSIGNALED(status))
        printf("(this part was killed by %s)\n", signal_name(WTERMSIG(status)));
    else if (WEXITSTATUS(status) != 0)
        printf("(this part exited %d)\n", WEXITSTATUS(status));
}

/* --wait: the ETXTBSY part's running program. */
static int wait_for_eof(void)
{
    write(1, "ready\n", 6);
    char c;
    while (read(0, &c, 1) > 0)
        ;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--wait") == 0)
        return wait_for_eof();
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2 || chdir(argv[1]) != 0) {
        printf("mmap_file: usage: mmap_file DIR [vmlab | big MIB]\n");
        return 0;
    }
    struct rlimit no_core = { 0, 0 };
    setrlimit(RLIMIT_CORE, &no_core); /* the SIGBUS children leave no core files */
    if (argc > 2 && strcmp(argv[2], "sums") == 0) {
        sums(argc > 3 && strcmp(argv[3], "vmlab") == 0);
        return 0;
    }
    if (argc > 3 && strcmp(argv[2], "big") == 0) {
        big(atol(argv[3]));
        return 0;
    }
    self = argv[0];
    part_fn *const parts[] = { errors,
                               contents,
                               shared_writes,
                               private_writes,
                               write_through_mapping,
                               split,
                               forking,
                               remapping,
                               past_the_end,
                               truncating,
                               unlinked_and_sparse,
                               dirty_entries,
                               kernel_copies,
                               msyncing,
                               residency,
                               advising,
                               text_busy,
                               faults };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        in_own_process(parts[i]);
    if (argc > 2 && strcmp(argv[2], "vmlab") == 0)
        in_own_process(vmlab_only);
    printf("== done\n");
    return 0;
}
