/*
 * swap_header.c — checking the header page of a swap area (swap_header.h).
 *
 * The checks follow Linux's swapon (mm/swapfile.c: read_swap_header, then
 * setup_swap_map_and_extents for the bad pages), so an image Linux accepts is
 * accepted here and one it refuses is refused:
 *   - the signature "SWAPSPACE2" ends the page;
 *   - version 1, or 1 byte-swapped (the header is then swapped first);
 *   - last_page >= 1 ("Empty swap-file" otherwise);
 *   - pages = last_page + 1 fit on the device ("Swap area shorter than
 *     signature indicates": Linux refuses, it does not shorten the area);
 *   - nr_badpages <= 637, each bad page in 1 .. last_page (-EINVAL otherwise);
 *   - at least one page that is not bad.
 */
#include "swap_header.h"

#include "lib/string.h"

/* A 32-bit field of the page at byte `at` (the page may be unaligned). */
static uint32_t field32(const uint8_t *page, uint32_t at)
{
    uint32_t value;
    memcpy(&value, page + at, sizeof value);
    return value;
}

static uint32_t swap_bytes32(uint32_t x)
{
    return (x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24);
}

/* Step 1: the signature in the last 10 bytes. */
static enum swap_header_error check_signature(const uint8_t *page)
{
    const uint8_t *signature = page + SWAP_SIGNATURE_AT;
    if (memcmp(signature, SWAP_SIGNATURE, SWAP_SIGNATURE_LENGTH) == 0)
        return SWAP_HEADER_OK;
    if (memcmp(signature, SWAP_OLD_SIGNATURE, SWAP_SIGNATURE_LENGTH) == 0)
        return SWAP_HEADER_OLD_FORMAT;
    return SWAP_HEADER_NO_SIGNATURE;
}

/* Step 2: version, last_page and nr_badpages into out, in this machine's byte
 * order: a header whose version reads 0x01000000 was written big-endian. */
static enum swap_header_error read_numbers(const uint8_t *page, struct swap_area_header *out)
{
    uint32_t version = field32(page, SWAP_VERSION_AT);
    out->last_page = field32(page, SWAP_LAST_PAGE_AT);
    out->nbad = field32(page, SWAP_NR_BADPAGES_AT);
    out->byte_swapped =
        version != SWAP_HEADER_VERSION && swap_bytes32(version) == SWAP_HEADER_VERSION;
    if (out->byte_swapped) {
        version = swap_bytes32(version);
        out->last_page = swap_bytes32(out->last_page);
        out->nbad = swap_bytes32(out->nbad);
    }
    return version == SWAP_HEADER_VERSION ? SWAP_HEADER_OK : SWAP_HEADER_BAD_VERSION;
}

/* Step 3: the area's size: at least one page after the header, all on the device. */
static enum swap_header_error check_size(struct swap_area_header *out, uint64_t device_pages)
{
    if (out->last_page == 0)
        return SWAP_HEADER_EMPTY;
    out->pages = (uint64_t)out->last_page + 1;
    return out->pages <= device_pages ? SWAP_HEADER_OK : SWAP_HEADER_BEYOND_DEVICE;
}

/* Step 4: the bad-page list: not longer than its room, each page one the area
 * has and not the header itself, and not every page bad. */
static enum swap_header_error read_bad_pages(const uint8_t *page, struct swap_area_header *out)
{
    if (out->nbad > SWAP_MAX_BAD_PAGES)
        return SWAP_HEADER_TOO_MANY_BAD;
    for (uint32_t i = 0; i < out->nbad; i++) {
        uint32_t bad = field32(page, SWAP_BADPAGES_AT + 4 * i);
        bad = out->byte_swapped ? swap_bytes32(bad) : bad;
        if (bad == 0 || bad > out->last_page)
            return SWAP_HEADER_BAD_PAGE_RANGE;
        out->bad[i] = bad;
    }
    return out->nbad < out->last_page ? SWAP_HEADER_OK : SWAP_HEADER_NO_GOOD_PAGES;
}

/* The UUID and label, for whoever wants to show them (they are never checked). */
static void read_names(const uint8_t *page, struct swap_area_header *out)
{
    memcpy(out->uuid, page + SWAP_UUID_AT, SWAP_UUID_LENGTH);
    memcpy(out->label, page + SWAP_VOLUME_NAME_AT, SWAP_VOLUME_NAME_SIZE);
    out->label[SWAP_VOLUME_NAME_SIZE] = '\0';
}

enum swap_header_error swap_header_parse(const uint8_t *page, uint64_t device_pages,
                                         struct swap_area_header *out)
{
    enum swap_header_error error = check_signature(page);
    if (error == SWAP_HEADER_OK)
        error = read_numbers(page, out);
    if (error == SWAP_HEADER_OK)
        error = check_size(out, device_pages);
    if (error == SWAP_HEADER_OK)
        error = read_bad_pages(page, out);
    if (error == SWAP_HEADER_OK)
        read_names(page, out);
    return error;
}

const char *swap_header_error_string(enum swap_header_error error)
{
    switch (error) {
    case SWAP_HEADER_OK: return "a valid swap header";
    case SWAP_HEADER_NO_SIGNATURE: return "no swap signature (SWAPSPACE2 at byte 4086)";
    case SWAP_HEADER_OLD_FORMAT: return "old swap format SWAP-SPACE (run mkswap again)";
    case SWAP_HEADER_BAD_VERSION: return "swap header version is not 1";
    case SWAP_HEADER_EMPTY: return "empty swap area (last_page 0)";
    case SWAP_HEADER_BEYOND_DEVICE: return "swap area longer than the device (last_page too big)";
    case SWAP_HEADER_TOO_MANY_BAD: return "more bad pages than the header holds (over 637)";
    case SWAP_HEADER_BAD_PAGE_RANGE: return "a bad page numbered 0 or past last_page";
    case SWAP_HEADER_NO_GOOD_PAGES: return "every page of the swap area is bad";
    }
    return "unknown swap header error";
}
