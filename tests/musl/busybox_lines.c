/*
 * busybox_lines FILE — run each line of FILE as `busybox sh -c LINE`, one process
 * after another, and print a transcript: "$ LINE", what it printed (standard error
 * merged into standard output), and "[exit N]" or "[signal N]" unless it exited 0.
 *
 * tests/boot/busybox.sh runs it on vmlab and on Linux (../shared/linux-ref) with the
 * same FILE and compares the transcripts. The processes are started with vfork,
 * which vmlab has, so busybox's applets are tried one by one even where busybox's
 * own shell cannot start a process yet (glibc's fork is clone). Lines starting
 * with '#' and empty lines are skipped. Every command gets the same environment.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define BUSYBOX "/bin/busybox"

static char *environment[] = { "PATH=/bin", "HOME=/", "TERM=dumb", NULL };

static void run(char *line)
{
    printf("$ %s\n", line);
    fflush(stdout);
    char *argv[] = { "sh", "-c", line, NULL };
    pid_t pid = vfork();
    if (pid == 0) {
        execve(BUSYBOX, argv, environment);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        printf("[could not run it]\n");
        return;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        printf("[exit %d]\n", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("[signal %d]\n", WTERMSIG(status));
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        printf("usage: busybox_lines FILE\n"); /* (the host's run of every program) */
        return 0;
    }
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    dup2(1, 2); /* one stream: the order of output and errors is kept */
    char line[1024];
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] != '\0' && line[0] != '#')
            run(line);
    }
    fclose(f);
    return 0;
}
