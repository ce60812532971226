/* pa107_query_in_loop.c - PA107 query_in_loop (N+1): a query executed once
 * per iteration of a for / async for / while loop or a comprehension, either
 * directly (session.get, session.execute(select…), Model.objects.get/filter,
 * cursor.execute, await conn.fetch…) or through a project function whose
 * body (transitively) reads, and lazy-loaded relationship access on loop
 * items (for o in orders: o.customer.name) when neither the relationship
 * (lazy="selectin"/"joined"/…) nor the query that produced the items
 * (selectinload/joinedload/…, select_related/prefetch_related) loads it eagerly.
 *
 * Not flagged: loops over literals/constants (for s in ("a", "b")), queries
 * in a for-loop's iterable (evaluated once), FK columns (o.customer_id) and
 * o.customer.id, items whose provenance is unknown (parameters), paging
 * while-loops (LIMIT/OFFSET, fetchmany, yield_per) and polling loops that
 * sleep, refresh() after a write, get_or_create/update_or_create (upserts). */
#include <stdlib.h>
#include <string.h>

#include "audit/query/query.h"

static bool paging_or_polling(const struct pa_file_facts *f, int32_t ci, const struct pa_loop *L)
{
    if (L->kind != PA_LOOP_WHILE) return false;
    for (size_t j = 0; j < f->calls.n; j++) {
        const struct pa_call *x = &f->calls.v[j];
        if (x->func != L->func || x->line < L->line || x->line > L->end_line) continue;
        if (strstr(x->attr, "sleep") || strcmp(x->attr, "wait") == 0 || strcmp(x->attr, "wait_for") == 0) return true;
    }
    const struct pa_call *c = pa_query_call(f, ci);
    for (; c; c = pa_query_call(f, c->recv_call)) {
        if (strcmp(c->attr, "limit") == 0 || strcmp(c->attr, "offset") == 0 || strcmp(c->attr, "yield_per") == 0 ||
            strcmp(c->attr, "fetchmany") == 0 || strcmp(c->attr, "paginate") == 0)
            return true;
        for (uint16_t i = 0; i < c->nargs; i++)
            if (c->args[i].text && (strstr(c->args[i].text, "LIMIT") || strstr(c->args[i].text, "limit(") ||
                                    strstr(c->args[i].text, "OFFSET")))
                return true;
    }
    return false;
}

/* A retry loop: `for attempt in range(n)` around a try block. */
static bool retry_loop(const struct pa_file_facts *f, int32_t Li)
{
    const struct pa_loop *L = pa_query_loop(f, Li);
    const struct pa_call *it = pa_query_call(f, L->iter_call);
    if (!it || strcmp(it->callee, "range") != 0 || !L->target) return false;
    if (!(strcmp(L->target, "_") == 0 || strstr(L->target, "attempt") || strstr(L->target, "retr") ||
          strstr(L->target, "tries") || strstr(L->target, "try")))
        return false;
    for (size_t t = 0; t < f->tries.n; t++)
        if (f->tries.v[t].loop == Li) return true;
    return false;
}

/* `x = session.get(M, i)` whose only purpose is `session.delete(x)` / `x.delete()`
 * in the same loop: one problem, reported by PA102 at the delete. */
static bool fetched_only_to_delete(const struct pa_file_facts *f, int32_t ci, int32_t Li)
{
    const struct pa_loop *L = pa_query_loop(f, Li);
    const char *var = NULL;
    uint32_t line = 0;
    for (size_t a = 0; a < f->assigns.n; a++)
        if (f->assigns.v[a].value_call == ci && f->assigns.v[a].target_kind == PA_EXPR_NAME) {
            var = f->assigns.v[a].target;
            line = f->assigns.v[a].line;
        }
    if (!var) return false;
    bool deleted = false, other = false;
    for (size_t j = 0; j < f->calls.n; j++) {
        const struct pa_call *x = &f->calls.v[j];
        if (x->func != L->func || x->line <= line || x->line > L->end_line) continue;
        bool del = (strcmp(x->attr, "delete") == 0 || strcmp(x->attr, "adelete") == 0) &&
                   ((x->nargs == 1 && x->args[0].text && strcmp(x->args[0].text, var) == 0) ||
                    (x->base && strcmp(x->base, var) == 0 && x->recv_call < 0 && strchr(x->callee, '.') == strrchr(x->callee, '.')));
        if (del) { deleted = true; continue; }
        if (x->base && strcmp(x->base, var) == 0) other = true;
        for (uint16_t k = 0; k < x->nargs; k++)
            if (pa_query_text_has_word(x->args[k].text, var)) other = true;
    }
    for (size_t a = 0; a < f->assigns.n; a++) {
        const struct pa_assign *as = &f->assigns.v[a];
        if (as->func == L->func && as->line > line && as->line <= L->end_line &&
            (pa_query_text_has_word(as->value, var) || pa_query_text_has_word(as->target, var)))
            other = true;
    }
    return deleted && !other;
}

/* A query over a batch of keys (IN / ANY / __in): the loop walks chunks, which is the fix, not the problem. */
static bool batched_query(const struct pa_file_facts *f, int32_t ci)
{
    const struct pa_call *head = pa_query_call(f, ci);
    for (size_t j = (size_t)ci; head && j < f->calls.n; j++) {
        const struct pa_call *x = &f->calls.v[j];
        if (j != (size_t)ci && !pa_query_span_within(x, head)) break;
        for (uint16_t k = 0; k < x->nargs; k++) {
            const struct pa_arg *a = &x->args[k];
            if (a->kw && pa_str_ends(a->kw, "__in")) return true;
            if (a->text && (strstr(a->text, ".in_(") || strstr(a->text, "ANY(") || strstr(a->text, "any(") ||
                            strstr(a->text, " IN (") || strstr(a->text, " in (") || strstr(a->text, "in_bulk")))
                return true;
        }
        if (strcmp(x->attr, "in_") == 0 || strcmp(x->attr, "in_bulk") == 0) return true;
    }
    return false;
}

/* A memoized project function (lru_cache/cache/cached/memoize): repeated calls do not query. */
static bool memoized(const struct pa_audit_input *in, pa_fref fn)
{
    const struct pa_func *fd = pa_fref_ok(fn) ? pa_facts_func(in->files[fn.file], fn.func) : NULL;
    for (uint16_t d = 0; fd && d < fd->ndecorators; d++)
        if (strstr(fd->decorators[d], "cache") || strstr(fd->decorators[d], "memo")) return true;
    return false;
}

static const char *model_name(const struct pa_model *m, const char *fallback) { return m ? m->name : fallback; }

static void fix_for_read(const struct pa_audit_input *in, pa_query_style st, const struct pa_db_call *dc, const struct pa_call *c,
                         pa_buf *rec)
{
    const char *M = model_name(dc->model, "Model");
    if (dc->via_project) {
        pa_buf_printf(rec, "Give the repository/service a batch method (e.g. `get_many(ids)`) that loads every row "
                      "in one query, call it once before the loop and look items up in a dict; ");
    }
    switch (st) {
    case PA_QS_DJANGO:
        pa_buf_printf(rec, "In Django, fetch all rows up front: `%s.objects.in_bulk(ids)` or "
                      "`%s.objects.filter(pk__in=ids)`, or follow relations with select_related()/prefetch_related().",
                      M, M);
        break;
    case PA_QS_SA14:
        pa_buf_printf(rec, "In %s, load all rows with one IN query before the loop: "
                      "`session.query(%s).filter(%s.id.in_(ids)).all()`, then index them by id.", pa_query_style_name(in, st), M, M);
        break;
    case PA_QS_SQLMODEL:
        pa_buf_printf(rec, "In SQLModel, load all rows with one query before the loop: "
                      "`session.exec(select(%s).where(%s.id.in_(ids))).all()`, then index them by id.", M, M);
        break;
    case PA_QS_RAW:
        pa_buf_printf(rec, "Issue one query for all keys before the loop (%s): `WHERE id = ANY(%%s)` with a list "
                      "parameter (psycopg) or `= ANY($1::int[])` (asyncpg), then group the rows in Python.",
                      pa_query_style_name(in, st));
        break;
    case PA_QS_SA2:
        pa_buf_printf(rec, "In %s, load all rows with one IN query before the loop: "
                      "`%sscalars(select(%s).where(%s.id.in_(ids)))).all()`, then index them by id "
                      "(`{o.id: o for o in rows}`); for related rows use selectinload()/joinedload().",
                      pa_query_style_name(in, st), c && (c->flags & PA_CALL_AWAITED) ? "(await session." : "(session.", M, M);
        break;
    }
}

/* Lazy-load findings: relationship attribute access on loop items. */
static void check_lazy(const struct pa_audit_input *in, int32_t fi, struct pa_rule_out *out, bool *loop_reported)
{
    const struct pa_file_facts *f = in->files[fi];
    PA_VEC(char *) seen = {0};   /* "loop:rel" already reported */
    for (size_t ui = 0; ui < f->attr_uses.n; ui++) {
        const struct pa_attr_use *u = &f->attr_uses.v[ui];
        const struct pa_loop *L = pa_query_loop(f, u->loop);
        if (!L || !u->chain || !u->name || pa_query_loop_is_literal(f, L)) continue;
        char *first = pa_xstrdup(u->chain);
        char *dot = strchr(first, '.');
        const char *rest = dot ? dot + 1 : NULL;
        if (dot) *dot = '\0';
        out->examined++;
        const struct pa_model *m = pa_orm_var_model(in, fi, u->func, u->name, u->line);
        const struct pa_model_rel *rel = m ? pa_model_rel(m, first) : NULL;
        if (!rel || !rel->lazy) goto next;
        /* eager at the model (selectin/joined/subquery/immediate), no load (raise/noload), or a manager
         * whose queries are calls (Django many-to-many/reverse, lazy="dynamic": rel_manager_call) */
        if (strcmp(rel->lazy, "select") != 0 && strcmp(rel->lazy, "True") != 0) goto next;
        if (rest && (strncmp(rest, "id", 2) == 0 || strncmp(rest, "pk", 2) == 0) && (rest[2] == '\0' || rest[2] == '.'))
            goto next;
        /* the query that produced the items */
        int32_t src = -1;
        if (L->iter_call >= 0) src = L->iter_call;
        else if (L->iter_kind == PA_EXPR_NAME && L->iter) {
            for (size_t a = 0; a < f->assigns.n; a++) {
                const struct pa_assign *as = &f->assigns.v[a];
                if (as->func == L->func && as->line <= L->line && strcmp(as->target, L->iter) == 0) src = as->value_call;
            }
        }
        const struct pa_call *sc = pa_query_call(f, src);
        if (!sc) goto next;
        if (strcmp(sc->callee, "enumerate") == 0 || strcmp(sc->callee, "list") == 0 || strcmp(sc->callee, "sorted") == 0) {
            const struct pa_arg *a = sc->nargs ? &sc->args[0] : NULL;
            if (!a || a->call < 0) goto next;
            src = a->call;
            sc = pa_query_call(f, src);
        }
        struct pa_db_call dc;
        src = pa_query_rows_source(in, fi, src, &dc);
        if (src < 0) goto next;
        sc = pa_query_call(f, src);
        if (pa_orm_query_eager_loads(in, fi, src, first)) goto next;
        /* any eager option for rel in the same function (statement built in pieces) */
        bool eager_here = false;
        for (size_t j = 0; j < f->calls.n && !eager_here; j++) {
            const struct pa_call *x = &f->calls.v[j];
            if (x->func != L->func || x->line > L->line) continue;
            if (strstr(x->attr, "load") || strcmp(x->attr, "select_related") == 0 || strcmp(x->attr, "prefetch_related") == 0)
                for (uint16_t k = 0; k < x->nargs; k++)
                    if (x->args[k].text && pa_query_text_has_word(x->args[k].text, first)) eager_here = true;
        }
        if (eager_here) goto next;
        char *key = pa_xasprintf("%d:%s", u->loop, first);
        bool dup = false;
        for (size_t s = 0; s < seen.n && !dup; s++) dup = strcmp(seen.v[s], key) == 0;
        if (dup) { free(key); goto next; }
        pa_vec_push(&seen, key);
        {
            pa_entry_kind entry = u->func >= 0 ? pa_index_entry(in->index, (pa_fref){fi, u->func}) : PA_ENTRY_NONE;
            pa_severity sev = pa_query_downgrade(PA_SEV_HIGH, entry, f->path);
            if (entry == PA_ENTRY_BACKGROUND || entry == PA_ENTRY_CLI) sev = PA_SEV_MEDIUM;
            char *ld = pa_query_loop_desc(L);
            pa_buf issue, rec;
            pa_buf_init(&issue);
            pa_buf_init(&rec);
            pa_buf_printf(&issue, "Lazy load per iteration: `%s.%s` loads %s.%s (relationship to %s, lazy=\"%s\") "
                          "separately for every item of the %s; the query at line %u (`%s`) does not eager-load it",
                          u->name, u->chain, m->name, first, rel->target ? rel->target : "?", rel->lazy, ld,
                          sc->line, sc->callee);
            if (m->kind == PA_ORM_DJANGO) {
                if (rel->uselist || strcmp(rel->lazy, "many") == 0)
                    pa_buf_printf(&rec, "Add `.prefetch_related(\"%s\")` to the queryset that produces the items "
                                  "(one extra query for all of them).", first);
                else
                    pa_buf_printf(&rec, "Add `.select_related(\"%s\")` to the queryset that produces the items "
                                  "(a JOIN in the same query).", first);
            } else {
                const char *opt = rel->uselist ? "selectinload" : "joinedload";
                pa_query_style st = pa_query_style_for(in, fi, sc, m);
                pa_buf_printf(&rec, "Eager-load the relationship in the query (%s): `.options(%s(%s.%s))`%s",
                              pa_query_style_name(in, st), opt, m->name, first,
                              st == PA_QS_SA14 ? " on session.query(...)" : " on select(...)");
                if (u->func >= 0 && f->funcs.v[u->func].is_async)
                    pa_buf_puts(&rec, "; with AsyncSession a lazy load here raises MissingGreenlet, so this is "
                                      "required, not optional");
                pa_buf_puts(&rec, ".");
            }
            struct pa_finding *fd = pa_rule_report_at(out, in, fi, u->func, u->line, u->col, u->line, sev, issue.s,
                                                      rec.s, "S");
            pa_finding_add_trace(fd, f->path, sc->line, "query producing the items");
            pa_finding_add_trace(fd, f->path, L->line, "loop");
            pa_finding_add_trace(fd, f->path, u->line, "lazy load per item");
            if (loop_reported) loop_reported[u->loop] = true;
            free(ld);
            pa_buf_free(&issue);
            pa_buf_free(&rec);
        }
    next:
        free(first);
    }
    for (size_t s = 0; s < seen.n; s++) free(seen.v[s]);
    pa_vec_free(&seen);
}

/* Relationship manager calls on loop items: o.items.all(), o.tags.count(),
 * o.orderline_set.filter(...) (Django), o.children.filter() (lazy="dynamic"). */
static bool rel_manager_call(const struct pa_audit_input *in, int32_t fi, const struct pa_call *c, const struct pa_loop *L,
                             const struct pa_model **mo, const char **relname)
{
    if (!c->base || !L->target || strcmp(c->base, L->target) != 0) return false;
    const char *p = c->callee + strlen(c->base);
    if (*p != '.') return false;
    p++;
    const char *d = strchr(p, '.');
    if (!d || strchr(d + 1, '.') || strchr(p, '(')) return false;
    char *rel = pa_xstrndup(p, (size_t)(d - p));
    const struct pa_model *m = pa_orm_var_model(in, fi, c->func, c->base, c->line);
    bool ok = false;
    if (m) {
        const struct pa_model_rel *r = pa_model_rel(m, rel);
        if (r && (strcmp(r->lazy, "many") == 0 || strcmp(r->lazy, "dynamic") == 0 || (m->kind == PA_ORM_DJANGO && r->uselist)))
            ok = true;
        if (!r && m->kind == PA_ORM_DJANGO && pa_str_ends(rel, "_set")) ok = true;
    }
    static const char *const qm[] = {"all", "filter", "count", "exists", "first", "last", "exclude", "order_by",
                                     "values", "values_list", "aggregate", "get", NULL};
    bool qmeth = false;
    for (int i = 0; qm[i]; i++)
        if (strcmp(c->attr, qm[i]) == 0) qmeth = true;
    if (ok && qmeth) {
        *mo = m;
        *relname = m ? pa_model_rel(m, rel) ? pa_model_rel(m, rel)->name : NULL : NULL;
    }
    free(rel);
    return ok && qmeth;
}

void pa_check_pa107(const struct pa_audit_input *in, struct pa_rule_out *out)
{
    for (size_t fi = 0; fi < in->nfiles; fi++) {
        const struct pa_file_facts *f = in->files[fi];
        if (!f->loops.n) continue;
        check_lazy(in, (int32_t)fi, out, NULL);
        for (size_t ci = 0; ci < f->calls.n; ci++) {
            const struct pa_call *c = &f->calls.v[ci];
            if ((c->flags & PA_CALL_DECORATOR) || !pa_query_is_head(f, (int32_t)ci)) continue;
            int32_t Li = pa_query_data_loop(f, (int32_t)ci);
            const struct pa_loop *L = pa_query_loop(f, Li);
            if (!L) continue;
            out->examined++;
            if (strcmp(c->attr, "refresh") == 0 || strcmp(c->attr, "refresh_from_db") == 0 ||
                strcmp(c->attr, "get_or_create") == 0 || strcmp(c->attr, "update_or_create") == 0 ||
                strcmp(c->attr, "aget_or_create") == 0 || strcmp(c->attr, "aupdate_or_create") == 0)
                continue;
            pa_entry_kind entry = c->func >= 0 ? pa_index_entry(in->index, (pa_fref){(int32_t)fi, c->func}) : PA_ENTRY_NONE;
            pa_severity sev = PA_SEV_HIGH;
            if (entry == PA_ENTRY_BACKGROUND || entry == PA_ENTRY_CLI) sev = PA_SEV_MEDIUM;
            sev = pa_query_downgrade(sev, entry, f->path);
            char *ld = pa_query_loop_desc(L);
            pa_buf issue, rec;
            pa_buf_init(&issue);
            pa_buf_init(&rec);
            const struct pa_model *rm = NULL;
            const char *rn = NULL;
            if (rel_manager_call(in, (int32_t)fi, c, L, &rm, &rn)) {
                /* a related-manager query on each item, unless the items were prefetched */
                int32_t src = L->iter_call;
                if (src < 0 && L->iter_kind == PA_EXPR_NAME)
                    for (size_t a = 0; a < f->assigns.n; a++) {
                        const struct pa_assign *as = &f->assigns.v[a];
                        if (as->func == L->func && as->line <= L->line && strcmp(as->target, L->iter) == 0) src = as->value_call;
                    }
                const char *p = c->callee + strlen(c->base) + 1;
                char *rel = pa_xstrndup(p, (size_t)(strchr(p, '.') - p));
                bool eager = src >= 0 && pa_orm_query_eager_loads(in, (int32_t)fi, src, rel);
                if (!eager && src >= 0 && !(strcmp(c->attr, "filter") == 0 || strcmp(c->attr, "exclude") == 0 ||
                                            strcmp(c->attr, "order_by") == 0 || strcmp(c->attr, "get") == 0)) {
                    pa_buf_printf(&issue, "N+1 query: `%s()` queries the related rows of every item in the %s%s",
                                  c->callee, ld, pa_query_entry_paren(entry));
                    pa_buf_printf(&rec, "Prefetch the relation in the query that produces the items: "
                                  "`.prefetch_related(\"%s\")` (Django) / `.options(selectinload(%s.%s))` (SQLAlchemy), "
                                  "then use the prefetched `.all()`.", rel, rm ? rm->name : "Model", rel);
                    struct pa_finding *fd = pa_rule_report_call(out, in, (int32_t)fi, c, sev, issue.s, rec.s, "S");
                    pa_finding_add_trace(fd, f->path, L->line, "loop");
                } else if (!eager && src >= 0) {
                    pa_buf_printf(&issue, "N+1 query: `%s()` runs a new query for every item in the %s%s; "
                                  "filtering a related manager bypasses any prefetch", c->callee, ld, pa_query_entry_paren(entry));
                    pa_buf_printf(&rec, "Prefetch with a filtered queryset: `Prefetch(\"%s\", queryset=...)` "
                                  "(Django) or one IN query over all item ids grouped in Python.", rel);
                    struct pa_finding *fd = pa_rule_report_call(out, in, (int32_t)fi, c, sev, issue.s, rec.s, "M");
                    pa_finding_add_trace(fd, f->path, L->line, "loop");
                }
                (void)rn;
                free(rel);
                goto next;
            }
            {
                struct pa_db_call dc;
                if (!pa_orm_classify_call(in, (int32_t)fi, (int32_t)ci, &dc) || dc.op != PA_DB_READ) goto next;
                if (paging_or_polling(f, (int32_t)ci, L) || retry_loop(f, Li)) goto next;
                if (dc.via_project && memoized(in, dc.callee)) goto next;
                if (!dc.via_project && fetched_only_to_delete(f, (int32_t)ci, Li)) goto next;
                if (!dc.via_project && batched_query(f, (int32_t)ci)) goto next;
                pa_query_style st = pa_query_style_for(in, (int32_t)fi, c, dc.model);
                const struct pa_func *fn = pa_facts_func(f, c->func);
                if (dc.via_project) {
                    pa_buf_printf(&issue, "N+1 query: `%s()` runs a database query on every iteration of the %s in %s()%s",
                                  c->callee, ld, fn ? fn->name : "<module>", pa_query_entry_paren(entry));
                } else {
                    pa_buf_printf(&issue, "N+1 query: `%s()`%s%s%s runs once per iteration of the %s in %s()%s",
                                  c->callee, dc.model ? " (" : "", dc.model ? dc.model->name : "", dc.model ? ")" : "",
                                  ld, fn ? fn->name : "<module>", pa_query_entry_paren(entry));
                }
                fix_for_read(in, st, &dc, c, &rec);
                struct pa_finding *fd = pa_rule_report_call(out, in, (int32_t)fi, c, sev, "", rec.s, dc.via_project ? "M" : "S");
                pa_finding_add_trace(fd, f->path, L->line, "loop");
                if (dc.via_project) pa_query_add_chain(in, (int32_t)fi, (int32_t)ci, PA_EFF_DB_READ, dc.callee, fd, &issue);
                free(fd->issue);
                fd->issue = pa_buf_take(&issue);
            }
        next:
            free(ld);
            pa_buf_free(&issue);
            pa_buf_free(&rec);
        }
    }
}
