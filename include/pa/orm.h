/* orm.h - ORM-aware questions over facts + index + models, shared by the
 * query and transaction auditors: what a call does to the database, which
 * model/table it touches, which model a local variable holds, and whether a
 * query eager-loads a relationship. Pure reads of frozen data: thread-safe. */
#ifndef PA_ORM_H
#define PA_ORM_H

#include "pa/audit.h"

typedef enum pa_db_op {
    PA_DB_NONE = 0,
    PA_DB_READ,          /* SELECT / get / filter().first() / fetch / lazy load */
    PA_DB_UPDATE,        /* UPDATE statement, query.update(), Django .update(), obj.save() of an existing row */
    PA_DB_DELETE,        /* DELETE statement, session.delete(obj), query.delete(), obj.delete() */
    PA_DB_INSERT,        /* INSERT statement, Model.objects.create(), single-row insert */
    PA_DB_ADD,           /* session.add(obj) / add_all (staging a new or changed row) */
    PA_DB_FLUSH,         /* session.flush() */
    PA_DB_COMMIT,        /* session.commit() / conn.commit() */
    PA_DB_ROLLBACK,
    PA_DB_BEGIN,         /* session.begin() / begin_nested() / engine.begin() / conn.transaction() / atomic() */
} pa_db_op;

struct pa_db_call {
    pa_db_op op;                    /* what the call does */
    const struct pa_model *model;   /* model touched, or NULL if unknown */
    const char *table;              /* table touched (model's, or from SQL text), borrowed, or NULL */
    bool bulk;                      /* add_all / bulk_create / executemany / insert().values([...]) / update() without a per-row where */
    bool via_project;               /* effect comes from a called project function (repository/service) */
    pa_fref callee;                 /* that function when via_project */
};

/* Classify call `call` of file `file`. Returns false (out->op = PA_DB_NONE)
 * when the call does not touch the database as far as can be told. For a
 * call to a project function, reports the dominant transitive effect
 * (write > read) with via_project set. */
bool pa_orm_classify_call(const struct pa_audit_input *in, int32_t file, int32_t call, struct pa_db_call *out);
/* Memo of pa_orm_classify_call answers for `in` on the calling thread, from
 * begin to end (pa_auditor_run brackets each auditor with it). Thread-local:
 * each auditor thread has its own. Without it nothing is cached. */
void pa_orm_memo_begin(const struct pa_audit_input *in);
void pa_orm_memo_end(void);

/* The model selected or fetched by a query expression whose outermost call
 * is `call` (select(M)…, session.query(M)…, session.get(M, id),
 * M.objects.filter(…)…, repo method with a `-> M` / `-> list[M]` return
 * annotation). NULL when unknown. */
const struct pa_model *pa_orm_call_model(const struct pa_audit_input *in, int32_t file, int32_t call);

/* The model held by local `name` in function `func` just before `line`
 * (from the nearest preceding assignment, a for-loop target over a query, a
 * parameter annotation). NULL when unknown. */
const struct pa_model *pa_orm_var_model(const struct pa_audit_input *in, int32_t file, int32_t func,
                                        const char *name, uint32_t line);

/* Does the query whose outermost call is `call` eager-load relationship
 * `rel` (selectinload/joinedload/subqueryload/contains_eager/immediateload
 * options naming it, Django select_related/prefetch_related naming it)? */
bool pa_orm_query_eager_loads(const struct pa_audit_input *in, int32_t file, int32_t call, const char *rel);

#endif
