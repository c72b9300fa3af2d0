/*
 * exectest — execve: replacing a process's program with another one.
 *
 * execve(path, argv, envp) throws away the caller's memory and builds a fresh one
 * from the ELF file at path: new text, data and a zeroed bss, and a new stack holding
 * argv and envp (see lib/crt0.asm). It returns only if it failed, and then the caller
 * is untouched:
 *
 *   -ENOENT    no such file (checked before anything is allocated, so even when
 *              memory is short)
 *   -ENOMEM    not enough memory for the new program
 *   -ENOEXEC   a file that is not a valid executable (bad magic, wrong machine...)
 *   -EINVAL    a segment that cannot be loaded (Linux kills the caller instead)
 *   -EFAULT    path, argv or envp (or one of their strings) is not readable memory
 *
 * Usage:
 *   exectest [MALFORMED...]     the checks; each MALFORMED file must give -ENOEXEC
 *                               (default: /bin/bad-magic etc., skipped if missing)
 *   exectest --check ARGS...    (run by exectest) verify the argv and envp it was
 *                               given; exit 0 if they are exactly as sent
 *   exectest --true             (run by exectest) exit 0 at once
 *   exectest --each DIR NAME... run each DIR/NAME in turn and say how it ended, in a
 *                               line after its own output: "NAME: exit status 7",
 *                               "NAME: killed by signal 11 (SIGSEGV)" or
 *                               "NAME: error -8 (ENOEXEC)" (the ELF loader fuzzer,
 *                               tests/boot/elf-fuzz.sh, compares this with Linux)
 */
#include <stdbool.h>

#include "lib/string.h"
#include "user/lib/check.h"
#include "user/lib/env.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/spawn.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define LONG_ARGUMENT         3000 /* bytes in one argument */
#define MANY_ARGUMENTS        64
#define PRESSURE_FREE_FRAMES  8           /* frames left free: too few for execve's own buffers */
#define PRESSURE_MAX_BYTES    (1ul << 40) /* reserved (not touched) to fill memory from */
#define SWEEP_MAX_FREE_FRAMES 160         /* enough for execve of this program to succeed */
#define SWEEP_STEP_FRAMES     3
#define RECOUNT_RESERVE_BYTES (64 * PAGE_SIZE)

static char *self;

/* A variable in the bss: 0 in every freshly exec'd program, whatever its parent did. */
static long bss_marker;

/* ---- what the exec'd child checks ---- */

static char long_argument[LONG_ARGUMENT + 1];

static void make_long_argument(void)
{
    for (int i = 0; i < LONG_ARGUMENT; i++)
        long_argument[i] = (char)('a' + i % 26);
    long_argument[LONG_ARGUMENT] = '\0';
}

/* The argument vector the parent sends, and the one the child expects. */
static char *const sent_argv_tail[] = { "--check", "A", "B", "", "with space", NULL };
static char *const sent_envp[] = { "X=1", "Y=two words", NULL };

/* exit codes of --check: which property failed */
enum check_failure {
    ARGC_WRONG = 10,
    ARGV_WRONG,
    ARGV_NOT_TERMINATED,
    LONG_ARG_WRONG,
    ENVP_WRONG,
    ENVP_NOT_AFTER_ARGV,
    GETENV_WRONG,
    BSS_NOT_ZERO
};

static int check_mode(int argc, char **argv, char **envp)
{
    int tail = sizeof(sent_argv_tail) / sizeof(sent_argv_tail[0]) - 1;
    make_long_argument();
    if (argc != 1 + tail + 1)
        return ARGC_WRONG;
    for (int i = 0; i < tail; i++) {
        if (strcmp(argv[1 + i], sent_argv_tail[i]) != 0)
            return ARGV_WRONG;
    }
    if (strcmp(argv[argc - 1], long_argument) != 0)
        return LONG_ARG_WRONG;
    if (argv[argc] != NULL)
        return ARGV_NOT_TERMINATED;
    /* The System V layout: envp starts right after argv's NULL. */
    if (envp != argv + argc + 1)
        return ENVP_NOT_AFTER_ARGV;
    for (int i = 0; i < 3; i++) {
        if ((sent_envp[i] == NULL) != (envp[i] == NULL))
            return ENVP_WRONG;
        if (sent_envp[i] != NULL && strcmp(envp[i], sent_envp[i]) != 0)
            return ENVP_WRONG;
    }
    const char *y = getenv("Y");
    if (y == NULL || strcmp(y, "two words") != 0 || getenv("Z") != NULL)
        return GETENV_WRONG;
    if (bss_marker != 0)
        return BSS_NOT_ZERO;
    return 0;
}

/* ---- the parent's checks ---- */

static void check_argument_passing(void)
{
    check_section("execve passes argv and envp to the new program");
    char *argv[1 + 5 + 1 + 1] = { self };
    int n = 1;
    for (int i = 0; sent_argv_tail[i] != NULL; i++)
        argv[n++] = sent_argv_tail[i];
    make_long_argument();
    argv[n++] = long_argument;
    argv[n] = NULL;

    bss_marker = 1234; /* the child's copy must still be 0 */
    long status = run(self, argv, sent_envp);
    char text[60];
    describe_status(status, text, sizeof(text));
    EXPECT(status == 0,
           "%s --check A B \"\" \"with space\" <%d letters>, env X=1 \"Y=two words\":"
           " the child found all of it (%s)",
           self, LONG_ARGUMENT, text);
    EXPECT_RESULT(bss_marker, 1234, "our own memory is as we left it");

    char *many[MANY_ARGUMENTS + 3] = { self, "--many" };
    char numbers[MANY_ARGUMENTS][4];
    for (int i = 0; i < MANY_ARGUMENTS; i++) {
        snprintf(numbers[i], sizeof(numbers[i]), "%d", i);
        many[2 + i] = numbers[i];
    }
    many[2 + MANY_ARGUMENTS] = NULL;
    char *no_env[] = { NULL };
    status = run(self, many, no_env);
    EXPECT_RESULT(status, 0, "%d arguments and an empty environment arrive in order",
                  MANY_ARGUMENTS);
}

/* --many 0 1 2 ...: the numbers in order, and no environment. */
static int many_mode(int argc, char **argv, char **envp)
{
    if (argc != 2 + MANY_ARGUMENTS || envp[0] != NULL)
        return 1;
    for (int i = 0; i < MANY_ARGUMENTS; i++) {
        char expected[4];
        snprintf(expected, sizeof(expected), "%d", i);
        if (strcmp(argv[2 + i], expected) != 0)
            return 2;
    }
    return 0;
}

static void check_missing(void)
{
    check_section("execve of files that do not exist");
    char *argv[] = { "/bin/no-such-program", NULL };
    EXPECT_RESULT(spawn_exact("/bin/no-such-program", argv, environ), -ENOENT,
                  "/bin/no-such-program: -ENOENT");
    EXPECT_RESULT(spawn_exact("", argv, environ), -ENOENT, "the empty path: -ENOENT");
    /* Directly in this process, not in a vfork child: a failed execve returns. */
    bss_marker = 99;
    EXPECT_RESULT(sys_execve("/bin/no-such-program", argv, environ), -ENOENT,
                  "called by this process itself: it returns -ENOENT");
    EXPECT_RESULT(bss_marker, 99, "and the process carries on with its memory intact");
}

/* Touch pages of region until at most PRESSURE_FREE_FRAMES frames are free,
 * never more at a time than half of what is left (page tables need frames too).
 * Returns the bytes touched. */
static size_t fill_memory(char *region)
{
    size_t touched = 0;
    struct vmlab_vmstat s;
    while (vmstat_read(&s) && s.free_frames > PRESSURE_FREE_FRAMES) {
        size_t batch = (s.free_frames - PRESSURE_FREE_FRAMES + 1) / 2;
        for (size_t i = 0; i < batch && touched < PRESSURE_MAX_BYTES; i++, touched += PAGE_SIZE)
            region[touched] = 1;
    }
    return touched;
}

/* The pages at reserve are given back while a child is reaped and touched again
 * after: the kernel's memory check at each reap needs room for its recount. */
static void touch_pages(char *start, size_t bytes)
{
    for (size_t i = 0; i < bytes; i += PAGE_SIZE)
        start[i] = 1;
}

/* One execve of this program (--true) in a vfork child with memory short. True if
 * it ended as it may: refused with -ENOMEM, or run and exited 0, or the new
 * program killed by the kernel for want of memory. *ran says whether it ran;
 * -1 in *ran if vfork itself found no memory. */
static bool exec_when_short(char *reserve, int *ran)
{
    char *true_argv[] = { self, "--true", NULL };
    volatile long exec_error = 0; /* written by the child: vfork shares our memory */
    long pid = sys_vfork();
    if (pid == 0) {
        exec_error = sys_execve(self, true_argv, environ);
        sys_exit(EXIT_EXEC_FAILED);
    }
    if (pid < 0) {
        *ran = -1;
        return pid == -ENOMEM || pid == -EAGAIN;
    }
    sys_madvise(reserve, RECOUNT_RESERVE_BYTES, MADV_DONTNEED);
    long result = wait_for(pid);
    touch_pages(reserve, RECOUNT_RESERVE_BYTES);
    if (exec_error != 0)
        result = exec_error;
    *ran = result >= 0;
    if (result == -ENOMEM || result == 0 || (result > 0 && WTERMSIG(result) == SIGKILL))
        return true;
    char text[60];
    describe_status(result, text, sizeof(text));
    printf("  execve with memory short: %s\n", text);
    return false;
}

/* With memory filled up to region + touched, give pages back a few frames at a
 * time and try execve at each step: every attempt fails cleanly (-ENOMEM, the
 * caller intact) or runs, from where it fails at its first allocation through
 * failures in the middle of loading to where it succeeds. */
static void sweep_free_memory(char *region, size_t touched)
{
    unsigned refused = 0, ran_count = 0, no_vfork = 0, bad = 0;
    struct vmlab_vmstat s;
    char *reserve = region + touched - RECOUNT_RESERVE_BYTES;
    touched -= RECOUNT_RESERVE_BYTES;
    while (vmstat_read(&s) && s.free_frames < SWEEP_MAX_FREE_FRAMES && touched > 0) {
        int ran;
        if (!exec_when_short(reserve, &ran))
            bad++;
        ran < 0 ? no_vfork++ : ran ? ran_count++ : refused++;
        size_t give_back =
            SWEEP_STEP_FRAMES * PAGE_SIZE < touched ? SWEEP_STEP_FRAMES * PAGE_SIZE : touched;
        touched -= give_back;
        sys_munmap(region + touched, give_back);
    }
    printf("  (%u times vfork found no memory)\n", no_vfork);
    EXPECT(bad == 0 && refused > 0 && ran_count > 0,
           "execve as free memory grows %d frames at a time: %u refused with -ENOMEM, then %u "
           "ran, %u ended otherwise",
           SWEEP_STEP_FRAMES, refused, ran_count, bad);
}

static void check_missing_under_memory_pressure(void)
{
    check_section("execve of a missing file when memory is short: -ENOENT first");
    if (!vmstat_available()) {
        printf("  skipped: this kernel does not say how much memory is free\n");
        return;
    }
    char *region = (char *)sys_mmap(NULL, PRESSURE_MAX_BYTES, PROT_READ | PROT_WRITE,
                                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if ((long)region < 0) {
        EXPECT(false, "mmap of the region to fill memory from: %s", errno_name((long)region));
        return;
    }
    size_t touched = fill_memory(region);
    struct vmlab_vmstat s;
    vmstat_read(&s);
    char *argv[] = { "/bin/no-such-program", NULL };
    long missing = sys_execve("/bin/no-such-program", argv, environ);
    char *self_argv[] = { self, "--never-run", NULL };
    long existing = sys_execve(self, self_argv, environ);
    printf("  (%zu MiB touched, %lu frames left free)\n", touched >> 20,
           (unsigned long)s.free_frames);
    EXPECT_RESULT(missing, -ENOENT,
                  "/bin/no-such-program: the file is looked up before "
                  "anything is allocated");
    EXPECT_RESULT(existing, -ENOMEM, "%s itself: -ENOMEM, and this process carries on", self);
    sweep_free_memory(region, touched);
    sys_munmap(region, PRESSURE_MAX_BYTES);
}

static void check_bad_pointers(void)
{
    check_section("execve with pointers the kernel cannot read: -EFAULT");
    char *good_argv[] = { self, "--never-run", NULL };
    char *bad_string_argv[] = { self, BAD_POINTER_UNMAPPED, NULL };
    char *bad_string_envp[] = { "X=1", BAD_POINTER_KERNEL, NULL };

    EXPECT_RESULT(spawn_exact(BAD_POINTER_NULL_PAGE, good_argv, environ), -EFAULT,
                  "path (void *)8");
    EXPECT_RESULT(spawn_exact(BAD_POINTER_KERNEL, good_argv, environ), -EFAULT,
                  "path in kernel memory");
    EXPECT_RESULT(spawn_exact(self, BAD_POINTER_NULL_PAGE, environ), -EFAULT,
                  "argv (void *)8 (the file itself exists)");
    EXPECT_RESULT(spawn_exact(self, bad_string_argv, environ), -EFAULT,
                  "argv[1] pointing to unmapped memory");
    EXPECT_RESULT(spawn_exact(self, good_argv, BAD_POINTER_UNMAPPED), -EFAULT,
                  "envp pointing to unmapped memory");
    EXPECT_RESULT(spawn_exact(self, good_argv, bad_string_envp), -EFAULT,
                  "envp[1] pointing into the kernel");

    /* A path whose bytes run into the unmapped page before any terminating zero. */
    char *edge = image_last_bytes(4);
    memcpy(edge, "/bin", 4);
    EXPECT_RESULT(spawn_exact(edge, good_argv, environ), -EFAULT,
                  "a path running off the end of mapped memory");
}

/* The malformed files tests/elf/make-malformed builds, and what execve must say. */
static const struct {
    char *path;
    long error;
} malformed[] = {
    { "/bin/bad-magic", -ENOEXEC },
    { "/bin/bad-machine", -ENOEXEC },
    { "/bin/bad-type", -ENOEXEC },
    { "/bin/bad-phentsize", -ENOEXEC },
    { "/bin/truncated", -ENOEXEC },
    { "/bin/empty", -ENOEXEC },
    /* Linux passes its point of no return with this one and kills the caller
     * (SIGSEGV); vmlab refuses it before, with -EINVAL, caller intact. */
    { "/bin/kernel-segment", -EINVAL },
};

static void check_malformed(int count, char **paths)
{
    check_section("execve of files that are not valid executables fails cleanly");
    if (count > 0) { /* files named on the command line: all must be -ENOEXEC */
        for (int i = 0; i < count; i++) {
            char *argv[] = { paths[i], NULL };
            EXPECT_RESULT(spawn_exact(paths[i], argv, environ), -ENOEXEC, "%s", paths[i]);
        }
        return;
    }
    for (unsigned i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        char *argv[] = { malformed[i].path, NULL };
        long result = spawn_exact(malformed[i].path, argv, environ);
        if (result == -ENOENT) {
            printf("  skipped: %s is not installed\n", malformed[i].path);
            continue;
        }
        EXPECT_RESULT(result, malformed[i].error, "%s", malformed[i].path);
    }
}

/* --each DIR NAME...: the outcome of each DIR/NAME, run with an empty environment
 * and argv holding just its path. Always exits 0: the lines are the result. */
static int each_mode(int count, char **words)
{
    char *no_env[] = { NULL };
    for (int i = 1; i < count; i++) {
        char path[256];
        snprintf(path, sizeof(path), "%s/%s", words[0], words[i]);
        char *argv[] = { path, NULL };
        printf("== %s\n", words[i]);
        long result = spawn_exact(path, argv, no_env);
        if (result > 0)
            result = wait_for(result);
        char text[60];
        describe_status(result, text, sizeof(text));
        printf("%s: %s\n", words[i], text);
    }
    return 0;
}

int main(int argc, char **argv, char **envp)
{
    self = argv[0];
    if (argc >= 2 && strcmp(argv[1], "--check") == 0)
        return check_mode(argc, argv, envp);
    if (argc >= 2 && strcmp(argv[1], "--many") == 0)
        return many_mode(argc, argv, envp);
    if (argc >= 2 && strcmp(argv[1], "--true") == 0)
        return 0;
    if (argc >= 2 && strcmp(argv[1], "--each") == 0)
        return each_mode(argc - 2, argv + 2);
    if (argc >= 2 && argv[1][0] == '-') {
        dprintf(STDERR, "usage: %s [MALFORMED-EXECUTABLE...]\n", self);
        return 2;
    }

    printf("exectest: execve replaces a process's program\n");
    check_argument_passing();
    check_missing();
    check_missing_under_memory_pressure();
    check_bad_pointers();
    check_malformed(argc - 1, argv + 1);
    return check_summary("exectest");
}
