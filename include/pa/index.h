/* index.h - the project-wide semantic index: modules, symbols, call
 * resolution, library-call classification, effect summaries propagated
 * through the call graph, and entry-point classification.
 *
 * DESIGN
 * - Built once, single-threaded, from every file's facts, in file order
 *   (files sorted by path), so its content never depends on thread timing.
 * - Frozen after pa_index_build: every query below is a pure read and is
 *   thread-safe; the three auditor threads share one index.
 * - The index borrows the facts (they must outlive it) and owns the rest.
 */
#ifndef PA_INDEX_H
#define PA_INDEX_H

#include "pa/context.h"
#include "pa/facts.h"
#include "pa/finding.h"

/* A function in the project: file index + function index in that file. */
typedef struct pa_fref {
    int32_t file;   /* index into the files array, -1 = none */
    int32_t func;   /* index into that file's funcs */
} pa_fref;

#define PA_FREF_NONE ((pa_fref){-1, -1})
static inline bool pa_fref_ok(pa_fref r) { return r.file >= 0 && r.func >= 0; }

/* Effects (bit set). */
typedef enum pa_effect {
    PA_EFF_FILE_IO     = 1u << 0,   /* blocking file-system IO */
    PA_EFF_NET_IO      = 1u << 1,   /* blocking network IO (sync HTTP, sockets, SMTP …) */
    PA_EFF_SUBPROCESS  = 1u << 2,   /* blocking subprocess / os.system / wait */
    PA_EFF_SLEEP       = 1u << 3,   /* time.sleep (blocking) */
    PA_EFF_ASYNC_SLEEP = 1u << 4,   /* asyncio.sleep / anyio.sleep (awaited) */
    PA_EFF_CPU         = 1u << 5,   /* CPU-bound library work (json/pickle/hash/compress/image/xml) */
    PA_EFF_DB_READ     = 1u << 6,   /* executes a query that reads */
    PA_EFF_DB_WRITE    = 1u << 7,   /* executes or stages a write (UPDATE/DELETE/INSERT/add/save) */
    PA_EFF_COMMIT      = 1u << 8,
    PA_EFF_ROLLBACK    = 1u << 9,
    PA_EFF_BEGIN       = 1u << 10,
    PA_EFF_EXTERNAL    = 1u << 11,  /* external call over the network (HTTP/gRPC/SDK), sync or async */
    PA_EFF_SYNC_DB     = 1u << 12,  /* blocking DB driver / sync ORM session call */
    PA_EFF_INPUT       = 1u << 13,  /* input() */
} pa_effect;

#define PA_EFF_BLOCKING (PA_EFF_FILE_IO | PA_EFF_NET_IO | PA_EFF_SUBPROCESS | PA_EFF_SYNC_DB | PA_EFF_INPUT)
/* Effects that do not cross a sync→async offload boundary (to_thread …). */
#define PA_EFF_THREAD_LOCAL (PA_EFF_BLOCKING | PA_EFF_SLEEP | PA_EFF_CPU)

/* What a call site was resolved to. */
typedef enum pa_target_kind {
    PA_TARGET_UNRESOLVED = 0,   /* unknown: never guessed */
    PA_TARGET_PROJECT,          /* a project function (fref) */
    PA_TARGET_LIBRARY,          /* a known library call (lib) */
    PA_TARGET_CLASS,            /* a project class constructor (cls_file/cls) */
} pa_target_kind;

/* A known library call signature. */
struct pa_libsig {
    const char *name;     /* canonical dotted name, "requests.get", "sqlalchemy.orm.Session.execute" */
    uint32_t effects;     /* pa_effect bits */
    const char *advice;   /* what to use instead in async code ("httpx.AsyncClient"), may be NULL */
    uint16_t flags;       /* PA_LIB_* */
};

enum {
    PA_LIB_OFFLOAD     = 1u << 0,   /* runs its callable argument in a thread: to_thread, run_in_executor … */
    PA_LIB_ASYNC_API   = 1u << 1,   /* an async API (must be awaited); not blocking */
    PA_LIB_CONSTRUCTOR = 1u << 2,   /* returns an object of a known library type */
    PA_LIB_DEFER       = 1u << 3,   /* registers a callable / schedules a coroutine to run later
                                       (on_commit, add_task, call_soon, create_task, atexit, Celery
                                       .delay …): the callable's effects are not the caller's */
};

struct pa_target {
    pa_target_kind kind;
    pa_fref fn;                  /* PROJECT */
    const struct pa_libsig *lib; /* LIBRARY */
    int32_t cls_file, cls;       /* CLASS */
    const char *canonical;       /* canonical dotted name of the callee when known (borrowed), else NULL */
};

/* One step of an effect chain: the call site in `fn` that leads on. */
struct pa_chain_step {
    pa_fref fn;        /* function containing the call */
    int32_t call;      /* call index in fn's file */
};

typedef struct pa_index pa_index;

/* Build the index over files[0..n) (borrowed; must outlive the index).
 * ctx is read (session config, framework) and may be completed with facts
 * found in code (realtime consumers). Owned result. */
pa_index *pa_index_build(struct pa_file_facts *const *files, size_t n, struct pa_context *ctx);
void pa_index_free(pa_index *ix);

size_t pa_index_nfiles(const pa_index *ix);
const struct pa_file_facts *pa_index_file(const pa_index *ix, int32_t file);

/* Resolve the call `call` of file `file`. Pure; thread-safe. */
struct pa_target pa_index_resolve(const pa_index *ix, int32_t file, int32_t call);

/* Canonical dotted name of a name/attribute expression as seen from inside
 * function `func` of `file` (imports and aliases applied):
 * "r.get" with `import requests as r` → "requests.get". Owned, or NULL. */
char *pa_index_canonical(const pa_index *ix, int32_t file, int32_t func, const char *dotted);

/* Effects of a function including everything it calls (fixpoint), and the
 * effects of its own direct library calls only. */
uint32_t pa_index_effects(const pa_index *ix, pa_fref fn);
uint32_t pa_index_direct_effects(const pa_index *ix, pa_fref fn);
/* Effects of executing one call site (library effects, or the callee's
 * transitive effects). Offloaded calls contribute no PA_EFF_THREAD_LOCAL;
 * deferred callables (PA_LIB_DEFER: on_commit(fn), add_task(fn),
 * create_task(coro()) …) contribute nothing.
 * In a method chain the effect sits on the call that executes it, usually
 * the first one: in `session.scalars(select(X)).all()` DB_READ is on
 * `session.scalars`, not on `.all` (whose receiver is not a known type);
 * use pa_index_chain_effects for the whole chain. */
uint32_t pa_index_call_effects(const pa_index *ix, int32_t file, int32_t call);
/* Effects of a call together with its receiver chain (recv_call links):
 * for `.all` in `session.scalars(q).all()` this includes session.scalars'. */
uint32_t pa_index_chain_effects(const pa_index *ix, int32_t file, int32_t call);
/* Is the call site inside a callable whose execution is deferred
 * (a lambda handed to on_commit/add_task/call_soon …, or the coroutine
 * call scheduled by create_task), or the scheduled coroutine call itself? */
bool pa_index_call_deferred(const pa_index *ix, int32_t file, int32_t call);

/* The shortest chain from call site (file, call) to a library call having
 * `effect`. Fills steps[0..*nsteps) (first = the given call site, last = the
 * library call) up to max steps. Returns the final library signature, or
 * NULL when the call does not lead to the effect. Deterministic. */
const struct pa_libsig *pa_index_effect_chain(const pa_index *ix, int32_t file, int32_t call, uint32_t effect,
                                              struct pa_chain_step *steps, size_t max, size_t *nsteps);

/* Add the chain of a call as trace steps to a finding and append
 * " via a → b → time.sleep (file:line)" to buf. */
void pa_index_describe_chain(const pa_index *ix, const struct pa_chain_step *steps, size_t nsteps,
                             const struct pa_libsig *sig, struct pa_finding *f, pa_buf *buf);

/* Execution context of a function (request handler, background job …),
 * including the context inherited from its callers when it has no own kind. */
pa_entry_kind pa_index_entry(const pa_index *ix, pa_fref fn);
/* Is the function reachable only from async code through sync calls? Sets
 * *via to the async caller. */
bool pa_index_async_context(const pa_index *ix, pa_fref fn, pa_fref *via);

/* Is the call site offloaded (inside a callable handed to to_thread and friends)? */
bool pa_index_call_offloaded(const pa_index *ix, int32_t file, int32_t call);

/* Class lookup: the project class a name refers to in file/func scope. */
bool pa_index_find_class(const pa_index *ix, int32_t file, int32_t func, const char *name,
                         int32_t *cls_file, int32_t *cls);

/* The project function with canonical name "module.qualname" (qualname may be
 * "Class.method"), or PA_FREF_NONE. Uses the module map: cost is one file's
 * function list, not the project's. Thread-safe. */
pa_fref pa_index_find_function(const pa_index *ix, const char *canonical);

/* Library signature lookup by canonical name; NULL if unknown. Static. */
const struct pa_libsig *pa_libsig_find(const char *canonical);

#endif
