/* models.h - ORM model knowledge: SQLAlchemy declarative classes (Mapped /
 * mapped_column / Column, __tablename__, relationship(lazy=…)), SQLModel
 * `table=True` classes and Django models.Model subclasses, with their table
 * names, columns and relationships and loading strategies.
 *
 * Built once after the index (single thread), frozen, then shared read-only
 * by the auditors (thread-safe to read). Borrows the facts. */
#ifndef PA_MODELS_H
#define PA_MODELS_H

#include "pa/index.h"

typedef enum pa_orm_kind { PA_ORM_SQLALCHEMY = 0, PA_ORM_SQLMODEL, PA_ORM_DJANGO } pa_orm_kind;

struct pa_model_rel {
    const char *name;     /* attribute name ("customer") */
    char *target;         /* related class name ("Customer"), owned; NULL if unknown */
    char *lazy;           /* SQLAlchemy lazy= ("select" default, "selectin", "joined", "subquery", "raise",
                             "dynamic", "noload", "write_only"); Django: "select" (FK) / "many" (M2M, reverse); owned */
    bool uselist;         /* collection (one-to-many / many-to-many) */
    uint32_t line;        /* definition line */
};

struct pa_model {
    int32_t file, cls;     /* the class in the facts */
    const char *name;      /* class name (borrowed from facts) */
    char *table;           /* table name, lowercase, owned */
    pa_orm_kind kind;
    uint32_t ncolumns;     /* mapped columns (relationships excluded) */
    char **columns;        /* column attribute names, owned */
    struct pa_model_rel *rels; /* owned */
    uint32_t nrels;
};

typedef struct pa_models {
    struct pa_model *v;    /* sorted by (file, cls) */
    size_t n;
    pa_strmap by_name;     /* class name → struct pa_model* (first definition wins) */
    pa_strmap by_table;    /* table → struct pa_model* */
} pa_models;

/* Build from the facts (borrowed; must outlive the result). Owned result. */
pa_models *pa_models_build(const pa_index *ix, struct pa_file_facts *const *files, size_t n);
void pa_models_free(pa_models *m);
const struct pa_model *pa_models_by_name(const pa_models *m, const char *class_name);  /* NULL if none */
const struct pa_model *pa_models_by_table(const pa_models *m, const char *table);
const struct pa_model_rel *pa_model_rel(const struct pa_model *m, const char *attr);  /* NULL if not a relationship */
bool pa_model_has_column(const struct pa_model *m, const char *attr);

#endif
