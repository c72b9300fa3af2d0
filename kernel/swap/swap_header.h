/*
 * swap_header.h — the first page of a swap area, as util-linux's mkswap writes it
 * and Linux's swapon reads it (union swap_header, mm/swapfile.c read_swap_header).
 *
 *   byte    0  bootbits[1024]   left alone: room for a boot sector or a disk label
 *   byte 1024  version          1 (the only version Linux ever used for this layout)
 *   byte 1028  last_page        the last page of the area: slots 1 .. last_page
 *   byte 1032  nr_badpages      how many entries badpages[] holds
 *   byte 1036  uuid[16]         mkswap's random UUID (blkid shows it)
 *   byte 1052  volume_name[16]  mkswap -L LABEL, zero-padded
 *   byte 1068  padding[117]     32-bit words, zero
 *   byte 1536  badpages[]       page numbers never to use, up to the signature
 *   byte 4086  "SWAPSPACE2"     the signature, in the last 10 bytes of the page
 *
 * Numbers are in the byte order of the machine that ran mkswap (little-endian
 * here); a header made on a big-endian machine has version 0x01000000, and is
 * read byte-swapped, as Linux does. The parser is pure (a buffer in, a record
 * out) so the host tests feed it corrupt headers (tests/host/test_swap_header.c).
 */
#ifndef KERNEL_SWAP_SWAP_HEADER_H
#define KERNEL_SWAP_SWAP_HEADER_H

#include <stdbool.h>
#include <stdint.h>

#define SWAP_HEADER_SIZE      4096 /* one page, whatever the disk's sector size */
#define SWAP_SIGNATURE        "SWAPSPACE2"
#define SWAP_OLD_SIGNATURE    "SWAP-SPACE" /* Linux 2.0's format: a bitmap, no version */
#define SWAP_SIGNATURE_LENGTH 10
#define SWAP_SIGNATURE_AT     (SWAP_HEADER_SIZE - SWAP_SIGNATURE_LENGTH) /* 4086 */
#define SWAP_VERSION_AT       1024
#define SWAP_LAST_PAGE_AT     1028
#define SWAP_NR_BADPAGES_AT   1032
#define SWAP_UUID_AT          1036
#define SWAP_VOLUME_NAME_AT   1052
#define SWAP_BADPAGES_AT      1536
#define SWAP_UUID_LENGTH      16
#define SWAP_VOLUME_NAME_SIZE 16
#define SWAP_HEADER_VERSION   1
/* badpages[] runs from byte 1536 up to the signature: 637 entries (Linux's
 * MAX_SWAP_BADPAGES) */
#define SWAP_MAX_BAD_PAGES ((SWAP_SIGNATURE_AT - SWAP_BADPAGES_AT) / 4)

/* What a valid header says, in this machine's byte order. */
struct swap_area_header {
    uint64_t pages;     /* pages of the area, the header page included: last_page + 1 */
    uint32_t last_page; /* slots 1 .. last_page may hold pages */
    uint32_t nbad;      /* entries of bad[] */
    uint32_t bad[SWAP_MAX_BAD_PAGES];
    uint8_t uuid[SWAP_UUID_LENGTH];
    char label[SWAP_VOLUME_NAME_SIZE + 1]; /* volume_name, zero-terminated */
    bool byte_swapped;                     /* made on a machine of the other byte order */
};

/* Why a header is refused (swapon turns every one into -EINVAL, as Linux). */
enum swap_header_error {
    SWAP_HEADER_OK,
    SWAP_HEADER_NO_SIGNATURE,   /* no "SWAPSPACE2" at byte 4086 */
    SWAP_HEADER_OLD_FORMAT,     /* "SWAP-SPACE": Linux 2.0's format, long unsupported */
    SWAP_HEADER_BAD_VERSION,    /* version is not 1 (in either byte order) */
    SWAP_HEADER_EMPTY,          /* last_page 0: no page but the header */
    SWAP_HEADER_BEYOND_DEVICE,  /* last_page lies past the end of the device */
    SWAP_HEADER_TOO_MANY_BAD,   /* nr_badpages more than badpages[] can hold */
    SWAP_HEADER_BAD_PAGE_RANGE, /* a bad page numbered 0 (the header) or past last_page */
    SWAP_HEADER_NO_GOOD_PAGES,  /* every page is bad */
};

/* Read the header page (SWAP_HEADER_SIZE bytes, any alignment) of a device of
 * device_pages pages. SWAP_HEADER_OK and *out filled, or the first check that
 * failed (in Linux's order: signature, version, last_page, size, bad pages);
 * *out is then undefined. */
enum swap_header_error swap_header_parse(const uint8_t *page, uint64_t device_pages,
                                         struct swap_area_header *out);

/* A phrase for the kernel log: "no swap signature (SWAPSPACE2 at byte 4086)". */
const char *swap_header_error_string(enum swap_header_error error);

#endif
