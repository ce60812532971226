/* test_findings.c - findings lists (src/core/findings.c): creation, copies,
 * trace steps, moving lists, the total sort order, check-status names. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pa/finding.h"

static void test_add_and_trace(void)
{
    pa_findings fs;
    pa_findings_init(&fs);
    const struct pa_rule_meta *r = pa_rule_find("PA301");
    char path[] = "app/api/files.py";
    char issue[] = "requests.get() in async def upload()";
    struct pa_finding *f = pa_findings_add(&fs, r, PA_SEV_HIGH, path, 44, 9, 44, issue, "use httpx.AsyncClient", "S");
    path[0] = 'X';  /* strings are copied */
    issue[0] = 'X';
    CHECK(fs.items.n == 1);
    CHECK(fs.items.v[0] == f);
    CHECK(f->rule == r);
    CHECK_STR(f->path, "app/api/files.py");
    CHECK_STR(f->issue, "requests.get() in async def upload()");
    CHECK_STR(f->recommendation, "use httpx.AsyncClient");
    CHECK_STR(f->effort, "S");
    CHECK(f->severity == PA_SEV_HIGH);
    CHECK(f->original_severity == PA_SEV_HIGH);
    CHECK(!f->advisory && !f->baseline);
    CHECK_INT(f->line, 44);
    CHECK_INT(f->column, 9);
    CHECK_INT(f->end_line, 44);
    CHECK(f->fingerprint == NULL && f->evidence == NULL && f->advisory_note == NULL);

    pa_finding_add_trace(f, "app/api/files.py", 40, "async handler upload()");
    pa_finding_add_trace(f, "app/storage.py", 12, NULL);
    CHECK_INT(f->ntrace, 2);
    CHECK_STR(f->trace[0].note, "async handler upload()");
    CHECK_STR(f->trace[1].path, "app/storage.py");
    CHECK_INT(f->trace[1].line, 12);
    CHECK(f->trace[1].note == NULL);

    /* defaults: missing issue takes the rule title; line 0 → 1; end_line ≥ line */
    struct pa_finding *g = pa_findings_add(&fs, r, PA_SEV_LOW, "a.py", 0, 0, 0, NULL, NULL, NULL);
    CHECK_STR(g->issue, r->title);
    CHECK_INT(g->line, 1);
    CHECK_INT(g->column, 1);
    CHECK_INT(g->end_line, 1);
    CHECK(g->recommendation == NULL);
    CHECK(g->effort != NULL);
    pa_findings_free(&fs);
    CHECK(fs.items.n == 0 && fs.items.v == NULL);
}

static void test_move(void)
{
    pa_findings a, b;
    pa_findings_init(&a);
    pa_findings_init(&b);
    const struct pa_rule_meta *r = pa_rule_find("PA101");
    pa_findings_add(&a, r, PA_SEV_MEDIUM, "a.py", 1, 1, 1, "a1", NULL, "S");
    pa_findings_add(&b, r, PA_SEV_MEDIUM, "b.py", 1, 1, 1, "b1", NULL, "S");
    pa_findings_add(&b, r, PA_SEV_MEDIUM, "b.py", 2, 1, 2, "b2", NULL, "S");
    pa_findings_move(&a, &b);
    CHECK_INT(a.items.n, 3);
    CHECK_INT(b.items.n, 0);
    CHECK(b.items.v == NULL);
    CHECK_STR(a.items.v[0]->issue, "a1");
    CHECK_STR(a.items.v[2]->issue, "b2");
    pa_findings_move(&a, &b);  /* empty source */
    CHECK_INT(a.items.n, 3);
    pa_findings_move(&a, &a);  /* self: no-op */
    CHECK_INT(a.items.n, 3);
    pa_findings_free(&a);
    pa_findings_free(&b);
}

static unsigned g_seed = 12345;
static unsigned rnd(void)
{
    g_seed = g_seed * 1103515245u + 12345u;
    return (g_seed >> 16) & 0x7fff;
}

static void test_sort(void)
{
    pa_findings fs;
    pa_findings_init(&fs);
    struct { const char *rule; pa_severity sev; const char *path; uint32_t line, col; const char *issue; } in[] = {
        {"PA304", PA_SEV_LOW, "a.py", 1, 1, "i0"},
        {"PA301", PA_SEV_HIGH, "b.py", 10, 5, "i1"},
        {"PA204", PA_SEV_CRITICAL, "z.py", 99, 1, "i2"},
        {"PA301", PA_SEV_HIGH, "a.py", 10, 5, "i3"},
        {"PA303", PA_SEV_HIGH, "a.py", 10, 5, "i4"},
        {"PA301", PA_SEV_HIGH, "a.py", 10, 2, "i5"},
        {"PA301", PA_SEV_HIGH, "a.py", 9, 7, "i6"},
        {"PA101", PA_SEV_MEDIUM, "a.py", 1, 1, "i7"},
        {"PA301", PA_SEV_HIGH, "a.py", 10, 5, "i8"},  /* same location + rule as i3: issue decides */
    };
    const char *expect[] = {"i2", "i6", "i5", "i3", "i8", "i4", "i1", "i7", "i0"};
    size_t n = sizeof in / sizeof in[0];
    for (size_t i = 0; i < n; i++)
        pa_findings_add(&fs, pa_rule_find(in[i].rule), in[i].sev, in[i].path, in[i].line, in[i].col, in[i].line,
                        in[i].issue, NULL, "S");
    pa_findings_sort(&fs);
    int ok = 1;
    for (size_t i = 0; i < n; i++) ok &= strcmp(fs.items.v[i]->issue, expect[i]) == 0;
    CHECK(ok);
    CHECK(fs.items.v[0]->severity == PA_SEV_CRITICAL);
    CHECK(fs.items.v[n - 1]->severity == PA_SEV_LOW);
    /* total order: any starting permutation sorts the same */
    int stable = 1;
    for (int round = 0; round < 50; round++) {
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = rnd() % (i + 1);
            struct pa_finding *t = fs.items.v[i];
            fs.items.v[i] = fs.items.v[j];
            fs.items.v[j] = t;
        }
        pa_findings_sort(&fs);
        for (size_t i = 0; i < n; i++) stable &= strcmp(fs.items.v[i]->issue, expect[i]) == 0;
    }
    CHECK(stable);
    pa_findings_free(&fs);

    pa_findings empty;
    pa_findings_init(&empty);
    pa_findings_sort(&empty);  /* no crash on empty */
    CHECK(empty.items.n == 0);
}

static void test_status_names(void)
{
    CHECK_STR(pa_check_status_name(PA_CHECK_PASSED), "passed");
    CHECK_STR(pa_check_status_name(PA_CHECK_FAILED), "failed");
    CHECK_STR(pa_check_status_name(PA_CHECK_WARNING), "warning");
    CHECK_STR(pa_check_status_name(PA_CHECK_SKIPPED), "skipped");
}

int main(void)
{
    test_add_and_trace();
    test_move();
    test_sort();
    test_status_names();
    return test_done("test_findings");
}
