/* discovery.h - builds the context store from the project's files before the
 * parse pass (tech_stack.md, manifests, compose files, migrations' triggers,
 * ADRs, kanban team id) and completes it from code facts after it (engine and
 * session factory configuration, frameworks seen in imports, realtime
 * consumers). Malformed or unreadable inputs become context notes; nothing
 * here is fatal.
 *
 * Each parser takes the file text and its relative path so it can be unit
 * tested on strings. None of them is thread-safe with respect to the same
 * context; discovery runs on the main thread. */
#ifndef PA_DISCOVERY_H
#define PA_DISCOVERY_H

#include "pa/context.h"
#include "pa/facts.h"

/* Pre-parse discovery over the project root (reads files itself). */
void pa_discover(struct pa_context *ctx, const char *root);
/* Post-parse discovery from facts (files sorted by path; borrowed). */
void pa_discover_from_facts(struct pa_context *ctx, struct pa_file_facts *const *files, size_t n);
/* After both: derive database/ORM/framework from everything seen (deps, compose, imports). */
void pa_discover_finish(struct pa_context *ctx);

/* Individual parsers (text need not outlive the call). */
void pa_disc_tech_stack_md(struct pa_context *ctx, const char *text, size_t len, const char *path);
void pa_disc_requirements(struct pa_context *ctx, const char *text, size_t len, const char *path);
void pa_disc_pyproject(struct pa_context *ctx, const char *text, size_t len, const char *path);
void pa_disc_setup_cfg(struct pa_context *ctx, const char *text, size_t len, const char *path);
void pa_disc_pipfile(struct pa_context *ctx, const char *text, size_t len, const char *path);
void pa_disc_package_json(struct pa_context *ctx, const char *text, size_t len, const char *path);
void pa_disc_go_mod(struct pa_context *ctx, const char *text, size_t len, const char *path);
void pa_disc_compose(struct pa_context *ctx, const char *text, size_t len, const char *path);
/* SQL text (a .sql file, or the text of a Python migration: SQL inside
 * op.execute(...) / RunSQL(...) strings is found there). */
void pa_disc_migration(struct pa_context *ctx, const char *text, size_t len, const char *path);
void pa_disc_adr(struct pa_context *ctx, const char *text, size_t len, const char *path);
void pa_disc_kanban(struct pa_context *ctx, const char *text, size_t len, const char *path);

#endif
