/*
 * lapic.c — the local APIC: enabled in virtual-wire mode, its timer set one
 * moment at a time (lapic.h).
 *
 * The APIC's registers are 32-bit words in one 4 KiB page of physical memory
 * (0xfee00000 unless MSR_APIC_BASE says otherwise), each 16 bytes apart; the
 * kernel reaches them through the direct map like any device memory.
 */
#include "lapic.h"

#include "clock.h"
#include "mm/kernel_pt.h"
#include "printk.h"
#include "x86.h"

/* Register offsets in the APIC's page (Intel SDM vol. 3, table 11-1). */
#define LAPIC_EOI           0x0b0
#define LAPIC_SPURIOUS      0x0f0 /* bit 8: software enable; bits 0..7: spurious vector */
#define LAPIC_LVT_TIMER     0x320
#define LAPIC_LVT_LINT0     0x350
#define LAPIC_INITIAL_COUNT 0x380
#define LAPIC_CURRENT_COUNT 0x390
#define LAPIC_DIVIDE        0x3e0

#define SPURIOUS_ENABLE     (1u << 8)
#define LVT_MASKED          (1u << 16)
#define LVT_DELIVERY_EXTINT (7u << 8) /* LINT0: the 8259's interrupts pass through */
#define LVT_TIMER_ONE_SHOT  (0u << 17)
#define LVT_TIMER_DEADLINE  (2u << 17) /* TSC-deadline mode */
#define DIVIDE_BY_1         0xb        /* the timer counts at the APIC's full rate */
#define MAX_COUNT           0xffffffffu
#define CALIBRATION_NS      10000000ul /* 10 ms of counting measures the rate */
#define NS_PER_SEC          1000000000ul

static volatile uint32_t *registers; /* NULL: no APIC in use */
static bool tsc_deadline_mode;
static uint64_t counts_per_sec; /* one-shot mode: the timer's rate */

static uint32_t lapic_read(uint32_t offset)
{
    return registers[offset / 4];
}

static void lapic_write(uint32_t offset, uint32_t value)
{
    registers[offset / 4] = value;
}

void lapic_eoi(void)
{
    lapic_write(LAPIC_EOI, 0);
}

/* Count down from the top for CALIBRATION_NS on the TSC clock: the counts gone
 * by give the timer's rate. (QEMU's APIC counts at 1 GHz; real ones at the bus
 * clock: it is measured, never assumed.) */
static uint64_t measure_timer_rate(void)
{
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_ONE_SHOT | LAPIC_TIMER_VECTOR);
    lapic_write(LAPIC_DIVIDE, DIVIDE_BY_1);
    uint64_t start = clock_monotonic_ns();
    lapic_write(LAPIC_INITIAL_COUNT, MAX_COUNT);
    uint64_t now;
    while ((now = clock_monotonic_ns()) - start < CALIBRATION_NS)
        ;
    uint64_t counted = MAX_COUNT - lapic_read(LAPIC_CURRENT_COUNT);
    lapic_write(LAPIC_INITIAL_COUNT, 0); /* stop it */
    return counted * NS_PER_SEC / (now - start);
}

bool lapic_init(void)
{
    if (!(cpuid(1, 0).edx & CPUID1_EDX_APIC))
        return false;
    uint64_t base = rdmsr(MSR_APIC_BASE);
    registers = kernel_map_device(base & APIC_BASE_ADDRESS, PAGE_SIZE);
    if (registers == NULL)
        return false;
    wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    /* virtual wire: the PICs' interrupts keep arriving as they did */
    lapic_write(LAPIC_LVT_LINT0, LVT_DELIVERY_EXTINT);
    lapic_write(LAPIC_SPURIOUS, SPURIOUS_ENABLE | LAPIC_SPURIOUS_VECTOR);
    tsc_deadline_mode = cpuid(1, 0).ecx & CPUID1_ECX_TSC_DEADLINE;
    if (tsc_deadline_mode) {
        lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_DEADLINE | LAPIC_TIMER_VECTOR);
        kinfo("Local APIC: timer in TSC-deadline mode\n");
        return true;
    }
    counts_per_sec = measure_timer_rate();
    lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_ONE_SHOT | LAPIC_TIMER_VECTOR);
    kinfo("Local APIC: one-shot timer at %lu.%03lu MHz (no TSC-deadline mode)\n",
          counts_per_sec / 1000000, counts_per_sec / 1000 % 1000);
    return counts_per_sec != 0;
}

/* The counts for ns nanoseconds, rounded up (firing early only costs a second
 * interrupt, but why pay it), at least 1 (0 would stop the timer), at most
 * MAX_COUNT. */
static uint32_t counts_for(uint64_t ns)
{
    uint64_t counts = ns / NS_PER_SEC * counts_per_sec +
                      (ns % NS_PER_SEC * counts_per_sec + NS_PER_SEC - 1) / NS_PER_SEC;
    if (counts == 0)
        return 1;
    return counts < MAX_COUNT ? (uint32_t)counts : MAX_COUNT;
}

uint64_t lapic_timer_fire_at(uint64_t deadline_ns)
{
    if (tsc_deadline_mode) {
        wrmsr(MSR_TSC_DEADLINE, clock_tsc_at(deadline_ns));
        return deadline_ns;
    }
    uint64_t now = clock_monotonic_ns();
    uint64_t wait = deadline_ns > now ? deadline_ns - now : 0;
    uint32_t counts = counts_for(wait);
    lapic_write(LAPIC_INITIAL_COUNT, counts);
    return counts == MAX_COUNT ? now + (uint64_t)MAX_COUNT * NS_PER_SEC / counts_per_sec
                               : deadline_ns;
}
