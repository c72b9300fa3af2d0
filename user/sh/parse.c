/*
 * parse.c — the grammar of parse.h, one function per rule, reading tokens from lex.c.
 */
#include "parse.h"

#include "lex.h"
#include "lib/format.h"
#include "lib/string.h"

/* The parser's state: the lexer and the one token looked at but not yet used. */
struct parser {
    struct lexer lexer;
    struct token token;
    char *error;
};

static bool advance(struct parser *parser)
{
    return lex_next(&parser->lexer, &parser->token);
}

static bool unexpected(struct parser *parser)
{
    snprintf(parser->error, ERROR_SIZE, "syntax error near unexpected token `%s'",
             parser->token.spelling);
    return false;
}

static bool too_many(struct parser *parser, const char *what)
{
    snprintf(parser->error, ERROR_SIZE, "too many %s", what);
    return false;
}

/* redirection: the operator is the current token; the next must be a word, the
 * file's name (not needed by N>&M). */
static bool parse_redirection(struct parser *parser, struct command *command)
{
    if (command->redirection_count == MAX_REDIRECTIONS)
        return too_many(parser, "redirections");
    struct redirection *r = &command->redirections[command->redirection_count++];
    *r = parser->token.redirection;
    if (!advance(parser))
        return false;
    if (r->kind == REDIRECT_COPY)
        return true;
    if (parser->token.kind != TOKEN_WORD)
        return unexpected(parser);
    r->path = parser->token.word;
    return advance(parser);
}

/* command: words and redirections, in any order, at least one of them. */
static bool parse_command(struct parser *parser, struct command *command)
{
    command->word_count = 0;
    command->redirection_count = 0;
    for (;;) {
        if (parser->token.kind == TOKEN_WORD) {
            if (command->word_count == MAX_WORDS)
                return too_many(parser, "words");
            command->words[command->word_count++] = parser->token.word;
            if (!advance(parser))
                return false;
        } else if (parser->token.kind == TOKEN_REDIRECTION) {
            if (!parse_redirection(parser, command))
                return false;
        } else {
            break;
        }
    }
    command->words[command->word_count] = NULL;
    if (command->word_count == 0 && command->redirection_count == 0)
        return unexpected(parser); /* "| wc", "ls |", "ls || wc" */
    return true;
}

/* pipeline: commands joined by '|'. */
static bool parse_pipeline(struct parser *parser, struct pipeline *pipeline)
{
    pipeline->stage_count = 0;
    for (;;) {
        if (pipeline->stage_count == MAX_STAGES)
            return too_many(parser, "commands in a pipeline");
        if (!parse_command(parser, &pipeline->stages[pipeline->stage_count++]))
            return false;
        if (parser->token.kind != TOKEN_PIPE)
            return true;
        if (!advance(parser))
            return false;
    }
}

bool parse_line(const char *text, struct command_line *line)
{
    struct parser parser = { .error = line->error };
    lex_start(&parser.lexer, text, line);
    line->pipeline_count = 0;
    if (!advance(&parser))
        return false;
    while (parser.token.kind != TOKEN_END) {
        if (line->pipeline_count == MAX_PIPELINES)
            return too_many(&parser, "commands separated by ;");
        if (!parse_pipeline(&parser, &line->pipelines[line->pipeline_count++]))
            return false;
        if (parser.token.kind == TOKEN_END)
            break;
        if (parser.token.kind != TOKEN_SEMICOLON)
            return unexpected(&parser);
        if (!advance(&parser))
            return false;
    }
    return true;
}
