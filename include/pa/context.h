/* context.h - the context store: everything discovery learns about the
 * project before and after parsing (tech stack, manifests, session and pool
 * config, triggers, ADRs), shared read-only by the three auditors and the
 * aggregator, and printed by --print-context.
 *
 * Lifecycle: pa_context_init → discovery (pre-parse) → discovery from facts
 * (post-parse, single thread) → frozen: auditors only read it. Every string
 * is owned by the context (heap) and freed by pa_context_free. */
#ifndef PA_CONTEXT_H
#define PA_CONTEXT_H

#include "pa/core.h"

struct cJSON;
struct pa_disc_state;

/* A dependency declared in a manifest. */
struct pa_dep {
    char *name;     /* normalised: lowercase, '_' → '-' (PEP 503) */
    char *version;  /* version spec as written ("==2.0.25", ">=2,<3", "^0.110") or NULL */
    char *source;   /* manifest path relative to root */
};

/* A detected technology with its version and where it was seen. */
struct pa_tech {
    char *name;     /* "PostgreSQL", "SQLAlchemy", "FastAPI" … ; NULL = not detected */
    char *version;  /* "16", "2.0", NULL if unknown */
    char *source;   /* evidence: "docker-compose.yml: image postgres:16" */
};

/* Engine / session factory configuration found in code. */
struct pa_session_cfg {
    char *path;              /* relative path */
    uint32_t line;           /* 1-based */
    char *factory;           /* "create_async_engine", "async_sessionmaker", "sessionmaker", "create_engine" */
    char *name;              /* bound name ("SessionLocal"), NULL */
    int expire_on_commit;    /* -1 unknown (library default applies), 0 false, 1 true */
    int autoflush;           /* -1, 0, 1 */
    int autocommit;          /* -1, 0, 1 (raw drivers / 1.x) */
    long pool_size;          /* -1 unknown */
    long max_overflow;       /* -1 unknown */
    char *isolation_level;   /* NULL unknown */
    bool is_async;           /* async engine/sessionmaker */
};

/* A trigger found in a migration or SQL file. */
struct pa_trigger {
    char *name;       /* trigger name */
    char *table;      /* table it is attached to (unqualified, lowercase) */
    char *event;      /* "INSERT OR UPDATE" … as written, uppercased */
    char *function;   /* trigger function name */
    char *channel;    /* NOTIFY / pg_notify channel, NULL if the function does not notify */
    char *source;     /* "alembic/versions/0002_jobs_notify.py:14" */
};

/* An ADR or planned-work document. */
struct pa_adr {
    char *id;         /* "ADR-007" (from file name or title) */
    char *title;      /* first heading */
    char *path;       /* relative path */
    char *status;     /* "accepted", "proposed" … or NULL */
    char *text;       /* lowercased body, for keyword/location matching */
};

/* A problem with an input file (malformed, unreadable): reported, never fatal. */
struct pa_context_note {
    char *path;       /* relative path */
    char *message;    /* what was wrong */
};

struct pa_context {
    char *root;                         /* PATH as given */
    struct pa_tech database;            /* PostgreSQL / MySQL / SQLite */
    struct pa_tech orm;                 /* SQLAlchemy / SQLModel / Django ORM / raw driver name */
    bool orm_async;                     /* async ORM usage (AsyncSession, asyncpg…) */
    struct pa_tech framework;           /* FastAPI / Starlette / Django / Flask / aiohttp */
    struct pa_tech async_runtime;       /* asyncio / trio / anyio / none */
    struct pa_tech task_queue;          /* Celery / RQ / arq / dramatiq */
    struct pa_tech language;            /* Python + version if declared */
    PA_VEC(struct pa_dep) deps;         /* every declared dependency */
    PA_VEC(char *) manifests;           /* manifests read (relative paths) */
    PA_VEC(struct pa_session_cfg) sessions;
    PA_VEC(struct pa_trigger) triggers;
    PA_VEC(struct pa_adr) adrs;
    PA_VEC(char *) realtime_channels;   /* LISTEN channels / SSE-WebSocket consumers found in code */
    bool has_realtime_consumer;         /* an SSE/WebSocket/LISTEN consumer exists */
    bool django_atomic_requests;        /* ATOMIC_REQUESTS = True in settings */
    char *team_id;                      /* from docs/tasks/kanban_board.md */
    char *tech_stack_doc;               /* path of tech_stack.md if read */
    PA_VEC(struct pa_context_note) notes; /* malformed / skipped inputs */
    struct cJSON *best_practices;       /* knowledge entries for the stack (array), owned; may be NULL */
    struct pa_disc_state *disc;         /* discovery's private working state (pending evidence,
                                           trigger-function links); owned, freed by pa_context_free */
};

void pa_context_init(struct pa_context *ctx, const char *root);
void pa_context_free(struct pa_context *ctx);
void pa_context_note(struct pa_context *ctx, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Set a tech slot if it is empty (first evidence wins; callers run in a fixed order). */
void pa_tech_set(struct pa_tech *t, const char *name, const char *version, const char *source);
/* Look up a declared dependency by normalised name; NULL if absent. Borrowed. */
const struct pa_dep *pa_context_dep(const struct pa_context *ctx, const char *name);
/* JSON form (the contextStore): owned cJSON tree; keys in a fixed order. */
struct cJSON *pa_context_to_json(const struct pa_context *ctx);
/* Is `table` (lowercase) the table of a trigger that notifies? Returns it, or NULL. */
const struct pa_trigger *pa_context_notify_trigger(const struct pa_context *ctx, const char *table);

#endif
