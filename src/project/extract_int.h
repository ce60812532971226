/* extract_int.h - private header of the fact extractor (pyparser.c,
 * extract.c, extract_expr.c, extract_lines.c): the Python parser handle with
 * its symbol/field tables and the per-parser scratch state of one extraction.
 *
 * DESIGN
 * - One pa_py_parser per parse thread. Symbol ids and field ids of the
 *   tree-sitter-python grammar are looked up once in pa_py_parser_new and
 *   mapped to the small internal enums K_* / F_* so the walk can switch on
 *   them.
 * - struct pa_ex holds everything one extraction needs (frame stack, pending
 *   index fix-ups, buffered name uses, scratch vectors). It lives inside the
 *   parser and is reused from file to file, so the hot path does no per-node
 *   malloc; finished facts are copied into the file's arena at the end.
 * - Nothing here is shared between threads.
 */
#ifndef PA_EXTRACT_INT_H
#define PA_EXTRACT_INT_H

#include <tree_sitter/api.h>

#include "pa/facts.h"

/* Node kinds the extractor cares about: X(enum, grammar name, named). */
#define PA_PY_KINDS(X)                                                                 \
    X(K_MODULE, "module", 1) X(K_IDENT, "identifier", 1) X(K_ATTR, "attribute", 1)     \
    X(K_CALL, "call", 1) X(K_ARGLIST, "argument_list", 1) X(K_KWARG, "keyword_argument", 1) \
    X(K_LIST_SPLAT, "list_splat", 1) X(K_DICT_SPLAT, "dictionary_splat", 1)            \
    X(K_PAREN, "parenthesized_expression", 1) X(K_AWAIT, "await", 1)                   \
    X(K_STRING, "string", 1) X(K_CONCAT_STRING, "concatenated_string", 1)              \
    X(K_STRING_START, "string_start", 1) X(K_INTERP, "interpolation", 1)               \
    X(K_INTEGER, "integer", 1) X(K_FLOAT, "float", 1) X(K_TRUE, "true", 1)             \
    X(K_FALSE, "false", 1) X(K_NONE, "none", 1) X(K_ELLIPSIS, "ellipsis", 1)           \
    X(K_LIST, "list", 1) X(K_TUPLE, "tuple", 1) X(K_DICT, "dictionary", 1)             \
    X(K_SET, "set", 1) X(K_PAIR, "pair", 1) X(K_LISTCOMP, "list_comprehension", 1)     \
    X(K_SETCOMP, "set_comprehension", 1) X(K_DICTCOMP, "dictionary_comprehension", 1)  \
    X(K_GENEXP, "generator_expression", 1) X(K_FOR_IN, "for_in_clause", 1)             \
    X(K_IF_CLAUSE, "if_clause", 1) X(K_LAMBDA, "lambda", 1)                            \
    X(K_LAMBDA_PARAMS, "lambda_parameters", 1) X(K_BINOP, "binary_operator", 1)        \
    X(K_UNARY, "unary_operator", 1) X(K_SUBSCRIPT, "subscript", 1) X(K_SLICE, "slice", 1) \
    X(K_COMPARE, "comparison_operator", 1) X(K_BOOLOP, "boolean_operator", 1)          \
    X(K_NOT, "not_operator", 1) X(K_CONDEXPR, "conditional_expression", 1)             \
    X(K_EXPR_LIST, "expression_list", 1) X(K_PATTERN_LIST, "pattern_list", 1)          \
    X(K_TUPLE_PATTERN, "tuple_pattern", 1) X(K_LIST_PATTERN, "list_pattern", 1)        \
    X(K_FUNCDEF, "function_definition", 1) X(K_CLASSDEF, "class_definition", 1)        \
    X(K_DECORATED, "decorated_definition", 1) X(K_DECORATOR, "decorator", 1)           \
    X(K_PARAMS, "parameters", 1) X(K_DEFAULT_PARAM, "default_parameter", 1)            \
    X(K_TYPED_PARAM, "typed_parameter", 1) X(K_TYPED_DEFAULT_PARAM, "typed_default_parameter", 1) \
    X(K_LIST_SPLAT_PATTERN, "list_splat_pattern", 1)                                   \
    X(K_DICT_SPLAT_PATTERN, "dictionary_splat_pattern", 1)                             \
    X(K_KW_SEP, "keyword_separator", 1) X(K_POS_SEP, "positional_separator", 1)        \
    X(K_BLOCK, "block", 1) X(K_EXPR_STMT, "expression_statement", 1)                   \
    X(K_ASSIGN, "assignment", 1) X(K_AUGASSIGN, "augmented_assignment", 1)             \
    X(K_NAMED_EXPR, "named_expression", 1) X(K_RETURN, "return_statement", 1)          \
    X(K_YIELD, "yield", 1) X(K_RAISE, "raise_statement", 1)                            \
    X(K_CONTINUE, "continue_statement", 1) X(K_BREAK, "break_statement", 1)            \
    X(K_PASS, "pass_statement", 1) X(K_DELETE, "delete_statement", 1)                  \
    X(K_GLOBAL, "global_statement", 1) X(K_NONLOCAL, "nonlocal_statement", 1)          \
    X(K_FOR, "for_statement", 1) X(K_WHILE, "while_statement", 1)                      \
    X(K_WITH, "with_statement", 1) X(K_WITH_CLAUSE, "with_clause", 1)                  \
    X(K_WITH_ITEM, "with_item", 1) X(K_AS_PATTERN, "as_pattern", 1)                    \
    X(K_AS_TARGET, "as_pattern_target", 1) X(K_TRY, "try_statement", 1)                \
    X(K_EXCEPT, "except_clause", 1) X(K_EXCEPT_GROUP, "except_group_clause", 1)        \
    X(K_ELSE, "else_clause", 1) X(K_FINALLY, "finally_clause", 1)                      \
    X(K_IF, "if_statement", 1) X(K_ELIF, "elif_clause", 1)                             \
    X(K_IMPORT, "import_statement", 1) X(K_IMPORT_FROM, "import_from_statement", 1)    \
    X(K_FUTURE_IMPORT, "future_import_statement", 1) X(K_ALIASED_IMPORT, "aliased_import", 1) \
    X(K_DOTTED_NAME, "dotted_name", 1) X(K_RELATIVE_IMPORT, "relative_import", 1)      \
    X(K_IMPORT_PREFIX, "import_prefix", 1) X(K_WILDCARD, "wildcard_import", 1)         \
    X(K_COMMENT, "comment", 1) X(K_TYPE, "type", 1) X(K_MATCH, "match_statement", 1)   \
    X(K_ASSERT, "assert_statement", 1) X(K_PRINT, "print_statement", 1)                \
    X(K_EXEC, "exec_statement", 1) X(K_TYPE_ALIAS, "type_alias_statement", 1)          \
    X(K_KEYWORD_PATTERN, "keyword_pattern", 1) X(K_CASE_CLAUSE, "case_clause", 1)      \
    X(K_CASE_PATTERN, "case_pattern", 1) X(K_ASYNC_KW, "async", 0)

#define PA_PY_KIND_ENUM(k, n, named) k,
enum { K_OTHER = 0, PA_PY_KINDS(PA_PY_KIND_ENUM) K_ERROR, K_COUNT };
#undef PA_PY_KIND_ENUM

/* Field names: X(enum, grammar name). */
#define PA_PY_FIELDS(X)                                                                \
    X(F_FUNCTION, "function") X(F_ARGUMENTS, "arguments") X(F_OBJECT, "object")        \
    X(F_ATTRIBUTE, "attribute") X(F_LEFT, "left") X(F_RIGHT, "right") X(F_BODY, "body") \
    X(F_NAME, "name") X(F_PARAMETERS, "parameters") X(F_RETURN_TYPE, "return_type")    \
    X(F_SUPERCLASSES, "superclasses") X(F_VALUE, "value") X(F_TYPE, "type")            \
    X(F_ALIAS, "alias") X(F_CONDITION, "condition") X(F_SUBSCRIPT, "subscript")        \
    X(F_OPERATOR, "operator") X(F_MODULE_NAME, "module_name") X(F_KEY, "key")          \
    X(F_DEFINITION, "definition") X(F_ALTERNATIVE, "alternative")                      \
    X(F_CONSEQUENCE, "consequence") X(F_ARGUMENT, "argument")

#define PA_PY_FIELD_ENUM(f, n) f,
enum { F_NONE = 0, PA_PY_FIELDS(PA_PY_FIELD_ENUM) F_COUNT };
#undef PA_PY_FIELD_ENUM

/* Maximum tree depth the walk descends to; deeper subtrees are skipped and
 * counted in nerrors (partial facts). */
#define PA_EX_MAX_DEPTH 1500
/* Cursors available for child iteration inside handlers. */
#define PA_EX_CURSORS 8

/* Context in effect at a node (copied from parent to child frame). */
struct pa_ex_ctx {
    int32_t func;          /* innermost function/lambda, -1 at module/class level */
    int32_t cls;           /* class whose body directly holds the node, -1 */
    int32_t scope_func;    /* innermost function even across class bodies (for parents) */
    int32_t loop;          /* innermost loop of the same function, -1 */
    int32_t with;          /* innermost with of the same function, -1 */
    int32_t try_;          /* innermost try of the same function, -1 */
    int16_t handler;       /* except clause index within try_ when in a handler, -1 */
    uint8_t try_part;      /* PA_TRY_* */
    bool cond;             /* inside if/try (for imports) */
    uint16_t cflags;       /* PA_CALL_* flags inherited by calls: IN_COMP/IN_LAMBDA/IN_RETURN */
    int32_t parent_call;   /* call whose argument list holds the node, -1 */
    uint32_t stmt;         /* ordinal of the enclosing statement in its function */
    struct pa_handler *hptr; /* innermost except clause of the same function (arena), NULL */
};

/* One level of the explicit walk stack. */
struct pa_ex_frame {
    TSNode node;           /* the node */
    uint8_t kind;          /* K_* */
    uint8_t field;         /* F_* of the node within its parent */
    bool skip;             /* do not descend (depth cap) */
    int32_t aux;           /* record index created by the node (call, loop, func, …) */
    int32_t aux2;          /* running child counter (handlers, comprehension clauses); args capacity of a call */
    int32_t aux3;          /* node-specific extra (number of comprehension clauses) */
    uint32_t pend_mark;    /* pending-stack height at entry */
    uint32_t use_mark;     /* use-buffer height at entry */
    uint32_t cand_mark;    /* candidate-set height at entry */
    struct pa_ex_ctx c;    /* context at this node */
};

enum { PA_PEND_PTR = 0, PA_PEND_RECV, PA_PEND_ASSIGN, PA_PEND_CATTR, PA_PEND_LOOP, PA_PEND_RETURN };

/* An index to fill in when a node (call or lambda) is reached later in the walk. */
struct pa_ex_pend {
    const void *id;        /* node id awaited; NULL once consumed */
    int32_t *ptr;          /* PA_PEND_PTR: arena slot to set */
    int32_t idx;           /* record index for the other kinds */
    int32_t n;             /* number of consecutive records (chained assignments) */
    uint8_t kind;          /* PA_PEND_* */
    uint16_t flags;        /* PA_CALL_* flags added to the call */
};

/* A buffered use of a local name (kept only for copy/allocation candidates). */
struct pa_ex_use {
    uint32_t start, len;   /* name bytes in the source */
    uint32_t hash;         /* FNV-1a of the name */
    int32_t func;          /* function the use is attributed to */
    uint32_t line, col;
    uint8_t kind;          /* pa_use_kind */
    int32_t loop;          /* innermost loop */
    const char *detail;    /* callee text (ARG) or NULL */
    uint32_t dstart, dlen; /* detail source range (METHOD) when dlen > 0 */
};

/* A local name bound to a copy/allocation expression in a function. */
struct pa_ex_cand {
    uint32_t start, len, hash; /* name bytes in the source, hash */
};

/* Range of a loop's target names in names[]. */
struct pa_ex_loopx {
    uint32_t nstart, ncount;
};

struct pa_ex_name {
    uint32_t start, len;   /* identifier bytes */
};

struct pa_ex_cattr {
    int32_t cls;           /* owning class */
    struct pa_class_attr a;
};

struct pa_ex_supp {
    struct pa_suppression s;
    bool own_line;         /* the comment is alone on its line */
};

/* Extraction state (scratch reused across files). */
struct pa_ex {
    struct pa_py_parser *P;
    const char *src;       /* source after a BOM */
    size_t len;
    struct pa_file_facts *f; /* facts being built (arena) */
    pa_arena *arena;
    bool has_error;        /* the tree has errors: check MISSING nodes */
    uint32_t nerrors;
    uint32_t mod_stmt;     /* statement counter at module level */
    struct pa_ex_frame *frames; /* PA_EX_MAX_DEPTH + 1 */
    uint32_t depth;
    TSTreeCursor cur[PA_EX_CURSORS]; /* child iteration cursors */
    bool cur_init[PA_EX_CURSORS];
    int ncur;              /* cursors in use */
    PA_VEC(struct pa_ex_pend) pend;
    PA_VEC(struct pa_ex_use) uses;
    PA_VEC(struct pa_ex_cand) cands;
    PA_VEC(struct pa_ex_loopx) loopx;
    PA_VEC(struct pa_ex_name) names;
    PA_VEC(uint32_t) fstmt;  /* per-function statement counters */
    PA_VEC(struct pa_ex_cattr) cattrs;
    PA_VEC(struct pa_ex_supp) supps;
    PA_VEC(TSNode) nodes;    /* temporary child lists */
    PA_VEC(uint8_t) lineinfo; /* per line: 1 = blank or comment only */
    /* records being built (copied into the arena at the end) */
    PA_VEC(struct pa_func) funcs;
    PA_VEC(struct pa_class) classes;
    PA_VEC(struct pa_import) imports;
    PA_VEC(struct pa_call) calls;
    PA_VEC(struct pa_loop) loops;
    PA_VEC(struct pa_with) withs;
    PA_VEC(struct pa_try) tries;
    PA_VEC(struct pa_assign) assigns;
    PA_VEC(struct pa_attr_use) attr_uses;
    PA_VEC(struct pa_return) returns;
    PA_VEC(struct pa_name_use) name_uses;
    pa_buf tmp;              /* string building */
    /* interned texts of the current file (pa_ex_intern): open addressing;
     * an entry is live when its gen equals intern_gen (bumped per file) */
    struct pa_ex_istr { const char *s; uint32_t len, hash, gen; } *intern;
    size_t intern_cap;       /* power of two, 0 until first use */
    size_t intern_n;         /* live entries of this generation */
    uint32_t intern_gen;     /* current file's generation (never 0) */
    struct { const char *s; uint32_t len; uint8_t what; } *parts; /* callee chain parts */
    size_t parts_cap;
};

struct pa_py_parser {
    TSParser *ts;          /* tree-sitter parser for Python */
    const TSLanguage *lang;
    uint8_t *kind_of;      /* symbol id -> K_* */
    uint32_t nsyms;
    uint8_t *field_of;     /* field id -> F_* */
    uint32_t nfields;
    TSFieldId fid[F_COUNT]; /* F_* -> field id */
    bool is_stmt[K_COUNT]; /* K_* that are statements */
    bool needs_field[K_COUNT]; /* K_* whose children's field names the walk reads */
    struct pa_ex ex;       /* extraction scratch */
    pa_buf img;            /* facts image scratch (compaction) */
};

/* pyparser.c: parse src[0..len) into a tree (owned) or fail with a reason. */
pa_status pa_py_parse(struct pa_py_parser *p, const char *src, size_t len, TSTree **out, const char **reason);

/* extract_expr.c */
static inline uint8_t pa_ex_kind(const struct pa_ex *x, TSNode n)
{
    TSSymbol s = ts_node_symbol(n);
    return s < x->P->nsyms ? x->P->kind_of[s] : K_ERROR;
}
static inline TSNode pa_ex_field(const struct pa_ex *x, TSNode n, int f)
{
    return ts_node_child_by_field_id(n, x->P->fid[f]);
}
TSTreeCursor *pa_ex_cursor(struct pa_ex *x, TSNode n);   /* borrowed until pa_ex_cursor_put */
void pa_ex_cursor_put(struct pa_ex *x);
/* Source text of a node / byte range, truncated to PA_TEXT_MAX and made
 * valid UTF-8 (arena). */
const char *pa_ex_text(struct pa_ex *x, TSNode n);
const char *pa_ex_text_range(struct pa_ex *x, uint32_t start, uint32_t end);
/* The arena copy of s[0..n) for the current file, shared by every equal
 * text of that file (facts strings are read-only). */
const char *pa_ex_intern(struct pa_ex *x, const char *s, size_t n);
/* Forget the interned texts (start of a new file). */
void pa_ex_intern_reset(struct pa_ex *x);
/* PA_EXPR_STR / FSTRING / BYTES of a string node from its prefix. */
uint8_t pa_ex_string_kind(struct pa_ex *x, TSNode s);
/* Strip parentheses around an expression. */
TSNode pa_ex_unparen(struct pa_ex *x, TSNode n);
/* The first named, non-comment child, or a null node. */
TSNode pa_ex_first_named(struct pa_ex *x, TSNode n);
/* Kind, PA_XF_* flags and literal element count of an expression. */
uint8_t pa_ex_expr_info(struct pa_ex *x, TSNode n, uint8_t *flags, uint32_t *nelems);
/* Callee text, base and attr of a call's function expression (arena); the
 * call node producing the receiver goes to *recv (null node if none). */
void pa_ex_callee(struct pa_ex *x, TSNode fn, const char **callee, const char **base, const char **attr,
                  TSNode *recv);
/* The call node of `v` when v is a call or `await call` (parens stripped). */
bool pa_ex_value_call(struct pa_ex *x, TSNode v, TSNode *call);
/* Is the expression a copy/allocation (list(...), x.copy(), x[:], literals …)? */
bool pa_ex_is_copy_expr(struct pa_ex *x, TSNode v);
uint32_t pa_ex_hash32(const char *s, size_t n);

/* extract_lines.c: line hashes, blank/comment lines and suppression lines. */
void pa_ex_lines(struct pa_ex *x);
void pa_ex_comment(struct pa_ex *x, TSNode n);

#endif
