/* pa102_n_update_delete.c - PA102 n_update_delete_loop: an UPDATE or DELETE
 * issued once per loop iteration - session.execute(update(M)/delete(M)…),
 * session.query(M).filter(…).update()/delete(), session.delete(obj), Django
 * .filter(…).update()/.delete(), obj.save() of a loaded instance,
 * obj.delete(), raw UPDATE/DELETE SQL, or a repository/service method whose
 * body (transitively) executes one.
 *
 * Severity: HIGH when the loop iterates a query result or another unbounded
 * collection, MEDIUM over a small literal; one level down in bootstrap /
 * migration code (never in request handlers). Not flagged: set-based
 * statements (no per-row WHERE, IN/ANY predicates, execute(update(M), [rows]),
 * bulk_update), instances constructed in the loop (INSERTs: PA105), updates
 * of a NOTIFY/trigger table when PA201 is enabled (PA201 wins). */
#include <stdlib.h>
#include <string.h>

#include "audit/query/query.h"

/* obj.save() where obj was constructed (not loaded) in the same function. */
static bool saves_new_instance(const struct pa_audit_input *in, int32_t fi, const struct pa_call *c)
{
    const struct pa_file_facts *f = in->files[fi];
    if (!c->base || (strcmp(c->attr, "save") != 0 && strcmp(c->attr, "asave") != 0)) return false;
    int32_t best = -1;
    for (size_t a = 0; a < f->assigns.n; a++) {
        const struct pa_assign *as = &f->assigns.v[a];
        if (as->func == c->func && as->line <= c->line && strcmp(as->target, c->base) == 0) best = (int32_t)a;
    }
    if (best < 0) return false;
    const struct pa_call *vc = pa_query_call(f, f->assigns.v[best].value_call);
    if (!vc || vc->recv_call >= 0) return false;
    return pa_models_by_name(in->models, pa_str_last_dot(vc->callee)) != NULL;
}

static void fix_text(const struct pa_audit_input *in, pa_query_style st, const struct pa_db_call *dc, pa_buf *rec)
{
    const char *M = dc->model ? dc->model->name : "Model";
    bool del = dc->op == PA_DB_DELETE;
    if (dc->via_project)
        pa_buf_puts(rec, "Add a set-based method to the repository/service (e.g. `update_many(ids, values)` / "
                         "`delete_many(ids)`) issuing one statement, and call it once instead of per item; ");
    switch (st) {
    case PA_QS_DJANGO:
        if (del) pa_buf_printf(rec, "In Django: `%s.objects.filter(pk__in=ids).delete()`.", M);
        else pa_buf_printf(rec, "In Django: `%s.objects.filter(pk__in=ids).update(field=value)` for one value, or "
                           "collect the changed instances and call `%s.objects.bulk_update(objs, [\"field\"])`.", M, M);
        break;
    case PA_QS_SA14:
        if (del) pa_buf_printf(rec, "In %s: `session.query(%s).filter(%s.id.in_(ids))"
                               ".delete(synchronize_session=False)`.", pa_query_style_name(in, st), M, M);
        else pa_buf_printf(rec, "In %s: `session.query(%s).filter(%s.id.in_(ids)).update({...}, "
                           "synchronize_session=False)`, or `session.bulk_update_mappings(%s, rows)` for per-row values.",
                           pa_query_style_name(in, st), M, M, M);
        break;
    case PA_QS_RAW:
        if (del)
            pa_buf_printf(rec, "One statement for all rows (%s): `DELETE FROM %s WHERE id = ANY(%%s)` with a list "
                          "parameter (psycopg) or `= ANY($1::int[])` (asyncpg).", pa_query_style_name(in, st),
                          dc->table ? dc->table : "t");
        else
            pa_buf_printf(rec, "One statement for all rows (%s): `UPDATE %s SET ... WHERE id = ANY(%%s)` with a list "
                          "parameter, or `UPDATE %s SET ... FROM (VALUES ...)` / `executemany()` for per-row values.",
                          pa_query_style_name(in, st), dc->table ? dc->table : "t", dc->table ? dc->table : "t");
        break;
    case PA_QS_SQLMODEL:
    case PA_QS_SA2:
        if (del) pa_buf_printf(rec, "In %s: `session.execute(delete(%s).where(%s.id.in_(ids)))`.",
                               pa_query_style_name(in, st), M, M);
        else pa_buf_printf(rec, "In %s: `session.execute(update(%s).where(%s.id.in_(ids)).values(...))` for one value, "
                           "or the bulk UPDATE by primary key `session.execute(update(%s), [{\"id\": 1, ...}, ...])` "
                           "for per-row values.", pa_query_style_name(in, st), M, M, M);
        break;
    }
}

void pa_check_pa102(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    bool pa201 = pa_options_rule_enabled(in->opts, "PA201");
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        if (!f->loops.n) continue;
        for (size_t ci = 0; ci < f->calls.n; ci++) {
            const struct pa_call *c = &f->calls.v[ci];
            if ((c->flags & PA_CALL_DECORATOR) || !pa_query_is_head(f, (int32_t)ci)) continue;
            int32_t Li = pa_query_body_loop(f, (int32_t)ci);
            const struct pa_loop *L = pa_query_loop(f, Li);
            if (!L) continue;
            out->examined++;
            struct pa_db_call dc;
            if (!pa_orm_classify_call(in, (int32_t)fi, (int32_t)ci, &dc)) continue;
            if (dc.op != PA_DB_UPDATE && dc.op != PA_DB_DELETE) continue;
            if (dc.bulk) continue;
            if (!dc.via_project && saves_new_instance(in, (int32_t)fi, c)) continue;
            if (pa201 && dc.table && pa_context_notify_trigger(in->ctx, dc.table)) continue;
            int32_t data = pa_query_data_loop(f, (int32_t)ci);
            const struct pa_loop *DL = pa_query_loop(f, data);
            pa_severity sev = DL ? PA_SEV_HIGH : PA_SEV_MEDIUM;
            pa_entry_kind entry = c->func >= 0 ? pa_index_entry(in->index, (pa_fref){(int32_t)fi, c->func}) : PA_ENTRY_NONE;
            sev = pa_query_downgrade(sev, entry, f->path);
            const struct pa_loop *RL = DL ? DL : L;
            char *ld = pa_query_loop_desc(RL);
            const struct pa_func *fn = pa_facts_func(f, c->func);
            pa_buf issue, rec;
            pa_buf_init(&issue);
            pa_buf_init(&rec);
            const char *what = dc.op == PA_DB_DELETE ? "DELETE" : "UPDATE";
            if (dc.via_project)
                pa_buf_printf(&issue, "One %s per iteration: `%s()` writes to the database on every iteration of the %s "
                              "in %s()%s", what, c->callee, ld, fn ? fn->name : "<module>", pa_query_entry_paren(entry));
            else
                pa_buf_printf(&issue, "One %s per iteration: `%s()`%s%s%s is issued for each item of the %s in %s()%s%s",
                              what, c->callee, dc.model ? " on " : "", dc.model ? dc.model->name : "",
                              dc.model ? "" : "", ld, fn ? fn->name : "<module>", pa_query_entry_paren(entry),
                              DL ? "" : "; the loop is over a small literal, so the cost is bounded");
            fix_text(in, pa_query_style_for(in, (int32_t)fi, c, dc.model), &dc, &rec);
            struct pa_finding *fd = pa_rule_report_call(out, in, (int32_t)fi, c, sev, "", rec.s, "M");
            pa_finding_add_trace(fd, f->path, RL->line, "loop");
            if (dc.via_project) pa_query_add_chain(in, (int32_t)fi, (int32_t)ci, PA_EFF_DB_WRITE, dc.callee, fd, &issue);
            free(fd->issue);
            fd->issue = pa_buf_take(&issue);
            free(ld);
            pa_buf_free(&issue);
            pa_buf_free(&rec);
        }
    }
}
