/*
 * lex.h — cutting a command line into tokens: words and operators.
 *
 *   echo "a  b"c 'it''s' \> x  2>>log | wc
 *   WORD{echo} WORD{a  bc} WORD{its} WORD{>} WORD{x} REDIRECTION{2 >> } WORD{log} PIPE WORD{wc} END
 *
 * Quoting, as sh does it:
 *   '...'   everything inside is taken as it is, backslashes too
 *   "..."   the same, except that \" \\ \$ \` stand for the character after the \
 *   \c      outside quotes: the character c as it is (\  is a space inside a word)
 * Quotes join with what touches them into one word, and "" is an empty word.
 * Outside quotes a space or tab ends a word, and so does an operator:
 *   |  ;  <  >  >>  N<  N>  N>>  N>&M  (N, M single digits)
 * '#' at the start of a word makes the rest of the line a comment.
 */
#ifndef USER_SH_LEX_H
#define USER_SH_LEX_H

#include <stdbool.h>

#include "command.h"

enum token_kind {
    TOKEN_WORD,        /* word: its text, quotes removed */
    TOKEN_PIPE,        /* | */
    TOKEN_SEMICOLON,   /* ; */
    TOKEN_REDIRECTION, /* < > >> N>&M...: redirection (its path comes as the next word) */
    TOKEN_END,         /* the end of the line */
};

struct token {
    enum token_kind kind;
    char *word;                     /* TOKEN_WORD */
    struct redirection redirection; /* TOKEN_REDIRECTION */
    char spelling[8];               /* as typed, for "unexpected token `|'" */
};

struct lexer {
    const char *next; /* the first character not yet read */
    char *out;        /* where the next word's text goes (command_line.text) */
    char *out_end;
    char *error; /* ERROR_SIZE bytes for the reason a token was refused */
};

/* Prepare to read line, writing the words' text into line_out (of the command
 * line) and any error into its error buffer. */
void lex_start(struct lexer *lexer, const char *text, struct command_line *line_out);

/* Read the next token into *token. Returns false, with lexer->error set, for an
 * unterminated quote, a '\' at the end of the line, or an operator we lack ('&'). */
bool lex_next(struct lexer *lexer, struct token *token);

#endif
