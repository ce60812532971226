/* options.h - the resolved run configuration: command line merged over the
 * config file (.pa-audit.yml or [tool.pa-audit] in pyproject.toml).
 * Owned strings; pa_options_free releases them. Read-only once the run starts. */
#ifndef PA_OPTIONS_H
#define PA_OPTIONS_H

#include "pa/core.h"
#include "pa/rules.h"

typedef enum pa_format { PA_FMT_TEXT = 0, PA_FMT_MD, PA_FMT_JSON, PA_FMT_SARIF, PA_FMT_GITHUB } pa_format;

/* fail_on: the lowest severity that fails the run; PA_FAIL_NEVER disables. */
#define PA_FAIL_NEVER (-1)

/* A config rule id or prefix that names no built-in rule: it may be a rule
 * pack's custom rule (ORG001), so it is checked once packs are loaded. */
struct pa_deferred_rule {
    char *id;            /* as written (owned) */
    char *where;         /* "FILE:LINE: key 'select'" for the error (owned) */
    bool severity;       /* a `severity:` entry (sev applies), else select/ignore */
    pa_severity sev;
};

#define PA_OPT_RULES_MAX 128   /* per-rule severity overrides: built-in and custom rules */

struct pa_options {
    char *root;                    /* PATH as given (default ".") */
    pa_format format;              /* stdout format */
    char *output;                  /* -o FILE or NULL */
    bool no_write;                 /* --no-write */
    int fail_on;                   /* pa_severity or PA_FAIL_NEVER; default CRITICAL */
    double fail_under;             /* < 0 when unset */
    PA_VEC(char *) select;         /* rule ids/prefixes; empty = all */
    PA_VEC(char *) ignore;
    PA_VEC(char *) exclude;        /* extra globs */
    char *config;                  /* --config FILE or NULL */
    int jobs;                      /* worker threads (>=1) */
    char date[11];                 /* YYYY-MM-DD */
    char *baseline;                /* --baseline FILE */
    char *write_baseline;          /* --write-baseline FILE */
    bool print_context;            /* --print-context */
    PA_VEC(char *) rules_urls;     /* --rules-url (repeatable) and URL items of rule_packs: */
    PA_VEC(char *) rules_files;    /* --rules FILE (repeatable) and path items of rule_packs: */
    bool offline;                  /* --offline: rule packs from the cache only */
    bool allow_insecure_http;      /* --allow-insecure-http: plain http:// to non-loopback hosts */
    bool rules_url_optional;       /* --rules-url-optional: a pack that cannot be fetched is skipped */
    bool no_color, quiet, verbose, timings;
    bool no_default_excludes;      /* bench: audit stdlib / site-packages */
    bool parse_only;               /* hidden: parse floor for the bench */
    bool severity_set[PA_OPT_RULES_MAX]; /* per-rule override present (index in rule table) */
    pa_severity severity[PA_OPT_RULES_MAX]; /* per-rule override value */
    PA_VEC(struct pa_deferred_rule) deferred; /* config ids checked after packs load (pa_options_check_deferred) */
    bool fail_on_set, fail_under_set; /* set on the command line (wins over config) */
    size_t max_file_bytes;         /* files larger are skipped (default 8 MiB) */
    char *cache_dir;               /* --cache DIR (relative to the working directory), or NULL */
    char *config_cache_dir;        /* `cache:` in config: directory relative to the project root, or NULL */
    bool no_cache;                 /* --no-cache: no facts cache, whatever the config says */
};

void pa_options_init(struct pa_options *o);
void pa_options_free(struct pa_options *o);
/* Is this rule enabled by select/ignore? */
bool pa_options_rule_enabled(const struct pa_options *o, const char *rule_id);
/* Apply the per-rule severity override, if any. */
pa_severity pa_options_severity(const struct pa_options *o, const struct pa_rule_meta *r, pa_severity graded);

/* Check the config's deferred rule ids against the rule table (built-in and
 * registered custom rules) and apply deferred severities. PA_ERR_USAGE with
 * *err (owned, "FILE:LINE: key …") for an id no rule has. */
pa_status pa_options_check_deferred(struct pa_options *o, char **err);

/* Load the config file (explicit --config, else .pa-audit.yml, else
 * [tool.pa-audit] in pyproject.toml) into o; values already set on the command
 * line win. On error returns PA_ERR_USAGE and *err (owned) names file, line and key. */
pa_status pa_config_load(struct pa_options *o, char **err);

#endif
