/* yamltree.c - YAML → pa_doc with hard limits, built on libyaml's event API.
 *
 * Untrusted input: nesting depth, node count and alias count are bounded, and
 * every node carries its expanded size (aliases counted as the size of what
 * they point to), so a "billion laughs" document is refused before anything
 * walks it. Aliases share nodes; anchors become visible only once their node
 * is complete, so a self-referencing alias is an error, never a cycle. Only
 * the first document of a stream is read. */
#include "discovery/dtree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YT_MAX_DEPTH 64
#define YT_MAX_NODES 200000
#define YT_MAX_ALIASES 10000
#define YT_MAX_WEIGHT 1000000

struct yt_frame {
    struct pa_dn *node;  /* container being filled */
    struct pa_dn *key;   /* pending map key, NULL when a key is expected */
    const char *anchor;  /* anchor to register on completion (arena) or NULL */
};

static bool is_plain_resolvable(const yaml_event_t *ev)
{
    const char *tag = (const char *)ev->data.scalar.tag;
    if (tag && strcmp(tag, "!") != 0) return false;
    return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && ev->data.scalar.plain_implicit;
}

static bool all_digits(const char *s, bool allow_us)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (allow_us && *s == '_'))) return false;
    return true;
}

/* Resolve a plain scalar to null/bool/int/float (YAML 1.1/1.2 core forms). */
static void resolve_scalar(struct pa_dn *n, const char *s)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    static const char *const trues[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
    static const char *const falses[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
    for (size_t i = 0; i < sizeof nulls / sizeof *nulls; i++)
        if (strcmp(s, nulls[i]) == 0) { n->kind = PA_DN_NULL; return; }
    for (size_t i = 0; i < sizeof trues / sizeof *trues; i++)
        if (strcmp(s, trues[i]) == 0) { n->kind = PA_DN_BOOL; n->b = true; return; }
    for (size_t i = 0; i < sizeof falses / sizeof *falses; i++)
        if (strcmp(s, falses[i]) == 0) { n->kind = PA_DN_BOOL; n->b = false; return; }
    const char *p = s;
    if (*p == '-' || *p == '+') p++;
    if (all_digits(p, false)) {
        n->kind = PA_DN_INT;
        n->num = strtod(s, NULL);
        return;
    }
    /* float: digits with one '.', optional exponent */
    const char *q = p;
    size_t digits = 0, dots = 0;
    while ((*q >= '0' && *q <= '9') || *q == '.') { if (*q == '.') dots++; else digits++; q++; }
    if (digits && dots <= 1) {
        if (*q == 'e' || *q == 'E') {
            q++;
            if (*q == '-' || *q == '+') q++;
            if (!all_digits(q, false)) return;
            q += strlen(q);
        }
        if (*q == '\0') {
            n->kind = PA_DN_FLOAT;
            n->num = strtod(s, NULL);
        }
    }
}

pa_status pa_yaml_load(struct pa_doc *d, const char *text, size_t len, uint32_t *line, char **msg)
{
    *line = 0;
    *msg = NULL;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        *msg = pa_xstrdup("cannot initialise the YAML parser");
        return PA_ERR_INTERNAL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);

    PA_VEC(struct yt_frame) stack = {0};
    pa_strmap anchors;
    pa_strmap_init(&anchors);
    size_t nnodes = 0, naliases = 0;
    pa_status st = PA_OK;
    bool done = false;

    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            *line = (uint32_t)parser.problem_mark.line + 1;
            if (parser.context)
                *msg = pa_xasprintf("%s %s", parser.problem ? parser.problem : "syntax error", parser.context);
            else
                *msg = pa_xstrdup(parser.problem ? parser.problem : "syntax error");
            st = PA_ERR_PARSE;
            break;
        }
        uint32_t evline = (uint32_t)ev.start_mark.line + 1;
        struct pa_dn *done_node = NULL;   /* a value completed by this event */
        const char *done_anchor = NULL;

        switch (ev.type) {
        case YAML_DOCUMENT_END_EVENT:
        case YAML_STREAM_END_EVENT:
            done = true;   /* first document only */
            break;
        case YAML_SCALAR_EVENT: {
            struct pa_dn *n = pa_doc_node(d, PA_DN_STR, evline);
            n->str = pa_arena_strndup(&d->arena, (const char *)ev.data.scalar.value, ev.data.scalar.length);
            n->weight = 1;
            if (is_plain_resolvable(&ev)) resolve_scalar(n, n->str);
            done_node = n;
            if (ev.data.scalar.anchor) done_anchor = pa_arena_strdup(&d->arena, (const char *)ev.data.scalar.anchor);
            nnodes++;
            break;
        }
        case YAML_ALIAS_EVENT: {
            naliases++;
            struct pa_dn *target = pa_strmap_get(&anchors, (const char *)ev.data.alias.anchor);
            if (!target) {
                *line = evline;
                *msg = pa_xasprintf("unknown or unfinished anchor '%s'", (const char *)ev.data.alias.anchor);
                st = PA_ERR_PARSE;
            } else if (naliases > YT_MAX_ALIASES) {
                *line = evline;
                *msg = pa_xstrdup("too many aliases");
                st = PA_ERR_LIMIT;
            } else {
                done_node = target;
            }
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            if (stack.n >= YT_MAX_DEPTH) {
                *line = evline;
                *msg = pa_xasprintf("nesting deeper than %d levels", YT_MAX_DEPTH);
                st = PA_ERR_LIMIT;
                break;
            }
            bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
            struct pa_dn *n = pa_doc_node(d, seq ? PA_DN_SEQ : PA_DN_MAP, evline);
            n->weight = 1;
            const yaml_char_t *anc = seq ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor;
            struct yt_frame fr = {n, NULL, anc ? pa_arena_strdup(&d->arena, (const char *)anc) : NULL};
            pa_vec_push(&stack, fr);
            nnodes++;
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
            struct yt_frame fr = stack.v[--stack.n];
            if (fr.node->kind == PA_DN_MAP && fr.key) {
                /* a key without value cannot happen with a well-formed event stream */
                pa_dn_push(fr.node, fr.key, pa_doc_node(d, PA_DN_NULL, fr.key->line));
            }
            done_node = fr.node;
            done_anchor = fr.anchor;
            break;
        }
        default:
            break;
        }
        yaml_event_delete(&ev);
        if (st != PA_OK) break;
        if (nnodes > YT_MAX_NODES) {
            *line = evline;
            *msg = pa_xstrdup("too many nodes");
            st = PA_ERR_LIMIT;
            break;
        }
        if (!done_node) continue;
        if (done_anchor) pa_strmap_put(&anchors, done_anchor, done_node);
        if (stack.n == 0) {
            d->root = done_node;
            continue;
        }
        struct yt_frame *top = &stack.v[stack.n - 1];
        top->node->weight += done_node->weight;
        if (top->node->weight > YT_MAX_WEIGHT) {
            *line = evline;
            *msg = pa_xstrdup("alias expansion too large (possible alias bomb)");
            st = PA_ERR_LIMIT;
            break;
        }
        if (top->node->kind == PA_DN_SEQ) {
            pa_dn_push(top->node, NULL, done_node);
        } else if (!top->key) {
            top->key = done_node;
        } else {
            pa_dn_push(top->node, top->key, done_node);
            top->key = NULL;
        }
    }
    pa_vec_free(&stack);
    pa_strmap_free(&anchors);
    yaml_parser_delete(&parser);
    return st;
}
