/* pa205_long_held_transaction.c - PA205 long_held_transaction: an open
 * transaction (see txn.h for how one is found) that spans a sleep
 * (time.sleep → HIGH, an awaited asyncio/anyio/trio sleep → MEDIUM), a
 * subprocess run (HIGH), or more than 50 lines of code (MEDIUM, reported
 * once at the place the transaction opens, only when nothing more specific
 * was reported for it). Network calls inside a transaction belong to PA202
 * (the more specific rule) and are not reported here.
 * Django ATOMIC_REQUESTS views are not measured for length: the setting,
 * not the view, decides that the whole view is one transaction. */
#include <stdlib.h>
#include <string.h>

#include "audit/transaction/txn.h"

#define MAX_CHAIN 10
#define LONG_LINES 50

void pa_check_pa205(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_txn_file *tf = pa_txn_file_get(in, (int32_t)fi);
        if (!tf) continue;
        const struct pa_file_facts *f = tf->f;
        for (size_t s = 0; s < tf->nfuncs; s++) {
            const struct pa_txn_func *fn = &tf->funcs[s];
            if (!fn->rg.n) continue;
            bool *hit = pa_xcalloc(fn->rg.n, sizeof *hit);   /* region already has a finding */
            for (size_t k = 0; k < fn->calls.n; k++) {
                int32_t ci = fn->calls.v[k];
                const struct pa_call *c = &f->calls.v[ci];
                if ((c->flags & PA_CALL_DECORATOR) || pa_txn_deferred_call(c)) continue;
                const struct pa_txn_region *r = pa_txn_region_of_call(tf, fn, ci);
                if (!r) continue;
                out->examined++;
                uint32_t e = pa_index_call_effects(in->index, (int32_t)fi, ci);
                const char *sdk = NULL;
                if ((e & (PA_EFF_NET_IO | PA_EFF_EXTERNAL)) || pa_txn_sdk_call(in, (int32_t)fi, ci, &sdk)) {   /* PA202's */
                    hit[r - fn->rg.v] = true;
                    continue;
                }
                pa_severity sev;
                uint32_t eff;
                const char *what;
                if (e & PA_EFF_SLEEP) { sev = PA_SEV_HIGH; eff = PA_EFF_SLEEP; what = "sleeps"; }
                else if (e & PA_EFF_SUBPROCESS) { sev = PA_SEV_HIGH; eff = PA_EFF_SUBPROCESS; what = "waits for a subprocess"; }
                else if (e & PA_EFF_ASYNC_SLEEP) { sev = PA_SEV_MEDIUM; eff = PA_EFF_ASYNC_SLEEP; what = "awaits a sleep"; }
                else continue;
                hit[r - fn->rg.v] = true;
                struct pa_target tg = pa_index_resolve(in->index, (int32_t)fi, ci);
                struct pa_chain_step steps[MAX_CHAIN];
                size_t nsteps = 0;
                const struct pa_libsig *sig =
                    pa_index_effect_chain(in->index, (int32_t)fi, ci, eff, steps, MAX_CHAIN, &nsteps);
                pa_buf issue, rec;
                pa_buf_init(&issue);
                pa_buf_init(&rec);
                pa_buf_printf(&rec, "End the transaction before waiting: commit (or move the statements) before `%s()`, "
                              "and open a new short transaction afterwards if more writes follow.", c->callee);
                struct pa_finding *fd = pa_rule_report_call(out, in, (int32_t)fi, c, sev, "", rec.s, "M");
                char *note = pa_xasprintf("transaction opened here (%s)", pa_txn_region_label(r->kind));
                pa_finding_add_trace(fd, f->path, r->open_line ? r->open_line : c->line, note);
                free(note);
                pa_buf_printf(&issue, "%s()", c->callee);
                if (sig && nsteps >= 2 && (tg.kind == PA_TARGET_PROJECT || tg.kind == PA_TARGET_CLASS))
                    pa_index_describe_chain(in->index, steps, nsteps, sig, fd, &issue);
                pa_buf_printf(&issue, " %s inside %s: the transaction, its connection and its locks are held for the "
                              "whole wait", what, r->what);
                free(fd->issue);
                fd->issue = pa_buf_take(&issue);
                pa_buf_free(&rec);
            }
            for (size_t i = 0; i < fn->rg.n; i++) {
                const struct pa_txn_region *r = &fn->rg.v[i];
                if (hit[i] || r->kind == PA_TXR_REQUEST) continue;
                uint32_t from = r->open_line, to = r->end_line;
                if (to <= from || to - from + 1 <= LONG_LINES) continue;
                uint32_t n = pa_txn_code_lines(in, f, from, to);
                if (n <= LONG_LINES) continue;
                /* a nested block inside a longer region of the same function is reported with it */
                bool nested = false;
                for (size_t j = 0; j < fn->rg.n && !nested; j++)
                    if (j != i && fn->rg.v[j].open_line < from && fn->rg.v[j].end_line >= to &&
                        fn->rg.v[j].kind != PA_TXR_REQUEST)
                        nested = true;
                if (nested) continue;
                pa_buf issue, rec;
                pa_buf_init(&issue);
                pa_buf_init(&rec);
                pa_buf_printf(&issue, "%s spans %u lines of code (lines %u-%u): everything in between runs while the "
                              "transaction holds its connection and locks", r->what, n, from, to);
                pa_buf_printf(&rec, "Prepare data and do non-database work before the transaction opens; keep only the "
                              "statements that must be atomic between begin and commit.");
                uint32_t col = 1;
                if (r->kind == PA_TXR_AUTOBEGIN && r->open_ev >= 0) col = fn->ev.v[r->open_ev].col;
                else if (r->kind == PA_TXR_DEPENDENCY && r->open_ev >= 0) col = fn->ev.v[r->open_ev].col;
                pa_rule_report_at(out, in, (int32_t)fi, fn->func, from, col, from, PA_SEV_MEDIUM, issue.s, rec.s, "M");
                pa_buf_free(&issue);
                pa_buf_free(&rec);
            }
            free(hit);
        }
    }
}
