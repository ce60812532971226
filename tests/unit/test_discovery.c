/* test_discovery.c - discovery parsers on good and malformed input, the
 * context JSON form, discovery from hand-built facts, and an end-to-end
 * pa_discover over tests/discovery/project_fastapi/. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "pa/context.h"
#include "pa/discovery.h"
#include "pa/facts.h"

#define S(lit) lit, sizeof(lit) - 1

static bool has_note(const struct pa_context *ctx, const char *path, const char *needle)
{
    for (size_t i = 0; i < ctx->notes.n; i++)
        if (strcmp(ctx->notes.v[i].path, path) == 0 && strstr(ctx->notes.v[i].message, needle)) return true;
    return false;
}

static const char *dep_version(const struct pa_context *ctx, const char *name)
{
    const struct pa_dep *d = pa_context_dep(ctx, name);
    return d ? (d->version ? d->version : "") : NULL;
}

static void test_requirements(void)
{
    struct pa_context ctx;
    pa_context_init(&ctx, ".");
    pa_disc_requirements(&ctx, S("# comment line\n"
                                 "SQLAlchemy[asyncio]>=2.0.25  # async ORM\n"
                                 "asyncpg==0.29.0 ; python_version >= \"3.8\"\n"
                                 "Django_Rest.Framework (>=3.14)\n"
                                 "requests\n"
                                 "-r other.txt\n"
                                 "--index-url https://example.invalid/simple\n"
                                 "-e git+https://example.invalid/x/celery.git#egg=celery\n"
                                 "pydantic>=2 \\\n   ,<3\n"
                                 "uvicorn==0.29 --hash=sha256:abc\n"
                                 "mypkg @ git+https://example.invalid/mypkg.git@v1.0\n"),
                         "requirements.txt");
    CHECK_STR(dep_version(&ctx, "sqlalchemy"), ">=2.0.25");
    CHECK_STR(dep_version(&ctx, "asyncpg"), "==0.29.0");
    CHECK_STR(dep_version(&ctx, "django-rest-framework"), ">=3.14");
    CHECK_STR(dep_version(&ctx, "requests"), "");
    CHECK_STR(dep_version(&ctx, "celery"), "");
    CHECK_STR(dep_version(&ctx, "pydantic"), ">=2,<3");
    CHECK_STR(dep_version(&ctx, "uvicorn"), "==0.29");
    CHECK(pa_context_dep(&ctx, "mypkg") != NULL);
    CHECK(pa_context_dep(&ctx, "other") == NULL);
    CHECK(pa_context_dep(&ctx, "-r") == NULL);
    CHECK_INT(ctx.deps.n, 8);
    CHECK_STR(ctx.deps.v[0].source, "requirements.txt");
    pa_discover_finish(&ctx);
    CHECK_STR(ctx.orm.name, "SQLAlchemy");
    CHECK_STR(ctx.orm.version, "2.0");
    CHECK(ctx.orm_async);
    CHECK_STR(ctx.database.name, "PostgreSQL");   /* from the asyncpg driver */
    CHECK(ctx.database.source && strstr(ctx.database.source, "asyncpg"));
    CHECK_STR(ctx.task_queue.name, "Celery");
    CHECK_STR(ctx.async_runtime.name, "asyncio");
    CHECK_STR(ctx.language.name, "Python");
    pa_context_free(&ctx);

    /* binary junk is a note, not a crash */
    pa_context_init(&ctx, ".");
    pa_disc_requirements(&ctx, "ab\0\x01\xff\xfe", 6, "requirements-bin.txt");
    CHECK_INT(ctx.deps.n, 0);
    CHECK(has_note(&ctx, "requirements-bin.txt", "binary"));
    CHECK_INT(ctx.manifests.n, 1);
    pa_context_free(&ctx);
}

static void test_pyproject(void)
{
    struct pa_context ctx;
    pa_context_init(&ctx, ".");
    pa_disc_pyproject(&ctx, S("[project]\n"
                              "name = \"svc\"\n"
                              "requires-python = \">=3.11\"\n"
                              "dependencies = [\n  \"fastapi>=0.110\",  # web\n  'sqlalchemy[asyncio]>=2.0.25',\n]\n"
                              "[project.optional-dependencies]\n"
                              "worker = [\"celery[redis]~=5.3\"]\n"),
                      "pyproject.toml");
    CHECK_STR(dep_version(&ctx, "fastapi"), ">=0.110");
    CHECK_STR(dep_version(&ctx, "sqlalchemy"), ">=2.0.25");
    CHECK_STR(dep_version(&ctx, "celery"), "~=5.3");
    pa_discover_finish(&ctx);
    CHECK_STR(ctx.framework.name, "FastAPI");
    CHECK_STR(ctx.framework.version, "0.110");
    CHECK_STR(ctx.orm.version, "2.0");
    CHECK(ctx.orm_async);
    CHECK_STR(ctx.language.version, "3.11");
    CHECK(ctx.language.source && strstr(ctx.language.source, "requires-python"));
    pa_context_free(&ctx);

    /* Poetry, with table values and groups */
    pa_context_init(&ctx, ".");
    pa_disc_pyproject(&ctx, S("[tool.poetry]\nname = \"svc\"\n"
                              "[tool.poetry.dependencies]\n"
                              "python = \"^3.12\"\n"
                              "django = \"^5.0\"\n"
                              "sqlalchemy = {version = \"^2.0\", extras=[\"asyncio\"]}\n"
                              "psycopg = { version = \">=3.1\", extras = [\"binary\"] }\n"
                              "[tool.poetry.group.dev.dependencies]\n"
                              "pytest = \"*\"\n"),
                      "pyproject.toml");
    CHECK_STR(dep_version(&ctx, "django"), "^5.0");
    CHECK_STR(dep_version(&ctx, "sqlalchemy"), "^2.0");
    CHECK_STR(dep_version(&ctx, "psycopg"), ">=3.1");
    CHECK_STR(dep_version(&ctx, "pytest"), "");
    CHECK(pa_context_dep(&ctx, "python") == NULL);
    pa_discover_finish(&ctx);
    CHECK_STR(ctx.language.version, "3.12");
    CHECK_STR(ctx.framework.name, "Django");
    CHECK_STR(ctx.framework.version, "5.0");
    CHECK_STR(ctx.orm.name, "SQLAlchemy");
    CHECK(ctx.orm_async);
    CHECK_STR(ctx.database.name, "PostgreSQL");
    CHECK(ctx.async_runtime.name && strcmp(ctx.async_runtime.name, "asyncio") == 0);
    pa_context_free(&ctx);

    /* invalid TOML */
    pa_context_init(&ctx, ".");
    pa_disc_pyproject(&ctx, S("[project]\ndependencies = [\"fastapi\"\nname = \n"), "pyproject.toml");
    CHECK(has_note(&ctx, "pyproject.toml", "invalid TOML"));
    CHECK_INT(ctx.deps.n, 0);
    CHECK_STR(ctx.manifests.v[0], "pyproject.toml");
    pa_context_free(&ctx);

    pa_context_init(&ctx, ".");
    pa_disc_pyproject(&ctx, "\x7f" "ELF\0\0\x02", 7, "pyproject.toml");
    CHECK(has_note(&ctx, "pyproject.toml", "binary"));
    pa_context_free(&ctx);
}

static void test_setup_cfg_pipfile(void)
{
    struct pa_context ctx;
    pa_context_init(&ctx, ".");
    pa_disc_setup_cfg(&ctx, S("[metadata]\nname = svc\n\n[options]\npython_requires = >=3.10\n"
                              "install_requires =\n    flask>=3.0\n    psycopg2-binary==2.9.9\n"
                              "packages = find:\n\n[options.extras_require]\nqueue =\n    rq>=1.15\n"),
                      "setup.cfg");
    CHECK_STR(dep_version(&ctx, "flask"), ">=3.0");
    CHECK_STR(dep_version(&ctx, "psycopg2-binary"), "==2.9.9");
    CHECK_STR(dep_version(&ctx, "rq"), ">=1.15");
    CHECK(pa_context_dep(&ctx, "find:") == NULL);
    pa_discover_finish(&ctx);
    CHECK_STR(ctx.framework.name, "Flask");
    CHECK_STR(ctx.database.name, "PostgreSQL");
    CHECK_STR(ctx.task_queue.name, "RQ");
    CHECK_STR(ctx.language.version, "3.10");
    CHECK(ctx.async_runtime.name == NULL);
    pa_context_free(&ctx);

    pa_context_init(&ctx, ".");
    pa_disc_pipfile(&ctx, S("[[source]]\nurl = \"https://pypi.org/simple\"\n\n[packages]\n"
                            "aiohttp = \"==3.9.5\"\nsqlmodel = \"*\"\naiosqlite = {version = \">=0.19\"}\n"
                            "[dev-packages]\npytest = \"*\"\n\n[requires]\npython_version = \"3.11\"\n"),
                    "Pipfile");
    CHECK_STR(dep_version(&ctx, "aiohttp"), "==3.9.5");
    CHECK_STR(dep_version(&ctx, "sqlmodel"), "");
    CHECK_STR(dep_version(&ctx, "aiosqlite"), ">=0.19");
    pa_discover_finish(&ctx);
    CHECK_STR(ctx.framework.name, "aiohttp");
    CHECK_STR(ctx.orm.name, "SQLModel");
    CHECK(ctx.orm_async);
    CHECK_STR(ctx.database.name, "SQLite");
    CHECK_STR(ctx.language.version, "3.11");
    pa_context_free(&ctx);

    pa_context_init(&ctx, ".");
    pa_disc_pipfile(&ctx, S("[packages\nflask = \n"), "Pipfile");
    CHECK(has_note(&ctx, "Pipfile", "invalid TOML at line 1"));
    pa_context_free(&ctx);
}

static void test_package_json_go_mod(void)
{
    struct pa_context ctx;
    pa_context_init(&ctx, ".");
    pa_disc_package_json(&ctx, S("{\"name\": \"ui\", \"dependencies\": {\"react\": \"^18.2.0\", "
                                 "\"@microsoft/fetch-event-source\": \"^2.0.1\"}, \"devDependencies\": {\"vite\": \"^5\"}}"),
                         "frontend/package.json");
    CHECK_STR(dep_version(&ctx, "react"), "^18.2.0");
    CHECK_STR(dep_version(&ctx, "vite"), "^5");
    CHECK(ctx.has_realtime_consumer);
    CHECK_STR(ctx.manifests.v[0], "frontend/package.json");
    pa_context_free(&ctx);

    pa_context_init(&ctx, ".");
    pa_disc_package_json(&ctx, S("{\"name\": \"ui\",\n \"dependencies\": {\"react\": }\n"), "package.json");
    CHECK(has_note(&ctx, "package.json", "invalid JSON near line 2"));
    CHECK(!ctx.has_realtime_consumer);
    CHECK_INT(ctx.deps.n, 0);
    pa_context_free(&ctx);

    pa_context_init(&ctx, ".");
    pa_disc_go_mod(&ctx, S("module example.com/gw\n\ngo 1.22\n\nrequire github.com/jackc/pgx/v5 v5.5.5\n"
                           "require (\n\tgithub.com/gorilla/websocket v1.5.1 // indirect\n\tgolang.org/x/net v0.24.0\n)\n"),
                   "go.mod");
    CHECK_INT(ctx.deps.n, 3);
    CHECK_STR(dep_version(&ctx, "github.com/jackc/pgx/v5"), "v5.5.5");
    CHECK_STR(dep_version(&ctx, "github.com/gorilla/websocket"), "v1.5.1");
    pa_context_free(&ctx);
}

static void test_compose(void)
{
    struct pa_context ctx;
    pa_context_init(&ctx, ".");
    pa_disc_compose(&ctx, S("services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n"), "docker-compose.yml");
    pa_discover_finish(&ctx);
    CHECK_STR(ctx.database.name, "PostgreSQL");
    CHECK_STR(ctx.database.version, "16");
    CHECK_STR(ctx.database.source, "docker-compose.yml: image postgres:16");
    pa_context_free(&ctx);

    static const struct { const char *image, *db, *ver; } cases[] = {
        {"postgres:16-alpine", "PostgreSQL", "16"}, {"bitnami/postgresql:15", "PostgreSQL", "15"},
        {"mysql:8.0", "MySQL", "8.0"}, {"mariadb", "MariaDB", NULL},
        {"docker.io/library/postgres:15.3@sha256:abc", "PostgreSQL", "15.3"},
        {"timescale/timescaledb:latest-pg16", "PostgreSQL", "16"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pa_context_init(&ctx, ".");
        char *y = pa_xasprintf("services:\n  db:\n    image: \"%s\"\n", cases[i].image);
        pa_disc_compose(&ctx, y, strlen(y), "compose.yaml");
        free(y);
        pa_discover_finish(&ctx);
        CHECK_STR(ctx.database.name, cases[i].db);
        CHECK_STR(ctx.database.version, cases[i].ver);
        pa_context_free(&ctx);
    }

    /* DATABASE_URL in list form; the image wins over the URL */
    pa_context_init(&ctx, ".");
    pa_disc_compose(&ctx, S("services:\n  api:\n    environment:\n      - DATABASE_URL=mysql+aiomysql://u:p@db/x\n"),
                    "docker-compose.yml");
    pa_discover_finish(&ctx);
    CHECK_STR(ctx.database.name, "MySQL");
    CHECK(ctx.database.source && !strstr(ctx.database.source, "u:p"));   /* credentials never copied */
    pa_context_free(&ctx);

    pa_context_init(&ctx, ".");
    pa_disc_compose(&ctx, S("services:\n  api:\n    environment:\n      DATABASE_URL: sqlite+aiosqlite:///x.db\n"
                            "  db:\n    image: postgres:14\n"),
                    "docker-compose.yml");
    pa_discover_finish(&ctx);
    CHECK_STR(ctx.database.name, "PostgreSQL");
    CHECK_STR(ctx.database.version, "14");
    pa_context_free(&ctx);

    /* truncated YAML */
    pa_context_init(&ctx, ".");
    pa_disc_compose(&ctx, S("services:\n  db:\n    image: [postgres:16\n"), "docker-compose.yml");
    CHECK(has_note(&ctx, "docker-compose.yml", "invalid YAML at line"));
    pa_discover_finish(&ctx);
    CHECK(ctx.database.name == NULL);
    pa_context_free(&ctx);

    /* alias bomb (billion laughs) */
    pa_context_init(&ctx, ".");
    pa_disc_compose(&ctx, S("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                            "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                            "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                            "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                            "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                            "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
                            "services:\n  db:\n    image: postgres:16\n"),
                    "docker-compose.yml");
    CHECK(has_note(&ctx, "docker-compose.yml", "alias"));
    pa_context_free(&ctx);

    /* self-referencing alias and deep nesting */
    pa_context_init(&ctx, ".");
    pa_disc_compose(&ctx, S("a: &a [1, *a]\n"), "compose.yml");
    CHECK(has_note(&ctx, "compose.yml", "anchor"));
    pa_context_free(&ctx);
    pa_context_init(&ctx, ".");
    {
        pa_buf b;
        pa_buf_init(&b);
        for (int i = 0; i < 200; i++) pa_buf_putc(&b, '[');
        for (int i = 0; i < 200; i++) pa_buf_putc(&b, ']');
        pa_disc_compose(&ctx, b.s, b.len, "compose.yml");
        pa_buf_free(&b);
    }
    CHECK(has_note(&ctx, "compose.yml", "nesting"));
    pa_context_free(&ctx);

    /* binary junk */
    pa_context_init(&ctx, ".");
    pa_disc_compose(&ctx, "\x89PNG\r\n\x1a\n\0\0", 10, "compose.yml");
    CHECK_INT(ctx.notes.n, 1);
    pa_context_free(&ctx);
}

static void test_migrations(void)
{
    struct pa_context ctx;
    pa_context_init(&ctx, ".");
    pa_disc_migration(&ctx, S("from alembic import op\n"
                              "\n"
                              "def upgrade():\n"
                              "    op.execute(\"\"\"\n"
                              "    CREATE OR REPLACE FUNCTION app.notify_jobs() RETURNS trigger AS $func$\n"
                              "    BEGIN\n"
                              "      PERFORM pg_notify('jobs_changed', NEW.id::text);\n"
                              "      RETURN NEW;\n"
                              "    END $func$ LANGUAGE plpgsql;\n"
                              "    \"\"\")\n"
                              "    op.execute(\"\"\"\n"
                              "    CREATE TRIGGER jobs_notify\n"
                              "      AFTER INSERT OR UPDATE ON \"Jobs\"\n"
                              "      FOR EACH ROW EXECUTE PROCEDURE app.notify_jobs();\n"
                              "    \"\"\")\n"),
                      "alembic/versions/0002_notify.py");
    CHECK_INT(ctx.triggers.n, 1);
    if (ctx.triggers.n) {
        const struct pa_trigger *t = &ctx.triggers.v[0];
        CHECK_STR(t->name, "jobs_notify");
        CHECK_STR(t->table, "jobs");
        CHECK_STR(t->event, "INSERT OR UPDATE");
        CHECK_STR(t->function, "notify_jobs");
        CHECK_STR(t->channel, "jobs_changed");
        CHECK_STR(t->source, "alembic/versions/0002_notify.py:12");
    }
    CHECK(pa_context_notify_trigger(&ctx, "jobs") != NULL);
    CHECK(pa_context_notify_trigger(&ctx, "orders") == NULL);
    pa_context_free(&ctx);

    /* Django RunSQL with escaped newlines; NOTIFY statement form; BEFORE + schema-qualified table */
    pa_context_init(&ctx, ".");
    pa_disc_migration(&ctx, S("from django.db import migrations\n\n"
                              "class Migration(migrations.Migration):\n"
                              "    operations = [\n"
                              "        migrations.RunSQL(\n"
                              "            sql=\"CREATE FUNCTION order_ping() RETURNS trigger LANGUAGE plpgsql AS '\"\n"
                              "                \"BEGIN NOTIFY orders_events; RETURN NULL; END';\\n\"\n"
                              "                \"create trigger order_ping_t before delete on shop.orders \"\n"
                              "                \"for each statement execute function order_ping();\",\n"
                              "            reverse_sql=\"DROP TRIGGER order_ping_t ON shop.orders;\",\n"
                              "        ),\n"
                              "    ]\n"),
                      "shop/migrations/0003_ping.py");
    CHECK_INT(ctx.triggers.n, 1);
    if (ctx.triggers.n) {
        CHECK_STR(ctx.triggers.v[0].table, "orders");
        CHECK_STR(ctx.triggers.v[0].event, "DELETE");
        CHECK_STR(ctx.triggers.v[0].channel, "orders_events");
        CHECK_STR(ctx.triggers.v[0].source, "shop/migrations/0003_ping.py:8");
    }
    pa_context_free(&ctx);

    /* plain .sql: a trigger whose function does not notify; the function is in another file */
    pa_context_init(&ctx, ".");
    pa_disc_migration(&ctx, S("-- audit\nCREATE TRIGGER audit_t AFTER UPDATE ON accounts\n"
                              "  FOR EACH ROW EXECUTE FUNCTION audit_fn();\n"
                              "CREATE TRIGGER feed_t AFTER INSERT ON feed FOR EACH ROW EXECUTE FUNCTION feed_fn();\n"),
                      "db/triggers.sql");
    CHECK_INT(ctx.triggers.n, 2);
    CHECK(ctx.triggers.n == 2 && ctx.triggers.v[0].channel == NULL);
    CHECK_STR(ctx.triggers.n == 2 ? ctx.triggers.v[1].source : NULL, "db/triggers.sql:4");
    pa_disc_migration(&ctx, S("create or replace function feed_fn() returns trigger as $$\n"
                              "begin perform pg_notify(TG_TABLE_NAME || '_changes', ''); return new; end $$ language plpgsql;\n"),
                      "db/functions.sql");
    CHECK_STR(ctx.triggers.n == 2 ? ctx.triggers.v[1].channel : NULL, "TG_TABLE_NAME || '_changes'");
    CHECK(pa_context_notify_trigger(&ctx, "feed") != NULL);
    CHECK(pa_context_notify_trigger(&ctx, "accounts") == NULL);
    pa_context_free(&ctx);

    /* unterminated strings and junk never crash */
    pa_context_init(&ctx, ".");
    pa_disc_migration(&ctx, S("op.execute(\"\"\"CREATE TRIGGER x AFTER INSERT ON t EXECUTE"), "alembic/versions/bad.py");
    CHECK_INT(ctx.triggers.n, 0);
    pa_disc_migration(&ctx, "\0\0\0", 3, "x.sql");
    CHECK(has_note(&ctx, "x.sql", "binary"));
    pa_context_free(&ctx);
}

static void test_tech_stack(void)
{
    struct pa_context ctx;
    pa_context_init(&ctx, ".");
    pa_disc_tech_stack_md(&ctx, S("# Tech stack\n\n"
                                  "| Layer | Technology | Version |\n"
                                  "|-------|------------|---------|\n"
                                  "| Database | PostgreSQL | 15 |\n"
                                  "| ORM | SQLAlchemy (async) | 2.0.x |\n"
                                  "| Web framework | **FastAPI** | 0.111 |\n"
                                  "| Task queue | Celery | 5.3 |\n"
                                  "| Language | Python | 3.12 |\n"),
                          "docs/project/tech_stack.md");
    CHECK_STR(ctx.database.name, "PostgreSQL");
    CHECK_STR(ctx.database.version, "15");
    CHECK_STR(ctx.database.source, "docs/project/tech_stack.md:5");
    CHECK_STR(ctx.orm.name, "SQLAlchemy");
    CHECK_STR(ctx.orm.version, "2.0");
    CHECK(ctx.orm_async);
    CHECK_STR(ctx.framework.name, "FastAPI");
    CHECK_STR(ctx.framework.version, "0.111");
    CHECK_STR(ctx.task_queue.name, "Celery");
    CHECK_STR(ctx.language.version, "3.12");
    CHECK_STR(ctx.tech_stack_doc, "docs/project/tech_stack.md");
    /* tech_stack.md wins over compose */
    pa_disc_compose(&ctx, S("services:\n  db:\n    image: postgres:16\n"), "docker-compose.yml");
    pa_discover_finish(&ctx);
    CHECK_STR(ctx.database.version, "15");
    pa_context_free(&ctx);

    pa_context_init(&ctx, ".");
    pa_disc_tech_stack_md(&ctx, S("## Stack\n\n"
                                  "- **Database:** MySQL 8.0 (aiomysql)\n"
                                  "- ORM: Django ORM\n"
                                  "* Framework: Django 4.2\n"
                                  "- Queue: Dramatiq\n"
                                  "- Cache: Redis 7\n"
                                  "```\n- Database: SQLite 3\n```\n"),
                          "docs/project/tech_stack.md");
    CHECK_STR(ctx.database.name, "MySQL");
    CHECK_STR(ctx.database.version, "8.0");
    CHECK_STR(ctx.orm.name, "Django ORM");
    CHECK_STR(ctx.framework.name, "Django");
    CHECK_STR(ctx.framework.version, "4.2");
    CHECK_STR(ctx.task_queue.name, "Dramatiq");
    CHECK(!ctx.orm_async);
    pa_context_free(&ctx);

    /* unknown technology in a labelled bullet; a section heading as label */
    pa_context_init(&ctx, ".");
    pa_disc_tech_stack_md(&ctx, S("- Database: YugabyteDB 2.20\n\n## Runtime\n\nPython 3.11 with uvloop\n"),
                          "docs/project/tech_stack.md");
    CHECK_STR(ctx.database.name, "YugabyteDB");
    CHECK_STR(ctx.database.version, "2.20");
    CHECK_STR(ctx.language.name, "Python");
    CHECK_STR(ctx.language.version, "3.11");
    CHECK_STR(ctx.async_runtime.name, "asyncio");
    pa_context_free(&ctx);
}

static void test_adr_kanban(void)
{
    struct pa_context ctx;
    pa_context_init(&ctx, ".");
    pa_disc_adr(&ctx, S("# Use outbox for events\n\nStatus: Proposed\n\nWe will...\n"), "docs/adr/0012-outbox.md");
    pa_disc_adr(&ctx, S("# ADR-7: Batch the nightly import\n\n**Status:** Accepted\n"), "docs/decisions/batch-import.md");
    pa_disc_adr(&ctx, S("# 3. Record decisions\n\n## Status\n\nSuperseded by ADR-9\n"), "docs/architecture/record.md");
    pa_disc_adr(&ctx, S("Overview of modules\n"), "docs/architecture/ADR_015_modules.md");
    pa_disc_adr(&ctx, S("# Overview\n"), "docs/architecture/overview.md");
    CHECK_INT(ctx.adrs.n, 5);
    if (ctx.adrs.n == 5) {
        CHECK_STR(ctx.adrs.v[0].id, "ADR-012");
        CHECK_STR(ctx.adrs.v[0].title, "Use outbox for events");
        CHECK_STR(ctx.adrs.v[0].status, "proposed");
        CHECK(strstr(ctx.adrs.v[0].text, "we will") != NULL);
        CHECK_STR(ctx.adrs.v[1].id, "ADR-007");
        CHECK_STR(ctx.adrs.v[1].title, "Batch the nightly import");
        CHECK_STR(ctx.adrs.v[1].status, "accepted");
        CHECK_STR(ctx.adrs.v[2].id, "ADR-003");
        CHECK_STR(ctx.adrs.v[2].title, "Record decisions");
        CHECK_STR(ctx.adrs.v[2].status, "superseded by adr-9");
        CHECK_STR(ctx.adrs.v[3].id, "ADR-015");
        CHECK(ctx.adrs.v[3].title == NULL);
        CHECK_STR(ctx.adrs.v[4].id, "overview");
    }
    pa_context_free(&ctx);

    static const struct { const char *text, *id; } k[] = {
        {"# Board\n\nTeam ID: XYZ\n", "XYZ"},
        {"**Team ID:** PA-CORE\n", "PA-CORE"},
        {"- team_id = team_42\n", "team_42"},
        {"| Field | Value |\n|---|---|\n| Team ID | `ABC-1` |\n", "ABC-1"},
        {"| Team ID | Name |\n|---|---|\n| T-9 | Platform |\n", "T-9"},
        {"# Board\n\nNo id here. Our team identifies issues.\n", NULL},
    };
    for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
        pa_context_init(&ctx, ".");
        pa_disc_kanban(&ctx, k[i].text, strlen(k[i].text), "docs/tasks/kanban_board.md");
        CHECK_STR(ctx.team_id, k[i].id);
        pa_context_free(&ctx);
    }
}

static void test_context_json(void)
{
    struct pa_context ctx;
    pa_context_init(&ctx, "proj");
    pa_disc_compose(&ctx, S("services:\n  db:\n    image: postgres:16\n"), "docker-compose.yml");
    pa_context_note(&ctx, "Pipfile", "invalid TOML at line %d", 3);
    struct pa_session_cfg s = {0};
    s.path = pa_xstrdup("app/db.py");
    s.line = 7;
    s.factory = pa_xstrdup("async_sessionmaker");
    s.name = pa_xstrdup("SessionLocal");
    s.expire_on_commit = 0;
    s.autoflush = -1;
    s.autocommit = -1;
    s.pool_size = 5;
    s.max_overflow = -1;
    s.is_async = true;
    pa_vec_push(&ctx.sessions, s);
    pa_discover_finish(&ctx);
    cJSON *j = pa_context_to_json(&ctx);
    static const char *const keys[] = {"root", "tech_stack", "dependencies", "manifests", "db_config", "triggers",
                                       "realtime", "django_atomic_requests", "adrs", "team_id", "best_practices", "notes"};
    size_t i = 0;
    for (cJSON *it = j->child; it; it = it->next, i++)
        if (i < sizeof keys / sizeof *keys) CHECK_STR(it->string, keys[i]);
    CHECK_INT(i, sizeof keys / sizeof *keys);
    cJSON *ts = cJSON_GetObjectItem(j, "tech_stack");
    static const char *const tkeys[] = {"language", "database", "orm", "framework", "async_runtime", "task_queue"};
    i = 0;
    for (cJSON *it = ts->child; it && i < 6; it = it->next, i++) CHECK_STR(it->string, tkeys[i]);
    cJSON *db = cJSON_GetObjectItem(ts, "database");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(db, "name")), "PostgreSQL");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(db, "version")), "16");
    CHECK(cJSON_IsBool(cJSON_GetObjectItem(cJSON_GetObjectItem(ts, "orm"), "async")));
    cJSON *sess = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "db_config"), "sessions"), 0);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(sess, "expire_on_commit")));
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(sess, "autoflush")));
    CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(sess, "pool_size")), 5);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(sess, "max_overflow")));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(sess, "async")));
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(j, "team_id")));
    CHECK(cJSON_IsObject(cJSON_GetObjectItem(j, "best_practices")));
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(j, "notes")), 1);
    char *a = cJSON_PrintUnformatted(j);
    cJSON *j2 = pa_context_to_json(&ctx);
    char *b = cJSON_PrintUnformatted(j2);
    CHECK_STR(a, b);   /* deterministic */
    free(a);
    free(b);
    cJSON_Delete(j);
    cJSON_Delete(j2);
    pa_context_free(&ctx);
}

/* ---- facts built by hand -------------------------------------------------- */

static struct pa_arg *args(pa_arena *ar, size_t n)
{
    return pa_arena_alloc(ar, n * sizeof(struct pa_arg));
}

static struct pa_call mkcall(const char *callee, const char *attr, uint32_t line)
{
    struct pa_call c;
    memset(&c, 0, sizeof c);
    c.func = -1;
    c.cls = -1;
    c.callee = callee;
    c.attr = attr;
    c.line = line;
    c.recv_call = c.parent_call = c.loop = c.with = c.try_ = -1;
    return c;
}

static void facts_free(struct pa_file_facts *f)
{
    pa_vec_free(&f->funcs);
    pa_vec_free(&f->classes);
    pa_vec_free(&f->imports);
    pa_vec_free(&f->calls);
    pa_vec_free(&f->assigns);
    pa_arena_free(&f->arena);
}

static void test_from_facts(void)
{
    struct pa_file_facts f;
    memset(&f, 0, sizeof f);
    pa_arena_init(&f.arena);
    f.path = "app/db.py";

    struct pa_import im = {"sqlalchemy.ext.asyncio", "async_sessionmaker", "async_sessionmaker", 0, -1, 1, false};
    pa_vec_push(&f.imports, im);
    struct pa_import im2 = {"fastapi", "FastAPI", "FastAPI", 0, -1, 2, false};
    pa_vec_push(&f.imports, im2);

    struct pa_call c0 = mkcall("create_async_engine", "create_async_engine", 5);
    c0.args = args(&f.arena, 3);
    c0.nargs = 3;
    c0.args[0] = (struct pa_arg){.kw = NULL, .kind = PA_EXPR_NAME, .flags = 0, .text = "DB_URL", .call = -1, .func = -1, .nelems = 0};
    c0.args[1] = (struct pa_arg){.kw = "pool_size", .kind = PA_EXPR_NUM, .flags = 0, .text = "20", .call = -1, .func = -1, .nelems = 0};
    c0.args[2] = (struct pa_arg){.kw = "isolation_level", .kind = PA_EXPR_STR, .flags = 0, .text = "\"READ COMMITTED\"", .call = -1, .func = -1, .nelems = 0};
    pa_vec_push(&f.calls, c0);
    struct pa_call c1 = mkcall("async_sessionmaker", "async_sessionmaker", 6);
    c1.args = args(&f.arena, 2);
    c1.nargs = 2;
    c1.args[0] = (struct pa_arg){.kw = NULL, .kind = PA_EXPR_NAME, .flags = 0, .text = "engine", .call = -1, .func = -1, .nelems = 0};
    c1.args[1] = (struct pa_arg){.kw = "expire_on_commit", .kind = PA_EXPR_BOOL, .flags = 0, .text = "False", .call = -1, .func = -1, .nelems = 0};
    pa_vec_push(&f.calls, c1);
    struct pa_call c2 = mkcall("conn.add_listener", "add_listener", 20);
    c2.args = args(&f.arena, 2);
    c2.nargs = 2;
    c2.args[0] = (struct pa_arg){.kw = NULL, .kind = PA_EXPR_STR, .flags = 0, .text = "'job_events'", .call = -1, .func = -1, .nelems = 0};
    c2.args[1] = (struct pa_arg){.kw = NULL, .kind = PA_EXPR_NAME, .flags = 0, .text = "on_event", .call = -1, .func = -1, .nelems = 0};
    pa_vec_push(&f.calls, c2);
    struct pa_call c3 = mkcall("conn.execute", "execute", 21);
    c3.args = args(&f.arena, 1);
    c3.nargs = 1;
    c3.args[0] = (struct pa_arg){.kw = NULL, .kind = PA_EXPR_STR, .flags = 0, .text = "\"LISTEN audit_feed\"", .call = -1, .func = -1, .nelems = 0};
    pa_vec_push(&f.calls, c3);
    struct pa_call c5 = mkcall("create_engine", "create_engine", 31);
    c5.args = args(&f.arena, 1);
    c5.nargs = 1;
    c5.args[0] = (struct pa_arg){.kw = NULL, .kind = PA_EXPR_STR, .flags = 0, .text = "\"mysql+pymysql://u:pw@h/db\"", .call = -1, .func = -1, .nelems = 0};
    struct pa_call c4 = mkcall("sessionmaker", "sessionmaker", 30);
    pa_vec_push(&f.calls, c4);
    pa_vec_push(&f.calls, c5);

    struct pa_assign a0;
    memset(&a0, 0, sizeof a0);
    a0.func = a0.cls = a0.loop = a0.with = a0.try_ = -1;
    a0.target = "engine";
    a0.value_call = 0;
    pa_vec_push(&f.assigns, a0);
    a0.target = "SessionLocal";
    a0.value_call = 1;
    pa_vec_push(&f.assigns, a0);
    a0.target = "DATABASES";
    a0.value_call = -1;
    a0.value = "{\"default\": {\"ENGINE\": \"django.db.backends.postgresql\", \"ATOMIC_REQUESTS\": True}}";
    pa_vec_push(&f.assigns, a0);

    struct pa_context ctx;
    pa_context_init(&ctx, ".");
    struct pa_file_facts *files[] = {&f};
    pa_discover_from_facts(&ctx, files, 1);
    pa_discover_finish(&ctx);
    CHECK_INT(ctx.sessions.n, 4);
    CHECK_STR(ctx.database.name, "MySQL");   /* from the engine URL literal */
    CHECK(ctx.database.source && strstr(ctx.database.source, "app/db.py:31") && !strstr(ctx.database.source, "pw"));
    if (ctx.sessions.n == 4) {
        const struct pa_session_cfg *e = &ctx.sessions.v[0], *s = &ctx.sessions.v[1], *p = &ctx.sessions.v[2];
        CHECK_STR(e->factory, "create_async_engine");
        CHECK_STR(e->name, "engine");
        CHECK_INT(e->pool_size, 20);
        CHECK_INT(e->max_overflow, -1);
        CHECK_STR(e->isolation_level, "READ COMMITTED");
        CHECK(e->is_async);
        CHECK_STR(s->factory, "async_sessionmaker");
        CHECK_STR(s->name, "SessionLocal");
        CHECK_INT(s->expire_on_commit, 0);
        CHECK_INT(s->autoflush, -1);
        CHECK_INT(s->line, 6);
        CHECK_STR(s->path, "app/db.py");
        CHECK(!p->is_async);
        CHECK(p->name == NULL);
    }
    CHECK(ctx.has_realtime_consumer);
    CHECK_INT(ctx.realtime_channels.n, 2);
    if (ctx.realtime_channels.n == 2) {
        CHECK_STR(ctx.realtime_channels.v[0], "audit_feed");   /* sorted */
        CHECK_STR(ctx.realtime_channels.v[1], "job_events");
    }
    CHECK(ctx.django_atomic_requests);
    CHECK_STR(ctx.framework.name, "FastAPI");
    CHECK(ctx.framework.source && strstr(ctx.framework.source, "app/db.py:2"));
    CHECK_STR(ctx.orm.name, "SQLAlchemy");
    CHECK(ctx.orm_async);
    CHECK_STR(ctx.async_runtime.name, "asyncio");
    pa_context_free(&ctx);
    facts_free(&f);

    /* no consumer: a WebSocket parameter is one */
    struct pa_file_facts g;
    memset(&g, 0, sizeof g);
    pa_arena_init(&g.arena);
    g.path = "app/ws.py";
    pa_context_init(&ctx, ".");
    struct pa_file_facts *gf[] = {&g};
    pa_discover_from_facts(&ctx, gf, 1);
    CHECK(!ctx.has_realtime_consumer);
    struct pa_param prm = {"ws", "WebSocket", NULL, 0};
    struct pa_func fn;
    memset(&fn, 0, sizeof fn);
    fn.name = "feed";
    fn.params = &prm;
    fn.nparams = 1;
    fn.parent = fn.cls = -1;
    pa_vec_push(&g.funcs, fn);
    pa_discover_from_facts(&ctx, gf, 1);
    CHECK(ctx.has_realtime_consumer);
    pa_context_free(&ctx);
    facts_free(&g);
}



/* Real extraction (src/project/extract.c) feeding discovery. */
static void test_from_extracted(void)
{
    static const char src[] =
        "from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine\n"
        "from fastapi import FastAPI, WebSocket\n"
        "\n"
        "engine = create_async_engine(\"postgresql+asyncpg://u:p@db/app\", pool_size=10, max_overflow=5)\n"
        "SessionLocal = async_sessionmaker(engine, expire_on_commit=False)\n"
        "app = FastAPI()\n"
        "\n"
        "@app.websocket(\"/ws\")\n"
        "async def ws(websocket: WebSocket):\n"
        "    await websocket.accept()\n"
        "\n"
        "async def listen(conn, handler):\n"
        "    await conn.add_listener(\"job_events\", handler)\n"
        "    await conn.execute(\"LISTEN audit_feed\")\n";
    pa_py_parser *p = pa_py_parser_new();
    struct pa_file_facts *f = NULL;
    const char *reason = NULL;
    pa_status st = pa_extract_file(p, src, sizeof src - 1, "app/db.py", "app.db", &f, &reason);
    CHECK_INT(st, PA_OK);
    if (st == PA_OK && f) {
        struct pa_context ctx;
        pa_context_init(&ctx, ".");
        struct pa_file_facts *files[] = {f};
        pa_discover_from_facts(&ctx, files, 1);
        pa_discover_finish(&ctx);
        CHECK_INT(ctx.sessions.n, 2);
        if (ctx.sessions.n == 2) {
            CHECK_STR(ctx.sessions.v[0].factory, "create_async_engine");
            CHECK_STR(ctx.sessions.v[0].name, "engine");
            CHECK_INT(ctx.sessions.v[0].pool_size, 10);
            CHECK_INT(ctx.sessions.v[0].max_overflow, 5);
            CHECK(ctx.sessions.v[0].is_async);
            CHECK_STR(ctx.sessions.v[1].factory, "async_sessionmaker");
            CHECK_STR(ctx.sessions.v[1].name, "SessionLocal");
            CHECK_INT(ctx.sessions.v[1].expire_on_commit, 0);
            CHECK_INT(ctx.sessions.v[1].line, 5);
        }
        CHECK(ctx.has_realtime_consumer);
        CHECK_INT(ctx.realtime_channels.n, 2);
        CHECK_STR(ctx.realtime_channels.n == 2 ? ctx.realtime_channels.v[0] : NULL, "audit_feed");
        CHECK_STR(ctx.database.name, "PostgreSQL");
        CHECK_STR(ctx.framework.name, "FastAPI");
        CHECK_STR(ctx.orm.name, "SQLAlchemy");
        CHECK(ctx.orm_async);
        pa_context_free(&ctx);
        pa_file_facts_free(f);
    }
    pa_py_parser_free(p);
}

/* ---- a temporary project: includes, excludes, limits, settings ----------- */

static void put(const char *root, const char *rel, const char *text)
{
    char *p = pa_path_join(root, rel);
    CHECK(pa_file_write_atomic(p, text, strlen(text)) == PA_OK);
    free(p);
}

static void rm_rf(const char *path)
{
    char *cmd = pa_xasprintf("rm -rf '%s'", path);
    if (system(cmd) != 0) fprintf(stderr, "cleanup of %s failed\n", path);
    free(cmd);
}

static void test_walk(void)
{
    char root[] = "/tmp/pa-disc-test-XXXXXX";
    if (!mkdtemp(root)) { CHECK(!"mkdtemp"); return; }
    put(root, "requirements.txt", "-r ../outside.txt\n-r dev.txt\n-r missing.txt\nflask>=3\n");
    put(root, "dev.txt", "-r requirements.txt\npytest\n");   /* cycle */
    put(root, "node_modules/pkg/schema.sql",
        "CREATE TRIGGER hidden_t AFTER INSERT ON hidden FOR EACH ROW EXECUTE FUNCTION f();\n");
    put(root, ".venv/lib/x.sql", "CREATE TRIGGER venv_t AFTER INSERT ON v FOR EACH ROW EXECUTE FUNCTION f();\n");
    put(root, "db/schema.sql",
        "CREATE FUNCTION tell() RETURNS trigger AS $$ BEGIN NOTIFY \"Orders\"; RETURN NEW; END $$ LANGUAGE plpgsql;\n"
        "CREATE TRIGGER orders_t AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION tell();\n");
    put(root, "shop/migrations/0001_initial.py", "from django.db import migrations\n");
    put(root, "proj/settings.py",
        "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n"
        "        # 'ATOMIC_REQUESTS': False,\n        'ATOMIC_REQUESTS': True,\n    }\n}\n");
    put(root, "docker-compose.yml", "services:\n  db:\n    image: mariadb:11.2\n");
    put(root, "docker-compose.override.yml", "services:\n  db: [\n");
    put(root, "web/package.json", "{\"dependencies\": {\"socket.io-client\": \"^4\"}}");
    put(root, "docs/decisions/README.md", "# Decisions\n");
    put(root, "docs/decisions/2024/ADR-0021-cache.md", "# Cache reference data\n\nStatus: accepted\n");
    {
        char *p = pa_path_join(root, "big.sql");
        size_t n = 4u * 1024u * 1024u + 16;
        char *big = pa_xmalloc(n);
        memset(big, ' ', n);
        CHECK(pa_file_write_atomic(p, big, n) == PA_OK);
        free(big);
        free(p);
    }
    {
        char *p = pa_path_join(root, "loop");
        CHECK(symlink(".", p) == 0);   /* never followed */
        free(p);
    }
    struct pa_context ctx;
    pa_context_init(&ctx, root);
    pa_discover(&ctx, root);
    pa_discover_finish(&ctx);
    CHECK(pa_context_dep(&ctx, "flask") != NULL);
    CHECK(pa_context_dep(&ctx, "pytest") != NULL);
    CHECK(has_note(&ctx, "requirements.txt", "outside the project root"));
    CHECK(has_note(&ctx, "requirements.txt", "'missing.txt' not found"));
    CHECK(has_note(&ctx, "big.sql", "larger than 4 MiB"));
    CHECK(has_note(&ctx, "docker-compose.override.yml", "invalid YAML at line"));
    CHECK_INT(ctx.triggers.n, 1);
    CHECK_STR(ctx.triggers.n ? ctx.triggers.v[0].table : NULL, "orders");
    CHECK_STR(ctx.triggers.n ? ctx.triggers.v[0].channel : NULL, "orders");
    CHECK(ctx.django_atomic_requests);
    CHECK_STR(ctx.database.name, "MariaDB");
    CHECK_STR(ctx.database.version, "11.2");
    CHECK(ctx.has_realtime_consumer);
    CHECK_INT(ctx.adrs.n, 1);
    CHECK_STR(ctx.adrs.n ? ctx.adrs.v[0].id : NULL, "ADR-021");
    CHECK_STR(ctx.framework.name, "Flask");
    bool migr = false;
    for (size_t i = 0; i < ctx.manifests.n; i++) {
        if (strcmp(ctx.manifests.v[i], "shop/migrations/0001_initial.py") == 0) migr = true;
        CHECK(strstr(ctx.manifests.v[i], "node_modules") == NULL && strstr(ctx.manifests.v[i], ".venv") == NULL);
    }
    CHECK(migr);
    /* the same input gives the same context */
    cJSON *j1 = pa_context_to_json(&ctx);
    pa_context_free(&ctx);
    pa_context_init(&ctx, root);
    pa_discover(&ctx, root);
    pa_discover_finish(&ctx);
    cJSON *j2 = pa_context_to_json(&ctx);
    char *a = cJSON_PrintUnformatted(j1), *b = cJSON_PrintUnformatted(j2);
    CHECK_STR(a, b);
    free(a);
    free(b);
    cJSON_Delete(j1);
    cJSON_Delete(j2);
    pa_context_free(&ctx);
    /* without the compose files, the Django ENGINE names the database */
    char *dc = pa_path_join(root, "docker-compose.yml"), *dco = pa_path_join(root, "docker-compose.override.yml");
    unlink(dc);
    unlink(dco);
    free(dc);
    free(dco);
    pa_context_init(&ctx, root);
    pa_discover(&ctx, root);
    pa_discover_finish(&ctx);
    CHECK_STR(ctx.database.name, "PostgreSQL");
    CHECK(ctx.database.source && strstr(ctx.database.source, "proj/settings.py: ENGINE"));
    pa_context_free(&ctx);
    rm_rf(root);
}

/* Every prefix of valid inputs goes through every parser: never a crash
 * (run under ASan/UBSan), and results stay bounded by the full input's. */
static void test_truncations(void)
{
    static const char *const inputs[] = {
        "services:\n  db:\n    image: postgres:16\n    environment:\n      - DATABASE_URL=postgresql://x\n",
        "[project]\ndependencies = [\"a>=1\", 'b[x]==2']\n[tool.poetry.dependencies]\nc = {version = \"^1\", extras = [\"y\"]}\n",
        "op.execute(\"\"\"CREATE FUNCTION f() RETURNS trigger AS $x$ BEGIN PERFORM pg_notify('c', ''); END $x$;\n"
        "CREATE TRIGGER t AFTER INSERT ON tbl FOR EACH ROW EXECUTE FUNCTION f();\"\"\")\n",
        "{\"dependencies\": {\"ws\": \"^8\", \"react\": \"18\"}}",
        "| Layer | Tech |\n|---|---|\n| Database | PostgreSQL 16 |\n- ORM: SQLAlchemy 2.0\n",
        "# ADR-1: x\n\n## Status\n\nAccepted\n| Team ID | T |\n",
    };
    size_t runs = 0, max_trig = 0, max_deps = 0;
    for (size_t k = 0; k < sizeof inputs / sizeof *inputs; k++) {
        size_t n = strlen(inputs[k]);
        for (size_t cut = 0; cut <= n; cut++) {
            struct pa_context ctx;
            pa_context_init(&ctx, ".");
            char *t = pa_xstrndup(inputs[k], cut);
            pa_disc_compose(&ctx, t, cut, "compose.yml");
            pa_disc_pyproject(&ctx, t, cut, "pyproject.toml");
            pa_disc_pipfile(&ctx, t, cut, "Pipfile");
            pa_disc_migration(&ctx, t, cut, "m.py");
            pa_disc_migration(&ctx, t, cut, "m.sql");
            pa_disc_package_json(&ctx, t, cut, "package.json");
            pa_disc_requirements(&ctx, t, cut, "requirements.txt");
            pa_disc_setup_cfg(&ctx, t, cut, "setup.cfg");
            pa_disc_tech_stack_md(&ctx, t, cut, "tech_stack.md");
            pa_disc_adr(&ctx, t, cut, "docs/adr/0001-x.md");
            pa_disc_kanban(&ctx, t, cut, "kanban.md");
            pa_disc_go_mod(&ctx, t, cut, "go.mod");
            pa_discover_finish(&ctx);
            cJSON_Delete(pa_context_to_json(&ctx));
            if (ctx.triggers.n > max_trig) max_trig = ctx.triggers.n;
            if (ctx.deps.n > max_deps) max_deps = ctx.deps.n;
            free(t);
            pa_context_free(&ctx);
            runs++;
        }
    }
    CHECK(runs > 300);
    CHECK(max_trig <= 2);   /* m.py and m.sql see the same single trigger */
    CHECK(max_deps < 40);
}

/* ---- end to end ------------------------------------------------------------ */

static bool has_manifest(const struct pa_context *ctx, const char *p)
{
    for (size_t i = 0; i < ctx->manifests.n; i++)
        if (strcmp(ctx->manifests.v[i], p) == 0) return true;
    return false;
}

static void test_project(void)
{
    const char *root = PA_TESTS_DIR "/discovery/project_fastapi";
    struct pa_context ctx;
    pa_context_init(&ctx, root);
    pa_discover(&ctx, root);
    pa_discover_finish(&ctx);
    CHECK_STR(ctx.database.name, "PostgreSQL");
    CHECK_STR(ctx.database.version, "16");
    CHECK_STR(ctx.database.source, "docker-compose.yml: image postgres:16");
    CHECK_STR(ctx.orm.name, "SQLAlchemy");
    CHECK_STR(ctx.orm.version, "2.0");
    CHECK(ctx.orm_async);
    CHECK_STR(ctx.framework.name, "FastAPI");
    CHECK_STR(ctx.framework.version, "0.110");
    CHECK_STR(ctx.async_runtime.name, "asyncio");
    CHECK_STR(ctx.language.version, "3.11");
    CHECK_INT(ctx.triggers.n, 1);
    if (ctx.triggers.n) {
        CHECK_STR(ctx.triggers.v[0].name, "jobs_notify_trg");
        CHECK_STR(ctx.triggers.v[0].table, "jobs");
        CHECK_STR(ctx.triggers.v[0].event, "INSERT OR UPDATE OF STATUS");
        CHECK_STR(ctx.triggers.v[0].function, "notify_job_change");
        CHECK_STR(ctx.triggers.v[0].channel, "job_events");
        CHECK_STR(ctx.triggers.v[0].source, "alembic/versions/0002_jobs_notify.py:25");
    }
    CHECK(pa_context_notify_trigger(&ctx, "jobs") != NULL);
    CHECK_INT(ctx.adrs.n, 1);
    CHECK_STR(ctx.adrs.n ? ctx.adrs.v[0].id : NULL, "ADR-007");
    CHECK_STR(ctx.adrs.n ? ctx.adrs.v[0].status : NULL, "accepted");
    CHECK_STR(ctx.team_id, "JOBS-7");
    CHECK(has_manifest(&ctx, "pyproject.toml"));
    CHECK(has_manifest(&ctx, "docker-compose.yml"));
    CHECK(has_manifest(&ctx, "requirements/base.txt"));
    CHECK(has_manifest(&ctx, "requirements-extra.txt"));
    CHECK(has_manifest(&ctx, "alembic/versions/0001_create_jobs.py"));
    CHECK(pa_context_dep(&ctx, "orjson") != NULL);
    CHECK_STR(dep_version(&ctx, "fastapi"), "==0.110.1");   /* requirements are read before pyproject */
    CHECK_INT(ctx.notes.n, 0);
    for (size_t i = 0; i < ctx.notes.n; i++) fprintf(stderr, "note: %s: %s\n", ctx.notes.v[i].path, ctx.notes.v[i].message);
    pa_context_free(&ctx);

    /* a missing root is silently empty */
    pa_context_init(&ctx, "/nonexistent/pa-audit");
    pa_discover(&ctx, "/nonexistent/pa-audit");
    pa_discover_finish(&ctx);
    CHECK_INT(ctx.manifests.n, 0);
    CHECK(ctx.database.name == NULL);
    pa_context_free(&ctx);
}

int main(void)
{
    test_requirements();
    test_pyproject();
    test_setup_cfg_pipfile();
    test_package_json_go_mod();
    test_compose();
    test_migrations();
    test_tech_stack();
    test_adr_kanban();
    test_context_json();
    test_from_facts();
    test_from_extracted();
    test_project();
    test_walk();
    test_truncations();
    return test_done("test_discovery");
}
