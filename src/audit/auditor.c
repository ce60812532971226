/* auditor.c - runs one auditor: every rule of its category, in registry
 * order, each into the auditor's own findings list, and fills the Checks
 * table. Also the helpers rules use to create findings.
 *
 * DESIGN: called on the auditor's own thread; reads only the frozen input;
 * writes only `res`. */
#include <stdlib.h>
#include <string.h>

#include "pa/audit.h"
#include "audit/transaction/txn.h"
#include "pa/orm.h"
#include "pa/packs.h"

static const struct pa_rule_impl *impl_for(pa_category cat, const char *id)
{
    size_t n = 0;
    const struct pa_rule_impl *t = cat == PA_CAT_QUERY ? pa_query_rules(&n)
                                 : cat == PA_CAT_TRANSACTION ? pa_transaction_rules(&n)
                                                             : pa_runtime_rules(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].rule_id, id) == 0) return &t[i];
    return NULL;
}

void pa_auditor_run(pa_category cat, const struct pa_audit_input *in, struct pa_audit_result *res)
{
    double t0 = pa_now_seconds();
    res->category = cat;
    size_t nrules;
    const struct pa_rule_meta *rules = pa_rules_all(&nrules);
    pa_orm_memo_begin(in);   /* rules of one auditor ask the same ORM questions: answer each once */
    if (cat == PA_CAT_TRANSACTION) pa_txn_memo_begin(in);   /* and read the same transaction models */
    for (size_t r = 0; r < nrules; r++) {
        const struct pa_rule_meta *meta = &rules[r];
        if (meta->category != cat || res->nchecks >= sizeof res->checks / sizeof res->checks[0]) continue;
        struct pa_check_result *cr = &res->checks[res->nchecks++];
        cr->rule = meta;
        /* custom rules of rule packs (include/pa/packs.h) have no impl: their
         * hits were collected in the parse pass, pa_packs_check reports them */
        const struct pa_packs *packs = pa_rule_is_custom(meta) ? pa_packs_active() : NULL;
        bool custom = packs != NULL;
        const struct pa_rule_impl *impl = custom ? NULL : impl_for(cat, meta->id);
        if (!custom && (!impl || !impl->check)) {
            cr->status = PA_CHECK_SKIPPED;
            cr->details = pa_xstrdup(impl && impl->skip_reason ? impl->skip_reason : "not implemented yet");
            continue;
        }
        if (!pa_options_rule_enabled(in->opts, meta->id)) {
            cr->status = PA_CHECK_SKIPPED;
            cr->details = pa_xstrdup("not selected (--select/--ignore or config)");
            continue;
        }
        size_t before = res->findings.items.n;
        struct pa_rule_out out = {meta, &res->findings, 0};
        if (custom) pa_packs_check(packs, in, &out);
        else impl->check(in, &out);
        size_t found = res->findings.items.n - before;
        size_t high = 0;
        for (size_t i = before; i < res->findings.items.n; i++)
            if (res->findings.items.v[i]->severity >= PA_SEV_HIGH) high++;
        if (found == 0) {
            cr->status = PA_CHECK_PASSED;
            cr->details = pa_xasprintf("no issues (%zu sites examined)", out.examined);
        } else {
            cr->status = high ? PA_CHECK_FAILED : PA_CHECK_WARNING;
            cr->details = pa_xasprintf("%zu finding%s (%zu sites examined)", found, found == 1 ? "" : "s", out.examined);
        }
    }
    if (cat == PA_CAT_TRANSACTION) pa_txn_memo_end();
    pa_orm_memo_end();
    res->seconds = pa_now_seconds() - t0;
}

void pa_audit_result_free(struct pa_audit_result *res)
{
    pa_findings_free(&res->findings);
    for (size_t i = 0; i < res->nchecks; i++) free(res->checks[i].details);
    res->nchecks = 0;
}

struct pa_finding *pa_rule_report_at(struct pa_rule_out *out, const struct pa_audit_input *in, int32_t file,
                                     int32_t func, uint32_t line, uint32_t col, uint32_t end_line, pa_severity sev,
                                     const char *issue, const char *recommendation, const char *effort)
{
    const struct pa_file_facts *f = in->files[file];
    struct pa_finding *fd = pa_findings_add(out->findings, out->rule, sev, f->path, line, col,
                                            end_line ? end_line : line, issue, recommendation, effort);
    const struct pa_func *fn = pa_facts_func(f, func);
    if (fn) fd->function = pa_xstrdup(fn->qualname);
    fd->entry = func >= 0 ? pa_index_entry(in->index, (pa_fref){file, func}) : PA_ENTRY_NONE;
    fd->code_hash = line >= 1 && line <= f->nlines && f->line_hash ? f->line_hash[line - 1] : 0;
    return fd;
}

struct pa_finding *pa_rule_report_call(struct pa_rule_out *out, const struct pa_audit_input *in, int32_t file,
                                       const struct pa_call *call, pa_severity sev, const char *issue,
                                       const char *recommendation, const char *effort)
{
    return pa_rule_report_at(out, in, file, call->func, call->line, call->col, call->end_line, sev, issue,
                             recommendation, effort);
}
