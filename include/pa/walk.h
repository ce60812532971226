/* walk.h - the file walker: finds the Python files of a project, applying
 * the default excludes (CONTRACT.md), --exclude / config globs and the
 * project's .gitignore, never following symlinks out of the root. */
#ifndef PA_WALK_H
#define PA_WALK_H

#include "pa/audit.h"

struct pa_walk_file {
    char *rel;    /* project-relative path, '/'-separated (owned) */
    char *abs;    /* path to open (owned) */
    uint64_t size;/* size seen by the walk (the parse pool starts with the largest files) */
};

struct pa_walk_result {
    PA_VEC(struct pa_walk_file) files;   /* sorted by rel (bytewise) */
    PA_VEC(struct pa_skipped) skipped;   /* .py entries that could not be considered */
};

/* Walk root. Returns PA_ERR_IO only when root itself cannot be read. */
pa_status pa_walk(const char *root, const struct pa_options *o, struct pa_walk_result *out);
void pa_walk_result_free(struct pa_walk_result *r);
/* Is rel excluded by the default excludes? (exposed for tests) */
bool pa_walk_default_excluded(const char *rel, bool is_dir);

#endif
