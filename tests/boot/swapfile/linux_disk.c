/*
 * linux_disk.c — for record-linux.sh only: what linux-ref's initramfs lacks to
 * give a program an ext2 file system on a disk (Linux 6.1 in that initramfs has
 * tmpfs, which takes no swap file). Built and run there, never on vmlab:
 *
 *   linux_disk load MODULE...     finit_module each (virtio, virtio_blk, ext4...),
 *                                 devtmpfs on /dev, then /dev/vda mounted on /mnt
 *   linux_disk mkswap FILE MIB    FILE written with a swap header and zeros (every
 *                                 block allocated: no holes)
 *   linux_disk swapon|swapoff FILE
 *   linux_disk umount             sync and unmount /mnt
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096

static int load(int count, char **modules)
{
    for (int i = 0; i < count; i++) {
        int fd = open(modules[i], O_RDONLY);
        if (syscall(SYS_finit_module, fd, "", 0) != 0)
            printf("load %s: %s\n", modules[i], strerror(errno));
        close(fd);
    }
    mkdir("/dev", 0755);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    for (int tries = 0; tries < 100 && access("/dev/vda", F_OK) != 0; tries++)
        usleep(100000); /* the disk appears once virtio_blk probed it */
    mkdir("/mnt", 0755);
    if (mount("/dev/vda", "/mnt", "ext2", 0, NULL) != 0)
        printf("mount /dev/vda: %s\n", strerror(errno));
    return 0;
}

static int make_swap(const char *path, long mib)
{
    static char page[PAGE];
    unsigned version = 1, last_page = (unsigned)(mib * 256 - 1);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    for (long i = 0; fd >= 0 && i < mib * 256; i++) {
        memset(page, 0, PAGE);
        if (i == 0) {
            memcpy(page + 1024, &version, 4);
            memcpy(page + 1028, &last_page, 4);
            memcpy(page + PAGE - 10, "SWAPSPACE2", 10);
        }
        if (write(fd, page, PAGE) != PAGE)
            printf("write %s: %s\n", path, strerror(errno));
    }
    fsync(fd);
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "load") == 0)
        return load(argc - 2, argv + 2);
    if (argc == 4 && strcmp(argv[1], "mkswap") == 0)
        return make_swap(argv[2], atol(argv[3]));
    if (argc == 3 && strcmp(argv[1], "swapon") == 0 && swapon(argv[2], 0) != 0)
        printf("swapon %s: %s\n", argv[2], strerror(errno));
    if (argc == 3 && strcmp(argv[1], "swapoff") == 0 && swapoff(argv[2]) != 0)
        printf("swapoff %s: %s\n", argv[2], strerror(errno));
    if (argc == 2 && strcmp(argv[1], "umount") == 0) {
        sync();
        if (umount("/mnt") != 0)
            printf("umount: %s\n", strerror(errno));
    }
    return 0;
}
