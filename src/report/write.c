/* write.c - writes the report files under the project root (unless
 * --no-write): the three worker reports in
 * docs/project/.audit/ln-650/{date}/ and docs/project/persistence_audit.md.
 * Each file is written whole (pa_file_write_atomic: temp file + rename);
 * earlier date folders are never touched. */
#include "report/report_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* rel fix (issue 9, security): the project under audit is untrusted, and a
 * symlinked `docs`, `docs/project` or `.audit` directory pointing out of it
 * made the reports (and mkdir -p) land outside the project. Every existing
 * directory component of rel is checked: a symlink must resolve inside the
 * root. The last component needs no check: rename() replaces a symlink
 * there, it never writes through it. Components that do not exist yet are
 * created as real directories. (A race with a concurrent attacker swapping a
 * directory for a symlink between this check and the write is out of scope:
 * see docs/security.md.) */
static bool stays_inside(const char *root, const char *rel)
{
    char *prefix = pa_xstrdup(rel);
    bool ok = true;
    for (char *slash = strchr(prefix, '/'); slash && ok; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        char *full = pa_path_join(root, prefix);
        struct stat st;
        bool exists = lstat(full, &st) == 0;
        if (exists && S_ISLNK(st.st_mode)) ok = pa_path_within(root, full);
        free(full);
        *slash = '/';
        if (!exists) break;
    }
    free(prefix);
    return ok;
}

static pa_status write_one(struct pa_run *run, char *rel, char *text)
{
    const char *root = run->ctx.root ? run->ctx.root : (run->opts && run->opts->root ? run->opts->root : ".");
    if (!stays_inside(root, rel)) {
        pa_error("cannot write %s: a directory on the way is a symlink leading out of the project (not followed)", rel);
        free(rel);
        free(text);
        return PA_ERR_IO;
    }
    char *full = pa_path_join(root, rel);
    pa_status st = pa_file_write_atomic(full, text, strlen(text));
    if (st != PA_OK) {
        pa_error("cannot write %s: %s", full, pa_status_str(st));
        free(rel);
    } else {
        pa_vec_push(&run->written, rel);
    }
    free(full);
    free(text);
    return st == PA_OK ? PA_OK : PA_ERR_IO;
}

pa_status pa_report_write_files(struct pa_run *run)
{
    if (run->opts && run->opts->no_write) return PA_OK;
    for (int c = 0; c < PA_CAT__COUNT; c++) {
        pa_status st = write_one(run, pa_report_worker_path(run, (pa_category)c), pa_report_worker_md(run, (pa_category)c));
        if (st != PA_OK) return st;
    }
    return write_one(run, pa_xstrdup("docs/project/persistence_audit.md"), pa_report_consolidated_md(run));
}
