/*
 * builtins.c — help, echo, exit, cd, pwd.
 */
#include "builtins.h"

#include <stddef.h>

#include "lib/parse.h"
#include "lib/string.h"
#include "user/lib/env.h"
#include "user/lib/errno_names.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"

#define PATH_SIZE 4096 /* Linux's PATH_MAX: the longest path, with its zero */

bool exit_requested;
int exit_code;

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

static int help(int count, char **words)
{
    (void)count, (void)words;
    printf("built-in commands:\n"
           "  help           this list\n"
           "  echo [WORD]... print the words\n"
           "  exit [N]       leave the shell with status N (default 0)\n"
           "  cd [DIR]       change the working directory (default $HOME, or /)\n"
           "  pwd            print the working directory\n"
           "programs (in /bin):\n");
    for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++)
        printf("  %-14s %s\n", programs[i].name, programs[i].what);
    return 0;
}

/* echo [-n] WORD...: the words, one space between, then a newline unless -n. */
static int echo(int count, char **words)
{
    int first = 1;
    bool newline = true;
    if (count > 1 && strcmp(words[1], "-n") == 0) {
        newline = false;
        first = 2;
    }
    for (int i = first; i < count; i++)
        printf(i > first ? " %s" : "%s", words[i]);
    if (newline)
        printf("\n");
    return 0;
}

static int exit_builtin(int count, char **words)
{
    uint64_t code = 0;
    if (count > 1 && !parse_u64(words[1], &code)) {
        dprintf(STDERR, "sh: exit: %s: not a number\n", words[1]);
        return 2;
    }
    exit_requested = true;
    exit_code = (int)(code & 0xff);
    return exit_code;
}

/* cd [DIR]: chdir, the one call that must happen in the shell itself. */
static int cd(int count, char **words)
{
    const char *dir = count > 1 ? words[1] : getenv("HOME");
    if (dir == NULL || dir[0] == '\0')
        dir = "/";
    long result = sys_chdir(dir);
    if (result < 0) {
        dprintf(STDERR, "sh: cd: %s: %s\n", dir, errno_text(result));
        return 1;
    }
    return 0;
}

/* pwd: the kernel's getcwd (it walks ".." up to "/" and names each step). */
static int pwd(int count, char **words)
{
    (void)count, (void)words;
    char path[PATH_SIZE];
    long result = sys_getcwd(path, sizeof(path));
    if (result < 0) {
        dprintf(STDERR, "sh: pwd: %s\n", errno_text(result));
        return 1;
    }
    printf("%s\n", path);
    return 0;
}

static const struct {
    const char *name;
    builtin_fn run;
} builtins[] = {
    { "help", help }, { "echo", echo }, { "exit", exit_builtin }, { "cd", cd }, { "pwd", pwd },
};

builtin_fn builtin_find(const char *name)
{
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
        if (strcmp(builtins[i].name, name) == 0)
            return builtins[i].run;
    }
    return NULL;
}
