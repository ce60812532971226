/* query.h - private header of the query-efficiency auditor (PA101-PA107):
 * the rule checks and the helpers they share (loop membership, chain heads,
 * severity by execution context, the ORM "style" used to phrase fixes).
 * All helpers are pure reads of the frozen audit input: thread-safe. */
#ifndef PA_AUDIT_QUERY_H
#define PA_AUDIT_QUERY_H

#include "pa/audit.h"
#include "pa/orm.h"

void pa_check_pa101(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa102(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa103(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa104(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa105(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa106(const struct pa_audit_input *in, struct pa_rule_out *out);
void pa_check_pa107(const struct pa_audit_input *in, struct pa_rule_out *out);

/* How fixes are phrased: the API family the code at hand uses. */
typedef enum pa_query_style {
    PA_QS_SA2 = 0,     /* SQLAlchemy 2.0 style: select()/session.execute/scalars */
    PA_QS_SA14,        /* SQLAlchemy 1.x legacy session.query() */
    PA_QS_SQLMODEL,    /* SQLModel: session.exec(select(...)) */
    PA_QS_DJANGO,      /* Django ORM */
    PA_QS_RAW,         /* DB-API / asyncpg with SQL text */
} pa_query_style;

#define PA_QUERY_MAX_CHAIN 10

static inline const struct pa_call *pa_query_call(const struct pa_file_facts *f, int32_t i)
{ return i >= 0 && (size_t)i < f->calls.n ? &f->calls.v[i] : NULL; }
static inline const struct pa_loop *pa_query_loop(const struct pa_file_facts *f, int32_t i)
{ return i >= 0 && (size_t)i < f->loops.n ? &f->loops.v[i] : NULL; }

/* Is call ci the head of its chain (not the receiver of another call)? */
bool pa_query_is_head(const struct pa_file_facts *f, int32_t ci);
/* Is call a inside the source span of call b? */
bool pa_query_span_within(const struct pa_call *a, const struct pa_call *b);
/* The innermost loop whose body runs call ci once per iteration (calls that
 * are part of a for-loop's iterable belong to the enclosing loop); -1. */
int32_t pa_query_body_loop(const struct pa_file_facts *f, int32_t ci);
/* Loop over a literal collection, an ALL_CAPS constant or range(<literal>). */
bool pa_query_loop_is_literal(const struct pa_file_facts *f, const struct pa_loop *L);
/* The innermost enclosing loop of ci that iterates data (skips literal
 * loops); -1 when every enclosing loop is a literal one or there is none. */
int32_t pa_query_data_loop(const struct pa_file_facts *f, int32_t ci);
/* Is loop `inner` (or the call's loop) nested in / equal to loop `outer`? */
bool pa_query_loop_within(const struct pa_file_facts *f, int32_t inner, int32_t outer);
/* Short loop description: "for order in orders (line 12)". Owned. */
char *pa_query_loop_desc(const struct pa_loop *L);

/* Does loop L (its body, any depth) execute a per-iteration DB read
 * (excluding refresh-after-write)? Sets *read_call to the first one. */
bool pa_query_loop_reads(const struct pa_audit_input *in, int32_t file, int32_t L, int32_t *read_call);

/* The query producing the rows a call yields: the call itself when it is a
 * DB read, else - for `result.scalars()` / `rows.all()` on a local - the
 * read that local was assigned from. -1 when none; fills *dc. */
int32_t pa_query_rows_source(const struct pa_audit_input *in, int32_t file, int32_t call, struct pa_db_call *dc);

/* Fix phrasing style for a call (its own shape first, then the context). */
pa_query_style pa_query_style_for(const struct pa_audit_input *in, int32_t file, const struct pa_call *c, const struct pa_model *m);
const char *pa_query_style_name(const struct pa_audit_input *in, pa_query_style s); /* "SQLAlchemy 2.0", "Django" … */

/* Execution context label / severity after the bootstrap downgrade (request
 * handlers are never downgraded). */
const char *pa_query_entry_label(pa_entry_kind k);
const char *pa_query_entry_paren(pa_entry_kind k);   /* " (request handler)", or "" when unknown */
pa_severity pa_query_downgrade(pa_severity s, pa_entry_kind k, const char *path);

/* Add the DB chain of a project call (call site → … → library call) to a
 * finding and append " via a → b → lib (file:line)" to buf. Falls back to a
 * two-step trace (call site, callee definition) when the index has no chain. */
void pa_query_add_chain(const struct pa_audit_input *in, int32_t file, int32_t call, uint32_t effect, pa_fref callee,
                 struct pa_finding *fd, pa_buf *issue);

/* Does text contain identifier `name` followed by '.'+attr ("o.id")? */
bool pa_query_text_has_attr(const char *text, const char *name, const char *attr);
/* Does text mention identifier `name` as a whole word? */
bool pa_query_text_has_word(const char *text, const char *name);

#endif
