/* registry.c - rule metadata table (expanded from rules.def), category and
 * severity names, rule id matching and the embedded rule documentation. */
#include "pa/rules.h"

#include <string.h>

#include "pa/core.h"

static const struct pa_rule_meta g_rules[] = {
#define PA_RULE(id, check, cat, sev, title, principle) {#id, #check, cat, sev, title, principle},
#include "rules/rules.def"
#undef PA_RULE
};

const struct pa_rule_meta *pa_rules_all(size_t *n)
{
    *n = sizeof g_rules / sizeof g_rules[0];
    return g_rules;
}

const struct pa_rule_meta *pa_rule_find(const char *id)
{
    if (!id) return NULL;
    for (size_t i = 0; i < sizeof g_rules / sizeof g_rules[0]; i++)
        if (pa_str_ieq(g_rules[i].id, id)) return &g_rules[i];
    return NULL;
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
