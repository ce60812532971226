/* dtree.h - a small document tree shared by the YAML and TOML readers of
 * discovery and config loading: maps, sequences and typed scalars, each with
 * its 1-based source line, so that compose files, pyproject.toml, Pipfile and
 * .pa-audit.yml are all walked with one API.
 *
 * DESIGN
 * - A pa_doc owns every node: node structs and strings live in its arena; the
 *   child arrays are heap-grown and registered in doc->nodes so pa_doc_free
 *   releases each exactly once (a YAML alias shares a node, never copies it).
 * - Lookups never fail loudly: a missing key or a kind mismatch is NULL.
 * - Not thread-safe; one doc per reader call.
 */
#ifndef PA_DISC_DTREE_H
#define PA_DISC_DTREE_H

#include "pa/core.h"

typedef enum pa_dn_kind {
    PA_DN_NULL = 0,   /* YAML null / empty value */
    PA_DN_BOOL,       /* true/false */
    PA_DN_INT,        /* integer */
    PA_DN_FLOAT,      /* float */
    PA_DN_STR,        /* string (decoded) */
    PA_DN_SEQ,        /* sequence / TOML array */
    PA_DN_MAP,        /* mapping / TOML table */
    PA_DN_OTHER,      /* dates and other scalars kept as text */
} pa_dn_kind;

struct pa_dn {
    pa_dn_kind kind;       /* what this node is */
    uint32_t line;         /* 1-based line of the node's start */
    const char *str;       /* scalar text (decoded for strings), "" for containers; arena */
    bool b;                /* PA_DN_BOOL value */
    double num;            /* PA_DN_INT / PA_DN_FLOAT value */
    struct pa_dn **keys;   /* PA_DN_MAP: key nodes (scalars), parallel to vals; heap */
    struct pa_dn **vals;   /* PA_DN_MAP values / PA_DN_SEQ items; heap */
    size_t n, cap;         /* entries used / allocated */
    bool toml_implicit;    /* TOML: table created implicitly by a dotted header */
    uint64_t weight;       /* nodes reachable with aliases expanded (YAML alias-bomb guard) */
};

struct pa_doc {
    pa_arena arena;              /* node structs and strings */
    PA_VEC(struct pa_dn *) nodes;/* every node, for freeing child arrays */
    struct pa_dn *root;          /* document root (NULL for an empty YAML stream) */
};

void pa_doc_init(struct pa_doc *d);
void pa_doc_free(struct pa_doc *d);
/* New node of a kind; borrowed until pa_doc_free. */
struct pa_dn *pa_doc_node(struct pa_doc *d, pa_dn_kind kind, uint32_t line);
/* Append to a sequence / a map (key may be NULL for sequences). */
void pa_dn_push(struct pa_dn *parent, struct pa_dn *key, struct pa_dn *val);

/* Map lookup by key text (last duplicate wins; YAML "<<" merge keys are
 * followed). Borrowed; NULL when absent or parent is not a map. */
struct pa_dn *pa_dn_get(const struct pa_dn *map, const char *key);
/* Nested lookup along a path of keys, NULL-terminated list. */
struct pa_dn *pa_dn_path(const struct pa_dn *map, ...);
/* Scalar text of a string node, else NULL. */
const char *pa_dn_str(const struct pa_dn *n);
/* Human name of a node kind ("string", "list", "map" …). */
const char *pa_dn_kind_name(pa_dn_kind k);

/* Readers. On a syntax error they return PA_ERR_PARSE with *line (1-based)
 * and *msg (owned) set; over a limit PA_ERR_LIMIT. The doc is filled on
 * success and must be freed by the caller in every case. */
pa_status pa_yaml_load(struct pa_doc *d, const char *text, size_t len, uint32_t *line, char **msg);
pa_status pa_toml_load(struct pa_doc *d, const char *text, size_t len, uint32_t *line, char **msg);

#endif
