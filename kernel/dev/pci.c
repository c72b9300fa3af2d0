/*
 * pci.c — reading PCI configuration space (configuration mechanism #1).
 *
 *   CONFIG_ADDRESS (0xCF8):  bit 31 enable | bits 23..16 bus | 15..11 device |
 *                            10..8 function | 7..2 register (dword)
 *   CONFIG_DATA (0xCFC):     the 32 bits of that register
 */
#include "pci.h"

#include "kernel/x86.h"

#define CONFIG_ADDRESS   0xcf8
#define CONFIG_DATA      0xcfc
#define CONFIG_ENABLE    (1u << 31)
#define PCI_BUSES        256
#define PCI_DEVICES      32
#define PCI_FUNCTIONS    8
#define HEADER_MULTI     0x80
#define BAR_IO           0x1 /* bit 0: an I/O port range, not memory */
#define BAR_TYPE_MASK    0x6 /* bits 2..1: 00 32-bit, 10 64-bit */
#define BAR_TYPE_64      0x4
#define BAR_ADDRESS_MASK 0xfffffff0u

static uint32_t config_address(struct pci_function f, uint8_t offset)
{
    return CONFIG_ENABLE | (uint32_t)f.bus << 16 | (uint32_t)f.device << 11 |
           (uint32_t)f.function << 8 | (offset & 0xfc);
}

uint32_t pci_read32(struct pci_function f, uint8_t offset)
{
    outl(CONFIG_ADDRESS, config_address(f, offset));
    return inl(CONFIG_DATA);
}

void pci_write32(struct pci_function f, uint8_t offset, uint32_t value)
{
    outl(CONFIG_ADDRESS, config_address(f, offset));
    outl(CONFIG_DATA, value);
}

uint16_t pci_read16(struct pci_function f, uint8_t offset)
{
    return (uint16_t)(pci_read32(f, offset) >> ((offset & 2) * 8));
}

/* Functions 1..7 exist only if function 0 says the device has several. */
static unsigned function_count(struct pci_function f0)
{
    return (pci_read32(f0, PCI_HEADER & 0xfc) >> 16) & HEADER_MULTI ? PCI_FUNCTIONS : 1;
}

bool pci_find(uint16_t vendor, uint16_t device, struct pci_function *found)
{
    for (unsigned bus = 0; bus < PCI_BUSES; bus++) {
        for (unsigned dev = 0; dev < PCI_DEVICES; dev++) {
            struct pci_function f = { (uint8_t)bus, (uint8_t)dev, 0 };
            if (pci_read16(f, PCI_VENDOR_ID) == PCI_NO_VENDOR)
                continue;
            for (unsigned fn = 0, n = function_count(f); fn < n; fn++) {
                f.function = (uint8_t)fn;
                uint32_t ids = pci_read32(f, PCI_VENDOR_ID);
                if ((ids & 0xffff) == vendor && (ids >> 16) == device) {
                    *found = f;
                    return true;
                }
            }
        }
    }
    return false;
}

paddr_t pci_bar_address(struct pci_function f, unsigned bar)
{
    if (bar >= PCI_BAR_COUNT)
        return 0;
    uint32_t low = pci_read32(f, (uint8_t)(PCI_BAR0 + 4 * bar));
    if (low & BAR_IO)
        return 0;
    paddr_t address = low & BAR_ADDRESS_MASK;
    if ((low & BAR_TYPE_MASK) == BAR_TYPE_64 && bar + 1 < PCI_BAR_COUNT)
        address |= (paddr_t)pci_read32(f, (uint8_t)(PCI_BAR0 + 4 * (bar + 1))) << 32;
    return address;
}
