# vmlab — a teaching kernel about virtual memory.   `make help` lists the targets.
#
# Quick start:  make run    (boots to the kernel's console in QEMU)
#               make test   (every test; ends with "N passed, N failed")
# Output is quiet; `make V=1` shows the full commands.

# ---- tools (CROSS=x86_64-elf- selects a cross toolchain, e.g. on macOS) ----
CROSS         ?=
CC            := $(CROSS)gcc
LD            := $(CROSS)ld
NM            := $(CROSS)nm
NASM          ?= nasm
QEMU          ?= qemu-system-x86_64
GRUB_MKRESCUE ?= $(if $(CROSS),i686-elf-grub-mkrescue,grub-mkrescue)
HOST_CC       ?= gcc
GDB           ?= gdb
# a static busybox for the root disk (Debian: busybox-static); none with CROSS
BUSYBOX       ?= $(if $(CROSS),,/bin/busybox)

# ---- knobs ----
MEM     ?= 128M          # guest RAM for `make run` / `make gdb`
GDBPORT ?= 1234          # QEMU's gdb stub listens here for `make gdb`
OPT     ?= -Og           # -Og: optimised, but gdb can still follow every line
GUI     ?=               # GUI=1 also opens the VGA window
SWAP    ?=               # SWAP=64M: make run/gdb attach a fresh swap disk of that size

ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-7s %s\n' $(1) $(2)
endif

BUILD  := build
KERNEL := $(BUILD)/kernel.elf
ISO    := $(BUILD)/vmlab.iso
ROOT_IMG       := $(BUILD)/root.img
comma          := ,
ROOT_DISK_SIZE ?= 64M # the root disk's size when it is made (make clean-disk makes it again)

# ---- the kernel ----
KERNEL_CFLAGS := -std=gnu11 $(OPT) -g -Wall -Wextra -Werror \
    -ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) -I. \
    -mno-red-zone -mcmodel=kernel -fno-pic -fno-pie -mgeneral-regs-only \
    -fno-stack-protector -fno-asynchronous-unwind-tables \
    -fno-omit-frame-pointer -fno-optimize-sibling-calls \
    -fno-tree-loop-distribute-patterns -fno-delete-null-pointer-checks -fno-toplevel-reorder \
    -MMD -MP
# -mno-red-zone:   interrupts push onto the kernel stack below RSP, so the 128 bytes
#                  there that the user-space ABI lets functions use are not safe.
# -mcmodel=kernel: code and data in the top 2 GiB (0xffffffff80000000 and up).
# -mgeneral-regs-only: no SSE in the kernel, so traps need not save vector registers.
# frame pointers and no sibling calls: every call leaves a frame for backtraces.
# -fno-tree-loop-distribute-patterns: stop GCC turning memset's loop into memset().
# -fno-toplevel-reorder: keep definitions in source order (tests run as written).
# -fno-delete-null-pointer-checks: address 0 is an address like any other to us;
#                  GCC may not assume an access there never happens.

NASMFLAGS := -f elf64 -g -F dwarf -I./
LDFLAGS   := -n -T linker.ld -nostdlib -z max-page-size=0x1000 -z noexecstack

KERNEL_C   := $(wildcard kernel/*.c kernel/dev/*.c kernel/fs/*.c kernel/fs/ext2/*.c kernel/fs/procfs/*.c kernel/swap/*.c mm/*.c lib/*.c tests/kernel/*.c)
KERNEL_ASM := $(wildcard boot/*.asm kernel/*.asm)
KERNEL_OBJ := $(KERNEL_C:%.c=$(BUILD)/%.o) $(KERNEL_ASM:%.asm=$(BUILD)/%.asm.o)

.PHONY: all run gdb test test-host bench bench-swap bench-replace bench-malloc fuzz format format-check check-tools help clean clean-disk
.DEFAULT_GOAL := all

# User programs (user/user.mk defines USER_PROGRAMS) and the musl-built test
# programs (tests/musl/musl.mk), included here so their lists can be prerequisites;
# the ELF loader fuzzer's generator (tests/elf/elf.mk).
-include user/user.mk
-include tests/musl/musl.mk
-include tests/elf/elf.mk

all: $(KERNEL) $(ISO) $(ROOT_IMG)

$(BUILD)/%.o: %.c Makefile
	$(call say,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/%.asm.o: %.asm boot/layout.inc kernel/cpu.inc kernel/trap_frame.inc Makefile
	$(call say,NASM,$<)
	@mkdir -p $(@D)
	$(Q)$(NASM) $(NASMFLAGS) $< -o $@

# The symbol table for backtraces needs the addresses of the linked kernel, so we
# link twice: first with an empty table, then with the table made from the first
# link. The table lies after the code, so no function moves; we check that.
$(BUILD)/ksyms-empty.S: kernel/mksyms.sh
	@mkdir -p $(@D)
	$(Q)kernel/mksyms.sh </dev/null >$@

$(BUILD)/ksyms.S: $(BUILD)/kernel.pass1.elf kernel/mksyms.sh
	$(Q)$(NM) -n $< | kernel/mksyms.sh >$@

$(BUILD)/%.S.o: $(BUILD)/%.S
	$(Q)$(CC) -c $< -o $@

$(BUILD)/kernel.pass1.elf: $(KERNEL_OBJ) $(BUILD)/ksyms-empty.S.o linker.ld
	$(call say,LD,$@)
	$(Q)$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJ) $(BUILD)/ksyms-empty.S.o

$(KERNEL): $(KERNEL_OBJ) $(BUILD)/ksyms.S.o linker.ld
	$(call say,LD,$@)
	$(Q)$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJ) $(BUILD)/ksyms.S.o
	$(Q)$(NM) -n $(BUILD)/kernel.pass1.elf | grep ' [tT] ' >$(BUILD)/syms.pass1
	$(Q)$(NM) -n $@ | grep ' [tT] ' >$(BUILD)/syms.final
	$(Q)cmp -s $(BUILD)/syms.pass1 $(BUILD)/syms.final || \
	    { echo "error: code moved between the two links (see linker.ld)"; rm -f $@; exit 1; }

# ---- the root disk: an ext2 image holding /bin, /tmp, /dev, /home ----
# The kernel mounts it at / and runs its programs from /bin (make run attaches it as
# vda). It is made once (tools/root-disk create) from the stripped programs; after
# that a rebuilt program replaces its /bin/NAME on the image ($? names the rebuilt
# ones) and every other file stays: what the kernel wrote persists between runs.
# A new tools/root-disk may lay the disk out otherwise: then it is made afresh.
# `make clean-disk` makes it afresh; `make clean` removes it with the rest of build/.
# Debian's busybox-static goes on it too: /bin/busybox and a link per applet
# (tools/root-disk), so busybox's shell and tools run on the kernel unmodified.
ROOT_PROGRAMS := $(addprefix $(BUILD)/user/stripped/,$(USER_NAMES))
$(ROOT_IMG): $(ROOT_PROGRAMS) $(BUSYBOX) tools/root-disk | check-tools
	$(call say,DISK,$@)
	$(Q)if [ -f $@ ] && [ -z "$(filter tools/root-disk,$?)" ]; then \
	    tools/root-disk update $@ $(filter $(ROOT_PROGRAMS) $(BUSYBOX),$?); \
	else tools/root-disk create $@ $(strip $(ROOT_DISK_SIZE)) $(if $(BUSYBOX),--busybox $(BUSYBOX)) $(ROOT_PROGRAMS); fi
	$(Q)touch $@

# check-tools installs it when it is missing (a rule with no recipe: once
# check-tools has run, the file is simply there).
ifneq ($(BUSYBOX),)
$(BUSYBOX): | check-tools
endif

clean-disk: check-tools
	$(Q)rm -f $(ROOT_IMG)
	$(Q)$(MAKE) --no-print-directory $(ROOT_IMG)

# ---- the bootable ISO: GRUB and the kernel ----
# The programs come from the root disk. Boot modules remain for the tests
# (tests/run-elf): each `module2 /boot/modules/NAME NAME` line of grub.cfg becomes
# the file /bin/NAME, which wins over the disk's /bin/NAME.
define make-iso
	$(call say,ISO,$(1))
	@rm -rf $(2) && mkdir -p $(2)/boot/grub $(2)/boot/modules
	$(Q)objcopy --strip-debug $(KERNEL) $(2)/boot/kernel.elf # GRUB reads all of it; gdb needs none of the DWARF
	$(Q)for p in $(4); do cp $$p $(2)/boot/modules/; \
	    printf '    module2 /boot/modules/%s %s\n' $$(basename $$p) $$(basename $$p); \
	done >$(2)/modules.cfg
	$(Q)sed -e '/^ *# modules$$/r $(2)/modules.cfg' -e '/^ *# modules$$/d' \
	    $(if $(3),-e 's|^\( *multiboot2 /boot/kernel.elf\)$$|\1 $(3)|') iso/grub.cfg \
	    >$(2)/boot/grub/grub.cfg
	@rm $(2)/modules.cfg
	$(Q)$(GRUB_MKRESCUE) $(5) -o $(1) $(2) >$(2).log 2>&1 || \
	    { cat $(2).log; exit 1; }
endef

$(ISO): $(KERNEL) iso/grub.cfg
	$(call make-iso,$@,$(BUILD)/iso-root,,)

# ---- starting a program of your choice: make run/gdb INIT="cowtest ARGS..." ----
# INIT names a user program and its arguments (words split at spaces; no quoting).
# It boots build/init.iso, whose command line says init=/bin/NAME and whose boot
# file /bin/init.args holds the arguments, each ending with a zero byte (kernel/main.c,
# arguments_from_file), so the program is pid 1 with argv = /bin/NAME ARGS...
# Plain `make run` / `make gdb` boot build/vmlab.iso (init and the shell) as always.
INIT      ?=
INIT_NAME := $(firstword $(INIT))
INIT_ARGS := $(wordlist 2,$(words $(INIT)),$(INIT))
INIT_ISO  := $(BUILD)/init.iso
SWAP_ISO  := $(BUILD)/swap.iso
BOOT_ISO  := $(if $(INIT),$(INIT_ISO),$(if $(strip $(SWAP)),$(SWAP_ISO),$(ISO)))
ifneq ($(INIT_NAME),)
ifeq ($(filter $(INIT_NAME),$(USER_NAMES)),)
$(error INIT=$(INIT_NAME): there is no user program of that name (user/$(INIT_NAME).c). \
    The programs are: $(USER_NAMES))
endif
endif

# Only the GRUB modules this boot needs, as tests/boot-kernel does: it is rebuilt for
# every new INIT, and this takes a tenth of the time of a full grub-mkrescue.
INIT_MKRESCUE := --install-modules="multiboot2 multiboot normal" --locales= --fonts= --themes=

# Rebuilt whenever INIT (or whether there is swap) differs from last time (the file holds it).
$(BUILD)/init/choice: FORCE
	@mkdir -p $(@D)
	@echo '$(subst ','\'',$(INIT))$(SWAP_OPTION)' | cmp -s - $@ || echo '$(subst ','\'',$(INIT))$(SWAP_OPTION)' >$@
FORCE:

$(INIT_ISO): $(KERNEL) iso/grub.cfg $(BUILD)/init/choice
	@rm -f $(BUILD)/init/init.args
	$(Q)$(if $(INIT_ARGS),printf '%s\0' $(foreach a,$(INIT_ARGS),'$(subst ','\'',$(a))') >$(BUILD)/init/init.args)
	$(call make-iso,$@,$(BUILD)/init/iso-root,init=/bin/$(INIT_NAME)$(if $(INIT_ARGS), initargs=/bin/init.args)$(SWAP_OPTION),$(if $(INIT_ARGS),$(BUILD)/init/init.args),$(INIT_MKRESCUE))

# ---- swap: make run SWAP=64M (MEM=32M) ----
# A fresh swap disk of SIZE, made by util-linux's mkswap for each run (what it held
# means nothing to the next boot), attached after the root disk as vdb; the kernel
# swaps to it from the start: the command line says swap=vdb (kernel/swap/README.md).
SWAP_IMG    := $(BUILD)/swap.img
SWAP_OPTION := $(if $(strip $(SWAP)), swap=vdb)
SWAP_DRIVE  := $(if $(strip $(SWAP)),-drive file=$(SWAP_IMG)$(comma)if=virtio$(comma)format=raw)

$(SWAP_ISO): $(KERNEL) iso/grub.cfg
	$(call make-iso,$@,$(BUILD)/swap-iso-root,swap=vdb,,$(INIT_MKRESCUE))

$(SWAP_IMG): FORCE | check-tools
	$(call say,MKSWAP,$@)
	$(Q)rm -f $@ && truncate -s $(strip $(SWAP)) $@ && PATH="$$PATH:/usr/sbin:/sbin" mkswap -q $@ >/dev/null

# ---- running ----
# The root disk is vda; what the kernel writes there persists. SNAPSHOT=1 keeps the
# writes in a temporary overlay QEMU throws away (snapshot=on): the image stays as
# it was, and several QEMUs may share it (the tests' make run and make gdb do).
SNAPSHOT   ?=
ROOT_DRIVE := -drive file=$(ROOT_IMG),if=virtio,format=raw$(if $(SNAPSHOT),$(comma)snapshot=on)
QEMU_FLAGS := -cpu max -m $(strip $(MEM)) -no-reboot -cdrom $(BOOT_ISO) $(ROOT_DRIVE) $(SWAP_DRIVE) -serial mon:stdio \
    $(if $(GUI),,-display none)
# (what INIT says, quoted for the shell's single quotes)
BOOTING := $(BOOT_ISO)$(if $(INIT), (pid 1: /bin/$(subst ','\'',$(INIT))))

run: check-tools all $(BOOT_ISO) $(if $(strip $(SWAP)),$(SWAP_IMG))
	@echo 'Booting $(BOOTING) in QEMU ($(strip $(MEM))$(if $(strip $(SWAP)),$(comma) swap $(strip $(SWAP)) on vdb)). Leave with poweroff (Ctrl-A then X pulls the plug: unsynced writes are lost).'
	$(Q)$(QEMU) $(QEMU_FLAGS)

# QEMU starts halted at the very first instruction with its gdb stub listening;
# gdb (configured by .gdbinit) loads the symbols and connects. The kernel's serial
# output goes to build/serial.log (watch it with `tail -f build/serial.log`).
# QEMU's pid goes in a file per port, so two sessions on two ports stay apart.
QEMU_GDB_PID := $(BUILD)/qemu-gdb-$(strip $(GDBPORT)).pid
gdb: check-tools all $(BOOT_ISO) $(if $(strip $(SWAP)),$(SWAP_IMG))
	@echo "QEMU is waiting for gdb on port $(strip $(GDBPORT)); serial output: $(BUILD)/serial.log"
	$(if $(INIT),@echo 'Booting $(BOOTING): in gdb break-user-fault $(INIT_NAME) then continue stops at its first page fault')
	$(Q)$(QEMU) -cpu max -m $(strip $(MEM)) -no-reboot -cdrom $(BOOT_ISO) $(ROOT_DRIVE) $(SWAP_DRIVE) \
	    -serial file:$(BUILD)/serial.log $(if $(GUI),,-display none) \
	    -S -gdb tcp::$(strip $(GDBPORT)) & echo $$! >$(QEMU_GDB_PID)
	$(Q)$(GDB) -q -iex 'add-auto-load-safe-path $(CURDIR)/.gdbinit' \
	    -iex 'set $$gdbport = $(strip $(GDBPORT))'; \
	    kill $$(cat $(QEMU_GDB_PID)) 2>/dev/null; rm -f $(QEMU_GDB_PID); true

# ---- testing ----
# Every test, side by side (JOBS=N QEMUs at once); T=PATTERN runs only the tests whose
# name matches PATTERN, an extended regular expression (make test T=cow). Both reach
# tests/run-tests through the environment. The build itself runs one job per CPU
# (it is half of a clean `make test` otherwise).
test: check-tools
	$(Q)$(MAKE) --no-print-directory -j$$(nproc) all
	$(Q)tests/run-tests

# The VM micro-benchmarks (user/vmbench.c) on vmlab and, where ../shared/linux-ref/
# exists, on stock Linux under the same QEMU, side by side, then the storage ones
# (tests/bench/fsbench.c, over one ext2 image on a virtio disk), then the replacement
# policies against OPT (bench-replace below). Not part of `make test`. BENCH_ARGS="-q"
# (quick), "-r 5" (rounds), "--no-storage", "--no-replace" go to tests/bench/run-bench.
FSBENCH := $(if $(MUSL_PROGRAMS),$(BUILD)/bench/fsbench)
bench: check-tools all $(FSBENCH) $(BUILD)/host/bench_ext2
	$(Q)tests/bench/run-bench $(BENCH_ARGS)

# fsbench is a static musl program like tests/musl's, but a benchmark: it prints
# times, so it is built here and not compared with Linux by tests/boot/musl-diff.sh.
$(BUILD)/bench/fsbench: tests/bench/fsbench.c
	$(call say,MUSLCC,$<)
	@mkdir -p $(@D)
	$(Q)$(MUSL_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# Swapping next to Linux: tests/bench/swapbench.c touches a region of twice the RAM
# (sequentially, then in a random order) on vmlab and on stock Linux, with the same
# memory and the same swap disk size; one table. Not part of `make test` (a minute or
# two). BENCH_SWAP_ARGS="--mem 64M --swap 256M" or "--vmlab-only" go to
# tests/bench/run-bench-swap.
SWAPBENCH := $(if $(MUSL_PROGRAMS),$(BUILD)/bench/swapbench)
bench-swap: check-tools all $(SWAPBENCH)
	$(Q)tests/bench/run-bench-swap $(BENCH_SWAP_ARGS)

$(BUILD)/bench/swapbench: tests/bench/swapbench.c
	$(call say,MUSLCC,$<)
	@mkdir -p $(@D)
	$(Q)$(MUSL_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# The page-replacement policies against Belady's OPT: the kernel replays the traces of
# tests/pagesim/traces (tests/musl/replay, a region of N frames) under FIFO, Clock,
# aging and WSClock; tools/pagesim computes the same and LRU and OPT; one table of
# faults and faults / OPT (tests/bench/run-bench-replace, about 40 s). Part of `make bench`.
bench-replace: check-tools all
	$(Q)tests/bench/run-bench-replace

# The malloc traces (tests/malloc-traces/) replayed by user/malloctrace.c with vmlab's
# malloc (each policy), glibc's and musl's, on the host and on vmlab: one table of
# throughput and utilization. Not part of `make test`. BENCH_MALLOC_ARGS="--no-vmlab -r 5"
# go to tests/bench/run-bench-malloc.
bench-malloc: check-tools all
	$(Q)tests/bench/run-bench-malloc $(BENCH_MALLOC_ARGS)

# A million random system calls from several processes (user/syscallfuzz.c), one boot
# per seed, then the model-checked soak (tests/musl/vmsoak.c) on Linux and vmlab; the
# failing seeds are named and replayed; first, boot/fork-cost.sh's instruction count of
# fork (about 20 s of QEMU under -icount). Not part of `make test` (about 5 minutes).
# FUZZ_SEEDS="1-20" FUZZ_CALLS=50000 FUZZ_PROCS=4 SOAK_LONG_SEEDS="1-40"; FUZZ_ALL=1
# lets the soak make the cases of the known bugs it avoids.
fuzz: check-tools all
	$(Q)tests/boot/fork-cost.sh --long
	$(Q)tests/boot/fuzz.sh --long

# The host unit tests alone (ASan + UBSan), used by tests/run-tests.
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -I. \
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
    -fno-builtin -fno-tree-loop-distribute-patterns -U_FORTIFY_SOURCE \
    -include tests/host/host_names.h -DVMLAB_HOST_TEST
# The code under test; tests/host/kernel_shim.c stands in for the kernel services
# it calls (panic, kprintf, symbol names) and backs "physical memory" with a buffer.
HOST_UNDER_TEST := lib/string.c lib/format.c lib/parse.c lib/avl.c kernel/bootinfo.c kernel/cmdline.c \
    kernel/elf.c kernel/program_source.c mm/pmm.c mm/pmm_boot.c mm/slab.c tests/host/kernel_shim.c \
    user/lib/malloc_heap.c user/lib/malloc_core.c user/lib/malloc_check.c user/lib/malloc_small.c
HOST_TESTS := $(patsubst tests/host/%.c,$(BUILD)/host/%,$(wildcard tests/host/test_*.c))

# Each source under test is compiled once (with the sanitizers) into build/host/obj/,
# and every test links the objects it needs: 25 tests share them.
host_objects = $(patsubst %.c,$(BUILD)/host/obj/%.o,$(1))

# The region code of mm/ for the test_vma* tests only: regions, placement, brk,
# mmap and mremap, over tests/host/mm_shim.c (address spaces with regions but no
# pages) and tests/host/vma_layout.c (address spaces drawn as pictures).
HOST_MM_UNDER_TEST := mm/vma.c mm/place.c mm/brk.c mm/mmap.c mm/mremap.c mm/object.c mm/cow.c mm/limits.c \
    tests/host/mm_shim.c tests/host/vma_layout.c
HOST_VMA_TESTS := $(filter $(BUILD)/host/test_vma%,$(HOST_TESTS))
$(HOST_VMA_TESTS): HOST_EXTRA := $(call host_objects,$(HOST_MM_UNDER_TEST))
# test_uio compiles kernel/fs/uio.c itself, over its own fake user-memory copies
$(BUILD)/host/test_uio: kernel/fs/uio.c kernel/fs/uio.h

# The file-system code for the test_ext2* tests, over a block device backed by an
# image file made by mke2fs (block_file.c), the heap and a fixed clock (fs_shim.c).
HOST_FS_UNDER_TEST := kernel/fs/buffer.c $(wildcard kernel/fs/ext2/*.c) tests/host/block_file.c \
    tests/host/fs_shim.c tests/host/ext2_image.c
HOST_EXT2_TESTS := $(filter $(BUILD)/host/test_ext2%,$(HOST_TESTS))
$(HOST_EXT2_TESTS): HOST_EXTRA := $(call host_objects,$(HOST_FS_UNDER_TEST))

# The virtqueue bookkeeping of kernel/dev/ for test_virtq (the test plays the device).
$(BUILD)/host/test_virtq: HOST_EXTRA := $(call host_objects,kernel/dev/virtq.c)
# The swap header parser of kernel/swap/ for test_swap_header (corrupt headers).
$(BUILD)/host/test_swap_header: HOST_EXTRA := $(call host_objects,kernel/swap/swap_header.c)
# The extents of kernel/swap/ for test_swap_map (made-up swap files' block maps).
$(BUILD)/host/test_swap_map: HOST_EXTRA := $(call host_objects,kernel/swap/swap_map.c tests/host/fs_shim.c)
# The /proc/sys write rules of kernel/fs/procfs/ for test_sysctl_parse.
$(BUILD)/host/test_sysctl_parse: HOST_EXTRA := $(call host_objects,kernel/fs/procfs/sysctl_parse.c)

# The page-replacement simulator (tools/pagesim/) for test_pagesim: its policies,
# traces and reports, without its main.
PAGESIM_LIB := $(filter-out tools/pagesim/pagesim.c tools/pagesim/gen.c,$(wildcard tools/pagesim/*.c))
$(BUILD)/host/test_pagesim: HOST_EXTRA := $(call host_objects,$(PAGESIM_LIB))
$(BUILD)/host/test_pagesim: $(wildcard tools/pagesim/*.h)

HOST_OBJECTS := $(call host_objects,tests/host/check.c $(HOST_UNDER_TEST) $(HOST_MM_UNDER_TEST) $(HOST_FS_UNDER_TEST) \
    kernel/dev/virtq.c kernel/swap/swap_header.c kernel/swap/swap_map.c kernel/fs/procfs/sysctl_parse.c $(PAGESIM_LIB))
$(HOST_OBJECTS): $(BUILD)/host/obj/%.o: %.c tests/host/host_names.h
	$(call say,HOSTCC,$<)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<
-include $(HOST_OBJECTS:.o=.d)

# A test: its own file, compiled here, linked with the shared objects and its extras
# (HOST_EXTRA is set per test above; secondary expansion makes it a prerequisite).
.SECONDEXPANSION:
HOST_SHARED_OBJECTS := $(call host_objects,tests/host/check.c $(HOST_UNDER_TEST))
$(HOST_TESTS): $(BUILD)/host/%: tests/host/%.c $(HOST_SHARED_OBJECTS) $$(HOST_EXTRA) \
    $(wildcard lib/*.h kernel/*.h mm/*.h tests/host/*.h)
	$(call say,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -o $@ $< $(HOST_SHARED_OBJECTS) $(HOST_EXTRA)

# The ext2 benchmark (not a test: it prints MB/s), optimised and without sanitizers.
$(BUILD)/host/bench_ext2: tests/host/bench_ext2.c $(HOST_FS_UNDER_TEST) $(HOST_UNDER_TEST)
	$(call say,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -I. -fno-builtin -include tests/host/host_names.h \
	    -DVMLAB_HOST_TEST -o $@ $< $(HOST_UNDER_TEST) $(HOST_FS_UNDER_TEST)

# pagesim and gen (tools/pagesim/README.md): host programs, optimised, no sanitizers.
# The binary traces for the in-kernel replay (tools/pagesim/replay-format.md) are
# made from the committed text ones into build/pagesim/traces/NAME.bin.
PAGESIM        := $(BUILD)/tools/pagesim/pagesim
PAGESIM_GEN    := $(BUILD)/tools/pagesim/gen
PAGESIM_TRACES := $(patsubst tests/pagesim/traces/%.txt,$(BUILD)/pagesim/traces/%.bin,$(wildcard tests/pagesim/traces/*.txt))
$(PAGESIM) $(PAGESIM_GEN): $(BUILD)/tools/pagesim/%: tools/pagesim/%.c $(PAGESIM_LIB) $(wildcard tools/pagesim/*.h)
	$(call say,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -o $@ $< $(PAGESIM_LIB)

$(BUILD)/pagesim/traces/%.bin: tests/pagesim/traces/%.txt $(PAGESIM_GEN)
	@mkdir -p $(@D)
	$(Q)$(PAGESIM_GEN) bin $< $@

# pagesim and its binary traces are part of the build: boot/replay.sh compares the
# kernel's faults with pagesim's, in every `make test`
all: $(PAGESIM) $(PAGESIM_GEN) $(PAGESIM_TRACES)

test-host: $(HOST_TESTS) $(PAGESIM) $(PAGESIM_GEN) $(PAGESIM_TRACES)

# ---- code layout: .clang-format is the project's style ----
# Every C file of the project; `make format` rewrites them, `make format-check`
# lists those that differ (make test runs the same check, tests/check-tree).
FORMAT_SOURCES = $(wildcard kernel/*.[ch] kernel/dev/*.[ch] kernel/fs/*.[ch] kernel/fs/ext2/*.[ch] kernel/fs/procfs/*.[ch] kernel/swap/*.[ch] mm/*.[ch] lib/*.[ch] user/*.[ch] user/*/*.[ch] \
    tests/host/*.[ch] tests/kernel/*.[ch] tests/musl/*.[ch] tests/musl/*/*.[ch] tests/elf/*.[ch] tools/pagesim/*.[ch])

format: check-tools
	$(Q)clang-format -i --style=file $(FORMAT_SOURCES)

format-check: check-tools
	$(Q)tests/check-tree format

print-format-sources:
	@echo $(FORMAT_SOURCES)

# ---- set-up: install what is missing (Debian/Ubuntu), or say how ----
# tool:Debian package pairs; grub-pc-bin provides GRUB's BIOS modules.
NEEDED := qemu-system-x86_64:qemu-system-x86 nasm:nasm grub-mkrescue:grub-common \
    xorriso:xorriso mformat:mtools gdb:gdb musl-gcc:musl-tools clang-format:clang-format \
    mke2fs:e2fsprogs mkswap:util-linux cpio:cpio xz:xz-utils
check-tools:
	@missing=""; \
	for pair in $(NEEDED); do \
	    PATH="$$PATH:/usr/sbin:/sbin" command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	[ -d /usr/lib/grub/i386-pc ] || [ -n "$(CROSS)" ] || missing="$$missing grub-pc-bin"; \
	[ -z "$(strip $(BUSYBOX))" ] || { [ -x $(BUSYBOX) ] && ! LC_ALL=C readelf -l $(BUSYBOX) 2>/dev/null | \
	    grep -q 'program interpreter'; } || missing="$$missing busybox-static"; \
	[ -z "$$missing" ] && exit 0; \
	if command -v apt-get >/dev/null 2>&1; then \
	    sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
	    echo "Installing missing packages:"; \
	    echo "  $$sudo apt-get update && $$sudo apt-get install -y$$missing"; \
	    $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q$$missing; \
	elif [ "$$(uname)" = Darwin ]; then \
	    echo "Missing:$$missing. On macOS install the cross toolchain and tools:"; \
	    echo "  brew install x86_64-elf-gcc x86_64-elf-binutils i686-elf-grub nasm qemu xorriso mtools x86_64-elf-gdb clang-format"; \
	    echo "then build with: make CROSS=x86_64-elf- GDB=x86_64-elf-gdb"; exit 1; \
	elif command -v dnf >/dev/null 2>&1; then \
	    echo "Missing:$$missing. Install with:"; \
	    echo "  sudo dnf install qemu-system-x86 nasm grub2-tools-extra grub2-pc-modules xorriso mtools gdb musl-gcc clang-tools-extra"; exit 1; \
	elif command -v pacman >/dev/null 2>&1; then \
	    echo "Missing:$$missing. Install with:"; \
	    echo "  sudo pacman -S qemu-system-x86 nasm grub libisoburn mtools gdb musl clang"; exit 1; \
	else \
	    echo "Missing:$$missing (Debian package names). Install them with your package manager."; exit 1; \
	fi

help:
	@echo "vmlab: make targets"
	@echo "  make            build the kernel ($(KERNEL)), the bootable ISO ($(ISO)) and the"
	@echo "                  root disk ($(ROOT_IMG), made once; rebuilt programs replace /bin/NAME)"
	@echo "  make run        boot in QEMU with the root disk, serial console on this terminal (poweroff ends it)"
	@echo "                  MEM=256M for more RAM, GUI=1 for the VGA window too"
	@echo "                  INIT=\"cowtest ARGS\": straight into /bin/cowtest ARGS (pid 1), no shell"
	@echo "                  SNAPSHOT=1: the disk's writes are thrown away when QEMU ends"
	@echo "                  SWAP=64M: a fresh swap disk of that size (mkswap) as vdb, on from boot"
	@echo "                  (make run SWAP=64M MEM=32M: watch memory pressure and paging)"
	@echo "  make gdb        boot halted at the first instruction, with gdb attached"
	@echo "                  (GDBPORT=$(strip $(GDBPORT)); INIT= as for run; in gdb: break-user-fault NAME,"
	@echo "                  btpagefault, usersyms; see README.md, 'Debugging with gdb')"
	@echo "  make test       run every test; the last line is 'N passed, N failed'"
	@echo "                  T=PATTERN: only tests whose name matches (make test T=cow)"
	@echo "                  JOBS=N: at most N QEMUs at once (default: the CPUs + 1)"
	@echo "  make test-host  build the host unit tests only"
	@echo "  make user-test-host  the user programs on this machine's Linux"
	@echo "  make bench      VM micro-benchmarks on vmlab and on Linux, side by side"
	@echo "  make bench-swap  swapping a region of 2x RAM on vmlab and on Linux, side by side"
	@echo "  make bench-replace  page replacement: the kernel's policies and pagesim's against OPT"
	@echo "  make bench-malloc  malloc traces: vmlab's policies, glibc, musl (throughput, utilization)"
	@echo "  make fuzz       a million random system calls and the memory-model soak (FUZZ_SEEDS=...)"
	@echo "  make format     lay out every C file as .clang-format says (clang-format -i)"
	@echo "  make format-check  list the C files whose layout differs from .clang-format"
	@echo "  make help       this list"
	@echo "  make clean-disk make the root disk afresh (the files written on it are lost)"
	@echo "                  ROOT_DISK_SIZE=$(strip $(ROOT_DISK_SIZE)): its size"
	@echo "  make clean      remove $(BUILD)/ (the root disk too)"
	@echo "  V=1             show full commands; OPT=-O2 to build optimised"

clean:
	rm -rf $(BUILD)

-include $(KERNEL_OBJ:.o=.d)
