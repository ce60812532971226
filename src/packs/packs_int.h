/* packs_int.h - private structures of the rule-pack module (src/packs/):
 * a compiled custom rule and the per-file scan results.
 * DESIGN: see include/pa/packs.h (compiled objects shared read-only; one
 * slot per file written by one parse thread). */
#ifndef PA_PACKS_INT_H
#define PA_PACKS_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <tree_sitter/api.h>

#include "pa/packs.h"

/* A PCRE2 condition on one capture. */
struct pa_pack_cond {
    char *capture;        /* capture name without '@' (owned) */
    uint32_t capture_id;  /* its index in the query */
    char *pattern;        /* the regex as written (owned) */
    pcre2_code *re;       /* compiled once, shared read-only (owned) */
    bool negate;          /* from where_not: the capture must NOT match (or be absent) */
};

/* Context conditions: -1 = don't care, 0 = must not hold, 1 = must hold. */
struct pa_pack_ctx {
    int8_t in_async;      /* inside an `async def` (the innermost function) */
    int8_t in_loop;       /* inside a loop body / comprehension of the same function */
    int8_t in_txn;        /* inside a with/async with whose context mentions begin/atomic/transaction */
};

struct pa_custom_rule {
    struct pa_rule_meta meta;      /* registered copy; strings below are owned here */
    char *id, *check, *title, *principle; /* owned strings meta points to */
    char *message;                 /* issue text with {capture} placeholders (owned) */
    char *recommendation;          /* owned */
    const char *effort;            /* "S", "M" or "L" (static) */
    TSQuery *query;                /* compiled once over tree-sitter-python; shared read-only (owned) */
    uint32_t loc_capture;          /* capture giving the location: @match if present, else UINT32_MAX = first */
    struct pa_pack_cond *conds;    /* owned array */
    size_t nconds;
    struct pa_pack_ctx ctx;        /* context conditions */
    char *origin;                  /* pack URL / path (owned) */
    uint32_t line;                 /* line of the rule in its pack */
};

/* One match of a custom rule in a file. */
struct pa_pack_hit {
    uint32_t rule;                 /* index into pa_packs.rules */
    uint32_t line, col, end_line;  /* 1-based location */
    char *issue;                   /* message with captures substituted (owned) */
};

struct pa_pack_slot {
    char *path;                    /* project-relative path (owned), NULL = not scanned */
    PA_VEC(struct pa_pack_hit) hits; /* source order per rule (owned) */
    bool truncated;                /* the per-file hit limit was reached */
};

#endif
