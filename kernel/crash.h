/*
 * crash.h — crashing on purpose, to see what the kernel reports.
 */
#ifndef KERNEL_CRASH_H
#define KERNEL_CRASH_H

/* Run the crash named by kind (see crash.c); returns only if kind is unknown. */
void crash_run(const char *kind);

#endif
