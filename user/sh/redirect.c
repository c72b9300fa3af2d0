/*
 * redirect.c — redirections: open, then move the file to its descriptor with dup2.
 */
#include "redirect.h"

#include "user/lib/errno_names.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define SAVED_FDS_FROM 10 /* saved copies live at 10 and above, out of the way of 0-9 */

/* The flags open() gets for each kind: '>' creates or truncates, '>>' creates or
 * keeps and appends, '<' only reads. O_CLOEXEC keeps the shell's own descriptor
 * out of the program; the dup2 copy at 0, 1 or 2 does not have the flag. */
static int open_flags(enum redirection_kind kind)
{
    switch (kind) {
    case REDIRECT_INPUT: return O_RDONLY | O_CLOEXEC;
    case REDIRECT_OUTPUT: return O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
    case REDIRECT_APPEND: return O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;
    default: return -1;
    }
}

/* Open r's file and put it at r->fd. 0 or -errno. */
static long redirect_to_file(const struct redirection *r)
{
    long file = sys_open(r->path, open_flags(r->kind), CREATED_FILE_MODE);
    if (file < 0)
        return file;
    if (file == r->fd) /* r->fd was closed, so open chose it: only drop O_CLOEXEC */
        return sys_fcntl((int)file, F_SETFD, 0);
    long result = sys_dup2((int)file, r->fd);
    sys_close((int)file);
    return result < 0 ? result : 0;
}

long redirect_apply(const struct command *command)
{
    for (int i = 0; i < command->redirection_count; i++) {
        const struct redirection *r = &command->redirections[i];
        long result;
        if (r->kind == REDIRECT_COPY) {
            result = sys_dup2(r->source_fd, r->fd);
            if (result < 0)
                dprintf(STDERR, "sh: %d: %s\n", r->source_fd, errno_text(result));
        } else {
            result = redirect_to_file(r);
            if (result < 0)
                dprintf(STDERR, "sh: %s: %s\n", r->path, errno_text(result));
        }
        if (result < 0)
            return result;
    }
    return 0;
}

static bool already_saved(const struct saved_fds *saved, int fd)
{
    for (int i = 0; i < saved->count; i++) {
        if (saved->fd[i] == fd)
            return true;
    }
    return false;
}

void redirect_save(const struct command *command, struct saved_fds *saved)
{
    saved->count = 0;
    for (int i = 0; i < command->redirection_count; i++) {
        int fd = command->redirections[i].fd;
        if (already_saved(saved, fd))
            continue;
        long copy = sys_fcntl(fd, F_DUPFD_CLOEXEC, SAVED_FDS_FROM);
        saved->fd[saved->count] = fd;
        saved->copy[saved->count] = copy < 0 ? -1 : (int)copy; /* -EBADF: fd was closed */
        saved->count++;
    }
}

void redirect_restore(struct saved_fds *saved)
{
    for (int i = saved->count - 1; i >= 0; i--) {
        if (saved->copy[i] < 0) {
            sys_close(saved->fd[i]);
            continue;
        }
        sys_dup2(saved->copy[i], saved->fd[i]);
        sys_close(saved->copy[i]);
    }
    saved->count = 0;
}
