/*
 * reboot_rules.c — what reboot(2) refuses before it does anything: a wrong first
 * or second magic number, or a command it does not know, are EINVAL (on Linux, for
 * root, as on vmlab). The command that works, power off, is tried by
 * tests/boot/root-disk.sh (root_disk_poweroff), since it ends the machine.
 * This program also runs on the host (make user-test-host): every call here has a
 * wrong magic number or an unknown command, never the right numbers with a real one.
 * (Without CAP_SYS_BOOT, as in a container, Linux says EPERM first.)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAGIC1    0xfee1deadL
#define MAGIC2    672274793L
#define POWER_OFF 0x4321fedcL

static void try(const char *what, long magic1, long magic2, long cmd)
{
    errno = 0;
    long r = syscall(SYS_reboot, magic1, magic2, cmd, 0L);
    printf("%-28s %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

int main(void)
{
    try("wrong magic1, power off", 0x12345678L, MAGIC2, POWER_OFF);
    try("wrong magic2, power off", MAGIC1, 12345L, POWER_OFF);
    try("both wrong", 0, 0, POWER_OFF);
    try("unknown command", MAGIC1, MAGIC2, 0x11111111L);
    try("magic1 in the high half", MAGIC1 | (1L << 40), MAGIC2, 0x11111111L);
    return 0;
}
