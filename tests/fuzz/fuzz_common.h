/* fuzz_common.h - shared glue for the libFuzzer targets in tests/fuzz/.
 *
 * Every fuzz_<name>.c defines one or more entry functions
 *     int pa_fuzz_<name>(const uint8_t *data, size_t size);
 * that never fail on any input (a crash, a sanitizer report, a hang or a
 * leak is the bug). Built with -DPA_FUZZ_LIBFUZZER the file also defines
 * LLVMFuzzerTestOneInput calling its entry (PA_FUZZ_MAIN); without it the
 * file is plain C that tests/unit/test_fuzz_regressions.c includes, so the
 * regression inputs and seeds are replayed by the ordinary test suite under
 * every build (normal, ASan+UBSan, valgrind) without clang.
 *
 * DESIGN: single-threaded (libFuzzer runs one input at a time). Helpers here
 * are static inline so that several targets can be included into one
 * translation unit by the regression test. */
#ifndef PA_FUZZ_COMMON_H
#define PA_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pa/core.h"

#ifdef PA_FUZZ_LIBFUZZER
#define PA_FUZZ_MAIN(entry)                                                       \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);                \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return entry(data, size); }
#else
#define PA_FUZZ_MAIN(entry)
#endif

/* Write size bytes to a fresh file `name` inside a private temporary
 * directory; *dir_out receives the directory (owned) so the caller can remove
 * both with pa_fuzz_tmp_done. Returns the file path (owned) or NULL. */
static inline char *pa_fuzz_tmp_file(const uint8_t *data, size_t size, const char *name, char **dir_out)
{
    const char *base = getenv("TMPDIR");
    char *dir = pa_xasprintf("%s/pa-fuzz.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) { free(dir); *dir_out = NULL; return NULL; }
    char *path = pa_path_join(dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size)) {
        if (f) fclose(f);
        unlink(path);
        rmdir(dir);
        free(path);
        free(dir);
        *dir_out = NULL;
        return NULL;
    }
    fclose(f);
    *dir_out = dir;
    return path;
}

/* Remove the file and its temporary directory; frees both strings. */
static inline void pa_fuzz_tmp_done(char *path, char *dir)
{
    if (path) { unlink(path); free(path); }
    if (dir) { rmdir(dir); free(dir); }
}

#endif
