/* test_extract.c - unit tests of the fact extractor (pa_extract_file):
 * inline Python snippets parsed and their facts asserted field by field:
 * callees, args, call relations, loops, withs, tries, assignments, attribute
 * and name uses, functions, classes, imports, suppressions, line hashes,
 * broken and hostile input. PA_EXTRACT_DUMP=1 prints each snippet's facts. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pa/facts.h"

static pa_py_parser *P;

static void dump(const struct pa_file_facts *f)
{
    for (size_t i = 0; i < f->funcs.n; i++) {
        const struct pa_func *fn = &f->funcs.v[i];
        printf("func %zu %s q=%s parent=%d cls=%d async=%d lambda=%d gen=%d line=%u-%u nstmts=%u body=%u\n", i,
               fn->name, fn->qualname, fn->parent, fn->cls, fn->is_async, fn->is_lambda, fn->is_generator,
               fn->line, fn->end_line, fn->nstmts, fn->body_line);
    }
    for (size_t i = 0; i < f->calls.n; i++) {
        const struct pa_call *c = &f->calls.v[i];
        printf("call %zu %s base=%s attr=%s func=%d cls=%d fl=%x recv=%d parent=%d loop=%d with=%d try=%d/%d/%d "
               "stmt=%u line=%u:%u nargs=%u\n",
               i, c->callee, c->base ? c->base : "-", c->attr, c->func, c->cls, c->flags, c->recv_call,
               c->parent_call, c->loop, c->with, c->try_, c->try_part, c->handler, c->stmt, c->line, c->col,
               c->nargs);
        for (uint16_t a = 0; a < c->nargs; a++)
            printf("   arg kw=%s kind=%u fl=%x text=%s call=%d func=%d n=%u\n", c->args[a].kw ? c->args[a].kw : "-",
                   c->args[a].kind, c->args[a].flags, c->args[a].text, c->args[a].call, c->args[a].func,
                   c->args[a].nelems);
    }
    for (size_t i = 0; i < f->loops.n; i++) {
        const struct pa_loop *l = &f->loops.v[i];
        printf("loop %zu kind=%u func=%d parent=%d target=%s iter=%s ik=%u if=%x icall=%d with=%d line=%u\n", i,
               l->kind, l->func, l->parent, l->target ? l->target : "-", l->iter ? l->iter : "-", l->iter_kind,
               l->iter_flags, l->iter_call, l->with, l->line);
    }
    for (size_t i = 0; i < f->assigns.n; i++) {
        const struct pa_assign *a = &f->assigns.v[i];
        printf("assign %zu %s %s %s vk=%u vf=%x vcall=%d func=%d cls=%d loop=%d ann=%s\n", i, a->target, a->op,
               a->value ? a->value : "-", a->value_kind, a->value_flags, a->value_call, a->func, a->cls, a->loop,
               a->annotation ? a->annotation : "-");
    }
    for (size_t i = 0; i < f->name_uses.n; i++) {
        const struct pa_name_use *u = &f->name_uses.v[i];
        printf("use %s kind=%u detail=%s func=%d loop=%d line=%u\n", u->name, u->kind, u->detail ? u->detail : "-",
               u->func, u->loop, u->line);
    }
    for (size_t i = 0; i < f->attr_uses.n; i++)
        printf("attr %s.%s loop=%d line=%u\n", f->attr_uses.v[i].name, f->attr_uses.v[i].chain,
               f->attr_uses.v[i].loop, f->attr_uses.v[i].line);
    printf("nerrors=%u nlines=%u\n", f->nerrors, f->nlines);
}

static struct pa_file_facts *ex(const char *src)
{
    struct pa_file_facts *f = NULL;
    const char *reason = NULL;
    pa_status st = pa_extract_file(P, src, strlen(src), "app/mod.py", NULL, &f, &reason);
    if (st != PA_OK || !f) {
        fprintf(stderr, "extract failed: %s\n", reason ? reason : "?");
        exit(1);
    }
    if (getenv("PA_EXTRACT_DUMP")) dump(f);
    return f;
}

static int call_by(const struct pa_file_facts *f, const char *callee)
{
    for (size_t i = 0; i < f->calls.n; i++)
        if (strcmp(f->calls.v[i].callee, callee) == 0) return (int)i;
    return -1;
}

static int func_by(const struct pa_file_facts *f, const char *qualname)
{
    for (size_t i = 0; i < f->funcs.n; i++)
        if (strcmp(f->funcs.v[i].qualname, qualname) == 0) return (int)i;
    return -1;
}

static int assign_by(const struct pa_file_facts *f, const char *target)
{
    for (size_t i = 0; i < f->assigns.n; i++)
        if (strcmp(f->assigns.v[i].target, target) == 0) return (int)i;
    return -1;
}

static int count_uses(const struct pa_file_facts *f, const char *name, int kind)
{
    int n = 0;
    for (size_t i = 0; i < f->name_uses.n; i++)
        if (strcmp(f->name_uses.v[i].name, name) == 0 && (kind < 0 || f->name_uses.v[i].kind == kind)) n++;
    return n;
}

static void test_callees(void)
{
    struct pa_file_facts *f = ex("foo()\n"
                                 "requests.get(u)\n"
                                 "session.query(U).filter(x).all()\n"
                                 "async def h():\n"
                                 "    (await s.execute(q)).scalars()\n"
                                 "Path(p).read_text()\n"
                                 "handlers[k]()\n"
                                 "x[0].save()\n"
                                 "super().save()\n"
                                 "\"-\".join(parts)\n");
    int i = call_by(f, "foo");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_STR(f->calls.v[i].base, "foo");
        CHECK_STR(f->calls.v[i].attr, "foo");
        CHECK_INT(f->calls.v[i].line, 1);
        CHECK_INT(f->calls.v[i].col, 1);
        CHECK_INT(f->calls.v[i].func, -1);
    }
    i = call_by(f, "requests.get");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_STR(f->calls.v[i].base, "requests");
        CHECK_STR(f->calls.v[i].attr, "get");
        CHECK_INT(f->calls.v[i].nargs, 1);
        CHECK_STR(f->calls.v[i].args[0].text, "u");
        CHECK_INT(f->calls.v[i].args[0].kind, PA_EXPR_NAME);
    }
    int all = call_by(f, "session.query().filter().all");
    int filt = call_by(f, "session.query().filter");
    int query = call_by(f, "session.query");
    CHECK(all >= 0 && filt >= 0 && query >= 0);
    if (all >= 0 && filt >= 0 && query >= 0) {
        CHECK(all < filt && filt < query);  /* pre-order: outer call first */
        CHECK_INT(f->calls.v[all].recv_call, filt);
        CHECK_INT(f->calls.v[filt].recv_call, query);
        CHECK_INT(f->calls.v[query].recv_call, -1);
        CHECK_STR(f->calls.v[all].base, "session");
        CHECK_STR(f->calls.v[all].attr, "all");
    }
    int sc = call_by(f, "s.execute().scalars"), exe = call_by(f, "s.execute");
    CHECK(sc >= 0 && exe >= 0);
    if (sc >= 0 && exe >= 0) {
        CHECK_INT(f->calls.v[sc].recv_call, exe);
        CHECK(f->calls.v[exe].flags & PA_CALL_AWAITED);
        CHECK(!(f->calls.v[sc].flags & PA_CALL_AWAITED));
        CHECK_INT(f->calls.v[sc].func, 0);
    }
    i = call_by(f, "Path().read_text");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_STR(f->calls.v[i].base, "Path");
        CHECK_INT(f->calls.v[i].recv_call, call_by(f, "Path"));
    }
    i = call_by(f, "?");
    CHECK(i >= 0);
    if (i >= 0) CHECK(f->calls.v[i].base == NULL);
    i = call_by(f, "?.save");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK(f->calls.v[i].base == NULL);
        CHECK_STR(f->calls.v[i].attr, "save");
    }
    CHECK(call_by(f, "super().save") >= 0);
    i = call_by(f, "?.join");
    CHECK(i >= 0);
    pa_file_facts_free(f);
}

static void test_args(void)
{
    struct pa_file_facts *f = ex("f(1, \"a\" + x, x + f\"{y}\", str(z), '-'.join(l), xs[:], [1, 2, 3],\n"
                                 "  k=g(), cb=lambda r: r.id, *rest, **kw)\n"
                                 "async def a():\n"
                                 "    h(await i(), j(k()))\n");
    int i = call_by(f, "f");
    CHECK(i >= 0);
    if (i < 0) return;
    const struct pa_call *c = &f->calls.v[i];
    CHECK_INT(c->nargs, 11);
    if (c->nargs == 11) {
        CHECK_INT(c->args[0].kind, PA_EXPR_NUM);
        CHECK(c->args[0].kw == NULL);
        CHECK_INT(c->args[1].kind, PA_EXPR_BINOP);
        CHECK(c->args[1].flags & PA_XF_STR_CONCAT);
        CHECK(c->args[2].flags & PA_XF_STR_CONCAT);
        CHECK(c->args[3].flags & PA_XF_STR_CALL);
        CHECK(c->args[4].flags & PA_XF_STR_CALL);
        CHECK_INT(c->args[5].kind, PA_EXPR_SUBSCRIPT);
        CHECK(c->args[5].flags & PA_XF_SLICE_ALL);
        CHECK_INT(c->args[6].kind, PA_EXPR_LIST);
        CHECK(c->args[6].flags & PA_XF_LITERAL);
        CHECK_INT(c->args[6].nelems, 3);
        CHECK_STR(c->args[7].kw, "k");
        CHECK_INT(c->args[7].kind, PA_EXPR_CALL);
        CHECK_INT(c->args[7].call, call_by(f, "g"));
        CHECK_INT(f->calls.v[call_by(f, "g")].parent_call, i);
        CHECK_STR(c->args[8].kw, "cb");
        CHECK_INT(c->args[8].kind, PA_EXPR_LAMBDA);
        CHECK(c->args[8].func >= 0);
        if (c->args[8].func >= 0) CHECK(f->funcs.v[c->args[8].func].is_lambda);
        CHECK_STR(c->args[9].kw, "*");
        CHECK_STR(c->args[9].text, "rest");
        CHECK_STR(c->args[10].kw, "**");
    }
    int h = call_by(f, "h"), ii = call_by(f, "i"), j = call_by(f, "j"), k = call_by(f, "k");
    CHECK(h >= 0 && ii >= 0 && j >= 0 && k >= 0);
    if (h >= 0 && ii >= 0 && j >= 0 && k >= 0) {
        CHECK_INT(f->calls.v[h].args[0].kind, PA_EXPR_AWAIT);
        CHECK_INT(f->calls.v[h].args[0].call, ii);
        CHECK_INT(f->calls.v[h].args[1].call, j);
        CHECK(f->calls.v[ii].flags & PA_CALL_AWAITED);
        CHECK(!(f->calls.v[h].flags & PA_CALL_AWAITED));
        CHECK_INT(f->calls.v[ii].parent_call, h);
        CHECK_INT(f->calls.v[k].parent_call, j);
        CHECK_INT(f->calls.v[h].parent_call, -1);
    }
    pa_file_facts_free(f);
}

static void test_loops(void)
{
    struct pa_file_facts *f = ex("async def run(session, ids):\n"
                                 "    for o in session.query(O).all():\n"
                                 "        print(o.customer.name)\n"
                                 "        o.items.append(1)\n"
                                 "        total = other.name\n"
                                 "    async for m in stream():\n"
                                 "        pass\n"
                                 "    while cond():\n"
                                 "        step()\n"
                                 "    for i, row in enumerate([1, 2]):\n"
                                 "        pass\n"
                                 "    xs = [load(u) for u in ids if u.active]\n"
                                 "    s = {v for v in ids}\n"
                                 "    d = {a: b for a, b in pairs}\n"
                                 "    g = sum(u.n for u in ids)\n");
    CHECK_INT(f->loops.n, 8);
    if (f->loops.n == 8) {
        const struct pa_loop *l = f->loops.v;
        CHECK_INT(l[0].kind, PA_LOOP_FOR);
        CHECK_STR(l[0].target, "o");
        CHECK_STR(l[0].iter, "session.query(O).all()");
        CHECK_INT(l[0].iter_kind, PA_EXPR_CALL);
        CHECK_INT(l[0].iter_call, call_by(f, "session.query().all"));
        CHECK_INT(l[0].func, 0);
        CHECK_INT(l[0].parent, -1);
        CHECK_INT(l[0].line, 2);
        CHECK_INT(l[1].kind, PA_LOOP_ASYNC_FOR);
        CHECK_INT(l[1].iter_call, call_by(f, "stream"));
        CHECK_INT(l[2].kind, PA_LOOP_WHILE);
        CHECK(l[2].target == NULL);
        CHECK_STR(l[2].iter, "cond()");
        CHECK_STR(l[3].target, "i, row");
        CHECK_INT(l[4].kind, PA_LOOP_LISTCOMP);
        CHECK_STR(l[4].target, "u");
        CHECK_INT(l[4].iter_kind, PA_EXPR_NAME);
        CHECK_INT(l[5].kind, PA_LOOP_SETCOMP);
        CHECK_INT(l[6].kind, PA_LOOP_DICTCOMP);
        CHECK_INT(l[7].kind, PA_LOOP_GENEXP);
    }
    int q = call_by(f, "session.query().all");
    if (q >= 0) CHECK_INT(f->calls.v[q].loop, -1);  /* the iterable is evaluated once */
    int pr = call_by(f, "print");
    if (pr >= 0) CHECK_INT(f->calls.v[pr].loop, 0);
    int st = call_by(f, "stream");
    if (st >= 0) CHECK(f->calls.v[st].flags & PA_CALL_ASYNC_ITER);
    int cd = call_by(f, "cond"), sp = call_by(f, "step");
    if (cd >= 0 && sp >= 0) { CHECK_INT(f->calls.v[cd].loop, 2); CHECK_INT(f->calls.v[sp].loop, 2); }
    int ld = call_by(f, "load");
    CHECK(ld >= 0);
    if (ld >= 0) {
        CHECK(f->calls.v[ld].flags & PA_CALL_IN_COMP);
        CHECK_INT(f->calls.v[ld].loop, 4);
        CHECK_INT(f->calls.v[ld].func, 0);  /* comprehensions are not functions */
    }
    CHECK_INT(f->funcs.n, 1);
    int en = call_by(f, "enumerate");
    if (en >= 0) CHECK(!(f->calls.v[en].flags & PA_CALL_IN_COMP));
    /* attribute uses */
    int found_cn = 0, found_items = 0, found_other = 0, found_active = 0, found_gen = 0;
    for (size_t i = 0; i < f->attr_uses.n; i++) {
        const struct pa_attr_use *a = &f->attr_uses.v[i];
        if (!strcmp(a->name, "o") && !strcmp(a->chain, "customer.name")) { found_cn++; CHECK_INT(a->loop, 0); }
        if (!strcmp(a->name, "o") && !strcmp(a->chain, "items")) found_items++;
        if (!strcmp(a->name, "other")) found_other++;
        if (!strcmp(a->name, "u") && !strcmp(a->chain, "active")) { found_active++; CHECK_INT(a->loop, 4); }
        if (!strcmp(a->name, "u") && !strcmp(a->chain, "n")) found_gen++;
        CHECK(strcmp(a->chain, "customer") != 0);
    }
    CHECK_INT(found_cn, 1);
    CHECK_INT(found_items, 1);
    CHECK_INT(found_other, 0);
    CHECK_INT(found_active, 1);
    CHECK_INT(found_gen, 1);
    pa_file_facts_free(f);

    f = ex("def f(xs):\n    for a in xs:\n        for b in a.children:\n            b.x\n            a.y\n");
    CHECK_INT(f->loops.n, 2);
    if (f->loops.n == 2) CHECK_INT(f->loops.v[1].parent, 0);
    int ab = 0, by = 0, ay = 0;
    for (size_t i = 0; i < f->attr_uses.n; i++) {
        const struct pa_attr_use *a = &f->attr_uses.v[i];
        if (!strcmp(a->name, "a") && !strcmp(a->chain, "children")) { ab++; CHECK_INT(a->loop, 0); }
        if (!strcmp(a->name, "b") && !strcmp(a->chain, "x")) { by++; CHECK_INT(a->loop, 1); }
        if (!strcmp(a->name, "a") && !strcmp(a->chain, "y")) { ay++; CHECK_INT(a->loop, 0); }
    }
    CHECK_INT(ab, 1);
    CHECK_INT(by, 1);
    CHECK_INT(ay, 1);
    pa_file_facts_free(f);
}

static void test_with_try(void)
{
    struct pa_file_facts *f = ex("async def f(pool):\n"
                                 "    async with pool.acquire() as conn, lock:\n"
                                 "        await conn.execute(q)\n"
                                 "    with open(p) as fh:\n"
                                 "        for line in fh:\n"
                                 "            try:\n"
                                 "                parse(line)\n"
                                 "            except (ValueError, KeyError) as e:\n"
                                 "                log(e)\n"
                                 "                continue\n"
                                 "            except Exception:\n"
                                 "                raise\n"
                                 "            except:\n"
                                 "                pass\n"
                                 "            else:\n"
                                 "                ok()\n"
                                 "            finally:\n"
                                 "                done()\n"
                                 "def g():\n"
                                 "    try:\n"
                                 "        a()\n"
                                 "    except E:\n"
                                 "        def inner():\n"
                                 "            raise X\n"
                                 "        return 1\n");
    CHECK_INT(f->withs.n, 2);
    if (f->withs.n == 2) {
        const struct pa_with *w = &f->withs.v[0];
        CHECK(w->is_async);
        CHECK_INT(w->nitems, 2);
        if (w->nitems == 2) {
            CHECK_STR(w->items[0].expr, "pool.acquire()");
            CHECK_STR(w->items[0].as, "conn");
            CHECK_INT(w->items[0].call, call_by(f, "pool.acquire"));
            CHECK_STR(w->items[1].expr, "lock");
            CHECK(w->items[1].as == NULL);
            CHECK_INT(w->items[1].call, -1);
        }
        CHECK(!f->withs.v[1].is_async);
        CHECK_INT(f->withs.v[1].items[0].call, call_by(f, "open"));
    }
    int acq = call_by(f, "pool.acquire");
    if (acq >= 0) {
        CHECK(f->calls.v[acq].flags & PA_CALL_ASYNC_ITER);
        CHECK_INT(f->calls.v[acq].with, -1);
    }
    int exe = call_by(f, "conn.execute");
    if (exe >= 0) CHECK_INT(f->calls.v[exe].with, 0);
    CHECK_INT(f->tries.n, 2);
    if (f->tries.n == 2) {
        const struct pa_try *t = &f->tries.v[0];
        CHECK_INT(t->nhandlers, 3);
        CHECK_INT(t->loop, 0);
        CHECK_INT(t->line, 6);
        CHECK_INT(t->body_end_line, 7);
        CHECK_INT(t->finally_line, 17);
        CHECK_INT(t->finally_end_line, 18);
        if (t->nhandlers == 3) {
            CHECK_STR(t->handlers[0].types, "(ValueError, KeyError)");
            CHECK_STR(t->handlers[0].name, "e");
            CHECK(t->handlers[0].has_continue);
            CHECK(!t->handlers[0].reraises);
            CHECK_STR(t->handlers[1].types, "Exception");
            CHECK(t->handlers[1].reraises);
            CHECK(t->handlers[2].types == NULL);
            CHECK(t->handlers[2].has_pass_only);
            CHECK(!t->handlers[1].has_pass_only);
        }
        const struct pa_try *t2 = &f->tries.v[1];
        if (t2->nhandlers == 1) {
            CHECK(!t2->handlers[0].reraises);  /* the raise is in a nested def */
            CHECK(t2->handlers[0].has_return);
        }
    }
    int pa = call_by(f, "parse"), lg = call_by(f, "log"), ok = call_by(f, "ok"), dn = call_by(f, "done");
    CHECK(pa >= 0 && lg >= 0 && ok >= 0 && dn >= 0);
    if (pa >= 0 && lg >= 0 && ok >= 0 && dn >= 0) {
        CHECK_INT(f->calls.v[pa].try_, 0);
        CHECK_INT(f->calls.v[pa].try_part, PA_TRY_BODY);
        CHECK_INT(f->calls.v[pa].handler, -1);
        CHECK_INT(f->calls.v[pa].loop, 0);
        CHECK_INT(f->calls.v[pa].with, 1);
        CHECK_INT(f->calls.v[lg].try_part, PA_TRY_HANDLER);
        CHECK_INT(f->calls.v[lg].handler, 0);
        CHECK_INT(f->calls.v[ok].try_part, PA_TRY_ELSE);
        CHECK_INT(f->calls.v[dn].try_part, PA_TRY_FINALLY);
        CHECK_INT(f->calls.v[dn].try_, 0);
    }
    if (f->loops.n >= 1) CHECK_INT(f->loops.v[0].with, 1);
    pa_file_facts_free(f);
}

static void test_assigns(void)
{
    struct pa_file_facts *f = ex("def f(items, x):\n"
                                 "    s = \"a\" + x\n"
                                 "    t = x + f\"{x}\"\n"
                                 "    s += 'x'\n"
                                 "    a = b = g()\n"
                                 "    c, d = h()\n"
                                 "    self.repo = Repo()\n"
                                 "    e: int = 5\n"
                                 "    n: str\n"
                                 "    r = await_it = None\n"
                                 "    if (m := k()):\n"
                                 "        pass\n"
                                 "    z = {'a': 1}\n");
    int i = assign_by(f, "s");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_STR(f->assigns.v[i].op, "=");
        CHECK_INT(f->assigns.v[i].value_kind, PA_EXPR_BINOP);
        CHECK(f->assigns.v[i].value_flags & PA_XF_STR_CONCAT);
        CHECK_INT(f->assigns.v[i].func, 0);
        CHECK_INT(f->assigns.v[i].target_kind, PA_EXPR_NAME);
        CHECK_INT(f->assigns.v[i].line, 2);
    }
    i = assign_by(f, "t");
    if (i >= 0) CHECK(f->assigns.v[i].value_flags & PA_XF_STR_CONCAT);
    int aug = -1;
    for (size_t k = 0; k < f->assigns.n; k++)
        if (!strcmp(f->assigns.v[k].op, "+=")) aug = (int)k;
    CHECK(aug >= 0);
    if (aug >= 0) {
        CHECK_STR(f->assigns.v[aug].target, "s");
        CHECK_INT(f->assigns.v[aug].value_kind, PA_EXPR_STR);
    }
    int a = assign_by(f, "a"), b = assign_by(f, "b"), g = call_by(f, "g");
    CHECK(a >= 0 && b >= 0 && g >= 0);
    if (a >= 0 && b >= 0) {
        CHECK_INT(f->assigns.v[a].value_call, g);
        CHECK_INT(f->assigns.v[b].value_call, g);
        CHECK_STR(f->assigns.v[b].value, "g()");
    }
    i = assign_by(f, "c, d");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_INT(f->assigns.v[i].target_kind, PA_EXPR_TUPLE);
        CHECK_INT(f->assigns.v[i].value_call, call_by(f, "h"));
    }
    i = assign_by(f, "self.repo");
    CHECK(i >= 0);
    if (i >= 0) CHECK_INT(f->assigns.v[i].target_kind, PA_EXPR_ATTR);
    i = assign_by(f, "e");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_STR(f->assigns.v[i].annotation, "int");
        CHECK_INT(f->assigns.v[i].value_kind, PA_EXPR_NUM);
    }
    i = assign_by(f, "n");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_STR(f->assigns.v[i].op, ":");
        CHECK(f->assigns.v[i].value == NULL);
        CHECK_INT(f->assigns.v[i].value_kind, PA_EXPR_OTHER);
    }
    i = assign_by(f, "r");
    if (i >= 0) CHECK_INT(f->assigns.v[i].value_kind, PA_EXPR_NONE);
    i = assign_by(f, "m");
    CHECK(i >= 0);
    if (i >= 0) {
        CHECK_STR(f->assigns.v[i].op, ":=");
        CHECK_INT(f->assigns.v[i].value_call, call_by(f, "k"));
    }
    i = assign_by(f, "z");
    if (i >= 0) {
        CHECK_INT(f->assigns.v[i].value_kind, PA_EXPR_DICT);
        CHECK(f->assigns.v[i].value_flags & PA_XF_LITERAL);
        CHECK_INT(f->assigns.v[i].value_nelems, 1);
    }
    pa_file_facts_free(f);
}

static void test_name_uses(void)
{
    struct pa_file_facts *f = ex("def f(xs):\n"
                                 "    items = list(xs)\n"
                                 "    other = xs\n"
                                 "    items.append(1)\n"
                                 "    for x in items:\n"
                                 "        print(x, items)\n"
                                 "    other.append(2)\n"
                                 "    items[0] = 3\n"
                                 "    items += [4]\n"
                                 "    self.keep = items\n"
                                 "    cb = lambda: items\n"
                                 "    return items\n"
                                 "def g():\n"
                                 "    items = 1\n"
                                 "    return items\n");
    CHECK_INT(count_uses(f, "other", -1), 0);
    CHECK_INT(count_uses(f, "items", PA_USE_STORE), 1);
    CHECK_INT(count_uses(f, "items", PA_USE_METHOD), 1);
    CHECK_INT(count_uses(f, "items", PA_USE_LOAD), 1);
    CHECK_INT(count_uses(f, "items", PA_USE_ARG), 1);
    CHECK_INT(count_uses(f, "items", PA_USE_ITEM_STORE), 1);
    CHECK_INT(count_uses(f, "items", PA_USE_AUGSTORE), 1);
    CHECK_INT(count_uses(f, "items", PA_USE_ESCAPE), 2);  /* self.keep = items; captured by the lambda */
    CHECK_INT(count_uses(f, "items", PA_USE_RETURN), 1);
    for (size_t i = 0; i < f->name_uses.n; i++) {
        const struct pa_name_use *u = &f->name_uses.v[i];
        CHECK_INT(u->func, 0);  /* nothing from g(): its `items` is not a copy */
        if (u->kind == PA_USE_METHOD) CHECK_STR(u->detail, "append");
        if (u->kind == PA_USE_ARG) {
            CHECK_STR(u->detail, "print");
            CHECK_INT(u->loop, 0);
        }
        if (i > 0) CHECK(u->line >= f->name_uses.v[i - 1].line);
    }
    pa_file_facts_free(f);

    f = ex("def outer():\n    items = []\n    def inner(x=items):\n        return x\n    return inner\n");
    CHECK_INT(count_uses(f, "items", PA_USE_LOAD), 1);  /* the default is read by outer(), not captured */
    CHECK_INT(count_uses(f, "items", PA_USE_ESCAPE), 0);
    pa_file_facts_free(f);

    f = ex("def h(rows):\n    data = rows[:]\n    n = len(data)\n    copy2 = rows.copy()\n    return n\n");
    CHECK_INT(count_uses(f, "data", PA_USE_STORE), 1);
    CHECK_INT(count_uses(f, "data", PA_USE_ARG), 1);
    CHECK_INT(count_uses(f, "copy2", PA_USE_STORE), 1);
    CHECK_INT(count_uses(f, "n", -1), 0);
    pa_file_facts_free(f);
}

static void test_funcs(void)
{
    struct pa_file_facts *f = ex("@router.get(\"/x\")\n"
                                 "async def handler(a, b: int = 1, *args, session: Session = Depends(get_session), "
                                 "**kw) -> dict:\n"
                                 "    def inner(x, *, y):\n"
                                 "        yield x\n"
                                 "    return {}\n"
                                 "class Repo(Base):\n"
                                 "    @staticmethod\n"
                                 "    def make(cls):\n"
                                 "        pass\n"
                                 "    class Inner:\n"
                                 "        def m(self):\n"
                                 "            f = lambda q: q.run()\n"
                                 "            return f\n");
    int h = func_by(f, "handler");
    CHECK(h >= 0);
    if (h >= 0) {
        const struct pa_func *fn = &f->funcs.v[h];
        CHECK(fn->is_async);
        CHECK(!fn->is_lambda);
        CHECK_INT(fn->ndecorators, 1);
        if (fn->ndecorators) CHECK_STR(fn->decorators[0], "router.get(\"/x\")");
        CHECK_INT(fn->nparams, 5);
        if (fn->nparams == 5) {
            CHECK_STR(fn->params[0].name, "a");
            CHECK_INT(fn->params[0].kind, 0);
            CHECK_STR(fn->params[1].annotation, "int");
            CHECK_STR(fn->params[1].default_, "1");
            CHECK_STR(fn->params[2].name, "args");
            CHECK_INT(fn->params[2].kind, 1);
            CHECK_STR(fn->params[3].name, "session");
            CHECK_STR(fn->params[3].annotation, "Session");
            CHECK_STR(fn->params[3].default_, "Depends(get_session)");
            CHECK_INT(fn->params[3].kind, 3);
            CHECK_STR(fn->params[4].name, "kw");
            CHECK_INT(fn->params[4].kind, 2);
        }
        CHECK_STR(fn->returns, "dict");
        CHECK_INT(fn->line, 2);
        CHECK_INT(fn->body_line, 3);
        CHECK_INT(fn->nstmts, 1);  /* nested def excluded */
        CHECK_INT(fn->parent, -1);
    }
    int dec = call_by(f, "router.get");
    CHECK(dec >= 0);
    if (dec >= 0) {
        CHECK(f->calls.v[dec].flags & PA_CALL_DECORATOR);
        CHECK_INT(f->calls.v[dec].func, -1);
    }
    int dep = call_by(f, "Depends");
    if (dep >= 0) CHECK_INT(f->calls.v[dep].func, -1);  /* defaults run in the enclosing scope */
    int in = func_by(f, "handler.<locals>.inner");
    CHECK(in >= 0);
    if (in >= 0) {
        CHECK(f->funcs.v[in].is_generator);
        CHECK_INT(f->funcs.v[in].parent, h);
        CHECK_INT(f->funcs.v[in].nparams, 2);
        if (f->funcs.v[in].nparams == 2) CHECK_INT(f->funcs.v[in].params[1].kind, 3);
    }
    int mk = func_by(f, "Repo.make");
    CHECK(mk >= 0);
    if (mk >= 0) {
        CHECK_INT(f->funcs.v[mk].cls, 0);
        CHECK_STR(f->funcs.v[mk].decorators[0], "staticmethod");
    }
    int m = func_by(f, "Repo.Inner.m");
    CHECK(m >= 0);
    if (m >= 0) CHECK_INT(f->funcs.v[m].cls, 1);
    int lam = func_by(f, "<lambda>@12");
    CHECK(lam >= 0);
    if (lam >= 0) {
        CHECK(f->funcs.v[lam].is_lambda);
        CHECK_STR(f->funcs.v[lam].name, "<lambda>");
        CHECK_INT(f->funcs.v[lam].parent, m);
        CHECK_INT(f->funcs.v[lam].nparams, 1);
    }
    int run = call_by(f, "q.run");
    if (run >= 0 && lam >= 0) {
        CHECK_INT(f->calls.v[run].func, lam);
        CHECK(f->calls.v[run].flags & PA_CALL_IN_LAMBDA);
    }
    CHECK_INT(f->classes.n, 2);
    if (f->classes.n == 2) {
        CHECK_STR(f->classes.v[1].qualname, "Repo.Inner");
        CHECK_INT(f->classes.v[1].parent, 0);
    }
    CHECK_INT(f->returns.n, 2);
    if (f->returns.n == 2) {
        CHECK_INT(f->returns.v[0].func, h);
        CHECK_INT(f->returns.v[0].value_kind, PA_EXPR_DICT);
    }
    pa_file_facts_free(f);

    f = ex("def a():\n    return b()\ndef c():\n    return\n");
    CHECK_INT(f->returns.n, 2);
    if (f->returns.n == 2) {
        CHECK_INT(f->returns.v[0].value_call, 0);
        CHECK(f->calls.v[0].flags & PA_CALL_IN_RETURN);
        CHECK_INT(f->returns.v[1].value_kind, PA_EXPR_NONE);
        CHECK(f->returns.v[1].value == NULL);
    }
    CHECK_INT(f->calls.v[0].stmt, 0);
    pa_file_facts_free(f);
}

static void test_classes(void)
{
    struct pa_file_facts *f = ex("@dataclass\n"
                                 "class Hero(SQLModel, table=True):\n"
                                 "    __tablename__ = \"heroes\"\n"
                                 "    id: Mapped[int] = mapped_column(primary_key=True)\n"
                                 "    name: str\n"
                                 "    def save(self):\n"
                                 "        self.x = 1\n");
    CHECK_INT(f->classes.n, 1);
    if (f->classes.n == 1) {
        const struct pa_class *c = &f->classes.v[0];
        CHECK_STR(c->name, "Hero");
        CHECK_STR(c->qualname, "Hero");
        CHECK_INT(c->nbases, 2);
        if (c->nbases == 2) {
            CHECK_STR(c->bases[0], "SQLModel");
            CHECK_STR(c->bases[1], "table=True");
        }
        CHECK_INT(c->ndecorators, 1);
        CHECK_INT(c->line, 2);
        CHECK_INT(c->end_line, 7);
        CHECK_INT(c->nattrs, 3);
        if (c->nattrs == 3) {
            CHECK_STR(c->attrs[0].name, "__tablename__");
            CHECK_STR(c->attrs[0].value, "\"heroes\"");
            CHECK_STR(c->attrs[1].name, "id");
            CHECK_STR(c->attrs[1].annotation, "Mapped[int]");
            CHECK_INT(c->attrs[1].value_call, call_by(f, "mapped_column"));
            CHECK_INT(c->attrs[1].line, 4);
            CHECK_STR(c->attrs[2].name, "name");
            CHECK(c->attrs[2].value == NULL);
            CHECK_INT(c->attrs[2].value_call, -1);
        }
    }
    int mc = call_by(f, "mapped_column");
    if (mc >= 0) {
        CHECK_INT(f->calls.v[mc].cls, 0);
        CHECK_INT(f->calls.v[mc].func, -1);
    }
    int i = assign_by(f, "self.x");
    if (i >= 0) {
        CHECK_INT(f->assigns.v[i].cls, -1);
        CHECK_INT(f->assigns.v[i].func, 0);
    }
    pa_file_facts_free(f);
}

static void test_imports(void)
{
    struct pa_file_facts *f = ex("import os\n"
                                 "import a.b.c\n"
                                 "import numpy as np\n"
                                 "from x.y import z, w as v\n"
                                 "from . import sib\n"
                                 "from ..pkg.mod import thing\n"
                                 "from m import *\n"
                                 "try:\n"
                                 "    import ujson as json\n"
                                 "except ImportError:\n"
                                 "    import json\n"
                                 "def f():\n"
                                 "    from requests import get\n");
    CHECK_INT(f->imports.n, 11);
    if (f->imports.n == 11) {
        const struct pa_import *im = f->imports.v;
        CHECK_STR(im[0].module, "os");
        CHECK(im[0].name == NULL);
        CHECK_STR(im[0].alias, "os");
        CHECK_STR(im[1].module, "a.b.c");
        CHECK_STR(im[1].alias, "a");
        CHECK_STR(im[2].alias, "np");
        CHECK_STR(im[3].module, "x.y");
        CHECK_STR(im[3].name, "z");
        CHECK_STR(im[3].alias, "z");
        CHECK_STR(im[4].name, "w");
        CHECK_STR(im[4].alias, "v");
        CHECK_STR(im[5].module, "");
        CHECK_INT(im[5].level, 1);
        CHECK_STR(im[5].name, "sib");
        CHECK_STR(im[6].module, "pkg.mod");
        CHECK_INT(im[6].level, 2);
        CHECK_STR(im[7].name, "*");
        CHECK(!im[7].conditional);
        CHECK(im[8].conditional);
        CHECK_STR(im[8].alias, "json");
        CHECK_STR(im[8].module, "ujson");
        CHECK(im[9].conditional);
        CHECK_INT(im[10].func, 0);
        CHECK_INT(im[10].line, 13);
        CHECK_INT(im[0].func, -1);
    }
    pa_file_facts_free(f);
    f = ex("from __future__ import annotations\nimport a.b as ab, c\n");
    CHECK_INT(f->imports.n, 3);
    if (f->imports.n == 3) {
        CHECK_STR(f->imports.v[0].module, "__future__");
        CHECK_STR(f->imports.v[0].name, "annotations");
        CHECK_STR(f->imports.v[1].module, "a.b");
        CHECK_STR(f->imports.v[1].alias, "ab");
        CHECK_STR(f->imports.v[2].alias, "c");
    }
    pa_file_facts_free(f);
    f = ex("def g():\n    try:\n        import ujson as json\n    except ImportError:\n        import json\n");
    CHECK_INT(f->imports.n, 2);
    if (f->imports.n == 2) {
        CHECK(!f->imports.v[0].conditional);  /* conditional is a module-level notion */
        CHECK_INT(f->imports.v[0].func, 0);
    }
    pa_file_facts_free(f);
}

static void test_suppressions_lines(void)
{
    struct pa_file_facts *f = ex("import time\n"
                                 "time.sleep(1)  # pa-audit: ignore\n"
                                 "# pa-audit: ignore[PA301, PA303] -- startup only\n"
                                 "\n"
                                 "# another comment\n"
                                 "x  =   1\n"
                                 "s = '# pa-audit: ignore'\n"
                                 "x = 1\n");
    CHECK_INT(f->suppressions.n, 2);
    if (f->suppressions.n == 2) {
        CHECK_INT(f->suppressions.v[0].line, 2);
        CHECK_INT(f->suppressions.v[0].applies_to, 2);
        CHECK(f->suppressions.v[0].rules == NULL);
        CHECK(f->suppressions.v[0].reason == NULL);
        CHECK_INT(f->suppressions.v[1].line, 3);
        CHECK_INT(f->suppressions.v[1].applies_to, 6);
        CHECK_STR(f->suppressions.v[1].rules, "PA301,PA303");
        CHECK_STR(f->suppressions.v[1].reason, "startup only");
    }
    CHECK_INT(f->nlines, 8);
    CHECK(f->line_hash != NULL);
    if (f->line_hash && f->nlines == 8) {
        CHECK_INT(f->line_hash[5], f->line_hash[7]);  /* "x  =   1" vs "x = 1" */
        CHECK(f->line_hash[5] != f->line_hash[0]);
        CHECK_INT(f->line_hash[5], (uint32_t)pa_hash_bytes("x = 1", 5));
    }
    CHECK_STR(f->path, "app/mod.py");
    CHECK_STR(f->module, "app.mod");
    CHECK(!f->is_package);
    CHECK_INT(f->nerrors, 0);
    pa_file_facts_free(f);

    /* CRLF line endings hash like LF */
    f = ex("x = 1\r\ny = 2\r\n");
    CHECK_INT(f->nlines, 2);
    if (f->nlines == 2) CHECK_INT(f->line_hash[0], (uint32_t)pa_hash_bytes("x = 1", 5));
    pa_file_facts_free(f);
}

static void test_broken(void)
{
    struct pa_file_facts *f = ex("def ok():\n    requests.get(u)\n\ndef broken(:\n    x = = 2\n\nfoo(\n");
    CHECK(f->nerrors > 0);
    CHECK(call_by(f, "requests.get") >= 0);
    CHECK(func_by(f, "ok") >= 0);
    pa_file_facts_free(f);

    /* 10,000-deep nested brackets */
    size_t depth = 10000;
    char *src = malloc(depth * 2 + 16);
    size_t n = 0;
    memcpy(src, "x = ", 4);
    n = 4;
    for (size_t i = 0; i < depth; i++) src[n++] = '(';
    src[n++] = '1';
    for (size_t i = 0; i < depth; i++) src[n++] = ')';
    src[n++] = '\n';
    const char *reason = NULL;
    pa_status st = pa_extract_file(P, src, n, "deep.py", NULL, &f, &reason);
    CHECK(st == PA_OK || st == PA_ERR_PARSE);
    if (st == PA_OK) {
        CHECK(f->nerrors > 0);  /* the subtree past the depth cap is partial */
        pa_file_facts_free(f);
    }
    /* deep call chains and nested calls */
    n = 0;
    for (size_t i = 0; i < 3000; i++) { memcpy(src + n, "f(", 2); n += 2; }
    for (size_t i = 0; i < 3000; i++) src[n++] = ')';
    src[n++] = '\n';
    st = pa_extract_file(P, src, n, "deep2.py", NULL, &f, &reason);
    CHECK(st == PA_OK || st == PA_ERR_PARSE);
    if (st == PA_OK) pa_file_facts_free(f);
    free(src);

    /* invalid UTF-8, NUL bytes and a BOM */
    static const char bad[] = "\xEF\xBB\xBFimport os\nx = \"\xFF\xFE\"\nf(\x00)\nprint('\xC3')\n";
    st = pa_extract_file(P, bad, sizeof bad - 1, "bad.py", "bad", &f, &reason);
    CHECK(st == PA_OK);
    if (st == PA_OK) {
        CHECK_INT(f->imports.n, 1);
        if (f->imports.n == 1) CHECK_STR(f->imports.v[0].module, "os");
        int a = assign_by(f, "x");
        CHECK(a >= 0);
        if (a >= 0) CHECK(pa_utf8_valid(f->assigns.v[a].value, strlen(f->assigns.v[a].value)));
        CHECK_INT(f->bytes, sizeof bad - 1);
        CHECK_STR(f->module, "bad");
        int pr = call_by(f, "print");
        if (pr >= 0) CHECK_INT(f->calls.v[pr].col, 1);
        pa_file_facts_free(f);
    }
    /* empty file */
    st = pa_extract_file(P, "", 0, "app/__init__.py", NULL, &f, &reason);
    CHECK(st == PA_OK);
    if (st == PA_OK) {
        CHECK_INT(f->nlines, 0);
        CHECK(f->is_package);
        CHECK_STR(f->module, "app");
        pa_file_facts_free(f);
    }
    CHECK(pa_parse_only(P, "x = 1\n", 6, &reason) == PA_OK);
}

static void test_truncation(void)
{
    char src[1024];
    strcpy(src, "f(\"");
    for (int i = 0; i < 400; i++) strcat(src, "\xC3\xA9");  /* é, 2 bytes */
    strcat(src, "\")\n");
    struct pa_file_facts *f = ex(src);
    CHECK_INT(f->calls.n, 1);
    if (f->calls.n == 1 && f->calls.v[0].nargs == 1) {
        const char *t = f->calls.v[0].args[0].text;
        size_t l = strlen(t);
        CHECK(l <= PA_TEXT_MAX);
        CHECK(l >= 3 && strcmp(t + l - 3, "\xE2\x80\xA6") == 0);
        CHECK(pa_utf8_valid(t, l));
    }
    pa_file_facts_free(f);
}

static void test_module_names(void)
{
    char *m;
    m = pa_module_name_for_path("app/api/users.py"); CHECK_STR(m, "app.api.users"); free(m);
    m = pa_module_name_for_path("app/__init__.py"); CHECK_STR(m, "app"); free(m);
    m = pa_module_name_for_path("src/pkg/__init__.py"); CHECK_STR(m, "pkg"); free(m);
    m = pa_module_name_for_path("src/pkg/mod.py"); CHECK_STR(m, "pkg.mod"); free(m);
    m = pa_module_name_for_path("lib/x.py"); CHECK_STR(m, "x"); free(m);
    m = pa_module_name_for_path("main.py"); CHECK_STR(m, "main"); free(m);
    m = pa_module_name_for_path("__init__.py"); CHECK_STR(m, ""); free(m);
}

static void test_more(void)
{
    struct pa_file_facts *f = ex("import asyncio\n"
                                 "if TYPE_CHECKING:\n"
                                 "    from x import Y\n"
                                 "@register\n"
                                 "class M(Base, metaclass=Meta):\n"
                                 "    pass\n"
                                 "async def h(u, rows):\n"
                                 "    r = await asyncio.to_thread(lambda: requests.get(u))\n"
                                 "    s = f\"{fmt(u)}\"\n"
                                 "    pairs = [(a, b) for a in rows for b in a.kids(load())]\n"
                                 "    for i in rows:\n"
                                 "        pass\n"
                                 "    else:\n"
                                 "        after()\n"
                                 "    try:\n"
                                 "        one()\n"
                                 "    except E:\n"
                                 "        try:\n"
                                 "            two()\n"
                                 "        except F:\n"
                                 "            raise\n"
                                 "    return (x.y()).z()\n");
    CHECK_INT(f->imports.n, 2);
    if (f->imports.n == 2) {
        CHECK(!f->imports.v[0].conditional);
        CHECK(f->imports.v[1].conditional);
    }
    CHECK_INT(f->classes.n, 1);
    if (f->classes.n == 1) {
        CHECK_INT(f->classes.v[0].nbases, 2);
        if (f->classes.v[0].nbases == 2) CHECK_STR(f->classes.v[0].bases[1], "metaclass=Meta");
        CHECK_INT(f->classes.v[0].ndecorators, 1);
        if (f->classes.v[0].ndecorators) CHECK_STR(f->classes.v[0].decorators[0], "register");
    }
    int tt = call_by(f, "asyncio.to_thread"), get = call_by(f, "requests.get");
    CHECK(tt >= 0 && get >= 0);
    if (tt >= 0 && get >= 0) {
        CHECK(f->calls.v[tt].flags & PA_CALL_AWAITED);
        CHECK_INT(f->calls.v[get].parent_call, tt);
        int lam = f->calls.v[tt].args[0].func;
        CHECK(lam >= 0);
        CHECK_INT(f->calls.v[get].func, lam);
        CHECK(f->calls.v[get].flags & PA_CALL_IN_LAMBDA);
        CHECK(!(f->calls.v[get].flags & PA_CALL_AWAITED));
        if (lam >= 0) CHECK_INT(f->funcs.v[lam].parent, func_by(f, "h"));
    }
    int r = assign_by(f, "r");
    if (r >= 0) {
        CHECK_INT(f->assigns.v[r].value_kind, PA_EXPR_AWAIT);
        CHECK_INT(f->assigns.v[r].value_call, tt);
    }
    CHECK(call_by(f, "fmt") >= 0);  /* calls inside f-string interpolations */
    int s = assign_by(f, "s");
    if (s >= 0) CHECK_INT(f->assigns.v[s].value_kind, PA_EXPR_FSTRING);
    /* two-clause comprehension: two loops, the second nested in the first */
    int kids = call_by(f, "a.kids"), load = call_by(f, "load");
    CHECK(kids >= 0 && load >= 0);
    int l0 = -1;
    for (size_t i = 0; i < f->loops.n; i++)
        if (f->loops.v[i].kind == PA_LOOP_LISTCOMP && l0 < 0) l0 = (int)i;
    CHECK(l0 >= 0 && (size_t)l0 + 1 < f->loops.n);
    if (l0 >= 0 && (size_t)l0 + 1 < f->loops.n && kids >= 0) {
        CHECK_STR(f->loops.v[l0].target, "a");
        CHECK_STR(f->loops.v[l0 + 1].target, "b");
        CHECK_INT(f->loops.v[l0 + 1].parent, l0);
        CHECK_INT(f->loops.v[l0 + 1].iter_call, kids);
        CHECK_INT(f->calls.v[kids].loop, l0);  /* the inner iterable runs once per outer item */
        CHECK(f->calls.v[kids].flags & PA_CALL_IN_COMP);
        CHECK_INT(f->calls.v[load].parent_call, kids);
    }
    int after = call_by(f, "after");
    if (after >= 0) CHECK_INT(f->calls.v[after].loop, -1);  /* for-else runs once */
    CHECK_INT(f->tries.n, 2);
    if (f->tries.n == 2) {
        CHECK_INT(f->tries.v[1].parent, 0);
        if (f->tries.v[0].nhandlers == 1) CHECK(f->tries.v[0].handlers[0].reraises);  /* propagated from the inner handler */
        int two = call_by(f, "two");
        if (two >= 0) {
            CHECK_INT(f->calls.v[two].try_, 1);
            CHECK_INT(f->calls.v[two].try_part, PA_TRY_BODY);
        }
    }
    int z = call_by(f, "x.y().z"), y = call_by(f, "x.y");
    CHECK(z >= 0 && y >= 0);
    if (z >= 0 && y >= 0) {
        CHECK_INT(f->calls.v[z].recv_call, y);
        CHECK(f->calls.v[z].flags & PA_CALL_IN_RETURN);
        CHECK(f->calls.v[y].flags & PA_CALL_IN_RETURN);
    }
    /* statement ordinals within h(): r=0, s=1, pairs=2, for=3, try=5 (pass is 4) */
    int one = call_by(f, "one");
    if (r >= 0) CHECK_INT(f->assigns.v[r].stmt, 0);
    if (s >= 0) CHECK_INT(f->assigns.v[s].stmt, 1);
    if (one >= 0) CHECK(f->calls.v[one].stmt > f->assigns.v[s].stmt);
    pa_file_facts_free(f);

    /* suppression corner cases */
    f = ex("x = 1  # pa-audit: ignored\n"
           "y = 2  # noqa # pa-audit:ignore[PA301]\n"
           "z = 3\n"
           "# pa-audit: ignore[]\n");
    CHECK_INT(f->suppressions.n, 2);
    if (f->suppressions.n == 2) {
        CHECK_INT(f->suppressions.v[0].line, 2);
        CHECK_STR(f->suppressions.v[0].rules, "PA301");
        CHECK_INT(f->suppressions.v[1].applies_to, 4);  /* nothing follows: its own line */
        CHECK(f->suppressions.v[1].rules == NULL);
    }
    pa_file_facts_free(f);

    /* unterminated string / missing tokens still count as errors */
    f = ex("def f():\n    s = \"\"\"never closed\n    g()\n");
    CHECK(f->nerrors > 0);
    pa_file_facts_free(f);
}

static void test_reuse(void)
{
    /* the parser's scratch is reused: a second file sees none of the first */
    struct pa_file_facts *a = ex("def f():\n    for x in y:\n        x.a\n");
    struct pa_file_facts *b = ex("g()\n");
    CHECK_INT(b->funcs.n, 0);
    CHECK_INT(b->loops.n, 0);
    CHECK_INT(b->attr_uses.n, 0);
    CHECK_INT(b->calls.n, 1);
    CHECK_INT(a->attr_uses.n, 1);
    pa_file_facts_free(a);
    pa_file_facts_free(b);
}

static void test_code_lines(void)
{
    struct pa_file_facts *f = ex("def f():\n\n    # note\n    x = 1\n    y = 2  # trailing\n\n    return x\n");
    CHECK_INT(f->nlines, 7);
    CHECK_INT(pa_facts_code_lines(f, 1, 7), 4);   /* def, x, y, return */
    CHECK_INT(pa_facts_code_lines(f, 2, 3), 0);   /* blank + comment-only */
    CHECK_INT(pa_facts_code_lines(f, 4, 4), 1);
    CHECK_INT(pa_facts_code_lines(f, 5, 99), 2);  /* clamped to nlines */
    CHECK_INT(pa_facts_code_lines(f, 0, 3), 0);   /* invalid range */
    pa_file_facts_free(f);
}

int main(void)
{
    P = pa_py_parser_new();
    test_code_lines();
    test_callees();
    test_args();
    test_loops();
    test_with_try();
    test_assigns();
    test_name_uses();
    test_funcs();
    test_classes();
    test_imports();
    test_suppressions_lines();
    test_broken();
    test_truncation();
    test_module_names();
    test_more();
    test_reuse();
    pa_py_parser_free(P);
    return test_done("test_extract");
}
