/* models.c - ORM model discovery from class facts: SQLAlchemy declarative
 * classes, SQLModel table classes and Django models, with table names,
 * columns and relationships (target class, lazy strategy, collection or not).
 * Single-threaded build; the result is read-only afterwards. */
#include "pa/models.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const sa_column_calls[] = {"mapped_column", "Column", "column_property", "Field", "deferred", NULL};
static const char *const django_rel_calls[] = {"ForeignKey", "OneToOneField", "ManyToManyField", "ParentalKey", NULL};

static bool in_list(const char *s, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(s, list[i]) == 0) return true;
    return false;
}

static char *unquote(const char *text)
{
    if (!text) return NULL;
    size_t n = strlen(text);
    const char *s = text;
    /* strip a string prefix (r, b, u, f) */
    while (n && (isalpha((unsigned char)*s)) && *s != '"' && *s != '\'') { s++; n--; }
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) return pa_xstrndup(s + 1, n - 2);
    return NULL;
}

static char *lower_dup(const char *s)
{
    char *r = pa_xstrdup(s);
    for (char *p = r; *p; p++) *p = (char)tolower((unsigned char)*p);
    return r;
}

static const struct pa_call *attr_call(const struct pa_file_facts *f, const struct pa_class_attr *a)
{
    return a->value_call >= 0 && (size_t)a->value_call < f->calls.n ? &f->calls.v[a->value_call] : NULL;
}

/* The last identifier inside an annotation such as Mapped[List["Order"]] or
 * Mapped[Optional[Customer]] - the related class. Owned or NULL. */
static char *annotation_target(const char *ann, bool *is_list)
{
    if (!ann) return NULL;
    *is_list = strstr(ann, "List[") || strstr(ann, "list[") || strstr(ann, "Set[") || strstr(ann, "set[") ||
               strstr(ann, "Sequence[");
    const char *best = NULL;
    size_t bestn = 0;
    for (const char *p = ann; *p;) {
        if (isalpha((unsigned char)*p) || *p == '_') {
            const char *s = p;
            while (isalnum((unsigned char)*p) || *p == '_' || *p == '.') p++;
            size_t n = (size_t)(p - s);
            static const char *const skip[] = {"Mapped", "List", "list", "Optional", "Set", "set", "Sequence",
                                               "None", "typing", "WriteOnlyMapped", "DynamicMapped", NULL};
            char *w = pa_xstrndup(s, n);
            bool sk = in_list(w, skip);
            free(w);
            if (!sk) { best = s; bestn = n; }
        } else p++;
    }
    if (!best) return NULL;
    const char *dot = memchr(best, '.', bestn);
    while (dot) { bestn -= (size_t)(dot + 1 - best); best = dot + 1; dot = memchr(best, '.', bestn); }
    return pa_xstrndup(best, bestn);
}

static bool base_is(const struct pa_class *c, const char *name)
{
    for (uint16_t i = 0; i < c->nbases; i++) {
        const char *b = c->bases[i];
        if (strcmp(b, name) == 0) return true;
        size_t bl = strlen(b), nl = strlen(name);
        if (bl > nl && b[bl - nl - 1] == '.' && strcmp(b + bl - nl, name) == 0) return true;
    }
    return false;
}

static bool has_base_kw(const struct pa_class *c, const char *kw)
{
    for (uint16_t i = 0; i < c->nbases; i++) {
        const char *b = c->bases[i];
        size_t n = strlen(kw);
        if (strncmp(b, kw, n) == 0) {
            const char *p = b + n;
            while (*p == ' ') p++;
            if (*p == '=') {
                p++;
                while (*p == ' ') p++;
                if (strcmp(p, "True") == 0) return true;
            }
        }
    }
    return false;
}

static const struct pa_class_attr *class_attr(const struct pa_class *c, const char *name)
{
    for (uint16_t i = 0; i < c->nattrs; i++)
        if (strcmp(c->attrs[i].name, name) == 0) return &c->attrs[i];
    return NULL;
}

/* Django app label: the directory holding models.py (or the models/ package). */
static char *django_app_label(const char *path)
{
    char *p = pa_xstrdup(path);
    char *slash = strrchr(p, '/');
    if (!slash) { free(p); return NULL; }
    *slash = '\0';
    char *dir = strrchr(p, '/');
    const char *label = dir ? dir + 1 : p;
    if (strcmp(label, "models") == 0 && dir) { /* app/models/order.py */
        *dir = '\0';
        char *d2 = strrchr(p, '/');
        label = d2 ? d2 + 1 : p;
    }
    char *r = lower_dup(label);
    free(p);
    return r;
}

/* During the build, m->by_name maps a class name to (index + 1) into `found`. */
static int classify(const pa_models *m, const struct pa_model *found, const struct pa_file_facts *f,
                    const struct pa_class *c, pa_orm_kind *kind)
{
    const struct pa_class_attr *abs = class_attr(c, "__abstract__");
    if (abs && abs->value && strcmp(abs->value, "True") == 0) return 0;
    if (strcmp(c->name, "Meta") == 0 && c->parent >= 0) return 0;
    if (base_is(c, "SQLModel")) {
        if (!has_base_kw(c, "table")) return 0;
        *kind = PA_ORM_SQLMODEL;
        return 1;
    }
    if (base_is(c, "models.Model") || base_is(c, "Model") ) {
        /* `Model` alone is Django only when imported from django.db.models; db.Model is Flask-SQLAlchemy */
        if (base_is(c, "db.Model")) { *kind = PA_ORM_SQLALCHEMY; return 1; }
        *kind = PA_ORM_DJANGO;
        return 1;
    }
    for (uint16_t i = 0; i < c->nbases; i++) {
        const char *b = pa_str_last_dot(c->bases[i]);
        uintptr_t idx = (uintptr_t)pa_strmap_get(&m->by_name, b);
        const struct pa_model *pm = idx ? &found[idx - 1] : NULL;
        if (pm) {
            if (pm->kind == PA_ORM_DJANGO && class_attr(c, "Meta") == NULL) { *kind = PA_ORM_DJANGO; return 1; }
            /* SQLAlchemy subclass of a mapped class: joined/single table inheritance */
            *kind = pm->kind;
            return class_attr(c, "__tablename__") ? 1 : 0;
        }
    }
    if (class_attr(c, "__tablename__") || class_attr(c, "__table__")) { *kind = PA_ORM_SQLALCHEMY; return 1; }
    for (uint16_t i = 0; i < c->nattrs; i++) {
        const struct pa_call *call = attr_call(f, &c->attrs[i]);
        if ((c->attrs[i].annotation && pa_str_starts(c->attrs[i].annotation, "Mapped[")) ||
            (call && (strcmp(call->attr, "mapped_column") == 0 || strcmp(call->attr, "relationship") == 0))) {
            *kind = PA_ORM_SQLALCHEMY;
            return 1;
        }
    }
    return 0;
}

typedef PA_VEC(struct pa_model) model_vec;

static void add_model(pa_models *m, model_vec *out, const struct pa_file_facts *f, int32_t file,
                      int32_t ci, pa_orm_kind kind)
{
    const struct pa_class *c = &f->classes.v[ci];
    struct pa_model md;
    memset(&md, 0, sizeof md);
    md.file = file;
    md.cls = ci;
    md.name = c->name;
    md.kind = kind;
    const struct pa_class_attr *tn = class_attr(c, "__tablename__");
    if (tn) {
        char *u = unquote(tn->value);
        if (u) { md.table = lower_dup(u); free(u); }
    }
    if (!md.table && kind == PA_ORM_SQLMODEL) md.table = lower_dup(c->name);
    if (kind == PA_ORM_DJANGO) {
        for (size_t k = (size_t)ci + 1; k < f->classes.n; k++) {
            const struct pa_class *meta = &f->classes.v[k];
            if (meta->parent != ci || strcmp(meta->name, "Meta") != 0) continue;
            const struct pa_class_attr *dt = class_attr(meta, "db_table");
            if (dt) { char *u = unquote(dt->value); if (u) { md.table = lower_dup(u); free(u); } }
        }
        if (!md.table) {
            char *app = django_app_label(f->path);
            char *lname = lower_dup(c->name);
            md.table = app ? pa_xasprintf("%s_%s", app, lname) : pa_xstrdup(lname);
            free(app);
            free(lname);
        }
    }
    PA_VEC(char *) cols = {0};
    PA_VEC(struct pa_model_rel) rels = {0};
    for (uint16_t i = 0; i < c->nattrs; i++) {
        const struct pa_class_attr *a = &c->attrs[i];
        if (a->name[0] == '_' && a->name[1] == '_') continue;
        const struct pa_call *call = attr_call(f, a);
        const char *fn = call ? call->attr : NULL;
        bool is_rel = fn && (strcmp(fn, "relationship") == 0 || strcmp(fn, "Relationship") == 0);
        bool dj_rel = kind == PA_ORM_DJANGO && fn && in_list(fn, django_rel_calls);
        if (is_rel || dj_rel) {
            struct pa_model_rel r;
            memset(&r, 0, sizeof r);
            r.name = a->name;
            r.line = a->line;
            bool list = false;
            const struct pa_arg *t = pa_call_posarg(call, 0);
            if (t) {
                r.target = unquote(t->text);
                if (!r.target && t->kind == PA_EXPR_NAME) r.target = pa_xstrdup(t->text);
                if (!r.target && t->kind == PA_EXPR_ATTR) r.target = pa_xstrdup(pa_str_last_dot(t->text));
                if (r.target && strchr(r.target, '.')) { char *x = pa_xstrdup(pa_str_last_dot(r.target)); free(r.target); r.target = x; }
            }
            char *at = annotation_target(a->annotation, &list);
            if (!r.target) r.target = at; else free(at);
            if (dj_rel) {
                r.uselist = strcmp(fn, "ManyToManyField") == 0;
                r.lazy = pa_xstrdup(r.uselist ? "many" : "select");
                if (!r.uselist) pa_vec_push(&cols, pa_xasprintf("%s_id", a->name));
            } else {
                const struct pa_arg *lz = pa_call_kwarg(call, "lazy");
                char *lv = lz ? unquote(lz->text) : NULL;
                if (!lv && lz && strcmp(lz->text, "True") == 0) lv = pa_xstrdup("select");
                if (!lv && lz && strcmp(lz->text, "False") == 0) lv = pa_xstrdup("joined");
                r.lazy = lv ? lv : pa_xstrdup("select");
                const struct pa_arg *ul = pa_call_kwarg(call, "uselist");
                r.uselist = ul ? strcmp(ul->text, "True") == 0 : list;
            }
            pa_vec_push(&rels, r);
            continue;
        }
        bool col = false;
        if (fn && in_list(fn, sa_column_calls)) col = true;
        else if (kind == PA_ORM_DJANGO && fn && pa_str_ends(fn, "Field")) col = true;
        else if (a->annotation && pa_str_starts(a->annotation, "Mapped[") && !call) col = true;
        else if (kind == PA_ORM_SQLMODEL && a->annotation && !call && !pa_str_starts(a->annotation, "ClassVar")) col = true;
        if (col) pa_vec_push(&cols, pa_xstrdup(a->name));
    }
    md.columns = cols.v;
    md.ncolumns = (uint32_t)cols.n;
    md.rels = rels.v;
    md.nrels = (uint32_t)rels.n;
    pa_vec_push(out, md);
    (void)m;
}

pa_models *pa_models_build(const pa_index *ix, struct pa_file_facts *const *files, size_t n)
{
    (void)ix;
    pa_models *m = pa_xcalloc(1, sizeof *m);
    pa_strmap_init(&m->by_name);
    pa_strmap_init(&m->by_table);
    model_vec out = {0};
    /* two passes so that subclasses of models declared later in the file order are found */
    bool *done = NULL;
    size_t total = 0;
    for (size_t fi = 0; fi < n; fi++) total += files[fi]->classes.n;
    done = pa_xcalloc(total ? total : 1, 1);
    for (int pass = 0; pass < 3; pass++) {
        size_t k = 0;
        size_t before = out.n;
        for (size_t fi = 0; fi < n; fi++) {
            const struct pa_file_facts *f = files[fi];
            for (size_t ci = 0; ci < f->classes.n; ci++, k++) {
                if (done[k]) continue;
                pa_orm_kind kind;
                if (classify(m, out.v, f, &f->classes.v[ci], &kind)) {
                    done[k] = 1;
                    add_model(m, &out, f, (int32_t)fi, (int32_t)ci, kind);
                }
            }
        }
        /* (re)index names after each pass; vector storage may have moved */
        pa_strmap_free(&m->by_name);
        pa_strmap_init(&m->by_name);
        for (size_t i = 0; i < out.n; i++)
            if (!pa_strmap_has(&m->by_name, out.v[i].name))
                pa_strmap_put(&m->by_name, out.v[i].name, (void *)(uintptr_t)(i + 1));
        if (out.n == before) break;
    }
    free(done);
    m->v = out.v;
    m->n = out.n;
    pa_strmap_free(&m->by_name);
    pa_strmap_init(&m->by_name);
    for (size_t i = 0; i < m->n; i++) {
        if (!pa_strmap_has(&m->by_name, m->v[i].name)) pa_strmap_put(&m->by_name, m->v[i].name, &m->v[i]);
        if (m->v[i].table && !pa_strmap_has(&m->by_table, m->v[i].table)) pa_strmap_put(&m->by_table, m->v[i].table, &m->v[i]);
    }
    return m;
}

void pa_models_free(pa_models *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) {
        struct pa_model *md = &m->v[i];
        free(md->table);
        for (uint32_t k = 0; k < md->ncolumns; k++) free(md->columns[k]);
        free(md->columns);
        for (uint32_t k = 0; k < md->nrels; k++) { free(md->rels[k].target); free(md->rels[k].lazy); }
        free(md->rels);
    }
    free(m->v);
    pa_strmap_free(&m->by_name);
    pa_strmap_free(&m->by_table);
    free(m);
}

const struct pa_model *pa_models_by_name(const pa_models *m, const char *name)
{
    return m && name ? pa_strmap_get(&m->by_name, name) : NULL;
}

const struct pa_model *pa_models_by_table(const pa_models *m, const char *table)
{
    return m && table ? pa_strmap_get(&m->by_table, table) : NULL;
}

const struct pa_model_rel *pa_model_rel(const struct pa_model *m, const char *attr)
{
    for (uint32_t i = 0; m && i < m->nrels; i++)
        if (strcmp(m->rels[i].name, attr) == 0) return &m->rels[i];
    return NULL;
}

bool pa_model_has_column(const struct pa_model *m, const char *attr)
{
    for (uint32_t i = 0; m && i < m->ncolumns; i++)
        if (strcmp(m->columns[i], attr) == 0) return true;
    return false;
}
