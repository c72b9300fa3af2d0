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

void bootfs_init(const struct boot_info *info)
{
    for (size_t i = 0; i < info->module_count; i++) {
        const struct boot_module *m = &info->modules[i];
        files[count++] = (struct bootfs_file){ .name = m->name,
                                               .data = phys_to_virt(m->start),
                                               .size = m->end - m->start };
    }
    if (count > 0)
        kinfo("Files: %zu boot modules as /bin/<name>\n", count);
}

const struct bootfs_file *bootfs_lookup(const char *path)
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

int bootfs_open_program(const char *path, struct program_source *src)
{
    const struct bootfs_file *file = bootfs_lookup(path);
    if (file == NULL)
        return -ENOENT;
    program_source_from_memory(src, file->data, file->size);
    return 0;
}
