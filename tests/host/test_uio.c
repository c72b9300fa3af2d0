/*
 * test_uio.c — kernel/fs/uio.c on the host, under ASan and UBSan.
 *
 * A uio is the list of user pieces a read or write goes through. Here "user
 * memory" is a buffer of USER_PAGES pages, one of which can be made unreadable:
 * the fake copy_from_user/copy_to_user below fail at its first byte, as the real
 * ones fail at a page that is not mapped.
 *
 *   page:     0          1          2          3
 *          [ ok       | ok       | BAD      | ok       ]
 *                 ^ a piece from here running into page 2 copies up to its start
 */
#include <stdlib.h>

#include "check.h"
#include "kernel/errno.h"
#include "kernel/fs/uio.c" /* the code under test, with the fakes below as its uaccess */
#include "lib/string.h"

#define USER_PAGES 4

static char user[USER_PAGES * PAGE_SIZE] __attribute__((aligned(4096)));
static int bad_page = -1; /* the page no copy may touch, or -1 */

static vaddr_t at(size_t offset)
{
    return (vaddr_t)user + offset;
}

/* How many bytes of [addr, addr + size) come before the bad page. */
static size_t good_bytes(vaddr_t addr, size_t size)
{
    if (bad_page < 0)
        return size;
    vaddr_t bad = at((size_t)bad_page * PAGE_SIZE);
    if (addr + size <= bad || addr >= bad + PAGE_SIZE)
        return size;
    return addr < bad ? bad - addr : 0;
}

bool user_range_ok(vaddr_t addr, size_t size)
{
    return addr >= at(0) && size <= sizeof user && addr - at(0) <= sizeof user - size;
}

int copy_from_user(void *dst, vaddr_t src, size_t size)
{
    size_t good = good_bytes(src, size);
    memcpy(dst, (const void *)src, good); /* a failing copy may have done part */
    return good == size ? 0 : -EFAULT;
}

int copy_to_user(vaddr_t dst, const void *src, size_t size)
{
    size_t good = good_bytes(dst, size);
    memcpy((void *)dst, src, good);
    return good == size ? 0 : -EFAULT;
}

static void fill_user(void)
{
    for (size_t i = 0; i < sizeof user; i++)
        user[i] = (char)(i * 7 + 1);
    bad_page = -1;
}

TEST(uio_single_piece_copies_in_and_moves_on)
{
    fill_user();
    struct iovec piece;
    struct uio u;
    uio_single(&u, &piece, at(100), 50);
    char got[50];
    CHECK_EQ(uio_copy_in(&u, got, 20), 20);
    CHECK_EQ(u.resid, 30);
    CHECK_EQ(piece.base, at(120));
    CHECK_EQ(uio_copy_in(&u, got + 20, 100), 30); /* only what is left */
    CHECK_EQ(u.resid, 0);
    CHECK_EQ(u.count, 0);
    CHECK(memcmp(got, user + 100, 50) == 0, "the bytes arrive in order");
}

TEST(uio_empty_pieces_are_passed_over)
{
    fill_user();
    /* writev(fd, { {a, 0}, {b, 5}, {c, 0}, {d, 3}, {e, 0} }, 5) */
    struct iovec iov[5] = {
        { at(0), 0 }, { at(10), 5 }, { at(20), 0 }, { at(30), 3 }, { at(40), 0 }
    };
    struct uio u = { iov, 5, 8, false };
    char got[8];
    CHECK_EQ(uio_copy_in(&u, got, sizeof got), 8);
    CHECK(memcmp(got, user + 10, 5) == 0 && memcmp(got + 5, user + 30, 3) == 0,
          "5 bytes of the second piece, then 3 of the fourth");
    CHECK_EQ(u.resid, 0);
    CHECK_EQ(u.count, 0); /* the trailing empty piece is gone too */
}

TEST(uio_copy_stops_at_the_bad_page_with_the_bytes_before_it)
{
    fill_user();
    bad_page = 2;
    /* a piece from 100 bytes before page 2 to well inside it */
    struct iovec piece;
    struct uio u;
    uio_single(&u, &piece, at(2 * PAGE_SIZE - 100), 300);
    char got[300];
    CHECK_EQ(uio_copy_in(&u, got, sizeof got), 100);
    CHECK_EQ(u.resid, 200);
    CHECK_EQ(piece.base, at(2 * PAGE_SIZE)); /* the next copy starts at the bad page */
    CHECK_EQ(uio_copy_in(&u, got, sizeof got), 0);
}

TEST(uio_copy_fault_in_a_later_piece_keeps_the_earlier_ones)
{
    fill_user();
    bad_page = 3;
    struct iovec iov[2] = { { at(10), 40 }, { at(3 * PAGE_SIZE - 8), 16 } };
    struct uio u = { iov, 2, 56, false };
    char got[56];
    CHECK_EQ(uio_copy_in(&u, got, sizeof got), 48); /* 40, then 8 before page 3 */
    CHECK_EQ(u.count, 1);
    CHECK_EQ(u.resid, 8);
}

TEST(uio_copy_out_writes_through_the_pieces)
{
    fill_user();
    char src[12] = "hello, world";
    struct iovec iov[3] = { { at(500), 5 }, { at(900), 0 }, { at(1000), 7 } };
    struct uio u = { iov, 3, 12, false };
    CHECK_EQ(uio_copy_out(&u, src, sizeof src), 12);
    CHECK(memcmp(user + 500, "hello", 5) == 0 && memcmp(user + 1000, ", world", 7) == 0,
          "the bytes land in both pieces");
    bad_page = 1;
    struct iovec piece;
    uio_single(&u, &piece, at(PAGE_SIZE - 3), 10);
    CHECK_EQ(uio_copy_out(&u, src, 10), 3); /* a read into a buffer that ends early */
}

TEST(uio_skip_passes_bytes_untouched)
{
    fill_user();
    bad_page = 0; /* /dev/null never looks: a bad page does not matter */
    struct iovec iov[3] = { { at(0), 100 }, { at(200), 0 }, { at(300), 50 } };
    struct uio u = { iov, 3, 150, false };
    uio_skip(&u, 120);
    CHECK_EQ(u.resid, 30);
    CHECK_EQ(u.count, 1);
    CHECK_EQ(iov[2].base, at(320));
    uio_skip(&u, 1000); /* more than is left: stops at the end */
    CHECK_EQ(u.resid, 0);
}

TEST(uio_kernel_pieces_are_plain_copies)
{
    fill_user();
    bad_page = 0; /* every user copy would fail: a kernel uio must not make any */
    char kernel_buffer[64], got[64];
    for (size_t i = 0; i < sizeof kernel_buffer; i++)
        kernel_buffer[i] = (char)(i + 3);
    struct iovec piece;
    struct uio u;
    uio_kernel(&u, &piece, kernel_buffer, sizeof kernel_buffer);
    CHECK(u.kernel, "uio_kernel marks the pieces as kernel memory");
    CHECK_EQ(uio_copy_in(&u, got, 40), 40);
    CHECK_EQ(uio_copy_in(&u, got + 40, 100), 24); /* only what is left */
    CHECK(memcmp(got, kernel_buffer, sizeof got) == 0, "the bytes arrive in order");
    uio_kernel(&u, &piece, kernel_buffer, 5);
    CHECK_EQ(uio_copy_out(&u, "hello", 5), 5);
    CHECK(memcmp(kernel_buffer, "hello", 5) == 0, "a copy out lands in the kernel buffer");
    uio_single(&u, &piece, at(10), 5);
    CHECK(!u.kernel, "uio_single is user memory");
}
