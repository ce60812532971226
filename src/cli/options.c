/* options.c - the run configuration: defaults, rule selection and per-rule
 * severity overrides. Command-line parsing is in cli.c; the config file in
 * config.c. */
#include "pa/options.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void pa_options_init(struct pa_options *o)
{
    memset(o, 0, sizeof *o);
    o->root = pa_xstrdup(".");
    o->format = PA_FMT_TEXT;
    o->fail_on = PA_SEV_CRITICAL;
    o->fail_under = -1.0;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = n > 0 ? (int)(n > 64 ? 64 : n) : 1;
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(o->date, sizeof o->date, "%Y-%m-%d", &tm);
    o->max_file_bytes = 8u << 20;
}

static void free_list(void *vec)
{
    PA_VEC(char *) *v = vec;
    for (size_t i = 0; i < v->n; i++) free(v->v[i]);
    pa_vec_free(v);
}

void pa_options_free(struct pa_options *o)
{
    free(o->root);
    free(o->output);
    free(o->config);
    free(o->baseline);
    free(o->write_baseline);
    for (size_t i = 0; i < o->deferred.n; i++) {
        free(o->deferred.v[i].id);
        free(o->deferred.v[i].where);
    }
    pa_vec_free(&o->deferred);
    free(o->cache_dir);
    free(o->config_cache_dir);
    free_list(&o->select);
    free_list(&o->ignore);
    free_list(&o->exclude);
    free_list(&o->rules_urls);
    free_list(&o->rules_files);
    memset(o, 0, sizeof *o);
}

bool pa_options_rule_enabled(const struct pa_options *o, const char *rule_id)
{
    bool on = o->select.n == 0;
    for (size_t i = 0; i < o->select.n && !on; i++)
        if (pa_rule_matches(o->select.v[i], rule_id)) on = true;
    for (size_t i = 0; i < o->ignore.n && on; i++)
        if (pa_rule_matches(o->ignore.v[i], rule_id)) on = false;
    return on;
}

pa_severity pa_options_severity(const struct pa_options *o, const struct pa_rule_meta *r, pa_severity graded)
{
    size_t n;
    const struct pa_rule_meta *all = pa_rules_all(&n);
    size_t i = (size_t)(r - all);
    if (i < n && i < PA_OPT_RULES_MAX && o->severity_set[i]) return o->severity[i];
    return graded;
}

pa_status pa_options_check_deferred(struct pa_options *o, char **err)
{
    *err = NULL;
    size_t n;
    const struct pa_rule_meta *all = pa_rules_all(&n);
    for (size_t k = 0; k < o->deferred.n; k++) {
        const struct pa_deferred_rule *d = &o->deferred.v[k];
        if (d->severity) {
            const struct pa_rule_meta *r = pa_rule_find(d->id);
            if (!r) {
                *err = pa_xasprintf("%s: unknown rule id '%s' (no built-in rule, and no loaded rule pack defines it)",
                                    d->where, d->id);
                return PA_ERR_USAGE;
            }
            size_t idx = (size_t)(r - all);
            if (idx >= PA_OPT_RULES_MAX) {
                *err = pa_xasprintf("%s: more than %d rules: no severity override for '%s'", d->where, PA_OPT_RULES_MAX,
                                    d->id);
                return PA_ERR_USAGE;
            }
            o->severity_set[idx] = true;
            o->severity[idx] = d->sev;
            continue;
        }
        bool any = false;
        for (size_t i = 0; i < n && !any; i++) any = pa_rule_matches(d->id, all[i].id);
        if (!any) {
            *err = pa_xasprintf("%s: unknown rule id or prefix '%s' (no built-in rule, and no loaded rule pack has it)",
                                d->where, d->id);
            return PA_ERR_USAGE;
        }
    }
    return PA_OK;
}
