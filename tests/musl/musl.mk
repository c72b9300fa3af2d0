# tests/musl/musl.mk — programs written against a normal C library (musl), included
# by the top Makefile.
#
# Each tests/musl/<name>.c becomes the static binary $(BUILD)/musl/<name>, built with
# `musl-gcc -static` exactly as anyone would build a program for Linux. They must run
# unmodified on vmlab and print byte for byte what they print on Linux, so they print
# no times, pids or addresses. Built only when musl-gcc is installed (Debian package
# musl-tools); otherwise MUSL_PROGRAMS is empty.

MUSL_CC ?= musl-gcc

ifneq ($(shell command -v $(MUSL_CC) 2>/dev/null),)
MUSL_NAMES    := $(sort $(patsubst tests/musl/%.c,%,$(wildcard tests/musl/*.c)))
MUSL_PROGRAMS := $(addprefix $(BUILD)/musl/,$(MUSL_NAMES))

all: $(MUSL_PROGRAMS)
user-test-host: $(MUSL_PROGRAMS) # user/run-host-tests runs them on the host too

$(MUSL_PROGRAMS): $(BUILD)/musl/%: tests/musl/%.c tests/musl/musl.mk
	$(call say,MUSLCC,$<)
	@mkdir -p $(@D)
	$(Q)$(MUSL_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<
else
MUSL_PROGRAMS :=
endif
