/*
 * mmap_file.h — the parts of mmap_file (main.c says what each checks) and the
 * helpers they share (common.c).
 */
#ifndef MMAP_FILE_H
#define MMAP_FILE_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE      4096
#define FILE_PAGE 5 /* pages in data.bin, the file most parts map */
#define TAIL_SIZE 5000
#define MIB       (1024 * 1024)

extern const char *self; /* argv[0]: the ETXTBSY part runs a copy of this program */

/* common.c */
const char *errno_name(int e);
void show(const char *what, long result);
void show_map(const char *what, void *p);
void yes_no(const char *what, int yes);
unsigned char pattern(uint64_t i);
void make_file(const char *name, long size);
int holds_pattern(const unsigned char *p, long offset, long len);
int all_zero(const unsigned char *p, long len);
int byte_at(const char *name, long offset);
long file_size(const char *name);
void *raw_mmap(void *addr, size_t len, int prot, int flags, int fd, long offset);
const char *signal_name(int s);
void in_child(const char *what, void (*step)(volatile unsigned char *),
              volatile unsigned char *arg);
void touch_read(volatile unsigned char *p);
void touch_write(volatile unsigned char *p);
long vmstat_value(const char *key);
pid_t start_hog(long spare_mib);

/* the parts of the main run, each run in a process of its own (main.c) */
void errors(void);
void contents(void);
void shared_writes(void);
void private_writes(void);
void write_through_mapping(void);
void split(void);
void forking(void);
void remapping(void);
void past_the_end(void);
void truncating(void);
void unlinked_and_sparse(void);
void dirty_entries(void);
void kernel_copies(void);
void msyncing(void);
void residency(void);
void advising(void);
void faults(void);
void text_busy(void);
void vmlab_only(void);

/* the other modes (reread.c) */
void big(long mib);
void sums(int on_vmlab);
void stores_on_a_full_disk(void); /* full_disk.c, a step of big */

#endif
