/* extract.c - fact extraction: one iterative walk over a tree-sitter-python
 * tree producing the compact per-file facts of facts.h (functions, classes,
 * imports, calls, loops, withs, tries, assignments, attribute and name uses,
 * returns, suppressions, line hashes).
 *
 * DESIGN
 * - One walk per file with a TSTreeCursor and an explicit frame stack (no
 *   recursion on the tree shape); depth is capped at PA_EX_MAX_DEPTH and the
 *   skipped subtrees are counted in nerrors (partial facts). Subtrees that
 *   cannot hold facts (plain strings, numbers, dotted import names) are not
 *   descended into unless they hold syntax errors. A tree nested deeper than
 *   the cap still yields PA_OK with partial facts (nerrors > 0).
 * - Each frame carries the context in effect at its node (enclosing
 *   function, class, loop, with, try part, call flags, statement ordinal);
 *   a child starts from a copy of its parent's context, adjusted by the
 *   parent for the child's field (child_ctx), then by its own handler.
 * - Records are appended in pre-order, so a parent always precedes its
 *   children. Indices of records found later in the walk (the call that is
 *   an argument, the receiver call of a chain, the call assigned, the
 *   iterable call, a lambda argument) are filled through a stack of pending
 *   fix-ups keyed by node id, consumed when the walk reaches that node and
 *   dropped when the registering node is left.
 * - Name uses are buffered per function and kept, when the function is left,
 *   only for names the function binds to a copy/allocation; uses inside a
 *   nested def/lambda of names it does not bind become ESCAPE uses of the
 *   enclosing function.
 * - All state lives in the parser's scratch (struct pa_ex) and is reused from
 *   file to file; the finished arrays are copied into the facts arena and the
 *   tree is deleted before returning. Single-threaded per parser.
 */
#include <stdlib.h>
#include <string.h>

#include "project/extract_int.h"

static const TSNode NULL_NODE = {{0, 0, 0, 0}, NULL, NULL};

static inline uint32_t line_of(TSPoint p) { return p.row + 1; }
static inline uint32_t col_of(TSPoint p) { return p.column + 1; }
static inline uint32_t start_line(TSNode n) { return line_of(ts_node_start_point(n)); }
static inline uint32_t end_line(TSNode n) { return line_of(ts_node_end_point(n)); }

static inline struct pa_ex_frame *frame_up(struct pa_ex *x, uint32_t k)
{
    return x->depth > k ? &x->frames[x->depth - 1 - k] : NULL;
}

/* ---- pending fix-ups ----------------------------------------------------- */

static void pend_push(struct pa_ex *x, TSNode target, uint8_t kind, int32_t idx, int32_t n, int32_t *ptr,
                      uint16_t flags)
{
    struct pa_ex_pend p = {target.id, ptr, idx, n, kind, flags};
    pa_vec_push(&x->pend, p);
}

/* Register a fix-up for the call of `value` (a call or `await call`). */
static void pend_value(struct pa_ex *x, TSNode value, uint8_t kind, int32_t idx, int32_t n, int32_t *ptr,
                       uint16_t flags)
{
    TSNode c;
    if (pa_ex_value_call(x, value, &c)) pend_push(x, c, kind, idx, n, ptr, flags);
}

#define PEND_WINDOW 64

/* The walk reached `node` (a call when is_call, else a lambda) with record
 * index idx: fill every fix-up waiting for it. */
static void pend_consume(struct pa_ex *x, TSNode node, int32_t idx, bool is_call)
{
    size_t lo = x->pend.n > PEND_WINDOW ? x->pend.n - PEND_WINDOW : 0;
    for (size_t i = x->pend.n; i-- > lo;) {
        struct pa_ex_pend *p = &x->pend.v[i];
        if (p->id != node.id) continue;
        switch (p->kind) {
        case PA_PEND_PTR: *p->ptr = idx; break;
        case PA_PEND_RECV: x->calls.v[p->idx].recv_call = idx; break;
        case PA_PEND_ASSIGN:
            for (int32_t k = 0; k < p->n; k++) x->assigns.v[p->idx + k].value_call = idx;
            break;
        case PA_PEND_CATTR: x->cattrs.v[p->idx].a.value_call = idx; break;
        case PA_PEND_LOOP: x->loops.v[p->idx].iter_call = idx; break;
        case PA_PEND_RETURN: x->returns.v[p->idx].value_call = idx; break;
        }
        if (is_call) x->calls.v[idx].flags |= p->flags;
        p->id = NULL;
    }
    while (x->pend.n && x->pend.v[x->pend.n - 1].id == NULL) x->pend.n--;
}

/* ---- small helpers -------------------------------------------------------- */

static const char *op_text(struct pa_ex *x, TSNode op)
{
    static const char *const OPS[] = {"=", "+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=",
                                      "&=", "^=", "|=", "@=", ":", ":="};
    if (ts_node_is_null(op)) return "=";
    uint32_t a = ts_node_start_byte(op), b = ts_node_end_byte(op);
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
        size_t l = strlen(OPS[i]);
        if (b - a == l && memcmp(x->src + a, OPS[i], l) == 0) return OPS[i];
    }
    return pa_ex_text(x, op);
}

static bool starts_async(struct pa_ex *x, TSNode n)
{
    TSNode c = ts_node_child(n, 0);
    return !ts_node_is_null(c) && pa_ex_kind(x, c) == K_ASYNC_KW;
}

/* Collect the named, non-comment children of n (optionally only of kind k)
 * into x->nodes. */
static void gather(struct pa_ex *x, TSNode n, uint8_t only)
{
    x->nodes.n = 0;
    if (ts_node_is_null(n)) return;
    TSTreeCursor *cu = pa_ex_cursor(x, n);
    if (ts_tree_cursor_goto_first_child(cu)) do {
        TSNode c = ts_tree_cursor_current_node(cu);
        if (!ts_node_is_named(c)) continue;
        uint8_t k = pa_ex_kind(x, c);
        if (k == K_COMMENT || (only && k != only)) continue;
        pa_vec_push(&x->nodes, c);
    } while (ts_tree_cursor_goto_next_sibling(cu));
    pa_ex_cursor_put(x);
}

static const char **decorators_of(struct pa_ex *x, struct pa_ex_frame *pf, uint16_t *n)
{
    *n = 0;
    if (!pf || pf->kind != K_DECORATED) return NULL;
    gather(x, pf->node, K_DECORATOR);
    if (!x->nodes.n) return NULL;
    size_t cnt = x->nodes.n > 0xFFFF ? 0xFFFF : x->nodes.n;
    const char **d = pa_arena_alloc(x->arena, cnt * sizeof *d);
    for (size_t i = 0; i < cnt; i++) {
        TSNode e = pa_ex_first_named(x, x->nodes.v[i]);
        d[i] = ts_node_is_null(e) ? pa_ex_text(x, x->nodes.v[i]) : pa_ex_text(x, e);
    }
    *n = (uint16_t)cnt;
    return d;
}

static struct pa_param *params_of(struct pa_ex *x, TSNode params, uint16_t *n)
{
    *n = 0;
    gather(x, params, 0);
    if (!x->nodes.n) return NULL;
    size_t cap = x->nodes.n > 0xFFFF ? 0xFFFF : x->nodes.n;
    struct pa_param *ps = pa_arena_alloc(x->arena, cap * sizeof *ps);
    size_t cnt = 0;
    bool star = false;
    for (size_t i = 0; i < cap; i++) {
        TSNode p = x->nodes.v[i];
        struct pa_param pr = {NULL, NULL, NULL, 0};
        switch (pa_ex_kind(x, p)) {
        case K_IDENT:
            pr.name = pa_ex_text(x, p);
            pr.kind = star ? 3 : 0;
            break;
        case K_DEFAULT_PARAM:
            pr.name = pa_ex_text(x, pa_ex_field(x, p, F_NAME));
            pr.default_ = pa_ex_text(x, pa_ex_field(x, p, F_VALUE));
            pr.kind = star ? 3 : 0;
            break;
        case K_TYPED_PARAM: {
            TSNode in = pa_ex_first_named(x, p);
            uint8_t ik = ts_node_is_null(in) ? K_OTHER : pa_ex_kind(x, in);
            if (ik == K_LIST_SPLAT_PATTERN || ik == K_DICT_SPLAT_PATTERN) {
                TSNode nm = pa_ex_first_named(x, in);
                pr.name = pa_ex_text(x, ts_node_is_null(nm) ? in : nm);
                pr.kind = ik == K_LIST_SPLAT_PATTERN ? 1 : 2;
                if (ik == K_LIST_SPLAT_PATTERN) star = true;
            } else {
                pr.name = pa_ex_text(x, in);
                pr.kind = star ? 3 : 0;
            }
            pr.annotation = pa_ex_text(x, pa_ex_field(x, p, F_TYPE));
            break;
        }
        case K_TYPED_DEFAULT_PARAM:
            pr.name = pa_ex_text(x, pa_ex_field(x, p, F_NAME));
            pr.annotation = pa_ex_text(x, pa_ex_field(x, p, F_TYPE));
            pr.default_ = pa_ex_text(x, pa_ex_field(x, p, F_VALUE));
            pr.kind = star ? 3 : 0;
            break;
        case K_LIST_SPLAT_PATTERN: case K_DICT_SPLAT_PATTERN: {
            bool list = pa_ex_kind(x, p) == K_LIST_SPLAT_PATTERN;
            TSNode nm = pa_ex_first_named(x, p);
            pr.name = pa_ex_text(x, ts_node_is_null(nm) ? p : nm);
            pr.kind = list ? 1 : 2;
            if (list) star = true;
            break;
        }
        case K_KW_SEP: star = true; continue;
        case K_TUPLE_PATTERN:
            pr.name = pa_ex_text(x, p);
            break;
        default: continue;
        }
        if (!pr.name) continue;
        ps[cnt++] = pr;
    }
    *n = (uint16_t)cnt;
    return cnt ? ps : NULL;
}

/* Identifiers bound by a loop target ("o", "i, (a, b)"). */
static void target_names(struct pa_ex *x, TSNode target, int32_t loop)
{
    TSNode st[32];
    int sp = 0;
    if (!ts_node_is_null(target)) st[sp++] = target;
    while (sp) {
        TSNode n = st[--sp];
        uint8_t k = pa_ex_kind(x, n);
        if (k == K_IDENT) {
            struct pa_ex_name nm = {ts_node_start_byte(n), ts_node_end_byte(n) - ts_node_start_byte(n)};
            pa_vec_push(&x->names, nm);
            x->loopx.v[loop].ncount++;
        } else if (k == K_PATTERN_LIST || k == K_TUPLE_PATTERN || k == K_LIST_PATTERN || k == K_TUPLE ||
                   k == K_LIST || k == K_PAREN || k == K_LIST_SPLAT_PATTERN || k == K_EXPR_LIST ||
                   k == K_LIST_SPLAT) {
            TSTreeCursor *cu = pa_ex_cursor(x, n);
            if (ts_tree_cursor_goto_first_child(cu)) do {
                TSNode c = ts_tree_cursor_current_node(cu);
                if (ts_node_is_named(c) && sp < 32) st[sp++] = c;
            } while (ts_tree_cursor_goto_next_sibling(cu));
            pa_ex_cursor_put(x);
        }
    }
}

static bool loop_binds(struct pa_ex *x, int32_t loop, const char *s, uint32_t len)
{
    const struct pa_ex_loopx *lx = &x->loopx.v[loop];
    for (uint32_t i = 0; i < lx->ncount; i++) {
        const struct pa_ex_name *nm = &x->names.v[lx->nstart + i];
        if (nm->len == len && memcmp(x->src + nm->start, s, len) == 0) return true;
    }
    return false;
}

/* ---- records ------------------------------------------------------------- */

static int32_t new_func(struct pa_ex *x, struct pa_ex_frame *f)
{
    int32_t idx = (int32_t)x->funcs.n;
    pa_vec_grow(&x->funcs, x->funcs.n + 1);
    struct pa_func *fn = &x->funcs.v[x->funcs.n++];
    memset(fn, 0, sizeof *fn);
    fn->parent = f->c.scope_func;
    fn->cls = -1;
    TSPoint p = ts_node_start_point(f->node);
    fn->line = line_of(p);
    fn->col = col_of(p);
    fn->end_line = end_line(f->node);
    pa_vec_push(&x->fstmt, 0u);
    f->aux = idx;
    return idx;
}

static int32_t new_loop(struct pa_ex *x, struct pa_ex_frame *f, uint8_t kind, TSNode target, TSNode iter,
                        int32_t parent, uint16_t iter_call_flags)
{
    int32_t idx = (int32_t)x->loops.n;
    pa_vec_grow(&x->loops, x->loops.n + 1);
    struct pa_loop *l = &x->loops.v[x->loops.n++];
    memset(l, 0, sizeof *l);
    l->func = f->c.func;
    l->parent = parent;
    l->kind = kind;
    if (!ts_node_is_null(iter)) {
        uint8_t fl;
        uint32_t ne;
        l->iter_kind = pa_ex_expr_info(x, iter, &fl, &ne);
        l->iter_flags = fl;
        l->iter_nelems = ne;
        l->iter = pa_ex_text(x, iter);
    }
    l->target = ts_node_is_null(target) ? NULL : pa_ex_text(x, target);
    l->iter_call = -1;
    l->with = f->c.with;
    TSPoint p = ts_node_start_point(f->node);
    l->line = line_of(p);
    l->col = col_of(p);
    l->end_line = end_line(f->node);
    struct pa_ex_loopx lx = {(uint32_t)x->names.n, 0};
    pa_vec_push(&x->loopx, lx);
    target_names(x, target, idx);
    pend_value(x, iter, PA_PEND_LOOP, idx, 1, NULL, iter_call_flags);
    return idx;
}

/* ---- node handlers ------------------------------------------------------- */

static void on_call(struct pa_ex *x, struct pa_ex_frame *f)
{
    TSNode node = f->node;
    int32_t idx = (int32_t)x->calls.n;
    pa_vec_grow(&x->calls, x->calls.n + 1);
    struct pa_call *c = &x->calls.v[x->calls.n++];
    memset(c, 0, sizeof *c);
    f->aux = idx;
    c->func = f->c.func;
    c->cls = f->c.cls;
    TSNode recv;
    pa_ex_callee(x, pa_ex_field(x, node, F_FUNCTION), &c->callee, &c->base, &c->attr, &recv);
    TSPoint sp = ts_node_start_point(node), ep = ts_node_end_point(node);
    c->line = line_of(sp);
    c->col = col_of(sp);
    c->end_line = line_of(ep);
    c->end_col = col_of(ep);
    uint16_t fl = f->c.cflags & (PA_CALL_IN_COMP | PA_CALL_IN_LAMBDA | PA_CALL_IN_RETURN);
    uint32_t k = 1;
    struct pa_ex_frame *up = frame_up(x, k);
    while (up && up->kind == K_PAREN) up = frame_up(x, ++k);
    if (up && up->kind == K_AWAIT) fl |= PA_CALL_AWAITED;
    if (up && up->kind == K_DECORATOR) fl |= PA_CALL_DECORATOR;
    c->flags = fl;
    c->recv_call = -1;
    c->parent_call = f->c.parent_call;
    c->loop = f->c.loop;
    c->with = f->c.with;
    c->try_ = f->c.try_;
    c->try_part = f->c.try_ >= 0 ? f->c.try_part : 0;
    c->handler = (f->c.try_ >= 0 && f->c.try_part == PA_TRY_HANDLER) ? f->c.handler : -1;
    c->stmt = f->c.stmt;
    pend_consume(x, node, idx, true);

    /* arguments: a generator argument is recorded here; an argument list gets
     * its array now and each argument is filled when the walk enters it
     * (on_arg), so the list is not iterated twice */
    TSNode args = pa_ex_field(x, node, F_ARGUMENTS);
    if (!ts_node_is_null(args)) {
        uint8_t ak = pa_ex_kind(x, args);
        if (ak == K_GENEXP) {
            struct pa_arg *a = pa_arena_alloc(x->arena, sizeof *a);
            a->kind = PA_EXPR_GENEXP;
            a->text = pa_ex_text(x, args);
            a->call = a->func = -1;
            x->calls.v[idx].args = a;
            x->calls.v[idx].nargs = 1;
        } else if (ak == K_ARGLIST) {
            uint32_t n = ts_node_named_child_count(args);  /* comments included: an upper bound */
            if (n > 0xFFFF) n = 0xFFFF;
            x->calls.v[idx].args = n ? pa_arena_alloc(x->arena, n * sizeof(struct pa_arg)) : NULL;
            f->aux2 = (int32_t)n;  /* capacity of args */
        }
    }
    if (!ts_node_is_null(recv)) pend_push(x, recv, PA_PEND_RECV, idx, 1, NULL, 0);
}

/* An argument of the call whose argument list is the parent frame. */
static void on_arg(struct pa_ex *x, struct pa_ex_frame *f, struct pa_ex_frame *callf)
{
    int32_t ci = callf->aux;
    if (ci < 0) return;
    struct pa_call *c = &x->calls.v[ci];
    if (!c->args || c->nargs >= (uint32_t)callf->aux2) return;
    struct pa_arg *ar = &c->args[c->nargs++];
    TSNode a = f->node, v = a;
    if (f->kind == K_KWARG) {
        ar->kw = pa_ex_text(x, pa_ex_field(x, a, F_NAME));
        v = pa_ex_field(x, a, F_VALUE);
    } else if (f->kind == K_LIST_SPLAT) {
        ar->kw = "*";
        v = pa_ex_first_named(x, a);
    } else if (f->kind == K_DICT_SPLAT) {
        ar->kw = "**";
        v = pa_ex_first_named(x, a);
    }
    uint8_t xf;
    uint32_t ne;
    ar->kind = pa_ex_expr_info(x, v, &xf, &ne);
    ar->flags = xf;
    ar->nelems = ne;
    ar->text = pa_ex_text(x, v);
    ar->call = -1;
    ar->func = -1;
    if (ts_node_is_null(v)) return;
    TSNode vu = pa_ex_unparen(x, v);
    if (pa_ex_kind(x, vu) == K_LAMBDA) pend_push(x, vu, PA_PEND_PTR, 0, 0, &ar->func, 0);
    else pend_value(x, v, PA_PEND_PTR, 0, 0, &ar->call, 0);
}

static void on_lambda(struct pa_ex *x, struct pa_ex_frame *f)
{
    int32_t idx = new_func(x, f);
    struct pa_func *fn = &x->funcs.v[idx];
    fn->name = "<lambda>";
    fn->qualname = pa_arena_printf(x->arena, "<lambda>@%u", fn->line);
    fn->is_lambda = true;
    fn->params = params_of(x, pa_ex_field(x, f->node, F_PARAMETERS), &fn->nparams);
    TSNode body = pa_ex_field(x, f->node, F_BODY);
    fn->body_line = ts_node_is_null(body) ? fn->line : start_line(body);
    fn->nstmts = 1;
    pend_consume(x, f->node, idx, false);
}

static void on_funcdef(struct pa_ex *x, struct pa_ex_frame *f, struct pa_ex_frame *pf)
{
    int32_t idx = new_func(x, f);
    struct pa_func *fn = &x->funcs.v[idx];
    TSNode node = f->node;
    const char *name = pa_ex_text(x, pa_ex_field(x, node, F_NAME));
    fn->name = name ? name : "?";
    fn->is_async = starts_async(x, node);
    if (f->c.cls >= 0 && f->c.func < 0) {
        fn->cls = f->c.cls;
        fn->qualname = pa_arena_printf(x->arena, "%s.%s", x->classes.v[f->c.cls].qualname, fn->name);
    } else if (f->c.scope_func >= 0) {
        fn->qualname = pa_arena_printf(x->arena, "%s.<locals>.%s", x->funcs.v[f->c.scope_func].qualname, fn->name);
    } else {
        fn->qualname = fn->name;
    }
    fn->decorators = decorators_of(x, pf, &fn->ndecorators);
    fn->params = params_of(x, pa_ex_field(x, node, F_PARAMETERS), &fn->nparams);
    fn->returns = pa_ex_text(x, pa_ex_field(x, node, F_RETURN_TYPE));
    TSNode body = pa_ex_field(x, node, F_BODY);
    fn->body_line = ts_node_is_null(body) ? fn->line : start_line(body);
}

static void on_classdef(struct pa_ex *x, struct pa_ex_frame *f, struct pa_ex_frame *pf)
{
    int32_t idx = (int32_t)x->classes.n;
    pa_vec_grow(&x->classes, x->classes.n + 1);
    struct pa_class *k = &x->classes.v[x->classes.n++];
    memset(k, 0, sizeof *k);
    f->aux = idx;
    TSNode node = f->node;
    const char *name = pa_ex_text(x, pa_ex_field(x, node, F_NAME));
    k->name = name ? name : "?";
    k->parent = f->c.func < 0 ? f->c.cls : -1;
    k->func = f->c.scope_func;
    if (k->parent >= 0)
        k->qualname = pa_arena_printf(x->arena, "%s.%s", x->classes.v[k->parent].qualname, k->name);
    else if (f->c.scope_func >= 0)
        k->qualname = pa_arena_printf(x->arena, "%s.<locals>.%s", x->funcs.v[f->c.scope_func].qualname, k->name);
    else
        k->qualname = k->name;
    k->line = start_line(node);
    k->end_line = end_line(node);
    k->decorators = decorators_of(x, pf, &k->ndecorators);
    gather(x, pa_ex_field(x, node, F_SUPERCLASSES), 0);
    if (x->nodes.n) {
        size_t n = x->nodes.n > 0xFFFF ? 0xFFFF : x->nodes.n;
        k->bases = pa_arena_alloc(x->arena, n * sizeof *k->bases);
        for (size_t i = 0; i < n; i++) {
            TSNode b = x->nodes.v[i];
            if (pa_ex_kind(x, b) == K_KWARG) {
                const char *kn = pa_ex_text(x, pa_ex_field(x, b, F_NAME));
                const char *kv = pa_ex_text(x, pa_ex_field(x, b, F_VALUE));
                k->bases[i] = pa_arena_printf(x->arena, "%s=%s", kn ? kn : "", kv ? kv : "");
            } else {
                k->bases[i] = pa_ex_text(x, b);
            }
        }
        k->nbases = (uint16_t)n;
    }
}

static void on_for(struct pa_ex *x, struct pa_ex_frame *f)
{
    bool async = starts_async(x, f->node);
    f->aux = new_loop(x, f, async ? PA_LOOP_ASYNC_FOR : PA_LOOP_FOR, pa_ex_field(x, f->node, F_LEFT),
                      pa_ex_field(x, f->node, F_RIGHT), f->c.loop, async ? PA_CALL_ASYNC_ITER : 0);
}

static void on_while(struct pa_ex *x, struct pa_ex_frame *f)
{
    f->aux = new_loop(x, f, PA_LOOP_WHILE, NULL_NODE, pa_ex_field(x, f->node, F_CONDITION), f->c.loop, 0);
}

static void on_comp(struct pa_ex *x, struct pa_ex_frame *f)
{
    uint8_t kind = f->kind == K_LISTCOMP ? PA_LOOP_LISTCOMP
                 : f->kind == K_SETCOMP  ? PA_LOOP_SETCOMP
                 : f->kind == K_DICTCOMP ? PA_LOOP_DICTCOMP
                                         : PA_LOOP_GENEXP;
    gather(x, f->node, K_FOR_IN);
    size_t n = x->nodes.n;
    if (!n) return;
    /* new_loop uses the cursor pool but never x->nodes */
    int32_t first = (int32_t)x->loops.n;
    for (size_t i = 0; i < n; i++) {
        TSNode cl = x->nodes.v[i];
        bool async = starts_async(x, cl);
        int32_t parent = i == 0 ? f->c.loop : first + (int32_t)i - 1;
        new_loop(x, f, kind, pa_ex_field(x, cl, F_LEFT), pa_ex_field(x, cl, F_RIGHT), parent,
                 async ? PA_CALL_ASYNC_ITER : 0);
    }
    f->aux = first;
    f->aux2 = 0;
    f->aux3 = (int32_t)n;
}

static void on_with(struct pa_ex *x, struct pa_ex_frame *f)
{
    int32_t idx = (int32_t)x->withs.n;
    pa_vec_grow(&x->withs, x->withs.n + 1);
    struct pa_with *w = &x->withs.v[x->withs.n++];
    memset(w, 0, sizeof *w);
    f->aux = idx;
    w->func = f->c.func;
    w->parent = f->c.with;
    w->is_async = starts_async(x, f->node);
    w->line = start_line(f->node);
    w->end_line = end_line(f->node);
    w->loop = f->c.loop;
    gather(x, f->node, K_WITH_CLAUSE);
    TSNode clause = x->nodes.n ? x->nodes.v[0] : f->node;
    gather(x, clause, K_WITH_ITEM);
    size_t n = x->nodes.n > 0xFFFF ? 0xFFFF : x->nodes.n;
    if (!n) return;
    struct pa_with_item *items = pa_arena_alloc(x->arena, n * sizeof *items);
    w->items = items;
    w->nitems = (uint16_t)n;
    uint16_t fl = w->is_async ? PA_CALL_ASYNC_ITER : 0;
    for (size_t i = n; i-- > 0;) {
        TSNode it = x->nodes.v[i];
        TSNode v = pa_ex_field(x, it, F_VALUE);
        if (ts_node_is_null(v)) v = pa_ex_first_named(x, it);
        TSNode e = v;
        if (!ts_node_is_null(v) && pa_ex_kind(x, v) == K_AS_PATTERN) {
            e = pa_ex_first_named(x, v);
            items[i].as = pa_ex_text(x, pa_ex_field(x, v, F_ALIAS));
        }
        items[i].expr = pa_ex_text(x, e);
        if (!items[i].expr) items[i].expr = "";
        items[i].call = -1;
        pend_value(x, e, PA_PEND_PTR, 0, 0, &items[i].call, fl);
    }
}

static bool block_pass_only(struct pa_ex *x, TSNode clause)
{
    TSNode block = NULL_NODE;
    gather(x, clause, K_BLOCK);
    if (x->nodes.n) block = x->nodes.v[0];
    if (ts_node_is_null(block)) return false;
    bool any = false, only = true;
    TSTreeCursor *cu = pa_ex_cursor(x, block);
    if (ts_tree_cursor_goto_first_child(cu)) do {
        TSNode s = ts_tree_cursor_current_node(cu);
        if (!ts_node_is_named(s)) continue;
        uint8_t k = pa_ex_kind(x, s);
        if (k == K_COMMENT) continue;
        any = true;
        if (k == K_PASS) continue;
        if (k == K_EXPR_STMT) {
            TSNode e = pa_ex_first_named(x, s);
            if (!ts_node_is_null(e) && pa_ex_kind(x, e) == K_ELLIPSIS && ts_node_named_child_count(s) == 1) continue;
        }
        only = false;
        break;
    } while (ts_tree_cursor_goto_next_sibling(cu));
    pa_ex_cursor_put(x);
    return any && only;
}

static void on_try(struct pa_ex *x, struct pa_ex_frame *f)
{
    int32_t idx = (int32_t)x->tries.n;
    pa_vec_grow(&x->tries, x->tries.n + 1);
    struct pa_try *t = &x->tries.v[x->tries.n++];
    memset(t, 0, sizeof *t);
    f->aux = idx;
    f->aux2 = 0;
    t->func = f->c.func;
    t->parent = f->c.try_;
    t->line = start_line(f->node);
    t->end_line = end_line(f->node);
    t->loop = f->c.loop;
    TSNode body = pa_ex_field(x, f->node, F_BODY);
    t->body_end_line = ts_node_is_null(body) ? t->line : end_line(body);
    /* handlers and finally */
    size_t nh = 0;
    gather(x, f->node, 0);
    for (size_t i = 0; i < x->nodes.n; i++) {
        uint8_t k = pa_ex_kind(x, x->nodes.v[i]);
        if (k == K_EXCEPT || k == K_EXCEPT_GROUP) nh++;
        else if (k == K_FINALLY) {
            t->finally_line = start_line(x->nodes.v[i]);
            t->finally_end_line = end_line(x->nodes.v[i]);
        }
    }
    if (nh > 0x7FFF) nh = 0x7FFF;
    if (!nh) return;
    /* copy the clause nodes: block_pass_only reuses x->nodes */
    TSNode small[16];
    TSNode *cl = nh <= 16 ? small : pa_xmalloc(nh * sizeof *cl);
    size_t j = 0;
    for (size_t i = 0; i < x->nodes.n && j < nh; i++) {
        uint8_t k = pa_ex_kind(x, x->nodes.v[i]);
        if (k == K_EXCEPT || k == K_EXCEPT_GROUP) cl[j++] = x->nodes.v[i];
    }
    struct pa_handler *hs = pa_arena_alloc(x->arena, nh * sizeof *hs);
    for (size_t i = 0; i < nh; i++) {
        TSNode c = cl[i];
        struct pa_handler *h = &hs[i];
        h->line = start_line(c);
        h->end_line = end_line(c);
        TSNode v = pa_ex_field(x, c, F_VALUE), al = pa_ex_field(x, c, F_ALIAS);
        if (ts_node_is_null(v)) {
            TSNode e = pa_ex_first_named(x, c);
            if (!ts_node_is_null(e) && pa_ex_kind(x, e) != K_BLOCK) v = e;
        }
        if (!ts_node_is_null(v) && pa_ex_kind(x, v) == K_AS_PATTERN) {
            al = pa_ex_field(x, v, F_ALIAS);
            v = pa_ex_first_named(x, v);
        }
        if (!ts_node_is_null(v) && pa_ex_kind(x, v) == K_LIST_SPLAT) {  /* except* E */
            TSNode in = pa_ex_first_named(x, v);
            if (!ts_node_is_null(in)) v = in;
        }
        h->types = ts_node_is_null(v) ? NULL : pa_ex_text(x, v);
        h->name = ts_node_is_null(al) ? NULL : pa_ex_text(x, al);
        h->has_pass_only = block_pass_only(x, c);
    }
    x->tries.v[idx].handlers = hs;
    x->tries.v[idx].nhandlers = (uint16_t)nh;
    if (cl != small) free(cl);
}

/* Assignment statements of every form; `a = b = v` gives one record per target. */
static void on_assign(struct pa_ex *x, struct pa_ex_frame *f)
{
    TSNode node = f->node;
    TSNode tg[16];
    int nt = 0;
    TSNode value = NULL_NODE, ann = NULL_NODE;
    const char *op;
    if (f->kind == K_NAMED_EXPR) {
        tg[nt++] = pa_ex_field(x, node, F_NAME);
        value = pa_ex_field(x, node, F_VALUE);
        op = ":=";
    } else if (f->kind == K_AUGASSIGN) {
        tg[nt++] = pa_ex_field(x, node, F_LEFT);
        value = pa_ex_field(x, node, F_RIGHT);
        op = op_text(x, pa_ex_field(x, node, F_OPERATOR));
    } else {
        ann = pa_ex_field(x, node, F_TYPE);
        TSNode cur = node;
        for (int guard = 0; guard < 4096; guard++) {
            TSNode l = pa_ex_field(x, cur, F_LEFT), r = pa_ex_field(x, cur, F_RIGHT);
            if (nt < 16 && !ts_node_is_null(l)) tg[nt++] = l;
            if (!ts_node_is_null(r) && pa_ex_kind(x, r) == K_ASSIGN) { cur = r; continue; }
            value = r;
            break;
        }
        op = ts_node_is_null(value) ? ":" : "=";
    }
    if (!nt || ts_node_is_null(tg[0])) return;
    uint8_t vk = PA_EXPR_OTHER, vf = 0;
    uint32_t vn = 0;
    const char *vt = NULL;
    if (!ts_node_is_null(value)) {
        vk = pa_ex_expr_info(x, value, &vf, &vn);
        vt = pa_ex_text(x, value);
    }
    const char *at = ts_node_is_null(ann) ? NULL : pa_ex_text(x, ann);
    int32_t first = (int32_t)x->assigns.n;
    TSPoint sp = ts_node_start_point(node);
    bool copy = f->c.func >= 0 && f->kind != K_AUGASSIGN && pa_ex_is_copy_expr(x, value);
    for (int i = 0; i < nt; i++) {
        pa_vec_grow(&x->assigns, x->assigns.n + 1);
        struct pa_assign *a = &x->assigns.v[x->assigns.n++];
        memset(a, 0, sizeof *a);
        a->func = f->c.func;
        a->cls = f->c.cls;
        a->line = line_of(sp);
        a->col = col_of(sp);
        a->end_line = end_line(node);
        a->target = pa_ex_text(x, tg[i]);
        uint8_t tf;
        uint32_t tn;
        a->target_kind = pa_ex_expr_info(x, tg[i], &tf, &tn);
        a->op = op;
        a->annotation = i == 0 ? at : NULL;
        a->value_kind = vk;
        a->value_flags = vf;
        a->value_nelems = vn;
        a->value = vt;
        a->value_call = -1;
        a->loop = f->c.loop;
        a->with = f->c.with;
        a->try_ = f->c.try_;
        a->stmt = f->c.stmt;
        bool ident = pa_ex_kind(x, tg[i]) == K_IDENT;
        if (ident && f->c.cls >= 0 && f->c.func < 0 && f->kind == K_ASSIGN) {
            struct pa_ex_cattr ca;
            memset(&ca, 0, sizeof ca);
            ca.cls = f->c.cls;
            ca.a.name = a->target;
            ca.a.annotation = a->annotation;
            ca.a.value = vt;
            ca.a.value_call = -1;
            ca.a.line = a->line;
            pa_vec_push(&x->cattrs, ca);
            pend_value(x, value, PA_PEND_CATTR, (int32_t)x->cattrs.n - 1, 1, NULL, 0);
        }
        if (ident && copy) {
            uint32_t s = ts_node_start_byte(tg[i]), l = ts_node_end_byte(tg[i]) - s;
            struct pa_ex_cand cd = {s, l, pa_ex_hash32(x->src + s, l)};
            pa_vec_push(&x->cands, cd);
        }
    }
    pend_value(x, value, PA_PEND_ASSIGN, first, nt, NULL, 0);
}

static void on_return(struct pa_ex *x, struct pa_ex_frame *f)
{
    int32_t idx = (int32_t)x->returns.n;
    pa_vec_grow(&x->returns, x->returns.n + 1);
    struct pa_return *r = &x->returns.v[x->returns.n++];
    memset(r, 0, sizeof *r);
    r->func = f->c.func;
    r->line = start_line(f->node);
    r->value_call = -1;
    TSNode v = pa_ex_first_named(x, f->node);
    if (ts_node_is_null(v)) {
        r->value_kind = PA_EXPR_NONE;
    } else {
        uint8_t fl;
        uint32_t ne;
        r->value_kind = pa_ex_expr_info(x, v, &fl, &ne);
        r->value = pa_ex_text(x, v);
        pend_value(x, v, PA_PEND_RETURN, idx, 1, NULL, 0);
    }
    if (f->c.hptr) f->c.hptr->has_return = true;
}

static void push_import(struct pa_ex *x, struct pa_ex_frame *f, const char *module, const char *name,
                        const char *alias, uint8_t level, uint32_t line)
{
    /* conditional: under if/try at module level (class bodies included) */
    bool cond = f->c.cond && f->c.scope_func < 0;
    struct pa_import im;
    memset(&im, 0, sizeof im);
    im.module = module ? module : "";
    im.name = name;
    im.alias = alias;
    im.level = level;
    im.func = f->c.func;
    im.line = line;
    im.conditional = cond;
    pa_vec_push(&x->imports, im);
}

/* "a.b.c" -> "a" (interned) */
static const char *first_component(struct pa_ex *x, const char *dotted)
{
    const char *d = strchr(dotted, '.');
    return d ? pa_ex_intern(x, dotted, (size_t)(d - dotted)) : dotted;
}

/* Dotted name text without whitespace/comments (names are identifiers). */
static const char *dotted_text(struct pa_ex *x, TSNode n)
{
    if (ts_node_is_null(n)) return NULL;
    if (pa_ex_kind(x, n) != K_DOTTED_NAME) return pa_ex_text(x, n);
    pa_buf b;
    pa_buf_init(&b);
    TSTreeCursor *cu = pa_ex_cursor(x, n);
    if (ts_tree_cursor_goto_first_child(cu)) do {
        TSNode c = ts_tree_cursor_current_node(cu);
        if (pa_ex_kind(x, c) != K_IDENT) continue;
        if (b.len) pa_buf_putc(&b, '.');
        pa_buf_append(&b, x->src + ts_node_start_byte(c), ts_node_end_byte(c) - ts_node_start_byte(c));
    } while (ts_tree_cursor_goto_next_sibling(cu));
    pa_ex_cursor_put(x);
    const char *r;
    if (b.len && b.len <= PA_TEXT_MAX && pa_utf8_valid(b.s, b.len)) r = pa_ex_intern(x, b.s, b.len);
    else r = pa_ex_text(x, n);
    pa_buf_free(&b);
    return r;
}

static void on_import(struct pa_ex *x, struct pa_ex_frame *f)
{
    uint32_t line = start_line(f->node);
    TSFieldId fname = x->P->fid[F_NAME], fmod = x->P->fid[F_MODULE_NAME];
    const char *module = NULL;
    uint8_t level = 0;
    if (f->kind == K_FUTURE_IMPORT) module = "__future__";
    if (f->kind == K_IMPORT_FROM) {
        TSNode m = ts_node_child_by_field_id(f->node, fmod);
        if (!ts_node_is_null(m) && pa_ex_kind(x, m) == K_RELATIVE_IMPORT) {
            module = "";
            TSTreeCursor *cu = pa_ex_cursor(x, m);
            if (ts_tree_cursor_goto_first_child(cu)) do {
                TSNode c = ts_tree_cursor_current_node(cu);
                uint8_t k = pa_ex_kind(x, c);
                if (k == K_IMPORT_PREFIX) {
                    for (uint32_t i = ts_node_start_byte(c); i < ts_node_end_byte(c) && i < x->len; i++)
                        if (x->src[i] == '.' && level < 255) level++;
                } else if (k == K_DOTTED_NAME) {
                    module = dotted_text(x, c);
                }
            } while (ts_tree_cursor_goto_next_sibling(cu));
            pa_ex_cursor_put(x);
        } else if (!ts_node_is_null(m)) {
            module = dotted_text(x, m);
        }
    }
    TSTreeCursor *cu = pa_ex_cursor(x, f->node);
    if (ts_tree_cursor_goto_first_child(cu)) do {
        TSNode c = ts_tree_cursor_current_node(cu);
        uint8_t k = pa_ex_kind(x, c);
        if (k == K_WILDCARD) {
            push_import(x, f, module, "*", "*", level, line);
            continue;
        }
        if (ts_tree_cursor_current_field_id(cu) != fname) continue;
        const char *nm, *alias;
        if (k == K_ALIASED_IMPORT) {
            nm = dotted_text(x, pa_ex_field(x, c, F_NAME));
            alias = pa_ex_text(x, pa_ex_field(x, c, F_ALIAS));
        } else {
            nm = dotted_text(x, c);
            alias = NULL;
        }
        if (!nm) continue;
        if (f->kind == K_IMPORT) {
            push_import(x, f, nm, NULL, alias ? alias : first_component(x, nm), 0, line);
        } else {
            push_import(x, f, module, nm, alias ? alias : nm, level, line);
        }
    } while (ts_tree_cursor_goto_next_sibling(cu));
    pa_ex_cursor_put(x);
}

/* An identifier read or written inside a function: buffer it as a name use. */
static void on_ident(struct pa_ex *x, struct pa_ex_frame *f, struct pa_ex_frame *pf)
{
    struct pa_ex_frame *gpf = frame_up(x, 2);
    uint8_t gk = gpf ? gpf->kind : K_OTHER;
    uint8_t uk = PA_USE_LOAD;
    const char *detail = NULL;
    uint32_t ds = 0, dl = 0;
    switch (pf->kind) {
    case K_ATTR:
        if (f->field == F_ATTRIBUTE) return;
        if (gk == K_CALL && pf->field == F_FUNCTION) {
            TSNode at = pa_ex_field(x, pf->node, F_ATTRIBUTE);
            if (!ts_node_is_null(at)) { ds = ts_node_start_byte(at); dl = ts_node_end_byte(at) - ds; }
            uk = PA_USE_METHOD;
        } else if ((gk == K_ASSIGN || gk == K_AUGASSIGN) && pf->field == F_LEFT) {
            uk = PA_USE_ATTR_STORE;
        }
        break;
    case K_KWARG:
        if (f->field == F_NAME) return;
        if (gk == K_ARGLIST && f->c.parent_call >= 0) {
            uk = PA_USE_ARG;
            detail = x->calls.v[f->c.parent_call].callee;
        }
        break;
    case K_ARGLIST:
        if (f->c.parent_call >= 0) {
            uk = PA_USE_ARG;
            detail = x->calls.v[f->c.parent_call].callee;
        }
        break;
    case K_LIST_SPLAT: case K_DICT_SPLAT:
        if (gk == K_ARGLIST && f->c.parent_call >= 0) {
            uk = PA_USE_ARG;
            detail = x->calls.v[f->c.parent_call].callee;
        } else {
            uk = PA_USE_ESCAPE;
        }
        break;
    case K_FUNCDEF: case K_CLASSDEF:
        if (f->field == F_NAME) return;
        break;
    case K_PARAMS: case K_LAMBDA_PARAMS: case K_TYPED_PARAM: case K_DOTTED_NAME: case K_ALIASED_IMPORT:
    case K_TYPE: case K_KEYWORD_PATTERN: case K_CASE_PATTERN: case K_IMPORT_PREFIX: case K_RELATIVE_IMPORT:
        return;
    case K_DEFAULT_PARAM: case K_TYPED_DEFAULT_PARAM:
        if (f->field == F_NAME) return;
        break;
    case K_LIST_SPLAT_PATTERN: case K_DICT_SPLAT_PATTERN:
        if (gk == K_PARAMS || gk == K_LAMBDA_PARAMS || gk == K_TYPED_PARAM) return;
        uk = PA_USE_STORE;
        break;
    case K_FOR_IN:
        if (f->field == F_LEFT) return;
        break;
    case K_ASSIGN:
        if (f->field == F_LEFT) uk = PA_USE_STORE;
        else if (f->field == F_RIGHT) uk = PA_USE_ESCAPE;  /* aliased: y = x */
        else return;
        break;
    case K_AUGASSIGN:
        if (f->field == F_LEFT) uk = PA_USE_AUGSTORE;
        break;
    case K_NAMED_EXPR:
        uk = f->field == F_NAME ? PA_USE_STORE : PA_USE_ESCAPE;
        break;
    case K_PATTERN_LIST: case K_TUPLE_PATTERN: case K_LIST_PATTERN:
        if (gk == K_FOR_IN) return;
        uk = PA_USE_STORE;
        break;
    case K_FOR:
        if (f->field == F_LEFT) uk = PA_USE_STORE;
        break;
    case K_AS_TARGET: case K_DELETE:
        uk = PA_USE_STORE;
        break;
    case K_SUBSCRIPT:
        if (f->field == F_VALUE) {
            if (((gk == K_ASSIGN || gk == K_AUGASSIGN) && pf->field == F_LEFT) || gk == K_DELETE)
                uk = PA_USE_ITEM_STORE;
        }
        break;
    case K_RETURN: case K_YIELD:
        uk = PA_USE_RETURN;
        break;
    case K_EXPR_LIST:
        uk = (gk == K_RETURN || gk == K_YIELD) ? PA_USE_RETURN : PA_USE_ESCAPE;
        break;
    case K_LIST: case K_TUPLE: case K_SET: case K_PAIR: case K_DICT: case K_GLOBAL: case K_NONLOCAL:
        uk = PA_USE_ESCAPE;
        break;
    default:
        break;
    }
    uint32_t s = ts_node_start_byte(f->node), l = ts_node_end_byte(f->node) - s;
    TSPoint p = ts_node_start_point(f->node);
    pa_vec_grow(&x->uses, x->uses.n + 1);
    struct pa_ex_use *u = &x->uses.v[x->uses.n++];
    u->start = s;
    u->len = l;
    u->hash = pa_ex_hash32(x->src + s, l);
    u->func = f->c.func;
    u->line = line_of(p);
    u->col = col_of(p);
    u->kind = uk;
    u->loop = f->c.loop;
    u->detail = detail;
    u->dstart = ds;
    u->dlen = dl;
}

/* An attribute chain rooted at a loop variable, read inside the loop. */
static void on_attr(struct pa_ex *x, struct pa_ex_frame *f, struct pa_ex_frame *pf)
{
    if (pf->kind == K_ATTR && f->field == F_OBJECT) {
        /* inner link of a longer chain: only the receiver of a method call
         * (`o.items` in `o.items.append(x)`) is a chain top */
        struct pa_ex_frame *gpf = frame_up(x, 2);
        if (!(gpf && gpf->kind == K_CALL && pf->field == F_FUNCTION)) return;
    }
    if (pf->kind == K_CALL && f->field == F_FUNCTION) return;            /* method call */
    if ((pf->kind == K_ASSIGN || pf->kind == K_AUGASSIGN) && f->field == F_LEFT) return;  /* store */
    if (pf->kind == K_DELETE) return;
    struct { uint32_t s, l; } parts[32];
    int np = 0;
    TSNode n = f->node;
    while (pa_ex_kind(x, n) == K_ATTR) {
        if (np == 32) return;
        TSNode at = pa_ex_field(x, n, F_ATTRIBUTE);
        if (ts_node_is_null(at)) return;
        parts[np].s = ts_node_start_byte(at);
        parts[np].l = ts_node_end_byte(at) - parts[np].s;
        np++;
        n = pa_ex_field(x, n, F_OBJECT);
        if (ts_node_is_null(n)) return;
    }
    if (pa_ex_kind(x, n) != K_IDENT) return;
    uint32_t rs = ts_node_start_byte(n), rl = ts_node_end_byte(n) - rs;
    int32_t l = f->c.loop;
    while (l >= 0 && !loop_binds(x, l, x->src + rs, rl)) l = x->loops.v[l].parent;
    if (l < 0) return;
    pa_buf *t = &x->tmp;
    pa_buf_reset(t);
    for (int i = np; i-- > 0;) {
        if (t->len) pa_buf_putc(t, '.');
        pa_buf_append(t, x->src + parts[i].s, parts[i].l);
    }
    struct pa_attr_use au;
    memset(&au, 0, sizeof au);   /* padding too: facts images are written to the cache */
    TSPoint p = ts_node_start_point(f->node);
    au.func = f->c.func;
    au.loop = l;
    au.line = line_of(p);
    au.col = col_of(p);
    au.name = pa_ex_text_range(x, rs, rs + rl);
    au.chain = pa_utf8_valid(t->s, t->len) && t->len <= PA_TEXT_MAX ? pa_ex_intern(x, t->s, t->len)
                                                                     : pa_ex_text(x, f->node);
    pa_vec_push(&x->attr_uses, au);
}

/* ---- walk ---------------------------------------------------------------- */

static void enter_scope(struct pa_ex_ctx *c, int32_t fidx, bool lambda)
{
    c->func = fidx;
    c->scope_func = fidx;
    c->cls = -1;
    c->loop = c->with = c->try_ = -1;
    c->handler = -1;
    c->try_part = 0;
    c->cond = false;
    c->cflags = lambda ? PA_CALL_IN_LAMBDA : 0;
    if (!lambda) c->parent_call = -1;
    c->stmt = 0;
    c->hptr = NULL;
}

/* Adjust the child's context for its position in the parent. */
static void child_ctx(struct pa_ex *x, struct pa_ex_frame *pf, struct pa_ex_frame *f)
{
    struct pa_ex_ctx *c = &f->c;
    switch (pf->kind) {
    case K_CALL:
        if (f->field == F_ARGUMENTS) c->parent_call = pf->aux;
        break;
    case K_FUNCDEF:
        if (f->field == F_BODY && pf->aux >= 0) enter_scope(c, pf->aux, false);
        break;
    case K_LAMBDA:
        if (f->field == F_BODY && pf->aux >= 0) enter_scope(c, pf->aux, true);
        break;
    case K_CLASSDEF:
        if (f->field == F_BODY && pf->aux >= 0) {
            c->func = -1;
            c->cls = pf->aux;
            c->loop = c->with = c->try_ = -1;
            c->handler = -1;
            c->try_part = 0;
            c->cflags = 0;
            c->parent_call = -1;
            c->hptr = NULL;
        }
        break;
    case K_FOR:
        if (f->field == F_LEFT || f->field == F_BODY) c->loop = pf->aux;
        break;
    case K_WHILE:
        if (f->field == F_CONDITION || f->field == F_BODY) c->loop = pf->aux;
        break;
    case K_LISTCOMP: case K_SETCOMP: case K_DICTCOMP: case K_GENEXP:
        c->cflags |= PA_CALL_IN_COMP;
        if (pf->aux >= 0) {
            if (f->kind == K_FOR_IN && pf->aux2 < pf->aux3) {
                f->aux = pf->aux + pf->aux2;
                f->aux2 = pf->aux2;
                pf->aux2++;
                c->loop = f->aux;
            } else {
                c->loop = pf->aux + pf->aux3 - 1;
            }
        }
        break;
    case K_FOR_IN:
        if (f->field == F_RIGHT && pf->aux >= 0) {
            c->loop = x->loops.v[pf->aux].parent;
            if (pf->aux2 == 0 && x->depth >= 3) c->cflags = x->frames[x->depth - 3].c.cflags;
        }
        break;
    case K_WITH:
        if (f->field == F_BODY) c->with = pf->aux;
        break;
    case K_TRY:
        c->cond = true;
        if (pf->aux < 0) break;
        if (f->field == F_BODY) {
            c->try_ = pf->aux;
            c->try_part = PA_TRY_BODY;
            c->handler = -1;
        } else if (f->kind == K_EXCEPT || f->kind == K_EXCEPT_GROUP) {
            int32_t k = pf->aux2++;
            const struct pa_try *t = &x->tries.v[pf->aux];
            c->try_ = pf->aux;
            c->try_part = PA_TRY_HANDLER;
            c->handler = (int16_t)(k < 0x7FFF ? k : 0x7FFF);
            c->hptr = k < t->nhandlers ? &t->handlers[k] : NULL;
        } else if (f->kind == K_ELSE) {
            c->try_ = pf->aux;
            c->try_part = PA_TRY_ELSE;
            c->handler = -1;
        } else if (f->kind == K_FINALLY) {
            c->try_ = pf->aux;
            c->try_part = PA_TRY_FINALLY;
            c->handler = -1;
        }
        break;
    case K_IF: case K_MATCH:
        c->cond = true;
        break;
    case K_RETURN:
        c->cflags |= PA_CALL_IN_RETURN;
        break;
    default:
        break;
    }
}

static void enter(struct pa_ex *x, TSNode node, uint8_t field)
{
    struct pa_ex_frame *pf = x->depth ? &x->frames[x->depth - 1] : NULL;
    struct pa_ex_frame *f = &x->frames[x->depth++];
    f->node = node;
    f->kind = pa_ex_kind(x, node);
    f->field = field;
    f->skip = false;
    f->aux = -1;
    f->aux2 = 0;
    f->aux3 = 0;
    f->pend_mark = (uint32_t)x->pend.n;
    f->use_mark = (uint32_t)x->uses.n;
    f->cand_mark = (uint32_t)x->cands.n;
    if (x->depth >= PA_EX_MAX_DEPTH) {
        f->skip = true;
        x->nerrors++;
    }
    if (pf) {
        f->c = pf->c;
        child_ctx(x, pf, f);
    } else {
        struct pa_ex_ctx root = {-1, -1, -1, -1, -1, -1, -1, 0, false, 0, -1, 0, NULL};
        f->c = root;
    }
    if (f->kind == K_ERROR) x->nerrors++;
    else if (x->has_error && ts_node_is_missing(node)) x->nerrors++;
    if (x->P->is_stmt[f->kind] && !(pf && pf->kind == K_DECORATED)) {
        int32_t fn = f->c.func;
        if (fn >= 0) {
            f->c.stmt = x->fstmt.v[fn]++;
            if (f->kind != K_FUNCDEF && f->kind != K_DECORATED) x->funcs.v[fn].nstmts++;
        } else {
            f->c.stmt = x->mod_stmt++;
        }
    }
    if (pf && pf->kind == K_ARGLIST && pf->field == F_ARGUMENTS && f->kind != K_COMMENT && x->depth >= 3 &&
        x->frames[x->depth - 3].kind == K_CALL)
        on_arg(x, f, &x->frames[x->depth - 3]);
    switch (f->kind) {
    case K_CALL: on_call(x, f); break;
    case K_LAMBDA: on_lambda(x, f); break;
    case K_FUNCDEF: on_funcdef(x, f, pf); break;
    case K_CLASSDEF: on_classdef(x, f, pf); break;
    case K_FOR: on_for(x, f); break;
    case K_WHILE: on_while(x, f); break;
    case K_LISTCOMP: case K_SETCOMP: case K_DICTCOMP: case K_GENEXP: on_comp(x, f); break;
    case K_WITH: on_with(x, f); break;
    case K_TRY: on_try(x, f); break;
    case K_ASSIGN: case K_AUGASSIGN:
        if (!(pf && (pf->kind == K_ASSIGN || pf->kind == K_AUGASSIGN) && field == F_RIGHT)) on_assign(x, f);
        break;
    case K_NAMED_EXPR: on_assign(x, f); break;
    case K_RETURN: on_return(x, f); break;
    case K_YIELD:
        if (f->c.func >= 0) x->funcs.v[f->c.func].is_generator = true;
        break;
    case K_RAISE:
        if (f->c.hptr) f->c.hptr->reraises = true;
        break;
    case K_CONTINUE:
        if (f->c.hptr) f->c.hptr->has_continue = true;
        break;
    case K_IMPORT: case K_IMPORT_FROM: case K_FUTURE_IMPORT: on_import(x, f); break;
    case K_COMMENT: pa_ex_comment(x, node); break;
    case K_STRING:  /* only f-string interpolations hold anything of interest */
        if (pa_ex_string_kind(x, node) != PA_EXPR_FSTRING) f->skip = true;
        break;
    case K_DOTTED_NAME: case K_ALIASED_IMPORT: case K_INTEGER: case K_FLOAT:
        f->skip = true;
        break;
    case K_IDENT:
        if (f->c.func >= 0 && pf) on_ident(x, f, pf);
        break;
    case K_ATTR:
        if (f->c.loop >= 0 && pf) on_attr(x, f, pf);
        break;
    default: break;
    }
    /* keep walking a skipped subtree that holds syntax errors, to count them */
    if (f->skip && x->has_error && x->depth < PA_EX_MAX_DEPTH && ts_node_has_error(node)) f->skip = false;
}

static bool cand_has(const struct pa_ex *x, uint32_t from, const struct pa_ex_use *u)
{
    for (size_t j = from; j < x->cands.n; j++) {
        const struct pa_ex_cand *c = &x->cands.v[j];
        if (c->hash == u->hash && c->len == u->len && memcmp(x->src + c->start, x->src + u->start, u->len) == 0)
            return true;
    }
    return false;
}

/* Leaving a function: keep the uses of its copy/allocation names; hand the
 * other uses up to the enclosing function as captures (ESCAPE). */
static void flush_uses(struct pa_ex *x, struct pa_ex_frame *f)
{
    int32_t fi = f->aux;
    int32_t parent = x->funcs.v[fi].parent;
    size_t k = f->use_mark;
    for (size_t i = f->use_mark; i < x->uses.n; i++) {
        struct pa_ex_use u = x->uses.v[i];
        if (u.func != fi) {  /* parameter defaults/annotations belong to the enclosing function */
            x->uses.v[k++] = u;
            continue;
        }
        if (x->cands.n > f->cand_mark && cand_has(x, f->cand_mark, &u)) {
            struct pa_name_use nu;
            memset(&nu, 0, sizeof nu);
            nu.func = fi;
            nu.line = u.line;
            nu.col = u.col;
            nu.name = pa_ex_text_range(x, u.start, u.start + u.len);
            nu.kind = u.kind;
            nu.detail = u.detail ? u.detail : (u.dlen ? pa_ex_text_range(x, u.dstart, u.dstart + u.dlen) : NULL);
            nu.loop = u.loop;
            pa_vec_push(&x->name_uses, nu);
        } else if (parent >= 0) {
            u.func = parent;
            u.kind = PA_USE_ESCAPE;
            u.detail = NULL;
            u.dlen = 0;
            u.loop = f->c.loop;
            x->uses.v[k++] = u;
        }
    }
    x->uses.n = k;
    x->cands.n = f->cand_mark;
}

static void leave(struct pa_ex *x)
{
    struct pa_ex_frame *f = &x->frames[x->depth - 1];
    switch (f->kind) {
    case K_FUNCDEF: case K_LAMBDA:
        if (f->aux >= 0) flush_uses(x, f);
        break;
    case K_EXCEPT: case K_EXCEPT_GROUP:
        if (f->c.hptr && x->depth >= 2) {
            struct pa_handler *outer = x->frames[x->depth - 2].c.hptr;
            if (outer && outer != f->c.hptr) {
                outer->reraises |= f->c.hptr->reraises;
                outer->has_continue |= f->c.hptr->has_continue;
                outer->has_return |= f->c.hptr->has_return;
            }
        }
        break;
    default: break;
    }
    if (x->pend.n > f->pend_mark) x->pend.n = f->pend_mark;
    x->depth--;
}

/* Enter the cursor's node if it is named; tokens only count MISSING. */
static bool visit(struct pa_ex *x, TSTreeCursor *cu)
{
    TSNode n = ts_tree_cursor_current_node(cu);
    if (!ts_node_is_named(n)) {
        if (x->has_error && ts_node_is_missing(n)) x->nerrors++;
        return false;
    }
    /* field ids are only read below parents whose children's fields matter */
    uint8_t field = F_NONE;
    if (x->P->needs_field[x->frames[x->depth - 1].kind]) {
        TSFieldId fid = ts_tree_cursor_current_field_id(cu);
        field = fid && fid <= x->P->nfields ? x->P->field_of[fid] : F_NONE;
    }
    enter(x, n, field);
    return true;
}

static void walk(struct pa_ex *x, TSNode root)
{
    TSTreeCursor *cu = pa_ex_cursor(x, root);
    enter(x, root, F_NONE);
    for (;;) {
        bool entered = false;
        if (!x->frames[x->depth - 1].skip && ts_tree_cursor_goto_first_child(cu)) {
            do {
                if (visit(x, cu)) { entered = true; break; }
            } while (ts_tree_cursor_goto_next_sibling(cu));
            if (!entered) ts_tree_cursor_goto_parent(cu);
        }
        while (!entered) {
            leave(x);
            if (x->depth == 0) {
                pa_ex_cursor_put(x);
                return;
            }
            while (ts_tree_cursor_goto_next_sibling(cu))
                if (visit(x, cu)) { entered = true; break; }
            if (!entered) ts_tree_cursor_goto_parent(cu);
        }
    }
}

/* ---- packaging ----------------------------------------------------------- */

static void *arena_copy(pa_arena *a, const void *src, size_t n, size_t size)
{
    if (!n) return NULL;
    void *p = pa_arena_alloc(a, n * size);
    memcpy(p, src, n * size);
    return p;
}

#define PA_EX_PACK(F, X, name)                                                            \
    do {                                                                                  \
        (F)->name.v = arena_copy(&(F)->arena, (X)->name.v, (X)->name.n, sizeof *(X)->name.v); \
        (F)->name.n = (F)->name.cap = (X)->name.n;                                        \
    } while (0)

static int name_use_cmp(const void *a, const void *b)
{
    const struct pa_name_use *x = a, *y = b;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    return (x->func > y->func) - (x->func < y->func);
}

static void pack(struct pa_ex *x, struct pa_file_facts *f)
{
    /* class attributes grouped per class, in source order */
    for (size_t i = 0; i < x->cattrs.n; i++) {
        int32_t k = x->cattrs.v[i].cls;
        if (k >= 0 && (size_t)k < x->classes.n && x->classes.v[k].nattrs < 0xFFFF) x->classes.v[k].nattrs++;
    }
    for (size_t k = 0; k < x->classes.n; k++) {
        struct pa_class *c = &x->classes.v[k];
        if (c->nattrs) c->attrs = pa_arena_alloc(&f->arena, c->nattrs * sizeof *c->attrs);
        c->nattrs = 0;
    }
    for (size_t i = 0; i < x->cattrs.n; i++) {
        int32_t k = x->cattrs.v[i].cls;
        if (k < 0 || (size_t)k >= x->classes.n) continue;
        struct pa_class *c = &x->classes.v[k];
        if (!c->attrs || c->nattrs == 0xFFFF) continue;
        c->attrs[c->nattrs++] = x->cattrs.v[i].a;
    }
    if (x->name_uses.n > 1) qsort(x->name_uses.v, x->name_uses.n, sizeof *x->name_uses.v, name_use_cmp);
    PA_EX_PACK(f, x, funcs);
    PA_EX_PACK(f, x, classes);
    PA_EX_PACK(f, x, imports);
    PA_EX_PACK(f, x, calls);
    PA_EX_PACK(f, x, loops);
    PA_EX_PACK(f, x, withs);
    PA_EX_PACK(f, x, tries);
    PA_EX_PACK(f, x, assigns);
    PA_EX_PACK(f, x, attr_uses);
    PA_EX_PACK(f, x, returns);
    PA_EX_PACK(f, x, name_uses);
    if (x->supps.n) {
        f->suppressions.v = pa_arena_alloc(&f->arena, x->supps.n * sizeof *f->suppressions.v);
        for (size_t i = 0; i < x->supps.n; i++) f->suppressions.v[i] = x->supps.v[i].s;
    }
    f->suppressions.n = f->suppressions.cap = x->supps.n;
}

static void reset(struct pa_ex *x)
{
    x->depth = 0;
    x->ncur = 0;
    x->nerrors = 0;
    x->mod_stmt = 0;
    x->pend.n = x->uses.n = x->cands.n = x->loopx.n = x->names.n = x->fstmt.n = 0;
    x->cattrs.n = x->supps.n = x->nodes.n = x->lineinfo.n = 0;
    x->funcs.n = x->classes.n = x->imports.n = x->calls.n = x->loops.n = x->withs.n = 0;
    x->tries.n = x->assigns.n = x->attr_uses.n = x->returns.n = x->name_uses.n = 0;
}

pa_status pa_extract_file(pa_py_parser *p, const char *src, size_t len, const char *relpath,
                          const char *module, struct pa_file_facts **out, const char **reason)
{
    return pa_extract_file_hooked(p, src, len, relpath, module, out, reason, NULL, NULL);
}

pa_status pa_extract_file_hooked(pa_py_parser *p, const char *src, size_t len, const char *relpath,
                                 const char *module, struct pa_file_facts **out, const char **reason,
                                 pa_tree_hook hook, void *ud)
{
    *out = NULL;
    if (reason) *reason = NULL;
    if (!src) { src = ""; len = 0; }
    size_t orig_len = len;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) { src += 3; len -= 3; }
    TSTree *tree;
    pa_status st = pa_py_parse(p, src, len, &tree, reason);
    if (st != PA_OK) return st;

    struct pa_file_facts *f = pa_xcalloc(1, sizeof *f);
    pa_arena_init(&f->arena);
    struct pa_ex *x = &p->ex;
    reset(x);
    pa_ex_intern_reset(x);
    x->src = src;
    x->len = len;
    x->f = f;
    x->arena = &f->arena;
    TSNode root = ts_tree_root_node(tree);
    x->has_error = ts_node_has_error(root);
    walk(x, root);
    if (hook) hook(ud, tree);
    ts_tree_delete(tree);

    pa_ex_lines(x);
    pack(x, f);
    const char *rp = relpath ? relpath : "";
    f->path = pa_arena_strdup(&f->arena, rp);
    if (module) {
        f->module = pa_arena_strdup(&f->arena, module);
    } else {
        char *m = pa_module_name_for_path(rp);
        f->module = pa_arena_strdup(&f->arena, m);
        free(m);
    }
    const char *slash = strrchr(rp, '/');
    f->is_package = strcmp(slash ? slash + 1 : rp, "__init__.py") == 0;
    f->bytes = orig_len;
    f->nerrors = x->nerrors;
    x->f = NULL;
    x->arena = NULL;
    x->src = NULL;
    pa_ex_intern_reset(x);   /* the interned strings belong to f's arena */
    /* re-home the facts in one exact-size block (the arena's partly used
     * blocks would otherwise stay allocated for the whole run) */
    pa_facts_encode(f, &p->img);
    struct pa_file_facts *packed = NULL;
    if (pa_facts_decode(p->img.s, p->img.len, false, &packed, NULL) == PA_OK) {
        pa_file_facts_free(f);
        f = packed;
    }
    if (p->img.cap > (1u << 20)) pa_buf_free(&p->img);   /* don't keep a huge file's scratch */
    *out = f;
    return PA_OK;
}

void pa_file_facts_free(struct pa_file_facts *f)
{
    if (!f) return;
    pa_arena_free(&f->arena);
    free(f);
}
