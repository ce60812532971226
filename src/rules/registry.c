/* registry.c - rule metadata table (expanded from rules.def, plus the
 * custom rules of rule packs), category and severity names, rule id matching
 * and the embedded rule documentation. */
#include "pa/rules.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "pa/core.h"

/* Custom rules (rule packs) are appended after the built-in rules in the
 * same array, so every pointer into the table stays valid and
 * `f->rule - pa_rules_all()` indexing works for them too.
 * DESIGN: g_rules[PA_RULES_BUILTIN..g_nrules) is written only by
 * pa_rules_add_custom / pa_rules_reset_custom under g_custom_lock, on the
 * main thread before the parse pool and the auditors start; pa_rules_freeze
 * then refuses further changes until the reset at the end of the run.
 * Readers (any thread, after the threads were created) need no lock. */
enum {
    PA_RULES_BUILTIN = 0
#define PA_RULE(id, check, cat, sev, title, principle) +1
#include "rules/rules.def"
#undef PA_RULE
};
_Static_assert(PA_RULES_BUILTIN < PA_RULES_MAX, "PA_RULES_MAX leaves no room for custom rules");
static struct pa_rule_meta g_rules[PA_RULES_MAX] = {
#define PA_RULE(id, check, cat, sev, title, principle) {#id, #check, cat, sev, title, principle},
#include "rules/rules.def"
#undef PA_RULE
};
static _Atomic size_t g_nrules = PA_RULES_BUILTIN;  /* built-in + custom rules in g_rules */
static bool g_frozen;                               /* guarded by g_custom_lock */
static pthread_mutex_t g_custom_lock = PTHREAD_MUTEX_INITIALIZER;

const struct pa_rule_meta *pa_rules_all(size_t *n)
{
    *n = atomic_load(&g_nrules);
    return g_rules;
}

const struct pa_rule_meta *pa_rule_find(const char *id)
{
    if (!id) return NULL;
    size_t n = atomic_load(&g_nrules);
    for (size_t i = 0; i < n; i++)
        if (pa_str_ieq(g_rules[i].id, id)) return &g_rules[i];
    return NULL;
}

bool pa_rule_is_custom(const struct pa_rule_meta *r)
{
    return r && r >= g_rules + PA_RULES_BUILTIN && r < g_rules + PA_RULES_MAX;
}

pa_status pa_rules_add_custom(const struct pa_rule_meta *m, const char **reason)
{
    static const char *const reserved[] = {"PA1", "PA2", "PA3"};
    *reason = NULL;
    if (!m->id || !*m->id || !m->check || !m->title || !m->principle || m->category >= PA_CAT__COUNT) {
        *reason = "incomplete rule metadata";
        return PA_ERR_USAGE;
    }
    for (size_t i = 0; i < 3; i++)
        if (pa_rule_matches(reserved[i], m->id) && strlen(m->id) == 5) {
            *reason = "ids PA100-PA399 are reserved for built-in rules";
            return PA_ERR_USAGE;
        }
    pthread_mutex_lock(&g_custom_lock);
    pa_status st = PA_OK;
    size_t n = atomic_load(&g_nrules), in_cat = 0;
    for (size_t i = 0; i < n; i++) in_cat += g_rules[i].category == m->category;
    if (g_frozen) { *reason = "the rule table is frozen (auditors running)"; st = PA_ERR_INTERNAL; }
    else if (pa_rule_find(m->id)) { *reason = "a rule with this id already exists"; st = PA_ERR_USAGE; }
    else if (n >= PA_RULES_MAX) { *reason = "too many custom rules"; st = PA_ERR_LIMIT; }
    else if (in_cat >= PA_RULES_PER_CATEGORY_MAX) { *reason = "too many rules in this category"; st = PA_ERR_LIMIT; }
    else {
        g_rules[n] = *m;
        atomic_store(&g_nrules, n + 1);
    }
    pthread_mutex_unlock(&g_custom_lock);
    return st;
}

void pa_rules_freeze(void)
{
    pthread_mutex_lock(&g_custom_lock);
    g_frozen = true;
    pthread_mutex_unlock(&g_custom_lock);
}

void pa_rules_reset_custom(void)
{
    pthread_mutex_lock(&g_custom_lock);
    size_t n = atomic_load(&g_nrules);
    for (size_t i = PA_RULES_BUILTIN; i < n; i++) memset(&g_rules[i], 0, sizeof g_rules[i]);
    atomic_store(&g_nrules, PA_RULES_BUILTIN);
    g_frozen = false;
    pthread_mutex_unlock(&g_custom_lock);
}

bool pa_rule_matches(const char *pattern, const char *rule_id)
{
    size_t n = strlen(pattern);
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++) {
        char a = pattern[i], b = rule_id[i];
        if (!b) return false;
        if (a >= 'a' && a <= 'z') a = (char)(a - 32);
        if (b >= 'a' && b <= 'z') b = (char)(b - 32);
        if (a != b) return false;
    }
    return true;
}

static const char *const cat_ids[] = {"query_efficiency", "transaction_correctness", "runtime_performance"};
static const char *const cat_names[] = {"Query Efficiency", "Transaction Correctness", "Runtime Performance"};
static const char *const cat_workers[] = {"ln-651", "ln-652", "ln-653"};
static const char *const cat_reports[] = {"651-query-efficiency.md", "652-transaction-correctness.md",
                                          "653-runtime-performance.md"};
static const char *const cat_domains[] = {"persistence", "persistence", "runtime"};

const char *pa_category_id(pa_category c) { return c < PA_CAT__COUNT ? cat_ids[c] : "?"; }
const char *pa_category_name(pa_category c) { return c < PA_CAT__COUNT ? cat_names[c] : "?"; }
const char *pa_category_worker(pa_category c) { return c < PA_CAT__COUNT ? cat_workers[c] : "?"; }
const char *pa_category_report(pa_category c) { return c < PA_CAT__COUNT ? cat_reports[c] : "?"; }
const char *pa_category_domain(pa_category c) { return c < PA_CAT__COUNT ? cat_domains[c] : "?"; }

const char *pa_severity_name(pa_severity s)
{
    switch (s) {
    case PA_SEV_LOW: return "LOW";
    case PA_SEV_MEDIUM: return "MEDIUM";
    case PA_SEV_HIGH: return "HIGH";
    case PA_SEV_CRITICAL: return "CRITICAL";
    }
    return "?";
}

bool pa_severity_parse(const char *s, pa_severity *out)
{
    static const char *const names[] = {"low", "medium", "high", "critical"};
    for (int i = 0; i < 4; i++)
        if (pa_str_ieq(s, names[i])) { *out = (pa_severity)i; return true; }
    return false;
}

/* generated/rule_docs.c */
struct pa_rule_doc_entry { const char *id; const char *text; };
extern const struct pa_rule_doc_entry pa_rule_docs[];

const char *pa_rule_doc(const char *id)
{
    for (size_t i = 0; pa_rule_docs[i].id; i++)
        if (pa_str_ieq(pa_rule_docs[i].id, id)) return pa_rule_docs[i].text;
    return NULL;
}
