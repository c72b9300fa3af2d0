# tests/elf/elf.mk — the ELF loader fuzzer's tools, included by the top Makefile.
#
#   $(BUILD)/elf/probe.bin  tests/elf/probe.asm as flat code: the program inside
#                           every generated file
#   $(BUILD)/elf/elfgen     tests/elf/elfgen*.c, a host program that writes the odd,
#                           valid and malformed ELF files (tests/boot/elf-fuzz.sh)

ELFGEN    := $(BUILD)/elf/elfgen
ELF_PROBE := $(BUILD)/elf/probe.bin

all: $(ELFGEN) $(ELF_PROBE)

$(ELF_PROBE): tests/elf/probe.asm tests/elf/elf.mk
	$(call say,NASM,$<)
	@mkdir -p $(@D)
	$(Q)$(NASM) -f bin -o $@ $<

ELFGEN_SOURCES := tests/elf/elfgen.c tests/elf/elfgen_mutations.c tests/elf/elfgen_cases.c

$(ELFGEN): $(ELFGEN_SOURCES) tests/elf/elfgen.h tests/elf/elf.mk
	$(call say,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
	    -fno-sanitize-recover=all -o $@ $(ELFGEN_SOURCES)
