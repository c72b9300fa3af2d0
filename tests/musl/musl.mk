# tests/musl/musl.mk — programs written against a normal C library (musl), included
# by the top Makefile.
#
# Each tests/musl/<name>.c becomes the static binary $(BUILD)/musl/<name>, built with
# `musl-gcc -static` exactly as anyone would build a program for Linux. They must run
# unmodified on vmlab and print byte for byte what they print on Linux, so they print
# no times, pids or addresses. Built only when musl-gcc is installed (Debian package
# musl-tools); otherwise MUSL_PROGRAMS is empty. A program too big for one file is a
# folder, tests/musl/<name>/ with a main.c and its other parts, compiled together.

MUSL_CC ?= musl-gcc

ifneq ($(shell command -v $(MUSL_CC) 2>/dev/null),)
MUSL_FILE_NAMES   := $(patsubst tests/musl/%.c,%,$(wildcard tests/musl/*.c))
MUSL_FOLDER_NAMES := $(patsubst tests/musl/%/main.c,%,$(wildcard tests/musl/*/main.c))
MUSL_NAMES    := $(sort $(MUSL_FILE_NAMES) $(MUSL_FOLDER_NAMES))
MUSL_PROGRAMS := $(addprefix $(BUILD)/musl/,$(MUSL_NAMES))

all: $(MUSL_PROGRAMS)
user-test-host: $(MUSL_PROGRAMS) # user/run-host-tests runs them on the host too

$(MUSL_FILE_NAMES:%=$(BUILD)/musl/%): $(BUILD)/musl/%: tests/musl/%.c tests/musl/musl.mk
	$(call say,MUSLCC,$<)
	@mkdir -p $(@D)
	$(Q)$(MUSL_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# A folder program: all its .c files in one command (they are small).
.SECONDEXPANSION:
$(MUSL_FOLDER_NAMES:%=$(BUILD)/musl/%): $(BUILD)/musl/%: $$(wildcard tests/musl/%/*.[ch]) tests/musl/musl.mk
	$(call say,MUSLCC,tests/musl/$*/)
	@mkdir -p $(@D)
	$(Q)$(MUSL_CC) -static -O2 -Wall -Wextra -Werror -o $@ $(filter %.c,$^)

# One program as a static PIE too (ELF type ET_DYN, loaded by the kernel at a fixed
# base, relocating itself with musl's rcrt1.o). Debian's `musl-gcc -static-pie`
# alone still asks for a program interpreter (a dynamic program), so it is linked
# by hand with musl's start files and --no-dynamic-linker.
# musl's own start files and libc.a: the folder of the specs file musl-gcc names.
MUSL_LIBDIR := $(shell sed -n 's|.*-specs "\(.*\)/musl-gcc.specs".*|\1/|p' $$(command -v $(MUSL_CC)))
MUSL_PROGRAMS += $(BUILD)/musl/hello_printf_pie
all: $(BUILD)/musl/hello_printf_pie
$(BUILD)/musl/hello_printf_pie: tests/musl/hello_printf.c tests/musl/musl.mk
	$(call say,MUSLCC,$@)
	@mkdir -p $(@D)
	$(Q)$(MUSL_CC) -fPIE -static-pie -nostdlib -Wl,--no-dynamic-linker -O2 -Wall -Wextra -Werror -o $@ \
	    $(MUSL_LIBDIR)rcrt1.o $(MUSL_LIBDIR)crti.o $< $(MUSL_LIBDIR)libc.a \
	    $$($(MUSL_CC) -print-libgcc-file-name) $(MUSL_LIBDIR)crtn.o
else
MUSL_PROGRAMS :=
endif
