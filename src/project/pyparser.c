/* pyparser.c - the per-thread Python parser handle: a TSParser for
 * tree-sitter-python, the symbol/field lookup tables the extractor switches
 * on, the parse call with its timeout, and pa_parse_only (the parse floor).
 *
 * DESIGN
 * - pa_py_parser_new looks every node kind and field up once
 *   (ts_language_symbol_for_name / ts_language_field_id_for_name) and builds
 *   dense tables symbol -> K_*, field -> F_*.
 * - A parser and its scratch state belong to one thread at a time.
 * - Every parse gets a timeout proportional to the input size so a hostile
 *   file cannot hang a pool thread; a timed-out parser is reset.
 */
#include <stdlib.h>
#include <string.h>

#include "project/extract_int.h"

const TSLanguage *tree_sitter_python(void);

struct kind_name {
    uint8_t kind;       /* K_* */
    const char *name;   /* grammar node name */
    bool named;         /* named node (vs. anonymous token) */
};

#define PA_PY_KIND_ROW(k, n, named) {k, n, named},
static const struct kind_name KINDS[] = {PA_PY_KINDS(PA_PY_KIND_ROW)};
#undef PA_PY_KIND_ROW

#define PA_PY_FIELD_ROW(f, n) {f, n},
static const struct { uint8_t field; const char *name; } FIELDS[] = {PA_PY_FIELDS(PA_PY_FIELD_ROW)};
#undef PA_PY_FIELD_ROW

/* Parents whose children's fields matter to child_ctx, on_ident, on_attr
 * and the nested-assignment test (keep in step with extract.c). */
static const uint8_t FIELD_PARENTS[] = {
    K_CALL, K_ATTR, K_FUNCDEF, K_LAMBDA, K_CLASSDEF, K_FOR, K_WHILE, K_FOR_IN, K_WITH, K_TRY,
    K_ASSIGN, K_AUGASSIGN, K_NAMED_EXPR, K_KWARG, K_DEFAULT_PARAM, K_TYPED_DEFAULT_PARAM, K_SUBSCRIPT,
};

static const uint8_t STMT_KINDS[] = {
    K_EXPR_STMT, K_RETURN, K_RAISE, K_CONTINUE, K_BREAK, K_PASS, K_DELETE, K_GLOBAL, K_NONLOCAL,
    K_FOR, K_WHILE, K_WITH, K_TRY, K_IF, K_IMPORT, K_IMPORT_FROM, K_FUTURE_IMPORT, K_FUNCDEF,
    K_CLASSDEF, K_DECORATED, K_MATCH, K_ASSERT, K_PRINT, K_EXEC, K_TYPE_ALIAS,
};

pa_py_parser *pa_py_parser_new(void)
{
    pa_py_parser *p = pa_xcalloc(1, sizeof *p);
    p->lang = tree_sitter_python();
    p->ts = ts_parser_new();
    if (!p->ts || !ts_parser_set_language(p->ts, p->lang)) {
        pa_error("tree-sitter-python grammar is incompatible with the tree-sitter runtime");
        abort();
    }
    p->nsyms = ts_language_symbol_count(p->lang);
    p->kind_of = pa_xcalloc(p->nsyms ? p->nsyms : 1, 1);
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++) {
        const char *nm = KINDS[i].name;
        TSSymbol s = ts_language_symbol_for_name(p->lang, nm, (uint32_t)strlen(nm), KINDS[i].named);
        if (s > 0 && s < p->nsyms) p->kind_of[s] = KINDS[i].kind;
    }
    /* Aliased and duplicate symbols: map every visible symbol whose name
     * matches a kind (ts_node_symbol returns public symbols, but be safe). */
    for (uint32_t s = 1; s < p->nsyms; s++) {
        if (p->kind_of[s]) continue;
        const char *nm = ts_language_symbol_name(p->lang, (TSSymbol)s);
        TSSymbolType ty = ts_language_symbol_type(p->lang, (TSSymbol)s);
        if (!nm || ty == TSSymbolTypeAuxiliary) continue;
        for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
            if (KINDS[i].named == (ty == TSSymbolTypeRegular) && strcmp(KINDS[i].name, nm) == 0) {
                p->kind_of[s] = KINDS[i].kind;
                break;
            }
    }
    p->nfields = ts_language_field_count(p->lang);
    p->field_of = pa_xcalloc(p->nfields + 1, 1);
    for (size_t i = 0; i < sizeof FIELDS / sizeof FIELDS[0]; i++) {
        const char *nm = FIELDS[i].name;
        TSFieldId id = ts_language_field_id_for_name(p->lang, nm, (uint32_t)strlen(nm));
        p->fid[FIELDS[i].field] = id;
        if (id > 0 && id <= p->nfields) p->field_of[id] = FIELDS[i].field;
    }
    for (size_t i = 0; i < sizeof STMT_KINDS; i++) p->is_stmt[STMT_KINDS[i]] = true;
    for (size_t i = 0; i < sizeof FIELD_PARENTS; i++) p->needs_field[FIELD_PARENTS[i]] = true;
    p->ex.P = p;
    p->ex.frames = pa_xcalloc(PA_EX_MAX_DEPTH + 2, sizeof *p->ex.frames);
    pa_buf_init(&p->ex.tmp);
    return p;
}

void pa_py_parser_free(pa_py_parser *p)
{
    if (!p) return;
    struct pa_ex *x = &p->ex;
    pa_buf_free(&p->img);
    for (int i = 0; i < PA_EX_CURSORS; i++)
        if (x->cur_init[i]) ts_tree_cursor_delete(&x->cur[i]);
    free(x->frames);
    pa_vec_free(&x->pend);
    pa_vec_free(&x->uses);
    pa_vec_free(&x->cands);
    pa_vec_free(&x->loopx);
    pa_vec_free(&x->names);
    pa_vec_free(&x->fstmt);
    pa_vec_free(&x->cattrs);
    pa_vec_free(&x->supps);
    pa_vec_free(&x->nodes);
    pa_vec_free(&x->lineinfo);
    pa_vec_free(&x->funcs);
    pa_vec_free(&x->classes);
    pa_vec_free(&x->imports);
    pa_vec_free(&x->calls);
    pa_vec_free(&x->loops);
    pa_vec_free(&x->withs);
    pa_vec_free(&x->tries);
    pa_vec_free(&x->assigns);
    pa_vec_free(&x->attr_uses);
    pa_vec_free(&x->returns);
    pa_vec_free(&x->name_uses);
    pa_buf_free(&x->tmp);
    free(x->intern);
    free(x->parts);
    ts_parser_delete(p->ts);
    free(p->kind_of);
    free(p->field_of);
    free(p);
}

pa_status pa_py_parse(struct pa_py_parser *p, const char *src, size_t len, TSTree **out, const char **reason)
{
    *out = NULL;
    if (len > (size_t)UINT32_MAX / 2) {
        if (reason) *reason = "file too large to parse";
        return PA_ERR_LIMIT;
    }
    /* 3 s plus 4 s per MiB: generous for real code, bounded for hostile input. */
    uint64_t micros = 3000000ull + (uint64_t)len * 4;
    ts_parser_set_timeout_micros(p->ts, micros);
    TSTree *t = ts_parser_parse_string(p->ts, NULL, src, (uint32_t)len);
    if (!t) {
        ts_parser_reset(p->ts);
        if (reason) *reason = "parser timeout";
        return PA_ERR_PARSE;
    }
    *out = t;
    return PA_OK;
}

pa_status pa_parse_only(pa_py_parser *p, const char *src, size_t len, const char **reason)
{
    if (reason) *reason = NULL;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) { src += 3; len -= 3; }
    TSTree *t;
    pa_status st = pa_py_parse(p, src, len, &t, reason);
    if (st != PA_OK) return st;
    ts_tree_delete(t);
    return PA_OK;
}
