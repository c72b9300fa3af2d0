/*
 * replace.c — the policy in force, and what every policy asks of a page.
 */
#include "replace.h"

#include "anon_rmap.h"
#include "kernel/errno.h"
#include "lib/string.h"
#include "pmm.h"
#include "pt.h"

static const struct replacement_policy *const policies[] = { &replace_fifo, &replace_clock,
                                                             &replace_aging, &replace_wsclock };
static const struct replacement_policy *in_force = &replace_clock;
static uint64_t (*clock_ms)(void);
static uint32_t wsclock_tau_ms = REPLACE_WSCLOCK_TAU_MS;

const struct replacement_policy *replace_policy(void)
{
    return in_force;
}

int replace_select(const char *name)
{
    for (unsigned i = 0; i < sizeof policies / sizeof policies[0]; i++) {
        if (strcmp(policies[i]->name, name) == 0) {
            in_force = policies[i];
            return 0;
        }
    }
    return -EINVAL;
}

const struct replacement_policy *replace_policy_at(unsigned i)
{
    return i < sizeof policies / sizeof policies[0] ? policies[i] : NULL;
}

bool replace_test_and_clear_used(struct page *page)
{
    paddr_t frame = pfn_to_paddr((pfn_t)(page - pmm_pages));
    bool used = page->flags & PG_REFERENCED; /* an A bit the working-set sampler took */
    page->flags &= (uint16_t)~PG_REFERENCED;
    for (struct anon_map *map = page->anon.maps; map != NULL; map = map->next)
        used |= pt_clear_accessed(map->root, map->va, frame);
    return used;
}

void replace_forget_use(struct page *page)
{
    (void)replace_test_and_clear_used(page);
    page->anon.age = 0;
    page->anon.last_use = 0;
}

void replace_set_clock(uint64_t (*now_ms)(void))
{
    clock_ms = now_ms;
}

uint64_t replace_now_ms(void)
{
    return clock_ms != NULL ? clock_ms() : 0;
}

uint32_t replace_wsclock_tau_ms(void)
{
    return wsclock_tau_ms;
}

int replace_set_wsclock_tau_ms(uint32_t tau_ms)
{
    if (tau_ms == 0 || tau_ms > REPLACE_WSCLOCK_TAU_MS_MAX)
        return -EINVAL;
    wsclock_tau_ms = tau_ms;
    return 0;
}
