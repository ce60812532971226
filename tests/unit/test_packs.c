/* test_packs.c - rule packs: parsing and validation errors (with the rule
 * id), query compilation, rule registration in the rule table, the URL
 * policy and the offline cache path of the fetcher, and a custom rule
 * running end to end through the pipeline (suppression, Checks table,
 * SARIF) on tests/packs/project, checked against its `# expect:` /
 * `# ok:` annotations. The HTTP side is tests/packs_http.sh. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "pa/cli.h"
#include "pa/packs.h"
#include "pa/run.h"

#define PACKS PA_TESTS_DIR "/packs"

static char *load_err(const char *text)
{
    struct pa_packs p;
    pa_packs_init(&p);
    char *err = NULL;
    pa_status st = pa_packs_load_text(&p, text, strlen(text), "t.yaml", &err);
    CHECK(st != PA_OK);
    CHECK(p.rules.n == 0 && p.kb.entries.n == 0);  /* all or nothing */
    pa_packs_free(&p);
    return err ? err : pa_xstrdup("(no error)");
}

#define RULE_HEAD "rules:\n  - id: ORG100\n    category: query_efficiency\n    message: m\n    recommendation: r\n"

static void test_errors(void)
{
    struct { const char *text; const char *want[3]; } cases[] = {
        {RULE_HEAD "    query: \"(call function: (no_such_node) @f) @match\"\n",
         {"rule ORG100", "invalid tree-sitter query", "unknown node type"}},
        {RULE_HEAD "    query: \"(call function: (identifier) @f\"\n", {"rule ORG100", "syntax error", NULL}},
        {RULE_HEAD "    query: \"(call nosuchfield: (identifier) @f) @match\"\n", {"rule ORG100", "unknown field name", NULL}},
        {RULE_HEAD "    query: \"((identifier) @f (#eq? @f \\\"x\\\"))\"\n", {"rule ORG100", "predicates", NULL}},
        {RULE_HEAD "    query: \"(identifier)\"\n", {"rule ORG100", "at least one capture", NULL}},
        {RULE_HEAD "    query: \"(identifier) @f\"\n    where: {g: x}\n", {"rule ORG100", "no capture @g", NULL}},
        {RULE_HEAD "    query: \"(identifier) @f\"\n    where: {f: \"(\"}\n", {"rule ORG100", "invalid regex for @f", NULL}},
        {RULE_HEAD "    query: \"(identifier) @f\"\n    context: {inside_lake: true}\n", {"rule ORG100", "unknown condition", NULL}},
        {RULE_HEAD "    query: \"(identifier) @f\"\n    severity: EXTREME\n", {"rule ORG100", "'severity'", NULL}},
        {RULE_HEAD "    query: \"(identifier) @f\"\n    runs: rm -rf /\n", {"rule ORG100", "unknown key 'runs'", NULL}},
        {"rules:\n  - id: ORG100\n    category: speed\n    message: m\n    recommendation: r\n    query: \"(identifier) @f\"\n",
         {"rule ORG100", "'category'", NULL}},
        {"rules:\n  - id: PA101\n    category: query_efficiency\n    message: m\n    recommendation: r\n    query: \"(identifier) @f\"\n",
         {"rule PA101", "reserved", NULL}},
        {"rules:\n  - id: ORG100\n    category: query_efficiency\n    recommendation: r\n    query: \"(identifier) @f\"\n",
         {"rule ORG100", "missing 'message'", NULL}},
        {"rules:\n  - category: query_efficiency\n", {"t.yaml:2:", "'id'", NULL}},
        {"rules:\n  - id: ORG100\n    category: query_efficiency\n    message: m\n    recommendation: r\n    query: \"(identifier) @f\"\n"
         "  - id: org100\n    category: query_efficiency\n    message: m\n    recommendation: r\n    query: \"(identifier) @f\"\n",
         {"rule ORG100", "duplicate", NULL}},
        {"rules: [\n", {"t.yaml:", "malformed YAML", NULL}},
        {"- a\n- b\n", {"t.yaml:1:", "YAML map", NULL}},
        {"plugins: [x]\n", {"unknown top-level key 'plugins'", NULL, NULL}},
        {"knowledge:\n  - id: k\n    tech: sqlite\n    statement: s\n", {"t.yaml:", "'url'", NULL}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *err = load_err(cases[i].text);
        for (int k = 0; k < 3 && cases[i].want[k]; k++) {
            bool ok = strstr(err, cases[i].want[k]) != NULL;
            if (!ok) fprintf(stderr, "case %zu: '%s' lacks '%s'\n", i, err, cases[i].want[k]);
            CHECK(ok);
        }
        free(err);
    }
    /* the fixture files */
    struct pa_packs p;
    pa_packs_init(&p);
    char *err = NULL;
    CHECK(pa_packs_load_file(&p, PACKS "/bad_query.yaml", &err) == PA_ERR_PARSE);
    CHECK(err && strstr(err, "bad_query.yaml:8: rule ORG010: invalid tree-sitter query: unknown node type"));
    free(err);
    CHECK(pa_packs_load_file(&p, PACKS "/malformed.yaml", &err) == PA_ERR_PARSE);
    CHECK(err && strstr(err, "malformed.yaml:") && strstr(err, "malformed YAML"));
    free(err);
    CHECK(pa_packs_load_file(&p, PACKS "/reserved_id.yaml", &err) == PA_ERR_PARSE);
    CHECK(err && strstr(err, "rule PA399") && strstr(err, "reserved"));
    free(err);
    CHECK(pa_packs_load_file(&p, PACKS "/no_such_pack.yaml", &err) == PA_ERR_IO);
    CHECK(err && strstr(err, "no_such_pack.yaml"));
    free(err);
    CHECK_INT(p.rules.n, 0);
    pa_packs_free(&p);
}

static void test_register(void)
{
    size_t n0;
    pa_rules_all(&n0);
    struct pa_packs p;
    pa_packs_init(&p);
    char *err = NULL;
    CHECK_INT(pa_packs_load_file(&p, PACKS "/org_rules.yaml", &err), PA_OK);
    CHECK_STR(err, NULL);
    CHECK_INT(p.rules.n, 3);
    CHECK_INT(p.kb.entries.n, 1);
    CHECK(pa_rule_find("ORG001") == NULL);
    CHECK_INT(pa_packs_register(&p, &err), PA_OK);
    CHECK(pa_packs_active() == &p);
    const struct pa_rule_meta *r = pa_rule_find("ORG001");
    CHECK(r && pa_rule_is_custom(r));
    CHECK(r && r->category == PA_CAT_RUNTIME && r->severity == PA_SEV_HIGH);
    CHECK_STR(r ? r->check : NULL, "org001");
    CHECK_STR(r ? r->title : NULL, "requests call inside async def");
    CHECK(!pa_rule_is_custom(pa_rule_find("PA101")));
    size_t n1;
    const struct pa_rule_meta *all = pa_rules_all(&n1);
    CHECK_INT(n1, n0 + 3);
    CHECK(r && (size_t)(r - all) >= n0 && (size_t)(r - all) < n1);
    /* a second registration of the same ids is refused; freezing refuses more */
    struct pa_rule_meta dup = *r;
    const char *reason = NULL;
    CHECK(pa_rules_add_custom(&dup, &reason) != PA_OK && reason && strstr(reason, "exists"));
    struct pa_rule_meta reserved = dup;
    reserved.id = "PA150";
    CHECK(pa_rules_add_custom(&reserved, &reason) != PA_OK && strstr(reason, "reserved"));
    pa_rules_freeze();
    struct pa_rule_meta other = dup;
    other.id = "ORG999";
    CHECK(pa_rules_add_custom(&other, &reason) != PA_OK && strstr(reason, "frozen"));
    pa_packs_free(&p);
    CHECK(pa_rule_find("ORG001") == NULL);
    CHECK(pa_packs_active() == NULL);
    pa_rules_all(&n1);
    CHECK_INT(n1, n0);
    free(err);
}

static void test_fetch_policy(void)
{
    CHECK(pa_fetch_is_loopback("http://127.0.0.1:8080/p.yaml"));
    CHECK(pa_fetch_is_loopback("http://localhost/p.yaml"));
    CHECK(pa_fetch_is_loopback("http://[::1]:99/p.yaml"));
    CHECK(!pa_fetch_is_loopback("http://128.0.0.1/p.yaml"));
    CHECK(!pa_fetch_is_loopback("http://127.0.0.1.evil.example/p.yaml"));
    CHECK(!pa_fetch_is_loopback("https://example.org/p.yaml"));
    struct pa_fetch_opts fo;
    pa_fetch_opts_default(&fo);
    char tmpl[] = "/tmp/pa-packs-test-XXXXXX";
    char *dir = mkdtemp(tmpl);
    CHECK(dir != NULL);
    fo.cache_dir = dir;
    char *body = NULL, *err = NULL;
    size_t len;
    pa_fetch_how how;
    /* refused before any network access */
    CHECK(pa_fetch("http://example.org/p.yaml", &fo, &body, &len, &how, &err) == PA_ERR_USAGE);
    CHECK(err && strstr(err, "http://example.org/p.yaml: plain http:// is refused"));
    free(err);
    CHECK(pa_fetch("file:///etc/passwd", &fo, &body, &len, &how, &err) == PA_ERR_USAGE);
    CHECK(err && strstr(err, "file:///etc/passwd") && strstr(err, "only https://"));
    free(err);
    CHECK(pa_fetch("not a url", &fo, &body, &len, &how, &err) == PA_ERR_USAGE);
    free(err);
    /* offline with an empty cache: a clear error naming the URL */
    fo.offline = true;
    CHECK(pa_fetch("https://packs.example.org/p.yaml", &fo, &body, &len, &how, &err) == PA_ERR_IO);
    CHECK(err && strstr(err, "https://packs.example.org/p.yaml: --offline and no cached copy"));
    free(err);
    CHECK(body == NULL);
    rmdir(dir);
}

/* Expected custom findings from the fixture's annotations: "# expect: ORGnnn". */
static size_t expected_lines(const char *path, const char *rule, uint32_t *lines, size_t max)
{
    char *src = NULL;
    size_t len = 0, n = 0;
    const char *reason;
    if (pa_file_read(path, 1 << 20, &src, &len, &reason) != PA_OK) return 0;
    uint32_t line = 1;
    char *tag = pa_xasprintf("# expect: %s", rule);
    for (char *p = src; *p; line++) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        if (strstr(p, tag) && n < max) lines[n++] = line;
        if (!nl) break;
        p = nl + 1;
    }
    free(tag);
    free(src);
    return n;
}

static char *run_fixture(int jobs, struct pa_run *run, struct pa_options *o, bool keep)
{
    pa_options_init(o);
    free(o->root);
    o->root = pa_xstrdup(PACKS "/project");
    o->no_write = true;
    o->jobs = jobs;
    strcpy(o->date, "2026-11-24");
    pa_vec_push(&o->rules_files, pa_xstrdup(PACKS "/org_rules.yaml"));
    pa_run_init(run, o);
    CHECK_INT(pa_run_execute(run), PA_OK);
    char *json = pa_report_json(run);
    if (!keep) { pa_run_free(run); pa_options_free(o); }
    return json;
}

static void test_end_to_end(void)
{
    pa_log_set_level(PA_LOG_QUIET);
    struct pa_run run;
    struct pa_options o;
    char *json1 = run_fixture(1, &run, &o, true);
    static const char *const ids[] = {"ORG001", "ORG002", "ORG003"};
    for (size_t k = 0; k < 3; k++) {
        uint32_t want[16];
        size_t nw = expected_lines(PACKS "/project/app/service.py", ids[k], want, 16);
        CHECK(nw >= 1);
        size_t got = 0;
        for (size_t i = 0; i < run.all.items.n; i++) {
            const struct pa_finding *f = run.all.items.v[i];
            if (!pa_str_eq(f->rule->id, ids[k])) continue;
            got++;
            bool expected = false;
            for (size_t w = 0; w < nw; w++) expected = expected || want[w] == f->line;
            if (!expected) fprintf(stderr, "unexpected %s at line %u\n", ids[k], (unsigned)f->line);
            CHECK(expected);
            CHECK_STR(f->path, "app/service.py");
            CHECK(f->fingerprint != NULL);
        }
        CHECK_INT(got, nw);
    }
    /* the message carries the capture text; the function context is filled */
    bool msg = false;
    for (size_t i = 0; i < run.all.items.n; i++) {
        const struct pa_finding *f = run.all.items.v[i];
        if (pa_str_eq(f->rule->id, "ORG001")) {
            msg = strstr(f->issue, "requests.get() blocks the event loop") != NULL;
            CHECK_STR(f->function, "fetch_profile");
            CHECK_STR(f->effort, "S");
        }
        if (pa_str_eq(f->rule->id, "PA301"))  /* pack advice comes first */
            CHECK(strstr(f->recommendation, "Acme: use `acme.http.client()`") != NULL);
    }
    CHECK(msg);
    CHECK(run.nsuppressed >= 1);  /* `# pa-audit: ignore[ORG001]` */
    /* Checks table of the runtime category lists the custom rule */
    bool listed = false;
    for (size_t c = 0; c < run.results[PA_CAT_RUNTIME].nchecks; c++)
        listed = listed || pa_str_eq(run.results[PA_CAT_RUNTIME].checks[c].rule->id, "ORG001");
    CHECK(listed);
    /* SARIF: the rule is in the driver and the result carries its id */
    char *sarif = pa_report_sarif(&run);
    CHECK(sarif && strstr(sarif, "\"id\": \"ORG001\""));
    CHECK(sarif && strstr(sarif, "\"ruleId\": \"ORG001\""));
    free(sarif);
    /* the pack's knowledge entry applies (asyncio detected) and is a source */
    char *md = pa_report_consolidated_md(&run);
    CHECK(md && strstr(md, "- https://example.org/acme/handbook/http-clients\n"));
    CHECK(md && strstr(md, "- https://docs.sqlalchemy.org/en/14/"));   /* the fixture pins SQLAlchemy 1.4 */
    CHECK(md && !strstr(md, "- https://docs.sqlalchemy.org/en/20/"));
    free(md);
    bool v14 = false;
    for (size_t i = 0; i < run.all.items.n; i++)
        if (pa_str_eq(run.all.items.v[i]->rule->id, "PA107"))
            v14 = strstr(run.all.items.v[i]->recommendation, "SQLAlchemy 1.4: `session.query(Parent).options(selectinload(") != NULL;
    CHECK(v14);
    pa_run_free(&run);
    pa_options_free(&o);
    CHECK(pa_rule_find("ORG001") == NULL);   /* unregistered at the end of the run */

    /* --select / --ignore apply to custom ids */
    pa_options_init(&o);
    free(o.root);
    o.root = pa_xstrdup(PACKS "/project");
    o.no_write = true;
    pa_vec_push(&o.rules_files, pa_xstrdup(PACKS "/org_rules.yaml"));
    pa_vec_push(&o.ignore, pa_xstrdup("ORG"));
    pa_run_init(&run, &o);
    CHECK_INT(pa_run_execute(&run), PA_OK);
    for (size_t i = 0; i < run.all.items.n; i++) CHECK(!pa_str_starts(run.all.items.v[i]->rule->id, "ORG"));
    pa_run_free(&run);
    pa_options_free(&o);

    /* deterministic whatever the number of threads */
    char *json4 = run_fixture(4, &run, &o, false);
    CHECK(json1 && json4 && strcmp(json1, json4) == 0);
    free(json1);
    free(json4);

    /* a broken pack fails the run (exit 2 in main) */
    pa_options_init(&o);
    free(o.root);
    o.root = pa_xstrdup(PACKS "/project");
    o.no_write = true;
    pa_vec_push(&o.rules_files, pa_xstrdup(PACKS "/bad_query.yaml"));
    pa_run_init(&run, &o);
    CHECK(pa_run_execute(&run) != PA_OK);
    pa_run_free(&run);
    pa_options_free(&o);
}

/* --rules / --offline / --allow-insecure-http / --rules-url-optional on the
 * command line, and rule_packs: in the config (URLs vs files). */
static void test_options(void)
{
    struct pa_options o;
    struct pa_cli cli;
    char *err = NULL;
    pa_options_init(&o);
    char *argv[] = {"pa-audit", "--rules", "a.yaml", "--rules=b.yaml", "--rules-url", "https://e.org/p.yaml",
                    "--offline", "--allow-insecure-http", "--rules-url-optional", "proj", NULL};
    CHECK_INT(pa_cli_parse(10, argv, &o, &cli, &err), PA_OK);
    CHECK_INT(o.rules_files.n, 2);
    CHECK_STR(o.rules_files.n > 1 ? o.rules_files.v[1] : NULL, "b.yaml");
    CHECK_INT(o.rules_urls.n, 1);
    CHECK(o.offline && o.allow_insecure_http && o.rules_url_optional);
    CHECK(strstr(pa_cli_help(), "--rules FILE") && strstr(pa_cli_help(), "--offline") &&
          strstr(pa_cli_help(), "--allow-insecure-http") && strstr(pa_cli_help(), "--rules-url-optional"));
    pa_options_free(&o);
    free(err);

    char tmpl[] = "/tmp/pa-packs-cfg-XXXXXX";
    char *dir = mkdtemp(tmpl);
    CHECK(dir != NULL);
    char *cfg = pa_path_join(dir, ".pa-audit.yml");
    const char *text = "rule_packs:\n  - https://e.org/p.yaml\n  - tools/rules.yaml\n";
    CHECK_INT(pa_file_write_atomic(cfg, text, strlen(text)), PA_OK);
    pa_options_init(&o);
    free(o.root);
    o.root = pa_xstrdup(dir);
    CHECK_INT(pa_config_load(&o, &err), PA_OK);
    CHECK_INT(o.rules_urls.n, 1);
    CHECK_STR(o.rules_urls.n ? o.rules_urls.v[0] : NULL, "https://e.org/p.yaml");
    CHECK_INT(o.rules_files.n, 1);
    char *want = pa_path_join(dir, "tools/rules.yaml");
    CHECK_STR(o.rules_files.n ? o.rules_files.v[0] : NULL, want);
    free(want);
    pa_options_free(&o);
    free(err);
    unlink(cfg);
    free(cfg);
    rmdir(dir);
}

/* A knowledge-only pack: no rule is registered, the table is not frozen. */
static void test_knowledge_only_pack(void)
{
    char tmpl[] = "/tmp/pa-packs-kb-XXXXXX";
    char *dir = mkdtemp(tmpl);
    CHECK(dir != NULL);
    char *path = pa_path_join(dir, "kb.yaml");
    const char *text = "knowledge:\n  - id: sqlalchemy-2.0-eager-loading\n    tech: sqlalchemy\n    versions: \">=2.0\"\n"
                       "    rules: [PA107]\n    statement: Our own wording.\n    url: https://example.org/our/eager\n"
                       "    advice: {PA107: \"ACME: use the repository's load_many().\"}\n";
    CHECK_INT(pa_file_write_atomic(path, text, strlen(text)), PA_OK);
    struct pa_options o;
    pa_options_init(&o);
    free(o.root);
    o.root = pa_xstrdup(PA_SOURCE_DIR "/examples/jobboard");
    o.no_write = true;
    pa_vec_push(&o.rules_files, pa_xstrdup(path));
    struct pa_run run;
    pa_run_init(&run, &o);
    CHECK_INT(pa_run_execute(&run), PA_OK);
    char *md = pa_report_consolidated_md(&run);
    /* the pack's entry replaced the built-in one with the same id */
    CHECK(md && strstr(md, "- https://example.org/our/eager\n"));
    CHECK(md && !strstr(md, "https://docs.sqlalchemy.org/en/20/orm/queryguide/relationships.html"));
    bool advised = false;
    for (size_t i = 0; i < run.all.items.n; i++)
        if (pa_str_eq(run.all.items.v[i]->rule->id, "PA107"))
            advised = advised || strstr(run.all.items.v[i]->recommendation, "ACME: use the repository's load_many().");
    CHECK(advised);
    free(md);
    pa_run_free(&run);
    pa_options_free(&o);
    /* the table is usable again */
    struct pa_rule_meta m = {"ORG777", "org777", PA_CAT_QUERY, PA_SEV_LOW, "t", "p"};
    const char *reason = NULL;
    CHECK_INT(pa_rules_add_custom(&m, &reason), PA_OK);
    pa_rules_reset_custom();
    CHECK(pa_rule_find("ORG777") == NULL);
    unlink(path);
    free(path);
    rmdir(dir);
}

int main(void)
{
    test_errors();
    test_register();
    test_fetch_policy();
    test_end_to_end();
    test_options();
    test_knowledge_only_pack();
    return test_done("test_packs");
}
