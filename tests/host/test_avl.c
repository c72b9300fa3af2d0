/*
 * test_avl.c — lib/avl.c (the balanced search tree behind the address-space
 * regions) on the host, under ASan and UBSan.
 *
 * Most tests put "items" (an int key plus an embedded avl_node) into a tree and
 * run avl_check, which recomputes every invariant from scratch, after every single
 * insert or remove. The last test uses the tree the way mm/ will: regions
 * [start, end) ordered by start, looked up by address.
 */
#include <stdlib.h>

#include "check.h"
#include "lib/avl.h"
#include "lib/xorshift.h"

struct item {
    int key;
    struct avl_node node;
};

#define POOL_SIZE 4096
static struct item pool[POOL_SIZE];

static int key_of(const struct avl_node *node)
{
    return avl_entry(node, struct item, node)->key;
}

static int compare_items(const struct avl_node *a, const struct avl_node *b)
{
    int ka = key_of(a), kb = key_of(b);
    return ka < kb ? -1 : ka > kb;
}

/* The key is a pointer to an int. */
static int compare_key(const void *key, const struct avl_node *node)
{
    int k = *(const int *)key, kn = key_of(node);
    return k < kn ? -1 : k > kn;
}

static struct avl_node *find(const struct avl_tree *tree, int key)
{
    return avl_find(tree, &key, compare_key);
}

static struct avl_node *lower_bound(const struct avl_tree *tree, int key)
{
    return avl_lower_bound(tree, &key, compare_key);
}

/* The key of a node, or -1 for NULL, so CHECK_EQ can report either. */
static int key_or_none(const struct avl_node *node)
{
    return node ? key_of(node) : -1;
}

/* A fixed-seed xorshift generator: the same "random" sequence on every run. */
static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
    rng_state = seed;
}

static uint32_t rng_below(uint32_t bound)
{
    return (uint32_t)(xorshift64(&rng_state) % bound);
}

/* Put values[0..n) in a random order (the Fisher-Yates shuffle). */
static void shuffle(int *values, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)rng_below((uint32_t)i + 1);
        int t = values[i];
        values[i] = values[j];
        values[j] = t;
    }
}

/* Give pool[0..n) the keys 0, step, 2*step, ..., shuffled if asked. Only for
 * items not in a tree: changing a key in a tree breaks its order. */
static void make_items(int n, int step, bool shuffled)
{
    static int keys[POOL_SIZE];
    for (int i = 0; i < n; i++)
        keys[i] = i * step;
    if (shuffled)
        shuffle(keys, n);
    for (int i = 0; i < n; i++)
        pool[i].key = keys[i];
}

/* Insert pool[0..n) in pool order, checking the whole tree after each. */
static void insert_items(struct avl_tree *tree, int n)
{
    for (int i = 0; i < n; i++) {
        if (!CHECK(avl_insert(tree, &pool[i].node, compare_items), "key %d refused", pool[i].key) ||
            !CHECK(avl_check(tree, compare_items), "unsound after inserting key %d", pool[i].key) ||
            !CHECK_EQ(tree->count, i + 1))
            return;
    }
}

/* Remove the item with key from the tree, then check it. Returns false on any
 * failure, so loops can stop at the first. */
static bool remove_key(struct avl_tree *tree, int key)
{
    struct avl_node *node = find(tree, key);
    if (!CHECK(node != NULL, "key %d not found for removal", key))
        return false;
    avl_remove(tree, node);
    return CHECK(avl_check(tree, compare_items), "unsound after removing key %d", key) &&
           CHECK(find(tree, key) == NULL, "key %d still found after removal", key);
}

/* log2(x) for x >= 1 without libm: the integer part by halving, then each of 20
 * fraction bits by squaring (x in [1, 2): squaring doubles its logarithm). */
static double log2_of(double x)
{
    double result = 0, bit = 0.5;
    while (x >= 2) {
        x /= 2;
        result += 1;
    }
    for (int i = 0; i < 20; i++, bit /= 2) {
        x *= x;
        if (x >= 2) {
            x /= 2;
            result += bit;
        }
    }
    return result;
}

/* The AVL guarantee: a tree of n nodes is less than 1.4405 log2(n + 2) high. */
static void check_height_bound(const struct avl_tree *tree)
{
    int h = tree->root ? tree->root->height : 0;
    double bound = 1.45 * log2_of((double)tree->count + 2);
    CHECK(h <= bound, "height %d for %zu nodes, bound %.2f", h, tree->count, bound);
}

/* ---- the empty tree ---- */

TEST(avl_empty_tree)
{
    struct avl_tree tree;
    avl_init(&tree);
    CHECK(tree.root == NULL, "root %p", (void *)tree.root);
    CHECK_EQ(tree.count, 0);
    CHECK(avl_check(&tree, compare_items), "the empty tree is unsound");
    CHECK(avl_first(&tree) == NULL, "first of an empty tree");
    CHECK(avl_last(&tree) == NULL, "last of an empty tree");
    CHECK(find(&tree, 0) == NULL, "found 0 in an empty tree");
    CHECK(lower_bound(&tree, 0) == NULL, "lower bound in an empty tree");
}

TEST(avl_single_node)
{
    struct avl_tree tree;
    avl_init(&tree);
    make_items(1, 1, false);
    insert_items(&tree, 1);
    struct avl_node *only = &pool[0].node;
    CHECK(tree.root == only && avl_first(&tree) == only && avl_last(&tree) == only, "root");
    CHECK_EQ(only->height, 1);
    CHECK(avl_next(only) == NULL && avl_prev(only) == NULL, "a lone node has neighbours");
    remove_key(&tree, 0);
    CHECK(tree.root == NULL, "root %p after removing the only node", (void *)tree.root);
    CHECK_EQ(tree.count, 0);
}

/* ---- insertion ---- */

TEST(avl_insert_ascending)
{
    struct avl_tree tree;
    avl_init(&tree);
    make_items(1000, 1, false);
    insert_items(&tree, 1000);
    check_height_bound(&tree);
}

TEST(avl_insert_descending)
{
    struct avl_tree tree;
    avl_init(&tree);
    make_items(1000, 1, false);
    for (int i = 0; i < 1000; i++)
        pool[i].key = 999 - i;
    insert_items(&tree, 1000);
    check_height_bound(&tree);
}

TEST(avl_insert_random)
{
    struct avl_tree tree;
    avl_init(&tree);
    rng_seed(0x9e3779b97f4a7c15ull);
    make_items(2000, 1, true);
    insert_items(&tree, 2000);
    check_height_bound(&tree);
}

/* Inserting 1..7 in order rotates into the perfect tree:
 *
 *            4
 *          /   \
 *         2     6
 *        / \   / \
 *       1   3 5   7
 */
TEST(avl_insert_shape)
{
    struct avl_tree tree;
    avl_init(&tree);
    make_items(8, 1, false); /* keys 0..7; insert 1..7 */
    for (int i = 1; i <= 7; i++)
        avl_insert(&tree, &pool[i].node, compare_items);
    struct avl_node *root = tree.root;
    CHECK_EQ(key_of(root), 4);
    CHECK_EQ(root->height, 3);
    CHECK_EQ(key_of(root->left), 2);
    CHECK_EQ(key_of(root->right), 6);
    CHECK_EQ(key_of(root->left->left), 1);
    CHECK_EQ(key_of(root->left->right), 3);
    CHECK_EQ(key_of(root->right->left), 5);
    CHECK_EQ(key_of(root->right->right), 7);
    CHECK(avl_check(&tree, compare_items), "unsound");
}

TEST(avl_insert_duplicate_refused)
{
    struct avl_tree tree;
    avl_init(&tree);
    make_items(10, 1, false);
    insert_items(&tree, 10);
    struct item dup = { .key = 5 };
    struct avl_node marker = { .height = 77 };
    dup.node = marker;
    struct avl_node *root = tree.root;
    CHECK(!avl_insert(&tree, &dup.node, compare_items), "a second key 5 was accepted");
    CHECK_EQ(tree.count, 10);
    CHECK(tree.root == root, "the root moved");
    CHECK(find(&tree, 5) == &pool[5].node, "key 5 is no longer the original");
    CHECK_EQ(dup.node.height, 77); /* "changing nothing": not even the refused node */
    CHECK(avl_check(&tree, compare_items), "unsound after a refused insert");
}

TEST(avl_height_bound)
{
    /* Every size from 1 to 3000, for random and ascending insertion. */
    struct avl_tree random_tree, ascending_tree;
    avl_init(&random_tree);
    avl_init(&ascending_tree);
    rng_seed(12345);
    make_items(3000, 1, true);
    static struct item ascending[3000];
    for (int i = 0; i < 3000; i++) {
        avl_insert(&random_tree, &pool[i].node, compare_items);
        ascending[i].key = i;
        avl_insert(&ascending_tree, &ascending[i].node, compare_items);
        check_height_bound(&random_tree);
        check_height_bound(&ascending_tree);
    }
    /* and while shrinking again */
    for (int i = 0; i < 3000; i++) {
        avl_remove(&random_tree, &pool[i].node);
        check_height_bound(&random_tree);
    }
}

/* ---- walking and looking up ---- */

TEST(avl_traversal_both_ways)
{
    struct avl_tree tree;
    avl_init(&tree);
    rng_seed(777);
    make_items(500, 2, true);
    insert_items(&tree, 500);

    int expected = 0, visited = 0;
    for (struct avl_node *n = avl_first(&tree); n; n = avl_next(n), expected += 2, visited++)
        if (!CHECK_EQ(key_of(n), expected))
            return;
    CHECK_EQ(visited, 500);

    expected = 998, visited = 0;
    for (struct avl_node *n = avl_last(&tree); n; n = avl_prev(n), expected -= 2, visited++)
        if (!CHECK_EQ(key_of(n), expected))
            return;
    CHECK_EQ(visited, 500);
    CHECK(avl_prev(avl_first(&tree)) == NULL, "something before the first");
    CHECK(avl_next(avl_last(&tree)) == NULL, "something after the last");
}

TEST(avl_find)
{
    struct avl_tree tree;
    avl_init(&tree);
    rng_seed(4242);
    make_items(300, 2, true); /* the even keys 0..598 */
    insert_items(&tree, 300);
    for (int k = 0; k < 600; k += 2)
        CHECK_EQ(key_or_none(find(&tree, k)), k);
    for (int k = 1; k < 600; k += 2)
        CHECK(find(&tree, k) == NULL, "found absent key %d", k);
    CHECK(find(&tree, -5) == NULL, "found a key before the first");
    CHECK(find(&tree, 1000) == NULL, "found a key after the last");
}

/* Keys 10, 20, ..., 100: lower_bound(k) is the first key >= k. */
TEST(avl_lower_bound)
{
    struct avl_tree tree;
    avl_init(&tree);
    rng_seed(99);
    make_items(10, 10, true);
    for (int i = 0; i < 10; i++)
        pool[i].key += 10;
    insert_items(&tree, 10);
    CHECK_EQ(key_or_none(lower_bound(&tree, -100)), 10); /* before the first */
    CHECK_EQ(key_or_none(lower_bound(&tree, 9)), 10);
    CHECK_EQ(key_or_none(lower_bound(&tree, 10)), 10); /* equal to the first */
    CHECK_EQ(key_or_none(lower_bound(&tree, 11)), 20); /* between nodes */
    CHECK_EQ(key_or_none(lower_bound(&tree, 55)), 60);
    CHECK_EQ(key_or_none(lower_bound(&tree, 60)), 60); /* equal */
    CHECK_EQ(key_or_none(lower_bound(&tree, 99)), 100);
    CHECK_EQ(key_or_none(lower_bound(&tree, 100)), 100); /* equal to the last */
    CHECK(lower_bound(&tree, 101) == NULL, "lower bound after the last");
    for (int k = -1; k <= 101; k++) {
        int want = k <= 10 ? 10 : (k + 9) / 10 * 10;
        CHECK_EQ(key_or_none(lower_bound(&tree, k)), want > 100 ? -1 : want);
    }
}

/* ---- removal ----
 * These start from 1..15 inserted in order, the perfect tree:
 *
 *                     8
 *              /             \
 *             4               12
 *          /     \         /      \
 *         2       6       10       14
 *        / \     / \     /  \     /  \
 *       1   3   5   7   9   11   13   15
 */
static void make_perfect_tree(struct avl_tree *tree)
{
    avl_init(tree);
    make_items(16, 1, false); /* keys 0..15; insert 1..15 */
    for (int i = 1; i <= 15; i++)
        avl_insert(tree, &pool[i].node, compare_items);
    CHECK_EQ(key_of(tree->root), 8);
    CHECK_EQ(tree->root->height, 4);
}

TEST(avl_remove_leaf)
{
    struct avl_tree tree;
    make_perfect_tree(&tree);
    remove_key(&tree, 1);
    CHECK(pool[2].node.left == NULL, "2 still has a left child");
    CHECK(pool[1].node.parent == NULL, "the removed node still points into the tree");
    remove_key(&tree, 15);
    CHECK(pool[14].node.right == NULL, "14 still has a right child");
    CHECK_EQ(tree.count, 13);
}

TEST(avl_remove_one_child)
{
    struct avl_tree tree;
    make_perfect_tree(&tree);
    remove_key(&tree, 1); /* now 2 has only its right child, 3 */
    remove_key(&tree, 2); /* 3 moves up into 2's place */
    CHECK_EQ(key_of(pool[4].node.left), 3);
    CHECK(pool[3].node.parent == &pool[4].node, "3's parent is not 4");
    remove_key(&tree, 13);
    remove_key(&tree, 14); /* 15 moves up */
    CHECK_EQ(key_of(pool[12].node.right), 15);
    CHECK_EQ(tree.count, 11);
}

TEST(avl_remove_two_children)
{
    struct avl_tree tree;
    make_perfect_tree(&tree);
    remove_key(&tree, 2); /* successor 3 is 2's own right child */
    CHECK_EQ(key_of(pool[4].node.left), 3);
    CHECK_EQ(key_of(pool[3].node.left), 1);
    remove_key(&tree, 4); /* successor 5 is deeper: the leftmost under 6 */
    CHECK_EQ(key_of(pool[8].node.left), 5);
    remove_key(&tree, 12); /* successor 13, leftmost under 14 */
    CHECK_EQ(key_of(pool[8].node.right), 13);
    CHECK_EQ(tree.count, 12);
}

TEST(avl_remove_root)
{
    struct avl_tree tree;
    make_perfect_tree(&tree);
    for (int left = 15; left > 0; left--) {
        int root_key = key_of(tree.root);
        remove_key(&tree, root_key);
        CHECK_EQ(tree.count, left - 1);
        if (tree.root)
            CHECK(tree.root->parent == NULL, "the new root has a parent");
    }
    CHECK(tree.root == NULL, "root %p after removing every root", (void *)tree.root);
}

/* Removing 1 leaves 2 right-heavy by two. Which rotation fixes it depends on how
 * 2's right child leans (after removal it can also lean neither way):
 *
 *     2               2                 2
 *    / \             / \               / \
 *   1   3           1   4             1   4
 *        \             /                 / \
 *         4           3                 3   5
 *   right-right:    right-left:       balanced child:
 *   rotate left     two rotations     rotate left at 2
 *   at 2 -> 3(2,4)  -> 3(2,4)         -> 4(2(-,3),5)
 */
TEST(avl_remove_rotates)
{
    static const struct {
        int order[5], count, root, height;
    } cases[] = {
        { { 2, 1, 3, 4 }, 4, 3, 2 },
        { { 2, 1, 4, 3 }, 4, 3, 2 },
        { { 2, 1, 4, 3, 5 }, 5, 4, 3 },
    };
    for (int c = 0; c < 3; c++) {
        struct avl_tree tree;
        avl_init(&tree);
        make_items(6, 1, false);
        for (int i = 0; i < cases[c].count; i++)
            avl_insert(&tree, &pool[cases[c].order[i]].node, compare_items);
        CHECK_EQ(key_of(tree.root), 2);
        remove_key(&tree, 1);
        CHECK_EQ(key_of(tree.root), cases[c].root);
        CHECK_EQ(tree.root->height, cases[c].height);
    }
}

TEST(avl_remove_random_until_empty)
{
    struct avl_tree tree;
    avl_init(&tree);
    rng_seed(2024);
    make_items(1500, 1, true);
    insert_items(&tree, 1500);
    static int order[1500]; /* the removal order: the keys shuffled again */
    for (int i = 0; i < 1500; i++)
        order[i] = i;
    shuffle(order, 1500);
    for (int i = 0; i < 1500; i++)
        if (!remove_key(&tree, order[i]) || !CHECK_EQ(tree.count, 1500 - i - 1))
            return;
    CHECK(tree.root == NULL, "root %p in an emptied tree", (void *)tree.root);
}

/* ---- a long random workload against a reference ---- */

#define WORKLOAD_KEYS        2048
#define WORKLOAD_OPS         100000
#define WORKLOAD_CHECK_EVERY 997 /* a full avl_check is O(n): not after every op */

/* Insert or remove one random key, tracking membership in present[]; pool[k] is
 * the item for key k. Returns false if the tree disagreed with present[]. */
static bool workload_step(struct avl_tree *tree, bool *present)
{
    int k = (int)rng_below(WORKLOAD_KEYS);
    bool want_insert = rng_below(2) == 0;
    if (want_insert) {
        bool inserted = avl_insert(tree, &pool[k].node, compare_items);
        if (!CHECK(inserted == !present[k], "insert %d: got %d, present %d", k, inserted,
                   present[k]))
            return false;
        present[k] = true;
    } else if (present[k]) {
        if (!CHECK(find(tree, k) == &pool[k].node, "present key %d not found", k))
            return false;
        avl_remove(tree, &pool[k].node);
        present[k] = false;
    } else if (!CHECK(find(tree, k) == NULL, "absent key %d found", k)) {
        return false;
    }
    return true;
}

TEST(avl_random_workload)
{
    static bool present[WORKLOAD_KEYS];
    struct avl_tree tree;
    avl_init(&tree);
    rng_seed(0xdeadbeefcafe1234ull);
    for (int k = 0; k < WORKLOAD_KEYS; k++) {
        pool[k].key = k;
        present[k] = false;
    }
    size_t expected_count = 0;
    for (int op = 0; op < WORKLOAD_OPS; op++) {
        if (!workload_step(&tree, present))
            return;
        if (op % WORKLOAD_CHECK_EVERY == 0 &&
            !CHECK(avl_check(&tree, compare_items), "unsound after op %d", op))
            return;
    }
    /* The final comparison: the in-order walk is exactly the present keys. */
    CHECK(avl_check(&tree, compare_items), "unsound at the end");
    struct avl_node *n = avl_first(&tree);
    for (int k = 0; k < WORKLOAD_KEYS; k++) {
        if (!present[k])
            continue;
        expected_count++;
        if (!CHECK_EQ(key_or_none(n), k))
            return;
        n = avl_next(n);
    }
    CHECK(n == NULL, "extra key %d in the tree", key_or_none(n));
    CHECK_EQ(tree.count, expected_count);
    check_height_bound(&tree);
}

/* ---- regions, as mm/ will use the tree ----
 *
 * Address-space regions [start, end), ordered by start, never overlapping:
 *
 *    0x1000      0x3000    0x5000  0x6000      0x9000    0x10000        0x20000
 *      |  region 0  |  gap   | r 1  |  region 2  |  gap    |  region 3     |
 *
 * The key is an address; a region "matches" when it contains the address. Then
 * avl_find answers "which region contains A?" and avl_lower_bound "the first
 * region whose end is above A" (containing A, or the next one after a gap).
 */
struct region {
    uint64_t start, end;
    struct avl_node node;
};

static struct region *region_of(const struct avl_node *node)
{
    return node ? avl_entry(node, struct region, node) : NULL;
}

static int compare_regions(const struct avl_node *a, const struct avl_node *b)
{
    uint64_t sa = region_of(a)->start, sb = region_of(b)->start;
    return sa < sb ? -1 : sa > sb;
}

static int compare_address(const void *key, const struct avl_node *node)
{
    uint64_t address = *(const uint64_t *)key;
    const struct region *r = region_of(node);
    if (address < r->start)
        return -1;
    return address < r->end ? 0 : 1;
}

static struct region regions[] = {
    { 0x1000, 0x3000, { 0 } },
    { 0x5000, 0x6000, { 0 } },
    { 0x6000, 0x9000, { 0 } },
    { 0x10000, 0x20000, { 0 } },
};
#define REGION_COUNT (int)(sizeof regions / sizeof regions[0])

/* The index of the region, or -1 for NULL. */
static int region_index(const struct avl_node *node)
{
    return node ? (int)(region_of(node) - regions) : -1;
}

static int containing(const struct avl_tree *tree, uint64_t address)
{
    return region_index(avl_find(tree, &address, compare_address));
}

static int first_ending_above(const struct avl_tree *tree, uint64_t address)
{
    return region_index(avl_lower_bound(tree, &address, compare_address));
}

/* Does [start, end) overlap any region? The first region ending above start
 * overlaps it exactly when that region also begins below end. */
static bool overlaps(const struct avl_tree *tree, uint64_t start, uint64_t end)
{
    int i = first_ending_above(tree, start);
    return i >= 0 && regions[i].start < end;
}

TEST(avl_interval_lookup)
{
    struct avl_tree tree;
    avl_init(&tree);
    for (int i = REGION_COUNT - 1; i >= 0; i--)
        CHECK(avl_insert(&tree, &regions[i].node, compare_regions), "region %d refused", i);
    CHECK(avl_check(&tree, compare_regions), "unsound");

    static const struct {
        uint64_t address;
        int containing, first_ending_above;
    } cases[] = {
        { 0x0, -1, 0 },    { 0xfff, -1, 0 },  { 0x1000, 0, 0 },    { 0x2fff, 0, 0 },
        { 0x3000, -1, 1 }, { 0x4fff, -1, 1 }, { 0x5000, 1, 1 },    { 0x5fff, 1, 1 },
        { 0x6000, 2, 2 },  { 0x8fff, 2, 2 },  { 0x9000, -1, 3 },   { 0xffff, -1, 3 },
        { 0x10000, 3, 3 }, { 0x1ffff, 3, 3 }, { 0x20000, -1, -1 }, { UINT64_MAX, -1, -1 },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        uint64_t a = cases[c].address;
        CHECK(containing(&tree, a) == cases[c].containing, "containing(0x%llx) = %d, want %d",
              (unsigned long long)a, containing(&tree, a), cases[c].containing);
        CHECK(first_ending_above(&tree, a) == cases[c].first_ending_above,
              "first_ending_above(0x%llx) = %d, want %d", (unsigned long long)a,
              first_ending_above(&tree, a), cases[c].first_ending_above);
    }

    /* The check mmap(MAP_FIXED) style placement needs: is a range free? */
    CHECK(!overlaps(&tree, 0x0, 0x1000), "[0, 0x1000) ends where region 0 begins");
    CHECK(overlaps(&tree, 0x0, 0x1001), "[0, 0x1001) reaches into region 0");
    CHECK(!overlaps(&tree, 0x3000, 0x5000), "the gap [0x3000, 0x5000) is free");
    CHECK(overlaps(&tree, 0x3000, 0x5001), "[0x3000, 0x5001) reaches into region 1");
    CHECK(overlaps(&tree, 0x2fff, 0x3000), "[0x2fff, 0x3000) is in region 0");
    CHECK(!overlaps(&tree, 0x9000, 0x10000), "the gap [0x9000, 0x10000) is free");
    CHECK(overlaps(&tree, 0x0, 0x100000), "a range covering everything");
    CHECK(!overlaps(&tree, 0x20000, 0x30000), "above every region");

    /* Unmapping region 1 opens the gap [0x3000, 0x6000). */
    avl_remove(&tree, &regions[1].node);
    CHECK(avl_check(&tree, compare_regions), "unsound after removing region 1");
    CHECK_EQ(first_ending_above(&tree, 0x5000), 2);
    CHECK_EQ(containing(&tree, 0x5000), -1);
    CHECK(!overlaps(&tree, 0x3000, 0x6000), "[0x3000, 0x6000) should now be free");
}

/* ---- the checker itself: every other test leans on it ---- */

TEST(avl_check_catches_corruption)
{
    struct avl_tree tree;
    make_perfect_tree(&tree);
    CHECK(avl_check(&tree, compare_items), "the perfect tree is unsound");

    pool[6].node.height++; /* a wrong height */
    CHECK(!avl_check(&tree, compare_items), "missed a wrong height");
    pool[6].node.height--;

    pool[5].node.parent = &pool[4].node; /* a wrong parent link */
    CHECK(!avl_check(&tree, compare_items), "missed a wrong parent");
    pool[5].node.parent = &pool[6].node;

    pool[5].key = 9; /* out of order: 9 in 8's left subtree */
    CHECK(!avl_check(&tree, compare_items), "missed a key out of order");
    pool[5].key = 5;

    tree.count++; /* a wrong count */
    CHECK(!avl_check(&tree, compare_items), "missed a wrong count");
    tree.count--;

    /* Unbalanced but otherwise sound: hang 16 and 17 below 15 */
    struct item extra[2] = { { .key = 16 }, { .key = 17 } };
    pool[15].node.right = &extra[0].node;
    extra[0].node = (struct avl_node){ NULL, &extra[1].node, &pool[15].node, 2 };
    extra[1].node = (struct avl_node){ NULL, NULL, &extra[0].node, 1 };
    pool[15].node.height = 3, pool[14].node.height = 4, pool[12].node.height = 5;
    tree.root->height = 6, tree.count += 2;
    CHECK(!avl_check(&tree, compare_items), "missed an imbalance");
}
