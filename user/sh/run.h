/*
 * run.h — carrying out a parsed command line: pipelines of programs and built-ins.
 */
#ifndef USER_SH_RUN_H
#define USER_SH_RUN_H

#include "command.h"

/* Run each pipeline of the line in turn (stopping early after `exit`), and say how
 * a pipeline's last program ended unless it succeeded ("exit status 3",
 * "killed by signal 11 (SIGSEGV)"). */
void run_line(struct command_line *line);

/* Ignore SIGTTOU, as a shell with job control does: it hands the terminal to each
 * job and takes it back from the background (the jobs get SIG_DFL again). */
void run_ignore_terminal_stops(void);

#endif
