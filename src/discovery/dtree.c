/* dtree.c - the shared document tree (see dtree.h): node allocation, map and
 * sequence building, lookups with YAML merge-key support. */
#include "discovery/dtree.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void pa_doc_init(struct pa_doc *d)
{
    memset(d, 0, sizeof *d);
    pa_arena_init(&d->arena);
}

void pa_doc_free(struct pa_doc *d)
{
    for (size_t i = 0; i < d->nodes.n; i++) {
        free(d->nodes.v[i]->keys);
        free(d->nodes.v[i]->vals);
    }
    pa_vec_free(&d->nodes);
    pa_arena_free(&d->arena);
    d->root = NULL;
}

struct pa_dn *pa_doc_node(struct pa_doc *d, pa_dn_kind kind, uint32_t line)
{
    struct pa_dn *n = pa_arena_alloc(&d->arena, sizeof *n);
    n->kind = kind;
    n->line = line;
    n->str = "";
    if (kind == PA_DN_SEQ || kind == PA_DN_MAP) pa_vec_push(&d->nodes, n);
    return n;
}

void pa_dn_push(struct pa_dn *parent, struct pa_dn *key, struct pa_dn *val)
{
    if (parent->n == parent->cap) {
        size_t nc = parent->cap ? parent->cap * 2 : 4;
        parent->vals = pa_xrealloc(parent->vals, nc * sizeof *parent->vals);
        if (parent->kind == PA_DN_MAP) {
            parent->keys = pa_xrealloc(parent->keys, nc * sizeof *parent->keys);
        }
        parent->cap = nc;
    }
    if (parent->kind == PA_DN_MAP) parent->keys[parent->n] = key;
    parent->vals[parent->n++] = val;
}

static struct pa_dn *get_depth(const struct pa_dn *map, const char *key, int depth)
{
    if (!map || map->kind != PA_DN_MAP || depth > 8) return NULL;
    for (size_t i = map->n; i-- > 0;) {
        const struct pa_dn *k = map->keys[i];
        if (k && k->kind != PA_DN_SEQ && k->kind != PA_DN_MAP && strcmp(k->str, key) == 0) return map->vals[i];
    }
    /* YAML merge keys: `<<: *base` or `<<: [*a, *b]` (earlier sources win). */
    for (size_t i = 0; i < map->n; i++) {
        const struct pa_dn *k = map->keys[i];
        if (!k || strcmp(k->str, "<<") != 0 || (k->kind != PA_DN_STR && k->kind != PA_DN_OTHER)) continue;
        const struct pa_dn *v = map->vals[i];
        if (v->kind == PA_DN_MAP) {
            struct pa_dn *r = get_depth(v, key, depth + 1);
            if (r) return r;
        } else if (v->kind == PA_DN_SEQ) {
            for (size_t j = 0; j < v->n; j++) {
                struct pa_dn *r = get_depth(v->vals[j], key, depth + 1);
                if (r) return r;
            }
        }
    }
    return NULL;
}

struct pa_dn *pa_dn_get(const struct pa_dn *map, const char *key) { return get_depth(map, key, 0); }

struct pa_dn *pa_dn_path(const struct pa_dn *map, ...)
{
    va_list ap;
    va_start(ap, map);
    const struct pa_dn *cur = map;
    const char *k;
    while (cur && (k = va_arg(ap, const char *)) != NULL) cur = pa_dn_get(cur, k);
    va_end(ap);
    return (struct pa_dn *)cur;
}

const char *pa_dn_str(const struct pa_dn *n) { return n && n->kind == PA_DN_STR ? n->str : NULL; }

const char *pa_dn_kind_name(pa_dn_kind k)
{
    switch (k) {
    case PA_DN_NULL: return "null";
    case PA_DN_BOOL: return "boolean";
    case PA_DN_INT: return "integer";
    case PA_DN_FLOAT: return "number";
    case PA_DN_STR: return "string";
    case PA_DN_SEQ: return "list";
    case PA_DN_MAP: return "map";
    case PA_DN_OTHER: return "scalar";
    }
    return "?";
}
