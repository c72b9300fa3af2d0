# user/user.mk — the user programs, included by the top Makefile.
#
# Every user/<name>.c is a program: it is linked with the user library (user/lib/)
# and with lib/'s string and formatting code, compiled again for user space, into the
# static ELF $(BUILD)/user/<name> at 0x400000 (user/linker.ld). A program too big for
# one file is a folder instead, user/<name>/ with a main.c and its other parts; they
# compile to $(BUILD)/user/parts/<name>/ (the ELF itself takes the name <name>).
#
#   make user-test-host   build the programs and run the self-checking ones on this
#                         host's Linux (the system-call interface is the same)

USER_FILE_NAMES   := $(patsubst user/%.c,%,$(wildcard user/*.c))
USER_FOLDER_NAMES := $(patsubst user/%/main.c,%,$(wildcard user/*/main.c))
USER_NAMES    := $(sort $(USER_FILE_NAMES) $(USER_FOLDER_NAMES))
USER_PROGRAMS := $(addprefix $(BUILD)/user/,$(USER_NAMES))
STRIP         ?= $(CROSS)strip

# user/programs.list names every program once: the shell's help and the test
# scripts read it, so a program missing there would be missing everywhere.
USER_LIST        := user/programs.list
USER_LISTED      := $(shell awk '!/^\#/ && NF { print $$1 }' $(USER_LIST))
USER_NOT_LISTED  := $(filter-out $(USER_LISTED),$(USER_NAMES))
USER_NOT_A_FILE  := $(filter-out $(USER_NAMES),$(USER_LISTED))
ifneq ($(USER_NOT_LISTED),)
$(error $(USER_LIST) has no line for $(USER_NOT_LISTED): add "NAME KIND WHAT" (see its top))
endif
ifneq ($(USER_NOT_A_FILE),)
$(error $(USER_LIST) lists $(USER_NOT_A_FILE), but there is no such user/NAME.c or user/NAME/main.c)
endif

USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
    -ffreestanding -nostdlib -static -fno-pie -no-pie -fno-stack-protector -fno-builtin \
    -nostdinc -isystem $(shell $(CC) -print-file-name=include) -I. \
    -fno-omit-frame-pointer -fno-tree-loop-distribute-patterns -MMD -MP
# -nostdinc: only the compiler's own headers (stdint.h, stdarg.h...), never the C library's.
# -fno-tree-loop-distribute-patterns: stop GCC turning memset's own loop into memset().
# User code may use SSE (unlike the kernel); crt0 aligns the stack for it.
USER_LDFLAGS := -T user/linker.ld -Wl,-z,max-page-size=0x1000 -Wl,--build-id=none

# The user library: our own files, plus lib/'s shared code compiled for user space.
# Both land in $(BUILD)/user/lib/, so user/lib/ must not reuse a name from lib/.
USER_SHARED_C   := lib/string.c lib/format.c lib/parse.c
USER_LIB_C      := $(wildcard user/lib/*.c)
USER_LIB_ASM    := $(wildcard user/lib/*.asm)
USER_SHARED_OBJ := $(USER_SHARED_C:lib/%.c=$(BUILD)/user/lib/%.o)
USER_OWN_OBJ    := $(USER_LIB_C:user/%.c=$(BUILD)/user/%.o) $(USER_FILE_NAMES:%=$(BUILD)/user/%.o)
# The parts of the folder programs: user/NAME/PART.c -> $(BUILD)/user/parts/NAME/PART.o
USER_PARTS_OF    = $(patsubst user/%.c,$(BUILD)/user/parts/%.o,$(wildcard user/$(1)/*.c))
USER_PARTS_OBJ  := $(foreach name,$(USER_FOLDER_NAMES),$(call USER_PARTS_OF,$(name)))
USER_ASM_OBJ    := $(USER_LIB_ASM:user/%.asm=$(BUILD)/user/%.asm.o)
# crt0 comes first, so that _start is the very first instruction, at 0x400000.
USER_LIB_OBJ    := $(BUILD)/user/lib/crt0.asm.o $(filter-out %/crt0.asm.o,$(USER_ASM_OBJ)) \
                   $(USER_LIB_C:user/%.c=$(BUILD)/user/%.o) $(USER_SHARED_OBJ)

ifneq ($(filter $(notdir $(USER_SHARED_C)),$(notdir $(USER_LIB_C))),)
$(error user/lib/ has a file named like one in lib/: $(filter $(notdir $(USER_SHARED_C)),$(notdir $(USER_LIB_C))))
endif

all: $(USER_PROGRAMS)

# Static pattern rules: they take precedence over the kernel's $(BUILD)/%.o rule.
$(USER_OWN_OBJ): $(BUILD)/user/%.o: user/%.c user/user.mk
	$(call say,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(USER_PARTS_OBJ): $(BUILD)/user/parts/%.o: user/%.c user/user.mk
	$(call say,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(USER_SHARED_OBJ): $(BUILD)/user/lib/%.o: lib/%.c user/user.mk
	$(call say,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(USER_ASM_OBJ): $(BUILD)/user/%.asm.o: user/%.asm user/user.mk
	$(call say,NASM,$<)
	@mkdir -p $(@D)
	$(Q)$(NASM) $(NASMFLAGS) $< -o $@

$(USER_FILE_NAMES:%=$(BUILD)/user/%): $(BUILD)/user/%: $(BUILD)/user/%.o $(USER_LIB_OBJ) user/linker.ld
	$(call say,LD,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $(USER_LIB_OBJ) $< -lgcc

# A folder program depends on its own parts: one rule per folder.
define USER_FOLDER_PROGRAM
$(BUILD)/user/$(1): $(call USER_PARTS_OF,$(1)) $(USER_LIB_OBJ) user/linker.ld
	$$(call say,LD,$$@)
	$$(Q)$$(CC) $$(USER_CFLAGS) $$(USER_LDFLAGS) -o $$@ $$(USER_LIB_OBJ) $$(filter %.o,$$(filter-out $$(USER_LIB_OBJ),$$^)) -lgcc
endef
$(foreach name,$(USER_FOLDER_NAMES),$(eval $(call USER_FOLDER_PROGRAM,$(name))))

# The shell's help, made from the list: PROGRAM("name", "what it does") per program.
USER_GENERATED := $(BUILD)/user/generated
$(USER_GENERATED)/programs.h: $(USER_LIST) user/user.mk
	$(call say,GEN,$@)
	@mkdir -p $(@D)
	$(Q)awk 'BEGIN { print "/* Made from user/programs.list by user/user.mk: edit the list, not this. */" } \
	    /^\#/ || !NF { next } \
	    $$2 != "test" && $$2 != "tool" { print FILENAME ":" FNR ": kind \"" $$2 "\" is neither test nor tool" >"/dev/stderr"; exit 1 } \
	    { what = $$0; sub(/^[^ ]+ +[^ ]+ +/, "", what); gsub(/[\\"]/, "\\\\&", what); \
	      printf "PROGRAM(\"%s\", \"%s\")\n", $$1, what }' $< >$@.tmp && mv $@.tmp $@
$(BUILD)/user/parts/sh/builtins.o: $(USER_GENERATED)/programs.h
$(BUILD)/user/parts/sh/builtins.o: USER_CFLAGS += -I$(USER_GENERATED)

# Copies without debug information, for the test boots: GRUB reads every boot
# module from the emulated CD, and thirty programs of 200 KiB add a second and a
# half to each boot of tests/boot/user-programs.sh. The code is the same bytes.
USER_STRIPPED := $(addprefix $(BUILD)/user/stripped/,$(USER_NAMES))
all: $(USER_STRIPPED)
$(USER_STRIPPED): $(BUILD)/user/stripped/%: $(BUILD)/user/%
	$(call say,STRIP,$@)
	@mkdir -p $(@D)
	$(Q)$(STRIP) --strip-debug -o $@ $<

# Malformed executables, for `exectest` (execve must fail cleanly): made from a
# real program by tests/elf/make-malformed, and shipped as boot modules by the tests.
USER_MALFORMED_NAMES := bad-magic bad-machine bad-type bad-phentsize truncated empty kernel-segment
USER_MALFORMED := $(addprefix $(BUILD)/user/malformed/,$(USER_MALFORMED_NAMES))

all: $(USER_MALFORMED)

$(USER_MALFORMED): $(BUILD)/user/malformed/.made
$(BUILD)/user/malformed/.made: $(BUILD)/user/hello tests/elf/make-malformed
	$(call say,GEN,$(BUILD)/user/malformed/)
	$(Q)tests/elf/make-malformed $< $(BUILD)/user/malformed && touch $@

# (tests/musl/musl.mk adds the musl programs to the prerequisites; the script runs
# them too when they exist.)
.PHONY: user-test-host
user-test-host: $(USER_PROGRAMS) $(USER_MALFORMED)
	$(Q)user/run-host-tests $(BUILD)

-include $(USER_OWN_OBJ:.o=.d) $(USER_PARTS_OBJ:.o=.d) $(USER_SHARED_OBJ:.o=.d)
