/*
 * bad_access.h — one function per kind of forbidden memory access, shared by the
 * programs that show what happens then (crashtest, segv). Each faults, so it
 * never returns when called in a process of its own.
 */
#ifndef USER_LIB_BAD_ACCESS_H
#define USER_LIB_BAD_ACCESS_H

void bad_null_read(void);         /* read address 0: the first 4 MiB are never mapped */
void bad_null_write(void);        /* write address 0 */
void bad_write_text(void);        /* write our own code: text is R-X */
void bad_write_rodata(void);      /* write a constant: rodata is R-- */
void bad_exec_data(void);         /* call code placed in data: data is NX */
void bad_exec_stack(void);        /* call code placed on the stack: the stack is NX */
void bad_read_kernel(void);       /* read the kernel's memory at 0xffffffff80000000 */
void bad_read_noncanonical(void); /* read 0x8000000000000000, not an address at all (#GP) */
void bad_privileged(void);        /* execute hlt, a ring-0 instruction (#GP) */

#endif
