/*
 * mprotecttest — mprotect: changing what a program may do with its pages.
 *
 * Every region carries rights: read, write, execute (PROT_READ, PROT_WRITE,
 * PROT_EXEC), or none (PROT_NONE). mprotect changes them; the pages keep their
 * contents, only the page-table entries change. An access the rights forbid is a
 * page fault the kernel does not resolve, and the process gets SIGSEGV -- so each
 * forbidden access is tried in a child (fork), which dies in our place:
 *
 *   rights        read   write   execute
 *   PROT_READ     yes    SIGSEGV SIGSEGV   (the NX bit forbids running data)
 *   PROT_NONE     SIGSEGV SIGSEGV SIGSEGV
 *   READ|WRITE    yes    yes     SIGSEGV
 *   READ|EXEC     yes    SIGSEGV yes       (write code, then make it runnable:
 *                                           a JIT compiler does exactly this)
 */
#include <stdint.h>

#include "lib/string.h"
#include "user/lib/check.h"
#include "user/lib/child.h"
#include "user/lib/errno_names.h"
#include "user/lib/image.h"
#include "user/lib/stdio.h"
#include "user/lib/syscall.h"
#include "user/lib/vmstat.h"

#define RW    (PROT_READ | PROT_WRITE)
#define PAGES 3

/* x86-64 machine code for `int answer(void) { return 42; }`: mov eax, 42; ret */
static const unsigned char answer_code[] = { 0xb8, 42, 0x00, 0x00, 0x00, 0xc3 };
#define ANSWER 42

static int write_byte(void *address)
{
    *(volatile char *)address = 1;
    return CHILD_SURVIVED;
}

static int read_byte(void *address)
{
    (void)*(volatile char *)address;
    return CHILD_SURVIVED;
}

static int call_code(void *address)
{
    int (*function)(void) = (int (*)(void))address;
    return function() == ANSWER ? CHILD_SURVIVED : 1;
}

/* Try access in a child: true if it died of SIGSEGV. */
static bool faults(int (*access)(void *), void *address)
{
    return killed_by(run_in_child(access, address), SIGSEGV);
}

static bool survives(int (*access)(void *), void *address)
{
    return exited_with(run_in_child(access, address), CHILD_SURVIVED);
}

static void check_read_only(char *r)
{
    check_section("PROT_READ: reading works, writing faults");
    memset(r, 'x', PAGES * PAGE_SIZE);
    struct vm_measure m;
    measure_start(&m);
    long result = sys_mprotect(r, PAGES * PAGE_SIZE, PROT_READ);
    measure_end(&m);
    EXPECT_RESULT(result, 0, "mprotect(3 pages, PROT_READ)");
    if (vmstat_available())
        EXPECT_RESULT(m.rss_pages, 0, "no page was dropped or copied: only the rights changed");
    EXPECT(r[0] == 'x' && r[PAGES * PAGE_SIZE - 1] == 'x', "we can still read them");
    EXPECT(faults(write_byte, r + PAGE_SIZE), "writing one (in a child) is SIGSEGV");
    EXPECT(survives(read_byte, r + PAGE_SIZE), "reading one in a child is fine");
}

static void check_none_and_back(char *r)
{
    check_section("PROT_NONE: no access at all; back to read-write keeps the data");
    EXPECT_RESULT(sys_mprotect(r, PAGES * PAGE_SIZE, PROT_NONE), 0, "mprotect(PROT_NONE)");
    EXPECT(faults(read_byte, r), "reading (in a child) is SIGSEGV");
    EXPECT(faults(write_byte, r), "writing (in a child) is SIGSEGV");
    EXPECT_RESULT(sys_mprotect(r, PAGES * PAGE_SIZE, RW), 0, "mprotect(PROT_READ | PROT_WRITE)");
    EXPECT(r[0] == 'x' && r[PAGES * PAGE_SIZE - 1] == 'x', "the contents survived PROT_NONE");
    r[0] = 'y';
    EXPECT(r[0] == 'y', "and we can write again");
}

static void check_middle_page(char *r)
{
    check_section("mprotect of the middle page splits the region");
    char *middle = r + PAGE_SIZE;
    EXPECT_RESULT(sys_mprotect(middle, PAGE_SIZE, PROT_READ), 0, "mprotect(page 1, PROT_READ)");
    EXPECT(faults(write_byte, middle), "writing page 1 (in a child) is SIGSEGV");
    EXPECT(survives(write_byte, r) && survives(write_byte, r + 2 * PAGE_SIZE),
           "writing pages 0 and 2 (in children) is still fine");
    EXPECT_RESULT(sys_mprotect(middle, PAGE_SIZE, RW), 0, "page 1 back to read-write");
    middle[0] = 'z';
    EXPECT(middle[0] == 'z', "and it can be written again");
}

static void check_errors(char *r)
{
    check_section("what mprotect refuses");
    EXPECT_RESULT(sys_mprotect(r + 1, PAGE_SIZE, PROT_READ), -EINVAL,
                  "an address that is not page-aligned: -EINVAL");
    EXPECT_RESULT(sys_mprotect(BAD_POINTER_UNMAPPED, PAGE_SIZE, PROT_READ), -ENOMEM,
                  "a range with nothing mapped: -ENOMEM");
    EXPECT_RESULT(sys_mprotect(r, PAGE_SIZE, 0x100), -EINVAL, "unknown rights bits: -EINVAL");
}

static void check_execute(void)
{
    check_section("PROT_EXEC: code written into data runs only once it is made executable");
    long result = sys_mmap(NULL, PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(!IS_ERROR(result), "mmap a read-write page");
    if (IS_ERROR(result))
        return;
    char *code = (char *)result;
    memcpy(code, answer_code, sizeof(answer_code));
    printf("  wrote 6 bytes of machine code into it: mov eax, 42; ret\n");
    EXPECT(faults(call_code, code), "calling it (in a child) is SIGSEGV: the page is not "
                                    "executable (NX)");
    EXPECT_RESULT(sys_mprotect(code, PAGE_SIZE, PROT_READ | PROT_EXEC), 0,
                  "mprotect(PROT_READ | PROT_EXEC)");
    int (*answer)(void) = (int (*)(void))code;
    EXPECT_RESULT(answer(), ANSWER, "calling it now runs it: it returns 42");
    EXPECT(faults(write_byte, code), "but now writing it (in a child) is SIGSEGV: W^X, "
                                     "writable or executable, not both");
    sys_munmap(code, PAGE_SIZE);
}

int main(void)
{
    printf("mprotecttest: read-only, no-access and executable pages\n");
    vmstat_note_if_missing();
    long result = sys_mmap(NULL, PAGES * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(!IS_ERROR(result), "mmap 3 read-write pages");
    if (!IS_ERROR(result)) {
        char *r = (char *)result;
        check_read_only(r);
        check_none_and_back(r);
        check_middle_page(r);
        check_errors(r);
        sys_munmap(r, PAGES * PAGE_SIZE);
    }
    check_execute();
    return check_summary("mprotecttest");
}
