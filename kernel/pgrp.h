/*
 * pgrp.h — process groups and sessions, the units of job control.
 *
 *   session 1 (leader: init, pid 1; its controlling terminal: the console)
 *   ├── group 1  init, the shell                    (the shell's own group)
 *   ├── group 7  cat notes | grep vm                 (a job: one group per pipeline)
 *   └── group 9  cowtest &                           (a job in the background)
 *
 * A shell puts each job in a group of its own (setpgid) and tells the terminal
 * which one is in the foreground (tcsetpgrp: the TIOCSPGRP ioctl, kernel/tty.c).
 * Ctrl-C then interrupts the whole foreground job and nothing else: the terminal
 * sends SIGINT to its foreground group. A session is a login: setsid starts a new
 * one, without a terminal, whose leader may then take one (TIOCSCTTY).
 *
 * The kernel starts init as the leader of session 1 and group 1, with the console
 * as its controlling terminal, as a login would have left it (Linux's init starts
 * in session 0 without a terminal, and its getty or shell sets this up). fork
 * copies the group and session; ids stay in use while any member, a zombie too,
 * is in the process table.
 */
#ifndef KERNEL_PGRP_H
#define KERNEL_PGRP_H

#include <stdbool.h>

struct proc;
struct signal_info;

/* Make p, the first process, the leader of session 1 and group 1, with the console
 * as its controlling terminal. */
void pgrp_init_first(struct proc *p);

/* child joins parent's group and session (fork, vfork, clone). */
void pgrp_inherit(struct proc *child, const struct proc *parent);

/* Is there a process in group pgid (and in session sid, unless sid is 0)? */
bool pgrp_exists(int pgid, int sid);

/* Is group pgid orphaned (POSIX): has no live member a parent outside the group
 * but in its session (init does not count), which could continue it after a stop? */
bool pgrp_orphaned(int pgid);

/* Send sig to every process of group pgid (init only a signal it handles, as
 * kill does), with the siginfo info (NULL: SI_KERNEL, the terminal's keys). Safe
 * in an interrupt handler. False if the group is empty. */
bool pgrp_signal(int pgid, int sig, const struct signal_info *info);

/* p is exiting: if it leads the session that owns the console, the console is
 * hung up (SIGHUP and SIGCONT to its foreground group) and belongs to nobody. */
void pgrp_exit(struct proc *p);

#endif
