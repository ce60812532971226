/* pa203_scope_too_narrow.c - PA203 scope_too_narrow: one logical unit of
 * work split across several commits in one function, so a failure between
 * them leaves the first part applied:
 *   parent/child  a row is created and committed, then rows referring to it
 *                 (Child(parent_id=p.id), Child(parent=p)) are created - or
 *                 existing rows are pointed at it (x.parent_id = p.id) - and
 *                 committed separately → HIGH;
 *   state+record  a status change and its audit/outbox/history/event record
 *                 are committed separately → MEDIUM.
 * Also in autocommit mode (Django ORM outside atomic(), asyncpg outside
 * conn.transaction()): two such writes each commit on their own; skipped
 * when every caller of the function runs it inside a transaction, or under
 * Django ATOMIC_REQUESTS in a request.
 * Across functions, along direct calls: `p = create_parent(db, …)` and a
 * later `add_child(db, p.id, …)` whose callees both write and commit → HIGH.
 * Reported at the premature commit (or the first autocommitted write, or
 * the first call).
 * Not flagged: both parts before one commit, inside one begin()/atomic()
 * block, per-item commits in a loop (milestones), unrelated writes. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/transaction/txn.h"

/* Does text mention variable v as a whole word (v.id, =v, (v, …)? */
static bool mentions(const char *text, const char *v)
{
    if (!text || !v || !*v) return false;
    size_t n = strlen(v);
    for (const char *p = strstr(text, v); p; p = strstr(p + 1, v)) {
        bool left = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.');
        bool right = !(isalnum((unsigned char)p[n]) || p[n] == '_');
        if (left && right) return true;
    }
    return false;
}

static bool icontains(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (; *s; s++)
        if (strncasecmp(s, w, n) == 0) return true;
    return false;
}

static bool record_name(const char *s)
{
    if (!s) return false;
    static const char *const words[] = {"audit", "outbox", "history", "event", "journal", "activity", "changelog",
                                        "statuslog", "status_log", NULL};
    for (int i = 0; words[i]; i++)
        if (icontains(s, words[i])) return true;
    return false;
}

static bool is_record(const struct pa_txn_event *e)
{
    return (e->model && (record_name(e->model->name) || record_name(e->model->table))) || (e->table && record_name(e->table));
}

static bool creates(const struct pa_txn_event *e)
{
    return (e->op == PA_TXN_WRITE || e->op == PA_TXN_STAGE) && (e->wkind == PA_TXN_W_INSERT || e->wkind == PA_TXN_W_ADD);
}

static bool updates(const struct pa_txn_event *e)
{
    return (e->op == PA_TXN_WRITE || e->op == PA_TXN_STAGE) && e->wkind == PA_TXN_W_UPDATE && !is_record(e);
}

/* session.add(x) / add_all(xs): the argument is the row itself. */
static bool is_add_call(const struct pa_txn_file *tf, const struct pa_txn_event *e)
{
    if (e->call < 0 || e->op != PA_TXN_STAGE) return false;
    const char *a = tf->f->calls.v[e->call].attr;
    return a && (strcmp(a, "add") == 0 || strcmp(a, "add_all") == 0);
}

/* The variable holding the row a create event makes: the NAME argument of
 * add(x), or the assignment target of `x = M.objects.create(...)`. */
static const char *created_var(const struct pa_txn_file *tf, const struct pa_txn_func *fn, const struct pa_txn_event *e)
{
    if (e->call < 0) return NULL;
    const struct pa_file_facts *f = tf->f;
    const struct pa_call *c = &f->calls.v[e->call];
    if (is_add_call(tf, e)) {
        for (uint16_t a = 0; a < c->nargs; a++)
            if (!c->args[a].kw && c->args[a].kind == PA_EXPR_NAME) return c->args[a].text;
        return NULL;
    }
    for (size_t i = 0; i < f->assigns.n; i++) {
        const struct pa_assign *as = &f->assigns.v[i];
        if (as->func != fn->func || as->value_call < 0) continue;
        for (int32_t k = e->call, g = 0; k >= 0 && g < 16; k = f->calls.v[k].recv_call, g++)
            if (as->value_call == k && as->target_kind == PA_EXPR_NAME) return as->target;
        /* `x = await M.objects.acreate(...)`: value_call is the awaited call */
    }
    return NULL;
}

/* The text that builds the row of a create event: its arguments, and the
 * value of the assignment that made a NAME argument. */
static bool create_refers_to(const struct pa_txn_file *tf, const struct pa_txn_func *fn, const struct pa_txn_event *e,
                             const char *parent)
{
    if (e->call < 0 || !parent) return false;
    const struct pa_file_facts *f = tf->f;
    const struct pa_call *c = &f->calls.v[e->call];
    for (uint16_t a = 0; a < c->nargs; a++) {
        const struct pa_arg *ag = &c->args[a];
        if (ag->kind == PA_EXPR_NAME && ag->text && strcmp(ag->text, parent) == 0) {
            if (ag->kw || !is_add_call(tf, e)) return true;   /* create(parent=parent), execute(sql, parent_id) */
            continue;                                             /* add(parent) again */
        }
        if (ag->kind != PA_EXPR_NAME && mentions(ag->text, parent)) return true;
        if (ag->kind == PA_EXPR_NAME && ag->text) {
            /* the nearest assignment of that name before the call */
            const struct pa_assign *best = NULL;
            for (size_t i = 0; i < f->assigns.n; i++) {
                const struct pa_assign *as = &f->assigns.v[i];
                if (as->func == fn->func && as->target && strcmp(as->target, ag->text) == 0 && as->line <= c->line) best = as;
            }
            if (best && mentions(best->value, parent)) return true;
            /* attributes set afterwards: child.order_id = parent.id */
            for (size_t i = 0; i < f->assigns.n; i++) {
                const struct pa_assign *as = &f->assigns.v[i];
                if (as->func == fn->func && as->target && pa_str_starts(as->target, ag->text) &&
                    as->target[strlen(ag->text)] == '.' && as->line <= c->line && mentions(as->value, parent))
                    return true;
            }
        }
    }
    /* the loop that creates children iterates something of the parent */
    return false;
}

static const char *ev_name(const struct pa_txn_event *e)
{
    return e->model ? e->model->name : e->table ? e->table : "row";
}

struct split {
    const struct pa_txn_event *a, *b;   /* the two parts */
    bool parent_child;
};

/* Look for a split between the write sets [a0, a1) and [b0, b1). */
static bool find_split(const struct pa_txn_file *tf, const struct pa_txn_func *fn, size_t a0, size_t a1, size_t b0, size_t b1,
                       const char *key, struct split *out)
{
    for (size_t i = a0; i < a1; i++) {
        const struct pa_txn_event *p = &fn->ev.v[i];
        if (!creates(p) || (p->key && key && strcmp(p->key, key) != 0)) continue;
        const char *pv = created_var(tf, fn, p);
        if (!pv) continue;
        for (size_t j = b0; j < b1; j++) {
            const struct pa_txn_event *ch = &fn->ev.v[j];
            if (ch == p) continue;
            /* a later change that points a row at the parent: owner.company_id = company.id */
            if (ch->assign >= 0 && ch->op == PA_TXN_STAGE &&
                mentions(tf->f->assigns.v[ch->assign].value, pv)) {
                *out = (struct split){p, ch, true};
                return true;
            }
            if (!creates(ch)) continue;
            if (create_refers_to(tf, fn, ch, pv)) {
                *out = (struct split){p, ch, true};
                return true;
            }
        }
    }
    for (int pass = 0; pass < 2; pass++) {
        size_t x0 = pass ? b0 : a0, x1 = pass ? b1 : a1, y0 = pass ? a0 : b0, y1 = pass ? a1 : b1;
        for (size_t i = x0; i < x1; i++) {
            const struct pa_txn_event *u = &fn->ev.v[i];
            if (!updates(u)) continue;
            for (size_t j = y0; j < y1; j++) {
                const struct pa_txn_event *r = &fn->ev.v[j];
                if (creates(r) && is_record(r)) {
                    *out = pass ? (struct split){r, u, false} : (struct split){u, r, false};
                    return true;
                }
            }
        }
    }
    return false;
}

static bool is_write(const struct pa_txn_event *e)
{
    return e->op == PA_TXN_WRITE || e->op == PA_TXN_STAGE;
}

/* Is every project call site of function fn inside a transaction of its caller? */
static bool callers_hold_transaction(const struct pa_audit_input *in, pa_fref target, bool *has_callers)
{
    *has_callers = false;
    bool all = true;
    for (size_t fi = 0; fi < in->nfiles && all; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        for (size_t ci = 0; ci < f->calls.n && all; ci++) {
            const struct pa_call *c = &f->calls.v[ci];
            if (!c->attr || strcmp(c->attr, in->files[target.file]->funcs.v[target.func].name) != 0) continue;
            struct pa_target tg = pa_index_resolve(in->index, (int32_t)fi, (int32_t)ci);
            if (tg.kind != PA_TARGET_PROJECT || tg.fn.file != target.file || tg.fn.func != target.func) continue;
            *has_callers = true;
            const struct pa_txn_file *tf = pa_txn_file_get(in, (int32_t)fi);   /* NULL: no transaction there */
            const struct pa_txn_region *r = tf ? pa_txn_region_of_call(tf, pa_txn_slot(tf, c->func), (int32_t)ci) : NULL;
            if (!r || r->kind == PA_TXR_AUTOBEGIN || r->kind == PA_TXR_DEPENDENCY) all = false;
        }
    }
    return all;
}

static void report_split(struct pa_rule_out *out, const struct pa_audit_input *in, const struct pa_txn_file *tf,
                         const struct pa_call *at, const struct split *sp, uint32_t c1,
                         uint32_t c2, bool autocommit)
{
    pa_buf issue, rec;
    pa_buf_init(&issue);
    pa_buf_init(&rec);
    pa_severity sev = sp->parent_child ? PA_SEV_HIGH : PA_SEV_MEDIUM;
    if (autocommit) {
        if (sp->parent_child)
            pa_buf_printf(&issue, "%s (line %u) and the %s rows that refer to it (line %u) are written in autocommit mode, "
                          "each committing on its own: a failure in between leaves the %s without its %s rows",
                          ev_name(sp->a), sp->a->line, ev_name(sp->b), sp->b->line, ev_name(sp->a), ev_name(sp->b));
        else
            pa_buf_printf(&issue, "the %s change (line %u) and its %s record (line %u) are written in autocommit mode, each "
                          "committing on its own: a failure in between leaves one without the other",
                          ev_name(sp->a->wkind == PA_TXN_W_UPDATE ? sp->a : sp->b), sp->a->line,
                          ev_name(sp->a->wkind == PA_TXN_W_UPDATE ? sp->b : sp->a), sp->b->line);
        pa_buf_printf(&rec, "Wrap both writes in one transaction (`with transaction.atomic():` / "
                      "`async with conn.transaction():`).");
    } else {
        if (sp->parent_child)
            pa_buf_printf(&issue, "%s is committed here (line %u) before the %s rows that refer to it are created and "
                          "committed at line %u: a failure in between leaves the %s without its %s rows",
                          ev_name(sp->a), c1, ev_name(sp->b), c2, ev_name(sp->a), ev_name(sp->b));
        else
            pa_buf_printf(&issue, "this commit (line %u) splits a status change and its %s record, committed separately at "
                          "line %u: a failure in between leaves one without the other",
                          c1, ev_name(is_record(sp->a) ? sp->a : sp->b), c2);
        pa_buf_printf(&rec, "Commit once after both parts (use `flush()` if the parent's id is needed first), or wrap the "
                      "unit in `with session.begin():`.");
    }
    struct pa_finding *fd = pa_rule_report_call(out, in, tf->file, at, sev, issue.s, rec.s, "S");
    pa_finding_add_trace(fd, tf->f->path, sp->a->line, "first part");
    pa_finding_add_trace(fd, tf->f->path, sp->b->line, "second part");
    pa_buf_free(&issue);
    pa_buf_free(&rec);
}

/* Does text use the key of row variable v (v.id / v.pk)? */
static bool mentions_key(const char *text, const char *v)
{
    if (!text || !v) return false;
    size_t n = strlen(v);
    for (const char *p = strstr(text, v); p; p = strstr(p + 1, v)) {
        bool left = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.');
        if (left && (strncmp(p + n, ".id", 3) == 0 || strncmp(p + n, ".pk", 3) == 0) &&
            !(isalnum((unsigned char)p[n + 3]) || p[n + 3] == '_'))
            return true;
    }
    return false;
}

/* Across called functions: `p = create_parent(db, …)` commits its row, then
 * `add_child(db, p.id, …)` writes rows keyed by it and commits again. Both
 * callees write and commit; the link is the parent's key passed on. */
static bool cross_function_split(struct pa_rule_out *out, const struct pa_audit_input *in, const struct pa_txn_file *tf,
                                 const struct pa_txn_func *fn)
{
    const struct pa_file_facts *f = tf->f;
    for (size_t i = 0; i < fn->ev.n; i++) {
        const struct pa_txn_event *a = &fn->ev.v[i];
        if (a->op != PA_TXN_COMMIT || !a->via_project || a->call < 0 || a->loop >= 0) continue;
        if (pa_txn_region_of_call(tf, fn, a->call)) continue;
        if (!(pa_index_call_effects(in->index, tf->file, a->call) & PA_EFF_DB_WRITE)) continue;
        const char *pv = NULL;
        for (size_t k = 0; k < f->assigns.n && !pv; k++) {
            const struct pa_assign *as = &f->assigns.v[k];
            if (as->func == fn->func && as->value_call == a->call && as->target_kind == PA_EXPR_NAME) pv = as->target;
        }
        if (!pv) continue;
        out->examined++;
        for (size_t j = i + 1; j < fn->ev.n; j++) {
            const struct pa_txn_event *b = &fn->ev.v[j];
            if (b->op != PA_TXN_COMMIT || !b->via_project || b->call < 0) continue;
            if (pa_txn_region_of_call(tf, fn, b->call)) continue;
            if (!(pa_index_call_effects(in->index, tf->file, b->call) & PA_EFF_DB_WRITE)) continue;
            const struct pa_call *bc = &f->calls.v[b->call];
            bool linked = false;
            for (uint16_t k = 0; k < bc->nargs && !linked; k++) linked = mentions_key(bc->args[k].text, pv);
            if (!linked) continue;
            const struct pa_call *ac = &f->calls.v[a->call];
            pa_buf issue, rec;
            pa_buf_init(&issue);
            pa_buf_init(&rec);
            pa_buf_printf(&issue, "%s() writes and commits `%s` here, then %s() (line %u) writes rows keyed by %s.id and "
                          "commits again: one unit of work in two transactions, so a failure in between leaves `%s` "
                          "without the rows that belong to it",
                          ac->callee, pv, bc->callee, bc->line, pv, pv);
            pa_buf_printf(&rec, "Let the caller own the transaction: make %s() and %s() flush instead of commit, and "
                          "commit once after both (or wrap both calls in `with session.begin():`).", ac->callee, bc->callee);
            struct pa_finding *fd = pa_rule_report_call(out, in, tf->file, ac, PA_SEV_HIGH, issue.s, rec.s, "M");
            pa_finding_add_trace(fd, f->path, ac->line, "first commit (in the called function)");
            pa_finding_add_trace(fd, f->path, bc->line, "second commit (in the called function)");
            pa_buf_free(&issue);
            pa_buf_free(&rec);
            return true;
        }
    }
    return false;
}

void pa_check_pa203(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_txn_file *tf = pa_txn_file_get(in, (int32_t)fi);
        if (!tf) continue;
        const struct pa_file_facts *f = tf->f;
        for (size_t s = 0; s < tf->nfuncs; s++) {
            const struct pa_txn_func *fn = &tf->funcs[s];
            if (fn->ev.n < 2) continue;
            bool reported = false;
            /* transactional: consecutive direct commits on the same session at the same loop level */
            size_t prev_end = 0;   /* first event after the previous commit */
            for (size_t i = 0; i < fn->ev.n && !reported; i++) {
                const struct pa_txn_event *c1 = &fn->ev.v[i];
                if (c1->op != PA_TXN_COMMIT && c1->op != PA_TXN_ROLLBACK) continue;
                if (c1->op == PA_TXN_ROLLBACK || c1->via_project || c1->call < 0 ||
                    pa_txn_region_of_call(tf, fn, c1->call)) {
                    prev_end = i + 1;
                    continue;
                }
                out->examined++;
                size_t j = i + 1;
                while (j < fn->ev.n && fn->ev.v[j].op != PA_TXN_COMMIT && fn->ev.v[j].op != PA_TXN_ROLLBACK) j++;
                if (j < fn->ev.n) {
                    const struct pa_txn_event *c2 = &fn->ev.v[j];
                    bool same_level = c2->op == PA_TXN_COMMIT && !c2->via_project && c2->loop == c1->loop &&
                                      (!c1->key || !c2->key || strcmp(c1->key, c2->key) == 0);
                    /* a commit in a loop that ends before the next one: per-item milestones */
                    if (same_level && c1->loop >= 0 && f->loops.v[c1->loop].end_line < c2->line) same_level = false;
                    struct split sp;
                    if (same_level && find_split(tf, fn, prev_end, i, i + 1, j, c1->key, &sp)) {
                        report_split(out, in, tf, &f->calls.v[c1->call], &sp, c1->line, c2->line, false);
                        reported = true;
                    }
                }
                prev_end = i + 1;
            }
            if (!reported) reported = cross_function_split(out, in, tf, fn);
            if (reported) continue;
            /* autocommit: two related writes outside any transaction, outside loops */
            size_t first = fn->ev.n;
            for (size_t i = 0; i < fn->ev.n; i++) {
                const struct pa_txn_event *e = &fn->ev.v[i];
                if (is_write(e) && e->autocommit && e->loop < 0 && e->call >= 0) { first = i; break; }
            }
            if (first == fn->ev.n) continue;
            PA_VEC(size_t) idx = {0};
            for (size_t i = first; i < fn->ev.n; i++) {
                const struct pa_txn_event *e = &fn->ev.v[i];
                if (is_write(e) && e->autocommit && e->call >= 0) pa_vec_push(&idx, i);
            }
            struct split sp;
            bool found = false;
            for (size_t a = 0; a + 1 < idx.n && !found; a++) {
                if (fn->ev.v[idx.v[a]].loop >= 0) continue;
                found = find_split(tf, fn, idx.v[a], idx.v[a] + 1, idx.v[a] + 1, idx.v[idx.n - 1] + 1, NULL, &sp);
            }
            pa_vec_free(&idx);
            if (!found) continue;
            out->examined++;
            if (fn->func >= 0) {
                pa_fref me = {(int32_t)fi, fn->func};
                if (in->ctx && in->ctx->django_atomic_requests && pa_index_entry(in->index, me) == PA_ENTRY_REQUEST) continue;
                bool has_callers = false;
                if (callers_hold_transaction(in, me, &has_callers) && has_callers) continue;
            }
            const struct pa_txn_event *at = sp.a->line <= sp.b->line ? sp.a : sp.b;
            report_split(out, in, tf, &f->calls.v[at->call], &sp, 0, 0, true);
        }
    }
}
