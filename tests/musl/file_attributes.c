/*
 * file_attributes — chmod, fchmod, fchmodat, chown, fchown, lchown, fchownat and
 * utimensat (kernel/fs/sys_attr.c), in a directory of its own under /tmp: what
 * stat reports after each call, and the errors. Times are printed in whole
 * seconds (ext2's inodes keep no nanoseconds); "now" as a yes/no.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char dir[64];

static const char *in_dir(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static void result(const char *what, int r)
{
    printf("%-44s %d %s\n", what, r, r < 0 ? strerror(errno) : "");
}

static void show(const char *name, int follow)
{
    struct stat st;
    int r = follow ? stat(in_dir(name), &st) : lstat(in_dir(name), &st);
    if (r != 0) {
        printf("  %s: stat %s\n", name, strerror(errno));
        return;
    }
    printf("  %s: mode %o uid %u gid %u\n", name, st.st_mode, st.st_uid, st.st_gid);
}

static int recent(time_t t)
{
    time_t now = time(NULL);
    return t <= now && t >= now - 5;
}

static void show_times(const char *name)
{
    struct stat st;
    if (stat(in_dir(name), &st) != 0) {
        printf("  %s: stat %s\n", name, strerror(errno));
        return;
    }
    printf("  %s: atime %s mtime %s ctime now %s\n", name, recent(st.st_atime) ? "now" : "",
           recent(st.st_mtime) ? "now" : "", recent(st.st_ctime) ? "yes" : "no");
    if (!recent(st.st_atime))
        printf("    atime %lld\n", (long long)st.st_atime);
    if (!recent(st.st_mtime))
        printf("    mtime %lld\n", (long long)st.st_mtime);
}

static void modes(int fd)
{
    printf("== modes\n");
    result("chmod 0640", chmod(in_dir("f"), 0640));
    show("f", 1);
    result("fchmod 04755", fchmod(fd, 04755));
    show("f", 1);
    result("chmod 0170777 (type bits ignored)", chmod(in_dir("f"), 0170777));
    show("f", 1);
    result("fchmodat dir 01777", fchmodat(AT_FDCWD, dir, 01777, 0));
    struct stat st;
    stat(dir, &st);
    printf("  dir: mode %o\n", st.st_mode);
    result("chmod through a link", chmod(in_dir("link"), 0600));
    show("f", 1);
    show("link", 0);
    result("chmod missing", chmod(in_dir("missing"), 0600));
    result("chmod bad pointer", chmod((const char *)16, 0600));
    result("fchmod bad fd", fchmod(99, 0600));
}

static void owners(int fd)
{
    printf("== owners\n");
    chmod(in_dir("f"), 06755);
    result("chown 1000 2000 (set-ID bits go)", chown(in_dir("f"), 1000, 2000));
    show("f", 1);
    result("fchown -1 3000", fchown(fd, -1, 3000));
    show("f", 1);
    chmod(in_dir("f"), 06745);
    result("chown -1 -1 (setuid goes, setgid stays)", chown(in_dir("f"), -1, -1));
    show("f", 1);
    result("chown 70000 70001 (32-bit ids)", chown(in_dir("f"), 70000, 70001));
    show("f", 1);
    result("lchown link 5 6", lchown(in_dir("link"), 5, 6));
    show("link", 0);
    show("f", 1);
    result("fchownat link NOFOLLOW 7 8",
           fchownat(AT_FDCWD, in_dir("link"), 7, 8, AT_SYMLINK_NOFOLLOW));
    show("link", 0);
    result("fchownat fd EMPTY_PATH 0 0", fchownat(fd, "", 0, 0, AT_EMPTY_PATH));
    show("f", 1);
    result("fchownat bad flags", fchownat(AT_FDCWD, in_dir("f"), 0, 0, 0x4));
    chmod(dir, 06755);
    result("chown dir 1 1 (a directory keeps them)", chown(dir, 1, 1));
    struct stat st;
    stat(dir, &st);
    printf("  dir: mode %o uid %u\n", st.st_mode, st.st_uid);
    chown(dir, 0, 0);
    chmod(dir, 0755);
}

static void times(int fd)
{
    printf("== times\n");
    struct timespec set[2] = { { 1000, 500 }, { 2000000000, 999999999 } };
    result("utimensat 1000 2000000000", utimensat(AT_FDCWD, in_dir("f"), set, 0));
    show_times("f");
    struct timespec omit_now[2] = { { 5, UTIME_OMIT }, { 5, UTIME_NOW } };
    result("utimensat OMIT NOW", utimensat(AT_FDCWD, in_dir("f"), omit_now, 0));
    show_times("f");
    result("utimensat NULL (both now)", utimensat(AT_FDCWD, in_dir("f"), NULL, 0));
    show_times("f");
    struct timespec both_omit[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
    result("utimensat OMIT OMIT", utimensat(AT_FDCWD, in_dir("f"), both_omit, 0));
    result("futimens 1000 2000000000", futimens(fd, set));
    show_times("f");
    struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
    result("utimensat nsec 1e9", utimensat(AT_FDCWD, in_dir("f"), bad, 0));
    struct timespec negative[2] = { { 0, -1 }, { 0, 0 } };
    result("utimensat nsec -1", utimensat(AT_FDCWD, in_dir("f"), negative, 0));
    result("utimensat bad flags", utimensat(AT_FDCWD, in_dir("f"), NULL, 0x4));
    /* (musl's utimensat reads the times itself: the bad pointer goes in directly) */
    result("utimensat bad times pointer",
           (int)syscall(SYS_utimensat, AT_FDCWD, in_dir("f"), 16, 0));
    result("utimensat missing", utimensat(AT_FDCWD, in_dir("missing"), NULL, 0));
    result("utimensat link NOFOLLOW",
           utimensat(AT_FDCWD, in_dir("link"), set, AT_SYMLINK_NOFOLLOW));
    struct stat st;
    lstat(in_dir("link"), &st);
    printf("  link: mtime %lld\n", (long long)st.st_mtime);
    result("touch a new file (creat + utimensat)", close(creat(in_dir("new"), 0644)));
    show_times("new");
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/file_attributes.%d", (int)getpid());
    umask(022);
    if (mkdir(dir, 0755) != 0) {
        perror(dir);
        return 1;
    }
    int fd = open(in_dir("f"), O_CREAT | O_RDWR, 0644);
    symlink("f", in_dir("link"));
    modes(fd);
    owners(fd);
    times(fd);
    close(fd);
    unlink(in_dir("f"));
    unlink(in_dir("link"));
    unlink(in_dir("new"));
    rmdir(dir);
    return 0;
}
