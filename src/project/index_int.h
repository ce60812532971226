/* index_int.h - private interface between the index (index*.c) and the
 * library signature table (libsigs.c). Not for use outside src/project/. */
#ifndef PA_INDEX_INT_H
#define PA_INDEX_INT_H

#include "pa/index.h"

/* Private pa_libsig.flags bits (above the public PA_LIB_* ones). */
enum {
    PA_LIBX_SQL      = 1u << 8,   /* read/write decided by the SQL of the first argument ("#w" variant) */
    PA_LIBX_CALLABLE = 1u << 9,   /* offloader whose callable is the 2nd positional arg (run_in_executor) */
    PA_LIBX_CORO     = 1u << 10,  /* PA_LIB_DEFER scheduler of a coroutine argument (create_task(coro())) */
    PA_LIBX_ONLOOP   = 1u << 11,  /* PA_LIB_DEFER whose callable later runs on the event loop thread */
};

/* Exact-or-wildcard lookup ("cv2.resize" finds "cv2.*"). Static result. */
const struct pa_libsig *pa_libsig_lookup(const char *canonical);
/* The write variant of a PA_LIBX_SQL signature (same name, DB_WRITE), or sig. */
const struct pa_libsig *pa_libsig_write_variant(const struct pa_libsig *sig);
/* Library type name of the value a call to sig returns ("pathlib.Path"),
 * or NULL. Static. */
const char *pa_libsig_returns(const struct pa_libsig *sig);
/* Library type of attribute attr of a value of library type `type`
 * ("flask_sqlalchemy.SQLAlchemy" . "session" → "sqlalchemy.orm.Session";
 * an SDK client's attributes are the client), or NULL. Static. */
const char *pa_libsig_attr_type(const char *type, const char *attr);
/* Force the table to be built (pthread_once); called by pa_index_build. */
void pa_libsig_init(void);

/* ---- the index's private state (index.c builds, index_flow.c queries) ---- */

/* A (file, scope, name) → value hash table. scope: -1 module, >= 0 a
 * function, <= -2 the class -2-scope. Keys are borrowed (facts/arena). */
struct ix_kent {
    const char *name;   /* NULL = empty slot */
    int32_t file;       /* file index */
    int32_t scope;      /* see above */
    uint32_t val;       /* binding (IX_SK_* << 28 | index), 0 = none */
    uint32_t chain;     /* head vnode + 1 of the binding chain (type inference), 0 = none */
};
struct ix_ktab {
    struct ix_kent *e;  /* slots */
    size_t cap;         /* power of two */
    size_t n;           /* used slots */
};

/* Small ids for library signatures (0 = none), so that a resolved call
 * stays 24 bytes: there is one per call site of the project. */
uint16_t pa_libsig_id(const struct pa_libsig *sig);
const struct pa_libsig *pa_libsig_by_id(uint16_t id);

/* Resolution of one call site, computed once during the build. */
struct ix_res {
    uint8_t kind;                 /* pa_target_kind */
    uint8_t flags;                /* IX_RF_* */
    uint16_t lib;                 /* LIBRARY: pa_libsig_id (write variant already chosen) */
    int32_t a, b;                 /* PROJECT: file, func; CLASS: file, cls; offloader: its callable */
    uint32_t eff;                 /* effects of executing the call (after the fixpoint) */
    const char *canon;            /* interned canonical name or NULL */
};

static inline const struct pa_libsig *ix_lib(const struct ix_res *r) { return pa_libsig_by_id(r->lib); }

enum {
    IX_RF_OFFLOAD_INVOKE = 1u << 0,  /* sync_to_async(fn)(...): invokes an offloaded callable */
    IX_RF_OFFLOAD_ARG    = 1u << 1,  /* the callable argument of an offloader (functools.partial) */
    IX_RF_DEFER_ARG      = 1u << 2,  /* a coroutine call scheduled by a PA_LIBX_CORO call: runs later */
    IX_RF_DONE           = 1u << 6,  /* resolution finished */
    IX_RF_BUSY           = 1u << 7,  /* resolution in progress (cycle guard) */
};

/* One call-graph edge (caller function → callee function). */
enum {
    IX_EDGE_CALL = 0, IX_EDGE_ARG = 1, IX_EDGE_OFFLOAD = 2,
    IX_EDGE_DEFER = 3,        /* a deferred callable: mask 0, entry kind only */
    IX_EDGE_DEFER_LOOP = 4,   /* deferred onto the caller's event loop (call_soon …): mask 0, but the
                                 callable runs in the caller's async context */
};
struct ix_edge {
    uint32_t from, to;   /* global function ids */
    uint32_t mask;       /* effects allowed to flow (~THREAD_LOCAL for offloads) */
    uint8_t kind;        /* IX_EDGE_* */
};

/* A resolved base class: a project class, or a library class by canonical name. */
struct ix_base {
    int32_t file, cls;   /* project class, or -1 */
    const char *lib;     /* interned canonical of a non-project base, or NULL */
};

struct ix_file {
    const struct pa_file_facts *f; /* borrowed */
    const char *module;            /* module name (interned) */
    const char *pkg;               /* package for relative imports (interned, "" for top level) */
    uint32_t gbase;                /* global id of funcs[0] */
    struct ix_res *res;            /* per call */
    uint32_t *cls_base_off;        /* per class: first entry in pa_index.bases */
    uint16_t *cls_base_n;          /* per class: number of bases */
    int32_t *stars;                /* files of project modules star-imported at module level */
    uint32_t nstars;
};

struct pa_index {
    struct ix_file *files;         /* per file */
    size_t nfiles;
    struct pa_context *ctx;        /* borrowed */
    bool orm_async;                /* ctx->orm_async at build time */
    bool trunc;                    /* build only: a resolution hit the depth bound (not memoised) */
    pa_strmap modmap;              /* module name → file index + 1 */
    struct ix_ktab syms;           /* bindings and binding chains per (file, scope, name) */
    PA_VEC(struct ix_vnode) vnodes;
    PA_VEC(struct ix_base) bases;
    pa_strmap intern;              /* interned strings (keys = values, in arena) */
    pa_arena arena;                /* interned strings, misc */
    /* functions (global ids) */
    uint32_t nfuncs;
    int32_t *gfile;                /* global id → file */
    uint32_t *direct;              /* direct library effects */
    uint32_t *total;               /* transitive effects */
    uint8_t *own_kind;             /* own entry kind */
    uint8_t *kind;                 /* effective entry kind */
    uint8_t *offloaded;            /* lambda / nested def handed to an offloader */
    uint8_t *deferred;             /* lambda / nested def handed to a PA_LIB_DEFER call */
    uint8_t *async_ctx;            /* in async context */
    uint32_t *async_via;           /* global id of the async caller + 1 */
    uint32_t *fcall_off;           /* CSR: calls of each function, into fcalls */
    int32_t *fcalls;               /* call indices (file = gfile[g]) */
    PA_VEC(struct ix_edge) edges;
    uint32_t *in_off, *in_idx;     /* CSR: edges by callee */
    uint32_t *out_off, *out_idx;   /* CSR: edges by caller */
};

/* Binding-chain node (type inference). */
enum { IX_VN_ASSIGN = 1, IX_VN_WITH, IX_VN_CLSATTR, IX_VN_SELFATTR, IX_VN_LOOP /* for target (idx = loop) */ };
struct ix_vnode {
    int32_t prev;        /* previous node of the same key, -1 */
    uint8_t kind;        /* IX_VN_* */
    uint16_t item;       /* with item / class attr index */
    int32_t idx;         /* assign / with / class index */
    uint32_t line;       /* line of the binding */
};

static inline uint32_t ix_gid(const pa_index *ix, int32_t file, int32_t func)
{ return ix->files[file].gbase + (uint32_t)func; }

/* index.c helpers used by index_flow.c */
pa_fref ix_class_init(const pa_index *ix, int32_t file, int32_t cls);
pa_fref ix_resolve_funcref(pa_index *ix, int32_t file, int32_t func, uint32_t line, const char *text);
/* Canonical (or callee text) of the constructor call a module variable is
 * assigned from ("fastapi.APIRouter"), or NULL. Pure. */
const char *ix_module_var_ctor(const pa_index *ix, int32_t file, const char *name);
/* A def nested in an enclosing function of func, bound to name; or none. Pure. */
pa_fref ix_local_def(const pa_index *ix, int32_t file, int32_t func, const char *name);
/* Append "reporting.build_report" (last module component + qualname) to b. Pure. */
void ix_func_display(const pa_index *ix, int32_t file, int32_t func, pa_buf *b);
/* index_flow.c: run after every call is resolved. */
void ix_flow_build(pa_index *ix);
void ix_flow_free(pa_index *ix);

#endif
