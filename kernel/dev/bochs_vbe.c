/*
 * bochs_vbe.c — setting a graphics mode through the Bochs VBE registers.
 */
#include "bochs_vbe.h"

#include <stddef.h>

#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/kernel_pt.h"
#include "pci.h"

#define VBE_INDEX_PORT 0x1ce
#define VBE_DATA_PORT  0x1cf

enum vbe_index {
    VBE_ID = 0,
    VBE_XRES = 1,
    VBE_YRES = 2,
    VBE_BPP = 3,
    VBE_ENABLE = 4,
    VBE_VIRT_WIDTH = 6,
    VBE_VIRT_HEIGHT = 7,
    VBE_X_OFFSET = 8,
    VBE_Y_OFFSET = 9,
};

#define VBE_ID_MIN      0xb0c0 /* every version answers 0xb0c0..0xb0c5 */
#define VBE_ID_MAX      0xb0cf
#define VBE_ENABLED     0x01
#define VBE_LFB_ENABLED 0x40 /* the linear framebuffer, not 64 KiB banks */
#define VBE_NO_CLEAR    0x80 /* keep video memory: the text and font live there */
#define VBE_BPP_32      32
#define QEMU_VGA_VENDOR 0x1234
#define QEMU_VGA_DEVICE 0x1111
#define TEXT_MEMORY     (256u << 10) /* the text mode's planes: 4 x 64 KiB */
#define BYTES_PER_PIXEL 4

static void vbe_write(enum vbe_index index, uint16_t value)
{
    outw(VBE_INDEX_PORT, (uint16_t)index);
    outw(VBE_DATA_PORT, value);
}

static uint16_t vbe_read(enum vbe_index index)
{
    outw(VBE_INDEX_PORT, (uint16_t)index);
    return inw(VBE_DATA_PORT);
}

#define FRAMEBUFFER_MAPPED (16u << 20) /* QEMU's default video memory */

static volatile uint8_t *base; /* the framebuffer, mapped by vbe_init */

bool vbe_init(void)
{
    uint16_t id = vbe_read(VBE_ID);
    const struct pci_device *vga = pci_find(QEMU_VGA_VENDOR, QEMU_VGA_DEVICE, 0);
    if (id < VBE_ID_MIN || id > VBE_ID_MAX || vga == NULL)
        return false;
    paddr_t bar = pci_bar_address(vga->where, 0);
    if (bar == 0)
        return false;
    base = kernel_map_device(bar, FRAMEBUFFER_MAPPED);
    if (base == NULL)
        return false;
    kinfo("Graphics: Bochs VBE (id 0x%x), framebuffer at 0x%lx (PCI %u:%u.%u BAR0)\n", id, bar,
          vga->where.bus, vga->where.device, vga->where.function);
    return true;
}

bool vbe_enter(unsigned width, unsigned height, struct framebuffer *fb)
{
    unsigned skip_lines = TEXT_MEMORY / (width * BYTES_PER_PIXEL);
    if (base == NULL ||
        TEXT_MEMORY + (uint64_t)width * height * BYTES_PER_PIXEL > FRAMEBUFFER_MAPPED)
        return false;
    vbe_write(VBE_ENABLE, 0);
    vbe_write(VBE_XRES, (uint16_t)width);
    vbe_write(VBE_YRES, (uint16_t)height);
    vbe_write(VBE_BPP, VBE_BPP_32);
    vbe_write(VBE_ENABLE, VBE_ENABLED | VBE_LFB_ENABLED | VBE_NO_CLEAR);
    /* a taller virtual screen, shown from below the text mode's memory */
    vbe_write(VBE_VIRT_WIDTH, (uint16_t)width);
    vbe_write(VBE_VIRT_HEIGHT, (uint16_t)(height + skip_lines));
    vbe_write(VBE_X_OFFSET, 0);
    vbe_write(VBE_Y_OFFSET, (uint16_t)skip_lines);
    *fb = (struct framebuffer){
        .pixels = (volatile uint32_t *)(base + (uint64_t)skip_lines * width * BYTES_PER_PIXEL),
        .width = width,
        .height = height,
    };
    return true;
}

void vbe_leave(void)
{
    vbe_write(VBE_Y_OFFSET, 0);
    vbe_write(VBE_ENABLE, 0);
}
