/*
 * file_exit_sleep — a process exits while another holds the disk (one long read):
 * the exit drops the last reference to an unlinked file it still maps, which frees
 * the file on the disk, so the exit waits for the disk (mount_lock, from as_put ->
 * vma_destroy -> inode_put -> evict). vmlab's as_put had freed the page tables
 * already, yet the process still pointed at its address space, and its remaining
 * regions were still on their objects' reverse maps. Meanwhile a third process
 * reaps children; vmlab's memory check after each reap walked the freed tables
 * ("refcount 0, but 1 references found"), and the kernel died (run-elf status
 * 125). Truncate and write-back walk such regions too.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#define PG        4096
#define BIG_PAGES 2048
static char big_path[64], file_path[64];

int main(void)
{
    snprintf(big_path, sizeof big_path, "/tmp/file_exit_sleep-%d-big", (int)getpid());
    snprintf(file_path, sizeof file_path, "/tmp/file_exit_sleep-%d", (int)getpid());
    static char page[PG];
    memset(page, 'b', PG);
    int big = open(big_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    for (long i = 0; i < BIG_PAGES; i++) /* pieces straddling pages: none is cached */
        pwrite(big, page, PG, i * PG + 1);
    int ready[2], go[2];
    pipe(ready);
    pipe(go);
    pid_t reaper = fork();
    if (reaper == 0) {
        for (;;) {
            pid_t k = fork();
            if (k == 0)
                _exit(0);
            waitpid(k, 0, 0);
        }
    }
    pid_t a = fork();
    if (a == 0) {
        char *anon = mmap(0, 64 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        for (int i = 0; i < 64; i++)
            anon[i * PG] = 1;
        int f = open(file_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
        for (int i = 0; i < 16; i++)
            write(f, page, PG);
        volatile char *fm = mmap(0, 16 * PG, PROT_READ, MAP_SHARED, f, 0); /* below anon */
        (void)fm[0];
        unlink(file_path);
        close(f); /* the mapping is the file's last user now */
        char c = 'r';
        write(ready[1], &c, 1);
        read(go[0], &c, 1);
        _exit(0); /* frees the file on the disk, which the reader holds */
    }
    char c;
    read(ready[0], &c, 1);
    pid_t reader = fork();
    if (reader == 0) {
        static char all[BIG_PAGES * PG];
        write(go[1], &c, 1);
        pread(big, all, sizeof all, 0);
        _exit(0);
    }
    waitpid(a, 0, 0);
    waitpid(reader, 0, 0);
    kill(reaper, SIGKILL);
    waitpid(reaper, 0, 0);
    unlink(big_path);
    printf("done\n");
    return 0;
}
