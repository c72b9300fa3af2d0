/*
 * trace.c — reading and writing page-reference traces (trace.h has the forms).
 */
#include "trace.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* A growing array of page numbers, as read from a file. */
struct numbers {
    uint64_t *at;
    uint32_t count, capacity;
};

/* Append one number; 0 or -1 (out of memory, or more than 2^32-1 references). */
static int numbers_push(struct numbers *numbers, uint64_t value)
{
    if (numbers->count == numbers->capacity) {
        if (numbers->capacity >= UINT32_MAX / 2)
            return -1;
        uint32_t capacity = numbers->capacity ? numbers->capacity * 2 : 4096;
        uint64_t *at = realloc(numbers->at, capacity * sizeof *at);
        if (!at)
            return -1;
        numbers->at = at;
        numbers->capacity = capacity;
    }
    numbers->at[numbers->count++] = value;
    return 0;
}

/* Renumbering: an open-addressing hash table from page number to dense id. */
struct id_table {
    uint64_t *key;
    uint32_t *id; /* UINT32_MAX: empty slot */
    size_t mask;
};

static size_t hash_page(uint64_t number)
{
    return (size_t)((number * 0x9e3779b97f4a7c15ull) >> 20);
}

/* A table for up to `count` distinct pages, at most half full. 0 or -1. */
static int id_table_create(struct id_table *table, uint32_t count)
{
    size_t size = 16;
    while (size < 2 * (size_t)count)
        size *= 2;
    table->key = malloc(size * sizeof *table->key);
    table->id = malloc(size * sizeof *table->id);
    table->mask = size - 1;
    if (!table->key || !table->id)
        return -1;
    memset(table->id, 0xff, size * sizeof *table->id);
    return 0;
}

/* The id of `number`, given `*next` (and *next incremented) if it is new. */
static uint32_t id_table_find_or_add(struct id_table *table, uint64_t number, uint32_t *next)
{
    size_t slot = hash_page(number) & table->mask;
    while (table->id[slot] != UINT32_MAX && table->key[slot] != number)
        slot = (slot + 1) & table->mask;
    if (table->id[slot] == UINT32_MAX) {
        table->key[slot] = number;
        table->id[slot] = (*next)++;
    }
    return table->id[slot];
}

int trace_from_numbers(const uint64_t *numbers, uint32_t count, struct trace *trace)
{
    struct id_table table = { 0 };
    memset(trace, 0, sizeof *trace);
    trace->ref = malloc((count ? count : 1) * sizeof *trace->ref);
    trace->number = malloc((count ? count : 1) * sizeof *trace->number);
    int status = trace->ref && trace->number ? id_table_create(&table, count) : -1;
    if (status == 0) {
        for (uint32_t i = 0; i < count; i++) {
            uint32_t id = id_table_find_or_add(&table, numbers[i], &trace->npages);
            trace->ref[i] = id;
            trace->number[id] = numbers[i];
        }
        trace->count = count;
    }
    free(table.key);
    free(table.id);
    if (status != 0)
        trace_free(trace);
    return status;
}

/* One text line's page number: 1 found (in *value), 0 blank or comment only, -1 bad. */
static int parse_line(const char *line, uint64_t *value)
{
    while (*line == ' ' || *line == '\t')
        line++;
    if (*line == '#' || *line == '\n' || *line == '\r' || *line == '\0')
        return 0;
    bool hex = line[0] == '0' && (line[1] == 'x' || line[1] == 'X');
    if (hex && !((line[2] >= '0' && line[2] <= '9') || (line[2] >= 'a' && line[2] <= 'f') ||
                 (line[2] >= 'A' && line[2] <= 'F')))
        return -1;
    if (!hex && !(*line >= '0' && *line <= '9'))
        return -1; /* strtoull would take a sign */
    char *end;
    errno = 0;
    *value = strtoull(line, &end, hex ? 16 : 10);
    if (errno != 0)
        return -1;
    while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
        end++;
    return *end == '\0' || *end == '#' ? 1 : -1;
}

/* The text form: every line parsed into numbers. 0 or -1 with why. */
static int read_text(FILE *in, struct numbers *numbers, char *why, size_t why_size)
{
    char line[256];
    unsigned long line_number = 0;
    while (fgets(line, sizeof line, in)) {
        uint64_t value;
        line_number++;
        int found = parse_line(line, &value);
        if (found < 0) {
            line[strcspn(line, "\r\n")] = '\0';
            snprintf(why, why_size, "line %lu: not a page number: %.40s", line_number, line);
            return -1;
        }
        if (found && numbers_push(numbers, value) != 0) {
            snprintf(why, why_size, "line %lu: out of memory", line_number);
            return -1;
        }
    }
    return 0;
}

static uint32_t get_le32(const unsigned char *bytes)
{
    return bytes[0] | (uint32_t)bytes[1] << 8 | (uint32_t)bytes[2] << 16 | (uint32_t)bytes[3] << 24;
}

static void put_le32(unsigned char *bytes, uint32_t value)
{
    for (int i = 0; i < 4; i++)
        bytes[i] = (unsigned char)(value >> (8 * i));
}

/* The binary form, after its magic (header: replay-format.md). 0 or -1 with why. */
static int read_binary(FILE *in, struct numbers *numbers, char *why, size_t why_size)
{
    unsigned char header[TRACE_BIN_HEADER - 4], word[4];
    if (fread(header, 1, sizeof header, in) != sizeof header) {
        snprintf(why, why_size, "binary trace: header cut short");
        return -1;
    }
    uint32_t version = get_le32(header), count = get_le32(header + 4);
    uint32_t limit = get_le32(header + 8);
    if (version != TRACE_BIN_VERSION) {
        snprintf(why, why_size, "binary trace: version %u, expected %u", version,
                 TRACE_BIN_VERSION);
        return -1;
    }
    for (uint32_t i = 0; i < count; i++) {
        if (fread(word, 1, 4, in) != 4) {
            snprintf(why, why_size, "binary trace: %u of %u references", i, count);
            return -1;
        }
        uint32_t page = get_le32(word);
        if (page >= limit) {
            snprintf(why, why_size, "binary trace: reference %u is page %u, limit %u", i, page,
                     limit);
            return -1;
        }
        if (numbers_push(numbers, page) != 0) {
            snprintf(why, why_size, "binary trace: out of memory");
            return -1;
        }
    }
    if (fread(word, 1, 1, in) != 0) {
        snprintf(why, why_size, "binary trace: bytes after %u references", count);
        return -1;
    }
    return 0;
}

int trace_load(const char *path, struct trace *trace, char *why, size_t why_size)
{
    FILE *in = fopen(path, "rb");
    if (!in) {
        snprintf(why, why_size, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct numbers numbers = { 0 };
    char magic[4];
    size_t got = fread(magic, 1, 4, in);
    int status;
    if (got == 4 && memcmp(magic, TRACE_BIN_MAGIC, 4) == 0) {
        status = read_binary(in, &numbers, why, why_size);
    } else {
        rewind(in);
        status = read_text(in, &numbers, why, why_size);
    }
    fclose(in);
    if (status == 0 && trace_from_numbers(numbers.at, numbers.count, trace) != 0) {
        snprintf(why, why_size, "out of memory");
        status = -1;
    }
    free(numbers.at);
    return status;
}

int trace_write_binary(const struct trace *trace, FILE *out)
{
    uint64_t limit = 0;
    for (uint32_t id = 0; id < trace->npages; id++)
        if (trace->number[id] + 1 > limit)
            limit = trace->number[id] + 1;
    if (limit > UINT32_MAX)
        return -1;
    unsigned char header[TRACE_BIN_HEADER], word[4];
    memcpy(header, TRACE_BIN_MAGIC, 4);
    put_le32(header + 4, TRACE_BIN_VERSION);
    put_le32(header + 8, trace->count);
    put_le32(header + 12, (uint32_t)limit);
    if (fwrite(header, 1, sizeof header, out) != sizeof header)
        return -1;
    for (uint32_t i = 0; i < trace->count; i++) {
        put_le32(word, (uint32_t)trace->number[trace->ref[i]]);
        if (fwrite(word, 1, 4, out) != 4)
            return -1;
    }
    return fflush(out) == 0 ? 0 : -1;
}

void trace_free(struct trace *trace)
{
    free(trace->ref);
    free(trace->number);
    memset(trace, 0, sizeof *trace);
}
