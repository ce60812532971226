/* toml.c - TOML → pa_doc using the tree-sitter TOML grammar
 * (tree_sitter_toml()). Handles tables, dotted keys, arrays of tables, inline
 * tables, all four string forms with escapes, integers in every base, floats,
 * booleans; dates are kept as text. A tree with any ERROR/MISSING node is a
 * syntax error reported with the line of the first one. Nesting is bounded. */
#include "discovery/dtree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_toml(void);

#define TOML_MAX_DEPTH 64
#define TOML_MAX_KEYS 32

struct toml_ctx {
    struct pa_doc *d;       /* output */
    const char *src;        /* input text */
    uint32_t line;          /* error line */
    char *msg;              /* error message (owned) */
    pa_status st;           /* first error */
};

static uint32_t node_line(TSNode n) { return ts_node_start_point(n).row + 1; }

static void fail(struct toml_ctx *c, pa_status st, uint32_t line, char *msg)
{
    if (c->st != PA_OK) { free(msg); return; }
    c->st = st;
    c->line = line;
    c->msg = msg;
}

static void put_utf8(pa_buf *b, unsigned long cp)
{
    char o[4];
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) { o[0] = (char)cp; pa_buf_append(b, o, 1); }
    else if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); pa_buf_append(b, o, 2); }
    else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[2] = (char)(0x80 | (cp & 0x3F));
        pa_buf_append(b, o, 3);
    } else {
        o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
        pa_buf_append(b, o, 4);
    }
}

/* Decode a TOML string token (with its quotes) into the arena. */
static const char *decode_string(struct toml_ctx *c, const char *s, size_t n)
{
    pa_buf b;
    pa_buf_init(&b);
    size_t q = 1;
    bool literal = s[0] == '\'';
    if (n >= 6 && (strncmp(s, "\"\"\"", 3) == 0 || strncmp(s, "'''", 3) == 0)) q = 3;
    if (n < 2 * q) { pa_buf_free(&b); return ""; }
    const char *p = s + q, *end = s + n - q;
    if (q == 3) {   /* a newline right after the opening delimiter is trimmed */
        if (p < end && *p == '\r') p++;
        if (p < end && *p == '\n') p++;
    }
    while (p < end) {
        if (literal || *p != '\\') { pa_buf_putc(&b, *p++); continue; }
        p++;
        if (p >= end) break;
        char e = *p++;
        switch (e) {
        case 'b': pa_buf_putc(&b, '\b'); break;
        case 't': pa_buf_putc(&b, '\t'); break;
        case 'n': pa_buf_putc(&b, '\n'); break;
        case 'f': pa_buf_putc(&b, '\f'); break;
        case 'r': pa_buf_putc(&b, '\r'); break;
        case 'e': pa_buf_putc(&b, 0x1b); break;
        case '"': pa_buf_putc(&b, '"'); break;
        case '\\': pa_buf_putc(&b, '\\'); break;
        case 'u': case 'U': {
            int want = e == 'u' ? 4 : 8;
            unsigned long cp = 0;
            int k = 0;
            for (; k < want && p < end; k++, p++) {
                char h = *p;
                int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (v < 0) break;
                cp = cp * 16 + (unsigned long)v;
            }
            put_utf8(&b, cp);
            break;
        }
        default:
            if (e == ' ' || e == '\t' || e == '\n' || e == '\r') {   /* line-ending backslash */
                while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
            } else {
                pa_buf_putc(&b, '\\');
                pa_buf_putc(&b, e);
            }
        }
    }
    const char *r = pa_arena_strndup(&c->d->arena, b.s ? b.s : "", b.len);
    pa_buf_free(&b);
    return r;
}

static const char *node_text(struct toml_ctx *c, TSNode n)
{
    uint32_t a = ts_node_start_byte(n), z = ts_node_end_byte(n);
    return pa_arena_strndup(&c->d->arena, c->src + a, z - a);
}

/* Collect the segments of a key node (bare/quoted/dotted). */
static void key_segments(struct toml_ctx *c, TSNode k, const char **segs, size_t *nsegs)
{
    const char *t = ts_node_type(k);
    if (strcmp(t, "dotted_key") == 0) {
        uint32_t cn = ts_node_named_child_count(k);
        for (uint32_t i = 0; i < cn; i++) key_segments(c, ts_node_named_child(k, i), segs, nsegs);
        return;
    }
    if (*nsegs >= TOML_MAX_KEYS) {
        fail(c, PA_ERR_LIMIT, node_line(k), pa_xstrdup("dotted key too long"));
        return;
    }
    if (strcmp(t, "quoted_key") == 0) {
        uint32_t a = ts_node_start_byte(k), z = ts_node_end_byte(k);
        segs[(*nsegs)++] = decode_string(c, c->src + a, z - a);
    } else {
        segs[(*nsegs)++] = node_text(c, k);
    }
}

static bool is_key(TSNode n)
{
    const char *t = ts_node_type(n);
    return strcmp(t, "bare_key") == 0 || strcmp(t, "quoted_key") == 0 || strcmp(t, "dotted_key") == 0;
}

static struct pa_dn *direct_get(struct pa_dn *map, const char *key)
{
    for (size_t i = map->n; i-- > 0;)
        if (strcmp(map->keys[i]->str, key) == 0) return map->vals[i];
    return NULL;
}

static struct pa_dn *key_node(struct toml_ctx *c, const char *s, uint32_t line)
{
    struct pa_dn *k = pa_doc_node(c->d, PA_DN_STR, line);
    k->str = s;
    return k;
}

/* Walk (creating implicit tables) from `cur` along segs; descend into the last
 * element of an array of tables. NULL (and an error) on a clash with a value. */
static struct pa_dn *descend(struct toml_ctx *c, struct pa_dn *cur, const char **segs, size_t n, uint32_t line)
{
    for (size_t i = 0; i < n && cur; i++) {
        struct pa_dn *next = direct_get(cur, segs[i]);
        if (!next) {
            next = pa_doc_node(c->d, PA_DN_MAP, line);
            next->toml_implicit = true;
            pa_dn_push(cur, key_node(c, segs[i], line), next);
        } else if (next->kind == PA_DN_SEQ) {
            if (next->n == 0 || next->vals[next->n - 1]->kind != PA_DN_MAP) {
                fail(c, PA_ERR_PARSE, line, pa_xasprintf("key '%s' is an array, not a table", segs[i]));
                return NULL;
            }
            next = next->vals[next->n - 1];
        } else if (next->kind != PA_DN_MAP) {
            fail(c, PA_ERR_PARSE, line, pa_xasprintf("key '%s' is already defined as a value", segs[i]));
            return NULL;
        }
        cur = next;
    }
    return cur;
}

static struct pa_dn *convert_value(struct toml_ctx *c, TSNode v, int depth);

static void convert_pair(struct toml_ctx *c, struct pa_dn *table, TSNode pair, int depth)
{
    uint32_t cn = ts_node_named_child_count(pair);
    TSNode key = {0}, val = {0};
    bool have_key = false, have_val = false;
    for (uint32_t i = 0; i < cn; i++) {
        TSNode ch = ts_node_named_child(pair, i);
        if (strcmp(ts_node_type(ch), "comment") == 0) continue;
        if (!have_key && is_key(ch)) { key = ch; have_key = true; }
        else if (!have_val) { val = ch; have_val = true; }
    }
    if (!have_key || !have_val) return;
    const char *segs[TOML_MAX_KEYS];
    size_t ns = 0;
    key_segments(c, key, segs, &ns);
    if (c->st != PA_OK || ns == 0) return;
    struct pa_dn *parent = descend(c, table, segs, ns - 1, node_line(pair));
    if (!parent) return;
    struct pa_dn *value = convert_value(c, val, depth + 1);
    if (!value) return;
    pa_dn_push(parent, key_node(c, segs[ns - 1], node_line(key)), value);
}

static double parse_int(const char *t)
{
    char buf[96];
    size_t k = 0;
    for (const char *p = t; *p && k + 1 < sizeof buf; p++)
        if (*p != '_') buf[k++] = *p;
    buf[k] = '\0';
    const char *p = buf;
    int sign = 1;
    if (*p == '+' || *p == '-') { sign = *p == '-' ? -1 : 1; p++; }
    int base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b')) {
        base = p[1] == 'x' ? 16 : p[1] == 'o' ? 8 : 2;
        p += 2;
    }
    return sign * (double)strtoull(p, NULL, base);
}

static struct pa_dn *convert_value(struct toml_ctx *c, TSNode v, int depth)
{
    if (depth > TOML_MAX_DEPTH) {
        fail(c, PA_ERR_LIMIT, node_line(v), pa_xasprintf("nesting deeper than %d levels", TOML_MAX_DEPTH));
        return NULL;
    }
    const char *t = ts_node_type(v);
    uint32_t line = node_line(v);
    struct pa_dn *n;
    if (strcmp(t, "string") == 0) {
        n = pa_doc_node(c->d, PA_DN_STR, line);
        uint32_t a = ts_node_start_byte(v), z = ts_node_end_byte(v);
        n->str = decode_string(c, c->src + a, z - a);
    } else if (strcmp(t, "integer") == 0) {
        n = pa_doc_node(c->d, PA_DN_INT, line);
        n->str = node_text(c, v);
        n->num = parse_int(n->str);
    } else if (strcmp(t, "float") == 0) {
        n = pa_doc_node(c->d, PA_DN_FLOAT, line);
        n->str = node_text(c, v);
        char buf[96];
        size_t k = 0;
        for (const char *p = n->str; *p && k + 1 < sizeof buf; p++)
            if (*p != '_') buf[k++] = *p;
        buf[k] = '\0';
        n->num = strtod(buf, NULL);
    } else if (strcmp(t, "boolean") == 0) {
        n = pa_doc_node(c->d, PA_DN_BOOL, line);
        n->str = node_text(c, v);
        n->b = strcmp(n->str, "true") == 0;
    } else if (strcmp(t, "array") == 0) {
        n = pa_doc_node(c->d, PA_DN_SEQ, line);
        uint32_t cn = ts_node_named_child_count(v);
        for (uint32_t i = 0; i < cn && c->st == PA_OK; i++) {
            TSNode ch = ts_node_named_child(v, i);
            if (strcmp(ts_node_type(ch), "comment") == 0) continue;
            struct pa_dn *item = convert_value(c, ch, depth + 1);
            if (item) pa_dn_push(n, NULL, item);
        }
    } else if (strcmp(t, "inline_table") == 0) {
        n = pa_doc_node(c->d, PA_DN_MAP, line);
        uint32_t cn = ts_node_named_child_count(v);
        for (uint32_t i = 0; i < cn && c->st == PA_OK; i++) {
            TSNode ch = ts_node_named_child(v, i);
            if (strcmp(ts_node_type(ch), "pair") == 0) convert_pair(c, n, ch, depth + 1);
        }
    } else {
        n = pa_doc_node(c->d, PA_DN_OTHER, line);
        n->str = node_text(c, v);
    }
    return n;
}

/* First ERROR or MISSING node in document order. */
static bool find_error(TSNode n, TSNode *out, int depth)
{
    if (ts_node_is_missing(n) || strcmp(ts_node_type(n), "ERROR") == 0) { *out = n; return true; }
    if (!ts_node_has_error(n) || depth > 256) return false;
    uint32_t cn = ts_node_child_count(n);
    for (uint32_t i = 0; i < cn; i++)
        if (find_error(ts_node_child(n, i), out, depth + 1)) return true;
    return false;
}

static void convert_header(struct toml_ctx *c, TSNode tbl, bool array)
{
    uint32_t cn = ts_node_named_child_count(tbl);
    const char *segs[TOML_MAX_KEYS];
    size_t ns = 0;
    uint32_t line = node_line(tbl);
    uint32_t i = 0;
    for (; i < cn; i++) {
        TSNode ch = ts_node_named_child(tbl, i);
        if (is_key(ch)) { key_segments(c, ch, segs, &ns); i++; break; }
    }
    if (c->st != PA_OK || ns == 0) return;
    struct pa_dn *target;
    if (array) {
        struct pa_dn *parent = descend(c, c->d->root, segs, ns - 1, line);
        if (!parent) return;
        struct pa_dn *arr = direct_get(parent, segs[ns - 1]);
        if (!arr) {
            arr = pa_doc_node(c->d, PA_DN_SEQ, line);
            pa_dn_push(parent, key_node(c, segs[ns - 1], line), arr);
        } else if (arr->kind != PA_DN_SEQ) {
            fail(c, PA_ERR_PARSE, line, pa_xasprintf("key '%s' is not an array of tables", segs[ns - 1]));
            return;
        }
        target = pa_doc_node(c->d, PA_DN_MAP, line);
        pa_dn_push(arr, NULL, target);
    } else {
        target = descend(c, c->d->root, segs, ns, line);
        if (!target) return;
        target->toml_implicit = false;
        target->line = line;
    }
    for (; i < cn && c->st == PA_OK; i++) {
        TSNode ch = ts_node_named_child(tbl, i);
        if (strcmp(ts_node_type(ch), "pair") == 0) convert_pair(c, target, ch, 0);
    }
}

pa_status pa_toml_load(struct pa_doc *d, const char *text, size_t len, uint32_t *line, char **msg)
{
    *line = 0;
    *msg = NULL;
    if (len > UINT32_MAX / 2) {
        *msg = pa_xstrdup("file too large");
        return PA_ERR_LIMIT;
    }
    if (memchr(text, '\0', len)) {
        const char *z = memchr(text, '\0', len);
        uint32_t ln = 1;
        for (const char *p = text; p < z; p++) ln += *p == '\n';
        *line = ln;
        *msg = pa_xstrdup("binary content (NUL byte)");
        return PA_ERR_PARSE;
    }
    TSParser *p = ts_parser_new();
    if (!ts_parser_set_language(p, tree_sitter_toml())) {
        ts_parser_delete(p);
        *msg = pa_xstrdup("TOML grammar version mismatch");
        return PA_ERR_INTERNAL;
    }
    ts_parser_set_timeout_micros(p, 5u * 1000u * 1000u);
    TSTree *tree = ts_parser_parse_string(p, NULL, text, (uint32_t)len);
    if (!tree) {
        ts_parser_delete(p);
        *msg = pa_xstrdup("TOML parse timed out");
        return PA_ERR_LIMIT;
    }
    struct toml_ctx c = {d, text, 0, NULL, PA_OK};
    TSNode root = ts_tree_root_node(tree);
    TSNode err;
    if (ts_node_has_error(root) && find_error(root, &err, 0)) {
        uint32_t a = ts_node_start_byte(err);
        size_t k = 0;
        while (a + k < len && k < 24 && text[a + k] != '\n') k++;
        fail(&c, PA_ERR_PARSE, node_line(err),
             k ? pa_xasprintf("syntax error near '%.*s'", (int)k, text + a) : pa_xstrdup("syntax error (unexpected end)"));
    } else if (ts_node_has_error(root)) {
        fail(&c, PA_ERR_PARSE, 1, pa_xstrdup("syntax error"));
    }
    if (c.st == PA_OK) {
        d->root = pa_doc_node(d, PA_DN_MAP, 1);
        uint32_t cn = ts_node_named_child_count(root);
        for (uint32_t i = 0; i < cn && c.st == PA_OK; i++) {
            TSNode ch = ts_node_named_child(root, i);
            const char *t = ts_node_type(ch);
            if (strcmp(t, "pair") == 0) convert_pair(&c, d->root, ch, 0);
            else if (strcmp(t, "table") == 0) convert_header(&c, ch, false);
            else if (strcmp(t, "table_array_element") == 0) convert_header(&c, ch, true);
        }
    }
    ts_tree_delete(tree);
    ts_parser_delete(p);
    *line = c.line;
    *msg = c.msg;
    return c.st;
}
