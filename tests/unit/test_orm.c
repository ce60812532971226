/* test_orm.c - unit tests of the shared ORM helpers (src/audit/orm.c):
 * classification of DB calls (SQLAlchemy sync/async, legacy Query, SQLModel,
 * Django, DB-API/asyncpg with SQL text, project functions through the index),
 * models of calls and variables, and eager-loading detection. Each case
 * parses a small in-memory project and asks about the call on a given line. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pa/audit.h"
#include "pa/orm.h"

struct src { const char *path, *module, *text; };

struct proj {
    struct pa_file_facts *files[8];  /* owned facts, sorted by path as given */
    size_t n;
    struct pa_context ctx;
    pa_index *ix;
    pa_models *models;
    struct pa_options opts;
    struct pa_audit_input in;
};

static void proj_build(struct proj *p, const struct src *s, size_t n)
{
    memset(p, 0, sizeof *p);
    pa_context_init(&p->ctx, ".");
    pa_options_init(&p->opts);
    pa_py_parser *pp = pa_py_parser_new();
    for (size_t i = 0; i < n; i++) {
        const char *reason = NULL;
        struct pa_file_facts *f = NULL;
        CHECK(pa_extract_file(pp, s[i].text, strlen(s[i].text), s[i].path, s[i].module, &f, &reason) == PA_OK);
        p->files[p->n++] = f;
    }
    pa_py_parser_free(pp);
    p->ix = pa_index_build(p->files, p->n, &p->ctx);
    p->models = pa_models_build(p->ix, p->files, p->n);
    p->in.ctx = &p->ctx;
    p->in.index = p->ix;
    p->in.models = p->models;
    p->in.files = p->files;
    p->in.nfiles = p->n;
    p->in.opts = &p->opts;
}

static void proj_free(struct proj *p)
{
    pa_models_free(p->models);
    pa_index_free(p->ix);
    for (size_t i = 0; i < p->n; i++) pa_file_facts_free(p->files[i]);
    pa_context_free(&p->ctx);
    pa_options_free(&p->opts);
}

/* The outermost call (chain head) on `line` of file fi whose attr is `attr`. */
static int32_t call_on(const struct proj *p, size_t fi, uint32_t line, const char *attr)
{
    const struct pa_file_facts *f = p->files[fi];
    for (size_t i = 0; i < f->calls.n; i++)
        if (f->calls.v[i].line == line && strcmp(f->calls.v[i].attr, attr) == 0) return (int32_t)i;
    return -1;
}

static pa_db_op op_at(const struct proj *p, size_t fi, uint32_t line, const char *attr, struct pa_db_call *dc)
{
    int32_t c = call_on(p, fi, line, attr);
    CHECK(c >= 0);
    struct pa_db_call tmp;
    if (!dc) dc = &tmp;
    if (c < 0 || !pa_orm_classify_call(&p->in, (int32_t)fi, c, dc)) return PA_DB_NONE;
    return dc->op;
}

static const char *k_models =
    "from sqlalchemy import ForeignKey\n"
    "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship\n"
    "class Base(DeclarativeBase):\n"
    "    pass\n"
    "class Customer(Base):\n"
    "    __tablename__ = 'customers'\n"
    "    id: Mapped[int] = mapped_column(primary_key=True)\n"
    "class Order(Base):\n"
    "    __tablename__ = 'orders'\n"
    "    id: Mapped[int] = mapped_column(primary_key=True)\n"
    "    customer_id: Mapped[int] = mapped_column(ForeignKey('customers.id'))\n"
    "    customer: Mapped['Customer'] = relationship()\n";

static const char *k_sa =
    "from sqlalchemy import select, update, delete, insert, text\n"               /* 1 */
    "from sqlalchemy.orm import Session, selectinload\n"                          /* 2 */
    "from app.models import Order, Customer\n"                                    /* 3 */
    "def f(session: Session, ids, rows):\n"                                       /* 4 */
    "    a = session.get(Order, 1)\n"                                             /* 5 */
    "    b = session.execute(select(Order).where(Order.id == 1)).scalar_one()\n"  /* 6 */
    "    session.execute(update(Order).where(Order.id == 1).values(x=1))\n"       /* 7 */
    "    session.execute(update(Order).where(Order.id.in_(ids)).values(x=1))\n"   /* 8 */
    "    session.execute(delete(Order).where(Order.id == 2))\n"                   /* 9 */
    "    session.execute(insert(Order), rows)\n"                                  /* 10 */
    "    session.execute(text('UPDATE orders SET x = 1 WHERE id = :id'), {'id': 1})\n" /* 11 */
    "    session.query(Order).filter(Order.id == 1).update({'x': 2})\n"           /* 12 */
    "    session.query(Order).filter(Order.id == 1).first()\n"                    /* 13 */
    "    session.add(a)\n"                                                        /* 14 */
    "    session.add_all([a, b])\n"                                               /* 15 */
    "    session.delete(a)\n"                                                     /* 16 */
    "    session.flush()\n"                                                       /* 17 */
    "    session.commit()\n"                                                      /* 18 */
    "    stmt = update(Order).where(Order.id == 3).values(x=3)\n"                 /* 19 */
    "    session.execute(stmt)\n"                                                 /* 20 */
    "    q = select(Order).options(selectinload(Order.customer))\n"               /* 21 */
    "    orders = session.scalars(q).all()\n"                                     /* 22 */
    "    plain = session.scalars(select(Order)).all()\n"                          /* 23 */
    "    for o in plain:\n"                                                       /* 24 */
    "        print(o.customer)\n"                                                 /* 25 */
    "    cache = {}\n"                                                            /* 26 */
    "    cache.get('x')\n"                                                        /* 27 */
    "    names = session.execute(select(Order.id)).all()\n"                       /* 28 */
    "    return orders\n";

static void test_sqlalchemy(void)
{
    struct src s[] = {{"app/models.py", "app.models", k_models}, {"app/svc.py", "app.svc", k_sa}};
    struct proj p;
    proj_build(&p, s, 2);
    struct pa_db_call dc;
    CHECK_INT(op_at(&p, 1, 5, "get", &dc), PA_DB_READ);
    CHECK(dc.model && strcmp(dc.model->name, "Order") == 0);
    CHECK_STR(dc.table, "orders");
    CHECK(!dc.via_project);
    CHECK_INT(op_at(&p, 1, 6, "scalar_one", &dc), PA_DB_READ);
    CHECK_INT(op_at(&p, 1, 7, "execute", &dc), PA_DB_UPDATE);
    CHECK(!dc.bulk);
    CHECK_INT(op_at(&p, 1, 8, "execute", &dc), PA_DB_UPDATE);
    CHECK(dc.bulk);
    CHECK_INT(op_at(&p, 1, 9, "execute", &dc), PA_DB_DELETE);
    CHECK_INT(op_at(&p, 1, 10, "execute", &dc), PA_DB_INSERT);
    CHECK(dc.bulk);
    CHECK_INT(op_at(&p, 1, 11, "execute", &dc), PA_DB_UPDATE);
    CHECK_STR(dc.table, "orders");
    CHECK_INT(op_at(&p, 1, 12, "update", &dc), PA_DB_UPDATE);
    CHECK(!dc.bulk);
    CHECK_INT(op_at(&p, 1, 13, "first", &dc), PA_DB_READ);
    CHECK_INT(op_at(&p, 1, 14, "add", &dc), PA_DB_ADD);
    CHECK(dc.model && strcmp(dc.model->name, "Order") == 0);
    CHECK_INT(op_at(&p, 1, 15, "add_all", &dc), PA_DB_ADD);
    CHECK(dc.bulk);
    CHECK_INT(op_at(&p, 1, 16, "delete", NULL), PA_DB_DELETE);
    CHECK_INT(op_at(&p, 1, 17, "flush", NULL), PA_DB_FLUSH);
    CHECK_INT(op_at(&p, 1, 18, "commit", NULL), PA_DB_COMMIT);
    CHECK_INT(op_at(&p, 1, 20, "execute", NULL), PA_DB_UPDATE);   /* statement held in a variable */
    CHECK_INT(op_at(&p, 1, 27, "get", NULL), PA_DB_NONE);         /* dict.get is not a query */
    /* models */
    const struct pa_model *m = pa_orm_call_model(&p.in, 1, call_on(&p, 1, 23, "all"));
    CHECK(m && strcmp(m->name, "Order") == 0);
    CHECK(pa_orm_call_model(&p.in, 1, call_on(&p, 1, 28, "all")) == NULL);   /* column select */
    int32_t fn = p.files[1]->calls.v[call_on(&p, 1, 5, "get")].func;
    m = pa_orm_var_model(&p.in, 1, fn, "o", 25);
    CHECK(m && strcmp(m->name, "Order") == 0);
    m = pa_orm_var_model(&p.in, 1, fn, "a", 14);
    CHECK(m && strcmp(m->name, "Order") == 0);
    CHECK(pa_orm_var_model(&p.in, 1, fn, "cache", 27) == NULL);
    /* eager loading */
    CHECK(pa_orm_query_eager_loads(&p.in, 1, call_on(&p, 1, 22, "all"), "customer"));
    CHECK(!pa_orm_query_eager_loads(&p.in, 1, call_on(&p, 1, 23, "all"), "customer"));
    CHECK(!pa_orm_query_eager_loads(&p.in, 1, call_on(&p, 1, 22, "all"), "items"));
    proj_free(&p);
}

static const char *k_repo =
    "from sqlalchemy import update\n"                                             /* 1 */
    "from sqlalchemy.orm import Session\n"                                        /* 2 */
    "from app.models import Order\n"                                              /* 3 */
    "class OrderRepo:\n"                                                          /* 4 */
    "    def __init__(self, session: Session):\n"                                 /* 5 */
    "        self.session = session\n"                                            /* 6 */
    "    def mark(self, oid):\n"                                                  /* 7 */
    "        self.session.execute(update(Order).where(Order.id == oid).values(s=1))\n" /* 8 */
    "    def find(self, oid) -> Order:\n"                                         /* 9 */
    "        return self.session.get(Order, oid)\n"                               /* 10 */
    "def helper(x):\n"                                                            /* 11 */
    "    return x + 1\n";

static const char *k_use =
    "from app.repo import OrderRepo, helper\n"                                    /* 1 */
    "def run(session, ids):\n"                                                    /* 2 */
    "    repo = OrderRepo(session)\n"                                             /* 3 */
    "    for i in ids:\n"                                                         /* 4 */
    "        repo.mark(i)\n"                                                      /* 5 */
    "        o = repo.find(i)\n"                                                  /* 6 */
    "        helper(i)\n";                                                        /* 7 */

static void test_project_calls(void)
{
    struct src s[] = {{"app/models.py", "app.models", k_models}, {"app/repo.py", "app.repo", k_repo},
                      {"app/use.py", "app.use", k_use}};
    struct proj p;
    proj_build(&p, s, 3);
    struct pa_db_call dc;
    CHECK_INT(op_at(&p, 1, 8, "execute", &dc), PA_DB_UPDATE);      /* self.session typed by __init__ */
    CHECK_INT(op_at(&p, 2, 5, "mark", &dc), PA_DB_UPDATE);
    CHECK(dc.via_project);
    CHECK(pa_fref_ok(dc.callee));
    CHECK_INT(op_at(&p, 2, 6, "find", &dc), PA_DB_READ);
    CHECK(dc.via_project && dc.model && strcmp(dc.model->name, "Order") == 0);
    const struct pa_model *m = pa_orm_call_model(&p.in, 2, call_on(&p, 2, 6, "find"));
    CHECK(m && strcmp(m->name, "Order") == 0);                     /* from the -> Order annotation */
    CHECK_INT(op_at(&p, 2, 7, "helper", NULL), PA_DB_NONE);
    proj_free(&p);
}

static const char *k_dj_models =
    "from django.db import models\n"
    "class Author(models.Model):\n"
    "    name = models.CharField(max_length=10)\n"
    "class Book(models.Model):\n"
    "    title = models.CharField(max_length=10)\n"
    "    author = models.ForeignKey(Author, on_delete=models.CASCADE)\n";

static const char *k_dj =
    "from .models import Book\n"                                                  /* 1 */
    "def v(request, ids):\n"                                                      /* 2 */
    "    Book.objects.filter(pk=1).update(title='x')\n"                           /* 3 */
    "    Book.objects.filter(pk__in=ids).delete()\n"                              /* 4 */
    "    Book.objects.create(title='y')\n"                                        /* 5 */
    "    Book.objects.bulk_create([])\n"                                          /* 6 */
    "    b = Book.objects.get(pk=1)\n"                                            /* 7 */
    "    b.save()\n"                                                              /* 8 */
    "    qs = Book.objects.select_related('author').filter(title='z')\n"          /* 9 */
    "    plain = Book.objects.all()\n"                                            /* 10 */
    "    n = Book.objects.filter(title='a').count()\n";                           /* 11 */

static void test_django(void)
{
    struct src s[] = {{"shop/models.py", "shop.models", k_dj_models}, {"shop/views.py", "shop.views", k_dj}};
    struct proj p;
    proj_build(&p, s, 2);
    struct pa_db_call dc;
    CHECK_INT(op_at(&p, 1, 3, "update", &dc), PA_DB_UPDATE);
    CHECK(!dc.bulk);
    CHECK_STR(dc.table, "shop_book");
    CHECK_INT(op_at(&p, 1, 4, "delete", &dc), PA_DB_DELETE);
    CHECK(dc.bulk);
    CHECK_INT(op_at(&p, 1, 5, "create", NULL), PA_DB_INSERT);
    CHECK_INT(op_at(&p, 1, 6, "bulk_create", &dc), PA_DB_INSERT);
    CHECK(dc.bulk);
    CHECK_INT(op_at(&p, 1, 7, "get", &dc), PA_DB_READ);
    CHECK(dc.model && strcmp(dc.model->name, "Book") == 0);
    CHECK_INT(op_at(&p, 1, 8, "save", NULL), PA_DB_UPDATE);
    CHECK(pa_orm_query_eager_loads(&p.in, 1, call_on(&p, 1, 9, "filter"), "author"));
    CHECK(!pa_orm_query_eager_loads(&p.in, 1, call_on(&p, 1, 10, "all"), "author"));
    CHECK(pa_orm_call_model(&p.in, 1, call_on(&p, 1, 11, "count")) == NULL);   /* an aggregate, not rows */
    proj_free(&p);
}

static const char *k_raw =
    "import asyncpg\n"                                                            /* 1 */
    "import psycopg\n"                                                            /* 2 */
    "def a(conn: psycopg.Connection, rows):\n"                                   /* 3 */
    "    with conn.cursor() as cur:\n"                                            /* 4 */
    "        cur.execute('SELECT * FROM jobs WHERE id = %s', (1,))\n"             /* 5 */
    "        cur.execute(\"\"\"\n  UPDATE jobs SET done = true WHERE id = %s\"\"\", (1,))\n" /* 6-7 */
    "        cur.executemany('INSERT INTO jobs (x) VALUES (%s)', rows)\n"         /* 8 */
    "        cur.fetchall()\n"                                                    /* 9 */
    "    conn.commit()\n"                                                         /* 10 */
    "async def b(pool: asyncpg.Pool):\n"                                          /* 11 */
    "    async with pool.acquire() as conn:\n"                                    /* 12 */
    "        await conn.fetch('SELECT 1')\n"                                      /* 13 */
    "        await conn.execute('DELETE FROM jobs WHERE id = ANY($1)', [1])\n"    /* 14 */
    "        sql = 'UPDATE jobs SET x = 1 WHERE id = $1'\n"                       /* 15 */
    "        await conn.execute(sql, 3)\n"                                        /* 16 */
    "        await conn.execute('CREATE INDEX i ON jobs (x)')\n"                  /* 17 */
    "        await conn.execute(\"SET LOCAL statement_timeout = '5s'\")\n";       /* 18 */

static void test_raw(void)
{
    struct src s[] = {{"jobs.py", "jobs", k_raw}};
    struct proj p;
    proj_build(&p, s, 1);
    struct pa_db_call dc;
    CHECK_INT(op_at(&p, 0, 5, "execute", &dc), PA_DB_READ);
    CHECK_INT(op_at(&p, 0, 6, "execute", &dc), PA_DB_UPDATE);
    CHECK(!dc.bulk);
    CHECK_INT(op_at(&p, 0, 8, "executemany", &dc), PA_DB_INSERT);
    CHECK(dc.bulk);
    CHECK_INT(op_at(&p, 0, 9, "fetchall", NULL), PA_DB_NONE);
    CHECK_INT(op_at(&p, 0, 10, "commit", NULL), PA_DB_COMMIT);
    CHECK_INT(op_at(&p, 0, 13, "fetch", NULL), PA_DB_READ);
    CHECK_INT(op_at(&p, 0, 14, "execute", &dc), PA_DB_DELETE);
    CHECK(dc.bulk);
    CHECK_INT(op_at(&p, 0, 16, "execute", &dc), PA_DB_UPDATE);     /* SQL held in a variable */
    CHECK_INT(op_at(&p, 0, 17, "execute", NULL), PA_DB_NONE);      /* DDL */
    CHECK_INT(op_at(&p, 0, 18, "execute", NULL), PA_DB_NONE);      /* session setting */
    proj_free(&p);
}

static const char *k_txn =
    "from django.db import transaction\n"                                        /* 1 */
    "from sqlalchemy import create_engine, text\n"                               /* 2 */
    "engine = create_engine('sqlite://')\n"                                      /* 3 */
    "def a():\n"                                                                 /* 4 */
    "    with engine.begin() as conn:\n"                                         /* 5 */
    "        conn.execute(text('DELETE FROM t WHERE id = 1'))\n"                 /* 6 */
    "    with transaction.atomic():\n"                                           /* 7 */
    "        pass\n"                                                             /* 8 */
    "    with engine.connect() as c2:\n"                                         /* 9 */
    "        c2.commit()\n";                                                     /* 10 */

static void test_transactions(void)
{
    struct src s[] = {{"txn.py", "txn", k_txn}};
    struct proj p;
    proj_build(&p, s, 1);
    CHECK_INT(op_at(&p, 0, 5, "begin", NULL), PA_DB_BEGIN);
    CHECK_INT(op_at(&p, 0, 6, "execute", NULL), PA_DB_DELETE);
    CHECK_INT(op_at(&p, 0, 7, "atomic", NULL), PA_DB_BEGIN);
    CHECK_INT(op_at(&p, 0, 9, "connect", NULL), PA_DB_NONE);
    CHECK_INT(op_at(&p, 0, 10, "commit", NULL), PA_DB_COMMIT);
    proj_free(&p);
}

static const char *k_http =
    "import requests\n"                                                          /* 1 */
    "def a(urls, session):\n"                                                    /* 2 */
    "    http = requests.Session()\n"                                            /* 3 */
    "    for u in urls:\n"                                                       /* 4 */
    "        http.get(u)\n"                                                      /* 5 */
    "        session.get(u)\n"                                                   /* 6 */
    "        session.delete(u)\n";                                               /* 7 */

static void test_not_db(void)
{
    struct src s[] = {{"http.py", "http", k_http}};
    struct proj p;
    proj_build(&p, s, 1);
    CHECK_INT(op_at(&p, 0, 5, "get", NULL), PA_DB_NONE);
    CHECK_INT(op_at(&p, 0, 6, "get", NULL), PA_DB_NONE);      /* named session, but get() names no model */
    CHECK_INT(op_at(&p, 0, 7, "delete", NULL), PA_DB_NONE);
    proj_free(&p);
}

int main(void)
{
    test_transactions();
    test_not_db();
    test_sqlalchemy();
    test_project_calls();
    test_django();
    test_raw();
    return test_done("test_orm");
}
