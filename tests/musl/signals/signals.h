/*
 * signals.h — the parts of the signals test (main.c says what each checks) and the
 * helpers they share (common.c).
 */
#ifndef SIGNALS_H
#define SIGNALS_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sched.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define PAGE 4096

extern const char *self_path; /* argv[0]: the exec part runs it again */

/* Linux's kernel-internal sigaction (what rt_sigaction reads; not libc's). */
struct kernel_sigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    uint64_t mask;
};

/* common.c */
const char *yes(int condition);
const char *signal_name(int sig);
const char *code_name(int sig, int code);
const char *errno_name(int e);
void show(const char *what, long result);
void catch_with(int sig, void (*action)(int, siginfo_t *, void *), int flags);
void catch_plain(int sig, void (*handler)(int), int flags);
void in_own_process(const char *name, void (*part)(void));
void show_wait(const char *what, int status);
volatile int *shared_page(void);
void sleep_ms(long ms);
long raw_rt_sigaction(long sig, const void *act, void *old, long setsize);

/* The instruction probes (faults.c): each is one faulting instruction, then ret.
 * PROBE_end is the address just after the instruction. */
void probe_load(const volatile void *p);
void probe_store(volatile void *p);
void probe_ud2(void);
void probe_int3(void);
long probe_divide(long dividend, long divisor);
extern char probe_load_at[], probe_load_end[], probe_store_at[], probe_store_end[];
extern char probe_ud2_at[], probe_ud2_end[], probe_int3_at[], probe_int3_end[];
extern char probe_divide_at[], probe_divide_end[];

/* the parts, each run in a process of its own (main.c) */
void handlers_run(void);
void siginfo_fields(void);
void action_rules(void);
void kill_targets(void);
void page_faults(void);
void other_exceptions(void);
void fixing_faults(void);
void jumping_out(void);
void masks_in_handlers(void);
void pending_signals(void);
void mask_rules(void);
void altstack_rules(void);
void altstack_delivery(void);
void stack_overflow(void);
void sleeping_calls(void);
void interrupted_reads(void);
void child_signals(void);
void broken_pipe(void);
void registers_kept(void);
void bad_sigreturn(void);
void frame_layout(void);
void across_exec(void);
int after_exec(void);
void faults_in_handlers(void);
void altstack_nesting(void);
void waiting_for_signals(void);
void restarting_calls(void);
void single_step(void);
void vfork_and_signals(void);

#endif
