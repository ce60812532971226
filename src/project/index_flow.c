/* index_flow.c - the project-wide semantic index, part 2: the call graph
 * over resolved calls, effect summaries propagated callee → caller to a
 * fixpoint, the offload boundary, entry-point kinds propagated caller →
 * callee, async context, and the effect-chain queries.
 *
 * DESIGN
 * - ix_flow_build runs once at the end of pa_index_build (single thread);
 *   afterwards every array here is read-only and the query functions are
 *   pure (pa_index_effect_chain allocates its own scratch memory).
 * - Functions have global ids (file's gbase + func index). Edges are kept in
 *   one array with two CSR views (by callee, by caller); worklists make
 *   every propagation linear in edges × effect bits, and cycles terminate
 *   because values only grow.
 * - Offload boundary: asyncio.to_thread(fn) & co. make an IX_EDGE_OFFLOAD
 *   edge whose mask drops PA_EFF_THREAD_LOCAL. A lambda or nested def is its
 *   own function; it reaches its enclosing function only when called, or
 *   when handed to a call that is not an offloader (IX_EDGE_ARG).
 * - Deferral boundary: a PA_LIB_DEFER call (on_commit, add_task, call_soon,
 *   atexit.register, Celery .delay, threading.Timer …) runs its callable
 *   later, so nothing flows back: its lambdas/nested defs get an
 *   IX_EDGE_DEFER edge with mask 0 (entry kinds still flow), and the
 *   coroutine call handed to create_task/ensure_future (PA_LIBX_CORO) is
 *   flagged IX_RF_DEFER_ARG: no direct effects, a mask-0 edge, call effects
 *   0. Callables deferred onto the event loop (call_soon, call_later,
 *   add_done_callback: IX_EDGE_DEFER_LOOP) still count as called from the
 *   caller's async context; the others do not.
 * - Entry kinds come from decorators, names, paths and registration calls
 *   (urls.py path(), Route(), add_api_route, add_job, lifespan=…). Facts
 *   carry no `if __name__ == "__main__"` guard, so module-level code calling
 *   a project function stands in for it: CLI when the callee is main/cli or
 *   the file is __main__.py/manage.py/cli.py, BOOTSTRAP otherwise.
 */
#include "index_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CHAIN_DEPTH 8

/* Is r a call of functools.partial? By signature id: no string compare per call. */
static pthread_once_t g_partial_once = PTHREAD_ONCE_INIT;
static uint16_t g_partial_id;
static void partial_init(void) { g_partial_id = pa_libsig_id(pa_libsig_find("functools.partial")); }
static inline bool is_partial(const struct ix_res *r)
{
    pthread_once(&g_partial_once, partial_init);
    return r->kind == PA_TARGET_LIBRARY && r->lib && r->lib == g_partial_id;
}

static const struct pa_func *gfunc(const pa_index *ix, uint32_t g, int32_t *file)
{
    int32_t fi = ix->gfile[g];
    if (file) *file = fi;
    return &ix->files[fi].f->funcs.v[g - ix->files[fi].gbase];
}

/* The function handed to an offloader/other call as argument a (lambda, a
 * name of a function, functools.partial(fn, …)). */
static pa_fref arg_callable(pa_index *ix, int32_t file, const struct pa_call *call, const struct pa_arg *a,
                            bool *via_partial, int32_t *partial_call)
{
    const struct pa_file_facts *f = ix->files[file].f;
    if (a->func >= 0) return (pa_fref){file, a->func};
    if ((a->kind == PA_EXPR_NAME || a->kind == PA_EXPR_ATTR) && a->text)
        return ix_resolve_funcref(ix, file, call->func, call->line, a->text);
    if (a->kind == PA_EXPR_CALL && a->call >= 0) {
        const struct ix_res *pr = &ix->files[file].res[a->call];
        if (pr->kind == PA_TARGET_LIBRARY && is_partial(pr)) {
            const struct pa_call *pc = &f->calls.v[a->call];
            for (uint16_t i = 0; i < pc->nargs; i++) {
                if (pc->args[i].kw) continue;
                if (via_partial) *via_partial = true;
                if (partial_call) *partial_call = a->call;
                return arg_callable(ix, file, pc, &pc->args[i], NULL, NULL);
            }
        }
    }
    return PA_FREF_NONE;
}

static bool is_local_fn(const pa_index *ix, pa_fref fn)
{
    const struct pa_func *f = &ix->files[fn.file].f->funcs.v[fn.func];
    return f->is_lambda || f->parent >= 0;
}

static void add_edge(pa_index *ix, uint32_t from, pa_fref to, uint32_t mask, uint8_t kind)
{
    struct ix_edge e = {from, ix_gid(ix, to.file, to.func), mask, kind};
    pa_vec_push(&ix->edges, e);
}

/* The offloaded callable of an offloader call, or none: the first positional
 * argument (the second for run_in_executor), or a func=/fn= keyword. */
static pa_fref offload_target(pa_index *ix, int32_t file, int32_t c, int32_t *partial_call)
{
    const struct pa_call *call = &ix->files[file].f->calls.v[c];
    const struct ix_res *r = &ix->files[file].res[c];
    int want = (r->kind == PA_TARGET_LIBRARY && (ix_lib(r)->flags & PA_LIBX_CALLABLE)) ? 1 : 0;
    int pos = 0;
    for (uint16_t i = 0; i < call->nargs; i++) {
        const struct pa_arg *a = &call->args[i];
        bool take;
        if (a->kw) take = strcmp(a->kw, "func") == 0 || strcmp(a->kw, "fn") == 0 || strcmp(a->kw, "target") == 0;
        else take = pos++ == want;
        if (!take) continue;
        pa_fref t = arg_callable(ix, file, call, a, NULL, partial_call);
        if (pa_fref_ok(t)) return t;
    }
    return PA_FREF_NONE;
}

/* Build the CSR view of edges grouped by key(from/to). */
static void csr(const pa_index *ix, bool by_to, uint32_t **off_out, uint32_t **idx_out)
{
    uint32_t *off = pa_xcalloc(ix->nfuncs + 1, sizeof *off);
    uint32_t *idx = pa_xmalloc((ix->edges.n ? ix->edges.n : 1) * sizeof *idx);
    for (size_t i = 0; i < ix->edges.n; i++) off[(by_to ? ix->edges.v[i].to : ix->edges.v[i].from) + 1]++;
    for (uint32_t g = 0; g < ix->nfuncs; g++) off[g + 1] += off[g];
    uint32_t *fill = pa_xmalloc((ix->nfuncs + 1) * sizeof *fill);
    memcpy(fill, off, (ix->nfuncs + 1) * sizeof *fill);
    for (size_t i = 0; i < ix->edges.n; i++) idx[fill[by_to ? ix->edges.v[i].to : ix->edges.v[i].from]++] = (uint32_t)i;
    free(fill);
    *off_out = off;
    *idx_out = idx;
}

/* ---- entry kinds ------------------------------------------------------------- */

static int kind_rank(uint8_t k)
{
    switch (k) {
    case PA_ENTRY_REQUEST: return 4;
    case PA_ENTRY_BACKGROUND: return 3;
    case PA_ENTRY_CLI: return 2;
    case PA_ENTRY_BOOTSTRAP: return 1;
    default: return 0;
    }
}

static bool contains_ci(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++)
        if (strncasecmp(s, needle, n) == 0) return true;
    return false;
}

static const char *last_comp(const char *s, size_t n)
{
    const char *r = s;
    for (size_t i = 0; i < n; i++) if (s[i] == '.') r = s + i + 1;
    return r;
}

/* Is `recv` (a module variable) an application/router object? */
static bool is_app_instance(const pa_index *ix, int32_t file, const char *recv)
{
    if (!*recv || strchr(recv, '.')) return false;
    const char *ctor = ix_module_var_ctor(ix, file, recv);
    if (!ctor) return false;
    const char *last = pa_str_last_dot(ctor);
    static const char *const apps[] = {"FastAPI", "APIRouter", "Starlette", "Router", "Flask", "Blueprint", "Quart",
                                       "Sanic", "RouteTableDef", "Application", "Litestar", "Ninja", "NinjaAPI", NULL};
    for (int i = 0; apps[i]; i++)
        if (strcmp(last, apps[i]) == 0) return true;
    return false;
}

static uint8_t decorator_kind(const pa_index *ix, int32_t file, const char *d)
{
    size_t n = strcspn(d, "(");
    const char *args = d + n;
    const char *last = last_comp(d, n);
    size_t ln = (size_t)(d + n - last);
    size_t rn = last > d ? (size_t)(last - d - 1) : 0;   /* receiver length */
    char recv[96] = "", attr[48] = "";
    if (rn < sizeof recv) { memcpy(recv, d, rn); recv[rn] = '\0'; }
    if (ln < sizeof attr) { memcpy(attr, last, ln); attr[ln] = '\0'; }
    const char *rlast = last_comp(recv, strlen(recv));
    static const char *const verbs[] = {"get", "post", "put", "patch", "delete", "head", "options", "api_route",
                                        "websocket", "route", "trace", "view", NULL};
    bool verb = false;
    for (int i = 0; verbs[i] && !verb; i++) verb = strcmp(attr, verbs[i]) == 0;
    if (verb && rn &&   /* the receiver is looked at only for a verb */
        (is_app_instance(ix, file, recv) || contains_ci(rlast, "router") || contains_ci(rlast, "app") ||
         contains_ci(rlast, "bp") || contains_ci(rlast, "blueprint") || contains_ci(rlast, "routes") ||
         contains_ci(rlast, "api")))
        return PA_ENTRY_REQUEST;
    if (strcmp(attr, "on_event") == 0 || strcmp(attr, "on_startup") == 0 || strcmp(attr, "on_shutdown") == 0 ||
        strcmp(attr, "before_first_request") == 0 || strcmp(attr, "before_serving") == 0 ||
        strcmp(attr, "on_after_configure") == 0)
        return (strcmp(attr, "on_event") != 0 || strstr(args, "startup") || strstr(args, "shutdown"))
                   ? PA_ENTRY_BOOTSTRAP : PA_ENTRY_NONE;
    if (strcmp(attr, "shared_task") == 0 || strcmp(attr, "periodic_task") == 0 || strcmp(attr, "actor") == 0 ||
        strcmp(attr, "scheduled_job") == 0 || strcmp(attr, "cron") == 0 ||
        (strcmp(attr, "task") == 0) || (strcmp(attr, "job") == 0 && (!rn || contains_ci(recv, "rq"))))
        return PA_ENTRY_BACKGROUND;
    if ((strcmp(attr, "command") == 0 || strcmp(attr, "group") == 0) &&
        (!rn || contains_ci(recv, "click") || contains_ci(recv, "typer") || contains_ci(recv, "app") ||
         contains_ci(recv, "cli") || contains_ci(recv, "group")))
        return PA_ENTRY_CLI;
    return PA_ENTRY_NONE;
}

static bool path_has_dir(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    for (const char *p = path; (p = strstr(p, dir)); p += n)
        if ((p == path || p[-1] == '/') && p[n] == '/') return true;
    return false;
}

static const char *basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static bool class_is_view(const pa_index *ix, int32_t file, int32_t cls, int depth)
{
    if (depth > 8) return false;
    const struct pa_class *c = &ix->files[file].f->classes.v[cls];
    for (uint16_t k = 0; k < c->nbases; k++) {
        const char *b = c->bases[k];
        if (!b || strchr(b, '=')) continue;
        size_t n = strcspn(b, "[(");
        const char *last = last_comp(b, n);
        size_t ln = (size_t)(b + n - last);
        if ((ln >= 4 && strncmp(last + ln - 4, "View", 4) == 0) || (ln >= 7 && strncmp(last + ln - 7, "ViewSet", 7) == 0) ||
            (ln >= 8 && strncmp(last + ln - 8, "Endpoint", 8) == 0 && strncmp(last, "HTTP", 4) == 0))
            return true;
    }
    const struct ix_file *xf = &ix->files[file];
    if (!xf->cls_base_n) return false;
    for (uint16_t k = 0; k < xf->cls_base_n[cls]; k++) {
        const struct ix_base *pb = &ix->bases.v[xf->cls_base_off[cls] + k];
        if (pb->file >= 0 && class_is_view(ix, pb->file, pb->cls, depth + 1)) return true;
    }
    return false;
}

/* What a file's path says about its functions (computed once per file). */
struct path_kind {
    bool migrations;   /* under migrations/, alembic/ or versions/ */
    bool views;        /* views.py or under views/ */
    bool background;   /* under tasks/, jobs/, cron/, workers/ or tasks.py, jobs.py, worker(s).py */
};

static struct path_kind path_kind_of(const char *path)
{
    const char *base = basename_of(path);
    struct path_kind pk;
    pk.migrations = path_has_dir(path, "migrations") || path_has_dir(path, "alembic") || path_has_dir(path, "versions");
    pk.views = strcmp(base, "views.py") == 0 || path_has_dir(path, "views");
    pk.background = path_has_dir(path, "tasks") || path_has_dir(path, "jobs") || path_has_dir(path, "cron") ||
                    path_has_dir(path, "workers") || strcmp(base, "tasks.py") == 0 || strcmp(base, "jobs.py") == 0 ||
                    strcmp(base, "worker.py") == 0 || strcmp(base, "workers.py") == 0;
    return pk;
}

static uint8_t own_kind(const pa_index *ix, int32_t file, int32_t func, const struct path_kind *pk)
{
    const struct pa_file_facts *f = ix->files[file].f;
    const struct pa_func *fn = &f->funcs.v[func];
    if (fn->is_lambda || !fn->name) return PA_ENTRY_NONE;
    for (uint16_t i = 0; i < fn->ndecorators; i++) {
        uint8_t k = fn->decorators[i] ? decorator_kind(ix, file, fn->decorators[i]) : 0;
        if (k) return k;
    }
    const char *name = fn->name;
    /* __init__ is BOOTSTRAP only by default, when no caller gives it a hotter
     * kind (a constructor called per request is on the request path): see
     * ix_flow_build */
    if (pa_str_starts(name, "setup") || pa_str_starts(name, "bootstrap") ||
        pa_str_starts(name, "migrate") || strcmp(name, "lifespan") == 0 || strcmp(name, "startup") == 0 ||
        strcmp(name, "on_startup") == 0)
        return PA_ENTRY_BOOTSTRAP;
    if ((strcmp(name, "upgrade") == 0 || strcmp(name, "downgrade") == 0) && fn->parent < 0 && fn->cls < 0 &&
        pk->migrations)
        return PA_ENTRY_BOOTSTRAP;
    if (fn->cls >= 0) {
        const struct pa_class *c = &f->classes.v[fn->cls];
        static const char *const view_methods[] = {"get", "post", "put", "patch", "delete", "head", "options",
                                                   "list", "create", "retrieve", "update", "partial_update",
                                                   "destroy", NULL};
        for (int i = 0; view_methods[i]; i++)
            if (strcmp(name, view_methods[i]) == 0 && class_is_view(ix, file, fn->cls, 0)) return PA_ENTRY_REQUEST;
        if (strcmp(name, "handle") == 0 && c->name && strcmp(c->name, "Command") == 0) return PA_ENTRY_CLI;
    }
    if (pk->views && fn->parent < 0 && fn->cls < 0 && fn->nparams > 0 && fn->params[0].name &&
        strcmp(fn->params[0].name, "request") == 0)
        return PA_ENTRY_REQUEST;
    if (pk->background) return PA_ENTRY_BACKGROUND;
    return PA_ENTRY_NONE;
}

static void mark_registered(pa_index *ix, int32_t file, const struct pa_call *call, const struct pa_arg *a,
                            uint8_t kind)
{
    if (!a || !(a->kind == PA_EXPR_NAME || a->kind == PA_EXPR_ATTR) || !a->text) return;
    pa_fref fn = ix_resolve_funcref(ix, file, call->func, call->line, a->text);
    if (!pa_fref_ok(fn)) return;
    uint32_t g = ix_gid(ix, fn.file, fn.func);
    if (!ix->own_kind[g]) ix->own_kind[g] = kind;
}

/* Registrations by call: urls.py path(), Starlette Route(), add_api_route,
 * add_url_rule, aiohttp add_get…, APScheduler add_job, lifespan=…. */
static void registrations(pa_index *ix, int32_t file)
{
    const struct pa_file_facts *f = ix->files[file].f;
    const char *base = basename_of(f->path ? f->path : "");
    bool urls = strcmp(base, "urls.py") == 0;
    for (size_t c = 0; c < f->calls.n; c++) {
        const struct pa_call *call = &f->calls.v[c];
        const char *attr = call->attr;
        if (!attr) continue;
        const struct ix_res *r = &ix->files[file].res[c];
        /* every name tested below starts with one of these: most calls skip the chain */
        char a0 = attr[0];
        bool maybe = a0 == 'p' || a0 == 'r' || a0 == 'u' || a0 == 'R' || a0 == 'W' || a0 == 'a' || a0 == 'e' ||
                     a0 == 'c' || (r->canon && r->canon[0] == 'd');
        bool django_path =
            maybe && ((urls && (!strcmp(attr, "path") || !strcmp(attr, "re_path") || !strcmp(attr, "url"))) ||
                      (r->canon && (!strcmp(r->canon, "django.urls.path") || !strcmp(r->canon, "django.urls.re_path"))));
        if (!maybe) {
            /* not a registration call */
        } else if (django_path || !strcmp(attr, "Route") || !strcmp(attr, "WebSocketRoute")) {
            mark_registered(ix, file, call, pa_call_posarg(call, 1), PA_ENTRY_REQUEST);
            mark_registered(ix, file, call, pa_call_kwarg(call, "endpoint"), PA_ENTRY_REQUEST);
            mark_registered(ix, file, call, pa_call_kwarg(call, "view"), PA_ENTRY_REQUEST);
        } else if (!strcmp(attr, "add_api_route") || !strcmp(attr, "add_api_websocket_route") ||
                   !strcmp(attr, "add_route") || !strcmp(attr, "add_websocket_route") || !strcmp(attr, "add_get") ||
                   !strcmp(attr, "add_post") || !strcmp(attr, "add_put") || !strcmp(attr, "add_patch") ||
                   !strcmp(attr, "add_delete") || !strcmp(attr, "add_url_rule")) {
            for (uint16_t i = 0; i < call->nargs; i++)
                if (!call->args[i].kw || !strcmp(call->args[i].kw, "endpoint") || !strcmp(call->args[i].kw, "view_func") ||
                    !strcmp(call->args[i].kw, "handler"))
                    mark_registered(ix, file, call, &call->args[i], PA_ENTRY_REQUEST);
        } else if (!strcmp(attr, "add_job") || !strcmp(attr, "enqueue") || !strcmp(attr, "enqueue_call") ||
                   (!strcmp(attr, "cron") && !(call->flags & PA_CALL_DECORATOR))) {   /* APScheduler, rq, arq cron() */
            mark_registered(ix, file, call, pa_call_posarg(call, 0), PA_ENTRY_BACKGROUND);
            mark_registered(ix, file, call, pa_call_kwarg(call, "func"), PA_ENTRY_BACKGROUND);
        } else if (!strcmp(attr, "add_event_handler")) {
            const struct pa_arg *ev = pa_call_posarg(call, 0);
            if (ev && ev->text && (strstr(ev->text, "startup") || strstr(ev->text, "shutdown")))
                mark_registered(ix, file, call, pa_call_posarg(call, 1), PA_ENTRY_BOOTSTRAP);
        }
        const struct pa_arg *ls = pa_call_kwarg(call, "lifespan");
        if (ls) mark_registered(ix, file, call, ls, PA_ENTRY_BOOTSTRAP);
        /* module-level code calling a project function */
        if (call->func < 0 && call->cls < 0 && !(call->flags & PA_CALL_DECORATOR) && r->kind == PA_TARGET_PROJECT) {
            const struct pa_func *fn = &ix->files[r->a].f->funcs.v[r->b];
            bool cli = !strcmp(fn->name, "main") || !strcmp(fn->name, "cli") || !strcmp(base, "__main__.py") ||
                       !strcmp(base, "manage.py") || !strcmp(base, "cli.py");
            uint32_t g = ix_gid(ix, r->a, r->b);
            if (!ix->own_kind[g]) ix->own_kind[g] = cli ? PA_ENTRY_CLI : PA_ENTRY_BOOTSTRAP;
        }
    }
}

/* arq: `class WorkerSettings: functions = [download, parse]` */
static void arq_functions(pa_index *ix, int32_t file)
{
    const struct pa_file_facts *f = ix->files[file].f;
    for (size_t i = 0; i < f->classes.n; i++) {
        const struct pa_class *c = &f->classes.v[i];
        for (uint16_t k = 0; k < c->nattrs; k++) {
            const struct pa_class_attr *at = &c->attrs[k];
            if (!at->name || strcmp(at->name, "functions") != 0 || !at->value || at->value[0] != '[') continue;
            const char *p = at->value + 1;
            while (*p && *p != ']') {
                while (*p == ' ' || *p == ',' || *p == '\n') p++;
                char name[128];
                size_t n = 0;
                while (*p && *p != ',' && *p != ']' && *p != '(' && n + 1 < sizeof name) name[n++] = *p++;
                while (n && name[n - 1] == ' ') n--;
                name[n] = '\0';
                if (*p == '(') {   /* func(download, …): take the first argument */
                    p++;
                    n = 0;
                    while (*p && *p != ',' && *p != ')' && n + 1 < sizeof name) name[n++] = *p++;
                    name[n] = '\0';
                    while (*p && *p != ']' && *p != ',') p++;
                }
                if (n) {
                    pa_fref fn = ix_resolve_funcref(ix, file, c->func, at->line, name);
                    if (pa_fref_ok(fn) && !ix->own_kind[ix_gid(ix, fn.file, fn.func)])
                        ix->own_kind[ix_gid(ix, fn.file, fn.func)] = PA_ENTRY_BACKGROUND;
                }
                if (*p && *p != ']') p++;
            }
        }
    }
}

/* ---- build ---------------------------------------------------------------------- */

void ix_flow_build(pa_index *ix)
{
    uint32_t nf = ix->nfuncs;
    ix->gfile = pa_xmalloc((nf ? nf : 1) * sizeof *ix->gfile);
    ix->direct = pa_xcalloc(nf ? nf : 1, sizeof *ix->direct);
    ix->total = pa_xcalloc(nf ? nf : 1, sizeof *ix->total);
    ix->own_kind = pa_xcalloc(nf ? nf : 1, 1);
    ix->kind = pa_xcalloc(nf ? nf : 1, 1);
    ix->offloaded = pa_xcalloc(nf ? nf : 1, 1);
    ix->deferred = pa_xcalloc(nf ? nf : 1, 1);
    ix->async_ctx = pa_xcalloc(nf ? nf : 1, 1);
    ix->async_via = pa_xcalloc(nf ? nf : 1, sizeof *ix->async_via);
    ix->fcall_off = pa_xcalloc(nf + 1, sizeof *ix->fcall_off);
    size_t ncalls = 0;
    for (size_t i = 0; i < ix->nfiles; i++) {
        const struct pa_file_facts *f = ix->files[i].f;
        for (size_t k = 0; k < f->funcs.n; k++) ix->gfile[ix->files[i].gbase + k] = (int32_t)i;
        for (size_t c = 0; c < f->calls.n; c++)
            if (f->calls.v[c].func >= 0 && (size_t)f->calls.v[c].func < f->funcs.n)
                ix->fcall_off[ix->files[i].gbase + (uint32_t)f->calls.v[c].func + 1]++, ncalls++;
    }
    for (uint32_t g = 0; g < nf; g++) ix->fcall_off[g + 1] += ix->fcall_off[g];
    ix->fcalls = pa_xmalloc((ncalls ? ncalls : 1) * sizeof *ix->fcalls);
    {
        uint32_t *fill = pa_xmalloc((nf + 1) * sizeof *fill);
        memcpy(fill, ix->fcall_off, (nf + 1) * sizeof *fill);
        for (size_t i = 0; i < ix->nfiles; i++) {
            const struct pa_file_facts *f = ix->files[i].f;
            for (size_t c = 0; c < f->calls.n; c++)
                if (f->calls.v[c].func >= 0 && (size_t)f->calls.v[c].func < f->funcs.n)
                    ix->fcalls[fill[ix->files[i].gbase + (uint32_t)f->calls.v[c].func]++] = (int32_t)c;
        }
        free(fill);
    }

    /* coroutine calls scheduled by create_task/ensure_future & co.: they run
     * later on the loop, so they are not the scheduling caller's effects */
    for (size_t i = 0; i < ix->nfiles; i++) {
        const struct pa_file_facts *f = ix->files[i].f;
        struct ix_res *res = ix->files[i].res;
        for (size_t c = 0; c < f->calls.n; c++) {
            const struct ix_res *r = &res[c];
            if (r->kind != PA_TARGET_LIBRARY || !(ix_lib(r)->flags & PA_LIBX_CORO)) continue;
            const struct pa_call *call = &f->calls.v[c];
            for (uint16_t k = 0; k < call->nargs; k++) {
                const struct pa_arg *a = &call->args[k];
                if (a->kw && strcmp(a->kw, "coro") != 0) continue;
                if (a->call < 0 || (size_t)a->call >= f->calls.n || (f->calls.v[a->call].flags & PA_CALL_AWAITED)) break;
                struct ix_res *ar = &res[a->call];
                bool coro = (ar->kind == PA_TARGET_PROJECT && ix->files[ar->a].f->funcs.v[ar->b].is_async) ||
                            (ar->kind == PA_TARGET_LIBRARY && (ix_lib(ar)->flags & PA_LIB_ASYNC_API));
                if (coro) ar->flags |= IX_RF_DEFER_ARG;
                break;
            }
        }
    }

    /* direct effects and edges */
    for (size_t i = 0; i < ix->nfiles; i++) {
        int32_t file = (int32_t)i;
        const struct pa_file_facts *f = ix->files[i].f;
        struct ix_res *res = ix->files[i].res;
        for (size_t c = 0; c < f->calls.n; c++) {
            const struct pa_call *call = &f->calls.v[c];
            struct ix_res *r = &res[c];
            bool has_fn = call->func >= 0 && (size_t)call->func < f->funcs.n;
            uint32_t g = has_fn ? ix_gid(ix, file, call->func) : 0;
            bool offloader = r->kind == PA_TARGET_LIBRARY && (ix_lib(r)->flags & PA_LIB_OFFLOAD);
            bool defer = r->kind == PA_TARGET_LIBRARY && (ix_lib(r)->flags & PA_LIB_DEFER);
            bool onloop = defer && (ix_lib(r)->flags & PA_LIBX_ONLOOP);
            bool defer_arg = (r->flags & IX_RF_DEFER_ARG) != 0;
            if (r->kind == PA_TARGET_LIBRARY && has_fn && !(r->flags & IX_RF_OFFLOAD_INVOKE) && !defer_arg)
                ix->direct[g] |= ix_lib(r)->effects;
            if (!has_fn) {
                if (offloader) {
                    int32_t pc = -1;
                    pa_fref t = offload_target(ix, file, (int32_t)c, &pc);
                    r->a = t.file;
                    r->b = t.func;
                    if (pa_fref_ok(t) && is_local_fn(ix, t)) ix->offloaded[ix_gid(ix, t.file, t.func)] = 1;
                    if (pa_fref_ok(t) && defer && is_local_fn(ix, t)) ix->deferred[ix_gid(ix, t.file, t.func)] = 1;
                    if (pc >= 0) res[pc].flags |= IX_RF_OFFLOAD_ARG;
                } else if (defer) {
                    for (uint16_t k = 0; k < call->nargs; k++)
                        if (call->args[k].func >= 0 && (size_t)call->args[k].func < f->funcs.n)
                            ix->deferred[ix_gid(ix, file, call->args[k].func)] = 1;
                }
                continue;
            }
            if (r->kind == PA_TARGET_PROJECT)
                add_edge(ix, g, (pa_fref){r->a, r->b}, defer_arg ? 0u : ~0u, defer_arg ? IX_EDGE_DEFER : IX_EDGE_CALL);
            else if (r->kind == PA_TARGET_CLASS) {
                pa_fref init = ix_class_init(ix, r->a, r->b);
                if (pa_fref_ok(init)) add_edge(ix, g, init, ~0u, IX_EDGE_CALL);
            }
            if (offloader) {
                int32_t pc = -1;
                pa_fref t = offload_target(ix, file, (int32_t)c, &pc);
                r->a = t.file;
                r->b = t.func;
                if (pa_fref_ok(t)) {
                    /* threading.Timer: offloaded and deferred - nothing flows back */
                    add_edge(ix, g, t, defer ? 0u : ~(uint32_t)PA_EFF_THREAD_LOCAL, IX_EDGE_OFFLOAD);
                    if (is_local_fn(ix, t)) ix->offloaded[ix_gid(ix, t.file, t.func)] = 1;
                    if (defer && is_local_fn(ix, t)) ix->deferred[ix_gid(ix, t.file, t.func)] = 1;
                }
                if (pc >= 0) res[pc].flags |= IX_RF_OFFLOAD_ARG;
                continue;
            }
            /* lambdas / nested defs handed to a non-offloading call */
            if (call->parent_call >= 0) {
                const struct ix_res *pr = &res[call->parent_call];
                if (pr->kind == PA_TARGET_LIBRARY && (ix_lib(pr)->flags & PA_LIB_OFFLOAD) && r->kind == PA_TARGET_LIBRARY &&
                    is_partial(r))
                    continue;
                /* on_commit(functools.partial(local_fn, x)): deferred like the call */
                if (pr->kind == PA_TARGET_LIBRARY && (ix_lib(pr)->flags & PA_LIB_DEFER) && r->kind == PA_TARGET_LIBRARY &&
                    is_partial(r)) {
                    defer = true;
                    onloop = (ix_lib(pr)->flags & PA_LIBX_ONLOOP) != 0;
                }
            }
            for (uint16_t k = 0; k < call->nargs; k++) {
                const struct pa_arg *a = &call->args[k];
                pa_fref t = PA_FREF_NONE;
                if (a->func >= 0) t = (pa_fref){file, a->func};
                else if (a->kind == PA_EXPR_NAME && a->text) t = ix_local_def(ix, file, call->func, a->text);
                if (!pa_fref_ok(t) || (t.file == file && t.func == call->func)) continue;
                if (defer) {
                    /* runs later: entry kind flows, effects do not */
                    add_edge(ix, g, t, 0u, onloop ? IX_EDGE_DEFER_LOOP : IX_EDGE_DEFER);
                    ix->deferred[ix_gid(ix, t.file, t.func)] = 1;
                } else add_edge(ix, g, t, ~0u, IX_EDGE_ARG);
            }
        }
    }

    /* effects: callee → caller to a fixpoint */
    csr(ix, true, &ix->in_off, &ix->in_idx);
    csr(ix, false, &ix->out_off, &ix->out_idx);
    uint32_t *work = pa_xmalloc((nf ? nf : 1) * sizeof *work);
    uint8_t *queued = pa_xcalloc(nf ? nf : 1, 1);
    size_t head = 0, tail = 0, cap = nf;   /* ring buffer: each id at most once in it */
    for (uint32_t g = 0; g < nf; g++) {
        ix->total[g] = ix->direct[g];
        if (ix->direct[g]) { work[tail++ % (cap ? cap : 1)] = g; queued[g] = 1; }
    }
    size_t count = tail;
    while (count) {
        uint32_t g = work[head++ % cap];
        count--;
        queued[g] = 0;
        for (uint32_t k = ix->in_off[g]; k < ix->in_off[g + 1]; k++) {
            const struct ix_edge *e = &ix->edges.v[ix->in_idx[k]];
            uint32_t nv = ix->total[e->from] | (ix->total[g] & e->mask);
            if (nv != ix->total[e->from]) {
                ix->total[e->from] = nv;
                if (!queued[e->from]) { queued[e->from] = 1; work[tail++ % cap] = e->from; count++; }
            }
        }
    }

    /* per-call effects */
    for (size_t i = 0; i < ix->nfiles; i++) {
        int32_t file = (int32_t)i;
        const struct pa_file_facts *f = ix->files[i].f;
        struct ix_res *res = ix->files[i].res;
        for (size_t c = 0; c < f->calls.n; c++) {
            struct ix_res *r = &res[c];
            const struct pa_call *call = &f->calls.v[c];
            uint32_t eff = 0;
            if (r->flags & (IX_RF_OFFLOAD_INVOKE | IX_RF_DEFER_ARG)) { r->eff = 0; continue; }
            if (r->kind == PA_TARGET_LIBRARY) {
                eff = ix_lib(r)->effects;
                if (ix_lib(r)->flags & PA_LIB_DEFER) { r->eff = eff; continue; }   /* not the callable's */
                if (ix_lib(r)->flags & PA_LIB_OFFLOAD) {
                    pa_fref t = {r->a, r->b};
                    if (pa_fref_ok(t)) eff |= ix->total[ix_gid(ix, t.file, t.func)] & ~(uint32_t)PA_EFF_THREAD_LOCAL;
                    r->eff = eff;
                    continue;
                }
            } else if (r->kind == PA_TARGET_PROJECT) eff = ix->total[ix_gid(ix, r->a, r->b)];
            if (call->parent_call >= 0 && r->kind == PA_TARGET_LIBRARY && is_partial(r)) {
                const struct ix_res *pr = &res[call->parent_call];
                if (pr->kind == PA_TARGET_LIBRARY && (ix_lib(pr)->flags & PA_LIB_DEFER)) { r->eff = eff; continue; }
            }
            else if (r->kind == PA_TARGET_CLASS) {
                pa_fref init = ix_class_init(ix, r->a, r->b);
                if (pa_fref_ok(init)) eff = ix->total[ix_gid(ix, init.file, init.func)];
            }
            for (uint16_t k = 0; k < call->nargs; k++)
                if (call->args[k].func >= 0 && (size_t)call->args[k].func < f->funcs.n)
                    eff |= ix->total[ix_gid(ix, file, call->args[k].func)];
            r->eff = eff;
        }
    }

    /* entry kinds: own, then hottest caller kind caller → callee */
    {
        int32_t pk_file = -1;
        struct path_kind pk = {false, false, false};
        for (uint32_t g = 0; g < nf; g++) {
            int32_t file = ix->gfile[g];
            if (file != pk_file) {   /* functions come file by file */
                pk_file = file;
                pk = path_kind_of(ix->files[file].f->path ? ix->files[file].f->path : "");
            }
            ix->own_kind[g] = own_kind(ix, file, (int32_t)(g - ix->files[file].gbase), &pk);
        }
    }
    for (size_t i = 0; i < ix->nfiles; i++) {
        registrations(ix, (int32_t)i);
        arq_functions(ix, (int32_t)i);
    }
    head = tail = count = 0;
    memset(queued, 0, nf ? nf : 1);
    for (uint32_t g = 0; g < nf; g++) {
        ix->kind[g] = ix->own_kind[g];
        if (ix->kind[g]) { work[tail++ % cap] = g; queued[g] = 1; count++; }
    }
    for (int pass = 0; pass < 2; pass++) {
        while (count) {
            uint32_t g = work[head++ % cap];
            count--;
            queued[g] = 0;
            for (uint32_t k = ix->out_off[g]; k < ix->out_off[g + 1]; k++) {
                uint32_t t = ix->edges.v[ix->out_idx[k]].to;
                if (ix->own_kind[t] || kind_rank(ix->kind[g]) <= kind_rank(ix->kind[t])) continue;
                ix->kind[t] = ix->kind[g];
                if (!queued[t]) { queued[t] = 1; work[tail++ % cap] = t; count++; }
            }
        }
        if (pass) break;
        /* constructors no caller reached: BOOTSTRAP (module-level/app setup
         * objects), propagated to what they call */
        for (uint32_t g = 0; g < nf; g++) {
            const struct pa_func *fn = gfunc(ix, g, NULL);
            if (ix->kind[g] || fn->is_lambda || !fn->name || strcmp(fn->name, "__init__") != 0) continue;
            ix->kind[g] = PA_ENTRY_BOOTSTRAP;
            if (!queued[g]) { queued[g] = 1; work[tail++ % cap] = g; count++; }
        }
    }

    /* async context: sync functions all of whose (non-offload) callers are
     * async or in async context; least fixpoint (conservative). */
    uint32_t *pending = pa_xcalloc(nf ? nf : 1, sizeof *pending);
    uint32_t *ncallers = pa_xcalloc(nf ? nf : 1, sizeof *ncallers);
    for (size_t e = 0; e < ix->edges.n; e++) {
        const struct ix_edge *ed = &ix->edges.v[e];
        if (ed->kind == IX_EDGE_OFFLOAD || ed->kind == IX_EDGE_DEFER || ed->from == ed->to) continue;
        ncallers[ed->to]++;
        if (!gfunc(ix, ed->from, NULL)->is_async) pending[ed->to]++;
    }
    head = tail = count = 0;
    for (uint32_t g = 0; g < nf; g++) {
        if (gfunc(ix, g, NULL)->is_async || !ncallers[g] || pending[g]) continue;
        ix->async_ctx[g] = 1;
        work[tail++ % cap] = g;
        count++;
    }
    while (count) {
        uint32_t g = work[head++ % cap];
        count--;
        for (uint32_t k = ix->out_off[g]; k < ix->out_off[g + 1]; k++) {
            const struct ix_edge *ed = &ix->edges.v[ix->out_idx[k]];
            if (ed->kind == IX_EDGE_OFFLOAD || ed->kind == IX_EDGE_DEFER || ed->from == ed->to) continue;
            uint32_t t = ed->to;
            if (pending[t] && --pending[t] == 0 && !ix->async_ctx[t] && !gfunc(ix, t, NULL)->is_async) {
                ix->async_ctx[t] = 1;
                work[tail++ % cap] = t;
                count++;
            }
        }
    }
    /* via: the nearest async caller (lowest id among direct async callers,
     * else the via of the lowest-id caller) - computed in BFS order above,
     * so callers' vias are known; resolve by a second pass to a fixpoint. */
    for (int pass = 0; pass < 64; pass++) {
        bool changed = false;
        for (uint32_t g = 0; g < nf; g++) {
            if (!ix->async_ctx[g] || ix->async_via[g]) continue;
            uint32_t best = 0;
            for (uint32_t k = ix->in_off[g]; k < ix->in_off[g + 1]; k++) {
                const struct ix_edge *ed = &ix->edges.v[ix->in_idx[k]];
                if (ed->kind == IX_EDGE_OFFLOAD || ed->kind == IX_EDGE_DEFER || ed->from == g) continue;
                if (gfunc(ix, ed->from, NULL)->is_async && (!best || ed->from + 1 < best)) best = ed->from + 1;
            }
            if (!best)
                for (uint32_t k = ix->in_off[g]; k < ix->in_off[g + 1]; k++) {
                    const struct ix_edge *ed = &ix->edges.v[ix->in_idx[k]];
                    if (ed->kind == IX_EDGE_OFFLOAD || ed->kind == IX_EDGE_DEFER || ed->from == g) continue;
                    if (ix->async_via[ed->from]) { best = ix->async_via[ed->from]; break; }
                }
            if (best) { ix->async_via[g] = best; changed = true; }
        }
        if (!changed) break;
    }
    free(pending);
    free(ncallers);
    free(work);
    free(queued);
}

void ix_flow_free(pa_index *ix)
{
    free(ix->gfile);
    free(ix->direct);
    free(ix->total);
    free(ix->own_kind);
    free(ix->kind);
    free(ix->offloaded);
    free(ix->deferred);
    free(ix->async_ctx);
    free(ix->async_via);
    free(ix->fcall_off);
    free(ix->fcalls);
    free(ix->in_off);
    free(ix->in_idx);
    free(ix->out_off);
    free(ix->out_idx);
    pa_vec_free(&ix->edges);
}

/* ---- queries ------------------------------------------------------------------- */

static bool fref_valid(const pa_index *ix, pa_fref fn)
{
    return ix && pa_fref_ok(fn) && (size_t)fn.file < ix->nfiles && (size_t)fn.func < ix->files[fn.file].f->funcs.n;
}

static bool call_valid(const pa_index *ix, int32_t file, int32_t call)
{
    return ix && file >= 0 && (size_t)file < ix->nfiles && call >= 0 && (size_t)call < ix->files[file].f->calls.n;
}

uint32_t pa_index_effects(const pa_index *ix, pa_fref fn)
{
    return fref_valid(ix, fn) ? ix->total[ix_gid(ix, fn.file, fn.func)] : 0;
}

uint32_t pa_index_direct_effects(const pa_index *ix, pa_fref fn)
{
    return fref_valid(ix, fn) ? ix->direct[ix_gid(ix, fn.file, fn.func)] : 0;
}

uint32_t pa_index_call_effects(const pa_index *ix, int32_t file, int32_t call)
{
    if (!call_valid(ix, file, call)) return 0;
    uint32_t eff = ix->files[file].res[call].eff;
    if (pa_index_call_offloaded(ix, file, call)) eff &= ~(uint32_t)PA_EFF_THREAD_LOCAL;
    return eff;
}

uint32_t pa_index_chain_effects(const pa_index *ix, int32_t file, int32_t call)
{
    uint32_t eff = 0;
    for (int guard = 0; call_valid(ix, file, call) && guard < 64; guard++) {
        eff |= pa_index_call_effects(ix, file, call);
        int32_t next = ix->files[file].f->calls.v[call].recv_call;
        if (next == call) break;   /* malformed facts: never loop (the guard bounds the rest) */
        call = next;
    }
    return eff;
}

bool pa_index_call_deferred(const pa_index *ix, int32_t file, int32_t call)
{
    if (!call_valid(ix, file, call)) return false;
    if (ix->files[file].res[call].flags & IX_RF_DEFER_ARG) return true;
    const struct pa_file_facts *f = ix->files[file].f;
    int32_t fn = f->calls.v[call].func;
    for (int guard = 0; fn >= 0 && (size_t)fn < f->funcs.n && guard < 64; guard++) {
        if (ix->deferred[ix_gid(ix, file, fn)]) return true;
        const struct pa_func *pf = &f->funcs.v[fn];
        if (!pf->is_lambda && pf->parent < 0) break;
        fn = pf->parent;
    }
    return false;
}

bool pa_index_call_offloaded(const pa_index *ix, int32_t file, int32_t call)
{
    if (!call_valid(ix, file, call)) return false;
    const struct ix_res *r = &ix->files[file].res[call];
    if (r->flags & (IX_RF_OFFLOAD_INVOKE | IX_RF_OFFLOAD_ARG)) return true;
    const struct pa_file_facts *f = ix->files[file].f;
    int32_t fn = f->calls.v[call].func;
    for (int guard = 0; fn >= 0 && (size_t)fn < f->funcs.n && guard < 64; guard++) {
        if (ix->offloaded[ix_gid(ix, file, fn)]) return true;
        const struct pa_func *pf = &f->funcs.v[fn];
        if (!pf->is_lambda && pf->parent < 0) break;
        fn = pf->parent;
    }
    return false;
}

pa_entry_kind pa_index_entry(const pa_index *ix, pa_fref fn)
{
    return fref_valid(ix, fn) ? (pa_entry_kind)ix->kind[ix_gid(ix, fn.file, fn.func)] : PA_ENTRY_NONE;
}

bool pa_index_async_context(const pa_index *ix, pa_fref fn, pa_fref *via)
{
    if (!fref_valid(ix, fn)) return false;
    uint32_t g = ix_gid(ix, fn.file, fn.func);
    if (!ix->async_ctx[g]) return false;
    if (via) {
        *via = PA_FREF_NONE;
        if (ix->async_via[g]) {
            uint32_t v = ix->async_via[g] - 1;
            int32_t vf = ix->gfile[v];
            *via = (pa_fref){vf, (int32_t)(v - ix->files[vf].gbase)};
        }
    }
    return true;
}

/* Functions a call site leads into (callee, __init__, offloaded callable, lambda args). */
static size_t call_targets(const pa_index *ix, int32_t file, int32_t c, uint32_t effect, uint32_t *out, size_t max)
{
    const struct ix_res *r = &ix->files[file].res[c];
    const struct pa_call *call = &ix->files[file].f->calls.v[c];
    size_t n = 0;
    if ((r->flags & IX_RF_DEFER_ARG) || (r->kind == PA_TARGET_LIBRARY && (ix_lib(r)->flags & PA_LIB_DEFER))) return 0;
    if (r->kind == PA_TARGET_PROJECT && n < max) out[n++] = ix_gid(ix, r->a, r->b);
    else if (r->kind == PA_TARGET_CLASS) {
        pa_fref init = ix_class_init(ix, r->a, r->b);
        if (pa_fref_ok(init) && n < max) out[n++] = ix_gid(ix, init.file, init.func);
    } else if (r->kind == PA_TARGET_LIBRARY && (ix_lib(r)->flags & PA_LIB_OFFLOAD)) {
        if ((effect & PA_EFF_THREAD_LOCAL) || r->a < 0 || r->b < 0) return 0;
        if (n < max) out[n++] = ix_gid(ix, r->a, r->b);
        return n;
    }
    if (r->kind != PA_TARGET_LIBRARY || !(ix_lib(r)->flags & PA_LIB_OFFLOAD))
        for (uint16_t k = 0; k < call->nargs && n < max; k++)
            if (call->args[k].func >= 0) out[n++] = ix_gid(ix, file, call->args[k].func);
    return n;
}

struct bfs_node {
    uint32_t g;          /* function */
    int32_t parent;      /* bfs node index, -1 for the start */
    int32_t via_file;    /* call that led here */
    int32_t via_call;
    uint8_t depth;
};

const struct pa_libsig *pa_index_effect_chain(const pa_index *ix, int32_t file, int32_t call, uint32_t effect,
                                              struct pa_chain_step *steps, size_t max, size_t *nsteps)
{
    if (nsteps) *nsteps = 0;
    if (!call_valid(ix, file, call) || !effect) return NULL;
    const struct ix_res *r0 = &ix->files[file].res[call];
    int32_t func0 = ix->files[file].f->calls.v[call].func;
    if (!(pa_index_call_effects(ix, file, call) & effect)) return NULL;
    if (r0->kind == PA_TARGET_LIBRARY && (ix_lib(r0)->effects & effect)) {
        if (steps && max >= 1) { steps[0] = (struct pa_chain_step){{file, func0}, call}; if (nsteps) *nsteps = 1; }
        return ix_lib(r0);
    }
    PA_VEC(struct bfs_node) q = {0};
    size_t scap = 256;
    uint32_t *set = pa_xcalloc(scap, sizeof *set);   /* g + 1 */
    size_t sn = 0;
#define SET_ADD(gid_, added_)                                                                   \
    do {                                                                                        \
        if ((sn + 1) * 2 > scap) {                                                              \
            uint32_t *old_ = set; size_t oc_ = scap; scap *= 2;                                 \
            set = pa_xcalloc(scap, sizeof *set);                                                \
            for (size_t z_ = 0; z_ < oc_; z_++) if (old_[z_]) {                                 \
                size_t h_ = (old_[z_] * 2654435761u) & (scap - 1);                              \
                while (set[h_]) h_ = (h_ + 1) & (scap - 1);                                     \
                set[h_] = old_[z_]; }                                                           \
            free(old_);                                                                         \
        }                                                                                       \
        size_t h_ = (((gid_) + 1) * 2654435761u) & (scap - 1);                                  \
        added_ = true;                                                                          \
        while (set[h_]) { if (set[h_] == (gid_) + 1) { added_ = false; break; } h_ = (h_ + 1) & (scap - 1); } \
        if (added_) { set[h_] = (gid_) + 1; sn++; }                                             \
    } while (0)
    uint32_t tg[16];
    size_t nt = call_targets(ix, file, call, effect, tg, 16);
    for (size_t i = 0; i < nt; i++) {
        if (!(ix->total[tg[i]] & effect)) continue;
        bool added;
        SET_ADD(tg[i], added);
        if (added) {
            struct bfs_node nd = {tg[i], -1, file, call, 1};
            pa_vec_push(&q, nd);
        }
    }
    const struct pa_libsig *found = NULL;
    size_t found_node = 0;
    int32_t found_call = -1;
    size_t limit = max < CHAIN_DEPTH ? max : CHAIN_DEPTH;
    for (size_t qi = 0; qi < q.n && !found; qi++) {
        struct bfs_node nd = q.v[qi];
        int32_t nf_ = ix->gfile[nd.g];
        for (uint32_t k = ix->fcall_off[nd.g]; k < ix->fcall_off[nd.g + 1]; k++) {
            int32_t c = ix->fcalls[k];
            const struct ix_res *r = &ix->files[nf_].res[c];
            if (!(r->eff & effect) || (r->flags & IX_RF_OFFLOAD_INVOKE)) continue;
            if (r->kind == PA_TARGET_LIBRARY && (ix_lib(r)->effects & effect)) {
                if ((size_t)nd.depth + 1 <= limit) { found = ix_lib(r); found_node = qi; found_call = c; }
                break;
            }
            if ((size_t)nd.depth + 1 >= limit) continue;
            nt = call_targets(ix, nf_, c, effect, tg, 16);
            for (size_t i = 0; i < nt; i++) {
                if (!(ix->total[tg[i]] & effect)) continue;
                bool added;
                SET_ADD(tg[i], added);
                if (added) {
                    struct bfs_node nn = {tg[i], (int32_t)qi, nf_, c, (uint8_t)(nd.depth + 1)};
                    pa_vec_push(&q, nn);
                }
            }
        }
    }
#undef SET_ADD
    if (found) {
        /* path: start call, the via calls of the nodes, the library call */
        size_t depth = (size_t)q.v[found_node].depth + 1;
        if (steps && depth <= max) {
            size_t i = depth;
            steps[--i] = (struct pa_chain_step){{ix->gfile[q.v[found_node].g],
                                                 (int32_t)(q.v[found_node].g - ix->files[ix->gfile[q.v[found_node].g]].gbase)},
                                                found_call};
            for (int32_t ni = (int32_t)found_node; ni >= 0; ni = q.v[ni].parent) {
                const struct bfs_node *nd = &q.v[ni];
                int32_t vf = nd->via_file;
                steps[--i] = (struct pa_chain_step){{vf, ix->files[vf].f->calls.v[nd->via_call].func}, nd->via_call};
            }
            if (nsteps) *nsteps = depth;
        } else found = NULL;
    }
    free(set);
    pa_vec_free(&q);
    return found;
}

void pa_index_describe_chain(const pa_index *ix, const struct pa_chain_step *steps, size_t nsteps,
                             const struct pa_libsig *sig, struct pa_finding *f, pa_buf *buf)
{
    if (!ix || !steps || !nsteps) return;
    pa_buf note;
    pa_buf_init(&note);
    if (buf) pa_buf_puts(buf, " via ");
    for (size_t i = 0; i < nsteps; i++) {
        int32_t file = steps[i].fn.file;
        if (file < 0 || (size_t)file >= ix->nfiles) continue;
        const struct pa_file_facts *ff = ix->files[file].f;
        if (steps[i].call < 0 || (size_t)steps[i].call >= ff->calls.n) continue;
        const struct pa_call *call = &ff->calls.v[steps[i].call];
        const struct ix_res *r = &ix->files[file].res[steps[i].call];
        pa_buf_reset(&note);
        pa_buf name;
        pa_buf_init(&name);
        if (r->kind == PA_TARGET_PROJECT) {
            ix_func_display(ix, r->a, r->b, &name);
            pa_buf_printf(&note, "calls %s()", ix->files[r->a].f->funcs.v[r->b].name);
        } else if (r->kind == PA_TARGET_CLASS) {
            const struct ix_file *cf = &ix->files[r->a];
            const char *dot = strrchr(cf->module, '.');
            pa_buf_printf(&name, "%s.%s", dot ? dot + 1 : cf->module, cf->f->classes.v[r->b].qualname);
            pa_buf_printf(&note, "calls %s()", cf->f->classes.v[r->b].name);
        } else if (r->kind == PA_TARGET_LIBRARY) {
            const char *nm = (i + 1 == nsteps && sig) ? sig->name : ix_lib(r)->name;
            pa_buf_puts(&name, nm);
            pa_buf_puts(&note, nm);
        } else {
            pa_buf_puts(&name, call->callee ? call->callee : "?");
            pa_buf_printf(&note, "calls %s()", call->callee ? call->callee : "?");
        }
        if (f) pa_finding_add_trace(f, ff->path, call->line, pa_buf_cstr(&note));
        if (buf) {
            if (i) pa_buf_puts(buf, " \xe2\x86\x92 ");
            pa_buf_puts(buf, pa_buf_cstr(&name));
            if (i + 1 == nsteps) pa_buf_printf(buf, " (%s:%u)", ff->path, call->line);
        }
        pa_buf_free(&name);
    }
    pa_buf_free(&note);
}
