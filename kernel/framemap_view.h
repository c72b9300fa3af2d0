/*
 * framemap_view.h — the live map of memory on the VGA console (make run GUI=1).
 *
 *   F2        physical memory: every frame a coloured square, with a legend
 *   F3        one process's virtual address space: its regions as bands, each page
 *             a square (present, zero page, COW-shared, shared, PROT_NONE,
 *             untouched); F3 again or Tab: the next process
 *   F1, Esc   back to the text console, as it was (and as it went on meanwhile)
 *   F4        export the map over the serial port (kernel/framemap_export.c)
 * The picture is redrawn a few times a second while shown; when it is not, the
 * kernel does nothing more than test a flag.
 */
#ifndef KERNEL_FRAMEMAP_VIEW_H
#define KERNEL_FRAMEMAP_VIEW_H

#include <stdbool.h>
#include <stdint.h>

/* From the keyboard interrupt: true if the scan code was a key of the views
 * (then it is not typed). Only notes what is wanted; the work is done later. */
bool framemap_view_key(uint8_t scan_code);

/* Do what the keys asked, and redraw when due. Called where page tables are
 * consistent and sleeping is not needed: the idle loop, and on the way back to
 * user mode. Cheap when nothing is shown or asked. */
void framemap_view_work(void);

/* Back to the text console now, the view's memory given back: the run is ending
 * (its last words should be readable, and its memory check see no map). */
void framemap_view_close(void);

#endif
