/*
 * time_poll — time, timers and waiting on descriptors, compared with Linux:
 *   poll.c    poll and ppoll on pipes in every state, /dev/null, /dev/zero, a
 *             regular file (in /tmp), bad descriptors, time limits, wake-ups by a child;
 *   select.c  select and pselect6: the same states as three bit sets;
 *   sleep.c   nanosleep and clock_nanosleep (clocks, TIMER_ABSTIME, EINVAL
 *             rules) and how precise a 1 ms sleep is;
 *   itimer.c  alarm, setitimer, getitimer, SIGALRM's default action;
 *   info.c    sysinfo, times, getrandom;
 *   signals.c sleeping calls ended by a signal with a handler (EINTR), not by
 *             an ignored one; the masks of ppoll and pselect6.
 * `time_poll console` runs console.c instead: poll and select on the terminal,
 * with lines typed by tests/boot/poll-console.sh.
 */
#include "common.h"

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "console") == 0) {
        console_tests();
        return 0;
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* lines in order with a child's */
    poll_tests();
    select_tests();
    sleep_tests();
    itimer_tests();
    info_tests();
    signal_tests(); /* last: the signals it leaves pending and blocked */
    return 0;
}
