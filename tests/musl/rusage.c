/*
 * rusage — getrusage through musl. Prints only facts that hold on any correct kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

static const char *yes_no(int condition)
{
    return condition ? "yes" : "no";
}

static int sane(const struct rusage *u)
{
    return u->ru_utime.tv_sec >= 0 && u->ru_utime.tv_usec >= 0 && u->ru_utime.tv_usec < 1000000 &&
           u->ru_stime.tv_sec >= 0 && u->ru_stime.tv_usec >= 0 && u->ru_stime.tv_usec < 1000000 &&
           u->ru_maxrss >= 0 && u->ru_minflt >= 0 && u->ru_majflt >= 0;
}

int main(void)
{
    struct rusage self, children;
    memset(&self, 0xff, sizeof(self));
    memset(&children, 0xff, sizeof(children));
    int ok_self = getrusage(RUSAGE_SELF, &self) == 0;
    int ok_children = getrusage(RUSAGE_CHILDREN, &children) == 0;
    errno = 0;
    int bad = getrusage(42, &self);
    int bad_errno = errno;

    printf("getrusage(RUSAGE_SELF) works: %s\n", yes_no(ok_self));
    printf("its numbers are sane: %s\n", yes_no(sane(&self)));
    printf("getrusage(RUSAGE_CHILDREN) works: %s\n", yes_no(ok_children));
    printf("its numbers are sane: %s\n", yes_no(sane(&children)));
    printf("getrusage(42) fails with EINVAL: %s\n", yes_no(bad == -1 && bad_errno == EINVAL));
    return 0;
}
