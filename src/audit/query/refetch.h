/* refetch.h - private to the query auditor: the "entity fetched by an id
 * parameter" analysis shared by PA101 (redundant fetch) and PA103
 * (unnecessary resolve). See refetch.c. */
#ifndef PA_AUDIT_QUERY_REFETCH_H
#define PA_AUDIT_QUERY_REFETCH_H

#include "audit/query/query.h"

/* One resolved call site of the fetching function B. */
struct pa_query_caller {
    int32_t file, func, call;   /* the call of B */
    char *obj;                  /* caller variable holding an entity of the same model whose .id/.pk is passed; owned, NULL */
    int32_t fetch_call;         /* the caller's own fetch of obj (call index in file), -1 */
};

/* B's fetch of model M by one of its parameters. */
struct pa_query_refetch {
    int32_t file, func, call;       /* the fetch in B */
    const struct pa_model *model;   /* entity fetched */
    const char *param;              /* B's id parameter (borrowed from facts) */
    const char *var;                /* local holding the fetched entity, or NULL */
    char *single_attr;              /* the only attribute B reads from var, or NULL (owned) */
    PA_VEC(struct pa_query_caller) callers;/* every resolved call site of B */
};

typedef void (*pa_query_refetch_fn)(const struct pa_audit_input *in, struct pa_rule_out *out, const struct pa_query_refetch *rf,
                             void *ud);

/* Call cb for every fetch-by-id-parameter that has at least one resolved caller. */
void pa_query_refetch_scan(const struct pa_audit_input *in, struct pa_rule_out *out, pa_query_refetch_fn cb, void *ud);
/* Is this a PA103 case (B reads one attribute; every caller holds the entity)? */
bool pa_query_refetch_is_resolve(const struct pa_query_refetch *rf);
/* Is call ci a single-entity fetch (get / first / one / repo method returning
 * one model)? Sets *model. */
bool pa_query_entity_fetch(const struct pa_audit_input *in, int32_t fi, int32_t ci, const struct pa_model **model);

#endif
