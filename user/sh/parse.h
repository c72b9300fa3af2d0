/*
 * parse.h — a command line into pipelines of commands (command.h).
 *
 * The grammar, in the order the parser meets it:
 *
 *   line        = [ pipeline { ";" pipeline } [ ";" ] ]
 *   pipeline    = command { "|" command }
 *   command     = { word | redirection }      at least one of either
 *   redirection = ( "<" | ">" | ">>" | "N<" | "N>" | "N>>" ) word  |  "N>&M"
 *
 * so `| wc`, `ls |`, `ls || wc`, `; ls` and `cat <` are syntax errors.
 */
#ifndef USER_SH_PARSE_H
#define USER_SH_PARSE_H

#include <stdbool.h>

#include "command.h"

/* Parse text (one line, no newline) into *line. Returns false with line->error
 * saying why ("syntax error near unexpected token `|'") if the line is not in the
 * grammar; an empty line (or a comment) gives true and no pipelines. */
bool parse_line(const char *text, struct command_line *line);

#endif
