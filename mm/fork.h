/*
 * fork.h — copying an address space, copy-on-write.
 */
#ifndef MM_FORK_H
#define MM_FORK_H

struct addr_space;

/* The child's address space for fork: the same regions; private pages shared
 * read-only with the parent (each side copies a page when it first writes it:
 * copy-on-write); MAP_SHARED pages shared for good. Nothing is copied now but
 * page tables. NULL if out of memory (the parent is unharmed). */
struct addr_space *as_fork(struct addr_space *parent);

#endif
