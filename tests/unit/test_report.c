/* test_report.c - the aggregator and every report format (src/report/):
 * scoring, suppression, fingerprints, baseline, context validation (Rule 1,
 * Rule 6), worker and consolidated markdown, JSON, SARIF, GitHub and text.
 * Runs are built by hand (test-local init/free) with small hand-made facts. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "pa/run.h"
#include "report/report_int.h"

/* ---- fixtures ------------------------------------------------------------ */
struct fx {
    struct pa_options opts;
    struct pa_run run;
    struct pa_file_facts *files[8];
};

static void fx_init(struct fx *x)
{
    memset(x, 0, sizeof *x);
    pa_options_init(&x->opts);
    strcpy(x->opts.date, "2026-11-24");
    x->opts.no_write = true;
    x->run.opts = &x->opts;
    pa_context_init(&x->run.ctx, "proj");
    size_t n;
    const struct pa_rule_meta *all = pa_rules_all(&n);
    for (int c = 0; c < PA_CAT__COUNT; c++) {
        struct pa_audit_result *res = &x->run.results[c];
        res->category = (pa_category)c;
        pa_findings_init(&res->findings);
        for (size_t i = 0; i < n; i++) {
            if (all[i].category != (pa_category)c) continue;
            res->checks[res->nchecks].rule = &all[i];
            res->checks[res->nchecks].status = PA_CHECK_PASSED;
            res->checks[res->nchecks].details = pa_xasprintf("examined 3 sites | ok");
            res->nchecks++;
        }
    }
    pa_findings_init(&x->run.all);
}

/* Facts for a file; strings are literals (borrowed), arrays heap. */
static struct pa_file_facts *fx_file(struct fx *x, const char *path, const char *module)
{
    struct pa_file_facts *f = pa_xcalloc(1, sizeof *f);
    f->path = path;
    f->module = module;
    pa_arena_init(&f->arena);
    x->files[x->run.nfiles++] = f;
    x->run.files = x->files;
    return f;
}

static void fx_sort_files(struct fx *x)
{
    for (size_t i = 1; i < x->run.nfiles; i++)
        for (size_t j = i; j > 0 && strcmp(x->files[j - 1]->path, x->files[j]->path) > 0; j--) {
            struct pa_file_facts *t = x->files[j];
            x->files[j] = x->files[j - 1];
            x->files[j - 1] = t;
        }
}

static void fx_free(struct fx *x)
{
    struct pa_run *r = &x->run;
    pa_findings_free(&r->all);
    for (int c = 0; c < PA_CAT__COUNT; c++) {
        pa_findings_free(&r->results[c].findings);
        for (size_t i = 0; i < r->results[c].nchecks; i++) free(r->results[c].checks[i].details);
    }
    for (size_t i = 0; i < r->suppressions.n; i++) {
        free(r->suppressions.v[i].path);
        free(r->suppressions.v[i].rules);
        free(r->suppressions.v[i].reason);
    }
    pa_vec_free(&r->suppressions);
    for (size_t i = 0; i < r->skipped.n; i++) {
        free(r->skipped.v[i].path);
        free(r->skipped.v[i].reason);
    }
    pa_vec_free(&r->skipped);
    for (size_t i = 0; i < r->written.n; i++) free(r->written.v[i]);
    pa_vec_free(&r->written);
    for (size_t i = 0; i < r->nfiles; i++) {
        struct pa_file_facts *f = x->files[i];
        pa_vec_free(&f->funcs);
        pa_vec_free(&f->calls);
        pa_vec_free(&f->loops);
        pa_vec_free(&f->assigns);
        pa_vec_free(&f->suppressions);
        pa_arena_free(&f->arena);
        free(f);
    }
    pa_context_free(&r->ctx);
    pa_options_free(&x->opts);
}

static struct pa_finding *add(struct fx *x, const char *rule, pa_severity sev, const char *path, uint32_t line,
                              const char *issue)
{
    const struct pa_rule_meta *r = pa_rule_find(rule);
    struct pa_finding *f = pa_findings_add(&x->run.results[r->category].findings, r, sev, path, line, 5, line, issue,
                                           "Do the right thing", "S");
    f->code_hash = pa_hash_str(issue) ^ line;
    return f;
}

static void add_func(struct pa_file_facts *f, const char *name, const char *qualname, uint32_t line, uint32_t end,
                     bool is_async)
{
    struct pa_func fn = {0};
    fn.name = name;
    fn.qualname = qualname;
    fn.parent = -1;
    fn.cls = -1;
    fn.is_async = is_async;
    fn.line = line;
    fn.end_line = end;
    pa_vec_push(&f->funcs, fn);
}

static void add_call(struct pa_file_facts *f, int32_t func, const char *callee, const char *base, const char *attr,
                     uint32_t line, const char *kw)
{
    struct pa_call c = {0};
    c.func = func;
    c.cls = -1;
    c.callee = callee;
    c.base = base;
    c.attr = attr;
    c.line = c.end_line = line;
    c.recv_call = c.parent_call = c.loop = c.with = c.try_ = -1;
    if (kw) {
        struct pa_arg *a = pa_arena_alloc(&f->arena, sizeof *a);
        a->kw = kw;
        a->kind = PA_EXPR_NUM;
        a->text = "5";
        a->call = a->func = -1;
        c.args = a;
        c.nargs = 1;
    }
    pa_vec_push(&f->calls, c);
}

static void add_supp(struct pa_file_facts *f, uint32_t line, uint32_t applies_to, const char *rules, const char *reason)
{
    struct pa_suppression s = {line, applies_to, rules, reason};
    pa_vec_push(&f->suppressions, s);
}

static void add_adr(struct fx *x, const char *id, const char *title, const char *path, const char *status,
                    const char *text)
{
    struct pa_adr a = {pa_xstrdup(id), pa_xstrdup(title), pa_xstrdup(path), status ? pa_xstrdup(status) : NULL,
                       pa_xstrdup(text)};
    pa_vec_push(&x->run.ctx.adrs, a);
}

static struct pa_finding *find_issue(struct fx *x, const char *issue)
{
    for (size_t i = 0; i < x->run.all.items.n; i++)
        if (strcmp(x->run.all.items.v[i]->issue, issue) == 0) return x->run.all.items.v[i];
    return NULL;
}

static bool contains(const char *hay, const char *needle) { return hay && needle && strstr(hay, needle) != NULL; }

/* Positions of the needles in order; true when each occurs after the previous. */
static bool in_order(const char *hay, const char *const *needles)
{
    const char *p = hay;
    for (size_t i = 0; needles[i]; i++) {
        const char *q = strstr(p, needles[i]);
        if (!q) {
            fprintf(stderr, "missing or out of order: %s\n", needles[i]);
            return false;
        }
        p = q + strlen(needles[i]);
    }
    return true;
}

/* ---- scoring ------------------------------------------------------------- */
static void test_score_formula(void)
{
    size_t c0[4] = {0, 0, 0, 0};
    CHECK_INT(pa_score_tenths(c0), 100);
    size_t c1[4] = {1, 4, 3, 0};  /* L M H C */
    CHECK_INT(pa_score_tenths(c1), 100 - 2 - 20 - 30);
    size_t c2[4] = {3, 0, 0, 0};
    CHECK_INT(pa_score_tenths(c2), 94);  /* 10 - 3·0.2 exactly 9.4 */
    size_t c3[4] = {0, 0, 0, 6};
    CHECK_INT(pa_score_tenths(c3), 0);  /* 10 - 12 clamps at 0 */
    size_t c4[4] = {0, 0, 0, 5};
    CHECK_INT(pa_score_tenths(c4), 0);
    size_t c5[4] = {1, 1, 0, 0};
    CHECK_INT(pa_score_tenths(c5), 93);  /* 10 - 0.5 - 0.2 */

    CHECK(pa_score_round1(7.25) == 7.3);
    CHECK(pa_score_round1(7.2499) == 7.2);
    CHECK(pa_score_round1(10.0 - 0.2 * 3) == 9.4);
    CHECK(pa_score_round1(0.04) == 0.0);
    CHECK(pa_score_round1(8.0 / 3.0) == 2.7);
    char sc[16];
    CHECK_STR(pa_report_score_str(sc, 7.0), "7.0");
    CHECK_STR(pa_report_score_str(sc, 0.0), "0.0");
    CHECK_STR(pa_report_score_str(sc, 9.4), "9.4");
    CHECK_STR(pa_report_score_str(sc, 10.0), "10.0");
}

static void test_score_run(void)
{
    struct fx x;
    fx_init(&x);
    /* query: 3 HIGH + 4 MEDIUM + 1 LOW: 10 - 3 - 2 - 0.2 = 4.8 */
    for (int i = 0; i < 3; i++) add(&x, "PA107", PA_SEV_HIGH, "app/q.py", 10 + (uint32_t)i, "n+1 a");
    for (int i = 0; i < 4; i++) add(&x, "PA105", PA_SEV_MEDIUM, "app/q.py", 20 + (uint32_t)i, "bulk b");
    add(&x, "PA104", PA_SEV_LOW, "app/q.py", 30, "over c");
    /* transaction: 1 CRITICAL, plus an advisory HIGH that must not count */
    add(&x, "PA204", PA_SEV_CRITICAL, "app/t.py", 5, "rollback d");
    struct pa_finding *adv = add(&x, "PA202", PA_SEV_HIGH, "app/t.py", 9, "wide e");
    adv->advisory = true;
    adv->advisory_note = pa_xstrdup("[Planned: ADR-001]");
    /* runtime: 6 CRITICAL → clamped at 0.0 */
    for (int i = 0; i < 6; i++) add(&x, "PA301", PA_SEV_CRITICAL, "app/r.py", 1 + (uint32_t)i, "block f");
    pa_aggregate(&x.run);
    CHECK(x.run.scores[PA_CAT_QUERY] == 4.8);
    CHECK(x.run.scores[PA_CAT_TRANSACTION] == 8.0);
    CHECK(x.run.scores[PA_CAT_RUNTIME] == 0.0);
    CHECK(x.run.overall == 4.3);  /* (4.8 + 8 + 0) / 3 = 4.27 */
    CHECK_INT(x.run.counts[PA_CAT_QUERY][PA_SEV_HIGH], 3);
    CHECK_INT(x.run.counts[PA_CAT_QUERY][PA_SEV_MEDIUM], 4);
    CHECK_INT(x.run.counts[PA_CAT_TRANSACTION][PA_SEV_HIGH], 0);  /* advisory excluded */
    CHECK_INT(x.run.counts[PA_CAT_TRANSACTION][PA_SEV_CRITICAL], 1);
    CHECK_INT(x.run.nadvisory, 1);
    CHECK_INT(x.run.all.items.n, 16);
    CHECK_INT(x.run.results[PA_CAT_QUERY].findings.items.n, 0);  /* moved */
    /* sorted: severity first */
    CHECK(x.run.all.items.v[0]->severity == PA_SEV_CRITICAL);
    CHECK(x.run.all.items.v[x.run.all.items.n - 1]->severity == PA_SEV_LOW);
    int fp_ok = 1;
    for (size_t i = 0; i < x.run.all.items.n; i++)
        fp_ok &= x.run.all.items.v[i]->fingerprint && strlen(x.run.all.items.v[i]->fingerprint) == 16;
    CHECK(fp_ok);
    fx_free(&x);

    /* overall mean rounding: 9.9, 9.9, 10.0 → 9.93 → 9.9; 9.5, 10, 10 → 9.83 → 9.8 */
    fx_init(&x);
    add(&x, "PA104", PA_SEV_LOW, "a.py", 1, "x");
    add(&x, "PA204", PA_SEV_LOW, "a.py", 2, "y");
    pa_aggregate(&x.run);
    CHECK(x.run.scores[PA_CAT_QUERY] == 9.8);
    CHECK(x.run.overall == 9.9);  /* (9.8 + 9.8 + 10) / 3 = 9.87 */
    fx_free(&x);

    /* severity override from the config applies before scoring */
    fx_init(&x);
    size_t n;
    const struct pa_rule_meta *all = pa_rules_all(&n);
    const struct pa_rule_meta *r304 = pa_rule_find("PA304");
    x.opts.severity_set[r304 - all] = true;
    x.opts.severity[r304 - all] = PA_SEV_HIGH;
    add(&x, "PA304", PA_SEV_LOW, "a.py", 3, "concat");
    pa_aggregate(&x.run);
    CHECK(x.run.all.items.v[0]->severity == PA_SEV_HIGH);
    CHECK(x.run.scores[PA_CAT_RUNTIME] == 9.0);
    fx_free(&x);
}

/* ---- suppression --------------------------------------------------------- */
static void test_suppression(void)
{
    struct fx x;
    fx_init(&x);
    struct pa_file_facts *f = fx_file(&x, "app/s.py", "app.s");
    add_supp(f, 10, 10, NULL, NULL);                     /* trailing, all rules */
    add_supp(f, 19, 20, "PA301,PA303", "startup only");  /* line above, by list */
    add_supp(f, 29, 30, "PA303", NULL);                  /* names another rule: no match */
    add_supp(f, 40, 40, "PA999", NULL);                  /* unknown rule */
    add_supp(f, 50, 50, NULL, "stale");                  /* unused */
    add_supp(f, 60, 60, "blocking_io_in_async", NULL);   /* by check id */
    add(&x, "PA301", PA_SEV_HIGH, "app/s.py", 10, "same line");
    add(&x, "PA107", PA_SEV_HIGH, "app/s.py", 10, "same line other rule");
    add(&x, "PA301", PA_SEV_HIGH, "app/s.py", 20, "line above");
    add(&x, "PA301", PA_SEV_HIGH, "app/s.py", 30, "wrong rule");
    add(&x, "PA301", PA_SEV_HIGH, "app/s.py", 60, "check id");
    add(&x, "PA301", PA_SEV_HIGH, "app/other.py", 10, "other file");
    pa_aggregate(&x.run);
    CHECK_INT(x.run.nsuppressed, 4);
    CHECK_INT(x.run.all.items.n, 2);
    CHECK(find_issue(&x, "wrong rule") != NULL);
    CHECK(find_issue(&x, "other file") != NULL);
    CHECK(find_issue(&x, "same line") == NULL);
    CHECK(find_issue(&x, "line above") == NULL);
    CHECK_INT(x.run.suppressions.n, 6);
    CHECK_INT(x.run.suppressions.v[0].matched, 2);
    CHECK(x.run.suppressions.v[0].rules == NULL);
    CHECK_INT(x.run.suppressions.v[1].matched, 1);
    CHECK_STR(x.run.suppressions.v[1].reason, "startup only");
    CHECK_STR(x.run.suppressions.v[1].rules, "PA301,PA303");
    CHECK_INT(x.run.suppressions.v[2].matched, 0);
    CHECK(!x.run.suppressions.v[2].unknown_rule);
    CHECK(x.run.suppressions.v[3].unknown_rule);
    CHECK_INT(x.run.suppressions.v[4].matched, 0);
    CHECK_INT(x.run.suppressions.v[5].matched, 1);
    CHECK_STR(x.run.suppressions.v[0].path, "app/s.py");
    CHECK_INT(x.run.suppressions.v[1].line, 19);
    /* suppressed findings do not count */
    CHECK_INT(x.run.counts[PA_CAT_RUNTIME][PA_SEV_HIGH], 2);
    char *md = pa_report_consolidated_md(&x.run);
    CHECK(contains(md, "## Suppressions"));
    CHECK(contains(md, "startup only"));
    CHECK(contains(md, "(unknown rule)"));
    CHECK(contains(md, "(unused)"));
    free(md);
    fx_free(&x);
}

/* ---- fingerprints and baseline ------------------------------------------- */
static char *fp_of_run(uint32_t shift, const char *issue_extra)
{
    struct fx x;
    fx_init(&x);
    struct pa_finding *a = add(&x, "PA301", PA_SEV_HIGH, "app/f.py", 10 + shift, "a");
    a->code_hash = 0xabcdef;
    struct pa_finding *b = add(&x, "PA303", PA_SEV_HIGH, "app/f.py", 30 + shift, "b");
    b->code_hash = 0x1234;
    if (issue_extra) {
        struct pa_finding *c = add(&x, "PA301", PA_SEV_HIGH, "app/f.py", 2, issue_extra);
        c->code_hash = 0x5555;
    }
    pa_aggregate(&x.run);
    char *fp = pa_xstrdup(find_issue(&x, "a")->fingerprint);
    fx_free(&x);
    return fp;
}

static void test_fingerprints(void)
{
    char *f0 = fp_of_run(0, NULL);
    char *f1 = fp_of_run(7, NULL);              /* lines inserted above */
    char *f2 = fp_of_run(3, "new code above");  /* another finding added above */
    CHECK_INT(strlen(f0), 16);
    CHECK(strspn(f0, "0123456789abcdef") == 16);
    CHECK_STR(f0, f1);
    CHECK_STR(f0, f2);
    free(f0);
    free(f1);
    free(f2);

    char *a = pa_fingerprint_make("PA301", "app/f.py", 1, 0);
    char *b = pa_fingerprint_make("PA301", "app/f.py", 2, 0);
    char *c = pa_fingerprint_make("PA301", "app/g.py", 1, 0);
    char *d = pa_fingerprint_make("PA303", "app/f.py", 1, 0);
    char *e = pa_fingerprint_make("PA301", "app/f.py", 1, 1);
    char *a2 = pa_fingerprint_make("PA301", "app/f.py", 1, 0);
    CHECK_STR(a, a2);
    CHECK(strcmp(a, b) && strcmp(a, c) && strcmp(a, d) && strcmp(a, e));
    free(a), free(b), free(c), free(d), free(e), free(a2);

    /* identical lines in one file get distinct fingerprints (occurrence counter) */
    struct fx x;
    fx_init(&x);
    struct pa_finding *p = add(&x, "PA301", PA_SEV_HIGH, "app/f.py", 10, "dup1");
    struct pa_finding *q = add(&x, "PA301", PA_SEV_HIGH, "app/f.py", 20, "dup2");
    p->code_hash = q->code_hash = 77;
    pa_aggregate(&x.run);
    CHECK(strcmp(find_issue(&x, "dup1")->fingerprint, find_issue(&x, "dup2")->fingerprint) != 0);
    fx_free(&x);
}

static char *tmp_path(const char *name)
{
    static int counter;
    return pa_xasprintf("/tmp/pa_test_report_%d_%d_%s", (int)getpid(), counter++, name);
}

static void write_text(const char *path, const char *text)
{
    pa_file_write_atomic(path, text, strlen(text));
}

static void test_baseline(void)
{
    struct fx x;
    fx_init(&x);
    add(&x, "PA301", PA_SEV_HIGH, "app/a.py", 10, "one");
    add(&x, "PA303", PA_SEV_CRITICAL, "app/a.py", 20, "two");
    add(&x, "PA107", PA_SEV_MEDIUM, "app/b.py", 5, "three");
    char *bl = tmp_path("baseline.json");
    x.opts.write_baseline = pa_xstrdup(bl);
    pa_aggregate(&x.run);
    CHECK(pa_path_is_file(bl));
    struct pa_baseline b;
    char *err = NULL;
    CHECK(pa_baseline_read(bl, &b, &err) == PA_OK);
    CHECK_INT(b.n, 3);
    CHECK(b.n == 3 && strcmp(b.fps[0], b.fps[1]) < 0 && strcmp(b.fps[1], b.fps[2]) < 0);
    for (size_t i = 0; i < x.run.all.items.n; i++) CHECK(pa_baseline_has(&b, x.run.all.items.v[i]->fingerprint));
    CHECK(!pa_baseline_has(&b, "0000000000000000"));
    pa_baseline_free(&b);
    char *text = NULL;
    size_t len;
    const char *reason;
    CHECK(pa_file_read(bl, 1 << 20, &text, &len, &reason) == PA_OK);
    cJSON *j = cJSON_Parse(text);
    CHECK(j && cJSON_GetObjectItem(j, "version") && cJSON_GetObjectItem(j, "version")->valueint == 1);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(j, "fingerprints")) == 3);
    cJSON_Delete(j);
    char *fp_two = pa_xstrdup(find_issue(&x, "two")->fingerprint);
    fx_free(&x);

    /* second run: "two" is in a plain one-per-line baseline; a new finding is not */
    char *plain = tmp_path("baseline.txt");
    char *ptext = pa_xasprintf("# pa-audit baseline\n\n  %s  \n", fp_two);
    write_text(plain, ptext);
    fx_init(&x);
    add(&x, "PA303", PA_SEV_CRITICAL, "app/a.py", 25, "two");  /* moved down, same code */
    x.run.results[PA_CAT_RUNTIME].findings.items.v[0]->code_hash = pa_hash_str("two") ^ 20;
    add(&x, "PA301", PA_SEV_HIGH, "app/c.py", 1, "fresh");
    x.opts.baseline = pa_xstrdup(plain);
    pa_aggregate(&x.run);
    CHECK(find_issue(&x, "two")->baseline);
    CHECK(!find_issue(&x, "fresh")->baseline);
    CHECK_INT(x.run.nbaseline, 1);
    CHECK_INT(x.run.nnew, 1);
    CHECK_INT(x.run.counts[PA_CAT_RUNTIME][PA_SEV_CRITICAL], 1);  /* baseline still scored */
    char *sarif = pa_report_sarif(&x.run);
    CHECK(contains(sarif, "\"baselineState\": \"unchanged\""));
    CHECK(contains(sarif, "\"baselineState\": \"new\""));
    free(sarif);
    fx_free(&x);

    /* JSON array form; a bad file is an error with a message */
    char *arr = tmp_path("baseline_arr.json");
    write_text(arr, "[\"bbbb\", \"aaaa\", \"bbbb\"]");
    CHECK(pa_baseline_read(arr, &b, &err) == PA_OK);
    CHECK_INT(b.n, 2);
    CHECK(b.n == 2 && pa_baseline_has(&b, "aaaa") && pa_baseline_has(&b, "bbbb"));
    pa_baseline_free(&b);
    write_text(arr, "{\"version\": 2, \"fingerprints\": []}");
    CHECK(pa_baseline_read(arr, &b, &err) == PA_ERR_PARSE);
    CHECK(err != NULL);
    free(err);
    err = NULL;
    CHECK(pa_baseline_read("/nonexistent/pa/baseline", &b, &err) == PA_ERR_IO);
    free(err);
    unlink(bl), unlink(plain), unlink(arr);
    free(bl), free(plain), free(arr), free(ptext), free(fp_two), free(text);
}

/* ---- Rule 1 -------------------------------------------------------------- */
static void test_rule1(void)
{
    struct fx x;
    fx_init(&x);
    fx_file(&x, "app/api/files.py", "app.api.files");
    fx_file(&x, "app/services/orders.py", "app.services.orders");
    fx_file(&x, "app/billing/invoices.py", "app.billing.invoices");
    fx_file(&x, "app/repo.py", "app.repo");
    fx_sort_files(&x);
    add_adr(&x, "ADR-007", "Move uploads to object storage", "docs/adr/007-uploads.md", "accepted",
            "we will replace the synchronous upload path in app/api/files.py with an async client.");
    add_adr(&x, "ADR-012", "Batch order loading", "docs/adr/012-orders.md", "proposed",
            "orders: the n+1 query in loops (pa107) is known; planned eager loading.");
    add_adr(&x, "ADR-003", "Use PostgreSQL", "docs/adr/003-postgres.md", "accepted",
            "we use postgresql 16 for everything. files are stored on disk. async code is preferred.");
    add_adr(&x, "ADR-020", "Old invoices plan", "docs/adr/020-invoices.md", "superseded",
            "app/billing/invoices.py will be rewritten.");
    add_adr(&x, "ADR-030", "Repository methods", "docs/adr/030-repo.md", "accepted",
            "the method orderrepo.load_all will be replaced.");
    add_adr(&x, "ADR-040", "Refund flow", "docs/adr/040-refunds.md", "Accepted",
            "the refunds.py flow keeps an external call inside the transaction (scope too wide); fix planned.");
    add(&x, "PA202", PA_SEV_HIGH, "app/billing/refunds.py", 8, "refund wide");
    add(&x, "PA304", PA_SEV_LOW, "app/billing/refunds.py", 9, "refund concat");
    add(&x, "PA301", PA_SEV_HIGH, "app/api/files.py", 44, "path match");
    struct pa_finding *f2 = add(&x, "PA107", PA_SEV_HIGH, "app/services/orders.py", 12, "stem+rule match");
    f2->entry = PA_ENTRY_NONE;
    add(&x, "PA303", PA_SEV_HIGH, "app/services/payments.py", 3, "unrelated");
    add(&x, "PA301", PA_SEV_HIGH, "app/billing/invoices.py", 3, "superseded adr");
    struct pa_finding *f5 = add(&x, "PA105", PA_SEV_MEDIUM, "app/repo.py", 9, "method match");
    f5->function = pa_xstrdup("OrderRepo.load_all");
    add(&x, "PA301", PA_SEV_HIGH, "api/files.py", 4, "token boundary");
    struct pa_finding *f7 = add(&x, "PA107", PA_SEV_HIGH, "app/services/orders.py", 40, "hot path");
    f7->entry = PA_ENTRY_REQUEST;  /* N+1 in a hot path: exempt */
    struct pa_finding *f8 = add(&x, "PA101", PA_SEV_MEDIUM, "app/services/other.py", 5, "generic function");
    f8->function = pa_xstrdup("get");
    pa_aggregate(&x.run);

    struct pa_finding *g = find_issue(&x, "path match");
    CHECK(g->advisory);
    CHECK(contains(g->advisory_note, "[Planned: ADR-007]"));
    CHECK(contains(g->evidence, "Rule 1"));
    CHECK(g->severity == PA_SEV_HIGH);  /* advisory keeps its severity */
    g = find_issue(&x, "stem+rule match");
    CHECK(g->advisory);
    CHECK(contains(g->advisory_note, "ADR-012"));
    CHECK(!find_issue(&x, "unrelated")->advisory);
    CHECK(!find_issue(&x, "superseded adr")->advisory);
    CHECK(find_issue(&x, "method match")->advisory);
    CHECK(contains(find_issue(&x, "method match")->advisory_note, "ADR-030"));
    CHECK(!find_issue(&x, "token boundary")->advisory);
    CHECK(!find_issue(&x, "hot path")->advisory);
    CHECK(!find_issue(&x, "generic function")->advisory);
    CHECK(find_issue(&x, "refund wide")->advisory);     /* base name + the rule in words */
    CHECK(contains(find_issue(&x, "refund wide")->advisory_note, "ADR-040"));
    CHECK(!find_issue(&x, "refund concat")->advisory);  /* same file, another problem */
    CHECK_INT(x.run.nadvisory, 4);

    char *md = pa_report_consolidated_md(&x.run);
    CHECK(contains(md, "Rule 1 (ADR/planned) [Planned: ADR-007]"));
    CHECK(contains(md, "docs/adr/007-uploads.md (ADR-007)"));  /* sources consulted */
    free(md);
    char *w = pa_report_worker_md(&x.run, PA_CAT_RUNTIME);
    CHECK(contains(w, "### Advisory"));
    const char *fi = strstr(w, "## Findings");
    const char *adv = strstr(w, "### Advisory");
    CHECK(fi && adv && fi < adv);
    /* the advisory finding is not in the main table */
    const char *pm = fi ? strstr(fi, "path match") : NULL;
    CHECK(pm && adv && pm > adv);
    free(w);
    fx_free(&x);

    /* missing_rollback at CRITICAL is exempt even when an ADR names the file */
    fx_init(&x);
    add_adr(&x, "ADR-001", "Sessions", "docs/adr/001.md", NULL, "see app/db.py for the session plan");
    add(&x, "PA204", PA_SEV_CRITICAL, "app/db.py", 3, "critical rollback");
    add(&x, "PA204", PA_SEV_MEDIUM, "app/db.py", 9, "medium rollback");
    pa_aggregate(&x.run);
    CHECK(!find_issue(&x, "critical rollback")->advisory);
    CHECK(find_issue(&x, "medium rollback")->advisory);
    fx_free(&x);
}

/* ---- Rule 6 -------------------------------------------------------------- */
static void test_rule6(void)
{
    struct fx x;
    fx_init(&x);
    struct pa_file_facts *a = fx_file(&x, "app/main.py", "app.main");
    add_func(a, "lifespan", "lifespan", 1, 20, true);           /* 0: bootstrap */
    add_func(a, "handler", "handler", 30, 40, true);            /* 1: nothing */
    add_func(a, "startup_checks", "startup_checks", 50, 70, true); /* 2: bootstrap + timeout + small data */
    add_call(a, 2, "requests.get", "requests", "get", 55, "timeout");
    struct pa_loop l = {0};
    l.func = 2;
    l.parent = -1;
    l.kind = PA_LOOP_FOR;
    l.iter_kind = PA_EXPR_LIST;
    l.iter_flags = PA_XF_LITERAL;
    l.iter_nelems = 3;
    l.line = 52;
    l.end_line = 60;
    l.iter_call = l.with = -1;
    pa_vec_push(&a->loops, l);
    add_func(a, "setup_cache", "Cache.setup_cache", 80, 90, true); /* 3: bootstrap + range(10) + named literal */
    add_call(a, 3, "range", NULL, "range", 81, NULL);
    a->calls.v[a->calls.n - 1].args = pa_arena_alloc(&a->arena, sizeof(struct pa_arg));
    a->calls.v[a->calls.n - 1].args[0] = (struct pa_arg){.kw = NULL, .kind = PA_EXPR_NUM, .flags = 0, .text = "10", .call = -1, .func = -1, .nelems = 0};
    a->calls.v[a->calls.n - 1].nargs = 1;
    struct pa_loop rl = l;
    rl.func = 3;
    rl.iter_kind = PA_EXPR_CALL;
    rl.iter_flags = 0;
    rl.iter_nelems = 0;
    rl.iter_call = (int32_t)(a->calls.n - 1);
    rl.line = 81;
    rl.end_line = 85;
    pa_vec_push(&a->loops, rl);
    add_func(a, "warm", "warm", 100, 110, true); /* 4: loop over a module-level literal name */
    struct pa_assign as = {0};
    as.func = -1;
    as.cls = -1;
    as.target = "HOSTS";
    as.target_kind = PA_EXPR_NAME;
    as.op = "=";
    as.value_kind = PA_EXPR_TUPLE;
    as.value_flags = PA_XF_LITERAL;
    as.value_nelems = 4;
    as.value_call = as.loop = as.with = as.try_ = -1;
    pa_vec_push(&a->assigns, as);
    struct pa_loop nl = l;
    nl.func = 4;
    nl.iter_kind = PA_EXPR_NAME;
    nl.iter_flags = 0;
    nl.iter = "HOSTS";
    nl.line = 101;
    pa_vec_push(&a->loops, nl);
    struct pa_file_facts *t = fx_file(&x, "app/tasks/report.py", "app.tasks.report");
    add_func(t, "build", "build", 1, 30, true);  /* background */
    add_call(t, 0, "asyncio.wait_for", "asyncio", "wait_for", 5, NULL);
    struct pa_loop big = l;
    big.func = 0;
    big.iter_nelems = 500;  /* not small */
    big.line = 2;
    pa_vec_push(&t->loops, big);
    fx_sort_files(&x);

    struct pa_finding *f;
    f = add(&x, "PA301", PA_SEV_HIGH, "app/main.py", 10, "in lifespan");
    f->function = pa_xstrdup("lifespan");
    f = add(&x, "PA301", PA_SEV_HIGH, "app/main.py", 35, "in handler");
    f->function = pa_xstrdup("handler");
    f = add(&x, "PA305", PA_SEV_MEDIUM, "app/main.py", 56, "startup advisory");
    f->function = pa_xstrdup("startup_checks");
    f = add(&x, "PA301", PA_SEV_HIGH, "app/tasks/report.py", 6, "task two points");
    f->function = pa_xstrdup("build");
    f = add(&x, "PA202", PA_SEV_LOW, "app/main.py", 12, "low stays low");
    f->function = pa_xstrdup("lifespan");
    f = add(&x, "PA303", PA_SEV_HIGH, "app/main.py", 11, "not a rule 6 check");
    f->function = pa_xstrdup("lifespan");
    f = add(&x, "PA101", PA_SEV_MEDIUM, "app/cli.py", 3, "bootstrap entry");
    f->entry = PA_ENTRY_BOOTSTRAP;
    f = add(&x, "PA202", PA_SEV_HIGH, "app/main.py", 82, "range loop");
    f->function = pa_xstrdup("Cache.setup_cache");
    f = add(&x, "PA301", PA_SEV_HIGH, "app/main.py", 102, "named literal loop");
    f->function = pa_xstrdup("warm");
    f = add(&x, "PA301", PA_SEV_HIGH, "app/jobs/x.py", 3, "background entry");
    f->entry = PA_ENTRY_BACKGROUND;
    f->function = pa_xstrdup("setup_job");
    pa_aggregate(&x.run);

    f = find_issue(&x, "in lifespan");
    CHECK(!f->advisory);
    CHECK(f->severity == PA_SEV_MEDIUM);
    CHECK(f->original_severity == PA_SEV_HIGH);
    CHECK(contains(f->evidence, "Rule 6"));
    CHECK(contains(f->evidence, "startup/setup function"));
    f = find_issue(&x, "in handler");
    CHECK(f->severity == PA_SEV_HIGH && !f->advisory && f->evidence == NULL);
    f = find_issue(&x, "startup advisory");
    CHECK(f->advisory);
    CHECK(f->severity == PA_SEV_MEDIUM);
    CHECK(contains(f->advisory_note, "Rule 6"));
    CHECK(contains(f->evidence, "timeout/safeguard"));
    CHECK(contains(f->evidence, "small literal data"));
    f = find_issue(&x, "task two points");
    CHECK(!f->advisory);
    CHECK(f->severity == PA_SEV_MEDIUM);  /* 2 points: one level down only */
    CHECK(contains(f->evidence, "background"));
    CHECK(!contains(f->evidence, "small literal"));  /* 500 items is not small */
    f = find_issue(&x, "low stays low");
    CHECK(f->severity == PA_SEV_LOW && !f->advisory);
    f = find_issue(&x, "not a rule 6 check");
    CHECK(f->severity == PA_SEV_HIGH && f->evidence == NULL);
    f = find_issue(&x, "bootstrap entry");
    CHECK(f->severity == PA_SEV_LOW);
    f = find_issue(&x, "background entry");
    CHECK(f->severity == PA_SEV_MEDIUM);  /* bootstrap name + background = 2 */
    f = find_issue(&x, "range loop");
    CHECK(f->severity == PA_SEV_MEDIUM);  /* bootstrap + range(10) = 2: one level down */
    CHECK(contains(f->evidence, "small literal data"));
    f = find_issue(&x, "named literal loop");
    CHECK(f->severity == PA_SEV_MEDIUM);
    CHECK(contains(f->evidence, "small literal data"));
    /* downgraded findings are scored at their new severity */
    CHECK_INT(x.run.counts[PA_CAT_RUNTIME][PA_SEV_HIGH], 2);
    char *md = pa_report_worker_md(&x.run, PA_CAT_RUNTIME);
    CHECK(contains(md, "severity lowered from HIGH"));
    CHECK(contains(md, "Rule 6 (execution context)"));
    free(md);
    fx_free(&x);
}

/* ---- markdown ------------------------------------------------------------ */
static void fill_sample(struct fx *x)
{
    struct pa_finding *f = add(x, "PA107", PA_SEV_HIGH, "app/q.py", 12, "query a | b per item via load() → get()");
    pa_finding_add_trace(f, "app/q.py", 3, "loop in load()");
    add(x, "PA105", PA_SEV_MEDIUM, "app/q.py", 20, "add per item in outer.<locals>.save");
    add(x, "PA204", PA_SEV_CRITICAL, "app/t.py", 7, "no rollback");
    add(x, "PA304", PA_SEV_LOW, "app/r.py", 4, "string +=");
    struct pa_finding *adv = add(x, "PA301", PA_SEV_HIGH, "app/r.py", 9, "advisory one");
    adv->advisory = true;
    adv->advisory_note = pa_xstrdup("[Planned: ADR-009] Async IO");
    adv->evidence = pa_xstrdup("Rule 1 (ADR/planned): ADR-009 (docs/adr/9.md) mentions app/r.py");
    x->run.results[PA_CAT_QUERY].checks[6].status = PA_CHECK_FAILED;
    struct pa_skipped s = {pa_xstrdup("app/broken.py"), pa_xstrdup("syntax errors: 3 | partial")};
    pa_vec_push(&x->run.skipped, s);
    pa_tech_set(&x->run.ctx.framework, "FastAPI", "0.110", "pyproject.toml");
    pa_tech_set(&x->run.ctx.database, "PostgreSQL", "16", "docker-compose.yml");
    x->run.ctx.best_practices = cJSON_Parse(
        "[{\"topic\": \"n+1\", \"url\": \"https://docs.sqlalchemy.org/en/20/orm/queryguide/relationships.html\"},"
        " {\"topic\": \"async\", \"urls\": [\"https://fastapi.tiangolo.com/async/\"]}]");
}

static void test_worker_md(void)
{
    struct fx x;
    fx_init(&x);
    fill_sample(&x);
    pa_aggregate(&x.run);
    char *p = pa_report_worker_path(&x.run, PA_CAT_QUERY);
    CHECK_STR(p, "docs/project/.audit/ln-650/2026-11-24/651-query-efficiency.md");
    free(p);
    p = pa_report_worker_path(&x.run, PA_CAT_RUNTIME);
    CHECK_STR(p, "docs/project/.audit/ln-650/2026-11-24/653-runtime-performance.md");
    free(p);
    char *md = pa_report_worker_md(&x.run, PA_CAT_QUERY);
    CHECK(contains(md, "<!-- AUDIT-META\nworker: ln-651\ncategory: query_efficiency\ndomain: persistence\n"
                       "scan_path: proj\nscore: 8.5\ntotal_issues: 2\ncritical: 0\nhigh: 1\nmedium: 1\nlow: 0\n"
                       "status: complete\n-->"));
    CHECK(contains(md, "Score: 8.5/10 | Issues: 2 (C:0 H:1 M:1 L:0)"));
    const char *order[] = {"# Query Efficiency Audit Report", "<!-- AUDIT-META", "Score: 8.5/10", "## Checks",
                           "| ID | Check | Status | Details |", "| redundant_fetch |", "| query_in_loop |",
                           "## Findings", "| Severity | Location | Issue | Principle | Recommendation | Effort |",
                           "| HIGH | app/q.py:12 |", "| MEDIUM | app/q.py:20 |", NULL};
    CHECK(in_order(md, order));
    CHECK(contains(md, "query a \\| b per item via load() → get()"));  /* '|' escaped */
    CHECK(contains(md, "examined 3 sites \\| ok"));
    CHECK(contains(md, "add per item in outer.&lt;locals>.save"));  /* no raw HTML tag */
    CHECK(contains(md, "| failed |"));
    CHECK(!contains(md, "### Advisory"));  /* none in this category */
    size_t n, rules_in_cat = 0;
    const struct pa_rule_meta *all = pa_rules_all(&n);
    for (size_t i = 0; i < n; i++)
        if (all[i].category == PA_CAT_QUERY) rules_in_cat += contains(md, all[i].check) ? 1 : 0;
    CHECK_INT(rules_in_cat, 7);
    free(md);
    md = pa_report_worker_md(&x.run, PA_CAT_RUNTIME);
    CHECK(contains(md, "worker: ln-653\n"));
    CHECK(contains(md, "### Advisory"));
    CHECK(contains(md, "| HIGH | app/r.py:9 | PA301 blocking_io_in_async | advisory one |"));
    free(md);
    fx_free(&x);

    /* no findings: a clean report */
    fx_init(&x);
    pa_aggregate(&x.run);
    md = pa_report_worker_md(&x.run, PA_CAT_TRANSACTION);
    CHECK(contains(md, "score: 10.0\ntotal_issues: 0\n"));
    CHECK(contains(md, "No issues found."));
    free(md);
    fx_free(&x);
}

static void test_consolidated_md(void)
{
    struct fx x;
    fx_init(&x);
    fill_sample(&x);
    pa_aggregate(&x.run);
    char *md = pa_report_consolidated_md(&x.run);
    const char *order[] = {"# Persistence & Performance Audit — 2026-11-24",
                           "## Executive Summary",
                           "Overall score: **",
                           "Detected stack:",
                           "## Compliance Score",
                           "| Query Efficiency | 8.5/10 |",
                           "| **Overall** |",
                           "## Severity Summary",
                           "| CRITICAL | 0 | 1 | 0 | 1 |",
                           "## Findings by Category",
                           "### Query Efficiency (8.5/10)",
                           "### Transaction Correctness (8.0/10)",
                           "### Runtime Performance (9.8/10)",
                           "## Advisory Findings",
                           "advisory one",
                           "## Recommended Actions",
                           "| 1 | CRITICAL | PA204 missing_rollback |",
                           "| 2 | HIGH | PA107 query_in_loop |",
                           "## Skipped Files",
                           "app/broken.py",
                           "## Sources Consulted",
                           "https://docs.sqlalchemy.org/en/20/orm/queryguide/relationships.html",
                           NULL};
    CHECK(in_order(md, order));
    CHECK(contains(md, "FastAPI 0.110"));
    CHECK(contains(md, "PostgreSQL 16"));
    CHECK(contains(md, "https://fastapi.tiangolo.com/async/"));
    CHECK(contains(md, "docs/rules/PA107.md"));
    CHECK(!contains(md, "docs/rules/PA306.md"));  /* did not fire */
    CHECK(contains(md, "syntax errors: 3 \\| partial"));
    CHECK(!contains(md, "## Suppressions"));  /* none */
    CHECK(contains(md, "Top risks: PA204"));
    char *md2 = pa_report_consolidated_md(&x.run);
    CHECK_STR(md, md2);
    free(md), free(md2);
    fx_free(&x);

    fx_init(&x);
    pa_aggregate(&x.run);
    md = pa_report_consolidated_md(&x.run);
    CHECK(!contains(md, "## Skipped Files"));
    CHECK(contains(md, "| **Overall** | **10.0/10** |"));
    const char *order2[] = {"## Advisory Findings", "None.", "## Recommended Actions", "## Sources Consulted", NULL};
    CHECK(in_order(md, order2));
    free(md);
    fx_free(&x);
}

/* ---- JSON ---------------------------------------------------------------- */
static void test_json(void)
{
    struct fx x;
    fx_init(&x);
    fill_sample(&x);
    struct pa_finding *odd = add(&x, "PA306", PA_SEV_LOW, "app/z.py", 1, "quote \" backslash \\ tab\t nl\n ctl\x01 bad\xff");
    (void)odd;
    pa_aggregate(&x.run);
    char *js = pa_report_json(&x.run);
    cJSON *j = cJSON_Parse(js);
    CHECK(j != NULL);
    if (!j) { fprintf(stderr, "%s\n", js); free(js); fx_free(&x); return; }
    const char *top[] = {"tool", "date", "root", "context", "overall_score", "categories", "findings", "skipped_files"};
    int i = 0;
    for (cJSON *c = j->child; c && i < 8; c = c->next, i++) CHECK_STR(c->string, top[i]);
    CHECK_INT(cJSON_GetArraySize(j), 8);
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "tool"), "name")->valuestring, "pa-audit");
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "tool"), "version")->valuestring, PA_VERSION);
    CHECK_STR(cJSON_GetObjectItem(j, "date")->valuestring, "2026-11-24");
    CHECK_STR(cJSON_GetObjectItem(j, "root")->valuestring, "proj");
    CHECK(cJSON_IsObject(cJSON_GetObjectItem(j, "context")));
    CHECK(cJSON_GetObjectItem(j, "overall_score")->valuedouble == x.run.overall);
    cJSON *cats = cJSON_GetObjectItem(j, "categories");
    CHECK_INT(cJSON_GetArraySize(cats), 3);
    cJSON *q = cJSON_GetArrayItem(cats, 0);
    CHECK_STR(cJSON_GetObjectItem(q, "id")->valuestring, "query_efficiency");
    CHECK_STR(cJSON_GetObjectItem(q, "name")->valuestring, "Query Efficiency");
    CHECK(cJSON_GetObjectItem(q, "score")->valuedouble == 8.5);
    CHECK_INT(cJSON_GetObjectItem(q, "high")->valueint, 1);
    CHECK_INT(cJSON_GetObjectItem(q, "critical")->valueint, 0);
    CHECK(cJSON_GetObjectItem(q, "medium") && cJSON_GetObjectItem(q, "low"));
    cJSON *checks = cJSON_GetObjectItem(q, "checks");
    CHECK_INT(cJSON_GetArraySize(checks), 7);
    cJSON *ch0 = cJSON_GetArrayItem(checks, 0);
    CHECK_STR(cJSON_GetObjectItem(ch0, "id")->valuestring, "redundant_fetch");
    CHECK_STR(cJSON_GetObjectItem(ch0, "rule")->valuestring, "PA101");
    CHECK(cJSON_GetObjectItem(ch0, "name") && cJSON_GetObjectItem(ch0, "details"));
    CHECK_STR(cJSON_GetObjectItem(ch0, "status")->valuestring, "passed");
    cJSON *fs = cJSON_GetObjectItem(j, "findings");
    CHECK_INT(cJSON_GetArraySize(fs), 6);
    const char *fkeys[] = {"rule", "check", "category", "severity", "original_severity", "advisory", "baseline",
                           "path", "line", "column", "end_line", "issue", "principle", "recommendation", "effort",
                           "trace", "fingerprint"};
    cJSON *f0 = cJSON_GetArrayItem(fs, 0);
    i = 0;
    int keys_ok = 1;
    for (cJSON *c = f0 ? f0->child : NULL; c; c = c->next, i++) keys_ok &= i < 17 && strcmp(c->string, fkeys[i]) == 0;
    CHECK(keys_ok && i == 17);
    CHECK_STR(cJSON_GetObjectItem(f0, "severity")->valuestring, "CRITICAL");
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(f0, "advisory")));
    /* sorted by severity, then path */
    int sorted = 1;
    const char *sev_order = "CRITICALHIGHMEDIUMLOW";
    for (int k = 1; k < cJSON_GetArraySize(fs); k++) {
        const char *a = cJSON_GetObjectItem(cJSON_GetArrayItem(fs, k - 1), "severity")->valuestring;
        const char *b = cJSON_GetObjectItem(cJSON_GetArrayItem(fs, k), "severity")->valuestring;
        sorted &= strstr(sev_order, a) <= strstr(sev_order, b);
    }
    CHECK(sorted);
    cJSON *withtrace = NULL;
    cJSON *it;
    cJSON_ArrayForEach(it, fs)
        if (cJSON_GetArraySize(cJSON_GetObjectItem(it, "trace")) > 0) withtrace = it;
    CHECK(withtrace != NULL);
    if (withtrace) {
        cJSON *st = cJSON_GetArrayItem(cJSON_GetObjectItem(withtrace, "trace"), 0);
        CHECK_STR(cJSON_GetObjectItem(st, "path")->valuestring, "app/q.py");
        CHECK_INT(cJSON_GetObjectItem(st, "line")->valueint, 3);
        CHECK_STR(cJSON_GetObjectItem(st, "note")->valuestring, "loop in load()");
    }
    cJSON *last = cJSON_GetArrayItem(fs, 5);
    CHECK_STR(cJSON_GetObjectItem(last, "issue")->valuestring, "quote \" backslash \\ tab\t nl\n ctl\x01 bad\xef\xbf\xbd");
    cJSON *sk = cJSON_GetObjectItem(j, "skipped_files");
    CHECK_INT(cJSON_GetArraySize(sk), 1);
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(sk, 0), "path")->valuestring, "app/broken.py");
    /* score text always has one decimal */
    CHECK(contains(js, "\"score\": 8.0,"));  /* an integral score keeps one decimal */
    CHECK(contains(js, "\"score\": 8.5"));
    char *js2 = pa_report_json(&x.run);
    CHECK_STR(js, js2);
    free(js2);
    cJSON_Delete(j);
    free(js);
    fx_free(&x);

    fx_init(&x);
    pa_aggregate(&x.run);
    js = pa_report_json(&x.run);
    CHECK(contains(js, "\"overall_score\": 10.0,"));
    CHECK(contains(js, "\"findings\": [],"));
    CHECK(contains(js, "\"skipped_files\": []"));
    j = cJSON_Parse(js);
    CHECK(j != NULL);
    cJSON_Delete(j);
    free(js);
    fx_free(&x);
}

/* ---- SARIF, GitHub, text ------------------------------------------------- */
static void test_sarif(void)
{
    struct fx x;
    fx_init(&x);
    fill_sample(&x);
    add(&x, "PA303", PA_SEV_HIGH, "app/dir with space/x.py", 2, "space path");
    pa_aggregate(&x.run);
    char *s = pa_report_sarif(&x.run);
    cJSON *j = cJSON_Parse(s);
    CHECK(j != NULL);
    if (!j) { free(s); fx_free(&x); return; }
    CHECK(contains(cJSON_GetObjectItem(j, "$schema")->valuestring, "sarif-schema-2.1.0.json"));
    CHECK_STR(cJSON_GetObjectItem(j, "version")->valuestring, "2.1.0");
    cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "runs"), 0);
    cJSON *drv = cJSON_GetObjectItem(cJSON_GetObjectItem(run, "tool"), "driver");
    CHECK_STR(cJSON_GetObjectItem(drv, "name")->valuestring, "pa-audit");
    CHECK(cJSON_GetObjectItem(drv, "version") && cJSON_GetObjectItem(drv, "informationUri"));
    cJSON *rules = cJSON_GetObjectItem(drv, "rules");
    size_t nrules;
    pa_rules_all(&nrules);
    CHECK_INT(cJSON_GetArraySize(rules), nrules);
    cJSON *r0 = cJSON_GetArrayItem(rules, 0);
    CHECK_STR(cJSON_GetObjectItem(r0, "id")->valuestring, "PA101");
    CHECK_STR(cJSON_GetObjectItem(r0, "name")->valuestring, "redundant_fetch");
    CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(r0, "shortDescription"), "text") != NULL);
    CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(r0, "fullDescription"), "text") != NULL);
    CHECK(cJSON_GetObjectItem(r0, "helpUri") != NULL);
    CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(r0, "help"), "text") != NULL);
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(r0, "defaultConfiguration"), "level")->valuestring, "warning");
    CHECK(cJSON_IsArray(cJSON_GetObjectItem(cJSON_GetObjectItem(r0, "properties"), "tags")));
    CHECK(!contains(s, "security-severity"));
    cJSON *res = cJSON_GetObjectItem(run, "results");
    CHECK_INT(cJSON_GetArraySize(res), 6);
    int levels_ok = 1, idx_ok = 1, fp_ok = 1;
    cJSON *it;
    cJSON_ArrayForEach(it, res) {
        const char *rid = cJSON_GetObjectItem(it, "ruleId")->valuestring;
        int ri = cJSON_GetObjectItem(it, "ruleIndex")->valueint;
        idx_ok &= strcmp(cJSON_GetObjectItem(cJSON_GetArrayItem(rules, ri), "id")->valuestring, rid) == 0;
        const char *lvl = cJSON_GetObjectItem(it, "level")->valuestring;
        const char *sev = cJSON_GetObjectItem(cJSON_GetObjectItem(it, "properties"), "severity")->valuestring;
        bool adv = cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(it, "properties"), "advisory"));
        const char *want = adv ? "note" : (!strcmp(sev, "CRITICAL") || !strcmp(sev, "HIGH")) ? "error"
                                          : !strcmp(sev, "MEDIUM") ? "warning" : "note";
        levels_ok &= strcmp(lvl, want) == 0;
        cJSON *pf = cJSON_GetObjectItem(cJSON_GetObjectItem(it, "partialFingerprints"), "paAudit/v1");
        fp_ok &= pf && strlen(pf->valuestring) == 16;
    }
    CHECK(levels_ok);
    CHECK(idx_ok);
    CHECK(fp_ok);
    cJSON *r_first = cJSON_GetArrayItem(res, 0);
    cJSON *loc = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r_first, "locations"), 0), "physicalLocation");
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(loc, "artifactLocation"), "uri")->valuestring, "app/t.py");
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(loc, "artifactLocation"), "uriBaseId")->valuestring, "%SRCROOT%");
    cJSON *reg = cJSON_GetObjectItem(loc, "region");
    CHECK_INT(cJSON_GetObjectItem(reg, "startLine")->valueint, 7);
    CHECK_INT(cJSON_GetObjectItem(reg, "startColumn")->valueint, 5);
    CHECK_INT(cJSON_GetObjectItem(reg, "endLine")->valueint, 7);
    CHECK(contains(s, "\"relatedLocations\""));
    CHECK(contains(s, "app/dir%20with%20space/x.py"));
    CHECK(!contains(s, "baselineState"));  /* no --baseline given */
    cJSON_Delete(j);
    free(s);
    fx_free(&x);
}

static void test_github(void)
{
    struct fx x;
    fx_init(&x);
    add(&x, "PA204", PA_SEV_CRITICAL, "app/a,b:c.py", 7, "100% broken\nsecond line, really: yes");
    add(&x, "PA105", PA_SEV_MEDIUM, "app/m.py", 3, "medium");
    add(&x, "PA304", PA_SEV_LOW, "app/l.py", 4, "low");
    struct pa_finding *adv = add(&x, "PA301", PA_SEV_HIGH, "app/h.py", 5, "advisory high");
    adv->advisory = true;
    pa_aggregate(&x.run);
    char *g = pa_report_github(&x.run);
    CHECK(contains(g, "::error file=app/a%2Cb%3Ac.py,line=7,col=5,endLine=7,title=PA204::"));
    CHECK(contains(g, "100%25 broken%0Asecond line, really: yes"));
    CHECK(contains(g, "::warning file=app/m.py,line=3,"));
    CHECK(contains(g, "::notice file=app/l.py,line=4,"));
    CHECK(contains(g, "::notice file=app/h.py,line=5,"));
    int lines = 0;
    for (const char *p = g; *p; p++) lines += *p == '\n';
    CHECK_INT(lines, 4);
    free(g);
    fx_free(&x);
}

static void test_text(void)
{
    struct fx x;
    fx_init(&x);
    fill_sample(&x);
    x.opts.no_write = false;
    pa_aggregate(&x.run);
    char *t = pa_report_text(&x.run, false);
    const char *order[] = {"Report written: docs/project/.audit/ln-650/2026-11-24/651-query-efficiency.md\n"
                           "Score: 8.5/10 | Issues: 2 (C:0 H:1 M:1 L:0)\n",
                           "Report written: docs/project/.audit/ln-650/2026-11-24/652-transaction-correctness.md\n",
                           "Report written: docs/project/.audit/ln-650/2026-11-24/653-runtime-performance.md\n",
                           "  app/q.py:12:5 HIGH PA107 query a | b per item",
                           "  app/q.py:20:5 MEDIUM PA105 add per item",
                           "  app/r.py:4:5 LOW PA304",
                           "  app/r.py:9:5 HIGH PA301 advisory one (advisory: [Planned: ADR-009] Async IO)",
                           "  app/t.py:7:5 CRITICAL PA204 no rollback",
                           "Overall: 8.8/10 | Issues: 4 (C:1 H:1 M:1 L:1) | advisory: 1 | report: docs/project/persistence_audit.md\n",
                           NULL};
    CHECK(in_order(t, order));
    CHECK(!contains(t, "\033["));
    free(t);
    t = pa_report_text(&x.run, true);
    CHECK(contains(t, "\033[1;31mCRITICAL\033[0m"));
    free(t);
    x.opts.no_write = true;
    t = pa_report_text(&x.run, false);
    CHECK(contains(t, "Report: (not written, --no-write)\nScore: 8.5/10"));
    CHECK(!contains(t, "Report written"));
    free(t);
    fx_free(&x);
}

static void test_write_files(void)
{
    struct fx x;
    fx_init(&x);
    char *root = tmp_path("root");
    mkdir(root, 0755);
    free(x.run.ctx.root);
    x.run.ctx.root = pa_xstrdup(root);
    fill_sample(&x);
    pa_aggregate(&x.run);
    /* an earlier date folder must survive */
    char *old = pa_xasprintf("%s/docs/project/.audit/ln-650/2026-01-01/651-query-efficiency.md", root);
    write_text(old, "old report\n");
    x.opts.no_write = true;
    CHECK(pa_report_write_files(&x.run) == PA_OK);
    CHECK_INT(x.run.written.n, 0);
    x.opts.no_write = false;
    CHECK(pa_report_write_files(&x.run) == PA_OK);
    CHECK_INT(x.run.written.n, 4);
    CHECK_STR(x.run.written.v[3], "docs/project/persistence_audit.md");
    for (size_t i = 0; i < x.run.written.n; i++) {
        char *full = pa_path_join(root, x.run.written.v[i]);
        CHECK(pa_path_is_file(full));
        free(full);
    }
    CHECK(pa_path_is_file(old));
    char *cons = pa_xasprintf("%s/docs/project/persistence_audit.md", root);
    char *text;
    size_t len;
    const char *reason;
    CHECK(pa_file_read(cons, 1 << 20, &text, &len, &reason) == PA_OK);
    char *expect = pa_report_consolidated_md(&x.run);
    CHECK_STR(text, expect);
    free(text), free(expect), free(cons);
    char *cmd = pa_xasprintf("rm -rf '%s'", root);
    CHECK(system(cmd) == 0);
    free(cmd), free(old), free(root);
    fx_free(&x);
}

/* ---- golden files (tests/report/) ------------------------------------------
 * The sample run's markdown, text and GitHub outputs are compared byte for
 * byte with the .golden files in tests/report/ (the version string is normalised to
 * X.Y.Z). Regenerate after an intended format change with
 * PA_UPDATE_GOLDEN=1 ./test_report and review the diff. */
static char *normalise_version(const char *s)
{
    pa_buf b;
    pa_buf_init(&b);
    size_t vl = strlen(PA_VERSION);
    for (const char *p = s; *p;) {
        if (strncmp(p, PA_VERSION, vl) == 0) { pa_buf_puts(&b, "X.Y.Z"); p += vl; }
        else pa_buf_putc(&b, *p++);
    }
    return pa_buf_take(&b);
}

static void check_golden(const char *name, const char *actual)
{
    char *path = pa_xasprintf("%s/report/%s.golden", PA_TESTS_DIR, name);
    char *norm = normalise_version(actual);
    if (getenv("PA_UPDATE_GOLDEN")) pa_file_write_atomic(path, norm, strlen(norm));
    char *want = NULL;
    size_t len;
    const char *reason;
    bool ok = pa_file_read(path, 1 << 22, &want, &len, &reason) == PA_OK && strcmp(want, norm) == 0;
    if (!ok) {
        const char *a = norm, *b = want ? want : "";
        int line = 1;
        while (*a && *a == *b) line += *a++ == '\n', b++;
        fprintf(stderr, "golden %s differs at line %d (PA_UPDATE_GOLDEN=1 regenerates)\n", path, line);
    }
    CHECK(ok);
    free(want), free(norm), free(path);
}

static void test_golden(void)
{
    struct fx x;
    fx_init(&x);
    fill_sample(&x);
    struct pa_file_facts *f = fx_file(&x, "app/q.py", "app.q");
    add_supp(f, 30, 31, "PA107", "bulk job, reviewed");
    add(&x, "PA107", PA_SEV_HIGH, "app/q.py", 31, "suppressed n+1");
    x.opts.no_write = false;
    pa_aggregate(&x.run);
    char *s;
    static const char *const names[] = {"651-query-efficiency.md", "652-transaction-correctness.md",
                                        "653-runtime-performance.md"};
    for (int c = 0; c < PA_CAT__COUNT; c++) {
        s = pa_report_worker_md(&x.run, (pa_category)c);
        check_golden(names[c], s);
        free(s);
    }
    s = pa_report_consolidated_md(&x.run);
    check_golden("persistence_audit.md", s);
    free(s);
    s = pa_report_text(&x.run, false);
    check_golden("summary.txt", s);
    free(s);
    s = pa_report_github(&x.run);
    check_golden("github.txt", s);
    free(s);
    fx_free(&x);
}

int main(void)
{
    pa_log_set_level(PA_LOG_QUIET);
    test_score_formula();
    test_score_run();
    test_suppression();
    test_fingerprints();
    test_baseline();
    test_rule1();
    test_rule6();
    test_worker_md();
    test_consolidated_md();
    test_json();
    test_sarif();
    test_github();
    test_text();
    test_write_files();
    test_golden();
    return test_done("test_report");
}
