/* disc_internal.h - private to discovery (src/discovery/, src/context/,
 * src/cli/config.c): the pending-evidence state that pa_discover_finish turns
 * into tech slots, and helpers shared by the per-input parsers.
 *
 * DESIGN: discovery runs on the main thread only; the state hangs off the
 * context (ctx->disc), is created on first use and freed by
 * pa_context_free. */
#ifndef PA_DISC_INTERNAL_H
#define PA_DISC_INTERNAL_H

#include "pa/context.h"

/* Maximum size of a discovery input file. */
#define PA_DISC_MAX_BYTES (4u * 1024u * 1024u)

/* A trigger function that notifies: name → channel. */
struct pa_disc_fn {
    char *name;      /* unqualified, lowercase */
    char *channel;   /* NOTIFY / pg_notify channel (or the channel expression) */
};

/* Stack imports seen in code (bit indices of pa_disc_state.imports). */
enum pa_disc_import {
    PA_IMP_FASTAPI = 0, PA_IMP_STARLETTE, PA_IMP_DJANGO, PA_IMP_FLASK, PA_IMP_AIOHTTP,
    PA_IMP_SQLALCHEMY, PA_IMP_SQLALCHEMY_ASYNC, PA_IMP_SQLMODEL, PA_IMP_ASYNCPG,
    PA_IMP_PSYCOPG, PA_IMP_PSYCOPG2, PA_IMP_AIOSQLITE, PA_IMP_CELERY, PA_IMP_ARQ,
    PA_IMP_RQ, PA_IMP_DRAMATIQ,
    PA_IMP__COUNT
};

struct pa_disc_state {
    struct pa_tech db_image;        /* first database seen as a compose service image */
    struct pa_tech db_url;          /* first database seen in a DATABASE_URL-like value */
    struct pa_tech python;          /* Python version from requires-python & co. */
    bool url_async_driver;          /* a URL names an async driver (+asyncpg, +aiosqlite …) */
    bool sqlalchemy_async_extra;    /* sqlalchemy[asyncio] declared */
    bool async_sessions;            /* an async engine/session factory seen in code */
    bool python_seen;               /* a Python manifest or Python code exists */
    PA_VEC(struct pa_disc_fn) fns;  /* notifying trigger functions */
    uint32_t imports;               /* bit set of enum pa_disc_import */
    char *import_src[PA_IMP__COUNT];/* first "path:line" per import */
};

struct pa_disc_state *pa_disc_state_get(struct pa_context *ctx);   /* created on demand; borrowed */
void pa_disc_state_free(struct pa_disc_state *s);

/* Record a manifest path (deduplicated, order of first read). */
void pa_disc_add_manifest(struct pa_context *ctx, const char *path);
/* Record a dependency (name normalised here; exact duplicates dropped). */
void pa_disc_add_dep(struct pa_context *ctx, const char *name, const char *version, const char *source);
/* Normalise a Python distribution name (PEP 503: lowercase, runs of -_. → '-'). Owned. */
char *pa_disc_norm_name(const char *name, size_t n);
/* Parse one PEP 508 requirement string ("SQLAlchemy[asyncio]>=2.0 ; python_version>'3.8'",
 * "pkg @ https://…", VCS URLs with #egg=) and record it. False when no name. */
bool pa_disc_pep508(struct pa_context *ctx, const char *req, const char *source);
/* "major.minor" (or "major") of the first version number in a spec; owned or NULL. */
char *pa_disc_major_minor(const char *spec);
/* Offer evidence to a tech slot: set it when empty; when it already names the
 * same technology without a version, take the version. */
void pa_disc_tech_offer(struct pa_tech *t, const char *name, const char *version, const char *source);
/* Reject binary / non-UTF-8 input with a note. True when the text is usable. */
bool pa_disc_text_ok(struct pa_context *ctx, const char *text, size_t len, const char *path);
/* Link triggers without a channel to known notifying functions. */
void pa_disc_link_triggers(struct pa_context *ctx);
/* Record a Python version constraint ("requires-python", poetry "python"). */
void pa_disc_python(struct pa_context *ctx, const char *spec, const char *source);
/* Classify a database URL ("postgresql+asyncpg://…") into the state's db_url evidence. */
void pa_disc_db_url(struct pa_context *ctx, const char *key, const char *value, const char *path);

/* Read a file under root for discovery: silently false when absent; a note
 * (and false) when unreadable, over PA_DISC_MAX_BYTES or binary. On success
 * the path is recorded as a manifest and *text (owned) / *len are set. */
bool pa_disc_read(struct pa_context *ctx, const char *root, const char *rel, char **text, size_t *len);
/* A requirements file and, recursively, its -r/-c includes that stay inside root. */
void pa_disc_requirements_tree(struct pa_context *ctx, const char *root, const char *rel);
/* Compose: phase 1 records service images, phase 2 database URLs (pa_discover
 * runs phase 1 over every compose file before phase 2). */
void pa_disc_compose_phase(struct pa_context *ctx, const char *text, size_t len, const char *path, int phase);
/* A Poetry / Pipfile dependency value: "^2.0" | "*" | {version, extras} | [{…}]. */
struct pa_dn;
void pa_disc_poetry_dep(struct pa_context *ctx, const char *name, const struct pa_dn *v, const char *path);

#endif
