/*
 * program_file.h — a file of the VFS as the source of a program (execve).
 *
 * The path is walked as open() walks it (namei.h: relative to the working
 * directory, symbolic links followed), and the file must be one a program can be:
 * a regular file with an execute bit. Its bytes are then read on demand through
 * the file system (ext2_file_read), a piece at a time, by the ELF loader
 * (kernel/program_source.h).
 */
#ifndef KERNEL_FS_PROGRAM_FILE_H
#define KERNEL_FS_PROGRAM_FILE_H

#include "kernel/program_source.h"
#include "vfs.h"

/* Open path (relative to start, NULL: the root) to execute it: 0 and *src, which
 * holds a reference to the inode until program_file_close; or the errors of namei
 * (-ENOENT, -ENOTDIR, -ENAMETOOLONG, -ELOOP, -EIO), or -EACCES (a directory, a
 * device, or a file without any x bit: as Linux says even to root). */
int program_file_open(struct inode *start, const char *path, struct program_source *src);

/* Drop what program_file_open took (a source from elsewhere is left alone). */
void program_file_close(struct program_source *src);

#endif
