/* pa104_over_fetching.c - PA104 over_fetching: whole rows loaded where a few
 * columns (or just a count, or one row) are used:
 *  - len(q.all()) / len(Model.objects.filter(...)) / len(list(qs)) /
 *    len(cur.fetchall()) to count rows;
 *  - q.all()[0] / list(qs)[0] / session.scalars(...).all()[0] for a first row;
 *  - whole-entity queries of wide models (>10 columns) whose items are only
 *    read for 1-3 columns in a list endpoint (request handler) or a returned
 *    comprehension, with no load_only/defer/column select/.only()/.values().
 * Severity: MEDIUM for >15 columns in request handlers, LOW otherwise
 * (including the len()/[0] forms). PA104 takes len(q.all()) over PA302. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "audit/query/query.h"

static bool chain_has_attr(const struct pa_file_facts *f, int32_t head, const char *const *set)
{
    for (const struct pa_call *c = pa_query_call(f, head); c; c = pa_query_call(f, c->recv_call))
        for (int i = 0; set[i]; i++)
            if (strcmp(c->attr, set[i]) == 0) return true;
    return false;
}

static bool chain_mentions(const struct pa_file_facts *f, int32_t head, const char *const *words)
{
    for (const struct pa_call *c = pa_query_call(f, head); c; c = pa_query_call(f, c->recv_call))
        for (uint16_t k = 0; k < c->nargs; k++)
            for (int i = 0; words[i]; i++)
                if (c->args[k].text && strstr(c->args[k].text, words[i])) return true;
    return false;
}

/* A READ query chain whose result is a list of rows. */
static bool rows_query(const struct pa_audit_input *in, int32_t fi, int32_t ci, struct pa_db_call *dc)
{
    const struct pa_file_facts *f = in->files[fi];
    const struct pa_call *c = pa_query_call(f, ci);
    if (!c || !pa_orm_classify_call(in, (int32_t)fi, ci, dc) || dc->op != PA_DB_READ || dc->via_project) return false;
    static const char *const agg[] = {"count", "exists", "aggregate", "scalar", "first", "one", "get", "scalar_one",
                                      "one_or_none", "fetchone", "fetchval", "fetchrow", "values", "values_list",
                                      "acount", "aexists", "afirst", "aget", NULL};
    if (chain_has_attr(f, ci, agg)) return false;
    return true;
}

static void count_fix(const struct pa_audit_input *in, pa_query_style st, const struct pa_db_call *dc, pa_buf *rec)
{
    const char *M = dc->model ? dc->model->name : "Model";
    switch (st) {
    case PA_QS_DJANGO: pa_buf_printf(rec, "Let the database count: `%s.objects.filter(...).count()` (or `.exists()` for a truthiness test).", M); break;
    case PA_QS_SA14: pa_buf_printf(rec, "Let the database count: `session.query(%s).filter(...).count()`.", M); break;
    case PA_QS_RAW: pa_buf_puts(rec, "Let the database count: `SELECT count(*) FROM ... WHERE ...` and fetch one value."); break;
    case PA_QS_SQLMODEL:
    case PA_QS_SA2:
        pa_buf_printf(rec, "Let the database count (%s): `session.scalar(select(func.count()).select_from(%s).where(...))`.",
                      pa_query_style_name(in, st), M);
        break;
    }
}

static void first_fix(const struct pa_audit_input *in, pa_query_style st, const struct pa_db_call *dc, pa_buf *rec)
{
    const char *M = dc->model ? dc->model->name : "Model";
    switch (st) {
    case PA_QS_DJANGO: pa_buf_printf(rec, "Fetch one row: `%s.objects.filter(...).first()`.", M); break;
    case PA_QS_SA14: pa_buf_puts(rec, "Fetch one row: `query.first()` (adds LIMIT 1)."); break;
    case PA_QS_RAW: pa_buf_puts(rec, "Add `LIMIT 1` and use fetchone()."); break;
    case PA_QS_SQLMODEL:
    case PA_QS_SA2:
        pa_buf_printf(rec, "Fetch one row (%s): `session.scalars(select(%s).where(...).limit(1)).first()`.",
                      pa_query_style_name(in, st), M);
        break;
    }
}

/* The len(...) / [0] forms are LOW wherever they are (docs/rules/PA104.md). */
static pa_severity entry_sev(const struct pa_audit_input *in, int32_t fi, int32_t func, pa_entry_kind *entry)
{
    *entry = func >= 0 ? pa_index_entry(in->index, (pa_fref){fi, func}) : PA_ENTRY_NONE;
    return PA_SEV_LOW;
}

static void check_len_and_first(const struct pa_audit_input *in, int32_t fi, struct pa_rule_out *out)
{
    const struct pa_file_facts *f = in->files[fi];
    for (size_t ci = 0; ci < f->calls.n; ci++) {
        const struct pa_call *c = &f->calls.v[ci];
        if (strcmp(c->callee, "len") != 0 || c->nargs != 1 || c->args[0].call < 0) continue;
        out->examined++;
        int32_t q = c->args[0].call;
        const struct pa_call *qc = pa_query_call(f, q);
        if (qc && strcmp(qc->callee, "list") == 0 && qc->nargs == 1) q = qc->args[0].call;
        struct pa_db_call dc;
        if (q < 0 || !rows_query(in, fi, q, &dc)) continue;
        pa_entry_kind entry;
        pa_severity sev = entry_sev(in, fi, c->func, &entry);
        pa_buf issue, rec;
        pa_buf_init(&issue);
        pa_buf_init(&rec);
        pa_buf_printf(&issue, "Rows loaded only to be counted: `len(%s)` fetches every %s row into memory%s",
                      c->args[0].text, dc.model ? dc.model->name : "matching", pa_query_entry_paren(entry));
        count_fix(in, pa_query_style_for(in, fi, pa_query_call(f, q), dc.model), &dc, &rec);
        pa_rule_report_call(out, in, fi, c, sev, issue.s, rec.s, "S");
        pa_buf_free(&issue);
        pa_buf_free(&rec);
    }
    /* x = q.all()[0] / return list(qs)[0] */
    for (int pass = 0; pass < 2; pass++) {
        size_t n = pass ? f->returns.n : f->assigns.n;
        for (size_t i = 0; i < n; i++) {
            const char *text = pass ? f->returns.v[i].value : f->assigns.v[i].value;
            uint8_t kind = pass ? f->returns.v[i].value_kind : f->assigns.v[i].value_kind;
            int32_t func = pass ? f->returns.v[i].func : f->assigns.v[i].func;
            uint32_t line = pass ? f->returns.v[i].line : f->assigns.v[i].line;
            if (kind != PA_EXPR_SUBSCRIPT || !text || !pa_str_ends(text, ")[0]")) continue;
            bool all = pa_str_ends(text, ".all()[0]") || pa_str_ends(text, ".fetchall()[0]");
            bool lst = pa_str_starts(text, "list(");
            if (!all && !lst) continue;
            /* the call producing the list: the head call on that line whose text ends the subscripted expression */
            for (size_t ci = 0; ci < f->calls.n; ci++) {
                const struct pa_call *c = &f->calls.v[ci];
                if (c->func != func || c->line != line || !pa_query_is_head(f, (int32_t)ci)) continue;
                int32_t q = (int32_t)ci;
                if (lst) {
                    if (strcmp(c->callee, "list") != 0 || c->nargs != 1) continue;
                    q = c->args[0].call;
                } else if (strcmp(c->attr, "all") != 0 && strcmp(c->attr, "fetchall") != 0) continue;
                if (c->parent_call >= 0) continue;
                out->examined++;
                struct pa_db_call dc;
                if (q < 0 || !rows_query(in, fi, q, &dc)) break;
                /* Django slices querysets in SQL: qs.all()[0] is LIMIT 1; only list(qs)[0] loads everything */
                if (all && ((dc.model && dc.model->kind == PA_ORM_DJANGO) || strstr(c->callee, ".objects."))) break;
                pa_entry_kind entry;
                pa_severity sev = entry_sev(in, fi, func, &entry);
                pa_buf issue, rec;
                pa_buf_init(&issue);
                pa_buf_init(&rec);
                pa_buf_printf(&issue, "All rows loaded to use the first one: `%s` fetches every %s row and keeps one%s",
                              text, dc.model ? dc.model->name : "matching", pa_query_entry_paren(entry));
                first_fix(in, pa_query_style_for(in, fi, pa_query_call(f, q), dc.model), &dc, &rec);
                pa_rule_report_call(out, in, fi, c, sev, issue.s, rec.s, "S");
                pa_buf_free(&issue);
                pa_buf_free(&rec);
                break;
            }
        }
    }
}

/* Occurrences of `name` not followed by '.' (a whole-object use), ignoring `for name in`. */
static bool bare_use(const char *text, const char *name)
{
    if (!text) return false;
    size_t n = strlen(name);
    for (const char *p = text; (p = strstr(p, name)); p += n) {
        if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.')) continue;
        if (isalnum((unsigned char)p[n]) || p[n] == '_') continue;
        if (p[n] == '.') continue;
        if (p - text >= 4 && strncmp(p - 4, "for ", 4) == 0) continue;
        return true;
    }
    return false;
}

/* Does the query (or a statement variable it executes) narrow the columns? */
static bool narrowed(const struct pa_file_facts *f, int32_t head, int depth)
{
    static const char *const narrowing[] = {"only", "defer", "load_only", "with_entities", "values", "values_list", NULL};
    static const char *const narrow_words[] = {"load_only", "defer(", "undefer", NULL};
    if (depth > 3) return false;
    if (chain_has_attr(f, head, narrowing) || chain_mentions(f, head, narrow_words)) return true;
    for (const struct pa_call *c = pa_query_call(f, head); c; c = pa_query_call(f, c->recv_call))
        for (uint16_t k = 0; k < c->nargs; k++) {
            const struct pa_arg *a = &c->args[k];
            if (a->kw || a->kind != PA_EXPR_NAME) continue;
            for (size_t i = 0; i < f->assigns.n; i++) {
                const struct pa_assign *as = &f->assigns.v[i];
                if (as->func == c->func && as->line <= c->line && strcmp(as->target, a->text) == 0 &&
                    as->value_call >= 0 && narrowed(f, as->value_call, depth + 1))
                    return true;
            }
        }
    return false;
}

static void check_wide(const struct pa_audit_input *in, int32_t fi, struct pa_rule_out *out)
{
    const struct pa_file_facts *f = in->files[fi];
    for (size_t li = 0; li < f->loops.n; li++) {
        const struct pa_loop *L = &f->loops.v[li];
        if (L->kind == PA_LOOP_WHILE || !L->target || strchr(L->target, ',') || L->func < 0) continue;
        int32_t src = L->iter_call;
        bool via_var = false;
        if (src < 0 && L->iter_kind == PA_EXPR_NAME && L->iter) {
            for (size_t a = 0; a < f->assigns.n; a++) {
                const struct pa_assign *as = &f->assigns.v[a];
                if (as->func == L->func && as->line <= L->line && strcmp(as->target, L->iter) == 0) src = as->value_call;
            }
            via_var = true;
        }
        if (src < 0) continue;
        out->examined++;
        struct pa_db_call dc;
        int32_t qsrc = pa_query_rows_source(in, fi, src, &dc);
        if (qsrc < 0 || !rows_query(in, fi, qsrc, &dc)) continue;
        src = qsrc;
        const struct pa_model *m = pa_orm_call_model(in, fi, src);
        if (!m || m->ncolumns <= 10) continue;
        if (narrowed(f, src, 0)) continue;
        if (via_var) {
            /* the list itself must not be used elsewhere (returned, passed on) */
            bool other = false;
            for (size_t r = 0; r < f->returns.n && !other; r++)
                if (f->returns.v[r].func == L->func && bare_use(f->returns.v[r].value, L->iter) &&
                    !strstr(f->returns.v[r].value, " in ")) other = true;
            for (size_t j = 0; j < f->calls.n && !other; j++) {
                const struct pa_call *x = &f->calls.v[j];
                if (x->func != L->func || (x->line >= L->line && x->line <= L->end_line)) continue;
                for (uint16_t k = 0; k < x->nargs; k++)
                    if (bare_use(x->args[k].text, L->iter) && !strstr(x->args[k].text, " in ")) other = true;
            }
            if (other) continue;
        }
        /* attributes read from the item */
        PA_VEC(const char *) cols = {0};
        bool bad = false;
        for (size_t u = 0; u < f->attr_uses.n; u++) {
            const struct pa_attr_use *au = &f->attr_uses.v[u];
            if (au->loop != (int32_t)li || strcmp(au->name, L->target) != 0) continue;
            char *first = pa_xstrdup(au->chain);
            char *d = strchr(first, '.');
            if (d) *d = '\0';
            const char *col = NULL;
            for (uint32_t k = 0; k < m->ncolumns; k++)
                if (strcmp(m->columns[k], first) == 0) col = m->columns[k];
            if (!col) bad = true;
            bool dup = false;
            for (size_t k = 0; col && k < cols.n; k++)
                if (cols.v[k] == col) dup = true;
            if (col && !dup) pa_vec_push(&cols, col);
            free(first);
        }
        if (bad || cols.n == 0 || cols.n > 3) { pa_vec_free(&cols); continue; }
        /* the item used whole anywhere in the loop body (passed, appended, returned) */
        for (size_t j = 0; j < f->calls.n && !bad; j++) {
            const struct pa_call *x = &f->calls.v[j];
            if (x->func != L->func || x->line < L->line || x->line > L->end_line) continue;
            if (x->base && strcmp(x->base, L->target) == 0) bad = true;   /* item.method() */
            for (uint16_t k = 0; k < x->nargs; k++)
                if (bare_use(x->args[k].text, L->target)) bad = true;
        }
        for (size_t a = 0; a < f->assigns.n && !bad; a++) {
            const struct pa_assign *as = &f->assigns.v[a];
            if (as->func != L->func || as->line < L->line || as->line > L->end_line) continue;
            if (bare_use(as->value, L->target) || pa_query_text_has_attr(as->target, L->target, NULL)) bad = true;
        }
        bool returned = false;
        for (size_t r = 0; r < f->returns.n && !bad; r++) {
            const struct pa_return *rt = &f->returns.v[r];
            if (rt->func != L->func || rt->line < L->line || rt->line > L->end_line) continue;
            if (bare_use(rt->value, L->target)) bad = true;
            else returned = true;
        }
        pa_entry_kind entry = pa_index_entry(in->index, (pa_fref){fi, L->func});
        if (bad || (entry != PA_ENTRY_REQUEST && !returned)) { pa_vec_free(&cols); continue; }
        pa_severity sev = entry == PA_ENTRY_REQUEST && m->ncolumns > 15 ? PA_SEV_MEDIUM : PA_SEV_LOW;
        const struct pa_call *sc = pa_query_call(f, src);
        pa_buf used, issue, rec;
        pa_buf_init(&used);
        pa_buf_init(&issue);
        pa_buf_init(&rec);
        for (size_t k = 0; k < cols.n; k++) pa_buf_printf(&used, "%s%s", k ? ", " : "", cols.v[k]);
        char *ld = pa_query_loop_desc(L);
        pa_buf_printf(&issue, "Over-fetching: `%s()` loads whole %s rows (%u columns) but the %s reads only %s%s",
                      sc->callee, m->name, m->ncolumns, ld, used.s, pa_query_entry_paren(entry));
        pa_query_style st = pa_query_style_for(in, fi, sc, m);
        pa_buf quoted, dotted;
        pa_buf_init(&quoted);
        pa_buf_init(&dotted);
        for (size_t k = 0; k < cols.n; k++) {
            pa_buf_printf(&quoted, "%s\"%s\"", k ? ", " : "", cols.v[k]);
            pa_buf_printf(&dotted, "%s%s.%s", k ? ", " : "", m->name, cols.v[k]);
        }
        if (st == PA_QS_DJANGO)
            pa_buf_printf(&rec, "Select only those columns: `.values(%s)` (dicts) or `.only(%s)`.", quoted.s, quoted.s);
        else if (st == PA_QS_SA14)
            pa_buf_printf(&rec, "Select only those columns: `session.query(%s)` or `.options(load_only(%s))`.", dotted.s, dotted.s);
        else
            pa_buf_printf(&rec, "Select only those columns (%s): `select(%s)` (rows) or "
                          "`select(%s).options(load_only(%s))` (entities).", pa_query_style_name(in, st), dotted.s, m->name, dotted.s);
        struct pa_finding *fd = pa_rule_report_call(out, in, fi, sc, sev, issue.s, rec.s, "S");
        pa_finding_add_trace(fd, f->path, L->line, "loop reading the columns");
        free(ld);
        pa_buf_free(&quoted);
        pa_buf_free(&dotted);
        pa_buf_free(&used);
        pa_buf_free(&issue);
        pa_buf_free(&rec);
        pa_vec_free(&cols);
    }
}

void pa_check_pa104(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        check_len_and_first(in, (int32_t)fi, out);
        check_wide(in, (int32_t)fi, out);
    }
}
