/* test_fuzz_regressions.c - replays every fuzz target's entry function
 * (tests/fuzz/fuzz_*.c, compiled here as plain C without libFuzzer) over
 *   - every file under tests/fuzz/regressions/ (inputs that once crashed,
 *     hung or leaked; every entry gets every file, whatever target found it),
 *   - and each target's seed corpus: the fixtures under tests/rules/,
 *     tests/discovery/, tests/packs/, examples/ that match the target, plus
 *     tests/fuzz/seeds/<target>/.
 * A crash, sanitizer report or leak fails the test (the entries return 0 or
 * abort). It also checks that every tests/fuzz/fuzz_*.c is listed below, so
 * a new target cannot silently miss the replay.
 *
 * With `--make-corpus DIR` it copies each target's seeds to DIR/<target>/
 * instead: the seed-corpus builder used by scripts/fuzz.sh (one mapping of
 * target to fixtures, kept here).
 *
 * DESIGN: single-threaded; the fuzz sources are #included so that their
 * static helpers stay private to this executable. */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "check.h"

#include "../fuzz/fuzz_baseline.c"
#include "../fuzz/fuzz_config.c"
#include "../fuzz/fuzz_discovery.c"
#include "../fuzz/fuzz_facts_image.c"
#include "../fuzz/fuzz_packs.c"
#include "../fuzz/fuzz_python.c"
#include "../fuzz/fuzz_suppress.c"

/* Where a target's seeds come from: a fixture file matches when fn says so. */
typedef bool (*seed_match_fn)(const char *rel, const char *base);

static bool ends(const char *s, const char *suf) { return pa_str_ends(s, suf); }
static bool m_none(const char *r, const char *b) { (void)r; (void)b; return false; }
static bool m_py(const char *r, const char *b) { (void)r; return ends(b, ".py"); }
static bool m_tech(const char *r, const char *b) { (void)r; return !strcmp(b, "tech_stack.md"); }
static bool m_req(const char *r, const char *b) { return pa_str_starts(b, "requirements") || strstr(r, "/requirements/"); }
static bool m_pyproject(const char *r, const char *b) { (void)r; return !strcmp(b, "pyproject.toml"); }
static bool m_setup_cfg(const char *r, const char *b) { (void)r; return !strcmp(b, "setup.cfg"); }
static bool m_pipfile(const char *r, const char *b) { (void)r; return !strcmp(b, "Pipfile"); }
static bool m_package_json(const char *r, const char *b) { (void)r; return !strcmp(b, "package.json"); }
static bool m_go_mod(const char *r, const char *b) { (void)r; return !strcmp(b, "go.mod"); }
static bool m_compose(const char *r, const char *b) { (void)r; return strstr(b, "compose") && (ends(b, ".yml") || ends(b, ".yaml")); }
static bool m_sql(const char *r, const char *b) { (void)r; return ends(b, ".sql"); }
static bool m_mig_py(const char *r, const char *b) { return ends(b, ".py") && (strstr(r, "alembic/") || strstr(r, "migrations/")); }
static bool m_adr(const char *r, const char *b) { return ends(b, ".md") && strstr(r, "docs/adr/"); }
static bool m_kanban(const char *r, const char *b) { (void)r; return !strcmp(b, "kanban_board.md"); }
static bool m_pack(const char *r, const char *b) { return strstr(r, "tests/packs/") && (ends(b, ".yaml") || ends(b, ".yml")); }
static bool m_config_yaml(const char *r, const char *b) { (void)r; return !strcmp(b, ".pa-audit.yml") || !strcmp(b, "pa-audit.yml"); }

struct target {
    const char *name;                          /* corpus / regression dir name */
    const char *source;                        /* tests/fuzz/ file defining it */
    int (*entry)(const uint8_t *, size_t);     /* the fuzz entry */
    seed_match_fn seeds;                       /* fixture files that seed it */
};

static const struct target targets[] = {
    {"python", "fuzz_python.c", pa_fuzz_python, m_py},
    {"facts_image", "fuzz_facts_image.c", pa_fuzz_facts_image, m_py},
    {"suppress", "fuzz_suppress.c", pa_fuzz_suppress, m_none},
    {"config_yaml", "fuzz_config.c", pa_fuzz_config_yaml, m_config_yaml},
    {"config_toml", "fuzz_config.c", pa_fuzz_config_toml, m_pyproject},
    {"baseline", "fuzz_baseline.c", pa_fuzz_baseline, m_none},
    {"packs", "fuzz_packs.c", pa_fuzz_packs, m_pack},
    {"disc_tech_stack", "fuzz_discovery.c", pa_fuzz_disc_tech_stack, m_tech},
    {"disc_requirements", "fuzz_discovery.c", pa_fuzz_disc_requirements, m_req},
    {"disc_pyproject", "fuzz_discovery.c", pa_fuzz_disc_pyproject, m_pyproject},
    {"disc_setup_cfg", "fuzz_discovery.c", pa_fuzz_disc_setup_cfg, m_setup_cfg},
    {"disc_pipfile", "fuzz_discovery.c", pa_fuzz_disc_pipfile, m_pipfile},
    {"disc_package_json", "fuzz_discovery.c", pa_fuzz_disc_package_json, m_package_json},
    {"disc_go_mod", "fuzz_discovery.c", pa_fuzz_disc_go_mod, m_go_mod},
    {"disc_compose", "fuzz_discovery.c", pa_fuzz_disc_compose, m_compose},
    {"disc_migration_sql", "fuzz_discovery.c", pa_fuzz_disc_migration_sql, m_sql},
    {"disc_migration_py", "fuzz_discovery.c", pa_fuzz_disc_migration_py, m_mig_py},
    {"disc_adr", "fuzz_discovery.c", pa_fuzz_disc_adr, m_adr},
    {"disc_kanban", "fuzz_discovery.c", pa_fuzz_disc_kanban, m_kanban},
};
#define NTARGETS (sizeof targets / sizeof targets[0])

typedef PA_VEC(char *) pathvec;

/* Every regular file below dir (recursively, sorted); rel paths relative to
 * the walk start are matched with fn when given. */
static void collect(const char *dir, const char *rel, seed_match_fn fn, pathvec *out)
{
    DIR *d = opendir(dir);
    if (!d) return;
    pathvec names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) pa_vec_push(&names, pa_xstrdup(e->d_name));
    closedir(d);
    if (names.n) qsort(names.v, names.n, sizeof *names.v, pa_str_cmp_ptr);
    for (size_t i = 0; i < names.n; i++) {
        char *abs = pa_path_join(dir, names.v[i]);
        char *r = *rel ? pa_xasprintf("%s/%s", rel, names.v[i]) : pa_xstrdup(names.v[i]);
        struct stat st;
        if (lstat(abs, &st) == 0 && S_ISDIR(st.st_mode)) collect(abs, r, fn, out);
        else if (lstat(abs, &st) == 0 && S_ISREG(st.st_mode) && (!fn || fn(r, names.v[i]))) { pa_vec_push(out, abs); abs = NULL; }
        free(abs);
        free(r);
        free(names.v[i]);
    }
    pa_vec_free(&names);
}

/* The seed files of target t: matching fixtures plus tests/fuzz/seeds/<name>/. */
static void seeds_of(const struct target *t, pathvec *out)
{
    static const char *const roots[] = {"tests/rules", "tests/discovery", "tests/packs", "examples", NULL};
    for (int i = 0; roots[i]; i++) {
        char *dir = pa_path_join(PA_SOURCE_DIR, roots[i]);
        collect(dir, roots[i], t->seeds, out);
        free(dir);
    }
    char *own = pa_xasprintf("%s/fuzz/seeds/%s", PA_TESTS_DIR, t->name);
    collect(own, "", NULL, out);
    free(own);
}

static bool read_all(const char *path, char **buf, size_t *len)
{
    const char *why;
    return pa_file_read(path, 64u << 20, buf, len, &why) == PA_OK;
}

static int make_corpus(const char *outdir)
{
    if (pa_mkdirs(outdir) != PA_OK) { fprintf(stderr, "cannot create %s\n", outdir); return 1; }
    for (size_t t = 0; t < NTARGETS; t++) {
        pathvec files = {0};
        seeds_of(&targets[t], &files);
        char *dir = pa_path_join(outdir, targets[t].name);
        pa_mkdirs(dir);
        for (size_t i = 0; i < files.n; i++) {
            char *buf;
            size_t len;
            if (read_all(files.v[i], &buf, &len)) {
                char *name = pa_xasprintf("%s/seed-%04zu", dir, i);
                pa_file_write_atomic(name, buf, len);
                free(name);
                free(buf);
            }
            free(files.v[i]);
        }
        printf("%s: %zu seeds\n", targets[t].name, files.n);
        pa_vec_free(&files);
        free(dir);
    }
    return 0;
}

/* Seconds one entry may take on one input: a hang found by fuzzing (libFuzzer
 * -timeout) must stay fixed, so a slow replay fails the test. Sanitizer
 * builds are several times slower; PA_FUZZ_REPLAY_MAX_SECONDS overrides. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define REPLAY_MAX_SECONDS 8.0
#else
#define REPLAY_MAX_SECONDS 2.0
#endif

/* Run one entry over one file; the entry must return 0 (crashes abort) and
 * finish within the time bound. */
static void replay(const struct target *t, const char *path)
{
    char *buf;
    size_t len;
    if (!read_all(path, &buf, &len)) { CHECK(!"unreadable replay input"); return; }
    /* an exact-size copy, as libFuzzer hands it over (no NUL after the data) */
    uint8_t *data = pa_xmalloc(len ? len : 1);
    memcpy(data, buf, len);
    free(buf);
    const char *env = getenv("PA_FUZZ_REPLAY_MAX_SECONDS");
    double limit = env && *env ? atof(env) : REPLAY_MAX_SECONDS;
    double t0 = pa_now_seconds();
    int rc = t->entry(data, len);
    double took = pa_now_seconds() - t0;
    if (rc != 0) fprintf(stderr, "%s on %s returned %d\n", t->name, path, rc);
    CHECK(rc == 0);
    if (took > limit) fprintf(stderr, "%s on %s took %.2f s (limit %.1f s): a fixed hang is back?\n", t->name, path, took, limit);
    CHECK(took <= limit);
    free(data);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--make-corpus") == 0) return make_corpus(argv[2]);
    pa_log_set_level(PA_LOG_QUIET);

    /* every fuzz_*.c in tests/fuzz is one of ours */
    pathvec srcs = {0};
    char *fdir = pa_path_join(PA_TESTS_DIR, "fuzz");
    collect(fdir, "", NULL, &srcs);
    for (size_t i = 0; i < srcs.n; i++) {
        const char *b = strrchr(srcs.v[i], '/') + 1;
        if (pa_str_starts(b, "fuzz_") && pa_str_ends(b, ".c")) {
            bool listed = false;
            for (size_t t = 0; t < NTARGETS; t++) listed |= strcmp(targets[t].source, b) == 0;
            if (!listed) fprintf(stderr, "tests/fuzz/%s has no entry in test_fuzz_regressions.c\n", b);
            CHECK(listed);
        }
        free(srcs.v[i]);
    }
    pa_vec_free(&srcs);
    free(fdir);

    /* regression inputs: every entry over every file */
    pathvec regs = {0};
    char *rdir = pa_path_join(PA_TESTS_DIR, "fuzz/regressions");
    collect(rdir, "", NULL, &regs);
    free(rdir);
    size_t runs = 0, nregs = 0;
    for (size_t i = 0; i < regs.n; i++) {
        if (pa_str_ends(regs.v[i], "/README.md")) continue;   /* the list of what each input broke */
        nregs++;
        for (size_t t = 0; t < NTARGETS; t++) { replay(&targets[t], regs.v[i]); runs++; }
    }

    /* seeds: each target over its own */
    size_t nseeds = 0;
    for (size_t t = 0; t < NTARGETS; t++) {
        pathvec files = {0};
        seeds_of(&targets[t], &files);
        CHECK(files.n > 0);   /* every target has at least one seed */
        if (!files.n) fprintf(stderr, "target %s has no seeds\n", targets[t].name);
        for (size_t i = 0; i < files.n; i++) { replay(&targets[t], files.v[i]); free(files.v[i]); runs++; }
        nseeds += files.n;
        pa_vec_free(&files);
    }
    printf("replayed %zu regression inputs and %zu seeds (%zu runs)\n", nregs, nseeds, runs);
    for (size_t i = 0; i < regs.n; i++) free(regs.v[i]);
    pa_vec_free(&regs);
    if (fuzz_python_parser) { pa_py_parser_free(fuzz_python_parser); fuzz_python_parser = NULL; }
    if (fi_parser) { pa_py_parser_free(fi_parser); fi_parser = NULL; }
    return test_done("test_fuzz_regressions");
}
