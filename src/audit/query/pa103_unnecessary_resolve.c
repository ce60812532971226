/* pa103_unnecessary_resolve.c - PA103 unnecessary_resolve: B receives x_id,
 * fetches X only to read one attribute, and every resolved caller passes
 * `x.id` of an X it already holds - so it holds the attribute too. Reported
 * at B's fetch, listing the callers.
 *
 * Not flagged: B uses the entity whole or reads several attributes, any
 * caller passes a bare id (it does not hold the entity), no resolved caller. */
#include <stdlib.h>
#include <string.h>

#include "audit/query/refetch.h"

static void report(const struct pa_audit_input *in, struct pa_rule_out *out, const struct pa_query_refetch *rf, void *ud)
{
    (void)ud;
    if (!pa_query_refetch_is_resolve(rf)) return;
    const struct pa_file_facts *bf = in->files[rf->file];
    const struct pa_call *bc = pa_query_call(bf, rf->call);
    const struct pa_func *bfn = pa_facts_func(bf, rf->func);
    pa_buf issue, rec, names;
    pa_buf_init(&issue);
    pa_buf_init(&rec);
    pa_buf_init(&names);
    for (size_t k = 0; k < rf->callers.n; k++) {
        const struct pa_query_caller *c = &rf->callers.v[k];
        const struct pa_func *afn = pa_facts_func(in->files[c->file], c->func);
        pa_buf_printf(&names, "%s%s() (%s:%u)", names.len ? ", " : "", afn ? afn->qualname : "<module>",
                      in->files[c->file]->path, pa_query_call(in->files[c->file], c->call)->line);
    }
    pa_buf_printf(&issue, "%s() re-resolves %s from `%s` with `%s()` only to read `.%s`, which every caller already "
                  "holds (they pass `%s.id` of a loaded %s): %s",
                  bfn ? bfn->qualname : "?", rf->model->name, rf->param, bc->callee, rf->single_attr,
                  rf->callers.v[0].obj, rf->model->name, names.s);
    pa_buf_printf(&rec, "Change %s() to take the value itself (e.g. `%s: ...` = `%s.%s` at the call sites) and drop the "
                  "query; callers pass `%s.%s` instead of `%s.id`.",
                  bfn ? bfn->name : "the function", rf->single_attr, rf->callers.v[0].obj, rf->single_attr,
                  rf->callers.v[0].obj, rf->single_attr, rf->callers.v[0].obj);
    struct pa_finding *fd = pa_rule_report_call(out, in, rf->file, bc, PA_SEV_MEDIUM, issue.s, rec.s, "S");
    for (size_t k = 0; k < rf->callers.n; k++) {
        const struct pa_query_caller *c = &rf->callers.v[k];
        const struct pa_file_facts *af = in->files[c->file];
        const struct pa_func *afn = pa_facts_func(af, c->func);
        char *n = pa_xasprintf("%s() holds %s and passes %s.id", afn ? afn->qualname : "<module>", c->obj, c->obj);
        pa_finding_add_trace(fd, af->path, pa_query_call(af, c->call)->line, n);
        free(n);
    }
    char *n3 = pa_xasprintf("%s() fetches %s to read .%s", bfn ? bfn->qualname : "?", rf->model->name, rf->single_attr);
    pa_finding_add_trace(fd, bf->path, bc->line, n3);
    free(n3);
    pa_buf_free(&issue);
    pa_buf_free(&rec);
    pa_buf_free(&names);
}

void pa_check_pa103(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    pa_query_refetch_scan(in, out, report, NULL);
}
