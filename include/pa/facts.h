/* facts.h - compact per-file facts extracted from a Python syntax tree in the
 * parse pass. The tree is freed right after extraction; everything later
 * (the index, the three auditors, context discovery from code) reads facts.
 *
 * DESIGN
 * - One pa_file_facts per analysed file, built by one parse-pool thread, then
 *   frozen and shared read-only by every later phase (thread-safe to read).
 * - All strings and arrays live in the file's arena and are borrowed until
 *   pa_file_facts_free. Text fields are source text, truncated to
 *   PA_TEXT_MAX bytes (a truncated text ends in "…"). Strings are read-only:
 *   equal texts of one file may share storage (compare with strcmp).
 * - Indices (func, cls, loop, with, try_, call …) refer to this file's arrays;
 *   -1 means "none". Arrays are in source order (pre-order of the walk), so a
 *   parent always has a smaller index than its children.
 * - Lines and columns are 1-based; columns count bytes.
 *
 * Callee text ("callee") is the dotted form of the called expression:
 *   foo()                          -> "foo"
 *   requests.get(u)                -> "requests.get"
 *   session.query(U).filter(x).all() -> "session.query().filter().all"
 *   (await s.execute(q)).scalars() -> "s.execute().scalars"   (await/parens dropped)
 *   Path(p).read_text()            -> "Path().read_text"
 *   handlers[k]()                  -> "?"  ; x[0].save() -> "?.save"
 * "base" is the root identifier of the chain ("session", "self", "Path"), or
 * NULL when the root is not an identifier.
 */
#ifndef PA_FACTS_H
#define PA_FACTS_H

#include <string.h>

#include "pa/core.h"

#define PA_TEXT_MAX 160

typedef enum pa_expr_kind {
    PA_EXPR_OTHER = 0,
    PA_EXPR_NAME,        /* identifier */
    PA_EXPR_ATTR,        /* a.b */
    PA_EXPR_CALL,        /* f(...) */
    PA_EXPR_AWAIT,       /* await <call> (the call index is recorded) */
    PA_EXPR_STR,         /* string literal (incl. concatenated literals) */
    PA_EXPR_FSTRING,     /* f-string */
    PA_EXPR_NUM,         /* int/float literal */
    PA_EXPR_BOOL,        /* True/False */
    PA_EXPR_NONE,        /* None */
    PA_EXPR_LIST,        /* [ ... ] literal */
    PA_EXPR_TUPLE,
    PA_EXPR_DICT,
    PA_EXPR_SET,
    PA_EXPR_LISTCOMP,
    PA_EXPR_SETCOMP,
    PA_EXPR_DICTCOMP,
    PA_EXPR_GENEXP,
    PA_EXPR_LAMBDA,
    PA_EXPR_BINOP,       /* a + b etc. */
    PA_EXPR_SUBSCRIPT,   /* a[b], a[:] */
    PA_EXPR_BYTES,       /* b"..." */
    PA_EXPR_COMPARE,
    PA_EXPR_BOOLOP,      /* and/or/not */
    PA_EXPR_COND,        /* x if c else y */
} pa_expr_kind;

/* Flags on pa_expr_info.flags (a summary of an expression's shape). */
enum {
    PA_XF_STR_CONCAT = 1u << 0,  /* a '+' chain with a string literal/f-string/str() operand */
    PA_XF_SLICE_ALL  = 1u << 1,  /* subscript is x[:] */
    PA_XF_LITERAL    = 1u << 2,  /* literal collection whose elements are all literals */
    PA_XF_STR_CALL   = 1u << 3,  /* str(...), "...".format(), "...".join(), repr() */
};

/* (fields ordered by size: 32 bytes, there is one per argument of every call) */
struct pa_arg {
    const char *kw;     /* keyword name, NULL for positional, "*" / "**" for splats */
    const char *text;   /* source text (truncated) */
    int32_t call;       /* call index when the value is a call or `await call`, else -1 */
    int32_t func;       /* function index when the value is a lambda, else -1 */
    uint32_t nelems;    /* element count of a literal collection */
    uint8_t kind;       /* pa_expr_kind of the value */
    uint8_t flags;      /* PA_XF_* */
};

enum {
    PA_CALL_AWAITED     = 1u << 0,  /* `await call(...)` */
    PA_CALL_IN_COMP     = 1u << 1,  /* inside a comprehension/generator expression */
    PA_CALL_IN_LAMBDA   = 1u << 2,  /* directly inside a lambda body (func is the lambda) */
    PA_CALL_DECORATOR   = 1u << 3,  /* a decorator expression */
    PA_CALL_IN_RETURN   = 1u << 4,  /* part of a return statement's value */
    PA_CALL_ASYNC_ITER  = 1u << 5,  /* the iterable of an `async for` or an `async with` item */
};

struct pa_call {
    int32_t func;        /* innermost enclosing function (lambda included), -1 = module/class level */
    int32_t cls;         /* class whose body directly holds the call (class level), else -1 */
    const char *callee;  /* dotted callee text (see DESIGN) */
    const char *base;    /* root identifier of the callee chain or NULL */
    const char *attr;    /* last component ("get" in requests.get); == callee for a plain name */
    uint32_t line, col, end_line, end_col;
    struct pa_arg *args; /* arguments in source order */
    uint16_t nargs;
    uint16_t flags;      /* PA_CALL_* */
    int32_t recv_call;   /* call producing the receiver: in a().b() the call b has recv_call = a */
    int32_t parent_call; /* call whose argument list holds this call (directly or nested in the arg), else -1 */
    int32_t loop;        /* innermost enclosing loop of the same function, -1 */
    int32_t with;        /* innermost enclosing with-block of the same function, -1 */
    int32_t try_;        /* innermost enclosing try of the same function, -1 */
    uint8_t try_part;    /* PA_TRY_BODY / _HANDLER / _ELSE / _FINALLY when try_ >= 0 */
    int16_t handler;     /* index of the except clause within try_ when try_part is HANDLER, else -1 */
    uint32_t stmt;       /* ordinal of the enclosing statement within its function (source order) */
};

typedef enum pa_loop_kind {
    PA_LOOP_FOR = 0, PA_LOOP_ASYNC_FOR, PA_LOOP_WHILE,
    PA_LOOP_LISTCOMP, PA_LOOP_SETCOMP, PA_LOOP_DICTCOMP, PA_LOOP_GENEXP,
} pa_loop_kind;

struct pa_loop {
    int32_t func;        /* enclosing function, -1 module level */
    int32_t parent;      /* enclosing loop in the same function, -1 */
    uint8_t kind;        /* pa_loop_kind */
    uint8_t iter_kind;   /* pa_expr_kind of the iterable (for/comprehensions) */
    uint8_t iter_flags;  /* PA_XF_* of the iterable */
    uint32_t iter_nelems;/* element count when the iterable is a literal collection */
    uint32_t line, col, end_line;
    const char *target;  /* loop variable text ("order", "i, row"), NULL for while */
    const char *iter;    /* iterable text (truncated) or while condition */
    int32_t iter_call;   /* call index of the iterable (or of `await call`), -1 */
    int32_t with;        /* innermost with-block enclosing the loop, -1 */
};

struct pa_with_item {
    const char *expr;    /* context expression text */
    const char *as;      /* `as` target text or NULL */
    int32_t call;        /* call index of the context expression if it is a call, -1 */
};

struct pa_with {
    int32_t func;        /* enclosing function, -1 */
    int32_t parent;      /* enclosing with in the same function, -1 */
    bool is_async;       /* `async with` */
    uint32_t line, end_line;
    struct pa_with_item *items;
    uint16_t nitems;
    int32_t loop;        /* innermost loop enclosing the with, -1 */
};

enum { PA_TRY_BODY = 0, PA_TRY_HANDLER, PA_TRY_ELSE, PA_TRY_FINALLY };

struct pa_handler {
    const char *types;   /* exception types text, NULL for bare `except:` */
    const char *name;    /* `as` name or NULL */
    uint32_t line, end_line;
    bool reraises;       /* contains a `raise` statement (at any depth, not in nested defs) */
    bool has_continue;   /* contains `continue` */
    bool has_return;     /* contains `return` */
    bool has_pass_only;  /* body is only `pass` / `...` */
};

struct pa_try {
    int32_t func;        /* enclosing function, -1 */
    int32_t parent;      /* enclosing try in the same function, -1 */
    uint32_t line, end_line;        /* whole statement */
    uint32_t body_end_line;         /* last line of the try body */
    struct pa_handler *handlers;
    uint16_t nhandlers;
    uint32_t finally_line, finally_end_line;  /* 0 when there is no finally */
    int32_t loop;        /* innermost loop enclosing the try, -1 */
};

/* (fields ordered by size so that the struct has no padding holes: 80 bytes) */
struct pa_assign {
    int32_t func;        /* enclosing function, -1 */
    int32_t cls;         /* class whose body directly holds it, -1 */
    uint32_t line, col, end_line;
    uint8_t target_kind; /* pa_expr_kind of the target (NAME, ATTR, SUBSCRIPT, TUPLE …) */
    uint8_t value_kind;  /* pa_expr_kind of the value (PA_EXPR_OTHER when none) */
    uint8_t value_flags; /* PA_XF_* */
    const char *target;  /* target text: "x", "self.repo", "a[i]", "a, b" */
    const char *op;      /* "=", "+=", "-=", … ; ":" for an annotation without value; "for" never */
    const char *annotation; /* `x: T = v` annotation text or NULL */
    const char *value;   /* value text (truncated) or NULL */
    uint32_t value_nelems; /* literal collection size */
    int32_t value_call;  /* call index when the value is a call or `await call`, -1 */
    int32_t loop;        /* innermost loop of the same function, -1 */
    int32_t with;        /* innermost with of the same function, -1 */
    int32_t try_;        /* innermost try, -1 */
    uint32_t stmt;       /* statement ordinal within the function */
};

/* An attribute chain read from a loop variable inside the loop body:
 * `for o in orders: o.customer.name` gives {name "o", chain "customer.name"}.
 * Method calls are calls, not attribute uses. */
struct pa_attr_use {
    int32_t func;        /* enclosing function, -1 */
    int32_t loop;        /* the loop whose target binds `name` */
    uint32_t line, col;
    const char *name;    /* loop variable */
    const char *chain;   /* attribute chain after the name */
};

struct pa_return {
    int32_t func;        /* enclosing function */
    uint32_t line;
    uint8_t value_kind;  /* pa_expr_kind, PA_EXPR_NONE for a bare return */
    const char *value;   /* text or NULL */
    int32_t value_call;  /* call index, -1 */
};

/* A use of a local name inside a function (for local data-flow rules). Only
 * recorded for names that some assignment in the same function binds to a
 * copy/allocation expression (list(...), dict(...), set(...), x.copy(),
 * copy.copy/deepcopy(...), x[:], list/dict/set literals or comprehensions)
 * so that the facts stay small. */
typedef enum pa_use_kind {
    PA_USE_LOAD = 0,     /* plain read (incl. iteration, comparison, indexing read) */
    PA_USE_STORE,        /* rebinding: x = …, for x in …, with … as x, del x */
    PA_USE_AUGSTORE,     /* x += … */
    PA_USE_ITEM_STORE,   /* x[i] = …, del x[i], x[i] += … */
    PA_USE_ATTR_STORE,   /* x.a = … */
    PA_USE_METHOD,       /* x.m(...) — `detail` holds m */
    PA_USE_ARG,          /* passed as an argument: `detail` holds the callee text */
    PA_USE_RETURN,       /* returned or yielded */
    PA_USE_ESCAPE,       /* stored into another container/attribute, captured by a nested def/lambda, global/nonlocal */
} pa_use_kind;

struct pa_name_use {
    int32_t func;        /* enclosing function */
    uint32_t line, col;
    int32_t loop;        /* innermost loop, -1 */
    const char *name;    /* the local name */
    const char *detail;  /* method name or callee text, else NULL */
    uint8_t kind;        /* pa_use_kind */
};

struct pa_param {
    const char *name;       /* without stars */
    const char *annotation; /* text or NULL */
    const char *default_;   /* default value text or NULL (e.g. "Depends(get_session)") */
    uint8_t kind;           /* 0 positional/keyword, 1 *args, 2 **kwargs, 3 keyword-only */
};

struct pa_func {
    const char *name;       /* simple name; "<lambda>" for lambdas */
    const char *qualname;   /* "Class.method", "outer.<locals>.inner", "<lambda>@12" */
    int32_t parent;         /* enclosing function, -1 */
    int32_t cls;            /* class when this is a method (directly in a class body), -1 */
    bool is_async;
    bool is_lambda;
    bool is_generator;      /* contains yield */
    uint32_t line, col, end_line;
    const char **decorators;   /* decorator expression text, without '@' */
    uint16_t ndecorators;
    struct pa_param *params;
    uint16_t nparams;
    const char *returns;    /* return annotation text or NULL */
    uint32_t nstmts;        /* statements in the body (nested defs excluded) */
    uint32_t body_line;     /* first line of the body */
};

struct pa_class_attr {
    const char *name;       /* attribute name */
    const char *annotation; /* text or NULL ("Mapped[int]") */
    const char *value;      /* value text or NULL */
    int32_t value_call;     /* call index of the value, -1 */
    uint32_t line;
};

struct pa_class {
    const char *name;
    const char *qualname;   /* "Outer.Inner" */
    int32_t parent;         /* enclosing class, -1 */
    int32_t func;           /* enclosing function, -1 */
    const char **bases;     /* base expressions and class keywords ("table=True", "metaclass=M") */
    uint16_t nbases;
    const char **decorators;
    uint16_t ndecorators;
    uint32_t line, end_line;
    struct pa_class_attr *attrs; /* assignments directly in the class body */
    uint16_t nattrs;
};

struct pa_import {
    const char *module;  /* dotted module without leading dots ("" for `from . import x`) */
    const char *name;    /* imported name for from-imports ("*" for star), NULL for `import a.b` */
    const char *alias;   /* the local name bound: `as` name, the from-import name, or "a" for `import a.b` */
    uint8_t level;       /* number of leading dots (relative import) */
    int32_t func;        /* enclosing function, -1 */
    uint32_t line;
    bool conditional;    /* inside if/try at module level */
};

struct pa_suppression {
    uint32_t line;       /* line the comment is on */
    uint32_t applies_to; /* line it suppresses: same line, or the next code line for a comment alone on its line */
    const char *rules;   /* "PA301,PA303" or NULL for all */
    const char *reason;  /* text after "--" or NULL */
};

struct pa_file_facts {
    const char *path;       /* project-relative, '/'-separated */
    const char *module;     /* dotted module name ("app.api.users"; "app" for app/__init__.py) */
    bool is_package;        /* __init__.py */
    size_t bytes;           /* source size */
    uint32_t nlines;
    uint32_t nerrors;       /* ERROR/MISSING nodes in the tree (partial facts) */
    uint32_t *line_hash;    /* per line (index line-1): hash of the whitespace-normalised text */
    uint64_t *code_bits;    /* (nlines+63)/64 words: bit k-1 set when line k is code (neither blank
                               nor comment-only); read through pa_facts_code_lines */
    uint32_t *code_block;   /* nlines/64+1 entries: code_block[b] = code lines among lines 1..64*b */
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
    PA_VEC(struct pa_suppression) suppressions;
    pa_arena arena;          /* owns every string and sub-array above */
};

/* Parser handle for one thread: owns a TSParser for Python. Not thread-safe;
 * create one per pool thread. */
typedef struct pa_py_parser pa_py_parser;
pa_py_parser *pa_py_parser_new(void);            /* owned */
void pa_py_parser_free(pa_py_parser *p);

/* Parse `src` (len bytes, need not be NUL-terminated) and extract facts.
 * relpath and module are copied. On success *out is owned by the caller
 * (pa_file_facts_free). A file with syntax errors still yields facts (nerrors
 * > 0). Returns PA_ERR_PARSE with *reason set when the file cannot be parsed
 * at all (parser timeout, nesting too deep). */
pa_status pa_extract_file(pa_py_parser *p, const char *src, size_t len, const char *relpath,
                          const char *module, struct pa_file_facts **out, const char **reason);
/* pa_extract_file, and hook(ud, tree) is called with the syntax tree (a
 * const struct TSTree *) after the facts are taken and before it is freed:
 * other passes over the same tree (rule packs' queries) parse nothing again.
 * The tree is over src as given, except that a leading UTF-8 BOM is dropped
 * (the pipeline blanks it first, so there its offsets are src's). */
struct TSTree;
typedef void (*pa_tree_hook)(void *ud, const struct TSTree *tree);
pa_status pa_extract_file_hooked(pa_py_parser *p, const char *src, size_t len, const char *relpath,
                                 const char *module, struct pa_file_facts **out, const char **reason,
                                 pa_tree_hook hook, void *ud);
/* Parse only (the parse floor for the bench): no facts. */
pa_status pa_parse_only(pa_py_parser *p, const char *src, size_t len, const char **reason);
void pa_file_facts_free(struct pa_file_facts *f);

/* ---- facts images: compaction and the on-disk cache (facts_image.c) ----
 * An image is one position-independent block holding the facts record, its
 * arrays and its strings (equal strings once), pointers replaced by offsets.
 * pa_extract_file already returns facts decoded from their image (one
 * exact-size block, no arena slack). */
/* Encode f into out (reset first). */
void pa_facts_encode(const struct pa_file_facts *f, pa_buf *out);
/* Append f's image to out, whose length must be a multiple of 8 (offsets in
 * the image count from where it starts); returns the image's length. */
size_t pa_facts_encode_append(const struct pa_file_facts *f, pa_buf *out);
/* Facts from an image (copied; img stays the caller's). Offsets, counts and
 * strings are always bounds-checked; with `check` every cross-reference index
 * is too (for images read from disk). PA_ERR_PARSE with *why on a bad image.
 * *out owned (pa_file_facts_free). */
pa_status pa_facts_decode(const void *img, size_t len, bool check, struct pa_file_facts **out, const char **why);
/* This build's image layout ("8.432.88…": pointer and record sizes), into buf. */
void pa_facts_image_abi(char *buf, size_t cap);

/* Module name for a project-relative path ("app/api/users.py" → "app.api.users",
 * "src/pkg/__init__.py" → "pkg" when "src" is a package root). Owned. */
char *pa_module_name_for_path(const char *relpath);

/* The k-th positional argument (0-based) of a call, or NULL (c may be NULL). */
static inline const struct pa_arg *pa_call_posarg(const struct pa_call *c, int k)
{
    for (uint16_t i = 0; c && i < c->nargs; i++)
        if (!c->args[i].kw && k-- == 0) return &c->args[i];
    return NULL;
}

/* The keyword argument `kw` of a call, or NULL (c may be NULL). */
static inline const struct pa_arg *pa_call_kwarg(const struct pa_call *c, const char *kw)
{
    for (uint16_t i = 0; c && i < c->nargs; i++)
        if (c->args[i].kw && strcmp(c->args[i].kw, kw) == 0) return &c->args[i];
    return NULL;
}

/* Lines of code (not blank, not comment-only) among lines from..to (1-based, inclusive). */
/* Code lines among lines 1..k (k <= nlines). */
static inline uint32_t pa_facts_code_prefix(const struct pa_file_facts *f, uint32_t k)
{
    uint32_t b = k >> 6, r = k & 63;
    return f->code_block[b] + (r ? (uint32_t)__builtin_popcountll(f->code_bits[b] & ((1ULL << r) - 1)) : 0u);
}

static inline uint32_t pa_facts_code_lines(const struct pa_file_facts *f, uint32_t from, uint32_t to)
{
    if (!f->code_block || from < 1 || to < from) return 0;
    if (to > f->nlines) to = f->nlines;
    if (from > to) return 0;
    return pa_facts_code_prefix(f, to) - pa_facts_code_prefix(f, from - 1);
}

/* Convenience lookups. */
static inline const struct pa_func *pa_facts_func(const struct pa_file_facts *f, int32_t i)
{ return i >= 0 && (size_t)i < f->funcs.n ? &f->funcs.v[i] : NULL; }

#endif
