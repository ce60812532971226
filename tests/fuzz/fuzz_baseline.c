/* fuzz_baseline.c - libFuzzer target for baseline files (--baseline FILE,
 * src/report/baseline.c): the bytes are written to a temporary file and read
 * with pa_baseline_read (JSON object, JSON array or one fingerprint a line);
 * every fingerprint read is looked up again, and (when all are valid UTF-8,
 * as real fingerprints are) the set is written as a baseline file and read
 * back: the round trip must give the same set. */
#include "fuzz_common.h"

#include "report/report_int.h"

int pa_fuzz_baseline(const uint8_t *data, size_t size)
{
    char *dir = NULL;
    char *path = pa_fuzz_tmp_file(data, size, "baseline.json", &dir);
    if (!path) return 0;
    struct pa_baseline bl;
    char *err = NULL;
    if (pa_baseline_read(path, &bl, &err) == PA_OK) {
        /* every entry read must be found, and writing the set as a baseline
         * file and reading it back must give the same set */
        pa_findings fs;
        pa_findings_init(&fs);
        bool utf8 = true;   /* JSON output replaces invalid UTF-8: only valid text round-trips byte for byte */
        for (size_t i = 0; i < bl.n; i++) {
            if (!pa_baseline_has(&bl, bl.fps[i])) abort();
            utf8 = utf8 && pa_utf8_valid(bl.fps[i], strlen(bl.fps[i]));
            struct pa_finding *f = pa_xcalloc(1, sizeof *f);
            f->fingerprint = pa_xstrdup(bl.fps[i]);
            pa_vec_push(&fs.items, f);
        }
        char *path2 = pa_path_join(dir, "baseline2.json");
        if (utf8 && pa_baseline_write(path2, &fs) == PA_OK) {
            struct pa_baseline bl2;
            char *err2 = NULL;
            if (pa_baseline_read(path2, &bl2, &err2) != PA_OK || bl2.n != bl.n) abort();
            for (size_t i = 0; i < bl.n; i++)
                if (strcmp(bl.fps[i], bl2.fps[i]) != 0) abort();
            pa_baseline_free(&bl2);
            free(err2);
            unlink(path2);
        }
        free(path2);
        pa_findings_free(&fs);
        pa_baseline_free(&bl);
    }
    free(err);
    pa_fuzz_tmp_done(path, dir);
    return 0;
}

PA_FUZZ_MAIN(pa_fuzz_baseline)
