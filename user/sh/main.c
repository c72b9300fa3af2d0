/*
 * sh — a small shell: it reads a command line, parses it, and runs it.
 *
 *   $ hello one two              runs /bin/hello with argv {"/bin/hello", "one", "two"}
 *   $ echo 'a  b' "it's" c\ d    quoting: three words, a  b / it's / c d
 *   $ ls /bin | wc -l            a pipeline: ls's output is wc's input
 *   $ cat < notes > copy         redirections: < reads, > creates or truncates
 *   $ echo more >> copy          >> appends; 2> and 2>&1 redirect errors
 *   $ cd /tmp; pwd               built-ins; ';' runs one command after another
 *
 * Each line goes through three named steps: read_command_line (one line, one byte
 * at a time), parse_line (parse.c: the text into pipelines of commands, quotes
 * removed) and run_line (run.c: pipes, redirections, vfork + execve, wait4). A
 * program is looked up in the directories of PATH, /bin if there is none; the shell
 * reports anything but success: "exit status 3" or "killed by signal 11 (SIGSEGV)".
 */
#include "builtins.h"
#include "command.h"
#include "parse.h"
#include "run.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

/* Read one line from descriptor 0 into buf (zero-terminated, no newline), one byte
 * per read: a program the shell starts shares descriptor 0, and whatever the shell
 * read ahead would be lost to it (`cat` typed as a line of a script must read the
 * lines after it, as with sh). Returns the length, -1 for a line too long (it is
 * skipped), or END_OF_INPUT. */
static long read_command_line(char *buf, size_t size)
{
    size_t length = 0;
    bool too_long = false;
    for (;;) {
        char c;
        long n = sys_read(STDIN, &c, 1);
        if (n <= 0) {
            if (length == 0)
                return END_OF_INPUT; /* the end (Ctrl-D), or an error */
            break;                   /* a last line without a newline */
        }
        if (c == '\n')
            break;
        if (length + 1 < size)
            buf[length++] = c;
        else
            too_long = true;
    }
    buf[length] = '\0';
    return too_long ? -1 : (long)length;
}

int main(void)
{
    static struct command_line line; /* about 60 KiB: kept off the stack */
    char text[LINE_SIZE];
    run_ignore_terminal_stops();
    while (!exit_requested) {
        printf("$ ");
        long length = read_command_line(text, sizeof(text));
        if (length == END_OF_INPUT) {
            printf("\n");
            return 0;
        }
        if (length < 0) {
            dprintf(STDERR, "sh: the line is longer than %d characters\n", LINE_SIZE - 1);
            continue;
        }
        if (!parse_line(text, &line)) {
            dprintf(STDERR, "sh: %s\n", line.error);
            continue;
        }
        run_line(&line);
    }
    return exit_code;
}
