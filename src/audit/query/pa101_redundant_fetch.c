/* pa101_redundant_fetch.c - PA101 redundant_fetch: function A obtains an
 * entity E (session.get(M, id), repo.get_by_id(id), M.objects.get(pk=…)),
 * then calls B passing E.id instead of E, and B fetches the same model by
 * that id again. Reported at B's fetch with the chain (A's fetch, A's call
 * of B, B's fetch) for every such caller.
 *
 * Not flagged: callers that pass a plain id they did not fetch, fetches of a
 * different model, B reading a single attribute the callers already hold
 * (PA103 reports that case - one finding per problem). */
#include <stdlib.h>
#include <string.h>

#include "audit/query/refetch.h"

static void report(const struct pa_audit_input *in, struct pa_rule_out *out, const struct pa_query_refetch *rf, void *ud)
{
    (void)ud;
    if (pa_query_refetch_is_resolve(rf)) return;   /* PA103 */
    size_t nfetched = 0;
    const char *obj = NULL;   /* the first fetching caller's variable */
    for (size_t k = 0; k < rf->callers.n; k++)
        if (rf->callers.v[k].fetch_call >= 0) {
            if (!obj) obj = rf->callers.v[k].obj;
            nfetched++;
        }
    if (!nfetched) return;
    const struct pa_file_facts *bf = in->files[rf->file];
    const struct pa_call *bc = pa_query_call(bf, rf->call);
    const struct pa_func *bfn = pa_facts_func(bf, rf->func);
    pa_buf issue, rec, names;
    pa_buf_init(&issue);
    pa_buf_init(&rec);
    pa_buf_init(&names);
    for (size_t k = 0; k < rf->callers.n; k++) {
        const struct pa_query_caller *c = &rf->callers.v[k];
        if (c->fetch_call < 0) continue;
        const struct pa_func *afn = pa_facts_func(in->files[c->file], c->func);
        pa_buf_printf(&names, "%s%s() (%s:%u)", names.len ? ", " : "", afn ? afn->qualname : "<module>",
                      in->files[c->file]->path, pa_query_call(in->files[c->file], c->call)->line);
    }
    pa_buf_printf(&issue, "%s is fetched twice in one unit of work: %s already loaded it and passes `%s.id`, and "
                  "%s() loads it again with `%s()` by `%s`; caller%s: %s",
                  rf->model->name, nfetched == 1 ? "the caller" : "each caller", obj,
                  bfn ? bfn->qualname : "?", bc->callee, rf->param, nfetched == 1 ? "" : "s", names.s);
    pa_query_style st = pa_query_style_for(in, rf->file, bc, rf->model);
    pa_buf_printf(&rec, "Pass the %s object to %s() instead of its id (keep an id-based wrapper for other callers)",
                  rf->model->name, bfn ? bfn->name : "the callee");
    if (st == PA_QS_DJANGO) {
        pa_buf_puts(&rec, "; a Django instance stays valid across calls (use refresh_from_db() only where fresh data is required).");
    } else {
        int eoc = -1;
        for (size_t i = 0; i < in->ctx->sessions.n; i++)
            if (in->ctx->sessions.v[i].expire_on_commit >= 0) eoc = in->ctx->sessions.v[i].expire_on_commit;
        if (eoc == 0)
            pa_buf_puts(&rec, "; the session factory sets expire_on_commit=False, so the passed object stays usable even "
                              "after a commit in between.");
        else
            pa_buf_puts(&rec, "; if a commit happens in between, create the session with expire_on_commit=False (or the "
                              "object's attributes are reloaded on next access), or within one session rely on the "
                              "identity map: `session.get()` of an already-loaded key does not query.");
    }
    struct pa_finding *fd = pa_rule_report_call(out, in, rf->file, bc, PA_SEV_MEDIUM, issue.s, rec.s, "S");
    for (size_t k = 0; k < rf->callers.n; k++) {
        const struct pa_query_caller *c = &rf->callers.v[k];
        if (c->fetch_call < 0) continue;
        const struct pa_file_facts *af = in->files[c->file];
        const struct pa_func *afn = pa_facts_func(af, c->func);
        char *n1 = pa_xasprintf("%s() fetches %s", afn ? afn->qualname : "<module>", rf->model->name);
        pa_finding_add_trace(fd, af->path, pa_query_call(af, c->fetch_call)->line, n1);
        char *n2 = pa_xasprintf("passes %s.id to %s()", c->obj, bfn ? bfn->qualname : "?");
        pa_finding_add_trace(fd, af->path, pa_query_call(af, c->call)->line, n2);
        free(n1);
        free(n2);
    }
    char *n3 = pa_xasprintf("%s() fetches %s again", bfn ? bfn->qualname : "?", rf->model->name);
    pa_finding_add_trace(fd, bf->path, bc->line, n3);
    free(n3);
    pa_buf_free(&issue);
    pa_buf_free(&rec);
    pa_buf_free(&names);
}

void pa_check_pa101(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    pa_query_refetch_scan(in, out, report, NULL);
}
