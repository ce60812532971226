/* pa105_missing_bulk.c - PA105 missing_bulk_ops: one INSERT (or one staged
 * add) per loop iteration where a bulk call would do: session.add(M(...)) of
 * an object built in the loop, Model.objects.create(...), obj.save() of an
 * instance constructed in the loop (Django), session.execute(insert(M)
 * .values(...)) and raw single-row INSERT SQL per item.
 *
 * Not flagged: add_all / bulk_create / executemany / insert().values([...])
 * (already bulk); loops whose iterations need the generated id at once
 * (flush()/refresh() in the loop, or obj.id/obj.pk used after the add in the
 * same iteration); loops that also read per iteration (PA107 wins); loops
 * over small literals; UPDATE/DELETE per item (PA102 wins); adds of objects
 * that were not constructed in the loop (changed rows, not inserts). */
#include <stdlib.h>
#include <string.h>

#include "audit/query/query.h"

/* Name bound to the inserted object: add(x) → "x"; `x = M.objects.create()` → "x". */
static const char *inserted_name(const struct pa_file_facts *f, const struct pa_call *c, int32_t ci)
{
    const struct pa_arg *a0 = c->nargs && !c->args[0].kw ? &c->args[0] : NULL;
    if (strcmp(c->attr, "add") == 0 && a0 && a0->kind == PA_EXPR_NAME) return a0->text;
    if ((strcmp(c->attr, "save") == 0 || strcmp(c->attr, "asave") == 0) && c->base) return c->base;
    for (size_t a = 0; a < f->assigns.n; a++)
        if (f->assigns.v[a].value_call == ci && f->assigns.v[a].target_kind == PA_EXPR_NAME) return f->assigns.v[a].target;
    return NULL;
}

/* Is the object added by `c` constructed inside loop L (M(...) literally in
 * the call, or a local assigned from a model/class constructor in the loop)? */
static bool built_in_loop(const struct pa_audit_input *in, int32_t fi, const struct pa_call *c, const char *name,
                          const struct pa_loop *L)
{
    const struct pa_file_facts *f = in->files[fi];
    const struct pa_arg *a0 = c->nargs && !c->args[0].kw ? &c->args[0] : NULL;
    if (strcmp(c->attr, "add") == 0 && a0 && a0->call >= 0) {
        const struct pa_call *k = pa_query_call(f, a0->call);
        if (k && k->recv_call < 0 && pa_models_by_name(in->models, pa_str_last_dot(k->callee))) return true;
        struct pa_target tg = pa_index_resolve(in->index, fi, a0->call);
        return tg.kind == PA_TARGET_CLASS;
    }
    if (!name) return false;
    int32_t best = -1;
    for (size_t a = 0; a < f->assigns.n; a++) {
        const struct pa_assign *as = &f->assigns.v[a];
        if (as->func == c->func && as->line <= c->line && strcmp(as->target, name) == 0) best = (int32_t)a;
    }
    if (best < 0) return false;
    const struct pa_assign *as = &f->assigns.v[best];
    if (as->line < L->line || as->line > L->end_line) return false;
    const struct pa_call *k = pa_query_call(f, as->value_call);
    if (!k || k->recv_call >= 0) return false;
    if (pa_models_by_name(in->models, pa_str_last_dot(k->callee))) return true;
    return pa_index_resolve(in->index, fi, as->value_call).kind == PA_TARGET_CLASS;
}

/* Is `name`.id / `name`.pk used in the loop at or after line `from`? */
static bool id_used(const struct pa_file_facts *f, const struct pa_loop *L, const char *name, uint32_t from)
{
    for (size_t j = 0; j < f->calls.n; j++) {
        const struct pa_call *x = &f->calls.v[j];
        if (x->func != L->func || x->line < from || x->line > L->end_line) continue;
        if (pa_query_text_has_attr(x->callee, name, "id") || pa_query_text_has_attr(x->callee, name, "pk")) return true;
        for (uint16_t k = 0; k < x->nargs; k++)
            if (pa_query_text_has_attr(x->args[k].text, name, "id") || pa_query_text_has_attr(x->args[k].text, name, "pk")) return true;
    }
    for (size_t a = 0; a < f->assigns.n; a++) {
        const struct pa_assign *as = &f->assigns.v[a];
        if (as->func != L->func || as->line < from || as->line > L->end_line) continue;
        if (pa_query_text_has_attr(as->value, name, "id") || pa_query_text_has_attr(as->value, name, "pk")) return true;
    }
    for (size_t r = 0; r < f->returns.n; r++) {
        const struct pa_return *rt = &f->returns.v[r];
        if (rt->func == L->func && rt->line >= from && rt->line <= L->end_line &&
            (pa_query_text_has_attr(rt->value, name, "id") || pa_query_text_has_attr(rt->value, name, "pk")))
            return true;
    }
    return false;
}

/* Does the iteration need generated keys right away: flush()/refresh() in
 * the loop, or the .id/.pk of the inserted object - or of any object
 * constructed in the loop - read inside it? */
static bool needs_id(const struct pa_audit_input *in, int32_t fi, const struct pa_loop *L, const struct pa_call *c,
                     const char *name)
{
    const struct pa_file_facts *f = in->files[fi];
    for (size_t j = 0; j < f->calls.n; j++) {
        const struct pa_call *x = &f->calls.v[j];
        if (x->func != L->func || x->line < L->line || x->line > L->end_line) continue;
        if (strcmp(x->attr, "flush") == 0 || strcmp(x->attr, "refresh") == 0 || strcmp(x->attr, "refresh_from_db") == 0)
            return true;
    }
    if (name && id_used(f, L, name, c->line)) return true;
    for (size_t a = 0; a < f->assigns.n; a++) {
        const struct pa_assign *as = &f->assigns.v[a];
        if (as->func != L->func || as->line < L->line || as->line > L->end_line || as->target_kind != PA_EXPR_NAME) continue;
        const struct pa_call *k = pa_query_call(f, as->value_call);
        if (!k || k->recv_call >= 0 || !pa_models_by_name(in->models, pa_str_last_dot(k->callee))) continue;
        if (id_used(f, L, as->target, as->line)) return true;
    }
    return false;
}

void pa_check_pa105(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        if (!f->loops.n) continue;
        for (size_t ci = 0; ci < f->calls.n; ci++) {
            const struct pa_call *c = &f->calls.v[ci];
            if ((c->flags & PA_CALL_DECORATOR) || !pa_query_is_head(f, (int32_t)ci)) continue;
            int32_t Li = pa_query_data_loop(f, (int32_t)ci);
            const struct pa_loop *L = pa_query_loop(f, Li);
            if (!L) continue;
            out->examined++;
            struct pa_db_call dc;
            if (!pa_orm_classify_call(in, (int32_t)fi, (int32_t)ci, &dc) || dc.via_project || dc.bulk) continue;
            const char *name = inserted_name(f, c, (int32_t)ci);
            bool is_save = strcmp(c->attr, "save") == 0 || strcmp(c->attr, "asave") == 0;
            if (dc.op == PA_DB_ADD) {
                if (strcmp(c->attr, "add") != 0 || !built_in_loop(in, (int32_t)fi, c, name, L)) continue;
            } else if (dc.op == PA_DB_UPDATE && is_save) {
                if (!built_in_loop(in, (int32_t)fi, c, name, L)) continue;   /* a loaded row: PA102 */
            } else if (dc.op != PA_DB_INSERT) continue;
            if (needs_id(in, (int32_t)fi, L, c, name)) continue;
            if (pa_query_loop_reads(in, (int32_t)fi, Li, NULL)) continue;   /* PA107 wins when the loop also reads */
            pa_entry_kind entry = c->func >= 0 ? pa_index_entry(in->index, (pa_fref){(int32_t)fi, c->func}) : PA_ENTRY_NONE;
            pa_severity sev = pa_query_downgrade(PA_SEV_MEDIUM, entry, f->path);
            pa_query_style st = pa_query_style_for(in, (int32_t)fi, c, dc.model);
            const char *M = dc.model ? dc.model->name : "Model";
            char *ld = pa_query_loop_desc(L);
            const struct pa_func *fn = pa_facts_func(f, c->func);
            pa_buf issue, rec;
            pa_buf_init(&issue);
            pa_buf_init(&rec);
            const char *what = dc.op == PA_DB_ADD ? "staged with add()" : "inserted";
            pa_buf_printf(&issue, "Row-by-row insert: `%s()`%s%s%s is %s for each item of the %s in %s()%s "
                          "instead of one bulk insert", c->callee, dc.model ? " (" : "", dc.model ? dc.model->name : "",
                          dc.model ? ")" : "", what, ld, fn ? fn->name : "<module>", pa_query_entry_paren(entry));
            switch (st) {
            case PA_QS_DJANGO:
                pa_buf_printf(&rec, "Build the instances in the loop and insert them at once: "
                              "`%s.objects.bulk_create(objs, batch_size=1000)`.", M);
                break;
            case PA_QS_RAW:
                pa_buf_puts(&rec, "Collect the rows and send them in one call: `cursor.executemany(sql, rows)` "
                                  "(psycopg: `executemany` pipelines; psycopg2: `psycopg2.extras.execute_values`; "
                                  "asyncpg: `await conn.executemany(sql, rows)` or `copy_records_to_table`).");
                break;
            case PA_QS_SA14:
                pa_buf_printf(&rec, "Collect the objects and call `session.add_all(objs)` once (or "
                              "`session.bulk_insert_mappings(%s, rows)` in SQLAlchemy 1.4 when no ORM events are needed).", M);
                break;
            case PA_QS_SQLMODEL:
            case PA_QS_SA2:
                if (dc.op == PA_DB_INSERT)
                    pa_buf_printf(&rec, "Insert all rows in one statement (%s): `session.execute(insert(%s), rows)` "
                                  "with a list of dicts (executemany / insertmanyvalues).", pa_query_style_name(in, st), M);
                else
                    pa_buf_printf(&rec, "Collect the objects and call `session.add_all(objs)` once (%s), or "
                                  "`session.execute(insert(%s), rows)` with a list of dicts for plain rows (one "
                                  "executemany / insertmanyvalues round-trip).", pa_query_style_name(in, st), M);
                break;
            }
            struct pa_finding *fd = pa_rule_report_call(out, in, (int32_t)fi, c, sev, issue.s, rec.s, "S");
            pa_finding_add_trace(fd, f->path, L->line, "loop");
            free(ld);
            pa_buf_free(&issue);
            pa_buf_free(&rec);
        }
    }
}
