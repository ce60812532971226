/* discover.c - pre-parse discovery over the project root and the final
 * derivation of the tech stack.
 *
 * Order (fixed, so the result is deterministic): tech_stack.md → requirements
 * files (with includes) → pyproject.toml → setup.cfg → Pipfile → package.json
 * (root, then first-level directories) → go.mod → compose files (images of
 * every file first, then their database URLs) → one walk of the tree for
 * migrations, *.sql and Django settings → ADR directories → kanban board.
 * Directory listings are sorted. Missing inputs are silently absent;
 * unreadable, oversized or malformed ones become context notes.
 *
 * pa_discover_finish fills empty tech slots from the gathered evidence in
 * precedence order: tech_stack.md (already set) > compose image > database
 * URL > declared driver > driver imported in code. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "discovery/disc_internal.h"
#include "pa/discovery.h"

#define WALK_MAX_DEPTH 24
#define WALK_MAX_FILES 200000

typedef PA_VEC(char *) strvec;

bool pa_disc_read(struct pa_context *ctx, const char *root, const char *rel, char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    char *full = pa_path_join(root, rel);
    struct stat st;
    if (stat(full, &st) != 0) { free(full); return false; }
    /* rel fix (issue 9, security): a manifest symlinked out of the project
     * (requirements.txt -> ~/.ssh/id_rsa) would be read and its text could
     * surface in the context and reports; like the walker, never follow it. */
    if (!pa_path_within(root, full)) {
        pa_context_note(ctx, rel, "symlink pointing outside the project (not followed)");
        free(full);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        if (!S_ISDIR(st.st_mode)) pa_context_note(ctx, rel, "not a regular file; skipped");
        free(full);
        return false;
    }
    const char *reason = NULL;
    pa_status s = pa_file_read(full, PA_DISC_MAX_BYTES, text, len, &reason);
    free(full);
    if (s == PA_ERR_LIMIT) {
        pa_context_note(ctx, rel, "larger than %u MiB; skipped", PA_DISC_MAX_BYTES / (1024u * 1024u));
        return false;
    }
    if (s != PA_OK) {
        pa_context_note(ctx, rel, "unreadable: %s", reason ? reason : "read error");
        return false;
    }
    pa_disc_add_manifest(ctx, rel);
    return true;
}

static void read_and(struct pa_context *ctx, const char *root, const char *rel,
                     void (*fn)(struct pa_context *, const char *, size_t, const char *))
{
    char *text;
    size_t len;
    if (!pa_disc_read(ctx, root, rel, &text, &len)) return;
    fn(ctx, text, len, rel);
    free(text);
}

/* Sorted entry names of a directory (files and dirs; no "." / ".."). */
static void list_dir(const char *dir, strvec *out)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        pa_vec_push(out, pa_xstrdup(e->d_name));
    }
    closedir(d);
    if (out->n) qsort(out->v, out->n, sizeof *out->v, pa_str_cmp_ptr);
}

static void free_strvec(strvec *v)
{
    for (size_t i = 0; i < v->n; i++) free(v->v[i]);
    pa_vec_free(v);
}

static char *rel_join(const char *dir, const char *name)
{
    return *dir ? pa_xasprintf("%s/%s", dir, name) : pa_xstrdup(name);
}

/* Directories never entered (the default excludes, plus caches). */
static bool excluded_dir(const char *rel, const char *name)
{
    static const char *const names[] = {
        "node_modules", "venv", "site-packages", "__pycache__", "build", "dist", "tests", "test",
        "htmlcov", "__pypackages__", "target",
    };
    if (name[0] == '.') return true;   /* .git, .venv, .tox, .mypy_cache, docs/project/.audit … */
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0) return true;
    if (pa_str_ends(name, ".egg-info")) return true;
    (void)rel;
    return false;
}

static bool is_compose_name(const char *n)
{
    bool yml = pa_str_ends(n, ".yml") || pa_str_ends(n, ".yaml");
    return yml && (pa_str_starts(n, "docker-compose") || pa_str_starts(n, "compose"));
}

/* Where a Python file is a migration: alembic/versions, migrations/versions,
 * any "migrations" package (Django). */
static bool is_migration_py(const char *rel)
{
    if (!pa_str_ends(rel, ".py") || pa_str_ends(rel, "/__init__.py")) return false;
    const char *slash = strrchr(rel, '/');
    if (!slash) return false;
    size_t dl = (size_t)(slash - rel);
    const char *ps = NULL;   /* parent dir name start */
    for (const char *p = rel; p < slash; p++) if (*p == '/') ps = p;
    const char *parent = ps ? ps + 1 : rel;
    size_t pl = (size_t)(slash - parent);
    if (pl == 10 && strncmp(parent, "migrations", 10) == 0) return true;
    if (pl == 8 && strncmp(parent, "versions", 8) == 0) {
        /* any ancestor named alembic or migrations */
        char *dir = pa_xstrndup(rel, dl);
        bool ok = strstr(dir, "alembic") != NULL || strstr(dir, "migrations") != NULL;
        free(dir);
        return ok;
    }
    return false;
}

static bool is_settings_py(const char *rel)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    if (!pa_str_ends(base, ".py")) return false;
    if (strstr(base, "settings")) return true;
    return strstr(rel, "/settings/") != NULL || pa_str_starts(rel, "settings/");
}

/* ATOMIC_REQUESTS set to True in a settings file ("'ATOMIC_REQUESTS': True",
 * "ATOMIC_REQUESTS=True", DATABASES[...]["ATOMIC_REQUESTS"] = True). */
static bool settings_atomic(const char *text)
{
    for (const char *p = text; (p = strstr(p, "ATOMIC_REQUESTS")) != NULL; p += 15) {
        /* ignore commented-out lines */
        const char *ls = p;
        while (ls > text && ls[-1] != '\n') ls--;
        const char *hash = memchr(ls, '#', (size_t)(p - ls));
        if (hash) continue;
        const char *q = p + 15;
        while (*q == '"' || *q == '\'' || *q == ']' || *q == ' ' || *q == '\t') q++;
        if (*q != ':' && *q != '=') continue;
        q++;
        while (*q == ' ' || *q == '\t') q++;
        if (strncmp(q, "True", 4) == 0) return true;
    }
    return false;
}

/* Django DATABASES ENGINE → database evidence (URL level). */
static void settings_engine(struct pa_context *ctx, const char *text, const char *rel)
{
    static const struct { const char *engine; const char *db; } engines[] = {
        {"django.db.backends.postgresql", "PostgreSQL"}, {"django.contrib.gis.db.backends.postgis", "PostgreSQL"},
        {"django.db.backends.mysql", "MySQL"}, {"django.db.backends.sqlite3", "SQLite"},
        {"django.db.backends.oracle", "Oracle"},
    };
    for (size_t i = 0; i < sizeof engines / sizeof *engines; i++) {
        const char *p = strstr(text, engines[i].engine);
        if (!p) continue;
        char *src = pa_xasprintf("%s: ENGINE %s", rel, engines[i].engine);
        pa_disc_tech_offer(&pa_disc_state_get(ctx)->db_url, engines[i].db, NULL, src);
        free(src);
        return;
    }
}

struct walk {
    struct pa_context *ctx;
    const char *root;
    strvec migrations;   /* rel paths, in walk (sorted) order */
    strvec settings;
    size_t files;
};

static void walk_dir(struct walk *w, const char *rel, int depth)
{
    if (depth > WALK_MAX_DEPTH) {
        pa_context_note(w->ctx, rel, "directory nesting deeper than %d; not searched", WALK_MAX_DEPTH);
        return;
    }
    char *full = *rel ? pa_path_join(w->root, rel) : pa_xstrdup(w->root);
    strvec names = {0};
    list_dir(full, &names);
    for (size_t i = 0; i < names.n && w->files < WALK_MAX_FILES; i++) {
        char *r = rel_join(rel, names.v[i]);
        char *f = pa_path_join(w->root, r);
        struct stat st;
        if (lstat(f, &st) == 0) {   /* symlinks are not followed */
            if (S_ISDIR(st.st_mode)) {
                if (!excluded_dir(r, names.v[i])) walk_dir(w, r, depth + 1);
            } else if (S_ISREG(st.st_mode)) {
                w->files++;
                if (pa_str_ends(r, ".sql") || is_migration_py(r)) pa_vec_push(&w->migrations, pa_xstrdup(r));
                else if (is_settings_py(r)) pa_vec_push(&w->settings, pa_xstrdup(r));
            }
        }
        free(f);
        free(r);
    }
    free_strvec(&names);
    free(full);
}

static void adr_dir(struct pa_context *ctx, const char *root, const char *rel, int depth)
{
    if (depth > 3) return;
    char *full = pa_path_join(root, rel);
    strvec names = {0};
    list_dir(full, &names);
    free(full);
    for (size_t i = 0; i < names.n; i++) {
        const char *n = names.v[i];
        char *r = rel_join(rel, n);
        char *f = pa_path_join(root, r);
        struct stat st;
        if (n[0] != '.' && lstat(f, &st) == 0) {
            if (S_ISDIR(st.st_mode)) adr_dir(ctx, root, r, depth + 1);
            else if (S_ISREG(st.st_mode) && pa_str_ends(n, ".md") && strcasecmp(n, "README.md") != 0 &&
                     strcasecmp(n, "index.md") != 0 && !strstr(n, "template"))
                read_and(ctx, root, r, pa_disc_adr);
        }
        free(f);
        free(r);
    }
    free_strvec(&names);
}

void pa_discover(struct pa_context *ctx, const char *root)
{
    strvec top = {0};
    list_dir(root, &top);

    read_and(ctx, root, "docs/project/tech_stack.md", pa_disc_tech_stack_md);

    for (size_t i = 0; i < top.n; i++)
        if (pa_str_starts(top.v[i], "requirements") && pa_str_ends(top.v[i], ".txt"))
            pa_disc_requirements_tree(ctx, root, top.v[i]);
    char *reqdir = pa_path_join(root, "requirements");
    strvec reqs = {0};
    list_dir(reqdir, &reqs);
    free(reqdir);
    for (size_t i = 0; i < reqs.n; i++)
        if (pa_str_ends(reqs.v[i], ".txt")) {
            char *r = rel_join("requirements", reqs.v[i]);
            pa_disc_requirements_tree(ctx, root, r);
            free(r);
        }
    free_strvec(&reqs);

    read_and(ctx, root, "pyproject.toml", pa_disc_pyproject);
    read_and(ctx, root, "setup.cfg", pa_disc_setup_cfg);
    read_and(ctx, root, "Pipfile", pa_disc_pipfile);
    read_and(ctx, root, "package.json", pa_disc_package_json);
    for (size_t i = 0; i < top.n; i++) {
        char *d = pa_path_join(root, top.v[i]);
        if (pa_path_is_dir(d) && !excluded_dir(top.v[i], top.v[i])) {
            char *r = rel_join(top.v[i], "package.json");
            read_and(ctx, root, r, pa_disc_package_json);
            free(r);
        }
        free(d);
    }
    read_and(ctx, root, "go.mod", pa_disc_go_mod);

    /* compose: images of every file before any URL */
    struct { char *rel; char *text; size_t len; } comp[32];
    size_t ncomp = 0;
    for (size_t i = 0; i < top.n && ncomp < 32; i++) {
        if (!is_compose_name(top.v[i])) continue;
        char *text;
        size_t len;
        if (!pa_disc_read(ctx, root, top.v[i], &text, &len)) continue;
        comp[ncomp].rel = top.v[i];
        comp[ncomp].text = text;
        comp[ncomp].len = len;
        ncomp++;
    }
    for (size_t i = 0; i < ncomp; i++) pa_disc_compose_phase(ctx, comp[i].text, comp[i].len, comp[i].rel, 1);
    for (size_t i = 0; i < ncomp; i++) {
        pa_disc_compose_phase(ctx, comp[i].text, comp[i].len, comp[i].rel, 2);
        free(comp[i].text);
    }

    struct walk w = {ctx, root, {0}, {0}, 0};
    walk_dir(&w, "", 0);
    if (w.files >= WALK_MAX_FILES) pa_context_note(ctx, ".", "more than %d files; migration search stopped early", WALK_MAX_FILES);
    for (size_t i = 0; i < w.migrations.n; i++) read_and(ctx, root, w.migrations.v[i], pa_disc_migration);
    for (size_t i = 0; i < w.settings.n; i++) {
        char *text;
        size_t len;
        if (!pa_disc_read(ctx, root, w.settings.v[i], &text, &len)) continue;
        if (!memchr(text, '\0', len)) {
            if (settings_atomic(text)) ctx->django_atomic_requests = true;
            settings_engine(ctx, text, w.settings.v[i]);
        }
        free(text);
    }
    free_strvec(&w.migrations);
    free_strvec(&w.settings);

    static const char *const adr_dirs[] = {"docs/adr", "docs/decisions", "docs/reference/adrs", "docs/architecture"};
    for (size_t i = 0; i < sizeof adr_dirs / sizeof *adr_dirs; i++) adr_dir(ctx, root, adr_dirs[i], 0);

    read_and(ctx, root, "docs/tasks/kanban_board.md", pa_disc_kanban);

    pa_disc_link_triggers(ctx);
    free_strvec(&top);
}

/* ---- finish -------------------------------------------------------------- */

static const struct pa_dep *first_dep(const struct pa_context *ctx, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct pa_dep *d = pa_context_dep(ctx, names[i]);
        if (d) return d;
    }
    return NULL;
}

/* Offer "Name" from a declared dependency, version = major.minor of its spec. */
static void offer_dep(struct pa_tech *t, const char *name, const struct pa_dep *d)
{
    char *ver = pa_disc_major_minor(d->version);
    char *src = pa_xasprintf("%s: %s%s%s", d->source ? d->source : "?", d->name, d->version ? " " : "",
                             d->version ? d->version : "");
    pa_disc_tech_offer(t, name, ver, src);
    free(src);
    free(ver);
}

static void offer_import(struct pa_context *ctx, struct pa_tech *t, const char *name, int bit)
{
    struct pa_disc_state *s = ctx->disc;
    if (!s || !(s->imports & (1u << bit))) return;
    char *src = pa_xasprintf("import in %s", s->import_src[bit] ? s->import_src[bit] : "code");
    pa_disc_tech_offer(t, name, NULL, src);
    free(src);
}

struct dep_tech {
    const char *dep;    /* normalised distribution name */
    const char *name;   /* technology */
};

void pa_discover_finish(struct pa_context *ctx)
{
    struct pa_disc_state *s = pa_disc_state_get(ctx);
    pa_disc_link_triggers(ctx);

    /* database */
    if (s->db_image.name) pa_disc_tech_offer(&ctx->database, s->db_image.name, s->db_image.version, s->db_image.source);
    if (s->db_url.name) pa_disc_tech_offer(&ctx->database, s->db_url.name, s->db_url.version, s->db_url.source);
    static const struct dep_tech drivers[] = {
        {"asyncpg", "PostgreSQL"}, {"psycopg", "PostgreSQL"}, {"psycopg-binary", "PostgreSQL"},
        {"psycopg2", "PostgreSQL"}, {"psycopg2-binary", "PostgreSQL"}, {"pg8000", "PostgreSQL"},
        {"aiopg", "PostgreSQL"}, {"asyncmy", "MySQL"}, {"aiomysql", "MySQL"}, {"pymysql", "MySQL"},
        {"mysqlclient", "MySQL"}, {"mysql-connector-python", "MySQL"}, {"aiosqlite", "SQLite"},
    };
    for (size_t i = 0; i < sizeof drivers / sizeof *drivers && !ctx->database.name; i++) {
        const struct pa_dep *d = pa_context_dep(ctx, drivers[i].dep);
        if (d) {
            char *src = pa_xasprintf("%s: driver %s", d->source ? d->source : "?", d->name);
            pa_disc_tech_offer(&ctx->database, drivers[i].name, NULL, src);
            free(src);
        }
    }
    offer_import(ctx, &ctx->database, "PostgreSQL", PA_IMP_ASYNCPG);
    offer_import(ctx, &ctx->database, "PostgreSQL", PA_IMP_PSYCOPG);
    offer_import(ctx, &ctx->database, "PostgreSQL", PA_IMP_PSYCOPG2);
    offer_import(ctx, &ctx->database, "SQLite", PA_IMP_AIOSQLITE);

    /* ORM */
    static const struct dep_tech orms[] = {
        {"sqlalchemy", "SQLAlchemy"}, {"sqlmodel", "SQLModel"}, {"flask-sqlalchemy", "SQLAlchemy"},
        {"tortoise-orm", "Tortoise ORM"}, {"peewee", "Peewee"}, {"pony", "Pony ORM"},
    };
    for (size_t i = 0; i < sizeof orms / sizeof *orms; i++) {
        const struct pa_dep *d = pa_context_dep(ctx, orms[i].dep);
        if (!d) continue;
        if (strcmp(orms[i].dep, "flask-sqlalchemy") == 0) {
            pa_disc_tech_offer(&ctx->orm, "SQLAlchemy", NULL, d->source);
        } else {
            offer_dep(&ctx->orm, orms[i].name, d);
        }
    }
    offer_import(ctx, &ctx->orm, "SQLAlchemy", PA_IMP_SQLALCHEMY);
    offer_import(ctx, &ctx->orm, "SQLAlchemy", PA_IMP_SQLALCHEMY_ASYNC);
    offer_import(ctx, &ctx->orm, "SQLModel", PA_IMP_SQLMODEL);
    const struct pa_dep *django = pa_context_dep(ctx, "django");
    if (django || (s->imports & (1u << PA_IMP_DJANGO))) {
        char *ver = django ? pa_disc_major_minor(django->version) : NULL;
        char *src = django ? pa_xasprintf("%s: django", django->source ? django->source : "?")
                           : pa_xasprintf("import in %s", s->import_src[PA_IMP_DJANGO] ? s->import_src[PA_IMP_DJANGO] : "code");
        pa_disc_tech_offer(&ctx->orm, "Django ORM", ver, src);
        free(src);
        free(ver);
    }
    if (ctx->orm.name && (strcmp(ctx->orm.name, "SQLAlchemy") == 0 || strcmp(ctx->orm.name, "SQLModel") == 0)) {
        static const char *const async_drivers[] = {"asyncpg", "aiosqlite", "asyncmy", "aiomysql"};
        if (s->sqlalchemy_async_extra || s->url_async_driver || s->async_sessions ||
            (s->imports & (1u << PA_IMP_SQLALCHEMY_ASYNC)) || first_dep(ctx, async_drivers, 4))
            ctx->orm_async = true;
    }
    if (ctx->orm.name && strcmp(ctx->orm.name, "Tortoise ORM") == 0) ctx->orm_async = true;

    /* framework */
    static const struct dep_tech frameworks[] = {
        {"fastapi", "FastAPI"}, {"django", "Django"}, {"flask", "Flask"}, {"litestar", "Litestar"},
        {"quart", "Quart"}, {"sanic", "Sanic"}, {"aiohttp", "aiohttp"}, {"starlette", "Starlette"},
        {"tornado", "Tornado"},
    };
    for (size_t i = 0; i < sizeof frameworks / sizeof *frameworks; i++) {
        const struct pa_dep *d = pa_context_dep(ctx, frameworks[i].dep);
        if (d) offer_dep(&ctx->framework, frameworks[i].name, d);
    }
    offer_import(ctx, &ctx->framework, "FastAPI", PA_IMP_FASTAPI);
    offer_import(ctx, &ctx->framework, "Django", PA_IMP_DJANGO);
    offer_import(ctx, &ctx->framework, "Flask", PA_IMP_FLASK);
    offer_import(ctx, &ctx->framework, "Starlette", PA_IMP_STARLETTE);
    offer_import(ctx, &ctx->framework, "aiohttp", PA_IMP_AIOHTTP);

    /* async runtime */
    static const struct dep_tech runtimes[] = {{"trio", "trio"}, {"anyio", "anyio"}};
    static const char *const async_frameworks[] = {"FastAPI", "Starlette", "aiohttp", "Quart", "Sanic", "Litestar"};
    bool async_fw = false;
    for (size_t i = 0; i < sizeof async_frameworks / sizeof *async_frameworks; i++)
        if (pa_str_eq(ctx->framework.name, async_frameworks[i])) async_fw = true;
    if (async_fw) {
        char *src = pa_xasprintf("%s is an asyncio framework", ctx->framework.name);
        pa_tech_set(&ctx->async_runtime, "asyncio", NULL, src);
        free(src);
    } else if (ctx->orm_async) {
        pa_tech_set(&ctx->async_runtime, "asyncio", NULL, "async ORM usage");
    } else {
        for (size_t i = 0; i < sizeof runtimes / sizeof *runtimes; i++) {
            const struct pa_dep *d = pa_context_dep(ctx, runtimes[i].dep);
            if (d) offer_dep(&ctx->async_runtime, runtimes[i].name, d);
        }
    }

    /* task queue */
    static const struct dep_tech queues[] = {
        {"celery", "Celery"}, {"rq", "RQ"}, {"arq", "arq"}, {"dramatiq", "Dramatiq"}, {"huey", "Huey"},
        {"taskiq", "TaskIQ"},
    };
    for (size_t i = 0; i < sizeof queues / sizeof *queues; i++) {
        const struct pa_dep *d = pa_context_dep(ctx, queues[i].dep);
        if (d) offer_dep(&ctx->task_queue, queues[i].name, d);
    }
    offer_import(ctx, &ctx->task_queue, "Celery", PA_IMP_CELERY);
    offer_import(ctx, &ctx->task_queue, "arq", PA_IMP_ARQ);
    offer_import(ctx, &ctx->task_queue, "RQ", PA_IMP_RQ);
    offer_import(ctx, &ctx->task_queue, "Dramatiq", PA_IMP_DRAMATIQ);

    /* language */
    if (s->python.name) pa_disc_tech_offer(&ctx->language, "Python", s->python.version, s->python.source);
    else if (s->python_seen) pa_tech_set(&ctx->language, "Python", NULL, "Python manifests and code");
}
