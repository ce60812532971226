/* common.c (query) - helpers shared by the query-efficiency rules: chain
 * heads, which loop runs a call per iteration, literal loops, per-loop read
 * detection, the ORM style used to phrase fixes, severity by execution
 * context, and chain traces for cross-function findings. Pure reads. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "audit/query/query.h"

bool pa_query_is_head(const struct pa_file_facts *f, int32_t ci)
{
    int32_t lo = ci > 64 ? ci - 64 : 0;
    for (int32_t j = ci - 1; j >= lo; j--)
        if (f->calls.v[j].recv_call == ci) return false;
    return true;
}

bool pa_query_span_within(const struct pa_call *a, const struct pa_call *b)
{
    if (a->line < b->line || (a->line == b->line && a->col < b->col)) return false;
    if (a->end_line > b->end_line || (a->end_line == b->end_line && a->end_col > b->end_col)) return false;
    return true;
}

int32_t pa_query_body_loop(const struct pa_file_facts *f, int32_t ci)
{
    const struct pa_call *c = pa_query_call(f, ci);
    if (!c) return -1;
    int32_t L = c->loop;
    while (L >= 0) {
        const struct pa_loop *lp = pa_query_loop(f, L);
        if (!lp) return -1;
        const struct pa_call *it = pa_query_call(f, lp->iter_call);
        bool in_iter = it && (lp->iter_call == ci || pa_query_span_within(c, it));
        /* a for-loop's iterable is evaluated once, before the loop */
        if (!in_iter || lp->kind == PA_LOOP_WHILE) {
            if (lp->kind == PA_LOOP_WHILE || c->line >= lp->line) return L;
        }
        L = lp->parent;
    }
    return -1;
}

bool pa_query_loop_is_literal(const struct pa_file_facts *f, const struct pa_loop *L)
{
    if (L->kind == PA_LOOP_WHILE) return false;
    if (L->iter_flags & PA_XF_LITERAL) return true;
    if ((L->iter_kind == PA_EXPR_LIST || L->iter_kind == PA_EXPR_TUPLE || L->iter_kind == PA_EXPR_SET) &&
        L->iter_nelems > 0 && L->iter_nelems <= 10)
        return true;
    if (L->iter_kind == PA_EXPR_NAME && L->iter) {
        const char *s = L->iter;
        bool upper = isupper((unsigned char)*s) != 0;
        for (; *s && upper; s++)
            if (!(isupper((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_')) upper = false;
        if (upper) return true;
    }
    const struct pa_call *it = pa_query_call(f, L->iter_call);
    if (it && strcmp(it->callee, "range") == 0) {
        for (uint16_t i = 0; i < it->nargs; i++)
            if (it->args[i].kind != PA_EXPR_NUM) return false;
        return it->nargs > 0;
    }
    return false;
}

int32_t pa_query_data_loop(const struct pa_file_facts *f, int32_t ci)
{
    for (int32_t L = pa_query_body_loop(f, ci); L >= 0; L = pa_query_loop(f, L)->parent)
        if (!pa_query_loop_is_literal(f, pa_query_loop(f, L))) return L;
    return -1;
}

bool pa_query_loop_within(const struct pa_file_facts *f, int32_t inner, int32_t outer)
{
    for (int32_t L = inner; L >= 0; L = pa_query_loop(f, L)->parent)
        if (L == outer) return true;
    return false;
}

char *pa_query_loop_desc(const struct pa_loop *L)
{
    const char *kw = L->kind == PA_LOOP_ASYNC_FOR ? "async for" : L->kind == PA_LOOP_WHILE ? "while"
                   : L->kind == PA_LOOP_FOR ? "for" : "comprehension for";
    if (L->kind == PA_LOOP_WHILE) return pa_xasprintf("`while %s` loop at line %u", L->iter ? L->iter : "…", L->line);
    return pa_xasprintf("`%s %s in %s` loop at line %u", kw, L->target ? L->target : "…", L->iter ? L->iter : "…", L->line);
}

bool pa_query_loop_reads(const struct pa_audit_input *in, int32_t file, int32_t L, int32_t *read_call)
{
    const struct pa_file_facts *f = in->files[file];
    const struct pa_loop *lp = pa_query_loop(f, L);
    if (!lp) return false;
    for (size_t ci = 0; ci < f->calls.n; ci++) {
        const struct pa_call *c = &f->calls.v[ci];
        if (c->func != lp->func || c->line < lp->line || c->line > lp->end_line) continue;
        if (strcmp(c->attr, "refresh") == 0 || strcmp(c->attr, "refresh_from_db") == 0) continue;
        if (!pa_query_is_head(f, (int32_t)ci)) continue;
        int32_t bl = pa_query_body_loop(f, (int32_t)ci);
        if (bl < 0 || !pa_query_loop_within(f, bl, L)) continue;
        struct pa_db_call dc;
        if (pa_orm_classify_call(in, file, (int32_t)ci, &dc) && dc.op == PA_DB_READ) {
            if (read_call) *read_call = (int32_t)ci;
            return true;
        }
    }
    return false;
}

pa_query_style pa_query_style_for(const struct pa_audit_input *in, int32_t file, const struct pa_call *c, const struct pa_model *m)
{
    if (m && m->kind == PA_ORM_DJANGO) return PA_QS_DJANGO;
    /* judge by the chain's root call (the receiver-most one) */
    const struct pa_file_facts *f = file >= 0 && (size_t)file < in->nfiles ? in->files[file] : NULL;
    for (int guard = 0; f && c && c->recv_call >= 0 && guard < 16; guard++) {
        const struct pa_call *r = pa_query_call(f, c->recv_call);
        if (!r) break;
        c = r;
    }
    if (c) {
        if (strstr(c->callee, ".objects.") || strstr(c->callee, "objects.")) return PA_QS_DJANGO;
        if (strstr(c->callee, "query().") || pa_str_ends(c->callee, ".query") || strstr(c->callee, ".query.")) return PA_QS_SA14;
        const char *a = c->attr;
        if (strcmp(a, "fetch") == 0 || strcmp(a, "fetchrow") == 0 || strcmp(a, "fetchval") == 0 ||
            strcmp(a, "executemany") == 0)
            return PA_QS_RAW;
        for (uint16_t i = 0; i < c->nargs; i++)
            if (!c->args[i].kw && (c->args[i].kind == PA_EXPR_STR || c->args[i].kind == PA_EXPR_FSTRING) && i == 0)
                return PA_QS_RAW;
        if (strcmp(a, "exec") == 0) return PA_QS_SQLMODEL;
    }
    if (m && m->kind == PA_ORM_SQLMODEL) return PA_QS_SQLMODEL;
    const char *orm = in->ctx->orm.name;
    const char *ver = in->ctx->orm.version;
    if (orm) {
        if (pa_str_ieq(orm, "Django") || pa_str_ieq(orm, "Django ORM")) return PA_QS_DJANGO;
        if (pa_str_ieq(orm, "SQLModel")) return PA_QS_SQLMODEL;
        if (pa_str_ieq(orm, "SQLAlchemy")) return ver && ver[0] == '1' ? PA_QS_SA14 : PA_QS_SA2;
        if (strstr(orm, "psycopg") || strstr(orm, "asyncpg") || strstr(orm, "sqlite") || strstr(orm, "mysql"))
            return PA_QS_RAW;
    }
    return PA_QS_SA2;
}

const char *pa_query_style_name(const struct pa_audit_input *in, pa_query_style s)
{
    const char *ver = in->ctx->orm.name && (pa_str_ieq(in->ctx->orm.name, "SQLAlchemy") || pa_str_ieq(in->ctx->orm.name, "SQLModel"))
                          ? in->ctx->orm.version : NULL;
    if (!ver) {
        const struct pa_dep *d = pa_context_dep(in->ctx, "sqlalchemy");
        ver = d ? d->version : NULL;
    }
    /* "1.4", "==1.4.52", "<2.0,>=1.3" → a 1.x pin when the first digit seen is 1 */
    const char *dg = ver;
    while (dg && *dg && !isdigit((unsigned char)*dg)) dg++;
    bool v1 = dg && *dg == '1' && dg[1] == '.';
    switch (s) {
    case PA_QS_SA2: return v1 ? "SQLAlchemy 1.4 (2.0-style select API)" : "SQLAlchemy 2.0";
    case PA_QS_SA14: return v1 ? "SQLAlchemy 1.4" : "SQLAlchemy (legacy Query API)";
    case PA_QS_SQLMODEL: return "SQLModel";
    case PA_QS_DJANGO: return "Django";
    case PA_QS_RAW: return "raw SQL";
    }
    return "the ORM";
}

const char *pa_query_entry_label(pa_entry_kind k)
{
    switch (k) {
    case PA_ENTRY_REQUEST: return "request handler";
    case PA_ENTRY_BACKGROUND: return "background job";
    case PA_ENTRY_BOOTSTRAP: return "startup/migration code";
    case PA_ENTRY_CLI: return "CLI command";
    case PA_ENTRY_NONE: break;
    }
    return "function";
}

const char *pa_query_entry_paren(pa_entry_kind k)
{
    switch (k) {
    case PA_ENTRY_REQUEST: return " (request handler)";
    case PA_ENTRY_BACKGROUND: return " (background job)";
    case PA_ENTRY_BOOTSTRAP: return " (startup/migration code)";
    case PA_ENTRY_CLI: return " (CLI command)";
    case PA_ENTRY_NONE: break;
    }
    return "";
}

pa_severity pa_query_downgrade(pa_severity s, pa_entry_kind k, const char *path)
{
    if (k == PA_ENTRY_REQUEST) return s;
    bool migration = path && (strstr(path, "migrations/") || strstr(path, "alembic/") || strstr(path, "migrate") ||
                              strstr(path, "bootstrap") || strstr(path, "seed"));
    if ((k == PA_ENTRY_BOOTSTRAP || migration) && s > PA_SEV_LOW) return (pa_severity)(s - 1);
    return s;
}

void pa_query_add_chain(const struct pa_audit_input *in, int32_t file, int32_t call, uint32_t effect, pa_fref callee,
                 struct pa_finding *fd, pa_buf *issue)
{
    struct pa_chain_step steps[PA_QUERY_MAX_CHAIN];
    size_t nsteps = 0;
    const struct pa_libsig *sig = pa_index_effect_chain(in->index, file, call, effect, steps, PA_QUERY_MAX_CHAIN, &nsteps);
    if (sig && nsteps >= 2) {
        pa_index_describe_chain(in->index, steps, nsteps, sig, fd, issue);
        return;
    }
    const struct pa_file_facts *f = in->files[file];
    const struct pa_call *c = pa_query_call(f, call);
    if (!pa_fref_ok(callee) || !c) return;
    const struct pa_file_facts *cf = in->files[callee.file];
    const struct pa_func *fn = pa_facts_func(cf, callee.func);
    if (!fn) return;
    char *note = pa_xasprintf("calls %s()", fn->qualname);
    pa_finding_add_trace(fd, f->path, c->line, note);
    free(note);
    note = pa_xasprintf("%s() queries the database", fn->qualname);
    pa_finding_add_trace(fd, cf->path, fn->line, note);
    free(note);
    pa_buf_printf(issue, " via %s() (%s:%u)", fn->qualname, cf->path, fn->line);
}

static bool ident_char(char ch) { return isalnum((unsigned char)ch) || ch == '_'; }

bool pa_query_text_has_attr(const char *text, const char *name, const char *attr)
{
    if (!text || !name) return false;
    size_t n = strlen(name), an = attr ? strlen(attr) : 0;
    for (const char *p = text; (p = strstr(p, name)); p += n) {
        if (p > text && (ident_char(p[-1]) || p[-1] == '.')) continue;
        if (p[n] != '.') continue;
        if (!attr) return true;
        if (strncmp(p + n + 1, attr, an) == 0 && !ident_char(p[n + 1 + an])) return true;
    }
    return false;
}

bool pa_query_text_has_word(const char *text, const char *name)
{
    if (!text || !name) return false;
    size_t n = strlen(name);
    for (const char *p = text; (p = strstr(p, name)); p += n)
        if (!(p > text && (ident_char(p[-1]) || p[-1] == '.')) && !ident_char(p[n])) return true;
    return false;
}

int32_t pa_query_rows_source(const struct pa_audit_input *in, int32_t file, int32_t call, struct pa_db_call *dc)
{
    const struct pa_file_facts *f = in->files[file];
    const struct pa_call *c = pa_query_call(f, call);
    if (!c) return -1;
    if (pa_orm_classify_call(in, file, call, dc) && dc->op == PA_DB_READ) return call;
    const struct pa_call *root = c;
    for (int g = 0; g < 32 && root->recv_call >= 0 && pa_query_call(f, root->recv_call); g++) root = pa_query_call(f, root->recv_call);
    if (!root->base) return -1;
    /* `result.scalars()` / `rows.all()` on a local bound to an earlier query's result */
    int32_t src = -1;
    uint32_t best = 0;
    for (size_t a = 0; a < f->assigns.n; a++) {
        const struct pa_assign *as = &f->assigns.v[a];
        if (as->func != c->func || as->line > c->line || strcmp(as->target, root->base) != 0) continue;
        if (as->line >= best) { best = as->line; src = as->value_call; }
    }
    if (src < 0) return -1;
    for (int32_t j = src - 1; j >= 0 && j >= src - 8; j--)
        if (f->calls.v[j].recv_call == src) src = j;
    if (pa_orm_classify_call(in, file, src, dc) && dc->op == PA_DB_READ) return src;
    return -1;
}
