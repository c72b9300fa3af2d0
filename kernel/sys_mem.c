/*
 * sys_mem.c — system calls that change the address space: brk.
 */
#include "cpu.h"
#include "mm/brk.h"
#include "proc.h"
#include "syscall.h"

long sys_brk(struct syscall_args a)
{
    return (long)as_brk(current_proc()->as, a.arg[0]);
}
