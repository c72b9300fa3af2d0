/*
 * host_names.h — forced into every host-test compile (-include).
 *
 * The host tests link our lib/ and kernel/ code into an ordinary Linux program,
 * where the C library already defines memcpy, snprintf and friends (and the
 * sanitizers intercept them). Renaming ours keeps both apart: the tests call the
 * kernel's code, never glibc's by accident.
 */
#ifndef TESTS_HOST_NAMES_H
#define TESTS_HOST_NAMES_H

#define memset    vmlab_memset
#define memcpy    vmlab_memcpy
#define memmove   vmlab_memmove
#define memcmp    vmlab_memcmp
#define memchr    vmlab_memchr
#define strlen    vmlab_strlen
#define strnlen   vmlab_strnlen
#define strcmp    vmlab_strcmp
#define strncmp   vmlab_strncmp
#define strchr    vmlab_strchr
#define strrchr   vmlab_strrchr
#define strlcpy   vmlab_strlcpy
#define snprintf  vmlab_snprintf
#define vsnprintf vmlab_vsnprintf

#endif
