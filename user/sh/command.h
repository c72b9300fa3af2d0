/*
 * command.h — what the shell makes of one command line, before it runs anything.
 *
 *   cat < notes | wc -l > count; pwd
 *
 * is a list of two pipelines, separated by ';':
 *
 *   pipeline 1: stage 1  words {"cat"}        redirections { 0 < "notes" }
 *               stage 2  words {"wc", "-l"}   redirections { 1 > "count" }
 *   pipeline 2: stage 1  words {"pwd"}
 *
 * parse.c builds this from the text (quotes removed, operators recognised); run.c
 * runs it: every stage of a pipeline at once, joined by pipes, each with its own
 * redirections applied on top of the pipe.
 */
#ifndef USER_SH_COMMAND_H
#define USER_SH_COMMAND_H

#include <stdbool.h>

#define LINE_SIZE        1024 /* the longest command line, with its zero */
#define MAX_WORDS        32   /* words of one command (argv, without its NULL) */
#define MAX_REDIRECTIONS 8    /* redirections of one command */
#define MAX_STAGES       8    /* commands joined by '|' */
#define MAX_PIPELINES    16   /* pipelines separated by ";" */
#define ERROR_SIZE       128

enum redirection_kind {
    REDIRECT_INPUT,  /* N<FILE   open FILE to read (N is 0 unless given) */
    REDIRECT_OUTPUT, /* N>FILE   create FILE or cut it to nothing, to write (N: 1) */
    REDIRECT_APPEND, /* N>>FILE  create FILE or keep it, every write at its end (N: 1) */
    REDIRECT_COPY,   /* N>&M     descriptor N becomes a copy of M (2>&1) */
};

struct redirection {
    enum redirection_kind kind;
    int fd;           /* the descriptor the command sees: 0, 1, 2... */
    const char *path; /* INPUT, OUTPUT, APPEND: the file */
    int source_fd;    /* COPY: the descriptor copied */
};

/* One command: a program (or built-in) with its arguments, and its redirections. */
struct command {
    char *words[MAX_WORDS + 1]; /* words[word_count] is NULL, as execve wants */
    int word_count;
    struct redirection redirections[MAX_REDIRECTIONS];
    int redirection_count;
};

/* Commands joined by '|': each one's standard output is the next one's input. */
struct pipeline {
    struct command stages[MAX_STAGES];
    int stage_count;
};

struct command_line {
    struct pipeline pipelines[MAX_PIPELINES];
    int pipeline_count;
    /* The words without their quotes: the text is copied here as it is read, so
     * "a b"c becomes the one word a bc. A word never grows, so the line's size
     * (plus a zero per word) is enough. */
    char text[2 * LINE_SIZE];
    char error[ERROR_SIZE]; /* why the line was refused, for "sh: ..." */
};

#endif
