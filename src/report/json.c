/* json.c - `--format json`: the CONTRACT.md JSON document.
 *
 * Built as text with pa_buf rather than through cJSON printing, so the key
 * order, the indentation and the number format are fixed and the output is
 * byte-stable: scores always carry one decimal ("7.0"), integers are plain,
 * strings go through pa_report_json_str (always valid UTF-8 JSON). The
 * context object comes from pa_context_to_json and is re-emitted by the
 * small cJSON walker below in the same style (keys in the tree's order). */
#include "report/report_int.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void indent(pa_buf *b, int level)
{
    for (int i = 0; i < level; i++) pa_buf_puts(b, "  ");
}

static void key(pa_buf *b, int level, const char *k)
{
    indent(b, level);
    pa_report_json_str(b, k);
    pa_buf_puts(b, ": ");
}

static void put_number(pa_buf *b, double d)
{
    if (isnan(d) || isinf(d)) { pa_buf_puts(b, "null"); return; }
    if (d == floor(d) && fabs(d) < 1e15) pa_buf_printf(b, "%lld", (long long)d);
    else pa_buf_printf(b, "%.17g", d);
}

/* Emit a cJSON value; `level` is the indentation of the line it starts on. */
static void put_cjson(pa_buf *b, const cJSON *j, int level)
{
    if (!j || cJSON_IsNull(j) || cJSON_IsInvalid(j)) { pa_buf_puts(b, "null"); return; }
    if (cJSON_IsBool(j)) { pa_buf_puts(b, cJSON_IsTrue(j) ? "true" : "false"); return; }
    if (cJSON_IsNumber(j)) { put_number(b, j->valuedouble); return; }
    if (cJSON_IsString(j)) { pa_report_json_str(b, j->valuestring ? j->valuestring : ""); return; }
    if (cJSON_IsRaw(j)) { pa_report_json_str(b, j->valuestring ? j->valuestring : ""); return; }
    bool obj = cJSON_IsObject(j);
    if (!j->child) { pa_buf_puts(b, obj ? "{}" : "[]"); return; }
    pa_buf_puts(b, obj ? "{\n" : "[\n");
    for (const cJSON *c = j->child; c; c = c->next) {
        if (obj) key(b, level + 1, c->string ? c->string : "");
        else indent(b, level + 1);
        put_cjson(b, c, level + 1);
        pa_buf_puts(b, c->next ? ",\n" : "\n");
    }
    indent(b, level);
    pa_buf_puts(b, obj ? "}" : "]");
}

static void put_score(pa_buf *b, double s)
{
    char sc[16];
    pa_buf_puts(b, pa_report_score_str(sc, s));
}

static void put_str_field(pa_buf *b, int level, const char *k, const char *v, bool last)
{
    key(b, level, k);
    pa_report_json_str(b, v);
    pa_buf_puts(b, last ? "\n" : ",\n");
}

static void put_checks(pa_buf *b, const struct pa_run *run, pa_category cat, int level)
{
    size_t n;
    const struct pa_rule_meta *all = pa_rules_all(&n);
    bool first = true;
    pa_buf_puts(b, "[");
    for (size_t i = 0; i < n; i++) {
        const struct pa_rule_meta *r = &all[i];
        if (r->category != cat) continue;
        const char *details;
        const char *status = pa_report_check(run, r, &details);
        pa_buf_puts(b, first ? "\n" : ",\n");
        first = false;
        indent(b, level + 1);
        pa_buf_puts(b, "{\"id\": ");
        pa_report_json_str(b, r->check);
        pa_buf_puts(b, ", \"rule\": ");
        pa_report_json_str(b, r->id);
        pa_buf_puts(b, ", \"name\": ");
        pa_report_json_str(b, r->title);
        pa_buf_puts(b, ", \"status\": ");
        pa_report_json_str(b, status);
        pa_buf_puts(b, ", \"details\": ");
        pa_report_json_str(b, details);
        pa_buf_puts(b, "}");
    }
    if (!first) {
        pa_buf_putc(b, '\n');
        indent(b, level);
    }
    pa_buf_puts(b, "]");
}

static void put_finding(pa_buf *b, const struct pa_finding *f, int level)
{
    indent(b, level);
    pa_buf_puts(b, "{\n");
    int l = level + 1;
    put_str_field(b, l, "rule", f->rule ? f->rule->id : "", false);
    put_str_field(b, l, "check", f->rule ? f->rule->check : "", false);
    put_str_field(b, l, "category", f->rule ? pa_category_id(f->rule->category) : "", false);
    put_str_field(b, l, "severity", pa_severity_name(f->severity), false);
    put_str_field(b, l, "original_severity", pa_severity_name(f->original_severity), false);
    key(b, l, "advisory");
    pa_buf_puts(b, f->advisory ? "true,\n" : "false,\n");
    key(b, l, "baseline");
    pa_buf_puts(b, f->baseline ? "true,\n" : "false,\n");
    put_str_field(b, l, "path", f->path, false);
    key(b, l, "line");
    pa_buf_printf(b, "%u,\n", (unsigned)f->line);
    key(b, l, "column");
    pa_buf_printf(b, "%u,\n", (unsigned)f->column);
    key(b, l, "end_line");
    pa_buf_printf(b, "%u,\n", (unsigned)(f->end_line ? f->end_line : f->line));
    put_str_field(b, l, "issue", f->issue ? f->issue : "", false);
    put_str_field(b, l, "principle", pa_report_principle(f), false);
    put_str_field(b, l, "recommendation", f->recommendation ? f->recommendation : "", false);
    put_str_field(b, l, "effort", f->effort ? f->effort : "", false);
    key(b, l, "trace");
    if (!f->ntrace) pa_buf_puts(b, "[],\n");
    else {
        pa_buf_puts(b, "[\n");
        for (size_t i = 0; i < f->ntrace; i++) {
            indent(b, l + 1);
            pa_buf_puts(b, "{\"path\": ");
            pa_report_json_str(b, f->trace[i].path ? f->trace[i].path : "");
            pa_buf_printf(b, ", \"line\": %u, \"note\": ", (unsigned)f->trace[i].line);
            pa_report_json_str(b, f->trace[i].note ? f->trace[i].note : "");
            pa_buf_puts(b, i + 1 < f->ntrace ? "},\n" : "}\n");
        }
        indent(b, l);
        pa_buf_puts(b, "],\n");
    }
    put_str_field(b, l, "fingerprint", f->fingerprint ? f->fingerprint : "", true);
    indent(b, level);
    pa_buf_puts(b, "}");
}

char *pa_report_json(const struct pa_run *run)
{
    pa_buf b;
    pa_buf_init(&b);
    pa_buf_puts(&b, "{\n");
    key(&b, 1, "tool");
    pa_buf_puts(&b, "{\"name\": \"pa-audit\", \"version\": ");
    pa_report_json_str(&b, PA_VERSION);
    pa_buf_puts(&b, "},\n");
    put_str_field(&b, 1, "date", run->opts && run->opts->date[0] ? run->opts->date : "", false);
    put_str_field(&b, 1, "root", run->ctx.root ? run->ctx.root : (run->opts && run->opts->root ? run->opts->root : "."),
                  false);
    key(&b, 1, "context");
    cJSON *ctx = pa_context_to_json(&run->ctx);
    put_cjson(&b, ctx, 1);
    cJSON_Delete(ctx);
    pa_buf_puts(&b, ",\n");
    key(&b, 1, "overall_score");
    put_score(&b, run->overall);
    pa_buf_puts(&b, ",\n");

    key(&b, 1, "categories");
    pa_buf_puts(&b, "[\n");
    for (int c = 0; c < PA_CAT__COUNT; c++) {
        const size_t *n = run->counts[c];
        indent(&b, 2);
        pa_buf_puts(&b, "{\n");
        put_str_field(&b, 3, "id", pa_category_id((pa_category)c), false);
        put_str_field(&b, 3, "name", pa_category_name((pa_category)c), false);
        key(&b, 3, "score");
        put_score(&b, run->scores[c]);
        pa_buf_puts(&b, ",\n");
        static const char *const sev_keys[4] = {"low", "medium", "high", "critical"};
        for (int s = PA_SEV_CRITICAL; s >= PA_SEV_LOW; s--) {
            key(&b, 3, sev_keys[s]);
            pa_buf_printf(&b, "%zu,\n", n[s]);
        }
        key(&b, 3, "checks");
        put_checks(&b, run, (pa_category)c, 3);
        pa_buf_puts(&b, "\n");
        indent(&b, 2);
        pa_buf_puts(&b, c + 1 < PA_CAT__COUNT ? "},\n" : "}\n");
    }
    indent(&b, 1);
    pa_buf_puts(&b, "],\n");

    key(&b, 1, "findings");
    if (!run->all.items.n) pa_buf_puts(&b, "[],\n");
    else {
        pa_buf_puts(&b, "[\n");
        for (size_t i = 0; i < run->all.items.n; i++) {
            put_finding(&b, run->all.items.v[i], 2);
            pa_buf_puts(&b, i + 1 < run->all.items.n ? ",\n" : "\n");
        }
        indent(&b, 1);
        pa_buf_puts(&b, "],\n");
    }

    struct pa_report_skip *sk;
    size_t nsk = pa_report_skipped(run, &sk);
    key(&b, 1, "skipped_files");
    if (!nsk) pa_buf_puts(&b, "[]\n");
    else {
        pa_buf_puts(&b, "[\n");
        for (size_t i = 0; i < nsk; i++) {
            indent(&b, 2);
            pa_buf_puts(&b, "{\"path\": ");
            pa_report_json_str(&b, sk[i].path);
            pa_buf_puts(&b, ", \"reason\": ");
            pa_report_json_str(&b, sk[i].reason);
            pa_buf_puts(&b, i + 1 < nsk ? "},\n" : "}\n");
        }
        indent(&b, 1);
        pa_buf_puts(&b, "]\n");
    }
    free(sk);
    pa_buf_puts(&b, "}\n");
    return pa_buf_take(&b);
}
