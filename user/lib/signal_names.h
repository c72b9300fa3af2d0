/*
 * signal_names.h — the names of signals, for messages ("killed by signal 11 (SIGSEGV)").
 */
#ifndef USER_LIB_SIGNAL_NAMES_H
#define USER_LIB_SIGNAL_NAMES_H

/* "SIGSEGV" for 11; "SIGRTMIN+n" is not spelled out: signals 32..64 give "SIGRT",
 * anything else "?". */
const char *signal_name(int sig);

#endif
