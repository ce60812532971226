/* test_knowledge.c - the embedded knowledge base: version matching, data
 * integrity of knowledge/<tech>.yaml, selection for a detected stack,
 * version-specific advice, entry validation, and the bundled example's
 * Sources Consulted (exactly the URLs of the selected entries). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "discovery/dtree.h"
#include "pa/knowledge.h"
#include "pa/run.h"

static void test_versions(void)
{
    CHECK(pa_knowledge_version_matches(">=2.0,<3", "2.0"));
    CHECK(pa_knowledge_version_matches(">=2.0,<3", "2.0.25"));
    CHECK(!pa_knowledge_version_matches(">=2.0,<3", "1.4.52"));
    CHECK(!pa_knowledge_version_matches(">=2.0,<3", "3.0"));
    CHECK(pa_knowledge_version_matches("1.4", "1.4.52"));
    CHECK(pa_knowledge_version_matches("1.4", "==1.4.0"));
    CHECK(!pa_knowledge_version_matches("1.4", "1.3.24"));
    CHECK(!pa_knowledge_version_matches("1.4", "2.0"));
    CHECK(pa_knowledge_version_matches("<3.9", "3.8"));
    CHECK(!pa_knowledge_version_matches("<3.9", "3.11"));
    CHECK(pa_knowledge_version_matches(">=3.9", "3.11"));
    CHECK(pa_knowledge_version_matches(">=4.1", "^4.2"));
    CHECK(pa_knowledge_version_matches("!=1.4.3", "1.4.2"));
    CHECK(!pa_knowledge_version_matches("!=1.4.3", "1.4.3"));
    CHECK(pa_knowledge_version_matches(NULL, NULL));
    CHECK(pa_knowledge_version_matches("*", NULL));
    CHECK(!pa_knowledge_version_matches("1.4", NULL));
    CHECK(!pa_knowledge_version_matches("garbage", "1.4"));
}

static void test_builtin_integrity(void)
{
    struct pa_kb kb;
    pa_kb_init(&kb);
    char *err = NULL;
    CHECK_INT(pa_kb_load_builtin(&kb, &err), PA_OK);
    CHECK_STR(err, NULL);
    free(err);
    CHECK(kb.entries.n >= 25);
    static const char *const techs[] = {"sqlalchemy", "django", "postgresql", "mysql", "sqlite", "asyncio",
                                        "fastapi", "starlette", "celery"};
    for (size_t t = 0; t < sizeof techs / sizeof techs[0]; t++) {
        size_t n = 0;
        for (size_t i = 0; i < kb.entries.n; i++) n += pa_str_eq(kb.entries.v[i].tech, techs[t]);
        if (!n) fprintf(stderr, "no knowledge entry for %s\n", techs[t]);
        CHECK(n > 0);
    }
    for (size_t i = 0; i < kb.entries.n; i++) {
        const struct pa_kb_entry *e = &kb.entries.v[i];
        CHECK(pa_str_starts(e->url, "https://"));
        CHECK(e->rules.n > 0);
        CHECK(!e->from_pack);
        for (size_t j = i + 1; j < kb.entries.n; j++) CHECK(!pa_str_eq(e->id, kb.entries.v[j].id));
        for (size_t r = 0; r < e->rules.n; r++) {
            bool known = pa_rule_find(e->rules.v[r]) != NULL;
            if (!known) fprintf(stderr, "%s: unknown rule %s\n", e->id, e->rules.v[r]);
            CHECK(known);
        }
        for (size_t a = 0; a < e->advice.n; a++) {   /* advice only for rules the entry informs */
            bool listed = false;
            for (size_t r = 0; r < e->rules.n; r++) listed = listed || pa_str_eq(e->rules.v[r], e->advice.v[a].rule);
            if (!listed) fprintf(stderr, "%s: advice for unlisted rule %s\n", e->id, e->advice.v[a].rule);
            CHECK(listed);
        }
    }
    /* SQLAlchemy has both release lines */
    bool has14 = false, has20 = false;
    for (size_t i = 0; i < kb.entries.n; i++) {
        has14 = has14 || pa_str_eq(kb.entries.v[i].id, "sqlalchemy-1.4-eager-loading");
        has20 = has20 || pa_str_eq(kb.entries.v[i].id, "sqlalchemy-2.0-eager-loading");
    }
    CHECK(has14 && has20);
    pa_kb_free(&kb);
}

static bool selected(const struct pa_context *ctx, const char *id)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, ctx->best_practices) {
        const cJSON *i = cJSON_GetObjectItemCaseSensitive(e, "id");
        if (cJSON_IsString(i) && !strcmp(i->valuestring, id)) return true;
    }
    return false;
}

static void select_for(struct pa_context *ctx, const char *orm, const char *orm_ver)
{
    struct pa_kb kb;
    pa_kb_init(&kb);
    char *err = NULL;
    pa_kb_load_builtin(&kb, &err);
    free(err);
    pa_context_init(ctx, ".");
    if (orm) pa_tech_set(&ctx->orm, orm, orm_ver, "test");
    pa_tech_set(&ctx->database, "PostgreSQL", "16", "test");
    pa_knowledge_select(ctx, &kb);
    pa_kb_free(&kb);
}

static void test_select_and_advice(void)
{
    struct pa_context ctx;
    select_for(&ctx, "SQLAlchemy", "2.0");
    CHECK(selected(&ctx, "sqlalchemy-2.0-eager-loading"));
    CHECK(!selected(&ctx, "sqlalchemy-1.4-eager-loading"));
    CHECK(selected(&ctx, "postgresql-notify-on-commit"));
    CHECK(!selected(&ctx, "django-query-optimization"));
    CHECK(!selected(&ctx, "fastapi-async-endpoints"));
    /* sorted by id */
    const char *prev = "";
    const cJSON *e;
    cJSON_ArrayForEach(e, ctx.best_practices) {
        const char *id = cJSON_GetObjectItemCaseSensitive(e, "id")->valuestring;
        CHECK(strcmp(prev, id) < 0);
        prev = id;
    }
    char *a = pa_knowledge_advice(&ctx, "PA107");
    CHECK(a && strstr(a, "selectinload()") && strstr(a, "select(Parent).options("));
    CHECK(a && !strstr(a, "session.query("));
    free(a);
    a = pa_knowledge_advice(&ctx, "PA201");
    CHECK(a && strstr(a, "COMMIT"));
    free(a);
    CHECK(pa_knowledge_advice(&ctx, "PA999") == NULL);
    pa_context_free(&ctx);

    select_for(&ctx, "SQLAlchemy", "1.4");
    CHECK(selected(&ctx, "sqlalchemy-1.4-eager-loading"));
    CHECK(!selected(&ctx, "sqlalchemy-2.0-eager-loading"));
    a = pa_knowledge_advice(&ctx, "PA107");
    CHECK(a && strstr(a, "session.query(Parent).options(selectinload("));
    free(a);
    pa_context_free(&ctx);

    /* unknown version: the newest release line described is assumed */
    select_for(&ctx, "SQLAlchemy", NULL);
    CHECK(selected(&ctx, "sqlalchemy-2.0-eager-loading"));
    CHECK(!selected(&ctx, "sqlalchemy-1.4-eager-loading"));
    pa_context_free(&ctx);

    select_for(&ctx, "Django ORM", "4.2");
    CHECK(selected(&ctx, "django-async-orm"));
    CHECK(!selected(&ctx, "django-async-views-legacy"));
    CHECK(!selected(&ctx, "sqlalchemy-2.0-eager-loading"));
    a = pa_knowledge_advice(&ctx, "PA107");
    CHECK(a && strstr(a, "select_related()"));
    free(a);
    pa_context_free(&ctx);

    select_for(&ctx, "Django ORM", "3.2");
    CHECK(!selected(&ctx, "django-async-orm"));
    CHECK(selected(&ctx, "django-async-views-legacy"));
    pa_context_free(&ctx);

    /* no stack: nothing selected, no advice */
    select_for(&ctx, NULL, NULL);
    CHECK(!selected(&ctx, "sqlalchemy-2.0-eager-loading"));
    CHECK(pa_knowledge_advice(&ctx, "PA107") == NULL);
    pa_context_free(&ctx);
}

static void test_entry_validation(void)
{
    static const struct { const char *yaml; const char *want; } bad[] = {
        {"knowledge:\n  - id: x\n    tech: sqlalchemy\n    statement: s\n    rules: [PA101]\n", "'url'"},
        {"knowledge:\n  - id: x\n    tech: cobol\n    statement: s\n    url: https://e.org\n", "unknown tech 'cobol'"},
        {"knowledge:\n  - id: x\n    tech: sqlite\n    statement: s\n    url: https://e.org\n    colour: red\n", ":6: knowledge entry: unknown key 'colour'"},
        {"knowledge:\n  - tech: sqlite\n    statement: s\n    url: https://e.org\n", "'id'"},
        {"knowledge:\n  - id: x\n    tech: sqlite\n    statement: s\n    url: ftp://e.org\n", "http(s) URL"},
        {"knowledge:\n  - id: x\n    tech: sqlite\n    statement: s\n    url: https://e.org\n    advice: [a]\n", "'advice'"},
        {"knowledge: 3\n", "must be a list"},
        {"knowledge: [\n", "t.yaml:"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct pa_kb kb;
        pa_kb_init(&kb);
        char *err = NULL;
        pa_status st = pa_kb_add_yaml(&kb, bad[i].yaml, strlen(bad[i].yaml), "t.yaml", false, &err);
        CHECK(st != PA_OK);
        if (!err || !strstr(err, bad[i].want)) fprintf(stderr, "case %zu: got '%s', want '%s'\n", i, err ? err : "(null)", bad[i].want);
        CHECK(err && strstr(err, bad[i].want));
        free(err);
        pa_kb_free(&kb);
    }
    /* a good one; versions written as a number are accepted */
    const char *ok = "knowledge:\n  - id: x\n    tech: sqlalchemy\n    versions: 1.4\n    rules: [PA101]\n"
                     "    statement: s\n    url: https://e.org/x\n    advice: {PA101: do this}\n";
    struct pa_kb kb;
    pa_kb_init(&kb);
    char *err = NULL;
    CHECK_INT(pa_kb_add_yaml(&kb, ok, strlen(ok), "t.yaml", true, &err), PA_OK);
    CHECK_INT(kb.entries.n, 1);
    CHECK_STR(kb.entries.v[0].versions, "1.4");
    CHECK(kb.entries.v[0].from_pack);
    pa_kb_free(&kb);
    free(err);
}

/* The bundled example: Sources Consulted lists exactly the URLs of the
 * selected entries, and recommendations carry the 2.0 wording. */
static void test_example_sources(void)
{
    struct pa_options o;
    pa_options_init(&o);
    free(o.root);
    o.root = pa_xstrdup(PA_SOURCE_DIR "/examples/jobboard");
    o.no_write = true;
    o.jobs = 2;
    strcpy(o.date, "2026-11-24");
    pa_log_set_level(PA_LOG_QUIET);
    struct pa_run run;
    pa_run_init(&run, &o);
    CHECK_INT(pa_run_execute(&run), PA_OK);
    char *md = pa_report_consolidated_md(&run);
    const char *src = md ? strstr(md, "## Sources Consulted") : NULL;
    CHECK(src != NULL);
    size_t nurls = 0;
    for (const char *p = src; p && (p = strstr(p, "\n- http")); p++) nurls++;
    size_t nsel = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, run.ctx.best_practices) {
        nsel++;
        const char *url = cJSON_GetObjectItemCaseSensitive(e, "url")->valuestring;
        char *line = pa_xasprintf("\n- %s\n", url);
        if (!src || !strstr(src, line)) fprintf(stderr, "missing source %s\n", url);
        CHECK(src && strstr(src, line));
        free(line);
    }
    CHECK(nsel >= 10);
    CHECK(nurls > 0 && nurls <= nsel);   /* distinct URLs; entries may share one */
    CHECK(src && strstr(src, "https://docs.sqlalchemy.org/en/20/"));
    CHECK(src && !strstr(src, "https://docs.sqlalchemy.org/en/14/"));
    CHECK(selected(&run.ctx, "sqlalchemy-2.0-eager-loading"));
    bool advised = false;
    for (size_t i = 0; i < run.all.items.n; i++) {
        const struct pa_finding *f = run.all.items.v[i];
        if (pa_str_eq(f->rule->id, "PA107") && strstr(f->recommendation, "SQLAlchemy 2.0: use `selectinload()`")) advised = true;
        CHECK(!strstr(f->recommendation, "SQLAlchemy 1.4:"));
    }
    CHECK(advised);
    free(md);
    pa_run_free(&run);
    pa_options_free(&o);
}

int main(void)
{
    test_versions();
    test_builtin_integrity();
    test_select_and_advice();
    test_entry_validation();
    test_example_sources();
    return test_done("test_knowledge");
}
