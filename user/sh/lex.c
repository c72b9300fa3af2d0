/*
 * lex.c — words and operators out of a command line (the rules are in lex.h).
 */
#include "lex.h"

#include "lib/format.h"

void lex_start(struct lexer *lexer, const char *text, struct command_line *line_out)
{
    lexer->next = text;
    lexer->out = line_out->text;
    lexer->out_end = line_out->text + sizeof(line_out->text);
    lexer->error = line_out->error;
    lexer->error[0] = '\0';
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Characters that end a word when they are not quoted. */
static bool ends_word(char c)
{
    return c == '\0' || is_blank(c) || c == '|' || c == ';' || c == '<' || c == '>' || c == '&';
}

/* Append one character to the word being built. The buffer holds twice the line,
 * so this cannot run out; the check only keeps a broken caller in bounds. */
static void put(struct lexer *lexer, char c)
{
    if (lexer->out < lexer->out_end - 1)
        *lexer->out++ = c;
}

/* Inside '...': copy up to the closing quote. False if there is none. */
static bool single_quoted(struct lexer *lexer)
{
    const char *p = lexer->next + 1;
    while (*p != '\'' && *p != '\0')
        put(lexer, *p++);
    if (*p == '\0') {
        snprintf(lexer->error, ERROR_SIZE, "syntax error: unterminated '...' quote");
        return false;
    }
    lexer->next = p + 1;
    return true;
}

/* Inside "...": copy up to the closing quote; \ keeps its meaning only before
 * " \ $ and ` (sh's rule), elsewhere it is an ordinary character. */
static bool double_quoted(struct lexer *lexer)
{
    const char *p = lexer->next + 1;
    while (*p != '"' && *p != '\0') {
        if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$' || p[1] == '`'))
            p++;
        put(lexer, *p++);
    }
    if (*p == '\0') {
        snprintf(lexer->error, ERROR_SIZE, "syntax error: unterminated \"...\" quote");
        return false;
    }
    lexer->next = p + 1;
    return true;
}

/* ASSIGNMENT(shell): quote removal, one character at a time.
 * A word: plain characters, quoted parts and \-escapes, up to an unquoted blank or
 * operator. Its text, zero-terminated, goes to the command line's buffer. */
static bool read_word(struct lexer *lexer, struct token *token)
{
    token->kind = TOKEN_WORD;
    token->word = lexer->out;
    while (!ends_word(*lexer->next)) {
        char c = *lexer->next;
        if (c == '\'' && !single_quoted(lexer))
            return false;
        if (c == '"' && !double_quoted(lexer))
            return false;
        if (c == '\\') {
            if (lexer->next[1] == '\0') {
                snprintf(lexer->error, ERROR_SIZE, "syntax error: \\ at the end of the line");
                return false;
            }
            put(lexer, lexer->next[1]);
            lexer->next += 2;
        } else if (c != '\'' && c != '"') {
            put(lexer, c);
            lexer->next++;
        }
    }
    put(lexer, '\0');
    return true;
}

/* A redirection operator at lexer->next: [N]< [N]> [N]>> [N]>&M. */
static bool read_redirection(struct lexer *lexer, struct token *token)
{
    const char *start = lexer->next;
    const char *p = start;
    struct redirection *r = &token->redirection;
    r->fd = is_digit(*p) ? *p++ - '0' : -1;
    r->path = NULL;
    if (*p == '<') {
        r->kind = REDIRECT_INPUT;
        p++;
    } else if (p[1] == '>') {
        r->kind = REDIRECT_APPEND;
        p += 2;
    } else if (p[1] == '&') {
        if (!is_digit(p[2]) || !ends_word(p[3])) {
            snprintf(lexer->error, ERROR_SIZE, "syntax error: >& wants one digit (2>&1)");
            return false;
        }
        r->kind = REDIRECT_COPY;
        r->source_fd = p[2] - '0';
        p += 3;
    } else {
        r->kind = REDIRECT_OUTPUT;
        p++;
    }
    if (r->fd < 0)
        r->fd = r->kind == REDIRECT_INPUT ? 0 : 1;
    token->kind = TOKEN_REDIRECTION;
    snprintf(token->spelling, sizeof(token->spelling), "%.*s", (int)(p - start), start);
    lexer->next = p;
    return true;
}

bool lex_next(struct lexer *lexer, struct token *token)
{
    while (is_blank(*lexer->next))
        lexer->next++;
    char c = *lexer->next;
    token->spelling[0] = c;
    token->spelling[1] = '\0';
    if (c == '\0' || c == '#') {
        token->kind = TOKEN_END;
        snprintf(token->spelling, sizeof(token->spelling), "newline");
        return true;
    }
    if (c == '|' || c == ';') {
        token->kind = c == '|' ? TOKEN_PIPE : TOKEN_SEMICOLON;
        lexer->next++;
        return true;
    }
    if (c == '&') {
        snprintf(lexer->error, ERROR_SIZE,
                 "syntax error: '&' is not supported (no background jobs, no &&)");
        return false;
    }
    if (c == '<' || c == '>' || (is_digit(c) && (lexer->next[1] == '<' || lexer->next[1] == '>')))
        return read_redirection(lexer, token);
    return read_word(lexer, token);
}
