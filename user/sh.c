/*
 * sh — a small shell: it reads a command line, splits it into words, and runs it.
 *
 *   $ hello one two         runs /bin/hello with argv {"/bin/hello", "one", "two"}
 *   $ /bin/hello            a word with a '/' is used as a path
 *   $ echo some words       built-in: prints its arguments
 *   $ help                  built-in: lists the built-ins and the programs
 *   $ exit 3                built-in: ends the shell with status 3
 *
 * A program runs in a child process, made with vfork + execve (spawn.c); the shell
 * waits for it with wait4 and reports anything but success: "exit status 3" or
 * "killed by signal 11 (SIGSEGV)". Programs are looked up in the directories of the
 * PATH environment variable, /bin if there is none.
 */
#include <stdbool.h>

#include "lib/parse.h"
#include "lib/string.h"
#include "user/lib/env.h"
#include "user/lib/errno_names.h"
#include "user/lib/spawn.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define LINE_SIZE 256
#define MAX_WORDS 32

struct program {
    const char *name, *what;
};

/* The programs in /bin, from user/programs.list (the build makes programs.h of it,
 * one PROGRAM(name, what) per line), so this list never falls behind. */
static const struct program programs[] = {
#define PROGRAM(name, what) { name, what },
#include "programs.h"
#undef PROGRAM
};

/* ASSIGNMENT(shell): split the line, then run_program() below.
 * Split line into words at spaces and tabs, in place. Returns the number of words;
 * words[count] is NULL, as execve wants. */
static int split_words(char *line, char *words[MAX_WORDS + 1])
{
    int count = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (*p == '\0' || count == MAX_WORDS)
            break;
        words[count++] = p;
        while (*p != '\0' && *p != ' ' && *p != '\t')
            p++;
    }
    words[count] = NULL;
    return count;
}

static void help(void)
{
    printf("built-in commands:\n"
           "  help           this list\n"
           "  echo [WORD]... print the words\n"
           "  exit [N]       leave the shell with status N (default 0)\n"
           "programs (in /bin):\n");
    for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++)
        printf("  %-14s %s\n", programs[i].name, programs[i].what);
}

static void echo(int count, char **words)
{
    for (int i = 1; i < count; i++)
        printf(i > 1 ? " %s" : "%s", words[i]);
    printf("\n");
}

/* Run a program with the words as its arguments, wait for it, and say how it ended
 * unless it succeeded. */
static void run_program(char **words)
{
    long pid = spawn(words[0], words, environ);
    if (pid == -ENOENT) {
        printf("sh: %s: not found\n", words[0]);
        return;
    }
    if (pid < 0) {
        printf("sh: %s: cannot run it: %s\n", words[0], errno_name(pid));
        return;
    }
    long status = wait_for(pid);
    if (status != 0) {
        char text[60];
        describe_status(status, text, sizeof(text));
        printf("%s\n", text);
    }
}

int main(void)
{
    char line[LINE_SIZE];
    char *words[MAX_WORDS + 1];
    for (;;) {
        printf("$ ");
        long length = read_line(line, sizeof(line));
        if (length < 0) {
            printf("\n");
            return 0; /* end of input (Ctrl-D) */
        }
        int count = split_words(line, words);
        if (count == 0)
            continue;
        if (strcmp(words[0], "exit") == 0) {
            uint64_t code = 0;
            if (count > 1 && !parse_u64(words[1], &code)) {
                printf("sh: exit: %s: not a number\n", words[1]);
                continue;
            }
            return (int)code;
        }
        if (strcmp(words[0], "help") == 0)
            help();
        else if (strcmp(words[0], "echo") == 0)
            echo(count, words);
        else
            run_program(words);
    }
}
