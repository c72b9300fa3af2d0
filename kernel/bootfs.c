/*
 * bootfs.c — looking files up among the boot modules.
 */
#include "bootfs.h"

#include "errno.h"
#include "lib/string.h"
#include "mm/addr.h"
#include "printk.h"
#include "program_source.h"

#define BIN_PREFIX "/bin/"

static struct bootfs_file files[BOOT_MAX_MODULES];
static size_t count;

/* The module's pages from index on: copies out of the module's memory (the bytes
 * past its end stay zero). */
static int module_read_pages(struct mem_object *o, uint64_t index, size_t count_of_pages,
                             void *const pages[])
{
    const struct bootfs_file *file = o->owner;
    for (size_t i = 0; i < count_of_pages; i++) {
        uint64_t at = (index + i) * PAGE_SIZE;
        if (at < file->size)
            memcpy(pages[i], file->data + at,
                   file->size - at < PAGE_SIZE ? file->size - at : PAGE_SIZE);
    }
    return 0;
}

/* Boot modules live as long as the kernel: no users to count. */
static void module_get(struct mem_object *o)
{
    (void)o;
}

static const struct object_ops module_ops = {
    .kind = "program module",
    .read_pages = module_read_pages,
    .write_page = NULL, /* read-only: never dirty */
    .get = module_get,
    .put = module_get,
};

void bootfs_init(const struct boot_info *info)
{
    for (size_t i = 0; i < info->module_count; i++) {
        const struct boot_module *m = &info->modules[i];
        struct bootfs_file *file = &files[count++];
        *file = (struct bootfs_file){ .name = m->name,
                                      .data = phys_to_virt(m->start),
                                      .size = m->end - m->start };
        object_init(&file->pages, &module_ops, file, file->size);
    }
    if (count > 0)
        kinfo("Files: %zu boot modules as /bin/<name>\n", count);
}

/* The module at path, or NULL. */
static struct bootfs_file *find(const char *path)
{
    size_t prefix = strlen(BIN_PREFIX);
    if (strncmp(path, BIN_PREFIX, prefix) != 0)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(files[i].name, path + prefix) == 0)
            return &files[i];
    }
    return NULL;
}

const struct bootfs_file *bootfs_lookup(const char *path)
{
    return find(path);
}

int bootfs_open_program(const char *path, struct program_source *src)
{
    struct bootfs_file *file = find(path);
    if (file == NULL)
        return -ENOENT;
    program_source_from_memory(src, file->data, file->size);
    src->object = &file->pages;
    return 0;
}
