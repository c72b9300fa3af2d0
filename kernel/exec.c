/*
 * exec.c — loading a program into a fresh address space and entering it.
 *
 * execve builds the new address space completely before touching the old one:
 * map every PT_LOAD segment, map the stack, lay out argc/argv/envp/auxv on it.
 * Only if all of that worked does the process switch over and free its old
 * memory, so a failed execve returns an error to a caller that is still intact.
 * (Linux passes a point of no return before it maps the segments, and a segment
 * it cannot map kills the caller; kernel/elf.c checks every segment first, and
 * such a file gets -EINVAL here.)
 *
 * The segments are mapped in the order of the program headers, each as Linux's
 * loader maps it, so that a program sees the same memory here as there. A later
 * segment replaces the pages of an earlier one it overlaps (MAP_FIXED):
 *
 *   page_start(vaddr)  vaddr       vaddr+filesz    page_align(..)   vaddr+memsz
 *   |                  |           |               |                |
 *   [ file pages: the segment's rights             ][ .bss pages: read-write  ]
 *
 *   - a file page holds what a file mapping shows: the file's bytes before vaddr
 *     and after filesz too (those after filesz are zeroed only if the segment is
 *     writable and has a .bss), zeros past the end of the file;
 *   - the .bss pages are demand-zero and read-write (executable if the segment
 *     is), whatever the segment's flags: Linux maps them as it maps brk memory;
 *   - a segment with filesz 0 is all .bss, one with memsz 0 maps nothing.
 *
 * Where the program comes from (program_source.h): a boot module /bin/NAME if
 * there is one -- tests/run-elf boots the program under test so, and it wins over
 * a /bin/NAME on the disk -- else the file the path names in the VFS, found from
 * the working directory as open() finds it. Either way the loader only asks for
 * "n bytes at this offset": the header, the program headers, then each segment
 * a page at a time, straight into the frames of the new address space.
 *
 * The initial stack, as the System V x86-64 ABI lays it out (top of memory up):
 *
 *   RSP ->  argc
 *           argv[0] ... argv[argc-1], NULL
 *           envp[0] ... NULL
 *           auxv: (AT_PHDR, addr) (AT_PAGESZ, 4096) ... (AT_NULL, 0)
 *           padding, 16 random bytes (AT_RANDOM), the strings themselves
 *   USER_STACK_TOP
 */
#include "exec.h"

#include "bootfs.h"
#include "clone.h"
#include "cpu.h"
#include "elf.h"
#include "errno.h"
#include "fs/fdtable.h"
#include "fs/mount.h"
#include "fs/namei.h"
#include "fs/inode.h"
#include "fs/procfs/paths.h"
#include "fs/procfs/procfs.h"
#include "fs/program_file.h"
#include "fs/vfs.h"
#include "gdt.h"
#include "lib/string.h"
#include "mm/as.h"
#include "mm/fault.h"
#include "mm/kheap.h"
#include "mm/mmap.h"
#include "mm/uaccess.h"
#include "mm/vma.h"
#include "pgrp.h"
#include "printk.h"
#include "proc.h"
#include "program_source.h"
#include "random.h"
#include "rlimit.h"
#include "sched.h"
#include "syscall.h"
#include "x86.h"

#define USER_STACK_INITIAL (128ul << 10) /* the stack region at exec; it grows on demand */
/* Segments end below the room the stack may grow into, and its guard gap. */
#define SEGMENT_END            (USER_STACK_TOP - USER_STACK_LIMIT - USER_STACK_GUARD_GAP)
#define STACK_ALIGN            16  /* the ABI wants RSP 16-byte aligned at the entry point */
#define AT_RANDOM_BYTES        16  /* for the C library (stack protector, pointer guard) */
#define USER_HZ                100 /* clock ticks per second, as Linux reports them (AT_CLKTCK) */
#define CALLEE_SAVED_REGISTERS 6   /* rbp, rbx, r12 .. r15: what context_switch pops */

/* The auxiliary vector's entries: a type and a value. Linux's numbers. */
enum auxv_type {
    AT_NULL = 0,
    AT_PHDR = 3,
    AT_PHENT = 4,
    AT_PHNUM = 5,
    AT_PAGESZ = 6,
    AT_BASE = 7,
    AT_FLAGS = 8,
    AT_ENTRY = 9,
    AT_UID = 11,
    AT_EUID = 12,
    AT_GID = 13,
    AT_EGID = 14,
    AT_CLKTCK = 17,
    AT_SECURE = 23,
    AT_RANDOM = 25,
    AT_EXECFN = 31,
};
struct auxv_entry {
    uint64_t type, value;
};
#define AUXV_ENTRY_WORDS (sizeof(struct auxv_entry) / sizeof(uint64_t))

int exec_args_add(struct exec_args *args, const char *s, int is_env)
{
    size_t len = strlen(s) + 1;
    int *count = is_env ? &args->envc : &args->argc;
    if (*count + 1 >= EXEC_MAX_ARGS || len > EXEC_MAX_STRINGS - args->used)
        return -E2BIG;
    char *copy = &args->strings[args->used];
    memcpy(copy, s, len);
    args->used += len;
    (is_env ? args->envp : args->argv)[(*count)++] = copy;
    return 0;
}

/* ---- writing into the new address space (not the current one) ---- */

/* Copy n bytes to va in as, whose region must exist. 0, or -ENOMEM if a page
 * could not get a frame. */
static int put_bytes(struct addr_space *as, vaddr_t va, const void *src, size_t n)
{
    const uint8_t *s = src;
    while (n > 0) {
        uint8_t *dst = as_kernel_pointer(as, va);
        if (dst == NULL)
            return -ENOMEM;
        size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        chunk = chunk < n ? chunk : n;
        memcpy(dst, s, chunk);
        va += chunk;
        s += chunk;
        n -= chunk;
    }
    return 0;
}

/* ---- segments ---- */

/* The segment's rights as PROT_* bits. */
static int segment_prot(const struct elf64_phdr *ph)
{
    return ((ph->flags & ELF_PF_R) ? PROT_READ : 0) | ((ph->flags & ELF_PF_W) ? PROT_WRITE : 0) |
           ((ph->flags & ELF_PF_X) ? PROT_EXEC : 0);
}

/* Map [start, end) afresh, replacing whatever an earlier segment mapped there,
 * as Linux's loader does with MAP_FIXED. Nothing to do for an empty range.
 * 0 or -ENOMEM. */
static int map_fresh(struct addr_space *as, vaddr_t start, vaddr_t end, int prot)
{
    if (start >= end)
        return 0;
    long result = mm_mmap(as, start, end - start, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    return result < 0 ? (int)result : 0;
}

/* Fill n bytes at va with zeros. */
static int put_zeros(struct addr_space *as, vaddr_t va, size_t n)
{
    static const uint8_t zeros[PAGE_SIZE];
    while (n > 0) {
        size_t chunk = n < sizeof zeros ? n : sizeof zeros;
        int error = put_bytes(as, va, zeros, chunk);
        if (error != 0)
            return error;
        va += chunk;
        n -= chunk;
    }
    return 0;
}

/* Give the page at va of a private file mapping its own copy of the file's page,
 * as a write by the program would (the fault handler's copy): the loader may then
 * write into it without touching the page cache. 0, -ENOMEM or -EIO. */
static int copy_file_page(struct addr_space *as, vaddr_t va)
{
    struct fault_info write = { .address = va, .access = FAULT_WRITE, .user_mode = true };
    enum fault_result result = mm_handle_fault(as, &write, NULL).result;
    if (result == FAULT_RESOLVED)
        return 0;
    return result == FAULT_OUT_OF_MEMORY ? -ENOMEM : -EIO;
}

/* ASSIGNMENT(exec-map): the part of a segment that comes from the file: its whole
 * pages, a private mapping of the file (MAP_PRIVATE | MAP_FIXED, as Linux's
 * loader does) from the page-aligned offset on -- the bytes before vaddr and after
 * filesz included. Nothing is read now: each page comes from the page cache on
 * first touch, and is copied only when written (.data). If the segment has a .bss
 * and is writable, the rest of its last file page is zeroed in a private copy of
 * that page (a read-only one keeps the file's bytes there, as on Linux). */
static int load_file_part(struct addr_space *as, const struct elf_image *img,
                          const struct elf64_phdr *ph, vaddr_t vaddr)
{
    vaddr_t start = align_down(vaddr, PAGE_SIZE);
    vaddr_t end = align_up(vaddr + ph->filesz, PAGE_SIZE);
    uint64_t from = ph->offset - (vaddr - start); /* page-aligned: elf_check saw to that */
    struct mmap_source source = { .object = img->source->object, .pgoff = from / PAGE_SIZE };
    long mapped =
        mm_mmap_object(as, start, end - start, segment_prot(ph), MAP_PRIVATE | MAP_FIXED, &source);
    if (mapped < 0)
        return (int)mapped;
    vaddr_t bss = vaddr + ph->filesz;
    if (ph->memsz == ph->filesz || !(ph->flags & ELF_PF_W) || bss == end)
        return 0;
    int error = copy_file_page(as, bss);
    return error != 0 ? error : put_zeros(as, bss, end - bss);
}

/* The rest of a segment, its .bss: pages of zeros that appear on first use.
 * Linux maps them as it maps the brk heap, read-write whatever the segment's
 * flags say (and executable if the segment is), and so do we. */
static int load_bss_part(struct addr_space *as, const struct elf64_phdr *ph, vaddr_t vaddr)
{
    vaddr_t start =
        ph->filesz > 0 ? align_up(vaddr + ph->filesz, PAGE_SIZE) : align_down(vaddr, PAGE_SIZE);
    vaddr_t end = align_up(vaddr + ph->memsz, PAGE_SIZE);
    int prot = PROT_READ | PROT_WRITE | ((ph->flags & ELF_PF_X) ? PROT_EXEC : 0);
    return ph->memsz > ph->filesz ? map_fresh(as, start, end, prot) : 0;
}

/* ASSIGNMENT(elf_load): load one PT_LOAD (Linux: elf_load) as the top of this file
 * draws it. A later segment replaces the pages of an earlier one it overlaps, and a
 * segment with memsz 0 maps nothing. */
static int load_segment(struct addr_space *as, const struct elf_image *img,
                        const struct elf64_phdr *ph)
{
    vaddr_t vaddr = ph->vaddr + img->bias;
    int error = ph->filesz > 0 ? load_file_part(as, img, ph, vaddr) : 0;
    return error != 0 ? error : load_bss_part(as, ph, vaddr);
}

/* Every PT_LOAD in the order of the table; the heap starts after the highest. */
static int load_segments(struct addr_space *as, const struct elf_image *img)
{
    vaddr_t highest = 0;
    for (unsigned i = 0; i < img->header.phnum; i++) {
        struct elf64_phdr ph = elf_phdr(img, i);
        if (ph.type != ELF_PT_LOAD)
            continue;
        int error = load_segment(as, img, &ph);
        if (error != 0)
            return error;
        if (ph.vaddr + img->bias + ph.memsz > highest)
            highest = ph.vaddr + img->bias + ph.memsz;
    }
    as->brk_start = as->brk = align_up(highest, PAGE_SIZE);
    return 0;
}

/* ---- the stack ---- */

/* Where build_stack put the strings, for the vectors that point at them. */
struct stack_strings {
    uint64_t argv[EXEC_MAX_ARGS], envp[EXEC_MAX_ARGS];
    uint64_t execfn; /* the path, for AT_EXECFN */
    uint64_t random; /* AT_RANDOM's bytes */
};

/* Copy strings just below *top, recording their user addresses. 0 or -ENOMEM. */
static int put_strings(struct addr_space *as, vaddr_t *top, const char *const *strings, int n,
                       uint64_t *addresses)
{
    for (int i = n - 1; i >= 0; i--) {
        size_t len = strlen(strings[i]) + 1;
        *top -= len;
        addresses[i] = *top;
        int error = put_bytes(as, *top, strings[i], len);
        if (error != 0)
            return error;
    }
    return 0;
}

/* The strings at the top of the stack: the path, the environment, the arguments,
 * then AT_RANDOM's bytes. *top ends below them, aligned. 0 or -ENOMEM. */
static int put_stack_strings(struct addr_space *as, const struct exec_args *args, vaddr_t *top,
                             struct stack_strings *at)
{
    const char *path = args->path;
    int error = put_strings(as, top, &path, 1, &at->execfn);
    if (error == 0)
        error = put_strings(as, top, args->envp, args->envc, at->envp);
    if (error == 0)
        error = put_strings(as, top, args->argv, args->argc, at->argv);
    if (error != 0)
        return error;
    uint8_t random[AT_RANDOM_BYTES];
    random_bytes(random, sizeof random);
    *top = align_down(*top - sizeof random, STACK_ALIGN);
    at->random = *top;
    return put_bytes(as, at->random, random, sizeof random);
}

/* Put n words at *at and move *at past them. 0 or -ENOMEM. */
static int put_words(struct addr_space *as, vaddr_t *at, const uint64_t *words, size_t n)
{
    int error = put_bytes(as, *at, words, n * sizeof *words);
    *at += n * sizeof *words;
    return error;
}

/* argc, argv[] and its NULL, envp[] and its NULL, then the auxiliary vector (what
 * the kernel tells the C library: where the program headers are, the page size,
 * the entry point...), from sp up. 0 or -ENOMEM. */
static int put_vectors(struct addr_space *as, vaddr_t sp, const struct exec_args *args,
                       const struct stack_strings *at, const struct auxv_entry *auxv,
                       size_t auxv_entries)
{
    const uint64_t argc = (uint64_t)args->argc, null = 0;
    int error = put_words(as, &sp, &argc, 1);
    if (error == 0)
        error = put_words(as, &sp, at->argv, (size_t)args->argc);
    if (error == 0)
        error = put_words(as, &sp, &null, 1);
    if (error == 0)
        error = put_words(as, &sp, at->envp, (size_t)args->envc);
    if (error == 0)
        error = put_words(as, &sp, &null, 1);
    if (error == 0)
        error = put_words(as, &sp, (const uint64_t *)auxv, auxv_entries * AUXV_ENTRY_WORDS);
    return error;
}

/* Where the argument and environment strings went, for /proc/PID/cmdline (which
 * reads them from the process's memory, as Linux does) and /proc/PID/stat. */
static void record_layout(struct program_layout *layout, const struct exec_args *args,
                          const struct stack_strings *at, vaddr_t sp)
{
    layout->arg_start = layout->arg_end = at->execfn;
    if (args->argc > 0) {
        layout->arg_start = at->argv[0];
        layout->arg_end = at->argv[args->argc - 1] + strlen(args->argv[args->argc - 1]) + 1;
    }
    layout->env_start = layout->env_end = layout->arg_end;
    if (args->envc > 0) {
        layout->env_start = at->envp[0];
        layout->env_end = at->envp[args->envc - 1] + strlen(args->envp[args->envc - 1]) + 1;
    }
    layout->stack_start = sp;
}

/* The stack region and its contents, as the top of this file draws them; *rsp
 * is where the program starts. 0, -ENOMEM, or -E2BIG if it does not fit. */
static int build_stack(struct addr_space *as, const struct exec_args *args,
                       const struct elf_image *img, vaddr_t *rsp)
{
    /* The stack region: its pages appear as they are touched, and it grows down
     * on faults below it (mm/fault.c) up to USER_STACK_LIMIT. */
    if (vma_create(as, USER_STACK_TOP - USER_STACK_INITIAL, USER_STACK_TOP, VMA_READ | VMA_WRITE,
                   VMA_GROWSDOWN) == NULL)
        return -ENOMEM;
    static struct stack_strings at;
    vaddr_t top = USER_STACK_TOP;
    int error = put_stack_strings(as, args, &top, &at);
    if (error != 0)
        return error;

    const struct auxv_entry auxv[] = {
        { AT_PHDR, img->phdr_vaddr },
        { AT_PHENT, sizeof(struct elf64_phdr) },
        { AT_PHNUM, img->header.phnum },
        { AT_PAGESZ, PAGE_SIZE },
        { AT_BASE, 0 },
        { AT_FLAGS, 0 },
        { AT_ENTRY, img->entry },
        { AT_UID, 0 },
        { AT_EUID, 0 },
        { AT_GID, 0 },
        { AT_EGID, 0 },
        { AT_CLKTCK, USER_HZ },
        { AT_SECURE, 0 },
        { AT_RANDOM, at.random },
        { AT_EXECFN, at.execfn },
        { AT_NULL, 0 },
    };
    size_t auxv_entries = sizeof auxv / sizeof auxv[0];
    /* argc, argv[], NULL, envp[], NULL, auxv */
    size_t words =
        1 + (size_t)args->argc + 1 + (size_t)args->envc + 1 + auxv_entries * AUXV_ENTRY_WORDS;
    vaddr_t sp = align_down(top - words * sizeof(uint64_t), STACK_ALIGN);
    if (USER_STACK_TOP - sp > USER_STACK_INITIAL)
        return -E2BIG;
    *rsp = sp;
    record_layout(&as->layout, args, &at, sp);
    return put_vectors(as, sp, args, &at, auxv, auxv_entries);
}

/* ---- putting it together ---- */

/* A program loaded into its own address space, ready to be entered. */
struct loaded_program {
    struct addr_space *as;
    uint64_t entry, rsp;
};

/* The segments and the stack of a checked image, into a new address space. */
static int load_image(const struct elf_image *img, const struct exec_args *args,
                      struct loaded_program *out)
{
    struct addr_space *as = as_create();
    if (as == NULL)
        return -ENOMEM;
    int error = load_segments(as, img);
    if (error == 0)
        error = build_stack(as, args, img, &out->rsp);
    if (error != 0) {
        as_put(as);
        return error;
    }
    out->as = as;
    out->entry = img->entry;
    return 0;
}

/* Load the program src (at args->path) into a new address space: check its header,
 * read its program headers (into a buffer of their size) and check them, then load.
 * On failure nothing of it remains. */
static int load_program(const struct program_source *src, const struct exec_args *args,
                        struct loaded_program *out)
{
    struct elf_image img;
    int error = elf_read_header(src, &img);
    if (error != 0)
        return error;
    struct elf64_phdr *phdrs = kmalloc(elf_phdr_table_bytes(&img));
    if (phdrs == NULL)
        return -ENOMEM;
    error = elf_check(&img, phdrs, USER_MIN_ADDRESS, SEGMENT_END);
    if (error == 0)
        error = load_image(&img, args, out);
    if (error == 0)
        as_set_program(out->as, src->object); /* ETXTBSY for writers while it runs */
    kfree(phdrs);
    return error;
}

/* Remember where the program came from, for /proc/PID/exe and maps: a file's
 * path as /proc rebuilds it (procfs/paths.h), a boot module's as it was named. */
static void set_program_path(struct addr_space *as, const struct program_source *src,
                             const char *path)
{
    char *buf = src->inode != NULL ? kmalloc(PATH_MAX) : NULL;
    if (buf != NULL && procfs_path_of(src->inode, buf, PATH_MAX) > 0)
        as_set_program_path(as, buf);
    else
        as_set_program_path(as, path);
    kfree(buf);
}

/* execve of /proc/PID/exe (busybox runs its applets so) runs that process's
 * program, which may be a boot module that no path of the VFS reaches: the
 * link's target, the program's path, replaces path (PATH_MAX bytes) then. */
static void follow_exe_link(char *path, struct inode *cwd)
{
    struct inode *ip;
    if (namei(path[0] == '/' ? NULL : cwd, path, NAMEI_NOFOLLOW, &ip) != 0)
        return;
    char *target = procfs_is_exe_link(ip) ? kmalloc(PATH_MAX) : NULL;
    long length = target != NULL ? fs_readlink(ip, target, PATH_MAX) : -ENOMEM;
    if (length > 0) {
        memcpy(path, target, (size_t)length);
        path[length] = '\0';
    }
    kfree(target);
    inode_put(ip);
}

/* The program at path, as a source to read it from: the boot module /bin/NAME if
 * there is one (what tests/run-elf passed wins over the disk), else the file the
 * VFS finds, a relative path starting at cwd (NULL: the root). 0, or the errors
 * of program_file_open. Close it with program_file_close. */
static int open_program(const char *path, struct inode *cwd, struct program_source *src)
{
    if (bootfs_open_program(path, src) == 0)
        return 0;
    return program_file_open(path[0] == '/' ? NULL : cwd, path, src);
}

/* Registers at the first instruction: all zero but RIP, RSP and RFLAGS.IF. */
static void reset_user_frame(struct trap_frame *f, uint64_t entry, uint64_t rsp)
{
    memset(f, 0, sizeof *f);
    f->rip = entry;
    f->rsp = rsp;
    f->rflags = RFLAGS_IF;
    f->cs = USER_CODE_SELECTOR;
    f->ss = USER_DATA_SELECTOR;
}

/* A new program starts with default signal actions (ignored ones stay ignored,
 * as POSIX says), no alternate stack, a clean FPU, and no TLS pointer. */
static void reset_process_state(struct proc *p)
{
    for (int i = 0; i < NSIG; i++) { /* handlers were in the old program's memory */
        uint64_t handler = p->actions[i].handler == SIG_IGN ? SIG_IGN : SIG_DFL;
        p->actions[i] = (struct k_sigaction){ .handler = handler };
    }
    p->altstack = (struct signal_stack){ 0, SS_DISABLE, 0, 0 }; /* the mask and pending stay */
    memcpy(p->fpu_state, cpu_initial_fpu_state(), sizeof p->fpu_state);
    __asm__ volatile("fxrstor %0" : : "m"(p->fpu_state));
    p->fs_base = 0;
    wrmsr(MSR_FS_BASE, 0);
    p->gs_base = 0;
    wrmsr(MSR_KERNEL_GS_BASE, 0);
    p->clear_child_tid = 0;
}

/* Copy the user string at src straight onto the end of args's strings, as the next
 * entry of argv (or envp). 0, -EFAULT, or -E2BIG if there is no room. (Straight:
 * a copy can sleep -- a page fault waiting for the out-of-memory killer -- so a
 * buffer shared by every execve could meanwhile fill with another's arguments.) */
static int add_user_string(struct exec_args *args, vaddr_t src, int is_env)
{
    int *count = is_env ? &args->envc : &args->argc;
    if (*count + 1 >= EXEC_MAX_ARGS)
        return -E2BIG;
    char *copy = &args->strings[args->used];
    long len = copy_string_from_user(copy, src, EXEC_MAX_STRINGS - args->used);
    if (len < 0)
        return len == -EFAULT ? -EFAULT : -E2BIG;
    args->used += (size_t)len + 1;
    (is_env ? args->envp : args->argv)[(*count)++] = copy;
    return 0;
}

/* Copy a NULL-terminated array of user string pointers into args. */
static int copy_string_array(struct exec_args *args, vaddr_t array, int is_env)
{
    for (int i = 0; array != 0; i++) {
        uint64_t user_string;
        if (copy_from_user(&user_string, array + i * sizeof user_string, sizeof user_string) != 0)
            return -EFAULT;
        if (user_string == 0)
            return 0;
        int error = add_user_string(args, user_string, is_env);
        if (error != 0)
            return error;
    }
    return 0;
}

/* The caller's arguments and environment, into a new struct exec_args for path.
 * NULL and *error set on failure (-ENOMEM, -EFAULT, -E2BIG). */
static struct exec_args *copy_exec_args(const char *path, vaddr_t argv, vaddr_t envp, long *error)
{
    struct exec_args *args = kzalloc(sizeof *args);
    if (args == NULL) {
        *error = -ENOMEM;
        return NULL;
    }
    strlcpy(args->path, path, sizeof args->path);
    *error = copy_string_array(args, argv, 0);
    if (*error == 0)
        *error = copy_string_array(args, envp, 1);
    if (*error != 0) {
        kfree(args);
        return NULL;
    }
    return args;
}

/* The point of no return: the process drops its old memory and will start the
 * new program when it returns to user mode. */
static void switch_to_program(struct proc *p, const struct exec_args *args,
                              const struct loaded_program *program)
{
    struct addr_space *old = p->as;
    if (old->max_rss > p->max_rss)
        p->max_rss = old->max_rss; /* ru_maxrss covers the whole life of the process */
    clone_release_memory(p);       /* CLONE_CHILD_CLEARTID, in the memory being left */
    p->did_exec = true;            /* its parent may no longer move it to a group */
    p->as = program->as;
    rlimit_apply(p); /* the limits outlive execve: mm/ gets them in the new memory */
    as_activate(program->as);
    as_put(old); /* a vfork child only drops its borrowed reference */
    proc_release_vfork_parent(p);
    proc_set_name(p, args->path);
    fdtable_close_on_exec(p->files);
    reset_process_state(p);
    reset_user_frame(p->frame, program->entry, program->rsp);
}

/* Load src into a new address space for the caller and switch to it: 0, or the
 * error, with the caller untouched. */
static long exec_program(const char *path, const char *program_path,
                         const struct program_source *src, vaddr_t argv, vaddr_t envp)
{
    long error;
    struct exec_args *args = copy_exec_args(path, argv, envp, &error);
    if (args == NULL)
        return error;
    struct loaded_program program;
    error = load_program(src, args, &program);
    if (error == 0) {
        set_program_path(program.as, src, program_path);
        switch_to_program(current_proc(), args, &program);
    }
    kfree(args);
    return error;
}

/* execve(path, argv, envp), with Linux's order of errors: the path (-EFAULT,
 * -ENAMETOOLONG), the file (-ENOENT, -ENOTDIR, -ELOOP, -EACCES...), memory for the
 * arguments (-ENOMEM), the arguments (-EFAULT, -E2BIG), then the file's contents
 * (elf.h: -ENOEXEC, -EINVAL, -EIO). The file is looked up before the arguments are
 * copied, so a missing one is -ENOENT however short memory is. */
long sys_execve(struct syscall_args a)
{
    char *path = kmalloc(PATH_MAX);
    if (path == NULL)
        return -ENOMEM;
    char *program_path = kmalloc(PATH_MAX);
    long error = program_path != NULL ? copy_string_from_user(path, a.arg[0], PATH_MAX) : -ENOMEM;
    struct program_source src;
    if (error >= 0) {
        strlcpy(program_path, path, PATH_MAX);
        follow_exe_link(program_path, current_proc()->cwd);
        error = open_program(program_path, current_proc()->cwd, &src);
    }
    if (error == 0) {
        error = exec_program(path, program_path, &src, a.arg[1], a.arg[2]);
        program_file_close(&src);
    }
    kfree(program_path);
    kfree(path);
    return error < 0 ? error : 0; /* 0 becomes RAX of the new program, like every other register */
}

void proc_first_return(void);

/* The kernel stack of a process that has never run: its user registers at the
 * top, and below them what context_switch pops, "returning" to trap_return. */
void exec_prepare_first_run(struct proc *p)
{
    p->frame = (struct trap_frame *)(p->kstack_top - sizeof(struct trap_frame));
    uint64_t *sp = (uint64_t *)p->frame;
    *--sp = (uint64_t)proc_first_return;
    for (int i = 0; i < CALLEE_SAVED_REGISTERS; i++)
        *--sp = 0;
    p->saved_rsp = (uint64_t)sp;
}

/* pid 1 running the program src (found at path) with argv: 0 or -errno, and
 * nothing left of it on failure. */
static int start_init_from(const struct program_source *src, const char *path,
                           const char *const *argv, int argc)
{
    struct exec_args *args = kzalloc(sizeof *args);
    struct proc *p = args != NULL ? proc_alloc(path) : NULL;
    if (p == NULL) {
        kfree(args);
        return -ENOMEM;
    }
    p->files = fdtable_create();
    int error = p->files != NULL ? fdtable_open_console(p->files) : -ENOMEM;
    strlcpy(args->path, path, sizeof args->path);
    for (int i = 0; i < argc && error == 0; i++)
        error = exec_args_add(args, argv[i], 0);
    struct loaded_program program;
    if (error == 0)
        error = load_program(src, args, &program);
    kfree(args);
    if (error != 0) {
        fdtable_destroy(p->files);
        p->state = PROC_ZOMBIE;
        proc_reap(p);
        return error;
    }
    p->as = program.as;
    set_program_path(p->as, src, path);
    rlimit_apply(p);
    pgrp_init_first(p); /* session 1, with the console (kernel/pgrp.h) */
    exec_prepare_first_run(p);
    reset_user_frame(p->frame, program.entry, program.rsp);
    sched_start(p);
    return 0;
}

int exec_start_init(const char *path, const char *const *argv, int argc)
{
    struct program_source src;
    int error = open_program(path, NULL, &src);
    if (error != 0)
        return error;
    error = start_init_from(&src, path, argv, argc);
    program_file_close(&src);
    return error;
}
