/* sarif.c - `--format sarif`: a SARIF 2.1.0 log with one run.
 *
 * tool.driver lists every rule of the registry (ruleIndex = its position):
 * id, name (the check id), short/full descriptions (title, principle),
 * helpUri (the rule's docs page), help (text + the embedded docs page as
 * markdown), defaultConfiguration.level and tags. Each finding is a result:
 * level error (CRITICAL/HIGH), warning (MEDIUM), note (LOW or advisory);
 * the location is project-relative with uriBaseId %SRCROOT%;
 * partialFingerprints carries the pa-audit fingerprint ("paAudit/v1");
 * the call chain becomes relatedLocations; baselineState is set when a
 * --baseline was given. No security-severity: these are not security rules.
 * Written with pa_buf like json.c so the output is byte-stable. */
#include "report/report_int.h"

#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static void indent(pa_buf *b, int n)
{
    for (int i = 0; i < n; i++) pa_buf_puts(b, "  ");
}

/* A relative path as a URI reference: unreserved characters and '/' kept,
 * everything else percent-encoded (so spaces and '%' cannot break it). */
static void put_uri(pa_buf *b, const char *path)
{
    pa_buf u;
    pa_buf_init(&u);
    for (const unsigned char *p = (const unsigned char *)path; p && *p; p++) {
        unsigned char c = *p;
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == '~' || c == '/';
        if (keep) pa_buf_putc(&u, (char)c);
        else pa_buf_printf(&u, "%%%02X", c);
    }
    pa_report_json_str(b, pa_buf_cstr(&u));
    pa_buf_free(&u);
}

static const char *level_of(pa_severity s, bool advisory)
{
    if (advisory) return "note";
    if (s >= PA_SEV_HIGH) return "error";
    return s == PA_SEV_MEDIUM ? "warning" : "note";
}

static void put_rule(pa_buf *b, const struct pa_rule_meta *r, bool last)
{
    indent(b, 6);
    pa_buf_puts(b, "{\n");
    indent(b, 7);
    pa_buf_puts(b, "\"id\": ");
    pa_report_json_str(b, r->id);
    pa_buf_puts(b, ",\n");
    indent(b, 7);
    pa_buf_puts(b, "\"name\": ");
    pa_report_json_str(b, r->check);
    pa_buf_puts(b, ",\n");
    indent(b, 7);
    pa_buf_puts(b, "\"shortDescription\": {\"text\": ");
    pa_report_json_str(b, r->title);
    pa_buf_puts(b, "},\n");
    indent(b, 7);
    pa_buf_puts(b, "\"fullDescription\": {\"text\": ");
    char *full = pa_xasprintf("%s. %s.", r->title, r->principle);
    pa_report_json_str(b, full);
    free(full);
    pa_buf_puts(b, "},\n");
    indent(b, 7);
    pa_buf_printf(b, "\"helpUri\": \"%s/blob/main/docs/rules/%s.md\",\n", PA_HOMEPAGE, r->id);
    indent(b, 7);
    pa_buf_puts(b, "\"help\": {\"text\": ");
    char *help = pa_xasprintf("%s: %s. Run `pa-audit explain %s` for details.", r->title, r->principle, r->id);
    pa_report_json_str(b, help);
    free(help);
    const char *doc = pa_rule_doc(r->id);
    if (doc) {
        pa_buf_puts(b, ", \"markdown\": ");
        pa_report_json_str(b, doc);
    }
    pa_buf_puts(b, "},\n");
    indent(b, 7);
    pa_buf_printf(b, "\"defaultConfiguration\": {\"level\": \"%s\"},\n", level_of(r->severity, false));
    indent(b, 7);
    pa_buf_printf(b, "\"properties\": {\"tags\": [\"%s\", \"%s\", \"%s\"], \"defaultSeverity\": \"%s\"}\n",
                  pa_category_id(r->category), r->category == PA_CAT_RUNTIME ? "performance" : "database",
                  pa_category_worker(r->category), pa_severity_name(r->severity));
    indent(b, 6);
    pa_buf_puts(b, last ? "}\n" : "},\n");
}

static void put_physical(pa_buf *b, const char *path, uint32_t line, uint32_t col, uint32_t end_line)
{
    pa_buf_puts(b, "\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
    put_uri(b, path);
    pa_buf_printf(b, ", \"uriBaseId\": \"%%SRCROOT%%\"}, \"region\": {\"startLine\": %u", (unsigned)(line ? line : 1));
    if (col) pa_buf_printf(b, ", \"startColumn\": %u", (unsigned)col);
    if (end_line >= line && end_line) pa_buf_printf(b, ", \"endLine\": %u", (unsigned)end_line);
    pa_buf_puts(b, "}}");
}

static void put_result(pa_buf *b, const struct pa_run *run, const struct pa_finding *f, bool last)
{
    size_t nrules;
    const struct pa_rule_meta *all = pa_rules_all(&nrules);
    size_t idx = f->rule ? (size_t)(f->rule - all) : 0;
    indent(b, 4);
    pa_buf_puts(b, "{\n");
    indent(b, 5);
    pa_buf_puts(b, "\"ruleId\": ");
    pa_report_json_str(b, f->rule ? f->rule->id : "");
    pa_buf_printf(b, ",\n");
    if (f->rule && idx < nrules) {
        indent(b, 5);
        pa_buf_printf(b, "\"ruleIndex\": %zu,\n", idx);
    }
    indent(b, 5);
    pa_buf_printf(b, "\"level\": \"%s\",\n", level_of(f->severity, f->advisory));
    indent(b, 5);
    pa_buf_puts(b, "\"message\": {\"text\": ");
    pa_buf m;
    pa_buf_init(&m);
    char *msg = pa_report_message(f);
    pa_buf_puts(&m, msg);
    free(msg);
    if (f->advisory) pa_buf_printf(&m, " (advisory: %s)", f->advisory_note ? f->advisory_note : "context validation");
    pa_report_json_str(b, pa_buf_cstr(&m));
    pa_buf_free(&m);
    pa_buf_puts(b, "},\n");
    indent(b, 5);
    pa_buf_puts(b, "\"locations\": [{");
    put_physical(b, f->path, f->line, f->column, f->end_line ? f->end_line : f->line);
    pa_buf_puts(b, "}],\n");
    if (f->ntrace) {
        indent(b, 5);
        pa_buf_puts(b, "\"relatedLocations\": [\n");
        for (size_t i = 0; i < f->ntrace; i++) {
            indent(b, 6);
            pa_buf_printf(b, "{\"id\": %zu, ", i + 1);
            put_physical(b, f->trace[i].path && *f->trace[i].path ? f->trace[i].path : f->path, f->trace[i].line, 0, 0);
            pa_buf_puts(b, ", \"message\": {\"text\": ");
            pa_report_json_str(b, f->trace[i].note && *f->trace[i].note ? f->trace[i].note : "call chain step");
            pa_buf_puts(b, i + 1 < f->ntrace ? "}},\n" : "}}\n");
        }
        indent(b, 5);
        pa_buf_puts(b, "],\n");
    }
    if (run->opts && run->opts->baseline) {
        indent(b, 5);
        pa_buf_printf(b, "\"baselineState\": \"%s\",\n", f->baseline ? "unchanged" : "new");
    }
    indent(b, 5);
    pa_buf_puts(b, "\"partialFingerprints\": {\"paAudit/v1\": ");
    pa_report_json_str(b, f->fingerprint ? f->fingerprint : "");
    pa_buf_puts(b, "},\n");
    indent(b, 5);
    pa_buf_printf(b, "\"properties\": {\"severity\": \"%s\", \"originalSeverity\": \"%s\", \"advisory\": %s, "
                     "\"baseline\": %s, \"effort\": ",
                  pa_severity_name(f->severity), pa_severity_name(f->original_severity),
                  f->advisory ? "true" : "false", f->baseline ? "true" : "false");
    pa_report_json_str(b, f->effort ? f->effort : "");
    pa_buf_puts(b, ", \"category\": ");
    pa_report_json_str(b, f->rule ? pa_category_id(f->rule->category) : "");
    pa_buf_puts(b, "}\n");
    indent(b, 4);
    pa_buf_puts(b, last ? "}\n" : "},\n");
}

char *pa_report_sarif(const struct pa_run *run)
{
    pa_buf b;
    pa_buf_init(&b);
    size_t nrules;
    const struct pa_rule_meta *all = pa_rules_all(&nrules);
    pa_buf_puts(&b, "{\n  \"$schema\": \"" SARIF_SCHEMA "\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n");
    pa_buf_puts(&b, "      \"tool\": {\n        \"driver\": {\n");
    pa_buf_puts(&b, "          \"name\": \"pa-audit\",\n          \"version\": ");
    pa_report_json_str(&b, PA_VERSION);
    pa_buf_puts(&b, ",\n          \"semanticVersion\": ");
    pa_report_json_str(&b, PA_VERSION);
    pa_buf_puts(&b, ",\n          \"informationUri\": \"" PA_HOMEPAGE "\",\n          \"rules\": [\n");
    for (size_t i = 0; i < nrules; i++) put_rule(&b, &all[i], i + 1 == nrules);
    pa_buf_puts(&b, "          ]\n        }\n      },\n");
    pa_buf_puts(&b, "      \"originalUriBaseIds\": {\"%SRCROOT%\": {\"description\": {\"text\": ");
    char *desc = pa_xasprintf("The audited project root (%s)", run->ctx.root ? run->ctx.root : ".");
    pa_report_json_str(&b, desc);
    free(desc);
    pa_buf_puts(&b, "}}},\n      \"results\": [");
    if (!run->all.items.n) pa_buf_puts(&b, "]\n");
    else {
        pa_buf_puts(&b, "\n");
        for (size_t i = 0; i < run->all.items.n; i++) {
            put_result(&b, run, run->all.items.v[i], i + 1 == run->all.items.n);
        }
        pa_buf_puts(&b, "      ]\n");
    }
    pa_buf_puts(&b, "    }\n  ]\n}\n");
    return pa_buf_take(&b);
}
