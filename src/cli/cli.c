/* cli.c - argv parsing for `pa-audit [check] [OPTIONS] [PATH]`, `rules`,
 * `explain`, and the --help text. Pure: never prints or exits. */
#include "pa/cli.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help_text[] =
"Usage: pa-audit [check] [OPTIONS] [PATH]   audit the Python project rooted at PATH (default .)\n"
"       pa-audit rules [--format text|json] list every rule (with --rules FILE /\n"
"                                            --rules-url URL: the packs' rules too)\n"
"       pa-audit explain RULE                print a rule's documentation (idem)\n"
"       pa-audit --version | --help\n"
"\n"
"Persistence & performance audit: N+1 queries, per-item writes, transaction\n"
"scope and rollback problems, blocking IO and CPU work in async code, needless\n"
"allocations. Writes docs/project/persistence_audit.md and one report per auditor\n"
"under docs/project/.audit/ln-650/DATE/.\n"
"\n"
"Options:\n"
"  --format FMT          stdout format: text (default), md, json, sarif, github\n"
"  -o, --output FILE     write the --format output to FILE instead of stdout\n"
"  --no-write            do not write report files under docs/project/\n"
"  --fail-on LEVEL       critical (default), high, medium, low, never: exit 1 when a\n"
"                        non-advisory, non-baseline finding at or above LEVEL exists\n"
"  --fail-under SCORE    also exit 1 when the overall score is below SCORE (0-10)\n"
"  --select LIST         comma-separated rule ids or prefixes to run (PA3, PA101)\n"
"  --ignore LIST         comma-separated rule ids or prefixes to skip\n"
"  --exclude GLOB        exclude paths (repeatable; adds to the default excludes)\n"
"  --no-default-excludes do not apply the default excludes (tests, venvs, builds)\n"
"  --config FILE         config file (default .pa-audit.yml, else [tool.pa-audit]\n"
"                        in pyproject.toml)\n"
"  -j, --jobs N          worker threads for parsing (default: number of CPUs)\n"
"  --date YYYY-MM-DD     audit date used in paths and headers (default: today)\n"
"  --baseline FILE       findings whose fingerprint is in FILE are baseline: reported,\n"
"                        never failing the run\n"
"  --write-baseline FILE write the current findings' fingerprints to FILE\n"
"  --print-context       print the discovered context as JSON and exit\n"
"  --rules-url URL       also load a rule/knowledge pack over HTTP(S) (repeatable;\n"
"                        cached, revalidated with ETag/Last-Modified)\n"
"  --rules FILE          also load a rule/knowledge pack from FILE (repeatable)\n"
"  --offline             rule packs from the cache only; never use the network\n"
"  --allow-insecure-http allow plain http:// rule pack URLs (loopback always allowed)\n"
"  --rules-url-optional  a rule pack URL that cannot be loaded is skipped with a\n"
"                        warning instead of exiting 2\n"
"  --cache DIR           keep each file's facts in DIR, keyed by content and version:\n"
"                        unchanged files are not parsed again (default: off;\n"
"                        `cache: true` in the config uses .pa-audit-cache)\n"
"  --no-cache            no facts cache, whatever the config says\n"
"  --timings             print the time spent in each phase (and memory) to stderr\n"
"  --no-color            no ANSI colours (colour is used only when stderr is a TTY)\n"
"  -q, --quiet           only errors on stderr\n"
"  -v, --verbose         progress and timings on stderr\n"
"  --version             print the version\n"
"  -h, --help            print this help\n"
"\n"
"Exit codes: 0 no finding at or above --fail-on; 1 at least one (or score below\n"
"--fail-under); 2 usage error, unreadable PATH, bad config or internal error.\n"
"\n"
"Suppress a finding with '# pa-audit: ignore[PA301] -- reason' on its line or the\n"
"line above. Rule documentation: pa-audit explain PA301, or docs/rules/.\n";

const char *pa_cli_help(void) { return help_text; }

void pa_cli_free(struct pa_cli *cli) { free(cli->explain_rule); cli->explain_rule = NULL; }

static bool parse_format(const char *s, pa_format *f)
{
    static const char *const names[] = {"text", "md", "json", "sarif", "github"};
    for (int i = 0; i < 5; i++)
        if (strcmp(s, names[i]) == 0) { *f = (pa_format)i; return true; }
    return false;
}

static void push_list(void *vec, const char *csv)
{
    PA_VEC(char *) *v = vec;
    char *copy = pa_xstrdup(csv), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *w = pa_str_trim(t);
        if (*w) pa_vec_push(v, pa_xstrdup(w));
    }
    free(copy);
}

static bool valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return false;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
    return true;
}

/* Options taking a value; returns the value (from "--opt=value" or the next
 * argument) or NULL with *err set. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, const char *eq, char **err)
{
    if (eq) return eq + 1;
    if (*i + 1 >= argc) { *err = pa_xasprintf("option '%s' needs a value", name); return NULL; }
    return argv[++*i];
}

pa_status pa_cli_parse(int argc, char **argv, struct pa_options *o, struct pa_cli *cli, char **err)
{
    memset(cli, 0, sizeof *cli);
    *err = NULL;
    int i = 1;
    if (i < argc) {
        if (strcmp(argv[i], "check") == 0) i++;
        else if (strcmp(argv[i], "rules") == 0) { cli->cmd = PA_CMD_RULES; i++; }
        else if (strcmp(argv[i], "explain") == 0) { cli->cmd = PA_CMD_EXPLAIN; i++; }
    }
    bool have_path = false, end_opts = false;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (end_opts || a[0] != '-' || strcmp(a, "-") == 0) {
            if (cli->cmd == PA_CMD_EXPLAIN) {
                if (cli->explain_rule) { *err = pa_xasprintf("explain takes one rule id"); return PA_ERR_USAGE; }
                cli->explain_rule = pa_xstrdup(a);
                continue;
            }
            if (cli->cmd == PA_CMD_RULES) { *err = pa_xasprintf("unexpected argument '%s'", a); return PA_ERR_USAGE; }
            if (have_path) { *err = pa_xasprintf("only one PATH may be given (got '%s' and '%s')", o->root, a); return PA_ERR_USAGE; }
            free(o->root);
            o->root = pa_xstrdup(a);
            have_path = true;
            continue;
        }
        if (strcmp(a, "--") == 0) { end_opts = true; continue; }
        /* split --name=value */
        char name[64];
        const char *eq = NULL;
        if (a[1] == '-') {
            eq = strchr(a, '=');
            size_t n = eq ? (size_t)(eq - a) : strlen(a);
            if (n >= sizeof name) n = sizeof name - 1;
            memcpy(name, a, n);
            name[n] = '\0';
        } else {
            snprintf(name, sizeof name, "%.2s", a);
            if (strlen(a) > 2) eq = a + 1; /* -j4 style: value follows; eq+1 is the value */
        }
        const char *v;
#define VAL() do { v = opt_value(argc, argv, &i, name, eq, err); if (!v) return PA_ERR_USAGE; } while (0)
        if (!strcmp(name, "--help") || !strcmp(name, "-h")) { cli->cmd = PA_CMD_HELP; return PA_OK; }
        else if (!strcmp(name, "--version") || !strcmp(name, "-V")) { cli->cmd = PA_CMD_VERSION; return PA_OK; }
        else if (!strcmp(name, "--format")) {
            VAL();
            pa_format f;
            if (!parse_format(v, &f) || (cli->cmd == PA_CMD_RULES && f != PA_FMT_TEXT && f != PA_FMT_JSON)) {
                *err = pa_xasprintf("invalid --format '%s' (expected %s)", v,
                                    cli->cmd == PA_CMD_RULES ? "text or json" : "text, md, json, sarif or github");
                return PA_ERR_USAGE;
            }
            if (cli->cmd == PA_CMD_RULES) cli->rules_format = f; else o->format = f;
        } else if (!strcmp(name, "--output") || !strcmp(name, "-o")) { VAL(); free(o->output); o->output = pa_xstrdup(v); }
        else if (!strcmp(name, "--no-write")) o->no_write = true;
        else if (!strcmp(name, "--fail-on")) {
            VAL();
            pa_severity s;
            if (!strcmp(v, "never")) o->fail_on = PA_FAIL_NEVER;
            else if (pa_severity_parse(v, &s)) o->fail_on = (int)s;
            else { *err = pa_xasprintf("invalid --fail-on '%s' (expected critical, high, medium, low or never)", v); return PA_ERR_USAGE; }
            o->fail_on_set = true;
        } else if (!strcmp(name, "--fail-under")) {
            VAL();
            char *end;
            double d = strtod(v, &end);
            if (end == v || *end || d < 0 || d > 10) { *err = pa_xasprintf("invalid --fail-under '%s' (expected a number from 0 to 10)", v); return PA_ERR_USAGE; }
            o->fail_under = d;
            o->fail_under_set = true;
        } else if (!strcmp(name, "--select")) { VAL(); push_list(&o->select, v); }
        else if (!strcmp(name, "--ignore")) { VAL(); push_list(&o->ignore, v); }
        else if (!strcmp(name, "--exclude")) { VAL(); pa_vec_push(&o->exclude, pa_xstrdup(v)); }
        else if (!strcmp(name, "--config")) { VAL(); free(o->config); o->config = pa_xstrdup(v); }
        else if (!strcmp(name, "--jobs") || !strcmp(name, "-j")) {
            VAL();
            char *end;
            long n = strtol(v, &end, 10);
            if (end == v || *end || n < 1 || n > 256) { *err = pa_xasprintf("invalid --jobs '%s' (expected 1..256)", v); return PA_ERR_USAGE; }
            o->jobs = (int)n;
        } else if (!strcmp(name, "--date")) {
            VAL();
            if (!valid_date(v)) { *err = pa_xasprintf("invalid --date '%s' (expected YYYY-MM-DD)", v); return PA_ERR_USAGE; }
            memcpy(o->date, v, 11);
        } else if (!strcmp(name, "--baseline")) { VAL(); free(o->baseline); o->baseline = pa_xstrdup(v); }
        else if (!strcmp(name, "--write-baseline")) { VAL(); free(o->write_baseline); o->write_baseline = pa_xstrdup(v); }
        else if (!strcmp(name, "--print-context")) o->print_context = true;
        else if (!strcmp(name, "--rules-url")) { VAL(); pa_vec_push(&o->rules_urls, pa_xstrdup(v)); }
        else if (!strcmp(name, "--rules")) { VAL(); pa_vec_push(&o->rules_files, pa_xstrdup(v)); }
        else if (!strcmp(name, "--offline")) o->offline = true;
        else if (!strcmp(name, "--cache")) { VAL(); free(o->cache_dir); o->cache_dir = pa_xstrdup(v); }
        else if (!strcmp(name, "--no-cache")) o->no_cache = true;
        else if (!strcmp(name, "--allow-insecure-http")) o->allow_insecure_http = true;
        else if (!strcmp(name, "--rules-url-optional")) o->rules_url_optional = true;
        else if (!strcmp(name, "--no-color")) o->no_color = true;
        else if (!strcmp(name, "--quiet") || (!strcmp(name, "-q") && !eq)) o->quiet = true;
        else if (!strcmp(name, "--verbose") || (!strcmp(name, "-v") && !eq)) o->verbose = true;
        else if (!strcmp(name, "--timings")) o->timings = true;
        else if (!strcmp(name, "--no-default-excludes")) o->no_default_excludes = true;
        else if (!strcmp(name, "--parse-only")) o->parse_only = true;
        else { *err = pa_xasprintf("unknown option '%s' (see pa-audit --help)", a); return PA_ERR_USAGE; }
#undef VAL
    }
    if (cli->cmd == PA_CMD_EXPLAIN && !cli->explain_rule) { *err = pa_xstrdup("explain needs a rule id, e.g. pa-audit explain PA301"); return PA_ERR_USAGE; }
    return PA_OK;
}

char *pa_cli_rules_listing(pa_format fmt)
{
    size_t n;
    const struct pa_rule_meta *r = pa_rules_all(&n);
    pa_buf b;
    pa_buf_init(&b);
    if (fmt == PA_FMT_JSON) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < n; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", r[i].id);
            cJSON_AddStringToObject(o, "check", r[i].check);
            cJSON_AddStringToObject(o, "category", pa_category_id(r[i].category));
            cJSON_AddStringToObject(o, "severity", pa_severity_name(r[i].severity));
            cJSON_AddStringToObject(o, "title", r[i].title);
            cJSON_AddItemToArray(arr, o);
        }
        char *s = cJSON_Print(arr);
        cJSON_Delete(arr);
        pa_buf_puts(&b, s);
        pa_buf_putc(&b, '\n');
        cJSON_free(s);
        return pa_buf_take(&b);
    }
    pa_buf_printf(&b, "%-6s %-30s %-24s %-9s %s\n", "RULE", "CHECK", "CATEGORY", "SEVERITY", "TITLE");
    for (size_t i = 0; i < n; i++)
        pa_buf_printf(&b, "%-6s %-30s %-24s %-9s %s\n", r[i].id, r[i].check, pa_category_id(r[i].category),
                      pa_severity_name(r[i].severity), r[i].title);
    return pa_buf_take(&b);
}

char *pa_cli_explain(const char *rule_id)
{
    const struct pa_rule_meta *r = pa_rule_find(rule_id);
    if (!r) return NULL;
    const char *doc = pa_rule_doc(r->id);
    if (doc) return pa_xstrdup(doc);
    return pa_xasprintf("# %s — %s\n\nCategory: %s · Default severity: %s · Title: %s\n", r->id, r->check,
                        pa_category_id(r->category), pa_severity_name(r->severity), r->title);
}
