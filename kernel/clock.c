/*
 * clock.c — TSC calibration and the CMOS real-time clock.
 */
#include "clock.h"

#include <stdbool.h>

#include "printk.h"
#include "timer.h"
#include "x86.h"

#define CALIBRATION_TICKS 5 /* 50 ms at 100 Hz */
#define NS_PER_SEC        1000000000ul

#define CMOS_INDEX   0x70
#define CMOS_DATA    0x71
#define RTC_SECONDS  0x00
#define RTC_MINUTES  0x02
#define RTC_HOURS    0x04
#define RTC_DAY      0x07
#define RTC_MONTH    0x08
#define RTC_YEAR     0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_UPDATING 0x80 /* status A: the RTC is changing its registers */
#define RTC_BINARY   0x04 /* status B: values are binary, not BCD */
#define RTC_24HOUR   0x02

static uint64_t tsc_at_boot, tsc_hz, realtime_at_boot_ns;

/* Nanoseconds in a TSC difference, without 128-bit arithmetic. */
static uint64_t cycles_to_ns(uint64_t cycles)
{
    return cycles / tsc_hz * NS_PER_SEC + cycles % tsc_hz * NS_PER_SEC / tsc_hz;
}

/* The TSC cycles in ns nanoseconds: the inverse of cycles_to_ns. */
static uint64_t ns_to_cycles(uint64_t ns)
{
    return ns / NS_PER_SEC * tsc_hz + ns % NS_PER_SEC * tsc_hz / NS_PER_SEC;
}

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static unsigned from_bcd(uint8_t v, bool binary)
{
    return binary ? v : (v >> 4) * 10 + (v & 0x0f);
}

/* Days from 1970-01-01 to the given date (proleptic Gregorian). */
static uint64_t days_since_epoch(unsigned year, unsigned month, unsigned day)
{
    static const unsigned before_month[12] = {
        0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
    };
    uint64_t days = (year - 1970) * 365ul + before_month[month - 1] + day - 1;
    for (unsigned y = 1970; y < year; y++)
        days += (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (month > 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        days++;
    return days;
}

static uint64_t read_rtc_seconds(void)
{
    while (cmos_read(RTC_STATUS_A) & RTC_UPDATING)
        ; /* wait out an update (at most ~2 ms) */
    bool binary = cmos_read(RTC_STATUS_B) & RTC_BINARY;
    unsigned sec = from_bcd(cmos_read(RTC_SECONDS), binary);
    unsigned min = from_bcd(cmos_read(RTC_MINUTES), binary);
    unsigned hour = from_bcd(cmos_read(RTC_HOURS) & 0x7f, binary);
    unsigned day = from_bcd(cmos_read(RTC_DAY), binary);
    unsigned month = from_bcd(cmos_read(RTC_MONTH), binary);
    unsigned year = 2000 + from_bcd(cmos_read(RTC_YEAR), binary);
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return 0; /* no usable RTC */
    return days_since_epoch(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
}

void clock_calibrate(void)
{
    uint64_t start_tick = timer_ticks();
    while (timer_ticks() == start_tick)
        hlt(); /* start on a tick boundary */
    uint64_t t0 = rdtsc(), tick0 = timer_ticks();
    while (timer_ticks() < tick0 + CALIBRATION_TICKS)
        hlt();
    uint64_t t1 = rdtsc();
    tsc_hz = (t1 - t0) * TIMER_HZ / CALIBRATION_TICKS;
    tsc_at_boot = rdtsc();
    realtime_at_boot_ns = read_rtc_seconds() * NS_PER_SEC;
    kinfo("Clock: TSC at %lu.%03lu MHz, real time from the CMOS clock\n", tsc_hz / 1000000,
          tsc_hz / 1000 % 1000);
}

uint64_t clock_monotonic_ns(void)
{
    if (tsc_hz == 0)
        return 0; /* the timer tick asks before the calibration: time has not begun */
    return cycles_to_ns(rdtsc() - tsc_at_boot);
}

uint64_t clock_tsc_at(uint64_t ns)
{
    return tsc_at_boot + ns_to_cycles(ns);
}

uint64_t clock_realtime_ns(void)
{
    return realtime_at_boot_ns + clock_monotonic_ns();
}

uint64_t clock_realtime_offset_ns(void)
{
    return realtime_at_boot_ns;
}
