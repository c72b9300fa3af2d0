/*
 * avl.h — an intrusive AVL tree: a binary search tree that keeps itself balanced.
 *
 * "Intrusive" means the tree allocates nothing: each object that goes into a tree
 * embeds a struct avl_node, and avl_entry() gets from the node back to the object.
 * The address-space regions are the intended user:
 *
 *     struct vma { vaddr_t start, end; ...; struct avl_node node; };
 *
 *     static int vma_order(const struct avl_node *a, const struct avl_node *b)
 *     {
 *         vaddr_t sa = avl_entry(a, struct vma, node)->start;
 *         vaddr_t sb = avl_entry(b, struct vma, node)->start;
 *         return sa < sb ? -1 : sa > sb;
 *     }
 *
 * "Balanced" means the heights of the two subtrees of every node differ by at most
 * one, so a tree of n nodes is at most about 1.44 log2(n) levels deep and every
 * operation below is O(log n).
 *
 * A key comparison (avl_find, avl_lower_bound) must agree with the tree's order:
 * walking the tree in order, compare(key, node) must go from >0 through 0 to <0,
 * never back. For non-overlapping regions ordered by start, "key < end ? (key >=
 * start ? 0 : -1) : 1" does: avl_find then returns the region containing the
 * address, and avl_lower_bound the first region that ends above it.
 */
#ifndef LIB_AVL_H
#define LIB_AVL_H

#include <stdbool.h>
#include <stddef.h>

struct avl_node {
    struct avl_node *left, *right, *parent;
    int height; /* of the subtree rooted here: a leaf has height 1 */
};

struct avl_tree {
    struct avl_node *root;
    size_t count;
};

/* Orders two nodes: <0 if a comes before b, >0 after, 0 equal. */
typedef int (*avl_compare_fn)(const struct avl_node *a, const struct avl_node *b);

/* Compares a search key with a node: <0 if the key comes before the node, >0
 * after, 0 if the node matches. */
typedef int (*avl_key_compare_fn)(const void *key, const struct avl_node *node);

void avl_init(struct avl_tree *tree);

/* Insert node (its fields are overwritten). Returns false, changing nothing, if a
 * node comparing equal is already there. O(log n). */
bool avl_insert(struct avl_tree *tree, struct avl_node *node, avl_compare_fn compare);

/* Remove node, which must be in the tree. O(log n). */
void avl_remove(struct avl_tree *tree, struct avl_node *node);

/* The node matching key, or NULL. */
struct avl_node *avl_find(const struct avl_tree *tree, const void *key, avl_key_compare_fn compare);

/* The first node (in order) that does not come before key, i.e. the leftmost
 * node with compare(key, node) <= 0; NULL if every node comes before key. */
struct avl_node *avl_lower_bound(const struct avl_tree *tree, const void *key,
                                 avl_key_compare_fn compare);

struct avl_node *avl_first(const struct avl_tree *tree);
struct avl_node *avl_last(const struct avl_tree *tree);
struct avl_node *avl_next(const struct avl_node *node); /* in-order successor, or NULL */
struct avl_node *avl_prev(const struct avl_node *node);

/* Check every invariant (order, parent links, heights, balance, count); returns
 * true if the tree is sound. For tests and debug checks. */
bool avl_check(const struct avl_tree *tree, avl_compare_fn compare);

/* The containing structure of a node, like Linux's container_of. */
#define avl_entry(node, type, member) ((type *)((char *)(node)-offsetof(type, member)))

#endif
