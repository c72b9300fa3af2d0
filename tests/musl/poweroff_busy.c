/*
 * poweroff_busy — power off while other processes are in the middle of writing:
 * reboot(2) must wait for the file-system call in progress, then write everything
 * back and mark the disk clean (tests/boot/root-disk.sh, root_disk_poweroff).
 *
 *   poweroff_busy --on-vmlab DIR
 *
 * Three children write, truncate and make and remove a directory in DIR without
 * end; the parent lets them run, then calls reboot(LINUX_REBOOT_CMD_POWER_OFF).
 * One of them is nearly always inside the file system then, asleep in block I/O.
 *
 * It powers the machine off, so it refuses to run anywhere but on vmlab (uname's
 * sysname) and without its --on-vmlab argument: `make test` also runs every musl
 * program on the host, as root, with no arguments.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define MAGIC1    0xfee1deadL
#define MAGIC2    672274793L
#define POWER_OFF 0x4321fedcL
#define WRITERS   3
#define SPIN      30000000L /* the parent's head start for the writers */

static char buf[65536];

/* Write, truncate, mkdir and rmdir in the current directory until killed. */
static void writer(int k)
{
    char name[16];
    snprintf(name, sizeof name, "w%d", k);
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    for (int i = 0;; i++) {
        if (write(fd, buf, sizeof buf) < 0 || i % 50 == 49) {
            ftruncate(fd, 0);
            lseek(fd, 0, SEEK_SET);
        }
        if (i % 7 == 0) {
            mkdir("t", 0755);
            rmdir("t");
        }
    }
}

int main(int argc, char **argv)
{
    struct utsname u;
    if (argc != 3 || strcmp(argv[1], "--on-vmlab") != 0 || uname(&u) != 0 ||
        strcmp(u.sysname, "vmlab") != 0 || chdir(argv[2]) != 0) {
        printf("usage: poweroff_busy --on-vmlab DIR (it powers vmlab off; nothing elsewhere)\n");
        return 0;
    }
    memset(buf, 'y', sizeof buf);
    for (int k = 0; k < WRITERS; k++) {
        if (fork() == 0)
            writer(k);
    }
    for (volatile long spin = 0; spin < SPIN; spin++)
        continue;
    syscall(SYS_reboot, MAGIC1, MAGIC2, POWER_OFF, 0L);
    perror("poweroff_busy: reboot");
    return 1;
}
