/* test_rules.c - the fixture-driven rule harness.
 *
 * Every directory tests/rules/<RULE>/ is audited as a project with only that
 * rule selected (tests/rules/mixed/ with every rule). Expectations are
 * trailing comments on the line where a finding is reported:
 *     time.sleep(1)            # expect: PA303
 *     await asyncio.sleep(1)   # ok: PA303
 * `expect:` lists the rules that must report on that line (comma-separated);
 * every finding on a line without a matching `expect:` is a failure, so
 * near-miss negatives are checked simply by being there (`ok:` marks them
 * explicitly for readers and is counted: every implemented rule must have
 * at least one `expect:` and one `ok:` case). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "pa/run.h"

struct expect {
    char *path;   /* relative to the fixture root */
    uint32_t line;
    char rule[8];
    bool matched;
};

typedef PA_VEC(struct expect) expect_list;

static void scan_annotations(const char *root, const char *rel, expect_list *ex, size_t *nok)
{
    char *abs = pa_path_join(root, rel);
    char *text = NULL;
    size_t len = 0;
    const char *why = NULL;
    if (pa_file_read(abs, 1u << 22, &text, &len, &why) != PA_OK) { free(abs); return; }
    uint32_t line = 1;
    for (char *p = text; *p; line++) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        char *e = strstr(p, "# expect:");
        if (e) {
            char *list = pa_xstrdup(e + 9), *save = NULL;
            for (char *t = strtok_r(list, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
                if (strncmp(t, "PA", 2) != 0 && strncmp(t, "ORG", 3) != 0) break;
                struct expect x = {pa_xstrdup(rel), line, {0}, false};
                snprintf(x.rule, sizeof x.rule, "%s", t);
                pa_vec_push(ex, x);
            }
            free(list);
        }
        if (strstr(p, "# ok:")) (*nok)++;
        if (!nl) break;
        p = nl + 1;
    }
    free(text);
    free(abs);
}

static void scan_dir(const char *root, const char *rel, expect_list *ex, size_t *nok)
{
    char *abs = *rel ? pa_path_join(root, rel) : pa_xstrdup(root);
    DIR *d = opendir(abs);
    if (!d) { free(abs); return; }
    PA_VEC(char *) names = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        pa_vec_push(&names, pa_xstrdup(e->d_name));
    }
    closedir(d);
    qsort(names.v, names.n, sizeof names.v[0], pa_str_cmp_ptr);
    for (size_t i = 0; i < names.n; i++) {
        char *r = *rel ? pa_xasprintf("%s/%s", rel, names.v[i]) : pa_xstrdup(names.v[i]);
        char *a = pa_path_join(root, r);
        if (pa_path_is_dir(a)) scan_dir(root, r, ex, nok);
        else if (pa_str_ends(r, ".py")) scan_annotations(root, r, ex, nok);
        free(a);
        free(r);
        free(names.v[i]);
    }
    pa_vec_free(&names);
    free(abs);
}

static void run_fixture(const char *dir, const char *rule)
{
    expect_list ex = {0};
    size_t nok = 0;
    scan_dir(dir, "", &ex, &nok);

    struct pa_options o;
    pa_options_init(&o);
    free(o.root);
    o.root = pa_xstrdup(dir);
    o.no_write = true;
    const char *jobs = getenv("PA_TEST_JOBS");
    o.jobs = jobs && atoi(jobs) > 0 ? atoi(jobs) : 2;
    memcpy(o.date, "2026-01-01", 11);
    if (rule) pa_vec_push(&o.select, pa_xstrdup(rule));
    pa_log_set_level(PA_LOG_QUIET);
    struct pa_run run;
    pa_run_init(&run, &o);
    pa_status st = pa_run_execute(&run);
    CHECK(st == PA_OK);
    size_t nexp_rule = 0;
    for (size_t i = 0; i < ex.n; i++)
        if (!rule || strcmp(ex.v[i].rule, rule) == 0) nexp_rule++;
    for (size_t i = 0; i < run.all.items.n; i++) {
        const struct pa_finding *f = run.all.items.v[i];
        bool ok = false;
        for (size_t k = 0; k < ex.n && !ok; k++)
            if (ex.v[k].line == f->line && strcmp(ex.v[k].path, f->path) == 0 && strcmp(ex.v[k].rule, f->rule->id) == 0) {
                ex.v[k].matched = true;
                ok = true;
            }
        if (!ok) fprintf(stderr, "%s/%s:%u: unexpected %s: %s\n", dir, f->path, f->line, f->rule->id, f->issue);
        CHECK(ok);
    }
    for (size_t k = 0; k < ex.n; k++) {
        if (rule && strcmp(ex.v[k].rule, rule) != 0) continue;
        if (!ex.v[k].matched) fprintf(stderr, "%s/%s:%u: expected %s, got nothing\n", dir, ex.v[k].path, ex.v[k].line, ex.v[k].rule);
        CHECK(ex.v[k].matched);
    }
    /* every rule fixture has both positive and near-miss cases */
    if (rule) {
        if (nexp_rule == 0) fprintf(stderr, "%s: no '# expect: %s' case\n", dir, rule);
        if (nok == 0) fprintf(stderr, "%s: no '# ok:' near-miss case\n", dir);
        CHECK(nexp_rule > 0);
        CHECK(nok > 0);
    }
    printf("%s: %zu expectations, %zu near-misses, %zu findings\n", dir, nexp_rule, nok, run.all.items.n);
    pa_run_free(&run);
    pa_options_free(&o);
    for (size_t k = 0; k < ex.n; k++) free(ex.v[k].path);
    pa_vec_free(&ex);
}

int main(int argc, char **argv)
{
    const char *base = PA_TESTS_DIR "/rules";
    DIR *d = opendir(base);
    CHECK(d != NULL);
    if (!d) return test_done("test_rules");
    PA_VEC(char *) names = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') pa_vec_push(&names, pa_xstrdup(e->d_name));
    closedir(d);
    qsort(names.v, names.n, sizeof names.v[0], pa_str_cmp_ptr);
    size_t ran = 0;
    for (size_t i = 0; i < names.n; i++) {
        if (argc > 1 && strcmp(argv[1], names.v[i]) != 0) { free(names.v[i]); continue; }
        char *dir = pa_path_join(base, names.v[i]);
        if (pa_path_is_dir(dir)) {
            const char *rule = pa_rule_find(names.v[i]) ? names.v[i] : NULL;
            run_fixture(dir, rule);
            ran++;
        }
        free(dir);
        free(names.v[i]);
    }
    pa_vec_free(&names);
    CHECK(ran > 0);
    return test_done("test_rules");
}
