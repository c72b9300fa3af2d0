/*
 * kill_targets.c — kill's pid argument: who gets the signal, and who does not.
 *
 * A child sleeps while this program sends signals where nobody is: to pid -INT_MIN
 * (INT_MIN, which Linux refuses: its negation does not exist), to a process group
 * that does not exist, to a pid that does not exist. Each is ESRCH and must reach
 * no one: the child is still alive afterwards (vmlab used to treat every negative
 * pid as "everyone", so kill(INT_MIN, SIGKILL) killed every process but init).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NO_SUCH_PID 999999

static const char *result(int r)
{
    return r == 0 ? "0" : errno == ESRCH ? "ESRCH" : errno == EINVAL ? "EINVAL" : "other error";
}

int main(void)
{
    pid_t child = fork();
    if (child == 0) {
        struct timespec t = { 30, 0 };
        nanosleep(&t, NULL);
        _exit(1);
    }
    struct {
        const char *name;
        pid_t pid;
    } targets[] = {
        { "INT_MIN", INT_MIN },
        { "-INT_MAX (a group that does not exist)", -INT_MAX },
        { "-999999 (a group that does not exist)", -NO_SUCH_PID },
        { "999999 (a pid that does not exist)", NO_SUCH_PID },
    };
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        int r = kill(targets[i].pid, 0);
        printf("kill(%s, 0): %s\n", targets[i].name, result(r));
        r = kill(targets[i].pid, SIGKILL);
        printf("kill(%s, SIGKILL): %s\n", targets[i].name, result(r));
    }
    struct timespec moment = { 0, 50 * 1000 * 1000 }; /* time for a wrong SIGKILL to act */
    nanosleep(&moment, NULL);
    int status = 0;
    printf("the child after all that: %s\n",
           waitpid(child, &status, WNOHANG) == 0 ? "alive" : "gone");
    printf("kill(child, SIGKILL): %s\n", result(kill(child, SIGKILL)));
    waitpid(child, &status, 0);
    printf("the child: %s\n",
           WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "killed by SIGKILL" : "?");
    return 0;
}
