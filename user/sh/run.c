/*
 * run.c — running a pipeline: pipes, one process per stage, waiting for them all.
 *
 *   $ cat notes | grep vm | wc -l
 *
 *      cat ──pipe A──▶ grep ──pipe B──▶ wc        the shell waits for all three
 *     fd 1 = A[1]    fd 0 = A[0]      fd 0 = B[0]   and reports wc's status, as
 *                    fd 1 = B[1]                    sh does
 *
 * The shell makes pipe A, starts cat with its output on A's write end, closes its
 * own copy of that end, makes pipe B, starts grep between them, and so on. Every
 * pipe is made with O_CLOEXEC: a program keeps only the copies dup2 put at 0 and 1,
 * so when cat exits the last write end of A is closed and grep reads end-of-file.
 * (A stray copy of a write end left in any process would make the reader wait for
 * ever.) A program starts with vfork + execve; a built-in in a pipeline runs in a
 * fork of the shell; a built-in alone runs in the shell itself, so that cd works.
 *
 * Job control: the processes of a pipeline form a process group of their own (named
 * by the first one's pid), which the shell makes the terminal's foreground group
 * while it waits, and takes back after. Ctrl-C then interrupts the job, not the
 * shell (kernel/pgrp.h). Taking it back happens from the background, where the
 * terminal would stop the shell with SIGTTOU: the shell ignores SIGTTOU.
 */
#include "run.h"

#include <stdbool.h>

#include "builtins.h"
#include "redirect.h"
#include "user/lib/env.h"
#include "user/lib/errno_names.h"
#include "user/lib/spawn.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define EXIT_NOT_FOUND   127 /* sh's status for a command not found */
#define EXIT_CANNOT_EXEC 126 /* found, but execve refused it */
#define NO_FD            (-1)

/* A stage's place in the pipeline: the descriptors it gets as 0 and 1 (NO_FD: the
 * shell's own), and the one pipe end it must not keep (the next stage's input). */
struct plumbing {
    int input, output, spare;
};

/* What the shell knows of a started stage. */
struct stage {
    long pid; /* or -errno if it could not be started */
    bool is_program;
    /* Set by a child that already said why it failed (no such program, a bad
     * redirection): written in the child, read by the shell, one variable in the
     * memory vfork shares. Then the shell adds no "exit status 127" of its own. */
    volatile bool explained;
};

static void close_if_open(int fd)
{
    if (fd != NO_FD)
        sys_close(fd);
}

/* In the child: put the pipe ends at 0 and 1, then close the originals. */
static void connect_plumbing(const struct plumbing *plumbing)
{
    if (plumbing->input != NO_FD)
        sys_dup2(plumbing->input, STDIN);
    if (plumbing->output != NO_FD)
        sys_dup2(plumbing->output, STDOUT);
    close_if_open(plumbing->input);
    close_if_open(plumbing->output);
    close_if_open(plumbing->spare);
}

/* The terminal's foreground becomes group job. Errors are ignored: input may not
 * be a terminal. */
static void give_terminal_to(long job)
{
    int group = (int)job;
    sys_ioctl(STDIN, TIOCSPGRP, &group);
}

/* Set what sig does (SIG_DFL or SIG_IGN). */
static void set_signal_action(int sig, signal_handler_t handler)
{
    struct k_sigaction action = { .handler = handler };
    sys_rt_sigaction(sig, &action, NULL, SIGSET_SIZE);
}

void run_ignore_terminal_stops(void)
{
    set_signal_action(SIGTTOU, SIG_IGN);
}

/* In the child: join the pipeline's group; the first stage (job 0) starts it and
 * takes the terminal. The shell does both too: whichever runs first, the job is in
 * the foreground before the program can read the terminal or be interrupted.
 * SIGTTOU, which the shell ignores, is the program's to decide again. */
static void join_job(long job)
{
    sys_setpgid(0, (int)job);
    if (job == 0)
        give_terminal_to(sys_getpid());
    set_signal_action(SIGTTOU, SIG_DFL);
}

/* The child of a vfork, still in the shell's memory: set up its descriptors and
 * become the program. Never returns. */
static __attribute__((noreturn)) void become_program(struct command *command,
                                                     const struct plumbing *plumbing,
                                                     struct stage *stage, long job)
{
    join_job(job);
    connect_plumbing(plumbing);
    if (redirect_apply(command) < 0) {
        stage->explained = true;
        sys_exit(1);
    }
    const char *name = command->words[0];
    long error = exec_search(name, command->words, environ);
    /* Still here: execve failed. Say so on this stage's own descriptor 2. */
    if (error == -ENOENT)
        dprintf(STDERR, "sh: %s: not found\n", name);
    else
        dprintf(STDERR, "sh: %s: cannot run it: %s\n", name, errno_name(error));
    stage->explained = true;
    sys_exit(error == -ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}

/* A built-in in a pipeline: it runs in a fork of the shell, which exits with its
 * status. (fork, not vfork: the built-in runs shell code and may fill a pipe and
 * wait, while a vforked parent could not start the reader.) */
static long start_builtin(builtin_fn builtin, struct command *command,
                          const struct plumbing *plumbing, long job)
{
    long pid = sys_fork();
    if (pid != 0)
        return pid;
    join_job(job);
    connect_plumbing(plumbing);
    int status = 1;
    if (redirect_apply(command) == 0)
        status = builtin != NULL ? builtin(command->word_count, command->words) : 0;
    sys_exit_group(status);
}

/* Start one stage in process group job (0: a new one, named by its pid); fill in
 * *stage. A command of only redirections ("> file") counts as a built-in that
 * does nothing. */
static void start_stage(struct command *command, const struct plumbing *plumbing,
                        struct stage *stage, long job)
{
    builtin_fn builtin = command->word_count > 0 ? builtin_find(command->words[0]) : NULL;
    stage->explained = false;
    stage->is_program = command->word_count > 0 && builtin == NULL;
    if (!stage->is_program) {
        stage->pid = start_builtin(builtin, command, plumbing, job);
    } else {
        long pid = sys_vfork();
        if (pid == 0)
            become_program(command, plumbing, stage, job);
        stage->pid = pid;
    }
    if (stage->pid > 0)
        sys_setpgid((int)stage->pid, (int)(job != 0 ? job : stage->pid)); /* both sides */
}

/* Wait for every started stage; return the last one's wait status. */
static long wait_for_stages(struct stage *stages, int count)
{
    long status = 0;
    for (int i = 0; i < count; i++)
        status = stages[i].pid < 0 ? stages[i].pid : wait_for(stages[i].pid);
    return status;
}

/* Tell how the pipeline's last program ended, unless it succeeded or its child
 * already said why it failed. */
static void report_status(const struct stage *last, long status)
{
    if (!last->is_program || last->explained || status == 0)
        return;
    char text[60];
    describe_status(status, text, sizeof(text));
    dprintf(STDERR, "%s\n", text);
}

/* A built-in alone, in the shell's own process: save, redirect, run, restore. */
static void run_builtin_here(builtin_fn builtin, struct command *command)
{
    struct saved_fds saved;
    redirect_save(command, &saved);
    if (redirect_apply(command) == 0 && builtin != NULL)
        builtin(command->word_count, command->words);
    redirect_restore(&saved);
}

/* ASSIGNMENT(pipeline): connect the stages with pipes, start them all, wait. */
static void run_pipeline(struct pipeline *pipeline)
{
    struct command *first = &pipeline->stages[0];
    builtin_fn builtin = first->word_count > 0 ? builtin_find(first->words[0]) : NULL;
    if (pipeline->stage_count == 1 && (builtin != NULL || first->word_count == 0)) {
        run_builtin_here(builtin, first);
        return;
    }
    struct stage stages[MAX_STAGES];
    int started = 0;
    int input = NO_FD; /* the read end of the pipe from the stage before */
    for (int i = 0; i < pipeline->stage_count; i++) {
        int pipe_fds[2] = { NO_FD, NO_FD };
        bool last = i == pipeline->stage_count - 1;
        long error = last ? 0 : sys_pipe2(pipe_fds, O_CLOEXEC);
        if (error < 0) {
            dprintf(STDERR, "sh: pipe: %s\n", errno_text(error));
            break;
        }
        struct plumbing plumbing = { input, pipe_fds[1], pipe_fds[0] };
        long job = started > 0 ? stages[0].pid : 0;
        start_stage(&pipeline->stages[i], &plumbing, &stages[started], job);
        started++;
        if (started == 1 && stages[0].pid > 0)
            give_terminal_to(stages[0].pid);
        /* The shell keeps neither end it handed over; only the next stage's input. */
        close_if_open(input);
        close_if_open(pipe_fds[1]);
        input = pipe_fds[0];
        if (stages[started - 1].pid < 0) {
            dprintf(STDERR, "sh: cannot start a process: %s\n",
                    errno_text(stages[started - 1].pid));
            break;
        }
    }
    close_if_open(input);
    long status = wait_for_stages(stages, started);
    give_terminal_to(sys_getpgrp()); /* the shell's own group again */
    if (started == pipeline->stage_count)
        report_status(&stages[started - 1], status);
}

void run_line(struct command_line *line)
{
    for (int i = 0; i < line->pipeline_count && !exit_requested; i++)
        run_pipeline(&line->pipelines[i]);
}
