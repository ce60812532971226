/* test_txmodel.c - the transaction model of the transaction-correctness
 * auditor (src/audit/transaction/txmodel.c): the text helpers, the events
 * and regions built for small projects written to a temporary directory,
 * and PA201's severity grading (realtime consumer → CRITICAL, none → HIGH,
 * one update per row → MEDIUM), which the fixture harness cannot see. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/transaction/txn.h"
#include "check.h"
#include "pa/run.h"

/* ---- text helpers ---------------------------------------------------------- */

static void test_text_helpers(void)
{
    char *k;
    CHECK_STR((k = pa_txn_receiver_key("session.commit")), "session"); free(k);
    CHECK_STR((k = pa_txn_receiver_key("self.db.commit")), "self.db"); free(k);
    CHECK_STR((k = pa_txn_receiver_key("session.query().filter().update")), "session"); free(k);
    CHECK_STR((k = pa_txn_receiver_key("db.execute().scalars")), "db"); free(k);
    CHECK(pa_txn_receiver_key("commit") == NULL);
    CHECK(pa_txn_receiver_key("get_session().commit") == NULL);
    CHECK(pa_txn_receiver_key("?.commit") == NULL);
    CHECK(pa_txn_receiver_key(NULL) == NULL);

    CHECK(pa_txn_sessionish("session"));
    CHECK(pa_txn_sessionish("self.db"));
    CHECK(pa_txn_sessionish("conn"));
    CHECK(pa_txn_sessionish("async_session"));
    CHECK(pa_txn_sessionish("cur"));
    CHECK(pa_txn_sessionish("app_db"));
    CHECK(!pa_txn_sessionish("repo"));
    CHECK(!pa_txn_sessionish("git"));
    CHECK(!pa_txn_sessionish("current_user"));
    CHECK(!pa_txn_sessionish(""));

    CHECK_INT(pa_txn_sql_kind("\"UPDATE jobs SET progress = %s\""), PA_TXN_W_UPDATE);
    CHECK_INT(pa_txn_sql_kind("'''\n  insert into t values (1)'''"), PA_TXN_W_INSERT);
    CHECK_INT(pa_txn_sql_kind("\"DELETE FROM t\""), PA_TXN_W_DELETE);
    CHECK_INT(pa_txn_sql_kind("\"SELECT * FROM t\""), PA_TXN_W_NONE);
    CHECK_INT(pa_txn_sql_kind("\"UPDATED\""), PA_TXN_W_NONE);
    CHECK_INT(pa_txn_sql_kind("query"), PA_TXN_W_NONE);

    CHECK_STR((k = pa_txn_sql_table("\"UPDATE jobs SET progress = 1\"")), "jobs"); free(k);
    CHECK_STR((k = pa_txn_sql_table("'INSERT INTO public.\"Orders\" (a) VALUES (1)'")), "orders"); free(k);
    CHECK_STR((k = pa_txn_sql_table("\"DELETE FROM only events WHERE id = 1\"")), "events"); free(k);
    CHECK(pa_txn_sql_table("\"INSERT jobs\"") == NULL);
    CHECK(pa_txn_sql_table("\"SELECT 1\"") == NULL);

    CHECK(pa_txn_text_is_atomic("transaction.atomic"));
    CHECK(pa_txn_text_is_atomic("@transaction.atomic(using=\"default\")"));
    CHECK(pa_txn_text_is_atomic("atomic()"));
    CHECK(pa_txn_text_is_atomic("db.transaction.atomic"));
    CHECK(!pa_txn_text_is_atomic("nonatomic"));
    CHECK(!pa_txn_text_is_atomic("transaction.non_atomic_requests"));
    CHECK(!pa_txn_text_is_atomic(NULL));
}

/* ---- projects ------------------------------------------------------------- */

static void write_file(const char *root, const char *rel, const char *text)
{
    char *path = pa_path_join(root, rel);
    CHECK(pa_file_write_atomic(path, text, strlen(text)) == PA_OK);
    free(path);
}

static const char *k_models =
    "from sqlalchemy import Integer, String\n"
    "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n"
    "\n"
    "class Base(DeclarativeBase):\n"
    "    pass\n"
    "\n"
    "class Job(Base):\n"
    "    __tablename__ = \"jobs\"\n"
    "    id: Mapped[int] = mapped_column(Integer, primary_key=True)\n"
    "    progress: Mapped[int] = mapped_column(Integer)\n"
    "    status: Mapped[str] = mapped_column(String(20))\n";

static const char *k_migration =
    "from alembic import op\n"
    "\n"
    "def upgrade():\n"
    "    op.execute(\"\"\"\n"
    "    CREATE FUNCTION notify_job() RETURNS trigger AS $$\n"
    "    BEGIN PERFORM pg_notify('job_progress', NEW.id::text); RETURN NEW; END;\n"
    "    $$ LANGUAGE plpgsql;\n"
    "    CREATE TRIGGER job_notify AFTER UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION notify_job();\n"
    "    \"\"\")\n";

static const char *k_runner =
    "from sqlalchemy.orm import Session\n"                                  /* 1 */
    "from app.models import Job\n"                                          /* 2 */
    "\n"                                                                    /* 3 */
    "def step(x):\n"                                                        /* 4 */
    "    return x\n"                                                        /* 5 */
    "\n"                                                                    /* 6 */
    "def run(session: Session, job_id: int, steps: list) -> None:\n"        /* 7 */
    "    job = session.get(Job, job_id)\n"                                  /* 8 */
    "    for i, s in enumerate(steps):\n"                                   /* 9 */
    "        step(s)\n"                                                     /* 10 */
    "        job.progress = i\n"                                            /* 11 */
    "    session.commit()\n"                                                /* 12 */
    "\n"                                                                    /* 13 */
    "def reset(session: Session, jobs: list) -> None:\n"                    /* 14 */
    "    for job in session.query(Job).all():\n"                            /* 15 */
    "        job.status = 'queued'\n"                                       /* 16 */
    "    session.commit()\n"                                                /* 17 */
    "\n"                                                                    /* 18 */
    "def blocks(session: Session) -> None:\n"                               /* 19 */
    "    with session.begin():\n"                                           /* 20 */
    "        session.add(Job(progress=0, status='new'))\n"                  /* 21 */
    "    session.commit()\n";                                               /* 22 */

struct project {
    char dir[64];              /* temporary root */
    struct pa_options o;
    struct pa_run run;
};

static void project_run(struct project *p, bool consumer, const char *select)
{
    snprintf(p->dir, sizeof p->dir, "/tmp/pa-txmodel-XXXXXX");
    CHECK(mkdtemp(p->dir) != NULL);
    write_file(p->dir, "app/__init__.py", "");
    write_file(p->dir, "app/models.py", k_models);
    write_file(p->dir, "app/runner.py", k_runner);
    write_file(p->dir, "alembic/versions/0001_notify.py", k_migration);
    if (consumer)
        write_file(p->dir, "app/listen.py",
                   "async def listen(conn, cb):\n    await conn.add_listener(\"job_progress\", cb)\n");
    pa_options_init(&p->o);
    free(p->o.root);
    p->o.root = pa_xstrdup(p->dir);
    p->o.no_write = true;
    p->o.jobs = 1;
    memcpy(p->o.date, "2026-01-01", 11);
    pa_vec_push(&p->o.select, pa_xstrdup(select));
    pa_log_set_level(PA_LOG_QUIET);
    pa_run_init(&p->run, &p->o);
    CHECK(pa_run_execute(&p->run) == PA_OK);
}

static void project_free(struct project *p)
{
    pa_run_free(&p->run);
    pa_options_free(&p->o);
    char *cmd = pa_xasprintf("rm -rf '%s'", p->dir);
    if (strncmp(p->dir, "/tmp/pa-txmodel-", 16) == 0 && system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", p->dir);
    free(cmd);
}

static const struct pa_finding *finding_at(const struct pa_run *run, const char *rule, const char *path, uint32_t line)
{
    for (size_t i = 0; i < run->all.items.n; i++) {
        const struct pa_finding *f = run->all.items.v[i];
        if (strcmp(f->rule->id, rule) == 0 && strcmp(f->path, path) == 0 && f->line == line) return f;
    }
    return NULL;
}

static int32_t find_func(const struct pa_file_facts *f, const char *name)
{
    for (size_t i = 0; i < f->funcs.n; i++)
        if (strcmp(f->funcs.v[i].name, name) == 0) return (int32_t)i;
    return -1;
}

static void test_model(void)
{
    struct project p;
    project_run(&p, true, "PA201");
    struct pa_audit_input in = {&p.run.ctx, p.run.index, p.run.models, p.run.files, p.run.nfiles, &p.o};
    int32_t fi = -1;
    for (size_t i = 0; i < p.run.nfiles; i++)
        if (strcmp(p.run.files[i]->path, "app/runner.py") == 0) fi = (int32_t)i;
    CHECK(fi >= 0);
    if (fi >= 0) {
        struct pa_txn_file tf;
        pa_txn_file_build(&in, fi, &tf);
        /* run(): get opens, job.progress is a staged update of jobs, commit closes */
        const struct pa_txn_func *fn = pa_txn_slot(&tf, find_func(tf.f, "run"));
        CHECK(fn != NULL);
        if (fn) {
            bool read = false, staged = false, commit = false;
            for (size_t i = 0; i < fn->ev.n; i++) {
                const struct pa_txn_event *e = &fn->ev.v[i];
                if (e->line == 8 && e->op == PA_TXN_READ) { read = true; CHECK_STR(e->key, "session"); }
                if (e->line == 11 && e->op == PA_TXN_STAGE) {
                    staged = true;
                    CHECK_STR(e->table, "jobs");
                    CHECK_STR(e->target, "job");
                    CHECK_INT(e->wkind, PA_TXN_W_UPDATE);
                }
                if (e->line == 12 && e->op == PA_TXN_COMMIT) commit = true;
            }
            CHECK(read);
            CHECK(staged);
            CHECK(commit);
            CHECK_INT(fn->rg.n, 1);
            if (fn->rg.n) {
                CHECK_INT(fn->rg.v[0].kind, PA_TXR_AUTOBEGIN);
                CHECK_INT(fn->rg.v[0].open_line, 8);
                CHECK_INT(fn->rg.v[0].end_line, 12);
            }
        }
        /* blocks(): one BLOCK region for `with session.begin()`; the commit after it is outside */
        fn = pa_txn_slot(&tf, find_func(tf.f, "blocks"));
        CHECK(fn != NULL);
        if (fn) {
            size_t nblock = 0;
            for (size_t i = 0; i < fn->rg.n; i++)
                if (fn->rg.v[i].kind == PA_TXR_BLOCK) {
                    nblock++;
                    CHECK_INT(fn->rg.v[i].line, 20);
                }
            CHECK_INT(nblock, 1);
            for (size_t i = 0; i < fn->ev.n; i++) {
                const struct pa_txn_event *e = &fn->ev.v[i];
                if (e->op == PA_TXN_COMMIT) CHECK(pa_txn_region_of_call(&tf, fn, e->call) == NULL);
                if (e->op == PA_TXN_STAGE && e->call >= 0) {
                    const struct pa_txn_region *r = pa_txn_region_of_call(&tf, fn, e->call);
                    CHECK(r && r->kind == PA_TXR_BLOCK);
                }
            }
        }
        pa_txn_file_free(&tf);
    }
    struct pa_txn_realtime rt;
    pa_txn_realtime_build(&in, &rt);
    CHECK(pa_txn_channel_is_realtime(&rt, "job_progress"));
    pa_txn_realtime_free(&rt);

    /* grading: a LISTEN consumer on the channel → CRITICAL; per-row loop → MEDIUM */
    const struct pa_finding *f1 = finding_at(&p.run, "PA201", "app/runner.py", 11);
    const struct pa_finding *f2 = finding_at(&p.run, "PA201", "app/runner.py", 16);
    CHECK(f1 && f1->original_severity == PA_SEV_CRITICAL);
    CHECK(f2 && f2->original_severity == PA_SEV_MEDIUM);
    CHECK(f1 && f1->ntrace >= 1 && strcmp(f1->trace[0].path, "alembic/versions/0001_notify.py") == 0);
    project_free(&p);

    /* without a consumer the same loop is HIGH */
    project_run(&p, false, "PA201");
    f1 = finding_at(&p.run, "PA201", "app/runner.py", 11);
    CHECK(f1 && f1->original_severity == PA_SEV_HIGH);
    CHECK_INT(p.run.all.items.n, 2);
    project_free(&p);
}

int main(void)
{
    test_text_helpers();
    test_model();
    return test_done("test_txmodel");
}
