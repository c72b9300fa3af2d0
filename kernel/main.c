/*
 * main.c — kmain, the first C function, called by boot/entry64.asm.
 *
 * By the time we get here the CPU is in 64-bit mode on the boot page tables
 * (the kernel at 0xffffffff80000000, physical memory at 0xffff800000000000), on
 * the boot stack, with interrupts off. kmain brings up the rest in order:
 * consoles -> segments and traps -> boot information -> memory management ->
 * a guarded kernel stack -> interrupts and timer, then runs what the command line
 * asks for.
 */
#include <stdint.h>

#include "bootfs.h"
#include "bootinfo.h"
#include "bootinfo_print.h"
#include "cmdline.h"
#include "clock.h"
#include "console.h"
#include "cpu.h"
#include "crash.h"
#include "dev/acpi_pm.h"
#include "dev/block.h"
#include "dev/pci.h"
#include "dev/virtio_blk.h"
#include "fs/mount.h"
#include "errno.h"
#include "dev/bochs_vbe.h"
#include "exec.h"
#include "framemap_view.h"
#include "gdt.h"
#include "irq.h"
#include "ktest.h"
#include "lib/format.h"
#include "lib/parse.h"
#include "lib/string.h"
#include "mm/reclaim.h"
#include "mm/replace.h"
#include "mm/kvmap.h"
#include "mm/mm.h"
#include "mm/page_cache.h"
#include "multiboot2.h"
#include "oom.h"
#include "swap/swapon.h"
#include "panic.h"
#include "power.h"
#include "printk.h"
#include "kthread.h"
#include "loadctl.h"
#include "proc.h"
#include "sched.h"
#include "syscall.h"
#include "timer.h"
#include "trap.h"
#include "tty.h"
#include "vga.h"
#include "mm/addr.h"
#include "x86.h"

#define OPTION_VALUE_MAX   64
#define INIT_MAX_ARGS      128  /* init's argv entries, argv[0] included */
#define INIT_ARGS_TEXT_MAX 1024 /* bytes of the words after `--`, decoded */
#define DEFAULT_INIT       "/bin/init"

struct boot_info boot_info;

static void print_banner(void)
{
    kinfo("\nvmlab: a teaching kernel about virtual memory (x86-64)\n");
    kinfo("kernel image at %p, running in 64-bit long mode\n", (void *)KERNEL_VMA);
}

/* Read what GRUB passed; halts with a message if it is not usable. */
static void read_boot_info(uint32_t magic, uint32_t mbi_phys)
{
    if (magic != MB2_BOOTLOADER_MAGIC)
        panic("not booted by multiboot2 (magic 0x%x)", magic); /* boot/ checks first */
    enum bootinfo_error error = bootinfo_parse(phys_to_virt(mbi_phys), mbi_phys, &boot_info);
    if (error != BOOTINFO_OK)
        panic("boot information at 0x%x is malformed: %s", mbi_phys, bootinfo_error_string(error));
}

/* The options that matter before anything is printed: `quiet` and `panic=`. */
static void apply_early_options(const char *cmdline)
{
    char value[OPTION_VALUE_MAX];
    printk_set_quiet(cmdline_has(cmdline, "quiet"));
    if (cmdline_get(cmdline, "panic", value, sizeof value))
        panic_set_poweroff(strcmp(value, "poweroff") == 0);
}

static void start_interrupts(void)
{
    irq_init();
    timer_init();
    sti();
    kinfo("Timer: PIT at %d Hz, interrupts on\n", TIMER_HZ);
}

/* `test[=PREFIX]`: run the in-kernel tests and power off with their verdict. */
static void run_tests(const char *cmdline)
{
    char prefix[OPTION_VALUE_MAX];
    cmdline_get(cmdline, "test", prefix, sizeof prefix);
    int failed = ktest_run_all(prefix);
    block_print_stats();
    vfs_unmount_all(false); /* a clean power-off: what was written reaches the disk */
    power_off(failed ? EXIT_TESTS_FAILED : EXIT_SUCCESS_CODE);
}

/* Nothing else to do yet: show the clock ticking, once a second, on the serial
 * line and the VGA status bar. `poweroff=SECONDS` ends the idle after that long. */
static void __attribute__((noreturn)) idle_show_uptime(const char *cmdline)
{
    char value[OPTION_VALUE_MAX];
    uint64_t poweroff_after = 0;
    if (cmdline_get(cmdline, "poweroff", value, sizeof value) && !parse_u64(value, &poweroff_after))
        kprintf("poweroff=%s: not a number of seconds, ignored\n", value);

    uint64_t shown = UINT64_MAX;
    for (;;) {
        uint64_t ticks = timer_ticks(), seconds = ticks / TIMER_HZ;
        if (seconds != shown) {
            char status[80];
            snprintf(status, sizeof status, " vmlab | uptime %lu s | %lu timer ticks", seconds,
                     ticks);
            vga_set_status(status);
            kprintf("\ruptime %lu s, %lu timer ticks", seconds, ticks); /* redrawn in place */
            shown = seconds;
        }
        if (poweroff_after != 0 && seconds >= poweroff_after) {
            kprintf("\n"); /* end the line redrawn in place */
            vfs_unmount_all(false);
            power_off(EXIT_SUCCESS_CODE);
        }
        framemap_view_work(); /* the memory view, if shown */
        sti_hlt();            /* sleep until the next interrupt */
    }
}

/* Continue on stack_top, calling fn, never to return: the old stack is left behind.
 * The zero frame pointer and return address end backtraces here, as at boot. */
static void __attribute__((noreturn)) switch_stack(vaddr_t stack_top, void (*fn)(void))
{
    __asm__ volatile("mov %0, %%rsp\n"
                     "xor %%ebp, %%ebp\n"
                     "push $0\n"
                     "jmp *%1\n"
                     :
                     : "r"(stack_top), "r"(fn)
                     : "memory");
    __builtin_unreachable();
}

/* init's arguments from the boot file at path: zero-terminated strings one after
 * another, so an argument may hold any byte but zero (tests/run-elf writes this
 * file). Appends them to argv (argc entries so far); returns the new argc, or -1
 * after saying what is wrong. */
static int arguments_from_file(const char *path, const char **argv, int argc)
{
    const struct bootfs_file *file = bootfs_lookup(path);
    if (file == NULL) {
        kprintf("initargs=%s: no such boot file\n", path);
        return -1;
    }
    if (file->size > 0 && file->data[file->size - 1] != '\0') {
        kprintf("initargs=%s: the last argument does not end with a zero byte\n", path);
        return -1;
    }
    for (size_t at = 0; at < file->size; argc++) {
        if (argc == INIT_MAX_ARGS) {
            kprintf("initargs=%s: more than %d arguments\n", path, INIT_MAX_ARGS - 1);
            return -1;
        }
        argv[argc] = (const char *)file->data + at;
        at += strlen(argv[argc]) + 1;
    }
    return argc;
}

/* init's arguments from the words after `--` on the command line (GRUB's quoting
 * undone). Appends them to argv; returns the new argc, or -1 after saying why. */
static int arguments_from_cmdline(const char *cmdline, const char **argv, int argc)
{
    static char words[INIT_ARGS_TEXT_MAX];
    const char *text = cmdline_arguments(cmdline);
    if (text == NULL)
        return argc;
    int count =
        cmdline_split_arguments(text, words, sizeof words, argv + argc, INIT_MAX_ARGS - argc);
    if (count < 0) {
        kprintf("init: the arguments after -- are too many or too long (at most %d, %d bytes)\n",
                INIT_MAX_ARGS - 1, INIT_ARGS_TEXT_MAX);
        return -1;
    }
    return argc + count;
}

/* init's argv after argv[0]: from `initargs=PATH` if given, else after `--`. */
static int init_arguments(const char *cmdline, const char **argv, int argc)
{
    char path[OPTION_VALUE_MAX];
    if (cmdline_get(cmdline, "initargs", path, sizeof path))
        return arguments_from_file(path, argv, argc);
    return arguments_from_cmdline(cmdline, argv, argc);
}

/* The first program: `init=PATH` on the command line, else /bin/init, with the
 * arguments init_arguments finds. The program comes from a boot module if there is
 * one of that name, else from the root disk (exec.h). Returns false, having said
 * why, if there is none to run. */
static bool start_first_program(const char *cmdline)
{
    static char path[OPTION_VALUE_MAX];
    static const char *argv[INIT_MAX_ARGS];
    bool asked = cmdline_get(cmdline, "init", path, sizeof path);
    if (!asked)
        strlcpy(path, DEFAULT_INIT, sizeof path);
    argv[0] = path;
    int argc = init_arguments(cmdline, argv, 1);
    proc_record_memory_baseline();
    int error = argc < 0 ? -EINVAL : exec_start_init(path, argv, argc);
    if (error != 0 && asked) {
        /* the program asked for cannot run: end the run now (tests/run-elf: 125) */
        kprintf("vmlab: init %s could not start: error %d\n", path, error);
        power_off(EXIT_TESTS_FAILED);
    }
    if (error == -ENOENT) {
        kprintf("init: no %s: neither a boot module nor a file on a root disk "
                "(make run attaches build/root.img as vda)\n",
                path);
        return false;
    }
    if (error != 0) {
        kprintf("init: cannot start %s: error %d\n", path, error);
        return false;
    }
    kinfo("init: started %s as pid 1\n", path);
    return true;
}

/* kswapd: the kernel thread that frees memory in the background (mm/reclaim.h). */
static bool start_kswapd(void)
{
    return kthread_start("kswapd0", reclaim_daemon, reclaim_daemon_channel()) != NULL;
}

/* Milliseconds since boot: the time page-replacement policies see (WSClock). */
static uint64_t uptime_ms(void)
{
    return clock_monotonic_ns() / 1000000;
}

/* The rest of kmain, on a kernel stack with a guard page below it. */
static void __attribute__((noreturn)) kmain_on_kernel_stack(void)
{
    const char *cmdline = boot_info.cmdline;
    cpu_init();
    syscall_init();
    proc_init_idle();
    /* the page cache sleeps on a page being read as processes sleep on anything */
    page_cache_init((struct page_cache_waiting){
        .sleep_on = sleep_on, .wakeup = wakeup, .in_interrupt = irq_in_handler });
    /* ... and so does reclaim, which starts kswapd the first time it is needed */
    oom_init(); /* allocations that find no frame are noted for the killer */
    reclaim_init((struct reclaim_hooks){
        .sleep_on = sleep_on, .wakeup = wakeup, .start_daemon = start_kswapd });
    bootfs_init(&boot_info);
    start_interrupts();
    tty_init(cmdline_has(cmdline, "userout"));
    if (cmdline_has(cmdline, "mmcheck"))
        proc_enable_memory_checks();
    clock_calibrate();
    timer_deadline_init(); /* precise sleeps: the APIC timer, measured against the clock */
    pci_init();
    acpi_pm_init();    /* where power_off finds ACPI, for make run's QEMU */
    virtio_blk_init(); /* disks need interrupts on and the clock (request times) */
    vbe_init();        /* the graphics of the memory view, if the card has them */

    char kind[OPTION_VALUE_MAX];
    if (cmdline_has(cmdline, "test"))
        run_tests(cmdline);
    if (cmdline_get(cmdline, "crash", kind, sizeof kind))
        crash_run(kind);
    replace_set_clock(uptime_ms); /* WSClock's time */
    if (cmdline_get(cmdline, "replace", kind, sizeof kind) && replace_select(kind) != 0)
        kprintf("replace=%s: no such page-replacement policy; using %s\n", kind,
                replace_policy()->name);
    if (cmdline_get(cmdline, "loadctl", kind, sizeof kind))
        loadctl_set_enabled(strcmp(kind, "1") == 0 || strcmp(kind, "on") == 0);
    vfs_init();                   /* "/" from the disk, /dev */
    swap_enable_at_boot(cmdline); /* swap=vdb: needs the disks, and the root mounted */
    if (start_first_program(cmdline))
        sched_idle(); /* this thread is now the idle process, pid 0 */
    idle_show_uptime(cmdline);
}

/* Leave the boot stack (in .bss, unguarded) for kernel stacks from mm/kvmap.c,
 * one for kmain and one for the double-fault handler. */
static void __attribute__((noreturn)) move_to_guarded_stacks(void)
{
    vaddr_t main_stack = kstack_create(), double_fault_stack = kstack_create();
    assert(main_stack != 0 && double_fault_stack != 0, "no memory for the kernel stacks");
    tss_set_double_fault_stack(double_fault_stack);
    kinfo("Kernel stacks: kmain at 0x%lx, double faults at 0x%lx (%lu KiB, guard page below)\n",
          main_stack - KSTACK_SIZE, double_fault_stack - KSTACK_SIZE, KSTACK_SIZE / 1024);
    switch_stack(main_stack, kmain_on_kernel_stack);
}

void __attribute__((noreturn)) kmain(uint32_t magic, uint32_t mbi_phys)
{
    console_init();
    gdt_init();
    trap_init();
    read_boot_info(magic, mbi_phys); /* prints nothing unless it is malformed */
    apply_early_options(boot_info.cmdline);
    print_banner();
    bootinfo_print(&boot_info);
    mm_init(&boot_info);
    move_to_guarded_stacks();
}
