/*
 * pci.c — enumerating PCI functions through configuration mechanism #1.
 *
 *   CONFIG_ADDRESS (0xCF8):  bit 31 enable | bits 23..16 bus | 15..11 device |
 *                            10..8 function | 7..2 register (dword)
 *   CONFIG_DATA (0xCFC):     the 32 bits of that register
 *
 * A read of a function that does not exist returns all ones, so the vendor id
 * 0xffff means "nobody here". We try every bus and device (256 x 32 reads: a few
 * milliseconds), and functions 1..7 only where function 0 says it has them.
 */
#include "pci.h"

#include <stddef.h>

#include "kernel/printk.h"
#include "kernel/x86.h"

#define CONFIG_ADDRESS  0xcf8
#define CONFIG_DATA     0xcfc
#define CONFIG_ENABLE   (1u << 31)
#define PCI_BUSES       256
#define PCI_DEVICES     32
#define PCI_FUNCTIONS   8
#define PCI_MAX_FOUND   64   /* functions we keep a record of */
#define HEADER_MULTI    0x80 /* header type bit 7: a multi-function device */
#define HEADER_TYPE     0x7f
#define HEADER_ORDINARY 0x00 /* type 0: six BARs (bridges, type 1, have two) */
#define HEADER_BRIDGE   0x01

#define BAR_IO           0x1 /* bit 0: an I/O port range, not memory */
#define BAR_TYPE_MASK    0x6 /* bits 2..1 of a memory BAR: 00 32-bit, 10 64-bit */
#define BAR_TYPE_64      0x4
#define BAR_PREFETCH     0x8
#define BAR_IO_MASK      0xfffffffcu
#define BAR_MEMORY_MASK  0xfffffff0u
#define IO_SPACE_MASK    0xffffu /* x86 has 64 Ki ports: upper bits may read as 0 */
#define BRIDGE_BAR_COUNT 2

static struct pci_device found[PCI_MAX_FOUND];
static unsigned found_count;

static uint32_t config_address(struct pci_function f, uint8_t offset)
{
    return CONFIG_ENABLE | (uint32_t)f.bus << 16 | (uint32_t)f.device << 11 |
           (uint32_t)f.function << 8 | (offset & 0xfc);
}

uint32_t pci_read32(struct pci_function f, uint8_t offset)
{
    uint64_t flags = irq_save(); /* the address and data writes are one access */
    outl(CONFIG_ADDRESS, config_address(f, offset));
    uint32_t value = inl(CONFIG_DATA);
    irq_restore(flags);
    return value;
}

void pci_write32(struct pci_function f, uint8_t offset, uint32_t value)
{
    uint64_t flags = irq_save();
    outl(CONFIG_ADDRESS, config_address(f, offset));
    outl(CONFIG_DATA, value);
    irq_restore(flags);
}

uint16_t pci_read16(struct pci_function f, uint8_t offset)
{
    return (uint16_t)(pci_read32(f, offset) >> ((offset & 2) * 8));
}

void pci_write16(struct pci_function f, uint8_t offset, uint16_t value)
{
    unsigned shift = (offset & 2) * 8;
    uint32_t word = pci_read32(f, offset);
    word = (word & ~(0xffffu << shift)) | (uint32_t)value << shift;
    pci_write32(f, offset, word);
}

/* ---- the BARs ---- */

/* Write all ones to the BAR at offset and read back which bits stuck: the device
 * hard-wires the low address bits of its range to zero, so the bits that stay 0
 * give the size. The original value is put back. */
static uint32_t probe_bar_register(struct pci_function f, uint8_t offset)
{
    uint32_t original = pci_read32(f, offset);
    pci_write32(f, offset, 0xffffffffu);
    uint32_t ones = pci_read32(f, offset);
    pci_write32(f, offset, original);
    return ones;
}

/* Fill bar from BAR number i; returns how many slots it takes (2 for 64-bit). */
static unsigned read_bar(struct pci_function f, unsigned i, struct pci_bar *bar)
{
    uint8_t offset = (uint8_t)(PCI_BAR0 + 4 * i);
    uint32_t value = pci_read32(f, offset), ones = probe_bar_register(f, offset);
    if (ones == 0)
        return 1; /* the device has no BAR in this slot (reads back all zeros) */
    if (value & BAR_IO) {
        bar->is_io = true;
        bar->base = value & BAR_IO_MASK;
        bar->size = (~(ones & BAR_IO_MASK) + 1) & IO_SPACE_MASK;
        return 1;
    }
    bar->prefetchable = value & BAR_PREFETCH;
    uint64_t base = value & BAR_MEMORY_MASK, mask = ones & BAR_MEMORY_MASK;
    if ((value & BAR_TYPE_MASK) == BAR_TYPE_64 && i + 1 < PCI_BAR_COUNT) {
        bar->is_64bit = true;
        base |= (uint64_t)pci_read32(f, offset + 4) << 32;
        mask |= (uint64_t)probe_bar_register(f, offset + 4) << 32;
        bar->base = base;
        bar->size = ~mask + 1;
        return 2;
    }
    bar->base = base;
    bar->size = (uint32_t)(~(uint32_t)mask + 1);
    return 1;
}

/* Read every BAR, with the function's decoding off meanwhile: while a BAR holds
 * all ones the device would otherwise answer at a nonsense address. */
static void read_bars(struct pci_device *dev)
{
    unsigned count = (dev->header_type & HEADER_TYPE) == HEADER_BRIDGE     ? BRIDGE_BAR_COUNT
                     : (dev->header_type & HEADER_TYPE) == HEADER_ORDINARY ? PCI_BAR_COUNT
                                                                           : 0;
    uint16_t command = pci_read16(dev->where, PCI_COMMAND);
    pci_write16(dev->where, PCI_COMMAND, command & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
    for (unsigned i = 0; i < count;)
        i += read_bar(dev->where, i, &dev->bar[i]);
    pci_write16(dev->where, PCI_COMMAND, command);
}

paddr_t pci_bar_address(struct pci_function f, unsigned bar)
{
    if (bar >= PCI_BAR_COUNT)
        return 0;
    uint32_t low = pci_read32(f, (uint8_t)(PCI_BAR0 + 4 * bar));
    if (low & BAR_IO)
        return 0;
    paddr_t address = low & BAR_MEMORY_MASK;
    if ((low & BAR_TYPE_MASK) == BAR_TYPE_64 && bar + 1 < PCI_BAR_COUNT)
        address |= (paddr_t)pci_read32(f, (uint8_t)(PCI_BAR0 + 4 * (bar + 1))) << 32;
    return address;
}

/* ---- what a function is, for the boot log ---- */

struct known_device {
    uint16_t vendor, device;
    const char *name;
};

/* The devices of QEMU's default PC (i440FX) and the ones we drive. */
static const struct known_device known_devices[] = {
    { 0x8086, 0x1237, "i440fx-host" }, { 0x8086, 0x7000, "piix3-isa" },
    { 0x8086, 0x7010, "piix3-ide" },   { 0x8086, 0x7113, "piix4-acpi" },
    { 0x1234, 0x1111, "bochs-vga" },   { 0x1af4, 0x1000, "virtio-net" },
    { 0x1af4, 0x1001, "virtio-blk" },  { 0x8086, 0x100e, "e1000" },
};

static const char *const class_names[] = {
    [0x00] = "unclassified", [0x01] = "storage", [0x02] = "network",    [0x03] = "display",
    [0x04] = "multimedia",   [0x05] = "memory",  [0x06] = "bridge",     [0x07] = "communication",
    [0x08] = "system",       [0x09] = "input",   [0x0c] = "serial-bus",
};

static const char *device_name(const struct pci_device *dev)
{
    for (unsigned i = 0; i < sizeof known_devices / sizeof known_devices[0]; i++) {
        if (known_devices[i].vendor == dev->vendor && known_devices[i].device == dev->device)
            return known_devices[i].name;
    }
    return "";
}

static const char *class_name(uint8_t class_code)
{
    const char *name = NULL;
    if (class_code < sizeof class_names / sizeof class_names[0])
        name = class_names[class_code];
    return name != NULL ? name : "other";
}

/* One short line: "pci 00:04.0 1af4:1001 storage virtio-blk irq 11". */
static void print_device(const struct pci_device *dev)
{
    kinfo("pci %02x:%02x.%x %04x:%04x %s %s", dev->where.bus, dev->where.device,
          dev->where.function, dev->vendor, dev->device, class_name(dev->class_code),
          device_name(dev));
    if (dev->irq_pin != 0 && dev->irq_line != PCI_NO_IRQ)
        kinfo(" irq %u", dev->irq_line);
    for (unsigned i = 0; i < PCI_BAR_COUNT; i++) {
        const struct pci_bar *bar = &dev->bar[i];
        if (bar->size != 0)
            kinfo(" bar%u %s 0x%lx+0x%lx", i, bar->is_io ? "io" : "mem", bar->base, bar->size);
    }
    kinfo("\n");
}

/* ---- the walk ---- */

static void record_function(struct pci_function f)
{
    if (found_count == PCI_MAX_FOUND) {
        kprintf("pci %02x:%02x.%x: more than %d functions, ignored\n", f.bus, f.device, f.function,
                PCI_MAX_FOUND);
        return;
    }
    struct pci_device *dev = &found[found_count++];
    uint32_t ids = pci_read32(f, PCI_VENDOR_ID), class = pci_read32(f, PCI_REVISION_CLASS);
    uint32_t interrupt = pci_read32(f, PCI_INTERRUPT);
    *dev = (struct pci_device){
        .where = f,
        .vendor = (uint16_t)ids,
        .device = (uint16_t)(ids >> 16),
        .class_code = (uint8_t)(class >> 24),
        .subclass = (uint8_t)(class >> 16),
        .prog_if = (uint8_t)(class >> 8),
        .header_type = (uint8_t)pci_read16(f, PCI_HEADER), /* the byte after is BIST */
        .irq_line = (uint8_t)interrupt,
        .irq_pin = (uint8_t)(interrupt >> 8),
    };
    read_bars(dev);
    print_device(dev);
}

/* Functions 1..7 exist only if function 0 says the device has several. */
static unsigned function_count(struct pci_function f0)
{
    return (pci_read16(f0, PCI_HEADER) & HEADER_MULTI) ? PCI_FUNCTIONS : 1;
}

void pci_init(void)
{
    found_count = 0;
    for (unsigned bus = 0; bus < PCI_BUSES; bus++) {
        for (unsigned device = 0; device < PCI_DEVICES; device++) {
            struct pci_function f = { (uint8_t)bus, (uint8_t)device, 0 };
            if (pci_read16(f, PCI_VENDOR_ID) == PCI_NO_VENDOR)
                continue;
            for (unsigned fn = 0, n = function_count(f); fn < n; fn++) {
                f.function = (uint8_t)fn;
                if (pci_read16(f, PCI_VENDOR_ID) != PCI_NO_VENDOR)
                    record_function(f);
            }
        }
    }
}

const struct pci_device *pci_find(uint16_t vendor, uint16_t device, unsigned index)
{
    for (unsigned i = 0; i < found_count; i++) {
        if (found[i].vendor == vendor && found[i].device == device && index-- == 0)
            return &found[i];
    }
    return NULL;
}

unsigned pci_device_count(void)
{
    return found_count;
}

const struct pci_device *pci_device_at(unsigned i)
{
    return i < found_count ? &found[i] : NULL;
}

void pci_enable(const struct pci_device *dev, uint16_t command_bits)
{
    uint16_t command = pci_read16(dev->where, PCI_COMMAND);
    command = (command | command_bits) & ~PCI_COMMAND_INTX_DISABLE;
    pci_write16(dev->where, PCI_COMMAND, command);
}
