#include "check.h"
#include "kernel_shim.h"
#include "mm/slab.h"

TEST(shim_slab_double_free_detected)
{
    static _Alignas(4096) unsigned char page[4096];
    struct slab *s = (struct slab *)page;
    slab_init(s, 64);
    void *a = slab_alloc(s);
    CHECK_EQ(slab_free(s, a), SLAB_FREED);
    CHECK_EQ(slab_free(s, a), SLAB_DOUBLE_FREE);
    CHECK(EXPECT_PANIC(slab_init(s, 48)), "slab_init(48) did not panic");
}
