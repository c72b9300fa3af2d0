/*
 * redirect.h — pointing a command's descriptors 0, 1, 2... at files.
 *
 *   wc -l < notes > count 2>>errors
 *
 * opens "notes" to read and puts it at descriptor 0, creates "count" (cut to
 * nothing if it exists) at 1, and opens "errors" at 2 to append. A program never
 * knows: it just reads 0 and writes 1 and 2. The open file lands on its number by
 * dup2(file, fd), and the first descriptor is closed.
 *
 * A program gets its redirections in its own process, between vfork and execve, so
 * the shell's own descriptors stay as they were. A built-in runs in the shell
 * itself, so the shell saves the descriptors it redirects first and puts them back
 * afterwards (redirect_save, redirect_restore).
 */
#ifndef USER_SH_REDIRECT_H
#define USER_SH_REDIRECT_H

#include "command.h"

/* Mode bits of a file created by '>' or '>>': rw for everyone, minus the umask
 * (the kernel applies it), as every shell does. */
#define CREATED_FILE_MODE 0666

/* Saved copies of descriptors, to put back after a built-in ran. */
struct saved_fds {
    int fd[MAX_REDIRECTIONS];   /* the descriptor that was redirected */
    int copy[MAX_REDIRECTIONS]; /* where it was saved, or -1 if it was not open */
    int count;
};

/* Apply the command's redirections in order (a later one wins: >a >b writes to b).
 * On failure prints "sh: FILE: No such file or directory" (or the error that
 * happened) to descriptor 2 as it stands, and returns the -errno; the
 * redirections before it stay applied. Returns 0 on success. */
long redirect_apply(const struct command *command);

/* Save every descriptor the command redirects (a copy above 9, closed on exec),
 * before redirect_apply in the shell's own process. */
void redirect_save(const struct command *command, struct saved_fds *saved);

/* Undo redirect_apply: put the saved descriptors back, close the copies. */
void redirect_restore(struct saved_fds *saved);

#endif
