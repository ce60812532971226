/* knowledge.h - the best-practice knowledge base: short, sourced statements
 * per technology and version (SQLAlchemy 1.4/2.0, Django ORM, PostgreSQL,
 * MySQL, SQLite, asyncio, FastAPI/Starlette, Celery), each naming the rules
 * it informs, its canonical documentation URL and optional version-specific
 * advice per rule id.
 *
 * Sources: knowledge/<tech>.yaml compiled into the binary (cmake/EmbedKnowledge.cmake)
 * plus the `knowledge:` lists of rule packs (include/pa/packs.h).
 *
 * DESIGN
 * - A pa_kb is built and used on the main thread only (after discovery);
 *   pa_knowledge_select copies the entries for the detected stack into
 *   ctx->best_practices (a cJSON array sorted by id), which is then frozen
 *   with the context. pa_knowledge_advice only reads ctx->best_practices, so
 *   it is thread-safe once the context is frozen.
 * - Entry format and selection rules: docs/knowledge.md.
 */
#ifndef PA_KNOWLEDGE_H
#define PA_KNOWLEDGE_H

#include "pa/context.h"
#include "pa/core.h"

struct pa_dn;

/* Advice for one rule id. */
struct pa_kb_advice {
    char *rule;            /* "PA107" (owned) */
    char *text;            /* recommendation wording (owned) */
};

struct pa_kb_entry {
    char *id;              /* unique id, "sqlalchemy-2.0-eager-loading" (owned) */
    char *tech;            /* sqlalchemy/django/postgresql/mysql/sqlite/asyncio/fastapi/starlette/celery (owned) */
    char *versions;        /* version spec (">=2.0,<3", "1.4") or NULL = every version (owned) */
    PA_VEC(char *) rules;  /* rule ids the entry informs (owned) */
    char *statement;       /* the best practice in one or two sentences (owned) */
    char *url;             /* canonical documentation URL, http(s) (owned) */
    PA_VEC(struct pa_kb_advice) advice; /* per-rule wording (owned) */
    char *origin;          /* "knowledge/sqlalchemy.yaml" (built in) or the pack's URL/path (owned) */
    bool from_pack;        /* came from a rule pack (its advice is preferred) */
};

struct pa_kb {
    PA_VEC(struct pa_kb_entry) entries;  /* in load order; ids unique (later duplicates replace) */
};

void pa_kb_init(struct pa_kb *kb);
void pa_kb_free(struct pa_kb *kb);

/* Add the entries of a YAML sequence node (a `knowledge:` list). origin is
 * copied. On error returns PA_ERR_PARSE with *err (owned) naming origin,
 * line and field; entries added before the error stay. */
pa_status pa_kb_add_list(struct pa_kb *kb, const struct pa_dn *seq, const char *origin, bool from_pack, char **err);
/* Parse a YAML document whose top-level map has a `knowledge:` list. */
pa_status pa_kb_add_yaml(struct pa_kb *kb, const char *text, size_t len, const char *origin, bool from_pack,
                         char **err);
/* Copy every entry of src into dst (deep copy); an entry whose id is
 * already in dst replaces it (packs override built-in entries). */
void pa_kb_merge(struct pa_kb *dst, const struct pa_kb *src);
/* Load the embedded knowledge base (knowledge/<tech>.yaml). An error here is a
 * build bug; it is returned, not fatal. */
pa_status pa_kb_load_builtin(struct pa_kb *kb, char **err);

/* Replace ctx->best_practices with the entries that apply to the detected
 * stack (ORM/framework/database/async runtime/task queue and their versions),
 * sorted by id. Main thread, before the context is frozen. */
void pa_knowledge_select(struct pa_context *ctx, const struct pa_kb *kb);

/* Version-specific wording for rule_id from the selected entries (pack
 * entries first, then built-in ones in id order), joined with spaces; NULL
 * when none applies. Owned. Thread-safe on a frozen context. */
char *pa_knowledge_advice(const struct pa_context *ctx, const char *rule_id);

/* Does version (e.g. "2.0.25", "16", NULL) satisfy spec (">=2.0,<3", "1.4",
 * "*", NULL)? A NULL/empty/"*" spec matches everything; a NULL version
 * matches only such specs. Exposed for tests. */
bool pa_knowledge_version_matches(const char *spec, const char *version);

#endif
