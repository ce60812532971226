/* index.c - the project-wide semantic index, part 1: module map, symbol
 * tables, canonical names, type inference for receivers, and call
 * resolution. Part 2 (index_flow.c) builds the call graph, propagates
 * effects and entry kinds, and answers chain/offload/async-context queries.
 *
 * DESIGN
 * - pa_index_build runs single-threaded: it fills the tables from every
 *   file's facts (in file order), then resolves every call exactly once
 *   (memoised; a BUSY flag breaks cycles through type inference) and stores
 *   the result; index_flow.c then propagates effects. After the build
 *   nothing is written: every pa_index_* query is a pure read and may run
 *   on any number of threads.
 * - Lookups are hash tables keyed by (file, scope, name) - no linear scans
 *   over the project. Strings are borrowed from the facts or interned into
 *   the index arena.
 * - Resolution never guesses a project function from a method name alone:
 *   a receiver needs a type (constructor assignment, annotation, Depends
 *   provider, `with … as`, self attribute, library constructor). The one
 *   deliberate heuristic: a receiver *named* session, db, db_session,
 *   self.session, self.db or self._session with no better type information
 *   is taken as an SQLAlchemy session; awaited calls make it an
 *   AsyncSession, unawaited IO calls a sync Session, and other methods
 *   follow ctx->orm_async (calls that look like HTTP - a URL string first,
 *   url=/params=/headers=/json=/timeout= keywords - are left alone).
 *   Offloaders are also recognised by name on untyped receivers: any
 *   `*.run_in_executor`, and `.submit`/`.map` on a receiver named like an
 *   executor ("executor", "pool"); so are deferring registrations
 *   (`*.call_soon/call_later/call_at`, `*.add_done_callback`, `*.on_commit`,
 *   `*.add_task`: PA_LIB_DEFER, what they are handed runs later). The
 *   session-name heuristic is off in a file that imports requests/aiohttp/
 *   httpx and no ORM (sqlalchemy/sqlmodel/flask_sqlalchemy).
 * - ORM shapes typed without annotations: Flask-SQLAlchemy `Model.query`
 *   (a Query, for project classes deriving from a SQLAlchemy() object's
 *   Model) and `db.session` (a Session); Django `for o in
 *   Model.objects.filter(...)` targets and `.get()/.first()/.last()`
 *   results are instances of the model (project class deriving from
 *   models.Model), whose `<name>_set` / ManyToManyField attributes are
 *   managers. SDK clients (boto3, stripe, gRPC stubs, openai …) make every
 *   method call, through any attribute path, an EXTERNAL|NET_IO call.
 */
#include "index_int.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { IX_SK_FUNC = 1, IX_SK_CLASS, IX_SK_IMPORT, IX_SK_VAR, IX_SK_PARAM };
#define SK_MAKE(k, i) (((uint32_t)(k) << 28) | ((uint32_t)(i) & 0x0FFFFFFFu))
#define SK_KIND(v) ((v) >> 28)
#define SK_IDX(v) ((int32_t)((v) & 0x0FFFFFFFu))
#define CLS_SCOPE(c) (-2 - (c))
#define MAX_DEPTH 24

/* A receiver type: a project class, a library type, or unknown. */
struct ty {
    int32_t file, cls;   /* project class or -1 */
    const char *lib;     /* library type name (static/interned) or NULL */
};
/* Append "a.c" (the canonical names are built on hot paths: no printf). */
static inline void dotted2(pa_buf *b, const char *a, const char *c)
{
    pa_buf_puts(b, a);
    pa_buf_putc(b, '.');
    pa_buf_puts(b, c);
}

static const struct ty TY_NONE = {-1, -1, NULL};
static bool ty_known(struct ty t) { return t.file >= 0 || t.lib; }

/* ---- small string helpers ---------------------------------------------- */

static const char *intern(pa_index *ix, const char *s, size_t n)
{
    char tmp[256];
    char *key = n < sizeof tmp ? tmp : pa_xmalloc(n + 1);
    memcpy(key, s, n);
    key[n] = '\0';
    const char *hit = pa_strmap_get(&ix->intern, key);
    if (!hit) {
        char *copy = pa_arena_strndup(&ix->arena, s, n);
        pa_strmap_put(&ix->intern, copy, copy);
        hit = copy;
    }
    if (key != tmp) free(key);
    return hit;
}
static const char *intern_s(pa_index *ix, const char *s) { return intern(ix, s, strlen(s)); }

static bool is_ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* Is text a plain dotted name (identifiers and dots only)? */
static bool is_dotted(const char *s)
{
    if (!s || !*s) return false;
    for (; *s; s++)
        if (!is_ident_char(*s) && *s != '.') return false;
    return true;
}

static bool str_in(const char *s, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(s, list[i]) == 0) return true;
    return false;
}

/* ---- (file, scope, name) tables ------------------------------------------ */

static inline uint64_t name_hash(const char *name) { return pa_hash64(name, strlen(name), 0); }

static uint64_t khash_h(int32_t file, int32_t scope, uint64_t h)
{
    h ^= (uint64_t)(uint32_t)file * 0x9E3779B97F4A7C15ULL;
    h ^= (uint64_t)(uint32_t)scope * 0xC2B2AE3D27D4EB4FULL;
    h ^= h >> 29;
    return h * 0xBF58476D1CE4E5B9ULL;
}

/* hname = name_hash(name), computed once by callers that probe several scopes */
static struct ix_kent *kslot_h(const struct ix_ktab *t, int32_t file, int32_t scope, const char *name, uint64_t hname)
{
    /* any capacity (not only powers of two): the slot is the hash scaled to
     * [0, cap), so the table can be sized to its load instead of doubling */
    size_t i = (size_t)(((unsigned __int128)khash_h(file, scope, hname) * t->cap) >> 64);
    for (;;) {
        struct ix_kent *e = &t->e[i];
        if (!e->name || (e->file == file && e->scope == scope && (e->name == name || strcmp(e->name, name) == 0)))
            return e;
        if (++i == t->cap) i = 0;
    }
}

static inline struct ix_kent *kslot(const struct ix_ktab *t, int32_t file, int32_t scope, const char *name)
{
    return kslot_h(t, file, scope, name, name_hash(name));
}

static uint32_t kget_h(const struct ix_ktab *t, int32_t file, int32_t scope, const char *name, uint64_t hname)
{
    if (!t->cap || !name) return 0;
    struct ix_kent *e = kslot_h(t, file, scope, name, hname);
    return e->name ? e->val : 0;
}

static uint32_t kget(const struct ix_ktab *t, int32_t file, int32_t scope, const char *name)
{
    return name ? kget_h(t, file, scope, name, name_hash(name)) : 0;
}

static uint32_t kget_chain(const struct ix_ktab *t, int32_t file, int32_t scope, const char *name)
{
    if (!t->cap || !name) return 0;
    struct ix_kent *e = kslot(t, file, scope, name);
    return e->name ? e->chain : 0;
}

static struct ix_kent *kentry(struct ix_ktab *t, int32_t file, int32_t scope, const char *name)
{
    if ((t->n + 1) * 4 > t->cap * 3) {   /* load at most 3/4 (linear probing stays short) */
        struct ix_ktab old = *t;
        t->cap = old.cap ? old.cap * 2 : 1024;
        t->e = pa_xcalloc(t->cap, sizeof *t->e);
        t->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.e[i].name) *kslot(t, old.e[i].file, old.e[i].scope, old.e[i].name) = old.e[i], t->n++;
        free(old.e);
    }
    struct ix_kent *e = kslot(t, file, scope, name);
    if (!e->name) {
        e->name = name; e->file = file; e->scope = scope; e->val = 0; e->chain = 0;
        t->n++;
    }
    return e;
}

/* Set the binding (when none yet, or overwrite). */
static void kput(struct ix_ktab *t, int32_t file, int32_t scope, const char *name, uint32_t val, bool overwrite)
{
    struct ix_kent *e = kentry(t, file, scope, name);
    if (!e->val || overwrite) e->val = val;
}

/* ---- modules and imports --------------------------------------------------- */

static int32_t module_file(const pa_index *ix, const char *module)
{
    void *v = pa_strmap_get(&ix->modmap, module);
    return v ? (int32_t)((intptr_t)v - 1) : -1;
}

/* Absolute module of an import (relative imports resolved); appended to b.
 * Returns false when the relative import climbs above the top package. */
static bool import_abs_module(const pa_index *ix, int32_t file, const struct pa_import *imp, pa_buf *b)
{
    if (imp->level == 0) { pa_buf_puts(b, imp->module ? imp->module : ""); return true; }
    const char *pkg = ix->files[file].pkg;
    size_t n = strlen(pkg);
    for (int up = 1; up < imp->level; up++) {
        if (n == 0) return false;
        while (n > 0 && pkg[n - 1] != '.') n--;
        if (n > 0) n--;   /* drop the dot */
    }
    pa_buf_append(b, pkg, n);
    if (imp->module && *imp->module) {
        if (n) pa_buf_putc(b, '.');
        pa_buf_puts(b, imp->module);
    }
    return b->len > 0;
}

/* The dotted name an import binds its alias to ("requests", "time.sleep"). */
static bool import_target(const pa_index *ix, int32_t file, const struct pa_import *imp, pa_buf *b)
{
    if (!imp->name) {
        /* `import a.b` binds "a"; `import a.b as c` binds c to "a.b" */
        const char *m = imp->module ? imp->module : "";
        size_t first = strcspn(m, ".");
        if (imp->alias && strlen(imp->alias) == first && strncmp(imp->alias, m, first) == 0) {
            pa_buf_append(b, m, first);
            return first > 0;
        }
        pa_buf_puts(b, m);
        return *m != '\0';
    }
    if (!import_abs_module(ix, file, imp, b)) return false;
    pa_buf_putc(b, '.');
    pa_buf_puts(b, imp->name);
    return true;
}

/* ---- name lookup through scopes ------------------------------------------ */

static const char *const k_builtins[] = {
    "open", "input", "print", "len", "range", "sorted", "map", "filter", "list", "dict", "set", "tuple",
    "str", "int", "float", "bool", "bytes", "min", "max", "sum", "any", "all", "zip", "enumerate",
    "isinstance", "getattr", "setattr", "hasattr", "iter", "next", "repr", "abs", "round", "type",
    "super", "object", "format", "vars", "id", "hash", "callable", "reversed", "frozenset", "bytearray",
    "exec", "eval", "compile", "divmod", "pow", "chr", "ord", "hex", "oct", "bin", "delattr", "dir",
    "globals", "locals", "issubclass", "memoryview", "property", "staticmethod", "classmethod", "slice",
    "__import__", "breakpoint", "help", "ascii", "aiter", "anext", "Exception", "ValueError", NULL};

static pa_strmap g_builtins;   /* built once under pthread_once, then read-only */
static pthread_once_t g_builtins_once = PTHREAD_ONCE_INIT;

static void builtins_init(void)
{
    pa_strmap_init(&g_builtins);
    for (int i = 0; k_builtins[i]; i++) pa_strmap_put(&g_builtins, k_builtins[i], (void *)k_builtins[i]);
}

static bool is_builtin(const char *name)
{
    pthread_once(&g_builtins_once, builtins_init);
    return pa_strmap_has(&g_builtins, name);
}

static int32_t param_index(const struct pa_func *fn, const char *name)
{
    for (uint16_t i = 0; i < fn->nparams; i++)
        if (fn->params[i].name && strcmp(fn->params[i].name, name) == 0) return i;
    return -1;
}

/* Binding of `name` seen from function `func` (-1 = module level).
 * Returns a SK value (IX_SK_PARAM: index = param) and the scope it was found in. */
static uint32_t lookup_name(const pa_index *ix, int32_t file, int32_t func, const char *name, int32_t *scope_out)
{
    const struct pa_file_facts *f = ix->files[file].f;
    int guard = 0;
    uint64_t h = name_hash(name);   /* once for every scope probed */
    for (int32_t s = func; s >= 0 && (size_t)s < f->funcs.n && guard < 64; s = f->funcs.v[s].parent, guard++) {
        uint32_t v = kget_h(&ix->syms, file, s, name, h);
        if (v) { if (scope_out) *scope_out = s; return v; }
        int32_t p = param_index(&f->funcs.v[s], name);
        if (p >= 0) { if (scope_out) *scope_out = s; return SK_MAKE(IX_SK_PARAM, p); }
    }
    uint32_t v = kget_h(&ix->syms, file, -1, name, h);
    if (scope_out) *scope_out = -1;
    return v;
}

/* ---- canonical names ------------------------------------------------------ */

static bool canonical_in(const pa_index *ix, int32_t file, int32_t func, const char *dotted, pa_buf *out, int depth);

/* Canonical of `head` + `rest` where head is not bound in file: star imports, builtins. */
static bool canonical_unbound(const pa_index *ix, int32_t file, const char *head, const char *rest, pa_buf *out,
                              int depth)
{
    const struct ix_file *xf = &ix->files[file];
    if (depth < 8) {
        for (uint32_t i = 0; i < xf->nstars; i++) {
            int32_t mf = xf->stars[i];   /* project module file of a `from m import *` */
            if (mf >= 0 && mf != file && kget(&ix->syms, mf, -1, head)) {
                pa_buf d;
                pa_buf_init(&d);
                pa_buf_puts(&d, head);
                pa_buf_puts(&d, rest);
                bool ok = canonical_in(ix, mf, -1, pa_buf_cstr(&d), out, depth + 1);
                pa_buf_free(&d);
                if (ok) return true;
            }
        }
    }
    if (is_builtin(head)) {
        pa_buf_puts(out, "builtins.");
        pa_buf_puts(out, head);
        pa_buf_puts(out, rest);
        return true;
    }
    return false;
}

static bool canonical_in(const pa_index *ix, int32_t file, int32_t func, const char *dotted, pa_buf *out, int depth)
{
    if (!dotted || !*dotted || !(isalpha((unsigned char)*dotted) || *dotted == '_')) return false;
    size_t hl = strcspn(dotted, ".(");
    char head[128];
    if (hl >= sizeof head) return false;
    memcpy(head, dotted, hl);
    head[hl] = '\0';
    const char *rest = dotted + hl;
    const struct ix_file *xf = &ix->files[file];
    int32_t scope = -1;
    uint32_t v = lookup_name(ix, file, func, head, &scope);
    size_t mark = out->len;
    switch (SK_KIND(v)) {
    case IX_SK_IMPORT:
        if (!import_target(ix, file, &xf->f->imports.v[SK_IDX(v)], out)) { out->len = mark; if (out->s) out->s[mark] = '\0'; return false; }
        pa_buf_puts(out, rest);
        return true;
    case IX_SK_FUNC:
        dotted2(out, xf->module, xf->f->funcs.v[SK_IDX(v)].qualname);
        pa_buf_puts(out, rest);
        return true;
    case IX_SK_CLASS:
        dotted2(out, xf->module, xf->f->classes.v[SK_IDX(v)].qualname);
        pa_buf_puts(out, rest);
        return true;
    case IX_SK_VAR:
        if (scope != -1) return false;
        dotted2(out, xf->module, dotted);
        return true;
    case IX_SK_PARAM:
        return false;
    default:
        return canonical_unbound(ix, file, head, rest, out, depth);
    }
}

char *pa_index_canonical(const pa_index *ix, int32_t file, int32_t func, const char *dotted)
{
    if (!ix || file < 0 || (size_t)file >= ix->nfiles || !dotted) return NULL;
    pa_buf b;
    pa_buf_init(&b);
    if (!canonical_in(ix, file, func, dotted, &b, 0)) { pa_buf_free(&b); return NULL; }
    return pa_buf_take(&b);
}

/* ---- classes: bases, MRO, methods ------------------------------------------ */

static bool class_ref_dotted(pa_index *ix, int32_t file, int32_t func, const char *text, int32_t *cf, int32_t *cc,
                             int depth);

/* Visit the MRO of (file, cls) depth-first, left to right, cycle-safe.
 * Fills out[] (project classes) up to max; returns the count. */
static size_t class_mro(const pa_index *ix, int32_t file, int32_t cls, struct ix_base *out, size_t max)
{
    size_t n = 0;
    struct ix_base stack[64];
    size_t sp = 0;
    stack[sp++] = (struct ix_base){file, cls, NULL};
    while (sp && n < max) {
        struct ix_base b = stack[--sp];
        bool seen = false;
        for (size_t i = 0; i < n; i++)
            if (out[i].file == b.file && out[i].cls == b.cls) { seen = true; break; }
        if (seen) continue;
        out[n++] = b;
        const struct ix_file *xf = &ix->files[b.file];
        if (!xf->cls_base_n) continue;
        uint32_t off = xf->cls_base_off[b.cls];
        uint16_t nb = xf->cls_base_n[b.cls];
        /* push in reverse so the leftmost base is visited first */
        for (int i = (int)nb - 1; i >= 0; i--) {
            const struct ix_base *pb = &ix->bases.v[off + (uint32_t)i];
            if (pb->file >= 0 && sp < 64) stack[sp++] = *pb;
        }
    }
    return n;
}

/* Method `name` of a project class (MRO); skip_self for super(). */
static pa_fref class_method(const pa_index *ix, int32_t file, int32_t cls, const char *name, bool skip_self)
{
    struct ix_base mro[64];
    size_t n = class_mro(ix, file, cls, mro, 64);
    for (size_t i = skip_self ? 1 : 0; i < n; i++) {
        uint32_t v = kget(&ix->syms, mro[i].file, CLS_SCOPE(mro[i].cls), name);
        if (SK_KIND(v) == IX_SK_FUNC) return (pa_fref){mro[i].file, SK_IDX(v)};
    }
    return PA_FREF_NONE;
}

/* Library method through a project class's library bases ("django.db.models.Model.save"). */
static const struct pa_libsig *class_lib_method(const pa_index *ix, int32_t file, int32_t cls, const char *name)
{
    struct ix_base mro[64];
    size_t n = class_mro(ix, file, cls, mro, 64);
    char buf[256];
    for (size_t i = 0; i < n; i++) {
        const struct ix_file *xf = &ix->files[mro[i].file];
        if (!xf->cls_base_n) continue;
        uint32_t off = xf->cls_base_off[mro[i].cls];
        for (uint16_t k = 0; k < xf->cls_base_n[mro[i].cls]; k++) {
            const char *lib = ix->bases.v[off + k].lib;
            if (!lib) continue;
            const char *base = lib;
            if (strcmp(lib, "django.db.models.base.Model") == 0) base = "django.db.models.Model";
            if ((size_t)snprintf(buf, sizeof buf, "%s.%s", base, name) >= sizeof buf) continue;
            const struct pa_libsig *s = pa_libsig_lookup(buf);
            if (s) return s;
        }
    }
    return NULL;
}

/* Does a library base (canonical name) in the MRO of (file, cls) satisfy pred? */
static bool class_lib_base(const pa_index *ix, int32_t file, int32_t cls, bool (*pred)(const pa_index *, const char *))
{
    struct ix_base mro[64];
    size_t n = class_mro(ix, file, cls, mro, 64);
    for (size_t i = 0; i < n; i++) {
        const struct ix_file *xf = &ix->files[mro[i].file];
        if (!xf->cls_base_n) continue;
        uint32_t off = xf->cls_base_off[mro[i].cls];
        for (uint16_t k = 0; k < xf->cls_base_n[mro[i].cls]; k++) {
            const char *lib = ix->bases.v[off + k].lib;
            if (lib && pred(ix, lib)) return true;
        }
    }
    return false;
}

static bool is_django_model_base(const pa_index *ix, const char *lib)
{
    (void)ix;
    return strcmp(lib, "django.db.models.Model") == 0 || strcmp(lib, "django.db.models.base.Model") == 0;
}

/* `db.Model` of Flask-SQLAlchemy: "<module>.<var>.Model" where the module
 * variable is built by SQLAlchemy(...), or a variable named db of a module
 * outside the project; "flask_sqlalchemy.Model" itself. */
static bool is_flask_model_base(const pa_index *ix, const char *lib)
{
    if (strcmp(lib, "flask_sqlalchemy.Model") == 0 || strcmp(lib, "flask_sqlalchemy.model.Model") == 0) return true;
    size_t n = strlen(lib);
    if (n < 7 || strcmp(lib + n - 6, ".Model") != 0 || pa_str_starts(lib, "django.")) return false;
    char buf[256];
    size_t vn = n - 6;
    if (vn >= sizeof buf) return false;
    memcpy(buf, lib, vn);
    buf[vn] = '\0';
    char *dot = strrchr(buf, '.');
    const char *var = dot ? dot + 1 : buf;
    if (!dot) return strcmp(var, "db") == 0;
    *dot = '\0';
    int32_t mf = module_file(ix, buf);
    if (mf < 0) return strcmp(var, "db") == 0;
    const char *ctor = ix_module_var_ctor(ix, mf, var);
    return ctor && strcmp(pa_str_last_dot(ctor), "SQLAlchemy") == 0;
}

pa_fref ix_class_init(const pa_index *ix, int32_t file, int32_t cls)
{
    return class_method(ix, file, cls, "__init__", false);
}

/* ---- type inference -------------------------------------------------------- */

static struct ix_res *resolve_call(pa_index *ix, int32_t file, int32_t c, int depth);
static struct ty type_of_name(pa_index *ix, int32_t file, int32_t func, const char *name, uint32_t line, int depth);
static struct ty resolve_canon_type(pa_index *ix, const char *canon, int depth);
static pa_fref resolve_funcref_d(pa_index *ix, int32_t file, int32_t func, uint32_t line, const char *text, int depth);

static struct ty lib_type_from_canon(const char *canon)
{
    const struct pa_libsig *s = pa_libsig_find(canon);
    if (s && (s->flags & PA_LIB_CONSTRUCTOR) && pa_libsig_returns(s))
        return (struct ty){-1, -1, pa_libsig_returns(s)};
    return TY_NONE;
}

/* Copy the first top-level argument of "X[a, b]" (inside the brackets). */
static bool first_type_arg(const char *open_br, char *out, size_t cap)
{
    const char *p = open_br + 1;
    int d = 0;
    size_t n = 0;
    for (; *p; p++) {
        if (*p == '[' || *p == '(') d++;
        else if (*p == ']' || *p == ')') { if (d == 0) break; d--; }
        else if (*p == ',' && d == 0) break;
        if (n + 1 < cap) out[n++] = *p;
    }
    out[n] = '\0';
    return n > 0;
}

/* Type named by an annotation text, seen from (file, func). */
static struct ty type_of_annotation(pa_index *ix, int32_t file, int32_t func, const char *text, int depth)
{
    if (!text || depth > MAX_DEPTH) return TY_NONE;
    char buf[256];
    size_t n = strlen(text);
    if (n >= sizeof buf) return TY_NONE;
    memcpy(buf, text, n + 1);
    char *s = pa_str_trim(buf);
    for (int guard = 0; guard < 8; guard++) {
        n = strlen(s);
        while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
        if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) { s[n - 1] = '\0'; s++; continue; }
        /* X | None */
        char *bar = strchr(s, '|');
        if (bar && !strchr(s, '[')) {
            char *a = s, *b = bar + 1;
            *bar = '\0';
            a = pa_str_trim(a);
            b = pa_str_trim(b);
            size_t an = strlen(a);
            while (an && isspace((unsigned char)a[an - 1])) a[--an] = '\0';
            s = strcmp(a, "None") == 0 ? b : a;
            continue;
        }
        char *br = strchr(s, '[');
        if (br) {
            size_t hn = (size_t)(br - s);
            const char *last = s;
            for (size_t i = 0; i < hn; i++) if (s[i] == '.') last = s + i + 1;
            size_t ln = (size_t)(br - last);
            static const char *const wraps[] = {"Optional", "Annotated", "Union", "Generator", "AsyncGenerator",
                                                "Iterator", "AsyncIterator", "Type", "type", NULL};
            bool ok = false;
            for (int i = 0; wraps[i]; i++)
                if (strlen(wraps[i]) == ln && strncmp(last, wraps[i], ln) == 0) ok = true;
            if (!ok) return TY_NONE;
            char inner[256];
            if (!first_type_arg(br, inner, sizeof inner)) return TY_NONE;
            if (strcmp(pa_str_trim(inner), "None") == 0) {
                /* Union[None, X]: take the second */
                const char *comma = strchr(br, ',');
                if (!comma || !first_type_arg(comma, inner, sizeof inner)) return TY_NONE;
            }
            memmove(buf, inner, strlen(inner) + 1);
            s = pa_str_trim(buf);
            continue;
        }
        break;
    }
    if (!is_dotted(s)) return TY_NONE;
    int32_t cf, cc;
    if (class_ref_dotted(ix, file, func, s, &cf, &cc, depth + 1)) return (struct ty){cf, cc, NULL};
    pa_buf b;
    pa_buf_init(&b);
    struct ty t = TY_NONE;
    if (canonical_in(ix, file, func, s, &b, 0)) t = lib_type_from_canon(pa_buf_cstr(&b));
    else if (strcmp(s, "AsyncSession") == 0) t = (struct ty){-1, -1, "sqlalchemy.ext.asyncio.AsyncSession"};
    else if (strcmp(s, "Session") == 0) t = (struct ty){-1, -1, "sqlalchemy.orm.Session"};
    pa_buf_free(&b);
    return t;
}

/* Return type of a project function (its annotation). */
static struct ty func_return_type(pa_index *ix, pa_fref fn, int depth)
{
    const struct pa_func *f = &ix->files[fn.file].f->funcs.v[fn.func];
    if (!f->returns) return TY_NONE;
    return type_of_annotation(ix, fn.file, f->parent, f->returns, depth + 1);
}

/* Type a FastAPI Depends(provider) gives: the provider's return annotation. */
static struct ty type_of_depends(pa_index *ix, int32_t file, int32_t func, const char *text, int depth)
{
    const char *d = text ? strstr(text, "Depends(") : NULL;
    if (!d) return TY_NONE;
    d += 8;
    char name[128];
    size_t n = 0;
    while (*d && *d != ')' && *d != ',' && n + 1 < sizeof name) name[n++] = *d++;
    name[n] = '\0';
    char *nm = pa_str_trim(name);
    size_t l = strlen(nm);
    while (l && isspace((unsigned char)nm[l - 1])) nm[--l] = '\0';
    if (!is_dotted(nm)) return TY_NONE;
    pa_fref p = resolve_funcref_d(ix, file, func, 0, nm, depth + 1);
    if (!pa_fref_ok(p)) {
        int32_t cf, cc;   /* Depends(SomeClass) */
        if (class_ref_dotted(ix, file, func, nm, &cf, &cc, depth + 1)) return (struct ty){cf, cc, NULL};
        return TY_NONE;
    }
    return func_return_type(ix, p, depth + 1);
}

/* The Django model class of a QuerySet call chain: Order for
 * Order.objects.filter(...).exclude(...) (and app.models.Order.objects…),
 * when Order is a project class deriving from models.Model. */
static struct ty django_model_of_call(pa_index *ix, int32_t file, int32_t c, int depth)
{
    const struct pa_call *call = &ix->files[file].f->calls.v[c];
    const char *cal = call->callee;
    const char *obj = cal ? strstr(cal, ".objects.") : NULL;
    if (!obj || depth > MAX_DEPTH) return TY_NONE;
    /* values()/values_list() querysets hold dicts/tuples, not instances */
    for (const char *v = strstr(obj, ".values"); v; v = strstr(v + 1, ".values"))
        if (v[7] == '(' || v[7] == '\0' || strncmp(v + 7, "_list", 5) == 0) return TY_NONE;
    char name[128];
    size_t n = (size_t)(obj - cal);
    if (n >= sizeof name) return TY_NONE;
    memcpy(name, cal, n);
    name[n] = '\0';
    int32_t cf, cc;
    if (!class_ref_dotted(ix, file, call->func, name, &cf, &cc, depth + 1)) return TY_NONE;
    if (!class_lib_base(ix, cf, cc, is_django_model_base)) return TY_NONE;
    return (struct ty){cf, cc, NULL};
}

/* QuerySet methods returning one model instance. */
static bool django_instance_method(const char *libname)
{
    static const char *const ms[] = {"get", "first", "last", "latest", "earliest", "create", NULL};
    if (!pa_str_starts(libname, "django.db.models.QuerySet.")) return false;
    return str_in(libname + strlen("django.db.models.QuerySet."), ms);
}

static struct ty type_of_call(pa_index *ix, int32_t file, int32_t c, int depth)
{
    if (c < 0 || depth > MAX_DEPTH) return TY_NONE;
    const struct ix_res *r = resolve_call(ix, file, c, depth + 1);
    switch (r->kind) {
    case PA_TARGET_CLASS: return (struct ty){r->a, r->b, NULL};
    case PA_TARGET_LIBRARY: {
        if (django_instance_method(ix_lib(r)->name)) return django_model_of_call(ix, file, c, depth + 1);
        const char *ret = pa_libsig_returns(ix_lib(r));
        return ret ? (struct ty){-1, -1, ret} : TY_NONE;
    }
    case PA_TARGET_PROJECT: return func_return_type(ix, (pa_fref){r->a, r->b}, depth);
    default: return TY_NONE;
    }
}

static struct ty type_of_vnode(pa_index *ix, int32_t file, const struct ix_vnode *vn, int depth)
{
    const struct pa_file_facts *f = ix->files[file].f;
    switch (vn->kind) {
    case IX_VN_ASSIGN:
    case IX_VN_SELFATTR: {
        const struct pa_assign *a = &f->assigns.v[vn->idx];
        if (a->annotation) {
            struct ty t = type_of_annotation(ix, file, a->func, a->annotation, depth + 1);
            if (ty_known(t)) return t;
        }
        if (a->value_call >= 0) return type_of_call(ix, file, a->value_call, depth + 1);
        if (a->value_kind == PA_EXPR_NAME && a->value && !(vn->kind == IX_VN_ASSIGN && strcmp(a->value, a->target) == 0))
            return type_of_name(ix, file, a->func, a->value, a->line, depth + 1);
        return TY_NONE;
    }
    case IX_VN_WITH: {
        const struct pa_with_item *it = &f->withs.v[vn->idx].items[vn->item];
        return it->call >= 0 ? type_of_call(ix, file, it->call, depth + 1) : TY_NONE;
    }
    case IX_VN_LOOP: {
        /* for o in Order.objects.filter(...) / for o in orders (orders = Order.objects…) */
        const struct pa_loop *lp = &f->loops.v[vn->idx];
        int32_t ic = lp->iter_call;
        if (ic < 0 && lp->iter_kind == PA_EXPR_NAME && lp->iter && lp->func >= 0) {
            uint32_t head = kget_chain(&ix->syms, file, lp->func, lp->iter);
            uint32_t best_line = 0;
            for (int32_t i = (int32_t)head - 1; i >= 0; i = ix->vnodes.v[i].prev) {
                const struct ix_vnode *bv = &ix->vnodes.v[i];
                if (bv->kind != IX_VN_ASSIGN || bv->line > lp->line || bv->line < best_line) continue;
                best_line = bv->line;
                ic = f->assigns.v[bv->idx].value_call;
            }
        }
        if (ic < 0) return TY_NONE;
        const struct ix_res *r = resolve_call(ix, file, ic, depth + 1);
        const char *ret = r->kind == PA_TARGET_LIBRARY ? pa_libsig_returns(ix_lib(r)) : NULL;
        if (ret && strcmp(ret, "django.db.models.QuerySet") == 0) return django_model_of_call(ix, file, ic, depth + 1);
        return TY_NONE;
    }
    case IX_VN_CLSATTR: {
        const struct pa_class_attr *at = &f->classes.v[vn->idx].attrs[vn->item];
        if (at->annotation) {
            struct ty t = type_of_annotation(ix, file, f->classes.v[vn->idx].func, at->annotation, depth + 1);
            if (ty_known(t)) return t;
        }
        return at->value_call >= 0 ? type_of_call(ix, file, at->value_call, depth + 1) : TY_NONE;
    }
    default: return TY_NONE;
    }
}

/* Latest binding of name in scope at or before line (line 0: any). */
/* Type of name in one scope from its bindings: the latest binding at or
 * before line (line 0: any) first, then any other binding with a type. */
static struct ty type_in_scope(pa_index *ix, int32_t file, int32_t scope, const char *name, uint32_t line, int depth,
                               bool *bound)
{
    uint32_t head = kget_chain(&ix->syms, file, scope, name);
    *bound = false;
    int32_t best = -1;
    for (int32_t i = (int32_t)head - 1; i >= 0; i = ix->vnodes.v[i].prev) {
        const struct ix_vnode *vn = &ix->vnodes.v[i];
        if (line && vn->line > line) continue;
        *bound = true;
        if (best < 0 || vn->line > ix->vnodes.v[best].line) best = i;
    }
    if (best < 0) return TY_NONE;
    struct ix_vnode copy = ix->vnodes.v[best];
    struct ty t = type_of_vnode(ix, file, &copy, depth + 1);
    if (ty_known(t)) return t;
    for (int32_t i = (int32_t)head - 1; i >= 0; i = ix->vnodes.v[i].prev) {
        if (i == best || (line && ix->vnodes.v[i].line > line)) continue;
        copy = ix->vnodes.v[i];
        t = type_of_vnode(ix, file, &copy, depth + 1);
        if (ty_known(t)) return t;
    }
    return TY_NONE;
}

static int32_t method_class_of(const struct pa_file_facts *f, int32_t func)
{
    for (int guard = 0; func >= 0 && guard < 64; guard++) {
        const struct pa_func *fn = &f->funcs.v[func];
        if (fn->cls >= 0) return fn->cls;
        func = fn->parent;
    }
    return -1;
}

static struct ty type_of_param(pa_index *ix, int32_t file, int32_t s, int32_t p, int depth)
{
    const struct pa_func *fn = &ix->files[file].f->funcs.v[s];
    const struct pa_param *pp = &fn->params[p];
    if (p == 0 && fn->cls >= 0 && pp->name && (strcmp(pp->name, "self") == 0 || strcmp(pp->name, "cls") == 0))
        return (struct ty){file, fn->cls, NULL};
    struct ty t = TY_NONE;
    if (pp->annotation) t = type_of_annotation(ix, file, fn->parent, pp->annotation, depth + 1);
    if (!ty_known(t) && pp->annotation) t = type_of_depends(ix, file, fn->parent, pp->annotation, depth + 1);
    if (!ty_known(t) && pp->default_) t = type_of_depends(ix, file, fn->parent, pp->default_, depth + 1);
    return t;
}

static struct ty type_of_name(pa_index *ix, int32_t file, int32_t func, const char *name, uint32_t line, int depth)
{
    if (depth > MAX_DEPTH || !name) return TY_NONE;
    const struct pa_file_facts *f = ix->files[file].f;
    int guard = 0;
    for (int32_t s = func; s >= 0 && guard < 64; s = f->funcs.v[s].parent, guard++) {
        bool bound;
        struct ty t = type_in_scope(ix, file, s, name, s == func ? line : 0, depth, &bound);
        if (ty_known(t)) return t;
        int32_t p = param_index(&f->funcs.v[s], name);
        if (p >= 0) return type_of_param(ix, file, s, p, depth);
        if (bound) return TY_NONE;
        uint32_t v = kget(&ix->syms, file, s, name);
        if (v) return TY_NONE;   /* a local def/import: not an instance */
    }
    bool bound;
    struct ty t = type_in_scope(ix, file, -1, name, 0, depth, &bound);
    if (ty_known(t) || bound) return t;
    uint32_t v = kget(&ix->syms, file, -1, name);
    if (SK_KIND(v) == IX_SK_IMPORT) {
        /* `from app.clients import client`: a module variable of another module */
        pa_buf b;
        pa_buf_init(&b);
        if (import_target(ix, file, &f->imports.v[SK_IDX(v)], &b)) t = resolve_canon_type(ix, pa_buf_cstr(&b), depth + 1);
        pa_buf_free(&b);
    }
    return t;
}

/* Type of a project module variable named by a canonical ("app.clients.client"). */
static struct ty resolve_canon_type(pa_index *ix, const char *canon, int depth)
{
    if (depth > MAX_DEPTH) return TY_NONE;
    const char *dot = strrchr(canon, '.');
    if (!dot) return TY_NONE;
    char mod[256];
    size_t n = (size_t)(dot - canon);
    if (n >= sizeof mod) return TY_NONE;
    memcpy(mod, canon, n);
    mod[n] = '\0';
    int32_t mf = module_file(ix, mod);
    if (mf < 0) return TY_NONE;
    uint32_t v = kget(&ix->syms, mf, -1, dot + 1);
    if (SK_KIND(v) == IX_SK_VAR) return type_of_name(ix, mf, -1, dot + 1, 0, depth + 1);
    if (SK_KIND(v) == IX_SK_IMPORT) {
        pa_buf b;
        pa_buf_init(&b);
        struct ty t = TY_NONE;
        if (import_target(ix, mf, &ix->files[mf].f->imports.v[SK_IDX(v)], &b) && strcmp(pa_buf_cstr(&b), canon) != 0)
            t = resolve_canon_type(ix, pa_buf_cstr(&b), depth + 1);
        pa_buf_free(&b);
        return t;
    }
    return TY_NONE;
}

/* Attributes an ORM gives a model class that its body does not bind:
 * Flask-SQLAlchemy `Model.query` (a Query), Django reverse relations
 * `obj.<name>_set` and many-to-many fields (managers: QuerySet methods). */
static struct ty model_attr_type(pa_index *ix, struct ty t, const char *attr)
{
    if (strcmp(attr, "query") == 0 && class_lib_base(ix, t.file, t.cls, is_flask_model_base))
        return (struct ty){-1, -1, "sqlalchemy.orm.Query"};
    size_t n = strlen(attr);
    bool rel = n > 4 && strcmp(attr + n - 4, "_set") == 0;
    if (!rel) {
        /* tags = models.ManyToManyField(...) in the class body */
        const struct pa_class *c = &ix->files[t.file].f->classes.v[t.cls];
        for (uint16_t k = 0; k < c->nattrs && !rel; k++)
            if (c->attrs[k].name && strcmp(c->attrs[k].name, attr) == 0 && c->attrs[k].value &&
                strstr(c->attrs[k].value, "ManyToManyField("))
                rel = true;
    }
    if (rel && class_lib_base(ix, t.file, t.cls, is_django_model_base))
        return (struct ty){-1, -1, "django.db.models.QuerySet"};
    return TY_NONE;
}

/* Type of attribute `attr` of an instance of t (self.repo in a method). */
static struct ty attr_type(pa_index *ix, struct ty t, const char *attr, int depth)
{
    if (t.file < 0 && t.lib) {
        const char *lt = pa_libsig_attr_type(t.lib, attr);
        return lt ? (struct ty){-1, -1, lt} : TY_NONE;
    }
    if (t.file < 0 || depth > MAX_DEPTH) return TY_NONE;
    struct ty special = model_attr_type(ix, t, attr);
    if (ty_known(special)) return special;
    struct ix_base mro[64];
    size_t n = class_mro(ix, t.file, t.cls, mro, 64);
    for (size_t i = 0; i < n; i++) {
        bool bound;
        struct ty r = type_in_scope(ix, mro[i].file, CLS_SCOPE(mro[i].cls), attr, 0, depth + 1, &bound);
        if (ty_known(r)) return r;
        /* a @property / @cached_property with a return annotation */
        uint32_t v = kget(&ix->syms, mro[i].file, CLS_SCOPE(mro[i].cls), attr);
        if (SK_KIND(v) == IX_SK_FUNC) {
            const struct pa_func *fn = &ix->files[mro[i].file].f->funcs.v[SK_IDX(v)];
            for (uint16_t k = 0; k < fn->ndecorators; k++) {
                const char *d = fn->decorators[k];
                if (d && (strcmp(d, "property") == 0 || strcmp(pa_str_last_dot(d), "cached_property") == 0))
                    return func_return_type(ix, (pa_fref){mro[i].file, SK_IDX(v)}, depth + 1);
            }
        }
    }
    return TY_NONE;
}

/* ---- resolution ------------------------------------------------------------ */

static void set_project(pa_index *ix, struct ix_res *r, pa_fref fn)
{
    r->kind = PA_TARGET_PROJECT;
    r->a = fn.file;
    r->b = fn.func;
    const struct ix_file *xf = &ix->files[fn.file];
    pa_buf b;
    pa_buf_init(&b);
    dotted2(&b, xf->module, xf->f->funcs.v[fn.func].qualname);
    r->canon = intern(ix, b.s, b.len);
    pa_buf_free(&b);
}

static void set_class(pa_index *ix, struct ix_res *r, int32_t file, int32_t cls)
{
    r->kind = PA_TARGET_CLASS;
    r->a = file;
    r->b = cls;
    const struct ix_file *xf = &ix->files[file];
    pa_buf b;
    pa_buf_init(&b);
    dotted2(&b, xf->module, xf->f->classes.v[cls].qualname);
    r->canon = intern(ix, b.s, b.len);
    pa_buf_free(&b);
}

static void set_lib(pa_index *ix, struct ix_res *r, const struct pa_libsig *s, const char *canon)
{
    r->kind = PA_TARGET_LIBRARY;
    r->lib = pa_libsig_id(s);
    r->canon = intern_s(ix, canon ? canon : s->name);
}

/* Method `m` on a receiver of type t. */
static void method_on_type(pa_index *ix, struct ty t, const char *m, bool skip_self, struct ix_res *r)
{
    if (t.file >= 0) {
        pa_fref fn = class_method(ix, t.file, t.cls, m, skip_self);
        if (pa_fref_ok(fn)) { set_project(ix, r, fn); return; }
        const struct pa_libsig *s = class_lib_method(ix, t.file, t.cls, m);
        if (s) { set_lib(ix, r, s, s->name); return; }
        const struct ix_file *xf = &ix->files[t.file];
        const char *cn = xf->f->classes.v[t.cls].name;
        size_t cl = cn ? strlen(cn) : 0;
        pa_fref init = cl > 4 && strcmp(cn + cl - 4, "Stub") == 0 && m[0] != '_' ? ix_class_init(ix, t.file, t.cls)
                                                                              : PA_FREF_NONE;
        if (pa_fref_ok(init) && param_index(&ix->files[init.file].f->funcs.v[init.func], "channel") >= 0) {
            /* generated gRPC stub: methods are bound in __init__ (self.GetUser = channel.unary_unary(…)) */
            char nm[160];
            if ((size_t)snprintf(nm, sizeof nm, "grpc.Stub.%s", m) >= sizeof nm) return;
            set_lib(ix, r, pa_libsig_lookup(nm), nm);
            return;
        }
        pa_buf b;
        pa_buf_init(&b);
        dotted2(&b, xf->module, xf->f->classes.v[t.cls].qualname);
        pa_buf_putc(&b, '.');
        pa_buf_puts(&b, m);
        r->canon = intern(ix, b.s, b.len);
        pa_buf_free(&b);
        return;
    }
    if (t.lib) {
        char buf[256];
        if ((size_t)snprintf(buf, sizeof buf, "%s.%s", t.lib, m) >= sizeof buf) return;
        const struct pa_libsig *s = pa_libsig_lookup(buf);
        if (s) set_lib(ix, r, s, buf);
        else r->canon = intern_s(ix, buf);
    }
}

/* Method call through an attribute path on a value of type t:
 * rest = "query.filter_by" → attr_type(t, query) then method filter_by. */
static void method_via_attrs(pa_index *ix, struct ty t, const char *rest, bool skip_self, struct ix_res *r,
                             int depth)
{
    const char *p = rest;
    for (;;) {
        const char *dot = strchr(p, '.');
        if (!dot) break;
        char an[128];
        size_t al = (size_t)(dot - p);
        if (al >= sizeof an) return;
        memcpy(an, p, al);
        an[al] = '\0';
        t = attr_type(ix, t, an, depth + 1);
        if (!ty_known(t)) return;
        p = dot + 1;
    }
    if (ty_known(t)) method_on_type(ix, t, p, skip_self, r);
}

/* Resolve a canonical dotted name: project symbol first, then library. */
static void resolve_canon(pa_index *ix, const char *canon, struct ix_res *r, int depth)
{
    if (depth > MAX_DEPTH) return;
    size_t n = strlen(canon);
    char stack_buf[256];
    char *buf = n < sizeof stack_buf ? stack_buf : pa_xmalloc(n + 1);
    memcpy(buf, canon, n + 1);
    /* longest module prefix */
    int32_t mf = -1;
    size_t cut = n;
    for (;;) {
        char save = buf[cut];
        buf[cut] = '\0';
        mf = module_file(ix, buf);
        buf[cut] = save;
        if (mf >= 0) break;
        while (cut > 0 && buf[cut - 1] != '.') cut--;
        if (cut == 0) break;
        cut--;
    }
    if (mf >= 0 && cut < n) {
        const char *rem = canon + cut + 1;
        size_t hl = strcspn(rem, ".");
        char head[128];
        if (hl < sizeof head) {
            memcpy(head, rem, hl);
            head[hl] = '\0';
            const char *more = rem[hl] ? rem + hl + 1 : NULL;
            uint32_t v = kget(&ix->syms, mf, -1, head);
            switch (SK_KIND(v)) {
            case IX_SK_FUNC:
                if (!more) set_project(ix, r, (pa_fref){mf, SK_IDX(v)});
                else r->canon = intern_s(ix, canon);
                break;
            case IX_SK_CLASS:
                if (!more) set_class(ix, r, mf, SK_IDX(v));
                else if (!strchr(more, '.')) method_on_type(ix, (struct ty){mf, SK_IDX(v), NULL}, more, false, r);
                else method_via_attrs(ix, (struct ty){mf, SK_IDX(v), NULL}, more, false, r, depth + 1);   /* User.query.get */
                if (r->kind == PA_TARGET_UNRESOLVED && !r->canon) r->canon = intern_s(ix, canon);
                break;
            case IX_SK_IMPORT: {
                pa_buf b;
                pa_buf_init(&b);
                if (import_target(ix, mf, &ix->files[mf].f->imports.v[SK_IDX(v)], &b)) {
                    if (more) { pa_buf_putc(&b, '.'); pa_buf_puts(&b, more); }
                    if (strcmp(pa_buf_cstr(&b), canon) != 0) resolve_canon(ix, pa_buf_cstr(&b), r, depth + 1);
                }
                pa_buf_free(&b);
                break;
            }
            case IX_SK_VAR: {
                struct ty t = type_of_name(ix, mf, -1, head, 0, depth + 1);
                if (!more) { if (ty_known(t)) method_on_type(ix, t, "__call__", false, r); }
                else if (!strchr(more, '.')) method_on_type(ix, t, more, false, r);
                else if (ty_known(t)) method_via_attrs(ix, t, more, false, r, depth + 1);   /* db.session.add */
                if (r->kind == PA_TARGET_UNRESOLVED && !r->canon) r->canon = intern_s(ix, canon);
                break;
            }
            default:
                r->canon = intern_s(ix, canon);
                break;
            }
        }
        if (buf != stack_buf) free(buf);
        return;
    }
    if (buf != stack_buf) free(buf);
    if (mf >= 0) return;   /* a bare module is not callable */
    const struct pa_libsig *s = pa_libsig_lookup(canon);
    if (!s && n > 4 && strcmp(canon + n - 4, "Stub") == 0 && strstr(canon, "grpc"))
        s = pa_libsig_find("grpc.Stub");   /* a generated gRPC stub: user_pb2_grpc.UserServiceStub */
    if (s) set_lib(ix, r, s, canon);
    else r->canon = intern_s(ix, canon);
}

static const char *const k_session_names[] = {"session", "db", "db_session", "self.session", "self.db",
                                              "self._session", NULL};
static const char *const k_async_io_methods[] = {"get", "execute", "scalars", "scalar", "stream", "stream_scalars",
                                                 "delete", "merge", "flush", "commit", "rollback", "refresh",
                                                 "run_sync", "close", NULL};

/* Does the file import an HTTP client library (requests, aiohttp, httpx)
 * and no ORM (sqlalchemy, sqlmodel, flask_sqlalchemy)? Then a receiver
 * named `session` is an HTTP session far more often than an ORM one. */
static bool file_http_not_orm(const pa_index *ix, int32_t file)
{
    const struct pa_file_facts *f = ix->files[file].f;
    static const char *const http[] = {"requests", "aiohttp", "httpx", NULL};
    static const char *const orm[] = {"sqlalchemy", "sqlmodel", "flask_sqlalchemy", NULL};
    bool h = false;
    for (size_t i = 0; i < f->imports.n; i++) {
        const struct pa_import *imp = &f->imports.v[i];
        if (!imp->module || imp->level) continue;
        char top[64];
        size_t n = strcspn(imp->module, ".");
        if (n >= sizeof top) continue;
        memcpy(top, imp->module, n);
        top[n] = '\0';
        if (str_in(top, orm)) return false;
        if (str_in(top, http)) h = true;
    }
    return h;
}

/* The SQLAlchemy-session name heuristic (see DESIGN). */
static struct ty session_guess(const pa_index *ix, const struct pa_call *call)
{
    bool io = str_in(call->attr, k_async_io_methods);
    bool async_ = (call->flags & (PA_CALL_AWAITED | PA_CALL_ASYNC_ITER)) ? true : io ? false : ix->orm_async;
    return (struct ty){-1, -1, async_ ? "sqlalchemy.ext.asyncio.AsyncSession" : "sqlalchemy.orm.Session"};
}

/* Resolve a dotted expression without calls ("a.b.c") seen from (file, func)
 * at line; the last component is the called name. */
static void resolve_dotted(pa_index *ix, int32_t file, int32_t func, uint32_t line, const char *dotted,
                           struct ix_res *r, int depth)
{
    const struct pa_file_facts *f = ix->files[file].f;
    size_t hl = strcspn(dotted, ".");
    char head[128];
    if (hl >= sizeof head) return;
    memcpy(head, dotted, hl);
    head[hl] = '\0';
    const char *rest = dotted[hl] ? dotted + hl + 1 : NULL;
    int32_t scope = -1;
    uint32_t v = lookup_name(ix, file, func, head, &scope);
    int kind = SK_KIND(v);
    if (!rest) {
        switch (kind) {
        case IX_SK_FUNC: set_project(ix, r, (pa_fref){file, SK_IDX(v)}); return;
        case IX_SK_CLASS: set_class(ix, r, file, SK_IDX(v)); return;
        case IX_SK_VAR:
        case IX_SK_PARAM: {
            if (kind == IX_SK_PARAM && SK_IDX(v) == 0 && scope >= 0 && strcmp(head, "cls") == 0 &&
                ix->files[file].f->funcs.v[scope].cls >= 0) {
                set_class(ix, r, file, ix->files[file].f->funcs.v[scope].cls);   /* cls() in a classmethod */
                return;
            }
            struct ty t = type_of_name(ix, file, func, head, line, depth + 1);
            if (ty_known(t)) {
                method_on_type(ix, t, "__call__", false, r);
                if (r->kind == PA_TARGET_PROJECT || r->kind == PA_TARGET_LIBRARY) return;
                r->canon = NULL;
            }
            if (scope == -1 && kind == IX_SK_VAR) {
                pa_buf b;
                pa_buf_init(&b);
                dotted2(&b, ix->files[file].module, head);
                r->canon = intern(ix, b.s, b.len);
                pa_buf_free(&b);
            }
            return;
        }
        default: break;
        }
    } else {
        /* Model.objects.filter → Django */
        const char *lastdot = strrchr(dotted, '.');
        if (lastdot - dotted >= 8 && strncmp(lastdot - 8, ".objects", 8) == 0) {
            char buf[128];
            if ((size_t)snprintf(buf, sizeof buf, "django.db.models.QuerySet.%s", lastdot + 1) < sizeof buf) {
                const struct pa_libsig *s = pa_libsig_find(buf);
                if (s) { set_lib(ix, r, s, s->name); return; }
            }
        }
        if (kind == IX_SK_CLASS) {
            struct ty t = {file, SK_IDX(v), NULL};
            if (!strchr(rest, '.')) { method_on_type(ix, t, rest, false, r); return; }
            method_via_attrs(ix, t, rest, false, r, depth + 1);   /* User.query.filter_by (Flask-SQLAlchemy) */
            if (r->kind != PA_TARGET_UNRESOLVED) return;
        } else if (kind == IX_SK_VAR || kind == IX_SK_PARAM) {
            struct ty t = type_of_name(ix, file, func, head, line, depth + 1);
            const char *p = rest;
            for (;;) {
                const char *dot = strchr(p, '.');
                if (!dot) break;
                char an[128];
                size_t al = (size_t)(dot - p);
                if (al >= sizeof an) { t = TY_NONE; break; }
                memcpy(an, p, al);
                an[al] = '\0';
                t = attr_type(ix, t, an, depth + 1);
                p = dot + 1;
            }
            if (ty_known(t)) {
                method_on_type(ix, t, p, false, r);
                return;
            }
            if (scope == -1 && kind == IX_SK_VAR) {
                pa_buf b;
                pa_buf_init(&b);
                dotted2(&b, ix->files[file].module, dotted);
                r->canon = intern(ix, b.s, b.len);
                pa_buf_free(&b);
            }
            return;
        } else if (kind == IX_SK_FUNC) {
            /* send_report.delay(...) on a Celery task / dramatiq actor */
            const struct pa_func *fn = &f->funcs.v[SK_IDX(v)];
            const char *sig = NULL;
            for (uint16_t k = 0; k < fn->ndecorators && !sig; k++) {
                const char *d = fn->decorators[k];
                if (!d) continue;
                size_t dn = strcspn(d, "(");
                const char *dl = d;
                for (size_t q = 0; q < dn; q++) if (d[q] == '.') dl = d + q + 1;
                size_t ln = (size_t)(d + dn - dl);
                if ((ln == 4 && !strncmp(dl, "task", 4)) || (ln == 11 && !strncmp(dl, "shared_task", 11)))
                    sig = !strcmp(rest, "delay") ? "celery.Task.delay" : !strcmp(rest, "apply_async") ? "celery.Task.apply_async" : NULL;
                else if (ln == 5 && !strncmp(dl, "actor", 5))
                    sig = !strcmp(rest, "send") ? "dramatiq.Actor.send"
                          : !strcmp(rest, "send_with_options") ? "dramatiq.Actor.send_with_options" : NULL;
            }
            if (sig) set_lib(ix, r, pa_libsig_find(sig), NULL);
            return;
        }
    }
    /* imports, module-level names, builtins: through the canonical name */
    pa_buf b;
    pa_buf_init(&b);
    if (canonical_in(ix, file, func, dotted, &b, 0)) resolve_canon(ix, pa_buf_cstr(&b), r, depth + 1);
    pa_buf_free(&b);
}

static pa_fref resolve_funcref_d(pa_index *ix, int32_t file, int32_t func, uint32_t line, const char *text, int depth)
{
    if (!text || !is_dotted(text) || depth > MAX_DEPTH) return PA_FREF_NONE;
    struct ix_res r = {0};
    r.a = r.b = -1;
    resolve_dotted(ix, file, func, line, text, &r, depth);
    if (r.kind == PA_TARGET_PROJECT) return (pa_fref){r.a, r.b};
    return PA_FREF_NONE;
}

pa_fref ix_resolve_funcref(pa_index *ix, int32_t file, int32_t func, uint32_t line, const char *text)
{
    return resolve_funcref_d(ix, file, func, line, text, 1);
}

const char *ix_module_var_ctor(const pa_index *ix, int32_t file, const char *name)
{
    uint32_t head = kget_chain(&ix->syms, file, -1, name);
    for (int32_t i = (int32_t)head - 1; i >= 0; i = ix->vnodes.v[i].prev) {
        const struct ix_vnode *vn = &ix->vnodes.v[i];
        if (vn->kind != IX_VN_ASSIGN) continue;
        const struct pa_assign *a = &ix->files[file].f->assigns.v[vn->idx];
        if (a->value_call < 0) continue;
        const struct ix_res *r = &ix->files[file].res[a->value_call];
        if (r->canon) return r->canon;
        return ix->files[file].f->calls.v[a->value_call].callee;
    }
    return NULL;
}

pa_fref ix_local_def(const pa_index *ix, int32_t file, int32_t func, const char *name)
{
    int32_t scope = -1;
    uint32_t v = lookup_name(ix, file, func, name, &scope);
    if (SK_KIND(v) == IX_SK_FUNC && scope >= 0) return (pa_fref){file, SK_IDX(v)};
    return PA_FREF_NONE;
}

static bool class_ref_dotted(pa_index *ix, int32_t file, int32_t func, const char *text, int32_t *cf, int32_t *cc,
                             int depth)
{
    if (!is_dotted(text) || depth > MAX_DEPTH) return false;
    int32_t scope;
    uint32_t v = lookup_name(ix, file, func, text, &scope);
    if (SK_KIND(v) == IX_SK_CLASS) { *cf = file; *cc = SK_IDX(v); return true; }
    if (SK_KIND(v) == IX_SK_FUNC || SK_KIND(v) == IX_SK_VAR || SK_KIND(v) == IX_SK_PARAM) return false;
    pa_buf b;
    pa_buf_init(&b);
    struct ix_res r = {0};
    r.a = r.b = -1;
    if (canonical_in(ix, file, func, text, &b, 0)) resolve_canon(ix, pa_buf_cstr(&b), &r, depth + 1);
    pa_buf_free(&b);
    if (r.kind == PA_TARGET_CLASS) { *cf = r.a; *cc = r.b; return true; }
    return false;
}

/* Is the first SQL argument of call c a write? */
static int sql_kind_of_text(const char *t)
{
    if (!t) return 0;
    while (*t && (isalpha((unsigned char)*t)) && (strchr("rRbBuUfF", *t))) t++;
    while (*t == '"' || *t == '\'' || *t == '(' || isspace((unsigned char)*t)) t++;
    char w[16];
    size_t n = 0;
    while (isalpha((unsigned char)*t) && n + 1 < sizeof w) w[n++] = (char)toupper((unsigned char)*t++);
    w[n] = '\0';
    static const char *const writes[] = {"INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE", "UPSERT", "CREATE",
                                         "DROP", "ALTER", "TRUNCATE", "GRANT", "COPY", NULL};
    static const char *const reads[] = {"SELECT", "WITH", "SHOW", "EXPLAIN", "VALUES", "TABLE", NULL};
    if (str_in(w, writes)) return 2;
    if (str_in(w, reads)) return 1;
    return 0;
}

static int sql_kind_of_call(pa_index *ix, int32_t file, int32_t c, int depth);

static int sql_kind_of_arg(pa_index *ix, int32_t file, int32_t func, uint32_t line, const struct pa_arg *a, int depth)
{
    if (depth > 8) return 0;
    if (a->kind == PA_EXPR_STR || a->kind == PA_EXPR_FSTRING || a->kind == PA_EXPR_BINOP) return sql_kind_of_text(a->text);
    if (a->call >= 0) return sql_kind_of_call(ix, file, a->call, depth + 1);
    if (a->kind == PA_EXPR_NAME && a->text) {
        const struct pa_file_facts *f = ix->files[file].f;
        for (int32_t s = func;; s = f->funcs.v[s].parent) {
            uint32_t head = kget_chain(&ix->syms, file, s, a->text);
            for (int32_t i = (int32_t)head - 1; i >= 0; i = ix->vnodes.v[i].prev) {
                const struct ix_vnode *vn = &ix->vnodes.v[i];
                if (vn->kind != IX_VN_ASSIGN || (s == func && line && vn->line > line)) continue;
                const struct pa_assign *as = &f->assigns.v[vn->idx];
                if (as->value_call >= 0) return sql_kind_of_call(ix, file, as->value_call, depth + 1);
                return sql_kind_of_text(as->value);
            }
            if (s < 0) break;
        }
    }
    return 0;
}

static int sql_kind_of_call(pa_index *ix, int32_t file, int32_t c, int depth)
{
    const struct pa_call *call = &ix->files[file].f->calls.v[c];
    if (!call->callee) return 0;
    /* root function of a statement chain: "sa.update().where().values" → "update" */
    const char *end = strstr(call->callee, "()");
    size_t n = end ? (size_t)(end - call->callee) : strlen(call->callee);
    const char *start = call->callee;
    for (size_t i = 0; i < n; i++) if (call->callee[i] == '.') start = call->callee + i + 1;
    size_t rn = (size_t)(call->callee + n - start);
    char root[32];
    if (rn >= sizeof root) return 0;
    memcpy(root, start, rn);
    root[rn] = '\0';
    if (!strcmp(root, "update") || !strcmp(root, "delete") || !strcmp(root, "insert")) return 2;
    if (!strcmp(root, "select")) return 1;
    if (!strcmp(root, "text") && end == NULL) {
        for (uint16_t i = 0; i < call->nargs; i++)
            if (!call->args[i].kw) return sql_kind_of_arg(ix, file, call->func, call->line, &call->args[i], depth + 1);
    }
    return 0;
}

static void resolve_into(pa_index *ix, int32_t file, int32_t c, struct ix_res *r, int depth)
{
    const struct pa_file_facts *f = ix->files[file].f;
    const struct pa_call *call = &f->calls.v[c];
    const char *callee = call->callee;
    if (depth > MAX_DEPTH) { ix->trunc = true; return; }
    if (!callee || !*callee || callee[0] == '?') return;
    const char *lastcall = NULL;
    for (const char *p = strstr(callee, "()"); p; p = strstr(p + 2, "()")) lastcall = p;
    if (lastcall) {
        if (lastcall[2] == '\0') {
            /* calling the result of a call: sync_to_async(fn)(x), factory()() */
            int32_t inner = call->recv_call;
            size_t pl = (size_t)(lastcall - callee);
            for (int32_t k = c + 1; inner < 0 && k <= c + 8 && (size_t)k < f->calls.n; k++) {
                const struct pa_call *kc = &f->calls.v[k];
                if (kc->line == call->line && kc->col == call->col && kc->callee && strlen(kc->callee) == pl &&
                    strncmp(kc->callee, callee, pl) == 0)
                    inner = k;
            }
            if (inner >= 0) {
                const struct ix_res *rr = resolve_call(ix, file, inner, depth + 1);
                /* rel fix (issue 9, fuzz): a result cut by the depth bound is
                 * not memoised, so resolving `inner` again below (type_of_call)
                 * doubled the work per level: f()()()… took 2^depth steps
                 * (seconds to minutes). A cut result is discarded anyway. */
                if (ix->trunc) return;
                if (rr->kind == PA_TARGET_LIBRARY && (ix_lib(rr)->flags & PA_LIB_OFFLOAD)) {
                    r->flags |= IX_RF_OFFLOAD_INVOKE;
                    return;
                }
                struct ty t = type_of_call(ix, file, inner, depth + 1);
                if (ty_known(t)) method_on_type(ix, t, "__call__", false, r);
            }
            return;
        }
        if (lastcall[2] != '.') return;
        const char *rest = lastcall + 3;
        struct ty t = TY_NONE;
        bool sup = false;
        size_t plen = (size_t)(lastcall - callee);
        if (plen == 5 && strncmp(callee, "super", 5) == 0) {
            int32_t mc = method_class_of(f, call->func);
            if (mc >= 0) { t = (struct ty){file, mc, NULL}; sup = true; }
        } else if (call->recv_call >= 0) {
            t = type_of_call(ix, file, call->recv_call, depth + 1);
            if (ix->trunc) return;   /* rel fix (issue 9): cut by the depth bound, see above */
            if (!ty_known(t) && strstr(callee, ".objects.")) t = (struct ty){-1, -1, "django.db.models.QuerySet"};
        }
        method_via_attrs(ix, t, rest, sup, r, depth);
        return;
    }
    resolve_dotted(ix, file, call->func, call->line, callee, r, depth);
    if (r->kind == PA_TARGET_UNRESOLVED && strchr(callee, '.')) {
        /* the session-name heuristic, when no type information exists */
        const char *lastdot = strrchr(callee, '.');
        size_t rl = (size_t)(lastdot - callee);
        char recv[64];
        if (rl < sizeof recv) {
            memcpy(recv, callee, rl);
            recv[rl] = '\0';
            if (str_in(recv, k_session_names)) {
                bool known = false;
                if (!strchr(recv, '.')) known = ty_known(type_of_name(ix, file, call->func, recv, call->line, depth + 1));
                /* an HTTP client session: get(url)/get(..., params=…) or any
                 * HTTP verb is not an ORM call */
                bool http = false;
                for (uint16_t k = 0; k < call->nargs; k++) {
                    const struct pa_arg *a = &call->args[k];
                    if ((!a->kw && k == 0 &&
                         (a->kind == PA_EXPR_STR || a->kind == PA_EXPR_FSTRING ||
                          (a->text && (strstr(a->text, "url") || strstr(a->text, "URL") || strstr(a->text, "http"))))) ||
                        (a->kw && (!strcmp(a->kw, "url") || !strcmp(a->kw, "params") || !strcmp(a->kw, "headers") ||
                                   !strcmp(a->kw, "json") || !strcmp(a->kw, "timeout"))))
                        http = true;
                }
                if (!known && !http && !file_http_not_orm(ix, file)) {
                    method_on_type(ix, session_guess(ix, call), lastdot + 1, false, r);
                    if (r->kind == PA_TARGET_UNRESOLVED) r->canon = NULL;   /* no claim for unknown methods */
                }
            }
        }
        /* offloaders recognised by method name on an untyped receiver: any
         * `*.run_in_executor`, and `.submit`/`.map` on a receiver named like an executor */
        if (r->kind == PA_TARGET_UNRESOLVED && strcmp(lastdot + 1, "run_in_executor") == 0)
            set_lib(ix, r, pa_libsig_find("asyncio.AbstractEventLoop.run_in_executor"), NULL);
        if (r->kind == PA_TARGET_UNRESOLVED && (strcmp(lastdot + 1, "submit") == 0 || strcmp(lastdot + 1, "map") == 0) &&
            rl < sizeof recv) {
            const char *rlast = pa_str_last_dot(recv);
            bool exec_name = strstr(rlast, "executor") || strstr(rlast, "Executor") || strcmp(rlast, "pool") == 0 ||
                             strcmp(rlast, "_pool") == 0 || strcmp(rlast, "thread_pool") == 0 ||
                             strcmp(rlast, "process_pool") == 0;
            if (exec_name) {
                char nm[64];
                snprintf(nm, sizeof nm, "concurrent.futures.Executor.%s", lastdot + 1);
                set_lib(ix, r, pa_libsig_find(nm), NULL);
            }
        }
    }
}

/* Deferring registrations recognised by method name on a receiver the
 * index could not type (loop.call_soon, fut.add_done_callback,
 * transaction.on_commit, tasks.add_task, a bare imported on_commit(fn)),
 * whatever the receiver expression:
 * what they are handed runs later, not as part of this call. */
static void defer_by_name(pa_index *ix, const struct pa_call *call, struct ix_res *r)
{
    if (r->kind != PA_TARGET_UNRESOLVED || !call->callee || !call->attr || call->callee[0] == '?') return;
    const char *m = call->attr;
    static const char *const loop_defer[] = {"call_soon", "call_soon_threadsafe", "call_later", "call_at", NULL};
    char nm[96];
    nm[0] = '\0';
    if (str_in(m, loop_defer)) snprintf(nm, sizeof nm, "asyncio.AbstractEventLoop.%s", m);
    else if (strcmp(m, "add_done_callback") == 0) snprintf(nm, sizeof nm, "asyncio.Future.add_done_callback");
    else if (strcmp(m, "on_commit") == 0) snprintf(nm, sizeof nm, "django.db.transaction.on_commit");
    else if (strcmp(m, "add_task") == 0) snprintf(nm, sizeof nm, "starlette.background.BackgroundTasks.add_task");
    if (nm[0]) set_lib(ix, r, pa_libsig_find(nm), NULL);
}

static struct ix_res *resolve_call(pa_index *ix, int32_t file, int32_t c, int depth)
{
    static struct ix_res busy_res = {.kind = PA_TARGET_UNRESOLVED, .a = -1, .b = -1};
    struct ix_res *r = &ix->files[file].res[c];
    if (r->flags & IX_RF_DONE) return r;
    if (r->flags & IX_RF_BUSY) return &busy_res;   /* cycle: read-only sentinel */
    r->flags |= IX_RF_BUSY;
    r->a = r->b = -1;
    bool outer_trunc = ix->trunc;
    ix->trunc = false;
    resolve_into(ix, file, c, r, depth);
    if (ix->trunc) {
        /* cut by the depth bound: do not memoise; resolved again from the top */
        *r = (struct ix_res){0};
        ix->trunc = true;
        static struct ix_res cut_res = {.kind = PA_TARGET_UNRESOLVED, .a = -1, .b = -1};
        return &cut_res;
    }
    ix->trunc = outer_trunc;
    defer_by_name(ix, &ix->files[file].f->calls.v[c], r);
    if (r->kind == PA_TARGET_LIBRARY && (ix_lib(r)->flags & PA_LIBX_SQL)) {
        const struct pa_call *call = &ix->files[file].f->calls.v[c];
        for (uint16_t i = 0; i < call->nargs; i++) {
            if (call->args[i].kw) continue;
            if (sql_kind_of_arg(ix, file, call->func, call->line, &call->args[i], 0) == 2)
                r->lib = pa_libsig_id(pa_libsig_write_variant(ix_lib(r)));
            break;
        }
    }
    if (r->kind == PA_TARGET_LIBRARY && strcmp(ix_lib(r)->name, "grpc.Stub.*") == 0 &&
        (ix->files[file].f->calls.v[c].flags & PA_CALL_AWAITED))
        r->lib = pa_libsig_id(pa_libsig_find("grpc.aio.Stub.*"));   /* a stub over a grpc.aio channel */
    r->flags = (uint8_t)((r->flags & ~IX_RF_BUSY) | IX_RF_DONE);
    return r;
}

/* ---- building the tables ------------------------------------------------------ */

static void add_vnode(pa_index *ix, int32_t file, int32_t scope, const char *name, uint8_t kind, int32_t idx,
                      uint16_t item, uint32_t line)
{
    struct ix_vnode vn = {-1, kind, item, idx, line};
    uint32_t id = (uint32_t)ix->vnodes.n;
    struct ix_kent *e = kentry(&ix->syms, file, scope, name);
    vn.prev = (int32_t)e->chain - 1;
    e->chain = id + 1;
    pa_vec_push(&ix->vnodes, vn);
}

static void build_file_tables(pa_index *ix, int32_t file)
{
    struct ix_file *xf = &ix->files[file];
    const struct pa_file_facts *f = xf->f;
    PA_VEC(int32_t) stars = {0};
    /* imports (bind first; defs override) */
    for (size_t i = 0; i < f->imports.n; i++) {
        const struct pa_import *imp = &f->imports.v[i];
        if (imp->name && strcmp(imp->name, "*") == 0) {
            if (imp->func >= 0) continue;
            pa_buf m;
            pa_buf_init(&m);
            int32_t mf = import_abs_module(ix, file, imp, &m) ? module_file(ix, pa_buf_cstr(&m)) : -1;
            pa_buf_free(&m);
            if (mf >= 0) pa_vec_push(&stars, mf);
            continue;
        }
        if (!imp->alias) continue;
        /* later imports rebind, except that among conditional ones (try/except
         * ImportError, if/else by platform) the first - the preferred one - wins */
        uint32_t prev = kget(&ix->syms, file, imp->func, imp->alias);
        if (imp->conditional && SK_KIND(prev) == IX_SK_IMPORT && f->imports.v[SK_IDX(prev)].conditional) continue;
        kput(&ix->syms, file, imp->func, imp->alias, SK_MAKE(IX_SK_IMPORT, i), true);
    }
    xf->stars = stars.v;
    xf->nstars = (uint32_t)stars.n;
    for (size_t i = 0; i < f->classes.n; i++) {
        const struct pa_class *c = &f->classes.v[i];
        if (!c->name) continue;
        int32_t scope = c->func >= 0 ? c->func : c->parent >= 0 ? CLS_SCOPE(c->parent) : -1;
        if (c->func >= 0 && c->parent >= 0 && f->classes.v[c->parent].func == c->func) scope = CLS_SCOPE(c->parent);
        kput(&ix->syms, file, scope, c->name, SK_MAKE(IX_SK_CLASS, i), true);
    }
    for (size_t i = 0; i < f->funcs.n; i++) {
        const struct pa_func *fn = &f->funcs.v[i];
        if (fn->is_lambda || !fn->name) continue;
        int32_t scope = fn->cls >= 0 ? CLS_SCOPE(fn->cls) : fn->parent;
        if (fn->cls >= 0) {
            /* keep the first non-property definition of a method name (overloads, setters) */
            uint32_t prev = kget(&ix->syms, file, scope, fn->name);
            if (prev) continue;
        }
        kput(&ix->syms, file, scope, fn->name, SK_MAKE(IX_SK_FUNC, i), true);
    }
    for (size_t i = 0; i < f->assigns.n; i++) {
        const struct pa_assign *a = &f->assigns.v[i];
        if (!a->target) continue;
        if (a->target_kind == PA_EXPR_NAME) {
            if (a->func < 0 && a->cls >= 0) continue;   /* class body: see class attrs */
            kput(&ix->syms, file, a->func, a->target, SK_MAKE(IX_SK_VAR, i), false);
            add_vnode(ix, file, a->func, a->target, IX_VN_ASSIGN, (int32_t)i, 0, a->line);
        } else if (a->target_kind == PA_EXPR_ATTR && strncmp(a->target, "self.", 5) == 0 &&
                   !strchr(a->target + 5, '.') && a->func >= 0) {
            int32_t mc = method_class_of(f, a->func);
            if (mc >= 0) add_vnode(ix, file, CLS_SCOPE(mc), a->target + 5, IX_VN_SELFATTR, (int32_t)i, 0, a->line);
        }
    }
    for (size_t i = 0; i < f->withs.n; i++) {
        const struct pa_with *w = &f->withs.v[i];
        for (uint16_t k = 0; k < w->nitems; k++) {
            const char *as = w->items[k].as;
            if (!as || !is_dotted(as) || strchr(as, '.')) continue;
            kput(&ix->syms, file, w->func, as, SK_MAKE(IX_SK_VAR, 0), false);
            add_vnode(ix, file, w->func, as, IX_VN_WITH, (int32_t)i, k, w->line);
        }
    }
    for (size_t i = 0; i < f->loops.n; i++) {
        const struct pa_loop *lp = &f->loops.v[i];
        if (lp->kind == PA_LOOP_WHILE || !lp->target || !is_dotted(lp->target) || strchr(lp->target, '.')) continue;
        kput(&ix->syms, file, lp->func, lp->target, SK_MAKE(IX_SK_VAR, 0), false);
        add_vnode(ix, file, lp->func, lp->target, IX_VN_LOOP, (int32_t)i, 0, lp->line);
    }
    for (size_t i = 0; i < f->classes.n; i++) {
        const struct pa_class *c = &f->classes.v[i];
        for (uint16_t k = 0; k < c->nattrs; k++)
            if (c->attrs[k].name)
                add_vnode(ix, file, CLS_SCOPE((int32_t)i), c->attrs[k].name, IX_VN_CLSATTR, (int32_t)i, k, c->attrs[k].line);
    }
}

static void build_bases(pa_index *ix, int32_t file)
{
    struct ix_file *xf = &ix->files[file];
    const struct pa_file_facts *f = xf->f;
    if (!f->classes.n) return;
    xf->cls_base_off = pa_xcalloc(f->classes.n, sizeof *xf->cls_base_off);
    xf->cls_base_n = pa_xcalloc(f->classes.n, sizeof *xf->cls_base_n);
    for (size_t i = 0; i < f->classes.n; i++) {
        const struct pa_class *c = &f->classes.v[i];
        xf->cls_base_off[i] = (uint32_t)ix->bases.n;
        for (uint16_t k = 0; k < c->nbases; k++) {
            const char *bt = c->bases[k];
            if (!bt || strchr(bt, '=')) continue;   /* metaclass=…, table=True */
            char buf[128];
            size_t n = strcspn(bt, "[(");
            if (n >= sizeof buf) continue;
            memcpy(buf, bt, n);
            buf[n] = '\0';
            char *s = pa_str_trim(buf);
            size_t l = strlen(s);
            while (l && isspace((unsigned char)s[l - 1])) s[--l] = '\0';
            if (!is_dotted(s)) continue;
            struct ix_base b = {-1, -1, NULL};
            int32_t cf, cc;
            if (class_ref_dotted(ix, file, c->func, s, &cf, &cc, 0) && !(cf == file && cc == (int32_t)i)) {
                b.file = cf;
                b.cls = cc;
            } else {
                pa_buf cb;
                pa_buf_init(&cb);
                if (canonical_in(ix, file, c->func, s, &cb, 0)) b.lib = intern(ix, cb.s, cb.len);
                else b.lib = intern_s(ix, s);
                pa_buf_free(&cb);
            }
            pa_vec_push(&ix->bases, b);
            xf->cls_base_n[i]++;
        }
    }
}

/* The tables were sized for the worst case (every binding a new key); once
 * filled, fit them to what they hold: about 30% of the index's memory on a
 * large tree. */
static void shrink_tables(pa_index *ix)
{
    size_t want = ix->syms.n + ix->syms.n / 3 + 1024;   /* load <= 3/4 */
    if (want < ix->syms.cap - ix->syms.cap / 8) {
        struct ix_ktab old = ix->syms;
        ix->syms.cap = want;
        ix->syms.e = pa_xcalloc(want, sizeof *ix->syms.e);
        for (size_t i = 0; i < old.cap; i++)
            if (old.e[i].name) *kslot(&ix->syms, old.e[i].file, old.e[i].scope, old.e[i].name) = old.e[i];
        free(old.e);
    }
    if (ix->vnodes.n && ix->vnodes.n < ix->vnodes.cap) {
        ix->vnodes.v = pa_xrealloc(ix->vnodes.v, ix->vnodes.n * sizeof *ix->vnodes.v);
        ix->vnodes.cap = ix->vnodes.n;
    }
}

pa_index *pa_index_build(struct pa_file_facts *const *files, size_t n, struct pa_context *ctx)
{
    pa_libsig_init();
    pa_index *ix = pa_xcalloc(1, sizeof *ix);
    ix->files = pa_xcalloc(n ? n : 1, sizeof *ix->files);
    ix->nfiles = n;
    ix->ctx = ctx;
    ix->orm_async = ctx ? ctx->orm_async : false;
    pa_strmap_init(&ix->modmap);
    pa_strmap_init(&ix->intern);
    pa_arena_init(&ix->arena);
    uint32_t g = 0;
    for (size_t i = 0; i < n; i++) {
        struct ix_file *xf = &ix->files[i];
        xf->f = files[i];
        const char *mod = files[i]->module;
        char *owned = NULL;
        if (!mod || !*mod) mod = owned = pa_module_name_for_path(files[i]->path ? files[i]->path : "");
        xf->module = intern_s(ix, mod ? mod : "");
        free(owned);
        if (files[i]->is_package) xf->pkg = xf->module;
        else {
            const char *dot = strrchr(xf->module, '.');
            xf->pkg = dot ? intern(ix, xf->module, (size_t)(dot - xf->module)) : intern_s(ix, "");
        }
        if (*xf->module && !pa_strmap_has(&ix->modmap, xf->module))
            pa_strmap_put(&ix->modmap, xf->module, (void *)(intptr_t)(i + 1));
        xf->gbase = g;
        g += (uint32_t)files[i]->funcs.n;
        xf->res = pa_xcalloc(files[i]->calls.n ? files[i]->calls.n : 1, sizeof *xf->res);
    }
    ix->nfuncs = g;
    /* size the symbol table once: no rehashing while filling it */
    size_t want = 0;
    for (size_t i = 0; i < n; i++) {
        const struct pa_file_facts *f = files[i];
        want += f->imports.n + f->funcs.n + f->classes.n + f->assigns.n + f->withs.n;
        for (size_t k = 0; k < f->classes.n; k++) want += f->classes.v[k].nattrs;
    }
    ix->vnodes.v = pa_xmalloc((want ? want : 1) * sizeof *ix->vnodes.v);   /* no doubling overshoot */
    ix->vnodes.cap = want ? want : 1;
    ix->syms.cap = want + want / 2 + 1024;   /* load <= 2/3 even if every binding is a new key */
    ix->syms.e = pa_xcalloc(ix->syms.cap, sizeof *ix->syms.e);
    double t0 = pa_now_seconds();
    for (size_t i = 0; i < n; i++) build_file_tables(ix, (int32_t)i);
    shrink_tables(ix);
    double t1 = pa_now_seconds();
    for (size_t i = 0; i < n; i++) build_bases(ix, (int32_t)i);
    double t2 = pa_now_seconds();
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < files[i]->calls.n; c++) {
            ix->trunc = false;
            struct ix_res *r = resolve_call(ix, (int32_t)i, (int32_t)c, 0);
            if (r != &ix->files[i].res[c]) {   /* still cut at the top: keep it unresolved */
                ix->files[i].res[c] = (struct ix_res){0};
                ix->files[i].res[c].a = ix->files[i].res[c].b = -1;
                ix->files[i].res[c].flags = IX_RF_DONE;
            }
        }
    double t3 = pa_now_seconds();
    ix_flow_build(ix);
    double t4 = pa_now_seconds();
    pa_info("index: tables %.3fs (%zu of %zu slots), bases %.3fs, resolve %.3fs, flow %.3fs", t1 - t0, ix->syms.n, ix->syms.cap,
            t2 - t1, t3 - t2, t4 - t3);
    return ix;
}

void pa_index_free(pa_index *ix)
{
    if (!ix) return;
    ix_flow_free(ix);
    for (size_t i = 0; i < ix->nfiles; i++) {
        free(ix->files[i].res);
        free(ix->files[i].cls_base_off);
        free(ix->files[i].cls_base_n);
        free(ix->files[i].stars);
    }
    free(ix->files);
    pa_strmap_free(&ix->modmap);
    pa_strmap_free(&ix->intern);
    free(ix->syms.e);
    pa_vec_free(&ix->vnodes);
    pa_vec_free(&ix->bases);
    pa_arena_free(&ix->arena);
    free(ix);
}

/* ---- queries ---------------------------------------------------------------- */

size_t pa_index_nfiles(const pa_index *ix) { return ix ? ix->nfiles : 0; }

const struct pa_file_facts *pa_index_file(const pa_index *ix, int32_t file)
{
    return ix && file >= 0 && (size_t)file < ix->nfiles ? ix->files[file].f : NULL;
}

struct pa_target pa_index_resolve(const pa_index *ix, int32_t file, int32_t call)
{
    struct pa_target t = {PA_TARGET_UNRESOLVED, PA_FREF_NONE, NULL, -1, -1, NULL};
    if (!ix || file < 0 || (size_t)file >= ix->nfiles || call < 0 || (size_t)call >= ix->files[file].f->calls.n)
        return t;
    const struct ix_res *r = &ix->files[file].res[call];
    t.kind = (pa_target_kind)r->kind;
    t.canonical = r->canon;
    if (r->kind == PA_TARGET_PROJECT) t.fn = (pa_fref){r->a, r->b};
    else if (r->kind == PA_TARGET_CLASS) { t.cls_file = r->a; t.cls = r->b; }
    else if (r->kind == PA_TARGET_LIBRARY) t.lib = ix_lib(r);
    return t;
}

pa_fref pa_index_find_function(const pa_index *ix, const char *canonical)
{
    if (!ix || !canonical) return PA_FREF_NONE;
    char *mod = pa_xstrdup(canonical);
    pa_fref r = PA_FREF_NONE;
    /* the longest module prefix that names a project file, then the qualname in it */
    for (char *dot = strrchr(mod, '.'); dot && !pa_fref_ok(r); dot = strrchr(mod, '.')) {
        *dot = '\0';
        int32_t mf = module_file(ix, mod);
        if (mf < 0) continue;
        const char *qual = canonical + (dot - mod) + 1;
        const struct pa_file_facts *f = ix->files[mf].f;
        for (size_t k = 0; k < f->funcs.n; k++)
            if (f->funcs.v[k].qualname && strcmp(f->funcs.v[k].qualname, qual) == 0) { r = (pa_fref){mf, (int32_t)k}; break; }
        break;
    }
    free(mod);
    return r;
}

bool pa_index_find_class(const pa_index *ix, int32_t file, int32_t func, const char *name, int32_t *cls_file,
                         int32_t *cls)
{
    if (!ix || file < 0 || (size_t)file >= ix->nfiles || !name) return false;
    int32_t cf = -1, cc = -1;
    /* class_ref_dotted only interns on paths that reach resolve_canon's
     * canonical bookkeeping; use a read-only walk here instead. */
    int32_t scope;
    uint32_t v = lookup_name(ix, file, func, name, &scope);
    if (SK_KIND(v) == IX_SK_CLASS && !strchr(name, '.')) { cf = file; cc = SK_IDX(v); }
    else {
        pa_buf b;
        pa_buf_init(&b);
        if (canonical_in(ix, file, func, name, &b, 0)) {
            /* walk: longest module prefix, then re-exports */
            char *canon = pa_buf_take(&b);
            for (int depth = 0; depth < 8 && canon; depth++) {
                char *dot = strrchr(canon, '.');
                if (!dot) break;
                *dot = '\0';
                int32_t mf = module_file(ix, canon);
                const char *last = dot + 1;
                if (mf < 0) break;
                uint32_t sv = kget(&ix->syms, mf, -1, last);
                if (SK_KIND(sv) == IX_SK_CLASS) { cf = mf; cc = SK_IDX(sv); break; }
                if (SK_KIND(sv) != IX_SK_IMPORT) break;
                pa_buf nb;
                pa_buf_init(&nb);
                bool ok = import_target(ix, mf, &ix->files[mf].f->imports.v[SK_IDX(sv)], &nb);
                free(canon);
                canon = ok ? pa_buf_take(&nb) : NULL;
                pa_buf_free(&nb);
            }
            free(canon);
        }
        pa_buf_free(&b);
    }
    if (cf < 0) return false;
    if (cls_file) *cls_file = cf;
    if (cls) *cls = cc;
    return true;
}

void ix_func_display(const pa_index *ix, int32_t file, int32_t func, pa_buf *b)
{
    const struct ix_file *xf = &ix->files[file];
    const char *m = xf->module;
    const char *dot = strrchr(m, '.');
    pa_buf_puts(b, dot ? dot + 1 : m);
    pa_buf_putc(b, '.');
    pa_buf_puts(b, xf->f->funcs.v[func].qualname ? xf->f->funcs.v[func].qualname : xf->f->funcs.v[func].name);
}
