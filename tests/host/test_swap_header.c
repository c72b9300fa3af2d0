/*
 * test_swap_header.c — kernel/swap/swap_header.c on the host: the header page
 * mkswap writes, and corrupt ones swapon must refuse, as Linux's read_swap_header
 * does. Each header is laid out here byte by byte, as mkswap 2.38 lays out a
 * 64 KiB image (kernel/swap/README.md shows its hexdump):
 *
 *   1024: 01 00 00 00   version 1
 *   1028: 0f 00 00 00   last_page 15 (16 pages: the header and slots 1..15)
 *   1032: 00 00 00 00   nr_badpages 0
 *   1036: uuid, 1052: "vmlab-swap", 4086: "SWAPSPACE2"
 */
#include "check.h"
#include "kernel/swap/swap_header.h"
#include "lib/string.h"

#define PAGES 16 /* a 64 KiB area */

static uint8_t page[SWAP_HEADER_SIZE];
static struct swap_area_header parsed;

static void put32(uint32_t at, uint32_t value)
{
    memcpy(page + at, &value, sizeof value);
}

static uint32_t swapped(uint32_t x)
{
    return (x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24);
}

/* A valid header of an area of `pages` pages with no bad page. */
static void make_header(uint32_t pages)
{
    static const uint8_t uuid[SWAP_UUID_LENGTH] = {
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef
    };
    memset(page, 0, sizeof page);
    put32(SWAP_VERSION_AT, 1);
    put32(SWAP_LAST_PAGE_AT, pages - 1);
    put32(SWAP_NR_BADPAGES_AT, 0);
    memcpy(page + SWAP_UUID_AT, uuid, sizeof uuid);
    memcpy(page + SWAP_VOLUME_NAME_AT, "vmlab-swap", 10);
    memcpy(page + SWAP_SIGNATURE_AT, SWAP_SIGNATURE, SWAP_SIGNATURE_LENGTH);
}

static void set_bad_pages(uint32_t count, const uint32_t *bad)
{
    put32(SWAP_NR_BADPAGES_AT, count);
    for (uint32_t i = 0; i < count; i++)
        put32(SWAP_BADPAGES_AT + 4 * i, bad[i]);
}

static enum swap_header_error parse(uint64_t device_pages)
{
    return swap_header_parse(page, device_pages, &parsed);
}

TEST(swap_header_as_mkswap_writes_it)
{
    make_header(PAGES);
    CHECK_EQ(parse(PAGES), SWAP_HEADER_OK);
    CHECK_EQ(parsed.pages, PAGES);
    CHECK_EQ(parsed.last_page, PAGES - 1);
    CHECK_EQ(parsed.nbad, 0);
    CHECK_EQ(parsed.byte_swapped, false);
    CHECK_STR(parsed.label, "vmlab-swap");
    CHECK_EQ(parsed.uuid[0], 0x01);
    CHECK_EQ(parsed.uuid[15], 0xef);
}

TEST(swap_header_on_a_larger_device_uses_only_last_page)
{
    make_header(PAGES);
    CHECK_EQ(parse(PAGES * 4), SWAP_HEADER_OK);
    CHECK_EQ(parsed.pages, PAGES);
}

TEST(swap_header_past_the_end_of_the_device_is_refused)
{
    make_header(PAGES);
    CHECK_EQ(parse(PAGES - 1),
             SWAP_HEADER_BEYOND_DEVICE); /* Linux: shorter than signature indicates */
    put32(SWAP_LAST_PAGE_AT, 0xffffffff);
    CHECK_EQ(parse(PAGES), SWAP_HEADER_BEYOND_DEVICE);
}

TEST(swap_header_signatures)
{
    make_header(PAGES);
    memcpy(page + SWAP_SIGNATURE_AT, "XXXXXXXXXX", SWAP_SIGNATURE_LENGTH);
    CHECK_EQ(parse(PAGES), SWAP_HEADER_NO_SIGNATURE);
    memcpy(page + SWAP_SIGNATURE_AT, "SWAPSPACE1", SWAP_SIGNATURE_LENGTH);
    CHECK_EQ(parse(PAGES), SWAP_HEADER_NO_SIGNATURE);
    memcpy(page + SWAP_SIGNATURE_AT, "SWAP-SPACE", SWAP_SIGNATURE_LENGTH);
    CHECK_EQ(parse(PAGES), SWAP_HEADER_OLD_FORMAT);
    memset(page, 0, sizeof page); /* a blank disk */
    CHECK_EQ(parse(PAGES), SWAP_HEADER_NO_SIGNATURE);
}

TEST(swap_header_version_must_be_1)
{
    make_header(PAGES);
    put32(SWAP_VERSION_AT, 2);
    CHECK_EQ(parse(PAGES), SWAP_HEADER_BAD_VERSION);
    put32(SWAP_VERSION_AT, 0);
    CHECK_EQ(parse(PAGES), SWAP_HEADER_BAD_VERSION);
    put32(SWAP_VERSION_AT, 0x02000000); /* 2, byte-swapped */
    CHECK_EQ(parse(PAGES), SWAP_HEADER_BAD_VERSION);
}

TEST(swap_header_with_no_page_but_itself_is_empty)
{
    make_header(PAGES);
    put32(SWAP_LAST_PAGE_AT, 0);
    CHECK_EQ(parse(PAGES), SWAP_HEADER_EMPTY);
}

TEST(swap_header_bad_pages_in_range_are_kept)
{
    static const uint32_t bad[] = { 1, 7, PAGES - 1 };
    make_header(PAGES);
    set_bad_pages(3, bad);
    CHECK_EQ(parse(PAGES), SWAP_HEADER_OK);
    CHECK_EQ(parsed.nbad, 3);
    CHECK_EQ(parsed.bad[0], 1);
    CHECK_EQ(parsed.bad[1], 7);
    CHECK_EQ(parsed.bad[2], PAGES - 1);
}

TEST(swap_header_bad_page_0_or_past_the_end_is_refused)
{
    static const uint32_t header_page[] = { 3, 0 }, past_end[] = { PAGES }, huge[] = { 0xffffffff };
    make_header(PAGES);
    set_bad_pages(2, header_page);
    CHECK_EQ(parse(PAGES), SWAP_HEADER_BAD_PAGE_RANGE);
    set_bad_pages(1, past_end);
    CHECK_EQ(parse(PAGES), SWAP_HEADER_BAD_PAGE_RANGE);
    set_bad_pages(1, huge);
    CHECK_EQ(parse(PAGES), SWAP_HEADER_BAD_PAGE_RANGE);
}

TEST(swap_header_bad_page_count_is_limited_to_its_room)
{
    static uint32_t bad[SWAP_MAX_BAD_PAGES];
    CHECK_EQ(SWAP_MAX_BAD_PAGES, 637); /* Linux's MAX_SWAP_BADPAGES */
    for (uint32_t i = 0; i < SWAP_MAX_BAD_PAGES; i++)
        bad[i] = i + 1;
    make_header(1024);
    set_bad_pages(SWAP_MAX_BAD_PAGES, bad);
    CHECK_EQ(parse(1024), SWAP_HEADER_OK);
    CHECK_EQ(parsed.nbad, SWAP_MAX_BAD_PAGES);
    CHECK_EQ(parsed.bad[SWAP_MAX_BAD_PAGES - 1], SWAP_MAX_BAD_PAGES);
    put32(SWAP_NR_BADPAGES_AT, SWAP_MAX_BAD_PAGES + 1); /* would read the signature */
    CHECK_EQ(parse(1024), SWAP_HEADER_TOO_MANY_BAD);
    put32(SWAP_NR_BADPAGES_AT, 0xffffffff);
    CHECK_EQ(parse(1024), SWAP_HEADER_TOO_MANY_BAD);
}

TEST(swap_header_with_every_page_bad_is_refused)
{
    static const uint32_t bad[] = { 1, 2 };
    make_header(3);
    set_bad_pages(2, bad);
    CHECK_EQ(parse(3), SWAP_HEADER_NO_GOOD_PAGES);
    set_bad_pages(1, bad);
    CHECK_EQ(parse(3), SWAP_HEADER_OK);
}

/* mkswap on a big-endian machine: every number byte-swapped. Linux swaps them
 * back (its "endianness hack"), and so do we. */
TEST(swap_header_written_big_endian_is_read_swapped)
{
    make_header(PAGES);
    put32(SWAP_VERSION_AT, swapped(1));
    put32(SWAP_LAST_PAGE_AT, swapped(PAGES - 1));
    put32(SWAP_NR_BADPAGES_AT, swapped(1));
    put32(SWAP_BADPAGES_AT, swapped(5));
    CHECK_EQ(parse(PAGES), SWAP_HEADER_OK);
    CHECK_EQ(parsed.byte_swapped, true);
    CHECK_EQ(parsed.last_page, PAGES - 1);
    CHECK_EQ(parsed.nbad, 1);
    CHECK_EQ(parsed.bad[0], 5);
    put32(SWAP_NR_BADPAGES_AT, swapped(SWAP_MAX_BAD_PAGES + 1));
    CHECK_EQ(parse(PAGES), SWAP_HEADER_TOO_MANY_BAD);
}

TEST(swap_header_errors_have_distinct_phrases)
{
    for (int a = SWAP_HEADER_OK; a <= SWAP_HEADER_NO_GOOD_PAGES; a++) {
        for (int b = a + 1; b <= SWAP_HEADER_NO_GOOD_PAGES; b++) {
            CHECK(strcmp(swap_header_error_string(a), swap_header_error_string(b)) != 0,
                  "errors %d and %d read alike", a, b);
        }
    }
}
