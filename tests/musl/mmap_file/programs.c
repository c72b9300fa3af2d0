/*
 * programs.c — a running program's file: ETXTBSY.
 */
#include "mmap_file.h"

/* Copy the program to NAME (mode 0755); 0 on success. */
static int copy_self(const char *self, const char *name)
{
    static char buf[64 * 1024];
    int in = open(self, O_RDONLY), out = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    long n, total = 0;
    while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) == n)
            total += n;
    close(in), close(out);
    return total > 0 ? 0 : -1;
}

/* A running program's file cannot be opened for writing, nor a file open for writing run. */
void text_busy(void)
{
    printf("== ETXTBSY\n");
    /* vmlab's boot modules run but cannot be opened: there the script puts a copy in DIR */
    if (copy_self("prog", "busy") != 0 && copy_self(self, "busy") != 0) {
        printf("cannot copy the program\n");
        return;
    }
    int to_child[2], from_child[2];
    pipe(to_child), pipe(from_child);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(to_child[0], 0), dup2(from_child[1], 1);
        close(to_child[1]), close(from_child[0]);
        char *argv[] = { "busy", "--wait", NULL }, *envp[] = { NULL };
        execve("busy", argv, envp);
        _exit(99);
    }
    close(to_child[0]), close(from_child[1]);
    char ready[8] = { 0 };
    read(from_child[0], ready, 6);
    printf("the copy runs: %s", ready);
    show("open O_WRONLY", open("busy", O_WRONLY) >= 0 ? 0 : -1);
    show("open O_RDWR", open("busy", O_RDWR) >= 0 ? 0 : -1);
    show("truncate", truncate("busy", 0));
    int fd = open("busy", O_RDONLY);
    printf("open O_RDONLY: %s\n", fd >= 0 ? "ok" : errno_name(errno));
    close(fd);
    close(to_child[1]);
    int status;
    waitpid(pid, &status, 0);
    printf("it ended: exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    close(from_child[0]);
    fd = open("busy", O_WRONLY);
    printf("open O_WRONLY after: %s\n", fd >= 0 ? "ok" : errno_name(errno));
    /* while that descriptor is open for writing, the file cannot run */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char *argv[] = { "busy", NULL }, *envp[] = { NULL };
        execve("busy", argv, envp);
        _exit(errno == ETXTBSY ? 42 : 43);
    }
    waitpid(pid, &status, 0);
    printf("execve while open for writing: %s\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 42 ? "ETXTBSY" : "not ETXTBSY");
    close(fd);
    unlink("busy");
}
