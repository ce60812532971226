/* txn.h - private header of the transaction-correctness auditor (PA201-PA205):
 * the transaction model every rule reads, and the rule checks.
 *
 * The model is built per file and per function from the facts, the index
 * and the ORM classification (orm.h):
 *   events   - the calls (and model attribute assignments) that touch the
 *              database: reads, staged/executed writes, flush, commit,
 *              rollback, begin; each with its session key ("session",
 *              "self.db", "conn", "django"; NULL = unknown, matches any).
 *   regions  - where a transaction is open:
 *              BLOCK      `with session.begin()`, `async with engine.begin()`,
 *                         `with transaction.atomic()`, `async with conn.transaction()`;
 *              DECORATOR  `@transaction.atomic` on the function;
 *              REQUEST    a Django view under ATOMIC_REQUESTS;
 *              AUTOBEGIN  first executed statement on a session .. its commit()
 *                         (the transaction must hold a write, and the commit
 *                         must be in the same function);
 *              DEPENDENCY a FastAPI `Depends(get_db)` session whose dependency
 *                         commits on exit: first statement .. end of function.
 *
 * DESIGN: a file's pa_txn_file is built once on the transaction auditor's
 * thread (pa_txn_file_get, a per-thread memo) and then only read by the five
 * rules; it reads only frozen input (facts, index, models, context) and owns
 * its memory (an arena plus the per-function vectors).
 */
#ifndef PA_AUDIT_TXN_H
#define PA_AUDIT_TXN_H

#include "pa/audit.h"
#include "pa/orm.h"

/* What an event does to the transaction. */
typedef enum pa_txn_op {
    PA_TXN_NONE = 0,
    PA_TXN_READ,      /* executes a read: opens an autobegun transaction */
    PA_TXN_STAGE,     /* session.add(), model attribute assignment: staged, no SQL yet */
    PA_TXN_WRITE,     /* executes UPDATE/DELETE/INSERT: opens a transaction */
    PA_TXN_FLUSH,     /* sends staged changes: opens a transaction */
    PA_TXN_COMMIT,    /* commit (directly, or a called project function commits) */
    PA_TXN_ROLLBACK,  /* rollback */
    PA_TXN_BEGIN,     /* an explicit begin() that is not a with-block */
} pa_txn_op;

/* What kind of row change a write event is. */
typedef enum pa_txn_wkind { PA_TXN_W_NONE = 0, PA_TXN_W_UPDATE, PA_TXN_W_INSERT, PA_TXN_W_DELETE, PA_TXN_W_ADD } pa_txn_wkind;

struct pa_txn_event {
    int32_t call;               /* call index in the file, -1 for an attribute assignment */
    int32_t assign;             /* assignment index for a model attribute write, else -1 */
    uint32_t line, col;         /* position (1-based) */
    pa_txn_op op;               /* transaction effect */
    pa_txn_wkind wkind;         /* for writes: update / insert / delete / add */
    const char *key;            /* session key, NULL = unknown (arena) */
    const char *table;          /* table touched, or NULL (borrowed from models/orm) */
    const struct pa_model *model; /* model touched, or NULL */
    const char *target;         /* variable holding the changed row ("job"), or NULL (arena) */
    bool via_project;           /* the effect comes from a called project function */
    bool autocommit;            /* runs in autocommit mode (Django or asyncpg outside a transaction) */
    uint32_t effects;           /* pa_index_call_effects of the call (0 for assignments) */
    int32_t loop;               /* innermost loop of the function, -1 */
    int32_t with;               /* innermost with of the function, -1 */
    int32_t try_;               /* innermost try, -1 */
};

typedef enum pa_txn_rkind {
    PA_TXR_BLOCK = 0,    /* a with-block that opens a transaction */
    PA_TXR_DECORATOR,    /* @transaction.atomic */
    PA_TXR_REQUEST,      /* Django view under ATOMIC_REQUESTS */
    PA_TXR_AUTOBEGIN,    /* first statement .. commit() */
    PA_TXR_DEPENDENCY,   /* dependency-provided session committed on exit */
} pa_txn_rkind;

struct pa_txn_region {
    pa_txn_rkind kind;          /* how the transaction is opened */
    const char *key;            /* session key or NULL (arena) */
    uint32_t line, col;         /* where it opens (loop start when an open inside a loop wraps around) */
    uint32_t end_line;          /* where it ends (inclusive) */
    uint32_t end_col;           /* column of the closing commit (AUTOBEGIN), else 0 */
    int32_t with;               /* the with-block (BLOCK), -1 */
    int32_t open_ev, close_ev;  /* events opening/closing an autobegun transaction, -1 */
    uint32_t open_line;         /* line of the statement that opens it */
    const char *what;           /* human description: "`with session.begin()`" (arena) */
};

struct pa_txn_func {
    int32_t func;                               /* function index, -1 = module level */
    PA_VEC(struct pa_txn_event) ev;             /* events in source order */
    PA_VEC(struct pa_txn_region) rg;            /* regions */
    PA_VEC(int32_t) calls;                      /* every call of the function (indices), source order */
    bool atomic_decorated;                      /* @transaction.atomic */
};

struct pa_txn_file {
    const struct pa_audit_input *in;  /* borrowed */
    int32_t file;                     /* file index */
    const struct pa_file_facts *f;    /* borrowed */
    struct pa_txn_func *funcs;        /* slot func+1 (slot 0 = module level); owned */
    size_t nfuncs;                    /* f->funcs.n + 1 */
    bool raw_autocommit;              /* `conn.autocommit = True` somewhere in the file */
    pa_arena arena;                   /* strings of the model */
};

/* Realtime consumers seen in the project (context plus a scan of the code). */
struct pa_txn_realtime {
    bool push;                        /* an SSE / WebSocket / LISTEN consumer exists */
    PA_VEC(char *) channels;          /* LISTEN channels (owned) */
};

/* Build the model of file `file` (tf is filled; free with pa_txn_file_free). */
void pa_txn_file_build(const struct pa_audit_input *in, int32_t file, struct pa_txn_file *tf);
void pa_txn_file_free(struct pa_txn_file *tf);
/* The rules' way to a model: between pa_txn_memo_begin(in) and _end on one
 * thread (the auditor brackets its rules), each file's model is built once
 * and owned by the memo. NULL when the file has no transaction event and no
 * region (no rule has anything to look at there). Borrowed until _end. */
void pa_txn_memo_begin(const struct pa_audit_input *in);
void pa_txn_memo_end(void);
const struct pa_txn_file *pa_txn_file_get(const struct pa_audit_input *in, int32_t file);
/* Slot of function func (-1 = module level). Borrowed until pa_txn_file_free. */
const struct pa_txn_func *pa_txn_slot(const struct pa_txn_file *tf, int32_t func);

/* The region (if any) in which call `ci` / an event at (line, col) runs; the
 * innermost BLOCK first, then AUTOBEGIN/DEPENDENCY, then DECORATOR/REQUEST.
 * NULL when no transaction is known to be open there. */
const struct pa_txn_region *pa_txn_region_of_call(const struct pa_txn_file *tf, const struct pa_txn_func *fn, int32_t ci);
bool pa_txn_in_region(const struct pa_txn_file *tf, const struct pa_txn_region *r, int32_t call, uint32_t line, uint32_t col);

/* Is with-block w inside function slot fn a transaction block / a scoped
 * session or connection (rolls back on exit)? */
bool pa_txn_with_is_begin(const struct pa_txn_file *tf, int32_t w);
bool pa_txn_with_is_scope(const struct pa_txn_file *tf, int32_t w);

/* Realtime consumers (owned vectors; free with pa_txn_realtime_free). */
void pa_txn_realtime_build(const struct pa_audit_input *in, struct pa_txn_realtime *rt);
void pa_txn_realtime_free(struct pa_txn_realtime *rt);
bool pa_txn_channel_is_realtime(const struct pa_txn_realtime *rt, const char *channel);

/* Pure text helpers (unit-tested). */
/* Session key of a dotted callee: "session.commit" → "session",
 * "self.db.query().filter().update" → "self.db", "commit" → NULL. Owned. */
char *pa_txn_receiver_key(const char *callee);
/* Does a receiver name look like a session/connection/cursor? */
bool pa_txn_sessionish(const char *key);
/* First word of an SQL string literal argument ("'UPDATE jobs …'" → UPDATE):
 * PA_TXN_W_UPDATE/INSERT/DELETE, or PA_TXN_W_NONE. */
pa_txn_wkind pa_txn_sql_kind(const char *literal);
/* Table of an UPDATE / INSERT INTO / DELETE FROM literal, lowercase,
 * unqualified; owned, or NULL. */
char *pa_txn_sql_table(const char *literal);
/* Is a decorator / context expression text a Django atomic() block? */
bool pa_txn_text_is_atomic(const char *text);
/* Lines of code (not blank, not only a comment) in [from, to] of file f,
 * counted from the source under in->opts->root (the span when unreadable). */
uint32_t pa_txn_code_lines(const struct pa_audit_input *in, const struct pa_file_facts *f, uint32_t from, uint32_t to);

/* Does the call only schedule its callable for later (on_commit, a
 * background task, a queue)? Its callable's effects do not run here. */
bool pa_txn_deferred_call(const struct pa_call *c);
/* Is call ci a call into a network SDK the index does not know (boto3/
 * stripe/… clients, gRPC stubs)? Sets *what to a label. */
bool pa_txn_sdk_call(const struct pa_audit_input *in, int32_t file, int32_t ci, const char **what);
/* Human label of an op for messages ("commit()"). */
const char *pa_txn_region_label(pa_txn_rkind k);

/* Small fact helpers. */
static inline const struct pa_call *call_at(const struct pa_file_facts *f, int32_t ci)
{
    return ci >= 0 && (size_t)ci < f->calls.n ? &f->calls.v[ci] : NULL;
}
static inline bool pos_lt(uint32_t l1, uint32_t c1, uint32_t l2, uint32_t c2)
{
    return l1 < l2 || (l1 == l2 && c1 < c2);
}
/* Is with-block `outer` the same as or an ancestor of `inner`? */
static inline bool with_contains(const struct pa_file_facts *f, int32_t inner, int32_t outer)
{
    for (int32_t w = inner; w >= 0 && (size_t)w < f->withs.n; w = f->withs.v[w].parent)
        if (w == outer) return true;
    return false;
}
static inline bool loop_contains(const struct pa_file_facts *f, int32_t inner, int32_t outer)
{
    for (int32_t l = inner; l >= 0 && (size_t)l < f->loops.n; l = f->loops.v[l].parent)
        if (l == outer) return true;
    return false;
}
static inline bool try_contains(const struct pa_file_facts *f, int32_t inner, int32_t outer)
{
    for (int32_t t = inner; t >= 0 && (size_t)t < f->tries.n; t = f->tries.v[t].parent)
        if (t == outer) return true;
    return false;
}

/* Rule checks. */
void pa_check_pa201(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa202(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa203(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa204(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa205(const struct pa_audit_input *in, struct pa_rule_out *out);

#endif
