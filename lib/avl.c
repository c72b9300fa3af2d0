/*
 * avl.c — an intrusive AVL tree (see avl.h for how to use it).
 *
 * The invariant: at every node, the heights of the left and right subtrees differ
 * by at most one. Each node stores the height of its subtree, so the "balance"
 * height(left) - height(right) is cheap to compute.
 *
 * Insert and remove first change the tree as in any binary search tree, then walk
 * from the lowest changed node up to the root, recomputing each height and fixing
 * any node whose balance has become +2 or -2 with one or two rotations. Only the
 * nodes on that one path can have changed, so this is O(log n).
 */
#include "avl.h"

/* The height of a possibly empty subtree: an empty one has height 0. */
static int height(const struct avl_node *node)
{
    return node ? node->height : 0;
}

static void update_height(struct avl_node *node)
{
    int left = height(node->left), right = height(node->right);
    node->height = 1 + (left > right ? left : right);
}

/* > 0 when the left side is taller, < 0 when the right side is. */
static int balance(const struct avl_node *node)
{
    return height(node->left) - height(node->right);
}

static struct avl_node *leftmost(struct avl_node *node)
{
    while (node->left)
        node = node->left;
    return node;
}

static struct avl_node *rightmost(struct avl_node *node)
{
    while (node->right)
        node = node->right;
    return node;
}

/* Put replacement (which may be NULL) where old is: in old's parent's child
 * pointer, or at the root. old's own fields are left alone. */
static void replace_child(struct avl_tree *tree, struct avl_node *old, struct avl_node *replacement)
{
    struct avl_node *parent = old->parent;
    if (!parent)
        tree->root = replacement;
    else if (parent->left == old)
        parent->left = replacement;
    else
        parent->right = replacement;
    if (replacement)
        replacement->parent = parent;
}

/*
 * A rotation turns a subtree around one edge without changing its in-order
 * sequence (a < l < b < n < c below). Rotating right at n lifts its left child l
 * by one level and lowers n by one:
 *
 *             n                     l
 *            / \                   / \
 *           l   c     ----->      a   n
 *          / \                       / \
 *         a   b                     b   c
 *
 * Only three links move: b becomes n's left child, n becomes l's right child,
 * and l takes n's place under n's old parent. Rotating left is the mirror image.
 * Both return the new root of the subtree (l here).
 */
static struct avl_node *rotate_right(struct avl_tree *tree, struct avl_node *n)
{
    struct avl_node *l = n->left;
    n->left = l->right; /* b */
    if (n->left)
        n->left->parent = n;
    replace_child(tree, n, l);
    l->right = n;
    n->parent = l;
    update_height(n); /* n is now below l: its height first */
    update_height(l);
    return l;
}

static struct avl_node *rotate_left(struct avl_tree *tree, struct avl_node *n)
{
    struct avl_node *r = n->right;
    n->right = r->left;
    if (n->right)
        n->right->parent = n;
    replace_child(tree, n, r);
    r->left = n;
    n->parent = r;
    update_height(n);
    update_height(r);
    return r;
}

/*
 * Recompute node's height and, if its subtrees now differ by two, rotate to fix
 * it. Returns the root of the subtree that was rooted at node.
 *
 * Left-heavy by two, with the extra height under the left child's left ("left-
 * left"): one right rotation at node. If the extra height is under the left
 * child's right ("left-right"), a single right rotation would just move it to the
 * other side; first rotate left at the left child to turn it into left-left
 * (after a removal the left child may also be balanced: one rotation does):
 *
 *           n                  n                  y
 *          / \                / \               /   \
 *         x   d              y   d             x     n
 *        / \       ---->    / \      ---->    / \   / \
 *       a   y              x   c             a   b c   d
 *          / \            / \
 *         b   c          a   b
 *
 * Right-heavy is the mirror image.
 */
static struct avl_node *rebalance(struct avl_tree *tree, struct avl_node *node)
{
    /* ASSIGNMENT(avl): choose and perform the rotations described above. */
    update_height(node);
    int b = balance(node);
    if (b > 1) {
        if (balance(node->left) < 0)
            rotate_left(tree, node->left); /* left-right: make it left-left */
        return rotate_right(tree, node);
    }
    if (b < -1) {
        if (balance(node->right) > 0)
            rotate_right(tree, node->right); /* right-left: make it right-right */
        return rotate_left(tree, node);
    }
    return node;
}

/* Rebalance every node from node (which may be NULL) up to the root. Insert could
 * stop after the first rotation, and both could stop where a height does not
 * change; walking the whole path is simpler and still O(log n). */
static void rebalance_to_root(struct avl_tree *tree, struct avl_node *node)
{
    while (node) {
        node = rebalance(tree, node);
        node = node->parent;
    }
}

void avl_init(struct avl_tree *tree)
{
    tree->root = NULL;
    tree->count = 0;
}

bool avl_insert(struct avl_tree *tree, struct avl_node *node, avl_compare_fn compare)
{
    /* Walk down as in any search tree to the empty link where node belongs. */
    struct avl_node *parent = NULL;
    struct avl_node **link = &tree->root;
    while (*link) {
        int order = compare(node, *link);
        if (order == 0)
            return false; /* an equal node is already there: change nothing */
        parent = *link;
        link = order < 0 ? &parent->left : &parent->right;
    }
    node->left = node->right = NULL;
    node->parent = parent;
    node->height = 1;
    *link = node;
    tree->count++;
    rebalance_to_root(tree, parent);
    return true;
}

/* Remove node, which has two children, by moving its in-order successor s (the
 * leftmost node of its right subtree, so s has no left child) into its place.
 * Returns the lowest node whose subtree changed, where rebalancing must start. */
static struct avl_node *replace_with_successor(struct avl_tree *tree, struct avl_node *node)
{
    struct avl_node *s = leftmost(node->right);
    struct avl_node *lowest_changed = s;
    if (s != node->right) {
        /* Unhook s from deeper down (its right child takes its place), then give
         * it node's right subtree. */
        lowest_changed = s->parent;
        replace_child(tree, s, s->right);
        s->right = node->right;
        s->right->parent = s;
    }
    replace_child(tree, node, s);
    s->left = node->left;
    s->left->parent = s;
    return lowest_changed; /* s's height is recomputed on the way up */
}

void avl_remove(struct avl_tree *tree, struct avl_node *node)
{
    /* ASSIGNMENT(avl): unlink node, then rebalance the path above the change. */
    struct avl_node *lowest_changed;
    if (node->left && node->right) {
        lowest_changed = replace_with_successor(tree, node);
    } else {
        /* A leaf or a node with one child: the child (or NULL) takes its place. */
        lowest_changed = node->parent;
        replace_child(tree, node, node->left ? node->left : node->right);
    }
    tree->count--;
    rebalance_to_root(tree, lowest_changed);
    node->left = node->right = node->parent = NULL; /* no dangling links out of the tree */
}

struct avl_node *avl_find(const struct avl_tree *tree, const void *key, avl_key_compare_fn compare)
{
    struct avl_node *node = tree->root;
    while (node) {
        int order = compare(key, node);
        if (order == 0)
            return node;
        node = order < 0 ? node->left : node->right;
    }
    return NULL;
}

struct avl_node *avl_lower_bound(const struct avl_tree *tree, const void *key,
                                 avl_key_compare_fn compare)
{
    /* Every node we go left from is a candidate, and the later ones are further
     * left, so the last candidate is the leftmost one. */
    struct avl_node *candidate = NULL;
    struct avl_node *node = tree->root;
    while (node) {
        if (compare(key, node) <= 0) {
            candidate = node;
            node = node->left;
        } else {
            node = node->right;
        }
    }
    return candidate;
}

struct avl_node *avl_first(const struct avl_tree *tree)
{
    return tree->root ? leftmost(tree->root) : NULL;
}

struct avl_node *avl_last(const struct avl_tree *tree)
{
    return tree->root ? rightmost(tree->root) : NULL;
}

/* The successor is the leftmost node of the right subtree, if there is one;
 * otherwise the first ancestor that we reach from its left side. */
struct avl_node *avl_next(const struct avl_node *node)
{
    if (node->right)
        return leftmost(node->right);
    while (node->parent && node == node->parent->right)
        node = node->parent;
    return node->parent;
}

struct avl_node *avl_prev(const struct avl_node *node)
{
    if (node->left)
        return rightmost(node->left);
    while (node->parent && node == node->parent->left)
        node = node->parent;
    return node->parent;
}

/* What check_subtree needs besides the subtree itself. */
struct check_state {
    avl_compare_fn compare;
    size_t seen;  /* nodes visited so far */
    size_t limit; /* the tree's count: visiting more means a cycle or a bad count */
};

/* Check the subtree at node, whose parent must be parent and whose nodes must all
 * come strictly after low and before high (NULL: no bound). Returns its height
 * as recomputed from scratch, or -1 if any invariant fails. */
static int check_subtree(const struct avl_node *node, const struct avl_node *parent,
                         const struct avl_node *low, const struct avl_node *high,
                         struct check_state *state)
{
    if (!node)
        return 0;
    if (++state->seen > state->limit || node->parent != parent)
        return -1;
    if ((low && state->compare(low, node) >= 0) || (high && state->compare(node, high) >= 0))
        return -1;
    int left = check_subtree(node->left, node, low, node, state);
    int right = check_subtree(node->right, node, node, high, state);
    if (left < 0 || right < 0 || left - right > 1 || right - left > 1)
        return -1;
    int h = 1 + (left > right ? left : right);
    return h == node->height ? h : -1;
}

bool avl_check(const struct avl_tree *tree, avl_compare_fn compare)
{
    struct check_state state = { .compare = compare, .seen = 0, .limit = tree->count };
    if (check_subtree(tree->root, NULL, NULL, NULL, &state) < 0)
        return false;
    return state.seen == tree->count;
}
