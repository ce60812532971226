/* walk.c - project file discovery. Iterative (explicit stack), so deep trees
 * cannot overflow; symlinks are never followed to directories, and symlinked
 * files are taken only when they resolve inside the root; FIFOs, sockets and
 * devices named *.py are skipped with a reason (never opened). */
#include "pa/walk.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const dir_excludes[] = {
    "tests", "test", ".venv", "venv", "site-packages", "node_modules", ".git", ".hg", ".svn",
    "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist",
    ".eggs", ".pa-audit-cache", NULL,
};

bool pa_walk_default_excluded(const char *rel, bool is_dir)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    if (is_dir) {
        for (int i = 0; dir_excludes[i]; i++)
            if (strcmp(base, dir_excludes[i]) == 0) return true;
        if (pa_str_ends(base, ".egg-info")) return true;
        if (strcmp(rel, "docs/project/.audit") == 0) return true;
        return false;
    }
    if (pa_str_starts(base, "test_") && pa_str_ends(base, ".py")) return true;
    if (pa_str_ends(base, "_test.py")) return true;
    if (strcmp(base, "conftest.py") == 0) return true;
    return false;
}

struct ignore_rule {
    char *pattern;   /* glob */
    bool negate;     /* "!pattern" */
    bool dir_only;   /* "pattern/" */
};

typedef PA_VEC(struct ignore_rule) ignore_list;

static void load_gitignore(const char *root, ignore_list *rules)
{
    char *path = pa_path_join(root, ".gitignore");
    char *text = NULL;
    size_t len = 0;
    const char *reason = NULL;
    if (pa_file_read(path, 1u << 20, &text, &len, &reason) == PA_OK) {
        char *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            char *l = pa_str_trim(line);
            if (!*l || *l == '#') continue;
            struct ignore_rule r = {0};
            if (*l == '!') { r.negate = true; l++; }
            size_t n = strlen(l);
            if (n && l[n - 1] == '/') { r.dir_only = true; l[n - 1] = '\0'; }
            if (!*l) continue;
            r.pattern = pa_xstrdup(l);
            pa_vec_push(rules, r);
        }
    }
    free(text);
    free(path);
}

static bool ignored(const ignore_list *rules, const char *rel, bool is_dir)
{
    bool ig = false;
    for (size_t i = 0; i < rules->n; i++) {
        const struct ignore_rule *r = &rules->v[i];
        if (r->dir_only && !is_dir) continue;
        if (pa_glob_match(r->pattern, rel)) ig = !r->negate;
    }
    return ig;
}

static bool user_excluded(const struct pa_options *o, const char *rel)
{
    for (size_t i = 0; i < o->exclude.n; i++)
        if (pa_glob_match(o->exclude.v[i], rel)) return true;
    return false;
}

static void add_skip(struct pa_walk_result *out, const char *rel, const char *reason)
{
    struct pa_skipped s = {pa_xstrdup(rel), pa_xstrdup(reason)};
    pa_vec_push(&out->skipped, s);
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const struct pa_walk_file *)a)->rel, ((const struct pa_walk_file *)b)->rel);
}

static int cmp_skip(const void *a, const void *b)
{
    return strcmp(((const struct pa_skipped *)a)->path, ((const struct pa_skipped *)b)->path);
}

pa_status pa_walk(const char *root, const struct pa_options *o, struct pa_walk_result *out)
{
    memset(out, 0, sizeof *out);
    char real_root[PATH_MAX];
    if (!realpath(root, real_root)) return PA_ERR_IO;
    size_t rootlen = strlen(real_root);
    ignore_list rules = {0};
    load_gitignore(root, &rules);

    PA_VEC(char *) stack = {0};   /* relative directory paths still to read ("" = root) */
    pa_vec_push(&stack, pa_xstrdup(""));
    pa_status st = PA_OK;
    bool first = true;
    while (stack.n) {
        char *reldir = stack.v[--stack.n];
        char *absdir = *reldir ? pa_path_join(root, reldir) : pa_xstrdup(root);
        DIR *d = opendir(absdir);
        if (!d) {
            if (first) st = PA_ERR_IO;
            else add_skip(out, reldir, errno == EACCES ? "directory not readable (permission denied)" : "directory not readable");
            free(absdir);
            free(reldir);
            first = false;
            continue;
        }
        first = false;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            const char *name = e->d_name;
            if (!strcmp(name, ".") || !strcmp(name, "..")) continue;
            char *rel = *reldir ? pa_xasprintf("%s/%s", reldir, name) : pa_xstrdup(name);
            char *abs = pa_path_join(absdir, name);
            struct stat lst;
            if (lstat(abs, &lst) != 0) {
                /* rel fix (issue 9): an entry whose path exceeds PATH_MAX used
                 * to vanish silently (a directory and every .py under it);
                 * it is now listed as skipped with its reason. */
                if (errno == ENAMETOOLONG) add_skip(out, rel, "path too long (over PATH_MAX): not analysed");
                else if (pa_str_ends(name, ".py")) add_skip(out, rel, "file vanished during the walk");
                free(rel); free(abs);
                continue;
            }
            bool is_py = pa_str_ends(name, ".py");
            if (S_ISDIR(lst.st_mode)) {
                bool skip = (!o->no_default_excludes && pa_walk_default_excluded(rel, true)) ||
                            user_excluded(o, rel) || ignored(&rules, rel, true) ||
                            strcmp(rel, "docs/project/.audit") == 0 || strcmp(name, ".pa-audit-cache") == 0;
                if (!skip) { pa_vec_push(&stack, rel); rel = NULL; }
                free(rel); free(abs);
                continue;
            }
            if (!is_py) { free(rel); free(abs); continue; }
            if ((!o->no_default_excludes && pa_walk_default_excluded(rel, false)) || user_excluded(o, rel) ||
                ignored(&rules, rel, false)) {
                free(rel); free(abs);
                continue;
            }
            if (S_ISLNK(lst.st_mode)) {
                char target[PATH_MAX];
                struct stat tst;
                if (!realpath(abs, target)) {
                    add_skip(out, rel, errno == ELOOP ? "symlink loop" : "dangling symlink");
                    free(rel); free(abs);
                    continue;
                }
                if (strncmp(target, real_root, rootlen) != 0 || (target[rootlen] != '/' && target[rootlen] != '\0')) {
                    add_skip(out, rel, "symlink pointing outside the project (not followed)");
                    free(rel); free(abs);
                    continue;
                }
                if (stat(target, &tst) != 0 || !S_ISREG(tst.st_mode)) {
                    add_skip(out, rel, "symlink to something that is not a regular file");
                    free(rel); free(abs);
                    continue;
                }
                /* a link to a file inside the project: that file is audited under its own path */
                free(rel); free(abs);
                continue;
            }
            if (!S_ISREG(lst.st_mode)) {
                add_skip(out, rel, S_ISFIFO(lst.st_mode) ? "not a regular file (FIFO)"
                                   : S_ISSOCK(lst.st_mode) ? "not a regular file (socket)"
                                                           : "not a regular file");
                free(rel); free(abs);
                continue;
            }
            struct pa_walk_file f = {rel, abs, (uint64_t)lst.st_size};
            pa_vec_push(&out->files, f);
        }
        closedir(d);
        free(absdir);
        free(reldir);
    }
    pa_vec_free(&stack);
    for (size_t i = 0; i < rules.n; i++) free(rules.v[i].pattern);
    pa_vec_free(&rules);
    if (out->files.n) qsort(out->files.v, out->files.n, sizeof out->files.v[0], cmp_file);
    if (out->skipped.n) qsort(out->skipped.v, out->skipped.n, sizeof out->skipped.v[0], cmp_skip);
    return st;
}

void pa_walk_result_free(struct pa_walk_result *r)
{
    for (size_t i = 0; i < r->files.n; i++) { free(r->files.v[i].rel); free(r->files.v[i].abs); }
    pa_vec_free(&r->files);
    for (size_t i = 0; i < r->skipped.n; i++) { free(r->skipped.v[i].path); free(r->skipped.v[i].reason); }
    pa_vec_free(&r->skipped);
}
