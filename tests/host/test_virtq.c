/*
 * test_virtq.c — kernel/dev/virtq.c (descriptor chains and the rings of a split
 * virtqueue) on the host, under ASan and UBSan. The test plays the device: it
 * reads the available ring and writes the used ring as QEMU would.
 *
 * The legacy layout of a queue of size 8 (VIRTQ_ALIGN 4096):
 *
 *   0x0000  descriptor table  8 x 16 bytes
 *   0x0080  available ring    flags, idx, ring[8], used_event   (22 bytes)
 *   0x1000  used ring         flags, idx, ring[8] x 8, avail_event
 *   0x2000  end
 */
#include "check.h"
#include "kernel/dev/virtq.h"
#include "lib/string.h"
#include "lib/xorshift.h"

#define SMALL 8
#define BIG   VIRTQ_MAX_SIZE

static _Alignas(VIRTQ_ALIGN) uint8_t memory[VIRTQ_LEGACY_BYTES(BIG)];

static void new_queue(struct virtqueue *q, uint16_t size)
{
    memset(memory, 0, sizeof memory);
    virtq_init(q, 0, size, memory);
}

/* The length of the chain at head, following NEXT; -1 if it loops. */
static int chain_length(const struct virtqueue *q, uint16_t head)
{
    int n = 1;
    for (uint16_t at = head; q->desc[at].flags & VIRTQ_DESC_F_NEXT; at = q->desc[at].next) {
        if (++n > q->size)
            return -1;
    }
    return n;
}

TEST(virtq_legacy_layout_puts_the_used_ring_on_a_page)
{
    struct virtqueue q;
    new_queue(&q, SMALL);
    CHECK_EQ((uint8_t *)q.desc - memory, 0);
    CHECK_EQ((uint8_t *)q.avail - memory, 0x80);
    CHECK_EQ((uint8_t *)q.used - memory, 0x1000);
    CHECK_EQ(VIRTQ_LEGACY_BYTES(SMALL), 0x2000);
    new_queue(&q, BIG); /* 4096 of descriptors + 518 of available ring -> 0x2000 */
    CHECK_EQ((uint8_t *)q.avail - memory, 0x1000);
    CHECK_EQ((uint8_t *)q.used - memory, 0x2000);
    CHECK_EQ(VIRTQ_LEGACY_BYTES(BIG), 0x3000);
    CHECK_EQ(q.free_count, BIG);
}

TEST(virtq_chain_links_count_descriptors_and_refuses_more_than_are_free)
{
    struct virtqueue q;
    new_queue(&q, SMALL);
    int a = virtq_chain_alloc(&q, 3);
    CHECK(a >= 0, "no chain of 3 from 8 free");
    CHECK_EQ(chain_length(&q, (uint16_t)a), 3);
    CHECK_EQ(q.free_count, 5);
    CHECK_EQ(virtq_chain_alloc(&q, 6), -1); /* 5 left: nothing taken */
    CHECK_EQ(q.free_count, 5);
    CHECK_EQ(virtq_chain_alloc(&q, 0), -1);
    int b = virtq_chain_alloc(&q, 5);
    CHECK(b >= 0 && b != a, "second chain head %d (first %d)", b, a);
    CHECK_EQ(chain_length(&q, (uint16_t)b), 5);
    CHECK_EQ(q.free_count, 0);
    CHECK_EQ(virtq_chain_alloc(&q, 1), -1);
    virtq_chain_free(&q, (uint16_t)a);
    CHECK_EQ(q.free_count, 3);
    virtq_chain_free(&q, (uint16_t)b);
    CHECK_EQ(q.free_count, SMALL);
}

/* Chains of random lengths taken and given back in random order: no descriptor
 * is ever in two chains, and at the end every one is free again. */
TEST(virtq_random_chains_never_share_a_descriptor)
{
    struct virtqueue q;
    new_queue(&q, BIG);
    uint64_t rng = 12345;
    int heads[BIG], live = 0;
    int owner[BIG];
    for (int round = 0; round < 20000; round++) {
        if (live > 0 && (xorshift64star(&rng) % 3 == 0 || q.free_count == 0)) {
            int i = (int)(xorshift64star(&rng) % (uint64_t)live);
            virtq_chain_free(&q, (uint16_t)heads[i]);
            heads[i] = heads[--live];
            continue;
        }
        unsigned count = 1 + (unsigned)(xorshift64star(&rng) % 40);
        unsigned free_before = q.free_count;
        int head = virtq_chain_alloc(&q, count);
        if (!CHECK((head >= 0) == (count <= free_before), "alloc %u of %u free: %d", count,
                   free_before, head))
            return;
        if (head >= 0)
            heads[live++] = head;
    }
    for (int d = 0; d < BIG; d++)
        owner[d] = -1;
    unsigned in_chains = 0;
    for (int i = 0; i < live; i++) {
        uint16_t at = (uint16_t)heads[i];
        for (int n = 0;; n++) {
            if (!CHECK(owner[at] == -1, "descriptor %u in chains %d and %d", at, owner[at], i))
                return;
            owner[at] = i;
            in_chains++;
            if (!(q.desc[at].flags & VIRTQ_DESC_F_NEXT))
                break;
            at = q.desc[at].next;
        }
    }
    CHECK_EQ(in_chains + q.free_count, BIG);
    while (live > 0)
        virtq_chain_free(&q, (uint16_t)heads[--live]);
    CHECK_EQ(q.free_count, BIG);
    CHECK(virtq_chain_alloc(&q, BIG) >= 0, "all %d descriptors free again as one chain", BIG);
}

TEST(virtq_publish_fills_the_available_ring_and_wraps_its_index)
{
    struct virtqueue q;
    new_queue(&q, SMALL);
    virtq_publish(&q, 5);
    virtq_publish(&q, 2);
    CHECK_EQ(q.avail->idx, 2);
    CHECK_EQ(q.avail->ring[0], 5);
    CHECK_EQ(q.avail->ring[1], 2);
    q.avail->idx = 65535; /* the index runs free and wraps at 65536 */
    virtq_publish(&q, 3);
    virtq_publish(&q, 4);
    CHECK_EQ(q.avail->ring[65535 % SMALL], 3);
    CHECK_EQ(q.avail->ring[0], 4);
    CHECK_EQ(q.avail->idx, 1);
}

TEST(virtq_next_used_returns_what_the_device_finished_in_order)
{
    struct virtqueue q;
    new_queue(&q, SMALL);
    uint16_t head;
    uint32_t len;
    CHECK(!virtq_next_used(&q, &head, &len), "news from a device that did nothing");
    /* the device finishes chains 6 and 1 */
    q.used->ring[0] = (struct virtq_used_elem){ 6, 513 };
    q.used->ring[1] = (struct virtq_used_elem){ 1, 1 };
    q.used->idx = 2;
    CHECK(virtq_next_used(&q, &head, &len), "first used entry");
    CHECK_EQ(head, 6);
    CHECK_EQ(len, 513);
    CHECK(virtq_next_used(&q, &head, &len), "second used entry");
    CHECK_EQ(head, 1);
    CHECK(!virtq_next_used(&q, &head, &len), "only two were used");
    /* across the wrap of the 16-bit index */
    q.last_used = 65535;
    q.used->ring[65535 % SMALL] = (struct virtq_used_elem){ 7, 0 };
    q.used->ring[0] = (struct virtq_used_elem){ 2, 0 };
    q.used->idx = 1;
    CHECK(virtq_next_used(&q, &head, &len) && head == 7, "entry at 65535: head %u", head);
    CHECK(virtq_next_used(&q, &head, &len) && head == 2, "entry at 0: head %u", head);
    CHECK(!virtq_next_used(&q, &head, &len), "caught up at index 1");
}
