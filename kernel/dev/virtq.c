/*
 * virtq.c — descriptor chains and the two rings of a split virtqueue.
 *
 * The free descriptors are a list linked through their own .next fields, so
 * taking a chain of n is n steps and needs no other memory. Ring indexes are
 * free-running 16-bit counters: the slot is idx % size, and idx wraps at 65536
 * (which a power-of-two size divides), exactly as the device counts.
 */
#include "virtq.h"

#define VIRTQ_NO_DESC 0xffff

/* The device reads the rings by DMA: our stores to them must be in memory, in
 * order, before the store that tells it to look. x86 keeps stores in order;
 * the barrier also stops the compiler from moving them. */
static inline void memory_barrier(void)
{
    __asm__ volatile("mfence" ::: "memory");
}

/* Where the three parts of a queue of q->size lie in the block at memory. */
static void lay_out_queue(struct virtqueue *q, uint8_t *memory)
{
    size_t desc_bytes = 16ul * q->size, avail_bytes = 2ul * (3 + q->size);
    q->desc = (volatile struct virtq_desc *)memory;
    q->avail = (volatile struct virtq_avail *)(memory + desc_bytes);
    q->used =
        (volatile struct virtq_used *)(memory + align_up(desc_bytes + avail_bytes, VIRTQ_ALIGN));
}

/* Every descriptor free, linked 0 -> 1 -> ... -> N-1. */
static void init_free_list(struct virtqueue *q)
{
    for (uint16_t i = 0; i < q->size; i++)
        q->desc[i].next = i + 1 < q->size ? i + 1 : VIRTQ_NO_DESC;
    q->free_head = 0;
    q->free_count = q->size;
    q->last_used = 0;
}

void virtq_init(struct virtqueue *q, uint16_t index, uint16_t size, void *memory)
{
    *q = (struct virtqueue){ .index = index, .size = size };
    lay_out_queue(q, memory);
    init_free_list(q);
}

/* ASSIGNMENT(virtq): take a chain off the free list (and virtq_chain_free: put it
 * back); tests/host/test_virtq.c checks both. */
int virtq_chain_alloc(struct virtqueue *q, unsigned count)
{
    if (count == 0 || count > q->free_count)
        return -1;
    uint16_t head = q->free_head, last = head;
    for (unsigned i = 1; i < count; i++) {
        q->desc[last].flags = VIRTQ_DESC_F_NEXT;
        last = q->desc[last].next;
    }
    q->free_head = q->desc[last].next;
    q->desc[last].flags = 0;
    q->desc[last].next = VIRTQ_NO_DESC;
    q->free_count -= (uint16_t)count;
    return head;
}

void virtq_chain_free(struct virtqueue *q, uint16_t head)
{
    uint16_t last = head;
    unsigned count = 1;
    while (q->desc[last].flags & VIRTQ_DESC_F_NEXT) {
        last = q->desc[last].next;
        count++;
    }
    q->desc[last].next = q->free_head;
    q->free_head = head;
    q->free_count += (uint16_t)count;
}

void virtq_publish(struct virtqueue *q, uint16_t head)
{
    q->avail->ring[q->avail->idx % q->size] = head;
    memory_barrier(); /* the ring entry before the index that publishes it */
    q->avail->idx++;  /* wraps at 65536, as the device expects */
    memory_barrier(); /* the index before the notification that follows */
}

bool virtq_next_used(struct virtqueue *q, uint16_t *head, uint32_t *len)
{
    if (q->last_used == q->used->idx)
        return false;
    memory_barrier(); /* read the entry only after seeing the index that covers it */
    volatile struct virtq_used_elem *e = &q->used->ring[q->last_used % q->size];
    *head = (uint16_t)e->id;
    *len = e->len;
    q->last_used++;
    return true;
}
