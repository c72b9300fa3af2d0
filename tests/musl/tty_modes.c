/*
 * tty_modes — the console's termios modes, driven by typed input
 * (tests/boot/busybox.sh types a line after each "> " prompt and compares the
 * transcript with the one written there).
 *
 *   default        canonical with echo: TCGETS's flags and keys
 *   raw            ICANON and ECHO off, VMIN 4: one read returns the 4 bytes typed,
 *                  no echo
 *   VMIN 0 VTIME 0 a read returns 0 at once with nothing typed
 *   VMIN 0 VTIME 3 a read returns 0 after about 0.3 s
 *   raw + ECHO     the bytes are echoed as they come
 *   ICRNL off      a typed carriage return stays 0x0d (on: 0x0a); with ISIG off
 *                  Ctrl-C is the byte 0x03
 *   TCSETSF back   canonical again: a whole line per read
 *   bad pointer    TCSETS from an unmapped address: EFAULT, the settings unchanged
 *
 * On a file instead of a terminal it says so and exits 0 (the host's test run).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static struct termios original;

static void show_settings(const char *what)
{
    struct termios t;
    tcgetattr(0, &t);
    printf("%s: ICANON %d ECHO %d ECHOE %d ICRNL %d OPOST %d ONLCR %d VMIN %d VTIME %d "
           "VERASE %d VEOF %d VINTR %d\n",
           what, !!(t.c_lflag & ICANON), !!(t.c_lflag & ECHO), !!(t.c_lflag & ECHOE),
           !!(t.c_iflag & ICRNL), !!(t.c_oflag & OPOST), !!(t.c_oflag & ONLCR), t.c_cc[VMIN],
           t.c_cc[VTIME], t.c_cc[VERASE], t.c_cc[VEOF], t.c_cc[VINTR]);
}

/* Switch to raw input: no line editing, no signal keys (Ctrl-C is a byte), echo as
 * asked, VMIN and VTIME as given. */
static void set_raw(int echo, int vmin, int vtime, int icrnl)
{
    struct termios t = original;
    t.c_lflag &= ~(ICANON | ECHO | ISIG);
    if (echo)
        t.c_lflag |= ECHO;
    if (!icrnl)
        t.c_iflag &= ~ICRNL;
    t.c_cc[VMIN] = vmin;
    t.c_cc[VTIME] = vtime;
    if (tcsetattr(0, TCSANOW, &t) != 0)
        printf("tcsetattr: %s\n", strerror(errno));
}

static void show_bytes(const char *what, const char *buf, long n)
{
    printf("%s: read %ld:", what, n);
    for (long i = 0; i < n; i++)
        printf(" %02x", (unsigned char)buf[i]);
    printf("\n");
}

/* Print the prompt the test types a line after, then read once. */
static long prompt_and_read(char *buf, size_t size)
{
    printf("> ");
    fflush(stdout);
    return read(0, buf, size);
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void timed_reads(void)
{
    char buf[16];
    set_raw(0, 0, 0, 1);
    long n = read(0, buf, sizeof buf);
    printf("VMIN 0 VTIME 0, nothing typed: read %ld\n", n);
    set_raw(0, 0, 3, 1);
    double start = seconds_now();
    n = read(0, buf, sizeof buf);
    double waited = seconds_now() - start;
    printf("VMIN 0 VTIME 3, nothing typed: read %ld after 0.3 s or more: %s, under 1 s: %s\n", n,
           waited >= 0.29 ? "yes" : "no", waited < 1.0 ? "yes" : "no");
}

int main(void)
{
    char buf[64];
    setvbuf(stdout, NULL, _IONBF, 0);
    if (tcgetattr(0, &original) != 0) {
        printf("standard input is not a terminal (%s)\n", strerror(errno));
        return 0;
    }
    show_settings("default");

    set_raw(0, 4, 0, 1);
    show_settings("raw");
    show_bytes("raw, VMIN 4", buf, prompt_and_read(buf, sizeof buf));

    timed_reads();

    set_raw(1, 3, 0, 1);
    show_bytes("\nraw with echo, VMIN 3", buf, prompt_and_read(buf, sizeof buf));

    set_raw(0, 4, 0, 0);
    show_bytes("ICRNL and ISIG off, VMIN 4", buf, prompt_and_read(buf, sizeof buf));

    tcsetattr(0, TCSAFLUSH, &original);
    show_settings("back");
    show_bytes("canonical", buf, prompt_and_read(buf, sizeof buf));

    int result = ioctl(0, TCSETS, (void *)16);
    printf("TCSETS from address 16: %d %s\n", result, result < 0 ? strerror(errno) : "");
    show_settings("still");
    return 0;
}
