/*
 * bochs_vbe.h — graphics on QEMU's standard VGA card: the Bochs VBE interface.
 *
 * QEMU's `-vga std` (PCI 1234:1111) adds to the old VGA registers a few of its
 * own, reached through ports 0x1CE (index) and 0x1CF (data): resolution, bits per
 * pixel, on/off, and where in video memory the picture starts. In such a mode the
 * whole picture is a linear framebuffer at the card's PCI BAR0: pixel (x, y) is
 * the 32-bit word 0x00RRGGBB at y * width + x.
 *
 * The text mode keeps its characters and font in the first 256 KiB of video
 * memory, so the picture is placed after them (the start offset), and switching
 * back to text finds them intact.
 */
#ifndef KERNEL_DEV_BOCHS_VBE_H
#define KERNEL_DEV_BOCHS_VBE_H

#include <stdbool.h>
#include <stdint.h>

struct framebuffer {
    volatile uint32_t *pixels; /* width * height words, row after row */
    unsigned width, height;
};

/* Find the card (PCI 1234:1111, after pci_init) and map its framebuffer; false
 * if there is none. At boot, so the page tables of the mapping are there before
 * any program's memory is counted. */
bool vbe_init(void);

/* Switch to width x height x 32 bits, the picture after the text mode's memory
 * (contents left as they were). False if vbe_init found no card. */
bool vbe_enter(unsigned width, unsigned height, struct framebuffer *fb);

/* Back to the VGA mode that was set (the caller restores its registers). */
void vbe_leave(void);

#endif
