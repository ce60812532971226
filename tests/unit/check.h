/* check.h - a minimal assertion kit for the unit tests: CHECK records a
 * failure and goes on; CHECK_STR compares strings (NULL-safe); test_done
 * prints "N passed, N failed" and returns the exit status. */
#ifndef PA_TEST_CHECK_H
#define PA_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int g_pass, g_fail;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (cond) g_pass++;                                                           \
        else { g_fail++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } \
    } while (0)

#define CHECK_STR(a, b)                                                               \
    do {                                                                              \
        const char *a_ = (a), *b_ = (b);                                              \
        if ((a_ == NULL && b_ == NULL) || (a_ && b_ && strcmp(a_, b_) == 0)) g_pass++; \
        else { g_fail++; fprintf(stderr, "%s:%d: CHECK_STR failed: %s = \"%s\", expected \"%s\"\n", \
                                 __FILE__, __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } \
    } while (0)

#define CHECK_INT(a, b)                                                               \
    do {                                                                              \
        long long a_ = (long long)(a), b_ = (long long)(b);                           \
        if (a_ == b_) g_pass++;                                                       \
        else { g_fail++; fprintf(stderr, "%s:%d: CHECK_INT failed: %s = %lld, expected %lld\n", \
                                 __FILE__, __LINE__, #a, a_, b_); }                   \
    } while (0)

static inline int test_done(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, g_pass, g_fail);
    return g_fail ? 1 : 0;
}

#endif
