/* pa201_missing_intermediate_commits.c - PA201 missing_intermediate_commits:
 * repeated updates of rows of a table that has a NOTIFY trigger (found by
 * discovery in the migrations; ORM classes are mapped to their tables by the
 * model knowledge) inside one transaction with no commit between them.
 * PostgreSQL delivers NOTIFY only at commit, so listeners see nothing until
 * the end.
 *   loop:     an update in a loop whose body never commits (progress
 *             updates in a job runner) - reported at the update;
 *   sequence: two updates of the table in one function, separated by real
 *             work (a call into project code, IO, sleep, a loop) and not by
 *             a commit - reported at the first update, the state listeners
 *             never see.
 * Severity: CRITICAL when the trigger's channel feeds a realtime consumer
 * (a LISTEN on that channel, or any SSE/WebSocket consumer in the project),
 * HIGH otherwise; MEDIUM when each iteration updates its own row once (the
 * loop variable is the row): every row changes atomically, only the
 * delivery is delayed.
 * session.add() of a new object is an INSERT: it counts only for triggers
 * that fire on INSERT.
 * Not flagged: updates in autocommit mode (Django outside atomic(), asyncpg
 * outside conn.transaction()), loops that commit (at every iteration or
 * every N items, directly or through a called function), loops whose body
 * opens its own begin()/atomic() block or calls a function that commits its
 * own transaction, tables without a NOTIFY trigger,
 * adjacent assignments of several columns with nothing in between. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/transaction/txn.h"

static bool trigger_fires(const struct pa_trigger *t, pa_txn_wkind k)
{
    if (!t->event) return true;
    switch (k) {
    case PA_TXN_W_UPDATE: return strstr(t->event, "UPDATE") != NULL;
    case PA_TXN_W_INSERT: return strstr(t->event, "INSERT") != NULL;
    case PA_TXN_W_DELETE: return strstr(t->event, "DELETE") != NULL;
    case PA_TXN_W_ADD: return strstr(t->event, "INSERT") || strstr(t->event, "UPDATE");
    case PA_TXN_W_NONE: break;
    }
    return false;
}

static bool is_update_event(const struct pa_txn_event *e)
{
    return (e->op == PA_TXN_WRITE || e->op == PA_TXN_STAGE) && e->table && !e->autocommit && e->wkind != PA_TXN_W_DELETE &&
           e->wkind != PA_TXN_W_NONE;
}

/* A commit (direct or through a called function) at a line in [from, to]. */
static bool commit_between(const struct pa_txn_func *fn, uint32_t fl, uint32_t fc, uint32_t tl, uint32_t tc)
{
    for (size_t i = 0; i < fn->ev.n; i++) {
        const struct pa_txn_event *e = &fn->ev.v[i];
        if (e->op != PA_TXN_COMMIT) continue;
        if (pos_lt(fl, fc, e->line, e->col) && pos_lt(e->line, e->col, tl, tc)) return true;
    }
    return false;
}

/* Is a begin()/atomic() block opened inside loop l and enclosing the event? */
static bool block_per_iteration(const struct pa_txn_file *tf, const struct pa_txn_func *fn, const struct pa_txn_event *e,
                                int32_t l)
{
    const struct pa_loop *lp = &tf->f->loops.v[l];
    for (size_t i = 0; i < fn->rg.n; i++) {
        const struct pa_txn_region *r = &fn->rg.v[i];
        if (r->kind != PA_TXR_BLOCK) continue;
        if (r->line < lp->line || r->line > lp->end_line) continue;
        if (pa_txn_in_region(tf, r, e->call, e->line, e->col + 1) || (e->line > r->line && e->line <= r->end_line)) return true;
    }
    return false;
}

/* The loop variable is the row being updated (each row updated once). */
static bool per_row(const struct pa_loop *lp, const struct pa_txn_event *e)
{
    if (!lp->target || !e->target) return false;
    const char *t = lp->target;
    size_t n = strlen(e->target);
    /* the target list "i, job" contains the row variable as a whole word */
    for (const char *p = strstr(t, e->target); p; p = strstr(p + 1, e->target)) {
        bool left = p == t || p[-1] == ' ' || p[-1] == ',' || p[-1] == '(';
        bool right = p[n] == '\0' || p[n] == ',' || p[n] == ' ' || p[n] == ')';
        if (left && right) return true;
    }
    return false;
}

/* Real work on the lines strictly between two updates: a project call,
 * IO/sleep/CPU, or a loop (calls inside update statements do not count). */
static bool work_between(const struct pa_txn_file *tf, const struct pa_txn_func *fn, uint32_t fl, uint32_t tl)
{
    const struct pa_file_facts *f = tf->f;
    for (size_t k = 0; k < fn->calls.n; k++) {
        int32_t ci = fn->calls.v[k];
        const struct pa_call *c = &f->calls.v[ci];
        if (c->line <= fl || c->line >= tl) continue;     /* statements strictly between the two updates */
        bool in_update = false;                           /* job.published_at = utcnow(): part of an update */
        for (size_t i = 0; i < fn->ev.n && !in_update; i++)
            if ((fn->ev.v[i].op == PA_TXN_STAGE || fn->ev.v[i].op == PA_TXN_WRITE) && fn->ev.v[i].line == c->line)
                in_update = true;
        if (in_update) continue;
        uint32_t e = pa_index_call_effects(tf->in->index, tf->file, ci);
        if (e & (PA_EFF_SLEEP | PA_EFF_ASYNC_SLEEP | PA_EFF_NET_IO | PA_EFF_EXTERNAL | PA_EFF_FILE_IO | PA_EFF_SUBPROCESS |
                 PA_EFF_CPU))
            return true;
        struct pa_target tg = pa_index_resolve(tf->in->index, tf->file, ci);
        if (tg.kind == PA_TARGET_PROJECT) return true;
    }
    for (size_t l = 0; l < f->loops.n; l++) {
        const struct pa_loop *lp = &f->loops.v[l];
        if (lp->func == fn->func && lp->kind <= PA_LOOP_WHILE && lp->line > fl && lp->line < tl)
            return true;
    }
    return false;
}

static const char *row_label(const struct pa_txn_file *tf, const struct pa_txn_event *e, char *buf, size_t n)
{
    if (e->assign >= 0) snprintf(buf, n, "%s", tf->f->assigns.v[e->assign].target);
    else if (e->model) snprintf(buf, n, "%s row", e->model->name);
    else snprintf(buf, n, "row");
    return buf;
}

static void report(struct pa_rule_out *out, const struct pa_audit_input *in, const struct pa_txn_file *tf,
                   const struct pa_txn_func *fn, const struct pa_txn_event *e, const struct pa_trigger *trig,
                   pa_severity sev, bool realtime, const char *how, uint32_t ref_line)
{
    char lbl[PA_TEXT_MAX + 16];
    pa_buf issue, rec;
    pa_buf_init(&issue);
    pa_buf_init(&rec);
    pa_buf_printf(&issue, "%s is %s %s inside one transaction, and table %s has trigger %s", row_label(tf, e, lbl, sizeof lbl),
                  e->wkind == PA_TXN_W_INSERT ? "inserted" : e->wkind == PA_TXN_W_ADD ? "written" : "updated", how, e->table,
                  trig->name ? trig->name : "(unnamed)");
    if (trig->channel) pa_buf_printf(&issue, " that notifies channel '%s'", trig->channel);
    pa_buf_printf(&issue, ": NOTIFY is delivered only at commit, so listeners see none of the intermediate states");
    if (sev == PA_SEV_MEDIUM) pa_buf_printf(&issue, " (each row changes once; every notification is delayed to the end)");
    else if (realtime) pa_buf_printf(&issue, "; the channel feeds a realtime consumer, so users see no progress until the end");
    pa_buf_printf(&rec, "Commit at the milestones listeners must see (after each step, or every N items), or write "
                  "progress through a separate short transaction/session; keep the final state change in the main one.");
    struct pa_finding *fd;
    if (e->call >= 0) fd = pa_rule_report_call(out, in, tf->file, &tf->f->calls.v[e->call], sev, issue.s, rec.s, "M");
    else fd = pa_rule_report_at(out, in, tf->file, fn->func, e->line, e->col, e->line, sev, issue.s, rec.s, "M");
    if (trig->source) {
        /* "path:line" → trace step */
        const char *colon = strrchr(trig->source, ':');
        char *path = colon ? pa_xstrndup(trig->source, (size_t)(colon - trig->source)) : pa_xstrdup(trig->source);
        uint32_t line = colon ? (uint32_t)strtoul(colon + 1, NULL, 10) : 0;
        char *note = pa_xasprintf("trigger %s on %s", trig->name ? trig->name : "", trig->table ? trig->table : "");
        pa_finding_add_trace(fd, path, line ? line : 1, note);
        free(note);
        free(path);
    }
    if (ref_line) pa_finding_add_trace(fd, tf->f->path, ref_line, "transaction is committed only after this");
    pa_buf_free(&issue);
    pa_buf_free(&rec);
}

void pa_check_pa201(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    if (!in->ctx || in->ctx->triggers.n == 0) return;
    struct pa_txn_realtime rt;
    pa_txn_realtime_build(in, &rt);
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_txn_file *tf = pa_txn_file_get(in, (int32_t)fi);
        if (!tf) continue;
        const struct pa_file_facts *f = tf->f;
        for (size_t s = 0; s < tf->nfuncs; s++) {
            const struct pa_txn_func *fn = &tf->funcs[s];
            PA_VEC(int32_t) done_loops = {0};     /* loops already reported */
            PA_VEC(const char *) loop_tables = {0}; /* tables reported in a loop of this function */
            bool seq_done = false;
            for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < fn->ev.n; i++) {
                const struct pa_txn_event *e = &fn->ev.v[i];
                if (!is_update_event(e)) continue;
                const struct pa_trigger *trig = pa_context_notify_trigger(in->ctx, e->table);
                if (!trig || !trigger_fires(trig, e->wkind)) continue;
                if (pass == 0) out->examined++;
                bool realtime = pa_txn_channel_is_realtime(&rt, trig->channel);
                pa_severity sev = realtime ? PA_SEV_CRITICAL : PA_SEV_HIGH;
                int32_t l = e->loop;
                while (l >= 0 && f->loops.v[l].kind > PA_LOOP_WHILE) l = f->loops.v[l].parent;   /* comprehensions */
                if (l >= 0) {
                    if (pass != 0) continue;
                    bool seen = false;
                    for (size_t k = 0; k < done_loops.n; k++)
                        if (loop_contains(f, l, done_loops.v[k]) || loop_contains(f, done_loops.v[k], l)) seen = true;
                    if (seen) continue;
                    /* the outermost loop without a commit inside is the one whose iterations pile up */
                    const struct pa_loop *lp = &f->loops.v[l];
                    if (commit_between(fn, lp->line, 0, lp->end_line + 1, 0)) continue;
                    if (block_per_iteration(tf, fn, e, l)) continue;
                    int32_t top = l;
                    for (int32_t p = f->loops.v[l].parent; p >= 0; p = f->loops.v[p].parent) {
                        const struct pa_loop *pl = &f->loops.v[p];
                        if (pl->kind > PA_LOOP_WHILE) continue;
                        if (commit_between(fn, pl->line, 0, pl->end_line + 1, 0) || block_per_iteration(tf, fn, e, p)) break;
                        top = p;
                    }
                    /* later commit of the function, for the trace */
                    uint32_t ref = 0;
                    for (size_t k = 0; k < fn->ev.n && !ref; k++)
                        if (fn->ev.v[k].op == PA_TXN_COMMIT && fn->ev.v[k].line > f->loops.v[top].end_line) ref = fn->ev.v[k].line;
                    pa_severity lsev = per_row(lp, e) ? PA_SEV_MEDIUM : sev;
                    char how[96];
                    snprintf(how, sizeof how, "on every iteration of the loop at line %u", f->loops.v[top].line);
                    report(out, in, tf, fn, e, trig, lsev, realtime, how, ref);
                    pa_vec_push(&done_loops, top);
                    pa_vec_push(&loop_tables, e->table);
                    continue;
                }
                if (pass != 1 || seq_done) continue;
                bool loop_reported = false;   /* the same problem, already reported at the loop */
                for (size_t k = 0; k < loop_tables.n; k++)
                    if (strcmp(loop_tables.v[k], e->table) == 0) loop_reported = true;
                if (loop_reported) continue;
                /* sequence: a later update of the same table, real work in between, no commit */
                for (size_t j = i + 1; j < fn->ev.n; j++) {
                    const struct pa_txn_event *e2 = &fn->ev.v[j];
                    if (e2->op == PA_TXN_COMMIT || e2->op == PA_TXN_ROLLBACK) break;
                    if (!is_update_event(e2) || strcmp(e2->table, e->table) != 0) continue;
                    if (e2->loop >= 0 && !loop_contains(f, e2->loop, e->loop)) continue;
                    if (!work_between(tf, fn, e->line, e2->line)) continue;
                    char how[96];
                    snprintf(how, sizeof how, "here and again at line %u, with work in between,", e2->line);
                    uint32_t ref = 0;
                    for (size_t k = j; k < fn->ev.n && !ref; k++)
                        if (fn->ev.v[k].op == PA_TXN_COMMIT) ref = fn->ev.v[k].line;
                    report(out, in, tf, fn, e, trig, sev, realtime, how, ref);
                    seq_done = true;
                    break;
                }
            }
            pa_vec_free(&loop_tables);
            pa_vec_free(&done_loops);
        }
    }
    pa_txn_realtime_free(&rt);
}
