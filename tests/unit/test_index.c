/* test_index.c - unit tests for the project-wide semantic index: canonical
 * names, relative imports and re-exports, call resolution (self/cls/super,
 * ClassName.method, constructor-assigned and annotated receivers, FastAPI
 * Depends, library types, the session heuristic, Django), effect
 * propagation with the offload boundary, effect chains, entry kinds and
 * async context. Facts come from real extraction of inline Python.
 *
 * With PA_INDEX_BENCH=<dir> it also times extraction and the index build
 * over every .py file under <dir> (e.g. the Python standard library). */
#define _XOPEN_SOURCE 700  /* nftw */
#include "check.h"

#include "pa/index.h"

#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <sys/resource.h>

/* ---- a small project builder ------------------------------------------------- */

struct proj {
    struct pa_file_facts *files[32];
    size_t n;
    pa_index *ix;
    struct pa_context ctx;
};

static pa_py_parser *g_parser;

static void proj_add(struct proj *p, const char *path, const char *src)
{
    char *mod = pa_module_name_for_path(path);
    struct pa_file_facts *f = NULL;
    const char *reason = NULL;
    pa_status st = pa_extract_file(g_parser, src, strlen(src), path, mod, &f, &reason);
    free(mod);
    if (st != PA_OK || !f) {
        fprintf(stderr, "extract failed for %s: %s\n", path, reason ? reason : "?");
        g_fail++;
        return;
    }
    p->files[p->n++] = f;
}

static int cmp_facts(const void *a, const void *b)
{
    const struct pa_file_facts *x = *(struct pa_file_facts *const *)a, *y = *(struct pa_file_facts *const *)b;
    return strcmp(x->path, y->path);
}

static void proj_build(struct proj *p, bool orm_async)
{
    qsort(p->files, p->n, sizeof p->files[0], cmp_facts);
    memset(&p->ctx, 0, sizeof p->ctx);
    pa_context_init(&p->ctx, ".");
    p->ctx.orm_async = orm_async;
    p->ix = pa_index_build(p->files, p->n, &p->ctx);
}

static void proj_free(struct proj *p)
{
    pa_index_free(p->ix);
    for (size_t i = 0; i < p->n; i++) pa_file_facts_free(p->files[i]);
    pa_context_free(&p->ctx);
    memset(p, 0, sizeof *p);
}

static int32_t file_of(const struct proj *p, const char *path)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->files[i]->path, path) == 0) return (int32_t)i;
    fprintf(stderr, "no file %s\n", path);
    return -1;
}

static pa_fref fn_of(const struct proj *p, const char *path, const char *qualname)
{
    int32_t f = file_of(p, path);
    if (f < 0) return PA_FREF_NONE;
    for (size_t i = 0; i < p->files[f]->funcs.n; i++)
        if (p->files[f]->funcs.v[i].qualname && strcmp(p->files[f]->funcs.v[i].qualname, qualname) == 0)
            return (pa_fref){f, (int32_t)i};
    fprintf(stderr, "no function %s in %s\n", qualname, path);
    return PA_FREF_NONE;
}

/* The nth call (0-based) with this callee text inside function qualname
 * ("" = module level, NULL = anywhere). */
static int32_t call_of(const struct proj *p, const char *path, const char *qualname, const char *callee, int nth)
{
    int32_t f = file_of(p, path);
    if (f < 0) return -1;
    const struct pa_file_facts *ff = p->files[f];
    for (size_t i = 0; i < ff->calls.n; i++) {
        const struct pa_call *c = &ff->calls.v[i];
        if (!c->callee || strcmp(c->callee, callee) != 0) continue;
        if (qualname) {
            /* the innermost named (non-lambda) function holding the call */
            int32_t fn = c->func;
            while (fn >= 0 && ff->funcs.v[fn].is_lambda) fn = ff->funcs.v[fn].parent;
            const char *q = fn >= 0 ? ff->funcs.v[fn].qualname : "";
            if (strcmp(q, qualname) != 0) continue;
        }
        if (nth-- == 0) return (int32_t)i;
    }
    fprintf(stderr, "no call %s in %s:%s\n", callee, path, qualname ? qualname : "*");
    return -1;
}

static struct pa_target target_of(const struct proj *p, const char *path, const char *qual, const char *callee, int nth)
{
    return pa_index_resolve(p->ix, file_of(p, path), call_of(p, path, qual, callee, nth));
}

static bool is_fn(struct pa_target t, const struct proj *p, const char *path, const char *qual)
{
    pa_fref want = fn_of(p, path, qual);
    return t.kind == PA_TARGET_PROJECT && t.fn.file == want.file && t.fn.func == want.func;
}

static const char *target_name(struct pa_target t) { return t.kind == PA_TARGET_LIBRARY ? t.lib->name : NULL; }

static uint32_t ceff(const struct proj *p, const char *path, const char *qual, const char *callee, int nth)
{
    return pa_index_call_effects(p->ix, file_of(p, path), call_of(p, path, qual, callee, nth));
}

static char *canon(const struct proj *p, const char *path, const char *qual, const char *dotted)
{
    int32_t f = file_of(p, path);
    int32_t func = -1;
    if (qual) func = fn_of(p, path, qual).func;
    return pa_index_canonical(p->ix, f, func, dotted);
}

#define CHECK_CANON(p, path, qual, dotted, want)                                                          \
    do {                                                                                                   \
        char *c_ = canon(p, path, qual, dotted);                                                           \
        CHECK_STR(c_, want);                                                                               \
        free(c_);                                                                                          \
    } while (0)

/* ---- canonical names ----------------------------------------------------------- */

static void test_canonical(void)
{
    struct proj p = {0};
    proj_add(&p, "app/canon.py",
             "import requests as r\n"
             "from time import sleep as nap\n"
             "from subprocess import run\n"
             "import os.path\n"
             "import a.b as ab\n"
             "import xml.etree.ElementTree as ET\n"
             "\n"
             "def f():\n"
             "    import json as j\n"
             "    return j.loads('1')\n"
             "\n"
             "def g():\n"
             "    x = 1\n"
             "    return j.loads(x)\n"
             "\n"
             "def h():\n"
             "    def input():\n"
             "        return 1\n"
             "    return input()\n");
    proj_add(&p, "app/shadow.py",
             "def open(path):\n"
             "    return path\n"
             "\n"
             "def use():\n"
             "    return open('x')\n");
    proj_add(&p, "app/cond.py",
             "try:\n"
             "    import ujson as json\n"
             "except ImportError:\n"
             "    import json\n"
             "import sys\n"
             "if sys.platform == 'win32':\n"
             "    import ntpath as path\n"
             "else:\n"
             "    import posixpath as path\n"
             "import pickle as ser\n"
             "import marshal as ser\n");
    proj_build(&p, false);
    const char *c = "app/canon.py";
    CHECK_CANON(&p, "app/cond.py", NULL, "json.loads", "ujson.loads");
    CHECK_CANON(&p, "app/cond.py", NULL, "path.join", "ntpath.join");
    CHECK_CANON(&p, "app/cond.py", NULL, "ser.loads", "marshal.loads");   /* unconditional: last wins */
    CHECK_CANON(&p, c, NULL, "r.get", "requests.get");
    CHECK_CANON(&p, c, NULL, "nap", "time.sleep");
    CHECK_CANON(&p, c, NULL, "run", "subprocess.run");
    CHECK_CANON(&p, c, NULL, "os.path.exists", "os.path.exists");
    CHECK_CANON(&p, c, NULL, "ab.c", "a.b.c");
    CHECK_CANON(&p, c, NULL, "ET.parse", "xml.etree.ElementTree.parse");
    CHECK_CANON(&p, c, NULL, "open", "builtins.open");
    CHECK_CANON(&p, c, NULL, "input", "builtins.input");
    CHECK_CANON(&p, c, NULL, "print", "builtins.print");
    CHECK_CANON(&p, c, NULL, "f", "app.canon.f");
    CHECK_CANON(&p, c, "f", "j.loads", "json.loads");
    /* negatives */
    CHECK_CANON(&p, c, NULL, "requests.get", NULL);   /* only the alias is bound */
    CHECK_CANON(&p, c, NULL, "sleep", NULL);
    CHECK_CANON(&p, c, "g", "j.loads", NULL);         /* function-level import of f is not visible in g */
    CHECK_CANON(&p, c, "g", "x", NULL);               /* a local variable */
    CHECK_CANON(&p, c, "h", "input", "app.canon.h.<locals>.input");
    CHECK_CANON(&p, "app/shadow.py", NULL, "open", "app.shadow.open");
    CHECK_CANON(&p, "app/shadow.py", "use", "open", "app.shadow.open");

    /* resolution follows the canonical names */
    CHECK_STR(target_name(target_of(&p, c, "f", "j.loads", 0)), "json.loads");
    CHECK(target_of(&p, c, "g", "j.loads", 0).kind == PA_TARGET_UNRESOLVED);
    CHECK(is_fn(target_of(&p, c, "h", "input", 0), &p, c, "h.<locals>.input"));
    CHECK(is_fn(target_of(&p, "app/shadow.py", "use", "open", 0), &p, "app/shadow.py", "open"));
    CHECK(!(ceff(&p, "app/shadow.py", "use", "open", 0) & PA_EFF_FILE_IO));
    proj_free(&p);
}

/* ---- the three-module fixture: router → service → util ------------------------------ */

static void add_report_fixture(struct proj *p)
{
    proj_add(p, "app/__init__.py", "from .services.reporting import build_report\n");
    proj_add(p, "app/services/__init__.py", "from . import reporting\n");
    proj_add(p, "app/utils/__init__.py", "");
    proj_add(p, "app/api/__init__.py", "");
    proj_add(p, "app/utils/retry.py",
             "import time\n"
             "\n"
             "def wait_and_retry(fn):\n"
             "    time.sleep(1)\n"
             "    return fn()\n");
    proj_add(p, "app/services/reporting.py",
             "from ..utils import retry\n"
             "from ..utils.retry import wait_and_retry\n"
             "\n"
             "def build_report(report_id):\n"
             "    data = wait_and_retry(lambda: report_id)\n"
             "    return data\n"
             "\n"
             "def build_other():\n"
             "    return retry.wait_and_retry(None)\n"
             "\n"
             "def pure(x):\n"
             "    return x\n");
    proj_add(p, "app/api/reports.py",
             "import asyncio\n"
             "from fastapi import APIRouter\n"
             "from app.services.reporting import build_report\n"
             "from app.services import reporting\n"
             "import app\n"
             "from .. import build_report as reexported\n"
             "\n"
             "router = APIRouter()\n"
             "\n"
             "@router.get('/reports/{report_id}')\n"
             "async def get_report(report_id: int):\n"
             "    return build_report(report_id)\n"
             "\n"
             "@router.get('/offloaded')\n"
             "async def get_report_offloaded(report_id: int):\n"
             "    return await asyncio.to_thread(build_report, report_id)\n"
             "\n"
             "@router.get('/lambda')\n"
             "async def get_report_lambda():\n"
             "    loop = asyncio.get_running_loop()\n"
             "    return await loop.run_in_executor(None, lambda: build_report(1))\n"
             "\n"
             "@router.get('/module')\n"
             "async def get_via_module():\n"
             "    reporting.pure(1)\n"
             "    app.build_report(2)\n"
             "    return reexported(3)\n");
}

static void test_report_chain(void)
{
    struct proj p = {0};
    add_report_fixture(&p);
    proj_build(&p, false);
    const char *api = "app/api/reports.py", *svc = "app/services/reporting.py", *util = "app/utils/retry.py";
    pa_fref handler = fn_of(&p, api, "get_report");
    pa_fref off = fn_of(&p, api, "get_report_offloaded");
    pa_fref lam = fn_of(&p, api, "get_report_lambda");
    pa_fref build = fn_of(&p, svc, "build_report");
    pa_fref retry = fn_of(&p, util, "wait_and_retry");

    /* resolution across modules, relative imports, re-exports */
    CHECK(is_fn(target_of(&p, api, "get_report", "build_report", 0), &p, svc, "build_report"));
    CHECK(is_fn(target_of(&p, svc, "build_report", "wait_and_retry", 0), &p, util, "wait_and_retry"));
    CHECK(is_fn(target_of(&p, svc, "build_other", "retry.wait_and_retry", 0), &p, util, "wait_and_retry"));
    CHECK(is_fn(target_of(&p, api, "get_via_module", "reporting.pure", 0), &p, svc, "pure"));
    CHECK(is_fn(target_of(&p, api, "get_via_module", "app.build_report", 0), &p, svc, "build_report"));
    CHECK(is_fn(target_of(&p, api, "get_via_module", "reexported", 0), &p, svc, "build_report"));
    struct pa_target ts = target_of(&p, util, "wait_and_retry", "time.sleep", 0);
    CHECK(ts.kind == PA_TARGET_LIBRARY);
    CHECK_STR(target_name(ts), "time.sleep");
    CHECK_STR(ts.lib ? ts.lib->advice : NULL, "await asyncio.sleep(...)");
    CHECK_STR(target_of(&p, api, "get_report", "build_report", 0).canonical, "app.services.reporting.build_report");

    /* effects */
    CHECK(pa_index_direct_effects(p.ix, retry) & PA_EFF_SLEEP);
    CHECK(!(pa_index_direct_effects(p.ix, build) & PA_EFF_SLEEP));
    CHECK(pa_index_effects(p.ix, build) & PA_EFF_SLEEP);
    CHECK(pa_index_effects(p.ix, handler) & PA_EFF_SLEEP);
    CHECK(!(pa_index_effects(p.ix, fn_of(&p, svc, "pure")) & PA_EFF_SLEEP));
    CHECK(!(pa_index_effects(p.ix, handler) & PA_EFF_NET_IO));
    /* to_thread stops the SLEEP at the boundary */
    CHECK(!(pa_index_effects(p.ix, off) & PA_EFF_SLEEP));
    CHECK(!(ceff(&p, api, "get_report_offloaded", "asyncio.to_thread", 0) & PA_EFF_SLEEP));
    CHECK(ceff(&p, api, "get_report", "build_report", 0) & PA_EFF_SLEEP);
    /* lambda handed to run_in_executor does not propagate */
    CHECK(!(pa_index_effects(p.ix, lam) & PA_EFF_SLEEP));
    int32_t fapi = file_of(&p, api);
    int32_t in_lambda = call_of(&p, api, "get_report_lambda", "build_report", 0);
    CHECK(pa_index_call_offloaded(p.ix, fapi, in_lambda));
    CHECK(!pa_index_call_offloaded(p.ix, fapi, call_of(&p, api, "get_report", "build_report", 0)));
    CHECK(p.files[fapi]->calls.v[in_lambda].flags & PA_CALL_IN_LAMBDA);
    CHECK(!(pa_index_call_effects(p.ix, fapi, in_lambda) & PA_EFF_SLEEP));
    CHECK_STR(target_name(target_of(&p, api, "get_report_lambda", "loop.run_in_executor", 0)),
              "asyncio.AbstractEventLoop.run_in_executor");

    /* the chain */
    struct pa_chain_step steps[8];
    size_t n = 0;
    const struct pa_libsig *sig =
        pa_index_effect_chain(p.ix, fapi, call_of(&p, api, "get_report", "build_report", 0), PA_EFF_SLEEP, steps, 8, &n);
    CHECK(sig != NULL);
    CHECK_STR(sig ? sig->name : NULL, "time.sleep");
    CHECK_INT(n, 3);
    CHECK_INT(steps[0].fn.file, handler.file);
    CHECK_INT(steps[0].fn.func, handler.func);
    CHECK_INT(steps[1].fn.func, build.func);
    CHECK_INT(steps[1].fn.file, build.file);
    CHECK_INT(steps[2].fn.file, retry.file);
    CHECK_INT(steps[2].call, call_of(&p, util, "wait_and_retry", "time.sleep", 0));
    pa_buf b;
    pa_buf_init(&b);
    pa_findings fs;
    pa_findings_init(&fs);
    struct pa_finding *fd = pa_findings_add(&fs, pa_rule_find("PA303"), PA_SEV_HIGH, api, 12, 12, 12, "x", "y", "S");
    pa_index_describe_chain(p.ix, steps, n, sig, fd, &b);
    CHECK_STR(pa_buf_cstr(&b), " via reporting.build_report \xe2\x86\x92 retry.wait_and_retry \xe2\x86\x92 time.sleep (app/utils/retry.py:4)");
    CHECK_INT(fd->ntrace, 3);
    if (fd->ntrace == 3) {
        CHECK_STR(fd->trace[0].note, "calls build_report()");
        CHECK_STR(fd->trace[0].path, api);
        CHECK_INT(fd->trace[0].line, 12);
        CHECK_STR(fd->trace[2].note, "time.sleep");
        CHECK_INT(fd->trace[2].line, 4);
    }
    pa_findings_free(&fs);
    pa_buf_free(&b);
    /* negatives: no chain through the offloader, none for an absent effect */
    n = 99;
    CHECK(pa_index_effect_chain(p.ix, fapi, call_of(&p, api, "get_report_offloaded", "asyncio.to_thread", 0),
                                PA_EFF_SLEEP, steps, 8, &n) == NULL);
    CHECK_INT(n, 0);
    CHECK(pa_index_effect_chain(p.ix, fapi, call_of(&p, api, "get_report", "build_report", 0), PA_EFF_NET_IO, steps,
                                8, &n) == NULL);
    /* a chain longer than max is not returned */
    CHECK(pa_index_effect_chain(p.ix, fapi, call_of(&p, api, "get_report", "build_report", 0), PA_EFF_SLEEP, steps,
                                2, &n) == NULL);

    /* entry kinds: the handler is REQUEST, and so is what it calls */
    CHECK_INT(pa_index_entry(p.ix, handler), PA_ENTRY_REQUEST);
    CHECK_INT(pa_index_entry(p.ix, build), PA_ENTRY_REQUEST);
    CHECK_INT(pa_index_entry(p.ix, retry), PA_ENTRY_REQUEST);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, svc, "build_other")), PA_ENTRY_NONE);
    /* build_report is also run in a thread (lambda): not only async context */
    pa_fref via = PA_FREF_NONE;
    CHECK(!pa_index_async_context(p.ix, build, &via));
    proj_free(&p);
}

/* ---- classes: self, cls, super, ClassName.method, inheritance across modules -------------- */

static void test_classes(void)
{
    struct proj p = {0};
    proj_add(&p, "app/base.py",
             "import time\n"
             "class BaseRepo:\n"
             "    def save(self):\n"
             "        time.sleep(1)\n"
             "    def ping(self):\n"
             "        return 1\n"
             "\n"
             "class X(Y):\n"
             "    pass\n"
             "class Y(X):\n"
             "    def m(self):\n"
             "        self.nothing()\n");
    proj_add(&p, "app/repo.py",
             "from app.base import BaseRepo\n"
             "\n"
             "class UserRepo(BaseRepo):\n"
             "    def __init__(self, session):\n"
             "        self.session = session\n"
             "    def store(self):\n"
             "        self.save()\n"
             "        self.missing()\n"
             "    @classmethod\n"
             "    def build(cls):\n"
             "        return cls.ping()\n"
             "\n"
             "class Child(UserRepo):\n"
             "    def save(self):\n"
             "        super().save()\n"
             "    def go(self):\n"
             "        UserRepo.store(self)\n"
             "        self.save()\n"
             "\n"
             "class Slow:\n"
             "    def __init__(self):\n"
             "        import time\n"
             "        time.sleep(2)\n"
             "\n"
             "def module_fn():\n"
             "    ping()\n"
             "    Slow()\n"
             "    UserRepo(None)\n");
    proj_build(&p, false);
    const char *r = "app/repo.py", *b = "app/base.py";
    CHECK(is_fn(target_of(&p, r, "UserRepo.store", "self.save", 0), &p, b, "BaseRepo.save"));
    CHECK(target_of(&p, r, "UserRepo.store", "self.missing", 0).kind == PA_TARGET_UNRESOLVED);
    CHECK(is_fn(target_of(&p, r, "UserRepo.build", "cls.ping", 0), &p, b, "BaseRepo.ping"));
    CHECK(is_fn(target_of(&p, r, "Child.save", "super().save", 0), &p, b, "BaseRepo.save"));
    CHECK(is_fn(target_of(&p, r, "Child.go", "UserRepo.store", 0), &p, r, "UserRepo.store"));
    CHECK(is_fn(target_of(&p, r, "Child.go", "self.save", 0), &p, r, "Child.save"));   /* own override first */
    CHECK(target_of(&p, r, "module_fn", "ping", 0).kind == PA_TARGET_UNRESOLVED);      /* never by name alone */
    struct pa_target slow = target_of(&p, r, "module_fn", "Slow", 0);
    CHECK(slow.kind == PA_TARGET_CLASS);
    CHECK_INT(slow.cls_file, file_of(&p, r));
    CHECK(ceff(&p, r, "module_fn", "Slow", 0) & PA_EFF_SLEEP);          /* __init__ effects */
    CHECK(!(ceff(&p, r, "module_fn", "UserRepo", 0) & PA_EFF_SLEEP));
    CHECK(pa_index_effects(p.ix, fn_of(&p, r, "UserRepo.store")) & PA_EFF_SLEEP);
    CHECK(pa_index_effects(p.ix, fn_of(&p, r, "Child.go")) & PA_EFF_SLEEP);
    CHECK(!(pa_index_effects(p.ix, fn_of(&p, r, "UserRepo.build")) & PA_EFF_SLEEP));
    /* a cyclic hierarchy terminates and stays unresolved */
    CHECK(target_of(&p, b, "Y.m", "self.nothing", 0).kind == PA_TARGET_UNRESOLVED);
    int32_t cf = -1, cc = -1;
    CHECK(pa_index_find_class(p.ix, file_of(&p, r), -1, "BaseRepo", &cf, &cc));
    CHECK_INT(cf, file_of(&p, b));
    CHECK(!pa_index_find_class(p.ix, file_of(&p, r), -1, "module_fn", &cf, &cc));
    CHECK(!pa_index_find_class(p.ix, file_of(&p, r), -1, "Nope", &cf, &cc));
    /* BOOTSTRAP for __init__ */
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, r, "UserRepo.__init__")), PA_ENTRY_BOOTSTRAP);
    proj_free(&p);
}

/* ---- receivers: constructor assignments, self attributes, annotations, Depends ---------- */

static void test_receivers(void)
{
    struct proj p = {0};
    proj_add(&p, "app/repo.py",
             "class UserRepo:\n"
             "    def store(self):\n"
             "        return 1\n");
    proj_add(&p, "app/clients.py",
             "import requests\n"
             "class ApiClient:\n"
             "    def fetch(self):\n"
             "        return requests.get('http://x')\n");
    proj_add(&p, "app/svc.py",
             "from typing import Optional, Annotated\n"
             "from fastapi import Depends\n"
             "from app.repo import UserRepo\n"
             "from app.clients import ApiClient\n"
             "\n"
             "client = ApiClient()\n"
             "\n"
             "def get_repo() -> UserRepo:\n"
             "    return UserRepo()\n"
             "\n"
             "def get_untyped():\n"
             "    return UserRepo()\n"
             "\n"
             "def f():\n"
             "    repo = UserRepo()\n"
             "    repo.store()\n"
             "    client.fetch()\n"
             "    other.store()\n"
             "    x = get_untyped()\n"
             "    x.store()\n"
             "    with open('f') as y:\n"
             "        y.read()\n"
             "    y = ApiClient()\n"
             "    y.fetch()\n"
             "\n"
             "class Service:\n"
             "    def __init__(self, injected: UserRepo):\n"
             "        self.repo = UserRepo()\n"
             "        self.inj = injected\n"
             "        self.cache = {}\n"
             "    def run(self):\n"
             "        self.repo.store()\n"
             "        self.inj.store()\n"
             "        self.cache.get(1)\n"
             "    def typed(self, r: UserRepo, o: Optional[UserRepo], u: 'UserRepo | None', n):\n"
             "        r.store()\n"
             "        o.store()\n"
             "        u.store()\n"
             "        n.store()\n"
             "\n"
             "async def endpoint(repo: UserRepo = Depends(get_repo), r2=Depends(get_repo),\n"
             "                   r3: Annotated[UserRepo, Depends()] = None,\n"
             "                   r4: Annotated[object, Depends(get_repo)] = None, r5=Depends(get_untyped)):\n"
             "    repo.store()\n"
             "    r2.store()\n"
             "    r3.store()\n"
             "    r4.store()\n"
             "    r5.store()\n");
    proj_add(&p, "app/dc.py",
             "from dataclasses import dataclass\n"
             "from functools import cached_property\n"
             "from app.repo import UserRepo\n"
             "@dataclass\n"
             "class Holder:\n"
             "    repo: UserRepo\n"
             "    other: int = 0\n"
             "    def go(self):\n"
             "        self.repo.store()\n"
             "        self.other.store()\n"
             "        self.prop.store()\n"
             "        self.cprop.store()\n"
             "        self.plain.store()\n"
             "    @property\n"
             "    def prop(self) -> UserRepo:\n"
             "        return self.repo\n"
             "    @cached_property\n"
             "    def cprop(self) -> UserRepo:\n"
             "        return self.repo\n"
             "    def plain(self) -> UserRepo:\n"
             "        return self.repo\n"
             "    @classmethod\n"
             "    def make(cls):\n"
             "        return cls()\n");
    proj_add(&p, "app/more.py",
             "from app.svc import client\n"
             "def g():\n"
             "    client.fetch()\n");
    proj_build(&p, false);
    const char *s = "app/svc.py", *rp = "app/repo.py", *cl = "app/clients.py";
    CHECK(is_fn(target_of(&p, s, "f", "repo.store", 0), &p, rp, "UserRepo.store"));
    CHECK(is_fn(target_of(&p, s, "f", "client.fetch", 0), &p, cl, "ApiClient.fetch"));
    CHECK(target_of(&p, s, "f", "other.store", 0).kind == PA_TARGET_UNRESOLVED);
    CHECK(target_of(&p, s, "f", "x.store", 0).kind == PA_TARGET_UNRESOLVED);
    CHECK_STR(target_name(target_of(&p, s, "f", "y.read", 0)), "io.IOBase.read");     /* the with binding */
    CHECK(is_fn(target_of(&p, s, "f", "y.fetch", 0), &p, cl, "ApiClient.fetch"));  /* the later rebinding */
    CHECK(is_fn(target_of(&p, s, "Service.run", "self.repo.store", 0), &p, rp, "UserRepo.store"));
    CHECK(is_fn(target_of(&p, s, "Service.run", "self.inj.store", 0), &p, rp, "UserRepo.store"));
    CHECK(target_of(&p, s, "Service.run", "self.cache.get", 0).kind == PA_TARGET_UNRESOLVED);
    CHECK(is_fn(target_of(&p, s, "Service.typed", "r.store", 0), &p, rp, "UserRepo.store"));
    CHECK(is_fn(target_of(&p, s, "Service.typed", "o.store", 0), &p, rp, "UserRepo.store"));
    CHECK(is_fn(target_of(&p, s, "Service.typed", "u.store", 0), &p, rp, "UserRepo.store"));
    CHECK(target_of(&p, s, "Service.typed", "n.store", 0).kind == PA_TARGET_UNRESOLVED);
    CHECK(is_fn(target_of(&p, s, "endpoint", "repo.store", 0), &p, rp, "UserRepo.store"));
    CHECK(is_fn(target_of(&p, s, "endpoint", "r2.store", 0), &p, rp, "UserRepo.store"));
    CHECK(is_fn(target_of(&p, s, "endpoint", "r3.store", 0), &p, rp, "UserRepo.store"));
    CHECK(is_fn(target_of(&p, s, "endpoint", "r4.store", 0), &p, rp, "UserRepo.store"));
    CHECK(target_of(&p, s, "endpoint", "r5.store", 0).kind == PA_TARGET_UNRESOLVED);
    CHECK(is_fn(target_of(&p, "app/more.py", "g", "client.fetch", 0), &p, cl, "ApiClient.fetch"));
    CHECK(target_of(&p, s, "f", "UserRepo", 0).kind == PA_TARGET_CLASS);
    const char *dc = "app/dc.py";
    CHECK(is_fn(target_of(&p, dc, "Holder.go", "self.repo.store", 0), &p, rp, "UserRepo.store"));
    CHECK(target_of(&p, dc, "Holder.go", "self.other.store", 0).kind == PA_TARGET_UNRESOLVED);
    CHECK(is_fn(target_of(&p, dc, "Holder.go", "self.prop.store", 0), &p, rp, "UserRepo.store"));
    CHECK(is_fn(target_of(&p, dc, "Holder.go", "self.cprop.store", 0), &p, rp, "UserRepo.store"));
    CHECK(target_of(&p, dc, "Holder.go", "self.plain.store", 0).kind == PA_TARGET_UNRESOLVED);   /* a method, not a value */
    struct pa_target mk = target_of(&p, dc, "Holder.make", "cls", 0);
    CHECK(mk.kind == PA_TARGET_CLASS && mk.cls_file == file_of(&p, dc));
    /* effects through typed receivers */
    CHECK(pa_index_effects(p.ix, fn_of(&p, s, "f")) & PA_EFF_NET_IO);
    CHECK(pa_index_effects(p.ix, fn_of(&p, "app/more.py", "g")) & PA_EFF_EXTERNAL);
    CHECK(!(pa_index_effects(p.ix, fn_of(&p, s, "Service.run")) & PA_EFF_NET_IO));
    proj_free(&p);
}

/* ---- library types, SQL classification, the session heuristic ----------------------------- */

static void test_library(void)
{
    struct proj p = {0};
    proj_add(&p, "app/io_stuff.py",
             "import httpx, requests, sqlite3, psycopg2, asyncpg, subprocess, json, time, threading\n"
             "from pathlib import Path\n"
             "from sqlalchemy.ext.asyncio import AsyncSession\n"
             "from sqlalchemy.orm import Session\n"
             "from sqlalchemy import update, select, text\n"
             "\n"
             "async def h(session: AsyncSession, s2: Session, conn: asyncpg.Connection):\n"
             "    await session.execute(select(User))\n"
             "    await session.execute(update(User).values(x=1))\n"
             "    s2.execute(text('UPDATE users SET x = 1'))\n"
             "    s2.commit()\n"
             "    await conn.fetch('SELECT 1')\n"
             "    await conn.execute('DELETE FROM t')\n"
             "    with open('f') as fh:\n"
             "        fh.read()\n"
             "    p = Path('x')\n"
             "    p.read_text()\n"
             "    Path('y').write_text('z')\n"
             "    p.with_suffix('.txt').exists()\n"
             "    c = httpx.Client()\n"
             "    c.get('u')\n"
             "    s = requests.Session()\n"
             "    s.post('u')\n"
             "    db = sqlite3.connect('x')\n"
             "    cur = db.cursor()\n"
             "    cur.execute('INSERT INTO t VALUES (1)')\n"
             "    cur.execute('SELECT 1')\n"
             "    pg = psycopg2.connect('')\n"
             "    pg.commit()\n"
             "    ac = httpx.AsyncClient()\n"
             "    await ac.get('u')\n"
             "    subprocess.run(['ls'])\n"
             "    json.loads('1')\n"
             "    input()\n"
             "    stmt = update(User)\n"
             "    await session.execute(stmt)\n"
             "\n"
             "async def heur(db):\n"
             "    await db.execute(select(User))\n"
             "    db.add(x)\n"
             "    db.commit()\n"
             "\n"
             "def heur2(session):\n"
             "    session.query(User).filter(User.id == 1).all()\n"
             "\n"
             "async def http_session(session, url):\n"
             "    async with session.get(url, timeout=3) as resp:\n"
             "        return resp\n"
             "    session.get('http://x')\n"
             "\n"
             "def executors(executor, data):\n"
             "    executor.submit(lambda: time.sleep(1))\n"
             "    threading.Thread(target=lambda: time.sleep(1)).start()\n"
             "\n"
             "def mail_and_tasks(r):\n"
             "    from django.core.mail import send_mail, EmailMessage\n"
             "    send_mail('s', 'b', 'f', ['t'])\n"
             "    m = EmailMessage('s')\n"
             "    m.send()\n"
             "    notify.delay(1)\n"
             "    plain_fn.delay(1)\n"
             "\n"
             "from celery import shared_task\n"
             "@shared_task\n"
             "def notify(x):\n"
             "    return x\n"
             "def plain_fn(x):\n"
             "    return x\n"
             "\n"
             "def notsession(conn2):\n"
             "    conn2.execute('x')\n"
             "\n"
             "class Repo:\n"
             "    def __init__(self, s):\n"
             "        self._session = s\n"
             "    def go(self):\n"
             "        self._session.flush()\n");
    proj_build(&p, false);
    const char *f = "app/io_stuff.py";
    uint32_t e;
    e = ceff(&p, f, "h", "session.execute", 0);
    CHECK((e & PA_EFF_DB_READ) && !(e & PA_EFF_DB_WRITE) && !(e & PA_EFF_SYNC_DB));
    CHECK(target_of(&p, f, "h", "session.execute", 0).lib->flags & PA_LIB_ASYNC_API);
    e = ceff(&p, f, "h", "session.execute", 1);
    CHECK((e & PA_EFF_DB_WRITE) && !(e & PA_EFF_SYNC_DB));
    e = ceff(&p, f, "h", "session.execute", 2);
    CHECK(e & PA_EFF_DB_WRITE);                                   /* stmt = update(...) */
    e = ceff(&p, f, "h", "s2.execute", 0);
    CHECK((e & PA_EFF_DB_WRITE) && (e & PA_EFF_SYNC_DB));
    e = ceff(&p, f, "h", "s2.commit", 0);
    CHECK((e & PA_EFF_COMMIT) && (e & PA_EFF_SYNC_DB));
    e = ceff(&p, f, "h", "conn.fetch", 0);
    CHECK((e & PA_EFF_DB_READ) && !(e & PA_EFF_SYNC_DB));
    e = ceff(&p, f, "h", "conn.execute", 0);
    CHECK((e & PA_EFF_DB_WRITE) && !(e & PA_EFF_DB_READ));
    CHECK(ceff(&p, f, "h", "fh.read", 0) & PA_EFF_FILE_IO);
    CHECK(ceff(&p, f, "h", "open", 0) & PA_EFF_FILE_IO);
    CHECK(ceff(&p, f, "h", "p.read_text", 0) & PA_EFF_FILE_IO);
    CHECK_STR(target_name(target_of(&p, f, "h", "Path().write_text", 0)), "pathlib.Path.write_text");
    CHECK(ceff(&p, f, "h", "p.with_suffix().exists", 0) & PA_EFF_FILE_IO);
    e = ceff(&p, f, "h", "c.get", 0);
    CHECK((e & PA_EFF_NET_IO) && (e & PA_EFF_EXTERNAL));
    CHECK(ceff(&p, f, "h", "s.post", 0) & PA_EFF_NET_IO);
    CHECK_STR(target_of(&p, f, "h", "s.post", 0).lib->advice, "httpx.AsyncClient");
    e = ceff(&p, f, "h", "cur.execute", 0);
    CHECK((e & PA_EFF_DB_WRITE) && (e & PA_EFF_SYNC_DB));
    e = ceff(&p, f, "h", "cur.execute", 1);
    CHECK((e & PA_EFF_DB_READ) && !(e & PA_EFF_DB_WRITE));
    CHECK(ceff(&p, f, "h", "sqlite3.connect", 0) & PA_EFF_SYNC_DB);
    e = ceff(&p, f, "h", "pg.commit", 0);
    CHECK((e & PA_EFF_COMMIT) && (e & PA_EFF_SYNC_DB));
    e = ceff(&p, f, "h", "ac.get", 0);
    CHECK((e & PA_EFF_EXTERNAL) && !(e & PA_EFF_NET_IO));
    CHECK(target_of(&p, f, "h", "ac.get", 0).lib->flags & PA_LIB_ASYNC_API);
    CHECK(ceff(&p, f, "h", "subprocess.run", 0) & PA_EFF_SUBPROCESS);
    CHECK(ceff(&p, f, "h", "json.loads", 0) & PA_EFF_CPU);
    CHECK(ceff(&p, f, "h", "input", 0) & PA_EFF_INPUT);
    /* the session heuristic: awaited → async, unawaited IO → sync */
    e = ceff(&p, f, "heur", "db.execute", 0);
    CHECK((e & PA_EFF_DB_READ) && !(e & PA_EFF_SYNC_DB));
    CHECK(ceff(&p, f, "heur", "db.add", 0) & PA_EFF_DB_WRITE);
    e = ceff(&p, f, "heur", "db.commit", 0);
    CHECK((e & PA_EFF_COMMIT) && (e & PA_EFF_SYNC_DB));
    CHECK(ceff(&p, f, "heur2", "session.query().filter().all", 0) & PA_EFF_DB_READ);
    CHECK(ceff(&p, f, "heur2", "session.query", 0) & PA_EFF_SYNC_DB);
    CHECK(!(ceff(&p, f, "heur2", "session.query().filter", 0) & PA_EFF_DB_READ));
    CHECK(ceff(&p, f, "Repo.go", "self._session.flush", 0) & PA_EFF_DB_WRITE);
    CHECK(target_of(&p, f, "notsession", "conn2.execute", 0).kind == PA_TARGET_UNRESOLVED);
    CHECK(ceff(&p, f, "mail_and_tasks", "send_mail", 0) & PA_EFF_EXTERNAL);
    CHECK(ceff(&p, f, "mail_and_tasks", "m.send", 0) & PA_EFF_NET_IO);
    CHECK(!(ceff(&p, f, "mail_and_tasks", "EmailMessage", 0) & PA_EFF_NET_IO));
    CHECK_STR(target_name(target_of(&p, f, "mail_and_tasks", "notify.delay", 0)), "celery.Task.delay");
    CHECK(target_of(&p, f, "mail_and_tasks", "plain_fn.delay", 0).kind == PA_TARGET_UNRESOLVED);
    CHECK(target_of(&p, f, "http_session", "session.get", 0).kind == PA_TARGET_UNRESOLVED);   /* HTTP, not ORM */
    CHECK(target_of(&p, f, "http_session", "session.get", 1).kind == PA_TARGET_UNRESOLVED);
    CHECK_STR(target_name(target_of(&p, f, "executors", "executor.submit", 0)), "concurrent.futures.Executor.submit");
    CHECK(!(pa_index_effects(p.ix, fn_of(&p, f, "executors")) & PA_EFF_SLEEP));
    CHECK(pa_index_call_offloaded(p.ix, file_of(&p, f), call_of(&p, f, "executors", "time.sleep", 1)));
    /* direct effects of the function collect the library calls */
    uint32_t d = pa_index_direct_effects(p.ix, fn_of(&p, f, "h"));
    CHECK((d & PA_EFF_FILE_IO) && (d & PA_EFF_NET_IO) && (d & PA_EFF_SUBPROCESS) && (d & PA_EFF_CPU) && (d & PA_EFF_INPUT));
    CHECK(!(d & PA_EFF_SLEEP));
    proj_free(&p);

    /* ctx.orm_async decides unawaited non-IO methods: begin() flavour only */
    struct proj q = {0};
    proj_add(&q, "app/a.py", "async def h(session):\n    session.add(x)\n    await session.commit()\n");
    proj_build(&q, true);
    CHECK_STR(target_name(target_of(&q, "app/a.py", "h", "session.add", 0)), "sqlalchemy.ext.asyncio.AsyncSession.add");
    e = ceff(&q, "app/a.py", "h", "session.commit", 0);
    CHECK((e & PA_EFF_COMMIT) && !(e & PA_EFF_SYNC_DB));
    proj_free(&q);

    /* libsig table */
    CHECK(pa_libsig_find("time.sleep") != NULL);
    CHECK(pa_libsig_find("asyncio.to_thread")->flags & PA_LIB_OFFLOAD);
    CHECK(pa_libsig_find("aiofiles.open")->flags & PA_LIB_ASYNC_API);
    CHECK(pa_libsig_find("aiofiles.open")->effects == 0);
    CHECK(pa_libsig_find("asyncio.sleep")->effects == PA_EFF_ASYNC_SLEEP);
    CHECK(pa_libsig_find("requests.get")->effects & PA_EFF_NET_IO);
    CHECK(pa_libsig_find("bcrypt.hashpw")->effects & PA_EFF_CPU);
    CHECK(pa_libsig_find("shutil.rmtree")->effects & PA_EFF_FILE_IO);
    CHECK(pa_libsig_find("time.time") == NULL);
    CHECK(pa_libsig_find("requests.Session.get") != NULL);
    CHECK(pa_libsig_find("no.such.thing") == NULL);
    CHECK(pa_libsig_find(NULL) == NULL);
}

/* ---- Django ---------------------------------------------------------------------------- */

static void test_django(void)
{
    struct proj p = {0};
    proj_add(&p, "shop/models.py",
             "from django.db import models\n"
             "class Order(models.Model):\n"
             "    total = models.IntegerField()\n"
             "    def recalc(self):\n"
             "        return 1\n");
    proj_add(&p, "shop/views.py",
             "from django.views import View\n"
             "from rest_framework.views import APIView\n"
             "from .models import Order\n"
             "def index(request):\n"
             "    Order.objects.filter(x=1).first()\n"
             "    Order.objects.all()\n"
             "    Order.objects.filter(x=1).update(y=2)\n"
             "    o = Order()\n"
             "    o.save()\n"
             "    o.recalc()\n"
             "    return None\n"
             "def helper(x):\n"
             "    return x\n"
             "def registered(req):\n"
             "    return req\n"
             "class OrderView(APIView):\n"
             "    def get(self, request):\n"
             "        return None\n"
             "    def other(self):\n"
             "        return None\n");
    proj_add(&p, "shop/urls.py",
             "from django.urls import path\n"
             "from . import views\n"
             "urlpatterns = [path('r/', views.registered)]\n");
    proj_add(&p, "shop/management/commands/rebuild.py",
             "from django.core.management.base import BaseCommand\n"
             "class Command(BaseCommand):\n"
             "    def handle(self, *args, **options):\n"
             "        return None\n");
    proj_build(&p, false);
    const char *v = "shop/views.py";
    uint32_t e = ceff(&p, v, "index", "Order.objects.all", 0);
    CHECK((e & PA_EFF_DB_READ) && (e & PA_EFF_SYNC_DB));
    CHECK(ceff(&p, v, "index", "Order.objects.filter().first", 0) & PA_EFF_DB_READ);
    e = ceff(&p, v, "index", "Order.objects.filter().update", 0);
    CHECK((e & PA_EFF_DB_WRITE) && !(e & PA_EFF_DB_READ));
    CHECK(ceff(&p, v, "index", "o.save", 0) & PA_EFF_DB_WRITE);
    CHECK(is_fn(target_of(&p, v, "index", "o.recalc", 0), &p, "shop/models.py", "Order.recalc"));
    CHECK(!(ceff(&p, v, "index", "o.recalc", 0) & PA_EFF_DB_WRITE));
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, v, "index")), PA_ENTRY_REQUEST);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, v, "helper")), PA_ENTRY_NONE);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, v, "registered")), PA_ENTRY_REQUEST);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, v, "OrderView.get")), PA_ENTRY_REQUEST);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, v, "OrderView.other")), PA_ENTRY_NONE);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, "shop/management/commands/rebuild.py", "Command.handle")), PA_ENTRY_CLI);
    proj_free(&p);
}

/* ---- entry points ----------------------------------------------------------------------- */

static void test_entries(void)
{
    struct proj p = {0};
    proj_add(&p, "app/main.py",
             "import click\n"
             "from fastapi import FastAPI\n"
             "from flask import Blueprint\n"
             "from celery import shared_task\n"
             "from starlette.routing import Route\n"
             "app = FastAPI()\n"
             "bp = Blueprint('b', __name__)\n"
             "\n"
             "@app.on_event('startup')\n"
             "async def init_things():\n"
             "    warm()\n"
             "\n"
             "@app.post('/x')\n"
             "async def create():\n"
             "    shared()\n"
             "\n"
             "@bp.route('/z')\n"
             "def view_z():\n"
             "    return 1\n"
             "\n"
             "@shared_task\n"
             "def job():\n"
             "    shared()\n"
             "    only_job()\n"
             "\n"
             "@celery_app.task(bind=True)\n"
             "def job2(self):\n"
             "    return 1\n"
             "\n"
             "@click.command()\n"
             "def cmd():\n"
             "    return 1\n"
             "\n"
             "def shared():\n"
             "    return 1\n"
             "def only_job():\n"
             "    return 1\n"
             "def warm():\n"
             "    return 1\n"
             "def plain():\n"
             "    return 1\n"
             "def setup_logging():\n"
             "    return 1\n"
             "async def homepage(request):\n"
             "    return 1\n"
             "routes = [Route('/', endpoint=homepage)]\n"
             "\n"
             "@some.decorator\n"
             "def decorated():\n"
             "    return 1\n"
             "def configure():\n"
             "    return 1\n"
             "configure()\n"
             "def main():\n"
             "    return 1\n"
             "if __name__ == '__main__':\n"
             "    main()\n");
    proj_add(&p, "app/tasks/cleanup.py", "def purge():\n    return 1\n");
    proj_add(&p, "app/v1.py",
             "import functools\n"
             "from fastapi import APIRouter\n"
             "v1 = APIRouter(prefix='/v1')\n"
             "cache = {}\n"
             "@v1.get('/items')\n"
             "async def items():\n"
             "    return 1\n"
             "@cache.get('k')\n"
             "def not_a_route():\n"
             "    return 1\n"
             "@functools.lru_cache()\n"
             "def cached():\n"
             "    return 1\n");
    proj_add(&p, "app/worker.py", "def consume():\n    return 1\n");
    proj_add(&p, "app/arq_settings.py",
             "from arq import cron\n"
             "async def download(ctx):\n"
             "    return 1\n"
             "async def parse(ctx):\n"
             "    return 1\n"
             "async def nightly(ctx):\n"
             "    return 1\n"
             "async def unrelated(ctx):\n"
             "    return 1\n"
             "class WorkerSettings:\n"
             "    functions = [download, parse]\n"
             "    cron_jobs = [cron(nightly, hour=3)]\n");
    proj_build(&p, false);
    const char *m = "app/main.py";
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "init_things")), PA_ENTRY_BOOTSTRAP);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "create")), PA_ENTRY_REQUEST);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "view_z")), PA_ENTRY_REQUEST);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "job")), PA_ENTRY_BACKGROUND);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "job2")), PA_ENTRY_BACKGROUND);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "cmd")), PA_ENTRY_CLI);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "shared")), PA_ENTRY_REQUEST);     /* hottest caller */
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "only_job")), PA_ENTRY_BACKGROUND);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "warm")), PA_ENTRY_BOOTSTRAP);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "plain")), PA_ENTRY_NONE);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "setup_logging")), PA_ENTRY_BOOTSTRAP);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "homepage")), PA_ENTRY_REQUEST);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "decorated")), PA_ENTRY_NONE);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "main")), PA_ENTRY_CLI);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, m, "configure")), PA_ENTRY_BOOTSTRAP);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, "app/tasks/cleanup.py", "purge")), PA_ENTRY_BACKGROUND);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, "app/worker.py", "consume")), PA_ENTRY_BACKGROUND);
    const char *aq = "app/arq_settings.py";
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, aq, "download")), PA_ENTRY_BACKGROUND);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, aq, "parse")), PA_ENTRY_BACKGROUND);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, aq, "nightly")), PA_ENTRY_BACKGROUND);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, aq, "unrelated")), PA_ENTRY_NONE);
    CHECK_INT(pa_index_entry(p.ix, PA_FREF_NONE), PA_ENTRY_NONE);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, "app/v1.py", "items")), PA_ENTRY_REQUEST);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, "app/v1.py", "not_a_route")), PA_ENTRY_NONE);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, "app/v1.py", "cached")), PA_ENTRY_NONE);
    proj_free(&p);
}

/* ---- lambdas, nested defs, offloaders, cycles, async context -------------------------------------- */

static void test_flow(void)
{
    struct proj p = {0};
    proj_add(&p, "app/flow.py",
             "import asyncio, time, functools\n"
             "from asgiref.sync import sync_to_async\n"
             "\n"
             "async def sorted_key(xs):\n"
             "    return sorted(xs, key=lambda x: time.sleep(1))\n"
             "\n"
             "async def exec_lambda():\n"
             "    loop = asyncio.get_event_loop()\n"
             "    await loop.run_in_executor(None, lambda: time.sleep(1))\n"
             "\n"
             "async def nested_off():\n"
             "    def work():\n"
             "        time.sleep(1)\n"
             "    await asyncio.to_thread(work)\n"
             "\n"
             "async def nested_called():\n"
             "    def work():\n"
             "        time.sleep(1)\n"
             "    work()\n"
             "\n"
             "async def nested_map():\n"
             "    def work(x):\n"
             "        time.sleep(1)\n"
             "    return list(map(work, [1]))\n"
             "\n"
             "def blocking():\n"
             "    time.sleep(1)\n"
             "\n"
             "async def s2a():\n"
             "    await sync_to_async(blocking)()\n"
             "\n"
             "async def partial_off():\n"
             "    loop = asyncio.get_running_loop()\n"
             "    await loop.run_in_executor(None, functools.partial(blocking))\n"
             "\n"
             "def a():\n"
             "    b()\n"
             "def b():\n"
             "    a()\n"
             "    time.sleep(1)\n"
             "\n"
             "async def handler():\n"
             "    helper()\n"
             "def helper():\n"
             "    inner()\n"
             "def inner():\n"
             "    return 1\n"
             "def lonely():\n"
             "    return 1\n"
             "async def h2():\n"
             "    mixed()\n"
             "def sync_caller():\n"
             "    mixed()\n"
             "def mixed():\n"
             "    return 1\n"
             "async def rec_handler():\n"
             "    rec(3)\n"
             "def rec(n):\n"
             "    return rec(n - 1)\n");
    proj_add(&p, "app/cyc1.py", "from app import cyc2\ndef ping():\n    cyc2.pong()\n");
    proj_add(&p, "app/cyc2.py", "import subprocess\nfrom app import cyc1\ndef pong():\n    cyc1.ping()\n    subprocess.run('x')\n");
    proj_build(&p, false);
    const char *f = "app/flow.py";
    CHECK(pa_index_effects(p.ix, fn_of(&p, f, "sorted_key")) & PA_EFF_SLEEP);
    CHECK(ceff(&p, f, "sorted_key", "sorted", 0) & PA_EFF_SLEEP);
    CHECK(!(pa_index_effects(p.ix, fn_of(&p, f, "exec_lambda")) & PA_EFF_SLEEP));
    int32_t ff = file_of(&p, f);
    int32_t sl = call_of(&p, f, "exec_lambda", "time.sleep", 0);
    CHECK(pa_index_call_offloaded(p.ix, ff, sl));
    CHECK(!(pa_index_call_effects(p.ix, ff, sl) & PA_EFF_SLEEP));
    CHECK(!pa_index_call_offloaded(p.ix, ff, call_of(&p, f, "sorted_key", "time.sleep", 0)));
    CHECK(!(pa_index_effects(p.ix, fn_of(&p, f, "nested_off")) & PA_EFF_SLEEP));
    CHECK(pa_index_call_offloaded(p.ix, ff, call_of(&p, f, "nested_off.<locals>.work", "time.sleep", 0)));
    CHECK(pa_index_effects(p.ix, fn_of(&p, f, "nested_called")) & PA_EFF_SLEEP);
    CHECK(!pa_index_call_offloaded(p.ix, ff, call_of(&p, f, "nested_called.<locals>.work", "time.sleep", 0)));
    CHECK(pa_index_effects(p.ix, fn_of(&p, f, "nested_map")) & PA_EFF_SLEEP);
    CHECK(!(pa_index_effects(p.ix, fn_of(&p, f, "s2a")) & PA_EFF_SLEEP));
    CHECK(pa_index_call_offloaded(p.ix, ff, call_of(&p, f, "s2a", "sync_to_async()", 0)));
    CHECK(!(pa_index_effects(p.ix, fn_of(&p, f, "partial_off")) & PA_EFF_SLEEP));
    CHECK(pa_index_call_offloaded(p.ix, ff, call_of(&p, f, "partial_off", "functools.partial", 0)));
    CHECK(pa_index_effects(p.ix, fn_of(&p, f, "blocking")) & PA_EFF_SLEEP);
    /* cycles terminate and propagate */
    CHECK(pa_index_effects(p.ix, fn_of(&p, f, "a")) & PA_EFF_SLEEP);
    CHECK(pa_index_effects(p.ix, fn_of(&p, f, "b")) & PA_EFF_SLEEP);
    CHECK(pa_index_effects(p.ix, fn_of(&p, "app/cyc1.py", "ping")) & PA_EFF_SUBPROCESS);
    CHECK(!(pa_index_effects(p.ix, fn_of(&p, "app/cyc1.py", "ping")) & PA_EFF_SLEEP));
    struct pa_chain_step st[8];
    size_t n = 0;
    int32_t c1 = file_of(&p, "app/cyc1.py");
    CHECK(pa_index_effect_chain(p.ix, c1, call_of(&p, "app/cyc1.py", "ping", "cyc2.pong", 0), PA_EFF_SUBPROCESS, st, 8,
                                &n) != NULL);
    CHECK_INT(n, 2);
    /* async context */
    pa_fref via = PA_FREF_NONE;
    CHECK(pa_index_async_context(p.ix, fn_of(&p, f, "helper"), &via));
    CHECK(via.file == ff && via.func == fn_of(&p, f, "handler").func);
    via = PA_FREF_NONE;
    CHECK(pa_index_async_context(p.ix, fn_of(&p, f, "inner"), &via));
    CHECK(via.func == fn_of(&p, f, "handler").func);
    CHECK(!pa_index_async_context(p.ix, fn_of(&p, f, "lonely"), &via));
    CHECK(!pa_index_async_context(p.ix, fn_of(&p, f, "mixed"), &via));
    CHECK(!pa_index_async_context(p.ix, fn_of(&p, f, "handler"), &via));
    CHECK(pa_index_async_context(p.ix, fn_of(&p, f, "rec"), &via));      /* self-recursion ignored */
    CHECK(!pa_index_async_context(p.ix, fn_of(&p, f, "blocking"), &via)); /* only called via sync_to_async */
    /* bad input is data */
    CHECK(pa_index_resolve(p.ix, 99, 0).kind == PA_TARGET_UNRESOLVED);
    CHECK(pa_index_resolve(p.ix, ff, -1).kind == PA_TARGET_UNRESOLVED);
    CHECK(pa_index_call_effects(p.ix, ff, 1 << 30) == 0);
    CHECK(pa_index_effects(p.ix, (pa_fref){ff, 99999}) == 0);
    CHECK(pa_index_canonical(p.ix, -1, -1, "x") == NULL);
    CHECK_INT(pa_index_nfiles(p.ix), 3);
    CHECK(pa_index_file(p.ix, 3) == NULL);
    proj_free(&p);
}

/* ---- degenerate input: empty projects, broken files, odd names --------------------------- */

static void test_degenerate(void)
{
    struct proj p = {0};
    proj_build(&p, false);   /* no files at all */
    CHECK_INT(pa_index_nfiles(p.ix), 0);
    CHECK(pa_index_resolve(p.ix, 0, 0).kind == PA_TARGET_UNRESOLVED);
    CHECK(!pa_index_async_context(p.ix, (pa_fref){0, 0}, NULL));
    proj_free(&p);

    proj_add(&p, "broken.py",
             "import time\n"
             "def f(:\n"
             "    time.sleep(1)\n"
             "class C(C):\n"
             "    def m(self):\n"
             "        self.m()\n"
             "        super().m()\n"
             "x = x.y()\n"
             "def g(a=Depends(g)) -> 'g':\n"
             "    return a.b()\n"
             "from ...... import nothing\n"
             "from . import *\n"
             "nothing.at.all()\n"
             "handlers[0]()\n");
    proj_add(&p, "__init__.py", "from .broken import *\n");
    proj_build(&p, false);
    CHECK_INT(pa_index_nfiles(p.ix), 2);
    int32_t b = file_of(&p, "broken.py");
    CHECK(b >= 0 && p.files[b]->calls.n > 0);
    for (size_t c = 0; b >= 0 && c < p.files[b]->calls.n; c++) {
        struct pa_target t = pa_index_resolve(p.ix, b, (int32_t)c);
        CHECK(t.kind <= PA_TARGET_CLASS);
        (void)pa_index_call_effects(p.ix, b, (int32_t)c);
    }
    CHECK(target_of(&p, "broken.py", NULL, "?", 0).kind == PA_TARGET_UNRESOLVED);   /* handlers[0]() */
    CHECK(target_of(&p, "broken.py", "C.m", "self.m", 0).kind == PA_TARGET_PROJECT);   /* self-base cycle ignored */
    CHECK(target_of(&p, "broken.py", "C.m", "super().m", 0).kind == PA_TARGET_UNRESOLVED);
    proj_free(&p);
}

/* ---- the fixture project under tests/index/reports (read from disk) ------------------------ */

static void proj_add_file(struct proj *p, const char *root, const char *rel)
{
    char *path = pa_path_join(root, rel);
    char *src = NULL;
    size_t len = 0;
    const char *reason = NULL;
    if (pa_file_read(path, 1u << 20, &src, &len, &reason) == PA_OK) proj_add(p, rel, src);
    else { fprintf(stderr, "cannot read %s: %s\n", path, reason); g_fail++; }
    free(src);
    free(path);
}

static void test_fixture_dir(void)
{
    const char *root = PA_TESTS_DIR "/index/reports";
    static const char *const rels[] = {"app/__init__.py", "app/api/__init__.py", "app/api/reports.py",
                                       "app/services/__init__.py", "app/services/reporting.py",
                                       "app/utils/__init__.py", "app/utils/retry.py", NULL};
    struct proj p = {0};
    for (int i = 0; rels[i]; i++) proj_add_file(&p, root, rels[i]);
    proj_build(&p, false);
    const char *api = "app/api/reports.py";
    int32_t fa = file_of(&p, api);
    /* build_report comes through the package re-export in app/services/__init__.py */
    CHECK(is_fn(target_of(&p, api, "get_report", "build_report", 0), &p, "app/services/reporting.py", "build_report"));
    struct pa_chain_step steps[8];
    size_t n = 0;
    const struct pa_libsig *sig =
        pa_index_effect_chain(p.ix, fa, call_of(&p, api, "get_report", "build_report", 0), PA_EFF_SLEEP, steps, 8, &n);
    CHECK_STR(sig ? sig->name : NULL, "time.sleep");
    CHECK_INT(n, 3);
    pa_buf b;
    pa_buf_init(&b);
    pa_index_describe_chain(p.ix, steps, n, sig, NULL, &b);
    CHECK_STR(pa_buf_cstr(&b), " via reporting.build_report \xe2\x86\x92 retry.wait_and_retry \xe2\x86\x92 time.sleep (app/utils/retry.py:9)");
    pa_buf_free(&b);
    CHECK(pa_index_effects(p.ix, fn_of(&p, api, "get_report")) & PA_EFF_SLEEP);
    CHECK(!(pa_index_effects(p.ix, fn_of(&p, api, "get_report_offloaded")) & PA_EFF_SLEEP));
    /* the lambda in build_report is called by wait_and_retry's fn(): not resolvable, and not needed */
    CHECK(!(pa_index_effects(p.ix, fn_of(&p, "app/services/reporting.py", "load_rows")) & PA_EFF_SLEEP));
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, "app/utils/retry.py", "wait_and_retry")), PA_ENTRY_REQUEST);
    proj_free(&p);
}

/* ---- optional timing harness ----------------------------------------------------------------- */

static PA_VEC(char *) g_bench_paths;

static int collect(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (type == FTW_F && pa_str_ends(path, ".py")) pa_vec_push(&g_bench_paths, pa_xstrdup(path));
    return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void bench(const char *dir)
{
    pa_log_set_level(PA_LOG_VERBOSE);
    nftw(dir, collect, 32, FTW_PHYS);
    qsort(g_bench_paths.v, g_bench_paths.n, sizeof(char *), cmp_str);
    struct pa_file_facts **files = pa_xcalloc(g_bench_paths.n + 1, sizeof *files);
    size_t n = 0, ncalls = 0, nfuncs = 0, bytes = 0;
    double t0 = pa_now_seconds();
    size_t rel = strlen(dir) + 1;
    for (size_t i = 0; i < g_bench_paths.n; i++) {
        char *src = NULL;
        size_t len = 0;
        const char *reason = NULL;
        if (pa_file_read(g_bench_paths.v[i], 8u << 20, &src, &len, &reason) != PA_OK) continue;
        const char *relpath = g_bench_paths.v[i] + rel;
        char *mod = pa_module_name_for_path(relpath);
        struct pa_file_facts *f = NULL;
        if (pa_extract_file(g_parser, src, len, relpath, mod, &f, &reason) == PA_OK && f) {
            files[n++] = f;
            ncalls += f->calls.n;
            nfuncs += f->funcs.n;
            bytes += len;
        }
        free(mod);
        free(src);
    }
    double t1 = pa_now_seconds();
    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    struct pa_context ctx;
    memset(&ctx, 0, sizeof ctx);
    pa_context_init(&ctx, dir);
    struct mallinfo2 mi0 = mallinfo2();
    double t2 = pa_now_seconds();
    pa_index *ix = pa_index_build(files, n, &ctx);
    double t3 = pa_now_seconds();
    struct mallinfo2 mi1 = mallinfo2();
    printf("bench: index heap %.1f MiB (facts heap before: %.1f MiB)\n",
           ((double)(mi1.uordblks + mi1.hblkhd) - (double)(mi0.uordblks + mi0.hblkhd)) / 1048576.0,
           (double)(mi0.uordblks + mi0.hblkhd) / 1048576.0);
    getrusage(RUSAGE_SELF, &ru1);
    size_t resolved = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < files[i]->calls.n; c++)
            if (pa_index_resolve(ix, (int32_t)i, (int32_t)c).kind != PA_TARGET_UNRESOLVED) resolved++;
    const char *dump = getenv("PA_INDEX_DUMP");   /* print the resolution of calls in matching files */
    for (size_t i = 0; dump && i < n; i++) {
        if (!strstr(files[i]->path, dump)) continue;
        for (size_t c = 0; c < files[i]->calls.n; c++) {
            struct pa_target t = pa_index_resolve(ix, (int32_t)i, (int32_t)c);
            static const char *const kinds[] = {"-", "PROJECT", "LIBRARY", "CLASS"};
            printf("%s:%u %s -> %s %s eff=%x\n", files[i]->path, files[i]->calls.v[c].line, files[i]->calls.v[c].callee,
                   kinds[t.kind], t.canonical ? t.canonical : "", pa_index_call_effects(ix, (int32_t)i, (int32_t)c));
        }
    }
    printf("bench: %zu files, %zu bytes, %zu funcs, %zu calls (%zu resolved)\n", n, bytes, nfuncs, ncalls, resolved);
    printf("bench: parse+extract %.3fs, index build %.3fs (%.1f%%), maxrss %ld -> %ld KiB\n", t1 - t0, t3 - t2,
           100.0 * (t3 - t2) / (t1 - t0), ru0.ru_maxrss, ru1.ru_maxrss);
    pa_index_free(ix);
    pa_context_free(&ctx);
    for (size_t i = 0; i < n; i++) pa_file_facts_free(files[i]);
    free(files);
    for (size_t i = 0; i < g_bench_paths.n; i++) free(g_bench_paths.v[i]);
    pa_vec_free(&g_bench_paths);
}

/* ---- precision follow-ups (SQLModel, Flask-SQLAlchemy, Django instances,
 *      deferred callables, SDK clients, the session heuristic, chains,
 *      constructor entry kinds) ------------------------------------------------ */

static void test_sqlmodel_exec(void)
{
    struct proj p = {0};
    proj_add(&p, "app/repo.py",
             "from sqlmodel import Session, select, update, delete\n"
             "from sqlmodel.ext.asyncio.session import AsyncSession\n"
             "def read(session: Session):\n"
             "    return session.exec(select(User)).all()\n"
             "def write(session: Session):\n"
             "    session.exec(update(User).values(x=1))\n"
             "    session.exec(delete(User))\n"
             "async def aread(session: AsyncSession):\n"
             "    return (await session.exec(select(User))).all()\n"
             "async def awrite(session: AsyncSession):\n"
             "    await session.exec(update(User).values(x=1))\n"
             "def other(runner):\n"
             "    runner.exec(select(User))\n");
    proj_build(&p, false);
    const char *f = "app/repo.py";
    uint32_t e = ceff(&p, f, "read", "session.exec", 0);
    CHECK((e & PA_EFF_DB_READ) && (e & PA_EFF_SYNC_DB) && !(e & PA_EFF_DB_WRITE));
    e = ceff(&p, f, "write", "session.exec", 0);
    CHECK((e & PA_EFF_DB_WRITE) && !(e & PA_EFF_DB_READ));
    CHECK(ceff(&p, f, "write", "session.exec", 1) & PA_EFF_DB_WRITE);
    e = ceff(&p, f, "aread", "session.exec", 0);
    CHECK((e & PA_EFF_DB_READ) && !(e & PA_EFF_SYNC_DB));
    e = ceff(&p, f, "awrite", "session.exec", 0);
    CHECK((e & PA_EFF_DB_WRITE) && !(e & PA_EFF_SYNC_DB));
    CHECK_STR(target_name(target_of(&p, f, "read", "session.exec", 0)), "sqlalchemy.orm.Session.exec");
    /* negative: exec on something that is not a session */
    CHECK_INT(ceff(&p, f, "other", "runner.exec", 0), 0);
    CHECK_INT(target_of(&p, f, "other", "runner.exec", 0).kind, PA_TARGET_UNRESOLVED);
    proj_free(&p);
}

static void test_flask_sqlalchemy(void)
{
    struct proj p = {0};
    proj_add(&p, "app/__init__.py", "");
    proj_add(&p, "app/ext.py", "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n");
    proj_add(&p, "app/models.py",
             "from .ext import db\n"
             "class User(db.Model):\n"
             "    id = db.Column(db.Integer, primary_key=True)\n"
             "class Admin(User):\n"
             "    pass\n"
             "class Plain:\n"
             "    query = None\n"
             "    def go(self):\n"
             "        return 1\n");
    proj_add(&p, "app/views.py",
             "from .ext import db\n"
             "from .models import User, Admin, Plain\n"
             "import app.models as m\n"
             "def show(uid):\n"
             "    u = User.query.filter_by(id=uid).first()\n"
             "    v = User.query.get(uid)\n"
             "    w = Admin.query.all()\n"
             "    x = m.User.query.all()\n"
             "    db.session.add(u)\n"
             "    db.session.commit()\n"
             "    Plain.query.all()\n"
             "    return u, v, w, x\n");
    proj_build(&p, false);
    const char *v = "app/views.py";
    CHECK(ceff(&p, v, "show", "User.query.filter_by", 0) == 0);   /* builds the query only */
    uint32_t e = ceff(&p, v, "show", "User.query.filter_by().first", 0);
    CHECK((e & PA_EFF_DB_READ) && (e & PA_EFF_SYNC_DB));
    CHECK_STR(target_name(target_of(&p, v, "show", "User.query.get", 0)), "sqlalchemy.orm.Query.get");
    CHECK(ceff(&p, v, "show", "User.query.get", 0) & PA_EFF_DB_READ);
    CHECK(ceff(&p, v, "show", "Admin.query.all", 0) & PA_EFF_DB_READ);   /* inherited base */
    CHECK(ceff(&p, v, "show", "m.User.query.all", 0) & PA_EFF_DB_READ);  /* through the module */
    CHECK(ceff(&p, v, "show", "db.session.add", 0) & PA_EFF_DB_WRITE);
    CHECK(ceff(&p, v, "show", "db.session.commit", 0) & PA_EFF_COMMIT);
    /* negative: `query` of a class that is not a Flask-SQLAlchemy model */
    CHECK_INT(ceff(&p, v, "show", "Plain.query.all", 0), 0);
    CHECK(target_of(&p, v, "show", "Plain.query.all", 0).kind != PA_TARGET_LIBRARY);
    proj_free(&p);
}

static void test_django_instances(void)
{
    struct proj p = {0};
    proj_add(&p, "shop/models.py",
             "from django.db import models\n"
             "class Order(models.Model):\n"
             "    tags = models.ManyToManyField('Tag')\n"
             "    def total(self):\n"
             "        return 1\n"
             "class Plain:\n"
             "    objects = None\n");
    proj_add(&p, "shop/views.py",
             "from .models import Order, Plain\n"
             "def index(request):\n"
             "    for o in Order.objects.filter(paid=False):\n"
             "        o.save()\n"
             "        o.orderitem_set.all()\n"
             "        o.tags.all()\n"
             "        o.total()\n"
             "    orders = Order.objects.exclude(x=1)\n"
             "    for q in orders:\n"
             "        q.delete()\n"
             "    one = Order.objects.get(pk=1)\n"
             "    one.save()\n"
             "    first = Order.objects.filter(x=1).first()\n"
             "    first.delete()\n"
             "    for z in [1, 2]:\n"
             "        z.save()\n"
             "    for y in Plain.objects.filter():\n"
             "        y.save()\n"
             "    for d in Order.objects.values('id'):\n"
             "        d.delete()\n"
             "    row = Order.objects.values_list('id').first()\n"
             "    row.save()\n"
             "    return None\n");
    proj_build(&p, false);
    const char *v = "shop/views.py";
    uint32_t e = ceff(&p, v, "index", "o.save", 0);
    CHECK((e & PA_EFF_DB_WRITE) && (e & PA_EFF_SYNC_DB));
    CHECK_STR(target_name(target_of(&p, v, "index", "o.save", 0)), "django.db.models.Model.save");
    CHECK(ceff(&p, v, "index", "o.orderitem_set.all", 0) & PA_EFF_DB_READ);
    CHECK(ceff(&p, v, "index", "o.tags.all", 0) & PA_EFF_DB_READ);
    CHECK(is_fn(target_of(&p, v, "index", "o.total", 0), &p, "shop/models.py", "Order.total"));
    CHECK(ceff(&p, v, "index", "q.delete", 0) & PA_EFF_DB_WRITE);
    CHECK(ceff(&p, v, "index", "one.save", 0) & PA_EFF_DB_WRITE);
    CHECK(ceff(&p, v, "index", "first.delete", 0) & PA_EFF_DB_WRITE);
    /* negative: loops over other things, classes that are not models */
    CHECK_INT(ceff(&p, v, "index", "z.save", 0), 0);
    CHECK_INT(target_of(&p, v, "index", "z.save", 0).kind, PA_TARGET_UNRESOLVED);
    CHECK_INT(target_of(&p, v, "index", "y.save", 0).kind, PA_TARGET_UNRESOLVED);
    CHECK_INT(ceff(&p, v, "index", "d.delete", 0), 0);    /* values(): dicts */
    CHECK_INT(ceff(&p, v, "index", "row.save", 0), 0);
    proj_free(&p);
}

static void test_deferred(void)
{
    struct proj p = {0};
    proj_add(&p, "app/defer.py",
             "import asyncio, atexit, signal, threading, time, requests\n"
             "from django.db import transaction\n"
             "from fastapi import BackgroundTasks\n"
             "from celery import shared_task\n"
             "def send_mail_now(x):\n"
             "    requests.post('http://mail', json=x)\n"
             "@shared_task\n"
             "def heavy(x):\n"
             "    time.sleep(5)\n"
             "    requests.get('http://x')\n"
             "async def slow_coro():\n"
             "    time.sleep(1)\n"
             "def commit_hook(o):\n"
             "    transaction.on_commit(lambda: send_mail_now(o))\n"
             "def commit_nested(o):\n"
             "    def after():\n"
             "        send_mail_now(o)\n"
             "    transaction.on_commit(after)\n"
             "async def endpoint(background_tasks: BackgroundTasks):\n"
             "    background_tasks.add_task(send_mail_now, 1)\n"
             "    background_tasks.add_task(lambda: time.sleep(1))\n"
             "async def loops():\n"
             "    loop = asyncio.get_running_loop()\n"
             "    loop.call_soon(lambda: time.sleep(1))\n"
             "    loop.call_later(5, lambda: time.sleep(1))\n"
             "async def tasks():\n"
             "    asyncio.create_task(slow_coro())\n"
             "    asyncio.ensure_future(slow_coro())\n"
             "def registrations():\n"
             "    atexit.register(lambda: time.sleep(1))\n"
             "    signal.signal(signal.SIGTERM, lambda s, f: time.sleep(1))\n"
             "    threading.Timer(5, lambda: requests.get('http://x')).start()\n"
             "def enqueue():\n"
             "    heavy.delay(1)\n"
             "def run_now(o):\n"
             "    list(map(lambda x: send_mail_now(x), [o]))\n"
             "async def awaited():\n"
             "    await slow_coro()\n"
             "def untyped(get_loop, fut, queue):\n"
             "    get_loop().call_soon(lambda: time.sleep(1))\n"
             "    fut.add_done_callback(lambda f: requests.get('http://x'))\n"
             "    queue.add_task(lambda: time.sleep(1))\n"
             "def bare(fn):\n"
             "    from somewhere import on_commit\n"
             "    on_commit(lambda: time.sleep(1))\n"
             "def untyped_now(get_loop):\n"
             "    get_loop().run_now(lambda: time.sleep(1))\n");
    proj_build(&p, true);
    const char *f = "app/defer.py";
    /* positive controls: the callee itself has the effects */
    CHECK(pa_index_effects(p.ix, fn_of(&p, f, "send_mail_now")) & PA_EFF_NET_IO);
    CHECK(pa_index_effects(p.ix, fn_of(&p, f, "run_now")) & PA_EFF_NET_IO);       /* map runs it now */
    CHECK(pa_index_effects(p.ix, fn_of(&p, f, "awaited")) & PA_EFF_SLEEP);        /* awaited: runs now */
    /* deferred: nothing reaches the registering function */
    CHECK_INT(ceff(&p, f, "commit_hook", "transaction.on_commit", 0), 0);
    CHECK_INT(pa_index_effects(p.ix, fn_of(&p, f, "commit_hook")), 0);
    CHECK_INT(pa_index_effects(p.ix, fn_of(&p, f, "commit_nested")), 0);
    CHECK_INT(pa_index_effects(p.ix, fn_of(&p, f, "endpoint")), 0);
    CHECK_INT(ceff(&p, f, "endpoint", "background_tasks.add_task", 1), 0);
    CHECK_INT(pa_index_effects(p.ix, fn_of(&p, f, "loops")), 0);
    CHECK_INT(pa_index_effects(p.ix, fn_of(&p, f, "tasks")), 0);
    CHECK_INT(ceff(&p, f, "tasks", "slow_coro", 0), 0);
    CHECK_INT(pa_index_effects(p.ix, fn_of(&p, f, "registrations")) & ~(uint32_t)0, 0);
    uint32_t e = pa_index_effects(p.ix, fn_of(&p, f, "enqueue"));
    CHECK((e & PA_EFF_NET_IO) && !(e & PA_EFF_SLEEP));   /* the broker publish, not the task body */
    struct pa_chain_step st[8];
    size_t ns = 0;
    CHECK(pa_index_effect_chain(p.ix, file_of(&p, f), call_of(&p, f, "commit_hook", "transaction.on_commit", 0),
                                PA_EFF_NET_IO, st, 8, &ns) == NULL);
    CHECK(pa_index_effect_chain(p.ix, file_of(&p, f), call_of(&p, f, "tasks", "slow_coro", 0), PA_EFF_SLEEP, st, 8,
                                &ns) == NULL);
    /* the calls inside a deferred callable keep their own effects and say so */
    int32_t in_lambda = call_of(&p, f, "commit_hook", "send_mail_now", 0);
    CHECK(pa_index_call_deferred(p.ix, file_of(&p, f), in_lambda));
    CHECK(pa_index_call_effects(p.ix, file_of(&p, f), in_lambda) & PA_EFF_NET_IO);
    CHECK(pa_index_call_deferred(p.ix, file_of(&p, f), call_of(&p, f, "tasks", "slow_coro", 0)));
    CHECK(!pa_index_call_deferred(p.ix, file_of(&p, f), call_of(&p, f, "run_now", "send_mail_now", 0)));
    CHECK(!pa_index_call_deferred(p.ix, file_of(&p, f), call_of(&p, f, "awaited", "slow_coro", 0)));
    CHECK_INT(pa_index_effects(p.ix, fn_of(&p, f, "untyped")), 0);   /* by method name on untyped receivers */
    CHECK_INT(pa_index_effects(p.ix, fn_of(&p, f, "bare")), 0);
    CHECK(pa_index_effects(p.ix, fn_of(&p, f, "untyped_now")) & PA_EFF_SLEEP);   /* unknown method: runs it */
    /* a deferred lambda of an async function is not "in async context" through it,
     * except when it is deferred onto the event loop itself (call_soon …) */
    CHECK(!pa_index_async_context(p.ix, fn_of(&p, f, "send_mail_now"), NULL));
    {
        const struct pa_file_facts *ff = p.files[file_of(&p, f)];
        int32_t cs = call_of(&p, f, "loops", "loop.call_soon", 0), bt = call_of(&p, f, "endpoint", "background_tasks.add_task", 1);
        int32_t lam_cs = -1, lam_bt = -1;
        for (uint16_t k = 0; k < ff->calls.v[cs].nargs; k++) if (ff->calls.v[cs].args[k].func >= 0) lam_cs = ff->calls.v[cs].args[k].func;
        for (uint16_t k = 0; k < ff->calls.v[bt].nargs; k++) if (ff->calls.v[bt].args[k].func >= 0) lam_bt = ff->calls.v[bt].args[k].func;
        CHECK(lam_cs >= 0 && pa_index_async_context(p.ix, (pa_fref){file_of(&p, f), lam_cs}, NULL));
        CHECK(lam_bt >= 0 && !pa_index_async_context(p.ix, (pa_fref){file_of(&p, f), lam_bt}, NULL));
    }
    proj_free(&p);
}

static void test_sdk_clients(void)
{
    struct proj p = {0};
    proj_add(&p, "app/protos/user_pb2_grpc.py",
             "class UserServiceStub(object):\n"
             "    def __init__(self, channel):\n"
             "        self.GetUser = channel.unary_unary('/u/GetUser')\n"
             "class HelperStub:\n"
             "    def __init__(self, x):\n"
             "        self.x = x\n");
    proj_add(&p, "app/sdk.py",
             "import boto3, stripe, grpc\n"
             "from django.core.mail import send_mail, EmailMessage\n"
             "from app.protos import user_pb2_grpc\n"
             "from app.protos.user_pb2_grpc import HelperStub\n"
             "import other_pb2_grpc\n"
             "s3 = boto3.client('s3')\n"
             "def upload(path):\n"
             "    s3.upload_file(path, 'b', 'k')\n"
             "    boto3.resource('s3').Bucket('b')\n"
             "    sess = boto3.Session()\n"
             "    sess.client('sqs').send_message(QueueUrl='q')\n"
             "def pay():\n"
             "    stripe.Charge.create(amount=1)\n"
             "    stripe.Webhook.construct_event('p', 's', 'k')\n"
             "def rpc(req):\n"
             "    ch = grpc.insecure_channel('localhost:1')\n"
             "    stub = user_pb2_grpc.UserServiceStub(ch)\n"
             "    stub.GetUser(req)\n"
             "    ext = other_pb2_grpc.OrderStub(ch)\n"
             "    ext.Get(req)\n"
             "    h = HelperStub(1)\n"
             "    h.anything()\n"
             "async def arpc(req):\n"
             "    ch = grpc.aio.insecure_channel('localhost:1')\n"
             "    stub = user_pb2_grpc.UserServiceStub(ch)\n"
             "    await stub.GetUser(req)\n"
             "def mail():\n"
             "    send_mail('s', 'b', 'f', ['t'])\n"
             "    EmailMessage('s').send()\n");
    proj_build(&p, false);
    const char *f = "app/sdk.py";
    const uint32_t NX = PA_EFF_NET_IO | PA_EFF_EXTERNAL;
    CHECK((ceff(&p, f, "upload", "s3.upload_file", 0) & NX) == NX);
    CHECK((ceff(&p, f, "upload", "boto3.resource().Bucket", 0) & NX) == NX);
    CHECK((ceff(&p, f, "upload", "sess.client().send_message", 0) & NX) == NX);
    CHECK((ceff(&p, f, "pay", "stripe.Charge.create", 0) & NX) == NX);
    CHECK((ceff(&p, f, "rpc", "stub.GetUser", 0) & NX) == NX);
    CHECK((ceff(&p, f, "rpc", "ext.Get", 0) & NX) == NX);
    uint32_t e = ceff(&p, f, "arpc", "stub.GetUser", 0);
    CHECK((e & PA_EFF_EXTERNAL) && !(e & PA_EFF_NET_IO));   /* awaited: an aio stub */
    CHECK((ceff(&p, f, "mail", "send_mail", 0) & NX) == NX);
    CHECK((ceff(&p, f, "mail", "EmailMessage().send", 0) & NX) == NX);
    /* negative: constructors and local helpers are not calls to the service */
    CHECK_INT(ceff(&p, f, "upload", "boto3.Session", 0), 0);
    CHECK_INT(ceff(&p, f, "pay", "stripe.Webhook.construct_event", 0), 0);
    CHECK_INT(ceff(&p, f, "rpc", "user_pb2_grpc.UserServiceStub", 0), 0);
    CHECK_INT(ceff(&p, f, "rpc", "h.anything", 0), 0);   /* *Stub without a channel */
    proj_free(&p);
}

static void test_session_heuristic(void)
{
    struct proj p = {0};
    proj_add(&p, "app/http.py",
             "import requests\n"
             "def fetch(session, key):\n"
             "    return session.get(key)\n");
    proj_add(&p, "app/mixed.py",
             "import requests\n"
             "from sqlalchemy.orm import Session\n"
             "def fetch(session, key):\n"
             "    return session.get(key)\n");
    proj_add(&p, "app/plain.py",
             "def fetch(session, key):\n"
             "    return session.get(key)\n");
    proj_add(&p, "app/scoped.py",
             "import requests, aiohttp\n"
             "from sqlalchemy import select\n"
             "def fetch(key):\n"
             "    session = requests.Session()\n"
             "    return session.get(key)\n"
             "async def afetch(key):\n"
             "    session = aiohttp.ClientSession()\n"
             "    return await session.get(key)\n"
             "class C:\n"
             "    def __init__(self):\n"
             "        self.session = requests.Session()\n"
             "    def go(self, k):\n"
             "        return self.session.get(k)\n");
    proj_build(&p, false);
    /* negative: an HTTP-only module keeps `session` unresolved */
    CHECK_INT(ceff(&p, "app/http.py", "fetch", "session.get", 0), 0);
    /* positive: the heuristic stays when the module uses an ORM, or nothing */
    CHECK(ceff(&p, "app/mixed.py", "fetch", "session.get", 0) & PA_EFF_DB_READ);
    CHECK(ceff(&p, "app/plain.py", "fetch", "session.get", 0) & PA_EFF_DB_READ);
    /* the assigned library type wins over the name */
    uint32_t e = ceff(&p, "app/scoped.py", "fetch", "session.get", 0);
    CHECK((e & PA_EFF_NET_IO) && !(e & PA_EFF_DB_READ));
    CHECK_STR(target_name(target_of(&p, "app/scoped.py", "fetch", "session.get", 0)), "requests.Session.get");
    e = ceff(&p, "app/scoped.py", "afetch", "session.get", 0);
    CHECK((e & PA_EFF_EXTERNAL) && !(e & PA_EFF_DB_READ));
    e = ceff(&p, "app/scoped.py", "C.go", "self.session.get", 0);
    CHECK((e & PA_EFF_NET_IO) && !(e & PA_EFF_DB_READ));
    proj_free(&p);
}

static void test_chain_effects(void)
{
    struct proj p = {0};
    proj_add(&p, "app/q.py",
             "from sqlalchemy.orm import Session\n"
             "from sqlalchemy import select\n"
             "def rows(s: Session):\n"
             "    return s.scalars(select(User)).all()\n"
             "def plain(xs):\n"
             "    return xs.copy().pop()\n");
    proj_build(&p, false);
    const char *f = "app/q.py";
    int32_t fi = file_of(&p, f);
    int32_t last = call_of(&p, f, "rows", "s.scalars().all", 0);
    CHECK(!(pa_index_call_effects(p.ix, fi, last) & PA_EFF_DB_READ));   /* the effect sits on the first call */
    CHECK(pa_index_chain_effects(p.ix, fi, last) & PA_EFF_DB_READ);
    CHECK(pa_index_chain_effects(p.ix, fi, call_of(&p, f, "rows", "s.scalars", 0)) & PA_EFF_DB_READ);
    CHECK_INT(pa_index_chain_effects(p.ix, fi, call_of(&p, f, "plain", "xs.copy().pop", 0)), 0);
    CHECK_INT(pa_index_chain_effects(p.ix, fi, -1), 0);
    CHECK_INT(pa_index_chain_effects(NULL, 0, 0), 0);
    proj_free(&p);
}

static void test_init_entry(void)
{
    struct proj p = {0};
    proj_add(&p, "app/main.py",
             "from fastapi import FastAPI\n"
             "import requests\n"
             "app = FastAPI()\n"
             "class Client:\n"
             "    def __init__(self):\n"
             "        self.token = requests.get('http://auth').text\n"
             "class Config:\n"
             "    def __init__(self):\n"
             "        self.x = open('cfg').read()\n"
             "class Unused:\n"
             "    def __init__(self):\n"
             "        helper()\n"
             "def helper():\n"
             "    return 1\n"
             "@app.get('/x')\n"
             "def handler():\n"
             "    return Client().token\n"
             "config = Config()\n");
    proj_build(&p, false);
    const char *f = "app/main.py";
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, f, "handler")), PA_ENTRY_REQUEST);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, f, "Client.__init__")), PA_ENTRY_REQUEST);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, f, "Config.__init__")), PA_ENTRY_BOOTSTRAP);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, f, "Unused.__init__")), PA_ENTRY_BOOTSTRAP);
    CHECK_INT(pa_index_entry(p.ix, fn_of(&p, f, "helper")), PA_ENTRY_BOOTSTRAP);   /* called by a bootstrap __init__ */
    proj_free(&p);
}

static void test_find_function(void)
{
    struct proj p = {0};
    proj_add(&p, "app/__init__.py", "");
    proj_add(&p, "app/deps.py", "def get_db():\n    yield 1\n\nclass Repo:\n    def get(self):\n        return 1\n");
    proj_add(&p, "app/api/users.py", "def get_db():\n    return 2\n");
    proj_build(&p, true);
    pa_fref r = pa_index_find_function(p.ix, "app.deps.get_db");
    CHECK(pa_fref_ok(r) && r.file == file_of(&p, "app/deps.py"));
    r = pa_index_find_function(p.ix, "app.deps.Repo.get");
    CHECK(pa_fref_ok(r) && strcmp(p.files[r.file]->funcs.v[r.func].qualname, "Repo.get") == 0);
    r = pa_index_find_function(p.ix, "app.api.users.get_db");
    CHECK(pa_fref_ok(r) && r.file == file_of(&p, "app/api/users.py"));
    CHECK(!pa_fref_ok(pa_index_find_function(p.ix, "app.deps.missing")));
    CHECK(!pa_fref_ok(pa_index_find_function(p.ix, "other.get_db")));
    CHECK(!pa_fref_ok(pa_index_find_function(p.ix, "get_db")));
    CHECK(!pa_fref_ok(pa_index_find_function(p.ix, NULL)));
    proj_free(&p);
}

int main(void)
{
    g_parser = pa_py_parser_new();
    test_find_function();
    test_canonical();
    test_report_chain();
    test_classes();
    test_receivers();
    test_library();
    test_django();
    test_entries();
    test_flow();
    test_fixture_dir();
    test_degenerate();
    test_sqlmodel_exec();
    test_flask_sqlalchemy();
    test_django_instances();
    test_deferred();
    test_sdk_clients();
    test_session_heuristic();
    test_chain_effects();
    test_init_entry();
    const char *b = getenv("PA_INDEX_BENCH");
    if (b && *b) bench(b);
    pa_py_parser_free(g_parser);
    return test_done("test_index");
}
