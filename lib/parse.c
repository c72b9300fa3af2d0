/*
 * parse.c — strict number parsing: the whole string must be a number.
 */
#include "parse.h"

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99; /* not a digit in any base we use */
}

bool parse_u64(const char *text, uint64_t *value)
{
    unsigned base = 10;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text += 2;
    }
    if (*text == '\0')
        return false;
    uint64_t result = 0;
    for (; *text; text++) {
        unsigned d = (unsigned)digit_value(*text);
        if (d >= base)
            return false;
        if (result > (UINT64_MAX - d) / base)
            return false; /* result * base + d would overflow */
        result = result * base + d;
    }
    *value = result;
    return true;
}
