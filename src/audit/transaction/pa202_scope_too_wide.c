/* pa202_scope_too_wide.c - PA202 scope_too_wide: a network call (HTTP,
 * gRPC, SDK clients; sync or awaited) or file I/O executed while a
 * transaction is open - inside a begin()/atomic() block, an @atomic
 * function, an ATOMIC_REQUESTS view, between a session's first statement
 * and its commit(), or in a handler whose dependency session commits on
 * exit. Found directly or through called project functions (reported at the
 * call inside the transaction, with the chain). Network → HIGH, file → MEDIUM.
 *
 * Not flagged: calls before the transaction opens or after it commits, code
 * in callbacks handed to on_commit()/lambdas (separate functions), reads of
 * a file opened by a with-item already reported (one finding per problem),
 * transactions that are only read from (no write, nothing to protect). */
#include <stdlib.h>
#include <string.h>

#include "audit/transaction/txn.h"

#define MAX_CHAIN 10

/* Does the network/file effect of call ci belong to PA202? Sets *sev and the
 * effect used for the chain. Shared reading with PA205 (which leaves these
 * to PA202). */
static bool io_effect(uint32_t e, pa_severity *sev, uint32_t *eff)
{
    if (e & (PA_EFF_NET_IO | PA_EFF_EXTERNAL)) {
        *sev = PA_SEV_HIGH;
        *eff = (e & PA_EFF_EXTERNAL) ? PA_EFF_EXTERNAL : PA_EFF_NET_IO;
        return true;
    }
    if (e & PA_EFF_FILE_IO) {
        *sev = PA_SEV_MEDIUM;
        *eff = PA_EFF_FILE_IO;
        return true;
    }
    return false;
}

/* Metadata look-ups (exists/stat/is_file …): a syscall, not an I/O transfer
 * worth a finding. */
static bool cheap_fs(const char *name)
{
    static const char *const cheap[] = {"os.path.exists", "os.path.lexists", "os.path.isfile", "os.path.isdir",
                                        "os.path.islink", "os.path.getsize", "os.path.getmtime", "os.path.getctime",
                                        "os.path.getatime", "os.path.samefile", "os.path.realpath", "os.stat", "os.lstat",
                                        "os.access", "pathlib.Path.exists", "pathlib.Path.is_file", "pathlib.Path.is_dir",
                                        "pathlib.Path.is_symlink", "pathlib.Path.stat", "pathlib.Path.lstat",
                                        "pathlib.Path.resolve", "pathlib.Path.samefile", NULL};
    for (int i = 0; cheap[i]; i++)
        if (strcmp(name, cheap[i]) == 0) return true;
    return false;
}

/* A with-item between the call and the region's block already does file IO
 * (the `open()` was reported; fh.read() inside is the same problem). */
static bool under_reported_with(const struct pa_txn_file *tf, const struct pa_call *c, const struct pa_txn_region *r)
{
    const struct pa_file_facts *f = tf->f;
    for (int32_t w = c->with; w >= 0 && (size_t)w < f->withs.n; w = f->withs.v[w].parent) {
        if (r->kind == PA_TXR_BLOCK && w == r->with) break;
        const struct pa_with *wb = &f->withs.v[w];
        for (uint16_t i = 0; i < wb->nitems; i++) {
            int32_t ic = wb->items[i].call;
            if (ic < 0 || ic == (int32_t)(c - f->calls.v)) continue;
            if (pa_index_call_effects(tf->in->index, tf->file, ic) & PA_EFF_FILE_IO) return true;
        }
    }
    return false;
}

void pa_check_pa202(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_txn_file *tf = pa_txn_file_get(in, (int32_t)fi);
        if (!tf) continue;
        const struct pa_file_facts *f = tf->f;
        for (size_t s = 0; s < tf->nfuncs; s++) {
            const struct pa_txn_func *fn = &tf->funcs[s];
            if (!fn->rg.n) continue;
            uint32_t last_line = 0;
            for (size_t k = 0; k < fn->calls.n; k++) {
                int32_t ci = fn->calls.v[k];
                const struct pa_call *c = &f->calls.v[ci];
                if ((c->flags & PA_CALL_DECORATOR) || pa_txn_deferred_call(c)) continue;
                const struct pa_txn_region *r = pa_txn_region_of_call(tf, fn, ci);
                if (!r) continue;
                out->examined++;
                uint32_t e = pa_index_call_effects(in->index, (int32_t)fi, ci);
                pa_severity sev;
                uint32_t eff;
                const char *sdk = NULL;
                if (!io_effect(e, &sev, &eff)) {
                    if (!pa_txn_sdk_call(in, (int32_t)fi, ci, &sdk)) continue;
                    sev = PA_SEV_HIGH;
                    eff = PA_EFF_EXTERNAL;
                }
                if (c->line == last_line) continue;           /* one finding per statement line */
                if (eff == PA_EFF_FILE_IO && under_reported_with(tf, c, r)) continue;
                struct pa_target tg = pa_index_resolve(in->index, (int32_t)fi, ci);
                struct pa_chain_step steps[MAX_CHAIN];
                size_t nsteps = 0;
                const struct pa_libsig *sig =
                    pa_index_effect_chain(in->index, (int32_t)fi, ci, eff, steps, MAX_CHAIN, &nsteps);
                if (eff == PA_EFF_FILE_IO && sig && cheap_fs(sig->name)) continue;
                /* name the kind of remote call from the local SDK table or the library signature */
                const char *lib = sig ? sig->name : "";
                bool grpc = (sdk && strcmp(sdk, "gRPC stub") == 0) || pa_str_starts(lib, "grpc");
                bool api = sdk || pa_str_starts(lib, "boto3") || pa_str_starts(lib, "stripe") ||
                           pa_str_starts(lib, "twilio") || pa_str_starts(lib, "sendgrid") || pa_str_starts(lib, "openai") ||
                           pa_str_starts(lib, "anthropic") || pa_str_starts(lib, "slack") || pa_str_starts(lib, "google.cloud");
                const char *what = eff == PA_EFF_FILE_IO ? "does file I/O"
                                   : grpc ? "makes a gRPC call"
                                   : api ? "calls a remote service API"
                                         : "makes a network call";
                pa_buf issue, rec;
                pa_buf_init(&issue);
                pa_buf_init(&rec);
                if (eff == PA_EFF_FILE_IO)
                    pa_buf_printf(&rec, "Do the file I/O before the transaction begins or after it commits; keep only the "
                                  "database statements inside.");
                else
                    pa_buf_printf(&rec, "Move `%s()` out of the transaction: call it before the transaction starts, or after "
                                  "the commit (Django: `transaction.on_commit(...)`; or write an outbox row that a worker "
                                  "delivers).", c->callee);
                struct pa_finding *fd = pa_rule_report_call(out, in, (int32_t)fi, c, sev, "", rec.s, "M");
                const struct pa_func *fdef = pa_facts_func(f, c->func);
                char *note = pa_xasprintf("transaction opened here (%s)", pa_txn_region_label(r->kind));
                pa_finding_add_trace(fd, f->path, r->open_line ? r->open_line : (fdef ? fdef->line : c->line), note);
                free(note);
                pa_buf_printf(&issue, "%s()", c->callee);
                if (sig && nsteps >= 2 && (tg.kind == PA_TARGET_PROJECT || tg.kind == PA_TARGET_CLASS))
                    pa_index_describe_chain(in->index, steps, nsteps, sig, fd, &issue);
                pa_buf_printf(&issue, " %s inside %s: the transaction keeps its connection%s open for the whole %s", what,
                              r->what, eff == PA_EFF_FILE_IO ? "" : " and row locks",
                              eff == PA_EFF_FILE_IO ? "disk access"
                                                    : "round trip, and a slow or failing remote service stalls or rolls "
                                                      "back the database work");
                free(fd->issue);
                fd->issue = pa_buf_take(&issue);
                pa_buf_free(&rec);
                last_line = c->line;
            }
        }
    }
}
