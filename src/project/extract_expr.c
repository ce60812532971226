/* extract_expr.c - expression helpers of the fact extractor: source text
 * (truncated, valid UTF-8), expression kind/flags, callee chains, copy
 * expressions, and the pool of child-iteration cursors.
 *
 * DESIGN: nothing here recurses on the tree shape except the literal check,
 * which is bounded to two levels; chains are followed with loops and capped.
 * Texts and callees are interned per file (pa_ex_intern: equal strings share
 * one arena copy - the facts of a file repeat "self", "len", "None" … a lot);
 * the table lives in the parser's pa_ex, one per pool thread.
 */
#include <string.h>

#include "project/extract_int.h"

#define CHAIN_MAX 64   /* callee chain components followed before giving up ("?") */

TSTreeCursor *pa_ex_cursor(struct pa_ex *x, TSNode n)
{
    if (x->ncur >= PA_EX_CURSORS) {  /* programming error: nesting deeper than the pool */
        pa_error("extract: cursor pool exhausted");
        abort();
    }
    int i = x->ncur++;
    if (!x->cur_init[i]) {
        x->cur[i] = ts_tree_cursor_new(n);
        x->cur_init[i] = true;
    } else {
        ts_tree_cursor_reset(&x->cur[i], n);
    }
    return &x->cur[i];
}

void pa_ex_cursor_put(struct pa_ex *x) { x->ncur--; }

uint32_t pa_ex_hash32(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 16777619u; }
    return h;
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t k;
    uint32_t cp, min;
    if (c < 0xC2) return 0;
    if (c < 0xE0) { k = 2; cp = c & 0x1F; min = 0x80; }
    else if (c < 0xF0) { k = 3; cp = c & 0x0F; min = 0x800; }
    else if (c < 0xF5) { k = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (n < k) return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return k;
}

const char *pa_ex_text_range(struct pa_ex *x, uint32_t start, uint32_t end)
{
    if (end > x->len) end = (uint32_t)x->len;
    if (start > end) start = end;
    const unsigned char *s = (const unsigned char *)x->src + start;
    size_t n = end - start;
    bool cut = false;
    if (n > PA_TEXT_MAX) {
        n = PA_TEXT_MAX - 3;  /* room for "…" */
        while (n > 0 && (s[n] & 0xC0) == 0x80) n--;
        cut = true;
    }
    char out[PA_TEXT_MAX + 8];   /* n <= PA_TEXT_MAX; each input byte gives at most one output byte */
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x80) { out[o++] = (char)c; i++; continue; }
        if (c < 0x80) { out[o++] = c ? (char)c : '?'; i++; continue; }
        size_t k = utf8_seq(s + i, n - i);
        if (!k) { out[o++] = '?'; i++; continue; }
        memcpy(out + o, s + i, k);
        o += k;
        i += k;
    }
    if (cut) { memcpy(out + o, "\xE2\x80\xA6", 3); o += 3; }
    return pa_ex_intern(x, out, o);
}

void pa_ex_intern_reset(struct pa_ex *x)
{
    x->intern_n = 0;
    if (++x->intern_gen == 0) {   /* wrapped: clear the stamps once */
        if (x->intern) memset(x->intern, 0, x->intern_cap * sizeof *x->intern);
        x->intern_gen = 1;
    }
}

static void intern_grow(struct pa_ex *x)
{
    size_t ncap = x->intern_cap ? x->intern_cap * 2 : 1024;
    struct pa_ex_istr *nt = pa_xcalloc(ncap, sizeof *nt);
    for (size_t i = 0; i < x->intern_cap; i++) {
        struct pa_ex_istr *e = &x->intern[i];
        if (e->gen != x->intern_gen) continue;
        size_t k = e->hash & (ncap - 1);
        while (nt[k].gen == x->intern_gen) k = (k + 1) & (ncap - 1);
        nt[k] = *e;
    }
    free(x->intern);
    x->intern = nt;
    x->intern_cap = ncap;
}

const char *pa_ex_intern(struct pa_ex *x, const char *s, size_t n)
{
    if (x->intern_gen == 0) x->intern_gen = 1;
    if ((x->intern_n + 1) * 2 > x->intern_cap) intern_grow(x);
    uint32_t h = pa_ex_hash32(s, n);
    size_t k = h & (x->intern_cap - 1);
    for (;; k = (k + 1) & (x->intern_cap - 1)) {
        struct pa_ex_istr *e = &x->intern[k];
        if (e->gen != x->intern_gen) break;
        if (e->hash == h && e->len == n && memcmp(e->s, s, n) == 0) return e->s;
    }
    const char *c = pa_arena_strndup(x->arena, s, n);
    x->intern[k] = (struct pa_ex_istr){c, (uint32_t)n, h, x->intern_gen};
    x->intern_n++;
    return c;
}

const char *pa_ex_text(struct pa_ex *x, TSNode n)
{
    if (ts_node_is_null(n)) return NULL;
    return pa_ex_text_range(x, ts_node_start_byte(n), ts_node_end_byte(n));
}

TSNode pa_ex_first_named(struct pa_ex *x, TSNode n)
{
    TSNode none = {{0, 0, 0, 0}, NULL, NULL};
    uint32_t cnt = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < cnt && i < 4; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (pa_ex_kind(x, c) != K_COMMENT) return c;
    }
    return none;
}

TSNode pa_ex_unparen(struct pa_ex *x, TSNode n)
{
    for (int guard = 0; guard < 256 && !ts_node_is_null(n) && pa_ex_kind(x, n) == K_PAREN; guard++) {
        TSNode in = pa_ex_first_named(x, n);
        if (ts_node_is_null(in)) break;
        n = in;
    }
    return n;
}

/* String literal kind from its prefix (f/b/r/u letters before the quote). */
uint8_t pa_ex_string_kind(struct pa_ex *x, TSNode s)
{
    TSNode st = ts_node_child(s, 0);
    if (ts_node_is_null(st)) return PA_EXPR_STR;
    uint32_t a = ts_node_start_byte(st), b = ts_node_end_byte(st);
    uint8_t k = PA_EXPR_STR;
    for (uint32_t i = a; i < b && i < x->len; i++) {
        char c = x->src[i];
        if (c == 'f' || c == 'F' || c == 't' || c == 'T') k = PA_EXPR_FSTRING;
        else if (c == 'b' || c == 'B') k = PA_EXPR_BYTES;
        else if (c == '"' || c == '\'') break;
    }
    return k;
}

static uint8_t concat_kind(struct pa_ex *x, TSNode n)
{
    uint8_t k = PA_EXPR_STR;
    TSTreeCursor *cu = pa_ex_cursor(x, n);
    if (ts_tree_cursor_goto_first_child(cu)) do {
        TSNode c = ts_tree_cursor_current_node(cu);
        if (pa_ex_kind(x, c) != K_STRING) continue;
        uint8_t sk = pa_ex_string_kind(x, c);
        if (sk == PA_EXPR_FSTRING) k = PA_EXPR_FSTRING;
        else if (sk == PA_EXPR_BYTES && k == PA_EXPR_STR) k = PA_EXPR_BYTES;
    } while (ts_tree_cursor_goto_next_sibling(cu));
    pa_ex_cursor_put(x);
    return k;
}

static bool text_is(struct pa_ex *x, TSNode n, const char *s)
{
    if (ts_node_is_null(n)) return false;
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    size_t l = strlen(s);
    return b - a == l && b <= x->len && memcmp(x->src + a, s, l) == 0;
}

static bool is_scalar_literal(struct pa_ex *x, TSNode n)
{
    n = pa_ex_unparen(x, n);
    switch (pa_ex_kind(x, n)) {
    case K_STRING: return pa_ex_string_kind(x, n) != PA_EXPR_FSTRING;
    case K_CONCAT_STRING: return concat_kind(x, n) != PA_EXPR_FSTRING;
    case K_INTEGER: case K_FLOAT: case K_TRUE: case K_FALSE: case K_NONE: case K_ELLIPSIS: return true;
    case K_UNARY: {
        TSNode a = pa_ex_field(x, n, F_ARGUMENT);
        uint8_t k = ts_node_is_null(a) ? K_OTHER : pa_ex_kind(x, a);
        return k == K_INTEGER || k == K_FLOAT;
    }
    default: return false;
    }
}

#define ELEMS_SCAN 64  /* elements inspected; larger literals are judged by their head */

/* Count the elements of a collection literal; report whether all are literals
 * (depth bounds the nesting of literal collections accepted). Past
 * ELEMS_SCAN elements the count is the named-child count (comments in a huge
 * literal may be counted) and the literal test uses the first elements. */
static uint32_t collection_elems(struct pa_ex *x, TSNode n, bool *all_lit, int depth)
{
    uint32_t cnt = 0;
    bool lit = true;
    TSTreeCursor *cu = pa_ex_cursor(x, n);
    if (ts_tree_cursor_goto_first_child(cu)) do {
        TSNode c = ts_tree_cursor_current_node(cu);
        if (!ts_node_is_named(c)) continue;
        uint8_t k = pa_ex_kind(x, c);
        if (k == K_COMMENT) continue;
        if (cnt == ELEMS_SCAN) {
            uint32_t all = ts_node_named_child_count(n);
            cnt = all > cnt ? all : cnt;
            break;
        }
        cnt++;
        if (!lit) continue;
        if (k == K_PAIR) {
            TSNode kk = pa_ex_field(x, c, F_KEY), vv = pa_ex_field(x, c, F_VALUE);
            if (ts_node_is_null(kk) || ts_node_is_null(vv) || !is_scalar_literal(x, kk)) { lit = false; continue; }
            uint8_t vk = pa_ex_kind(x, vv);
            if (is_scalar_literal(x, vv)) continue;
            if (depth > 0 && (vk == K_TUPLE || vk == K_LIST || vk == K_SET || vk == K_DICT)) {
                bool sub = true;
                collection_elems(x, vv, &sub, depth - 1);
                if (!sub) lit = false;
                continue;
            }
            lit = false;
        } else if (is_scalar_literal(x, c)) {
            continue;
        } else if (depth > 0 && (k == K_TUPLE || k == K_LIST || k == K_SET || k == K_DICT)) {
            bool sub = true;
            collection_elems(x, c, &sub, depth - 1);
            if (!sub) lit = false;
        } else {
            lit = false;
        }
    } while (ts_tree_cursor_goto_next_sibling(cu));
    pa_ex_cursor_put(x);
    *all_lit = lit;
    return cnt;
}

/* A string-ish operand of a '+' chain: string literal, f-string, str(...). */
static bool is_strish(struct pa_ex *x, TSNode n)
{
    n = pa_ex_unparen(x, n);
    uint8_t k = pa_ex_kind(x, n);
    if (k == K_STRING) return pa_ex_string_kind(x, n) != PA_EXPR_BYTES;
    if (k == K_CONCAT_STRING) return concat_kind(x, n) != PA_EXPR_BYTES;
    if (k == K_CALL) {
        TSNode fn = pa_ex_field(x, n, F_FUNCTION);
        return pa_ex_kind(x, fn) == K_IDENT && (text_is(x, fn, "str") || text_is(x, fn, "repr"));
    }
    return false;
}

static bool binop_is_plus(struct pa_ex *x, TSNode n)
{
    return text_is(x, pa_ex_field(x, n, F_OPERATOR), "+");
}

static bool str_concat(struct pa_ex *x, TSNode n)
{
    for (int guard = 0; guard < 100000; guard++) {
        if (!binop_is_plus(x, n)) return false;
        if (is_strish(x, pa_ex_field(x, n, F_RIGHT))) return true;
        TSNode l = pa_ex_unparen(x, pa_ex_field(x, n, F_LEFT));
        if (ts_node_is_null(l)) return false;
        if (pa_ex_kind(x, l) != K_BINOP) return is_strish(x, l);
        n = l;
    }
    return false;
}

static bool str_call(struct pa_ex *x, TSNode call)
{
    TSNode fn = pa_ex_unparen(x, pa_ex_field(x, call, F_FUNCTION));
    if (ts_node_is_null(fn)) return false;
    uint8_t k = pa_ex_kind(x, fn);
    if (k == K_IDENT) return text_is(x, fn, "str") || text_is(x, fn, "repr");
    if (k == K_ATTR) {
        TSNode a = pa_ex_field(x, fn, F_ATTRIBUTE);
        if (!text_is(x, a, "format") && !text_is(x, a, "join")) return false;
        TSNode o = pa_ex_unparen(x, pa_ex_field(x, fn, F_OBJECT));
        uint8_t ok = ts_node_is_null(o) ? K_OTHER : pa_ex_kind(x, o);
        return ok == K_STRING || ok == K_CONCAT_STRING;
    }
    return false;
}

static bool slice_all(struct pa_ex *x, TSNode sub)
{
    TSNode s = pa_ex_field(x, sub, F_SUBSCRIPT);
    if (ts_node_is_null(s) || pa_ex_kind(x, s) != K_SLICE) return false;
    if (ts_node_named_child_count(sub) != 2) return false;
    return ts_node_named_child_count(s) == 0;
}

uint8_t pa_ex_expr_info(struct pa_ex *x, TSNode n, uint8_t *flags, uint32_t *nelems)
{
    *flags = 0;
    *nelems = 0;
    if (ts_node_is_null(n)) return PA_EXPR_OTHER;
    n = pa_ex_unparen(x, n);
    bool lit = false;
    switch (pa_ex_kind(x, n)) {
    case K_IDENT: return PA_EXPR_NAME;
    case K_ATTR: return PA_EXPR_ATTR;
    case K_CALL:
        if (str_call(x, n)) *flags |= PA_XF_STR_CALL;
        return PA_EXPR_CALL;
    case K_AWAIT: return PA_EXPR_AWAIT;
    case K_STRING: return pa_ex_string_kind(x, n);
    case K_CONCAT_STRING: return concat_kind(x, n);
    case K_INTEGER: case K_FLOAT: return PA_EXPR_NUM;
    case K_UNARY: return is_scalar_literal(x, n) ? PA_EXPR_NUM : PA_EXPR_OTHER;
    case K_TRUE: case K_FALSE: return PA_EXPR_BOOL;
    case K_NONE: return PA_EXPR_NONE;
    case K_LIST: case K_LIST_PATTERN:
        *nelems = collection_elems(x, n, &lit, 2);
        if (lit) *flags |= PA_XF_LITERAL;
        return PA_EXPR_LIST;
    case K_TUPLE: case K_EXPR_LIST: case K_PATTERN_LIST: case K_TUPLE_PATTERN:
        *nelems = collection_elems(x, n, &lit, 2);
        if (lit) *flags |= PA_XF_LITERAL;
        return PA_EXPR_TUPLE;
    case K_SET:
        *nelems = collection_elems(x, n, &lit, 2);
        if (lit) *flags |= PA_XF_LITERAL;
        return PA_EXPR_SET;
    case K_DICT:
        *nelems = collection_elems(x, n, &lit, 2);
        if (lit) *flags |= PA_XF_LITERAL;
        return PA_EXPR_DICT;
    case K_LISTCOMP: return PA_EXPR_LISTCOMP;
    case K_SETCOMP: return PA_EXPR_SETCOMP;
    case K_DICTCOMP: return PA_EXPR_DICTCOMP;
    case K_GENEXP: return PA_EXPR_GENEXP;
    case K_LAMBDA: return PA_EXPR_LAMBDA;
    case K_BINOP:
        if (str_concat(x, n)) *flags |= PA_XF_STR_CONCAT;
        return PA_EXPR_BINOP;
    case K_SUBSCRIPT:
        if (slice_all(x, n)) *flags |= PA_XF_SLICE_ALL;
        return PA_EXPR_SUBSCRIPT;
    case K_COMPARE: return PA_EXPR_COMPARE;
    case K_BOOLOP: case K_NOT: return PA_EXPR_BOOLOP;
    case K_CONDEXPR: return PA_EXPR_COND;
    default: return PA_EXPR_OTHER;
    }
}

enum { PART_NAME = 0, PART_CALL, PART_UNKNOWN };

static void part_push(struct pa_ex *x, size_t *np, const char *s, uint32_t len, uint8_t what)
{
    if (*np >= x->parts_cap) {
        x->parts_cap = x->parts_cap ? x->parts_cap * 2 : 32;
        x->parts = pa_xrealloc(x->parts, x->parts_cap * sizeof *x->parts);
    }
    x->parts[*np].s = s;
    x->parts[*np].len = len;
    x->parts[*np].what = what;
    (*np)++;
}

void pa_ex_callee(struct pa_ex *x, TSNode fn, const char **callee, const char **base, const char **attr,
                  TSNode *recv)
{
    TSNode none = {{0, 0, 0, 0}, NULL, NULL};
    *recv = none;
    *base = NULL;
    size_t np = 0;
    bool passed_attr = false;
    TSNode n = fn;
    for (int steps = 0;; steps++) {
        if (ts_node_is_null(n) || steps >= CHAIN_MAX) { part_push(x, &np, "?", 1, PART_UNKNOWN); break; }
        uint8_t k = pa_ex_kind(x, n);
        if (k == K_IDENT) {
            uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
            part_push(x, &np, x->src + a, b - a, PART_NAME);
            *base = pa_ex_text_range(x, a, b);
            break;
        }
        if (k == K_ATTR) {
            TSNode at = pa_ex_field(x, n, F_ATTRIBUTE);
            if (ts_node_is_null(at)) { part_push(x, &np, "?", 1, PART_UNKNOWN); break; }
            uint32_t a = ts_node_start_byte(at), b = ts_node_end_byte(at);
            part_push(x, &np, x->src + a, b - a, PART_NAME);
            passed_attr = true;
            n = pa_ex_field(x, n, F_OBJECT);
            continue;
        }
        if (k == K_CALL) {
            part_push(x, &np, "()", 2, PART_CALL);
            if (passed_attr && ts_node_is_null(*recv)) *recv = n;
            n = pa_ex_field(x, n, F_FUNCTION);
            continue;
        }
        if (k == K_AWAIT || k == K_PAREN) {
            n = pa_ex_first_named(x, n);
            continue;
        }
        part_push(x, &np, "?", 1, PART_UNKNOWN);
        break;
    }
    pa_buf *t = &x->tmp;
    pa_buf_reset(t);
    for (size_t i = np; i-- > 0;) {
        if (x->parts[i].what == PART_NAME && i != np - 1) pa_buf_putc(t, '.');
        pa_buf_append(t, x->parts[i].s, x->parts[i].len);
    }
    /* identifiers are valid UTF-8 by grammar; sanitize anyway through the
     * text routine when anything non-ASCII is present */
    bool ascii = true;
    for (size_t i = 0; i < t->len; i++)
        if ((unsigned char)t->s[i] >= 0x80 || t->s[i] == 0) { ascii = false; break; }
    char *c;
    if (ascii) {
        c = (char *)pa_ex_intern(x, t->s, t->len);   /* not written to below */
    } else {
        c = pa_arena_strndup(x->arena, t->s, t->len);
        for (size_t i = 0; i < t->len; i++)
            if (c[i] == 0) c[i] = '?';
        if (!pa_utf8_valid(c, t->len))
            for (size_t i = 0; i < t->len; i++)
                if ((unsigned char)c[i] >= 0x80) c[i] = '?';
    }
    *callee = c;
    const char *dot = strrchr(c, '.');
    *attr = dot ? dot + 1 : c;
}

bool pa_ex_value_call(struct pa_ex *x, TSNode v, TSNode *call)
{
    if (ts_node_is_null(v)) return false;
    v = pa_ex_unparen(x, v);
    if (pa_ex_kind(x, v) == K_AWAIT) v = pa_ex_unparen(x, pa_ex_first_named(x, v));
    if (ts_node_is_null(v) || pa_ex_kind(x, v) != K_CALL) return false;
    *call = v;
    return true;
}

bool pa_ex_is_copy_expr(struct pa_ex *x, TSNode v)
{
    if (ts_node_is_null(v)) return false;
    v = pa_ex_unparen(x, v);
    switch (pa_ex_kind(x, v)) {
    case K_LIST: case K_DICT: case K_SET: case K_LISTCOMP: case K_SETCOMP: case K_DICTCOMP: return true;
    case K_SUBSCRIPT: return slice_all(x, v);
    case K_CALL: {
        TSNode fn = pa_ex_field(x, v, F_FUNCTION);
        if (ts_node_is_null(fn)) return false;
        uint8_t k = pa_ex_kind(x, fn);
        if (k == K_IDENT)
            return text_is(x, fn, "list") || text_is(x, fn, "dict") || text_is(x, fn, "set") ||
                   text_is(x, fn, "deepcopy");
        if (k == K_ATTR) {
            TSNode a = pa_ex_field(x, fn, F_ATTRIBUTE);
            return text_is(x, a, "copy") || text_is(x, a, "deepcopy");
        }
        return false;
    }
    default: return false;
    }
}
