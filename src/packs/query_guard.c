/* query_guard.c - refuses tree-sitter queries that tree-sitter 0.20.7 (the
 * Debian 12 library) cannot compile without hanging.
 *
 * Found by fuzzing rule packs (tests/fuzz/fuzz_packs.c, issue 9): a `?` or
 * `*` quantifier applied to something that can already match zero nodes -
 * a doubled quantifier `(x)??`, `(x)?*`, `(x)* *`, or a group whose every
 * element is optional `((x)?)?`, `((x)? (y)?)*`, `((x)? @c)?` - makes
 * ts_query_new loop forever (under ASan: recursion until the stack
 * overflows). Packs may come over HTTP, so this is a denial of service.
 *
 * The check is a small lexer over the query syntax with one frame per open
 * `(` / `[`: it tracks whether each element can match nothing ("nullable")
 * and reports the offset of a `?`/`*` applied to a nullable element.
 *   - a node `(name ...)`, `(_)`, `_`, a string `"def"` and an alternation
 *     `[...]` are not nullable (measured: `[(x)? (y)]*` compiles fine);
 *   - a group `( (a) (b) )` is nullable when all its elements are;
 *   - `?` and `*` make an element nullable, `+` keeps it as it is;
 *   - captures `@c`, fields `name:`, negated fields `!name`, anchors `.`,
 *     comments `; ...` are not elements; predicates `(#eq? ...)` are not
 *     elements (their `?` is part of the name).
 * It errs on the side of refusing: a refused query gets a clear message. */
#include "packs/query_guard.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>

#include "pa/core.h"

enum qg_kind { QG_TOP, QG_NODE, QG_GROUP, QG_ALT, QG_PRED };

struct qg_frame {
    enum qg_kind kind;     /* what the open bracket started */
    bool all_nullable;     /* every committed element so far is nullable */
    size_t count;          /* committed elements */
    bool has_pending;      /* an element completed, quantifiers may follow */
    bool pending_nullable; /* that element can match nothing */
};

static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.'; }

static void qg_commit(struct qg_frame *f)
{
    if (!f->has_pending) return;
    f->all_nullable = f->all_nullable && f->pending_nullable;
    f->count++;
    f->has_pending = false;
}

static void qg_element(struct qg_frame *f, bool nullable)
{
    qg_commit(f);
    f->has_pending = true;
    f->pending_nullable = nullable;
}

long pa_query_guard_nullable_repeat(const char *s, size_t len)
{
    PA_VEC(struct qg_frame) st = {0};
    struct qg_frame top = {QG_TOP, true, 0, false, false};
    pa_vec_push(&st, top);
    long bad = -1;
    size_t i = 0;
    while (i < len && bad < 0) {
        char c = s[i];
        struct qg_frame *f = &st.v[st.n - 1];
        if (isspace((unsigned char)c) || c == ',') { i++; continue; }
        if (c == ';') { while (i < len && s[i] != '\n') i++; continue; }
        if (c == '"') {   /* string literal: an anonymous node, or a predicate argument */
            for (i++; i < len && s[i] != '"'; i++)
                if (s[i] == '\\') i++;
            i++;
            if (f->kind != QG_PRED) qg_element(f, false);
            continue;
        }
        if (c == '?' || c == '*' || c == '+') {
            if (f->has_pending && c != '+') {
                if (f->pending_nullable) bad = (long)i;
                f->pending_nullable = true;
            }
            i++;
            continue;
        }
        if (c == '(' || c == '[') {
            size_t j = i + 1;
            while (j < len && isspace((unsigned char)s[j])) j++;
            struct qg_frame nf = {QG_NODE, true, 0, false, false};
            if (c == '[') nf.kind = QG_ALT;
            else if (f->kind == QG_PRED) nf.kind = QG_PRED;
            else if (j < len && s[j] == '#') nf.kind = QG_PRED;
            else if (j < len && (s[j] == '(' || s[j] == '[' || s[j] == '"' || s[j] == '.' || s[j] == ')')) nf.kind = QG_GROUP;
            qg_commit(f);
            pa_vec_push(&st, nf);
            i++;
            continue;
        }
        if (c == ')' || c == ']') {
            if (st.n == 1) { i++; continue; }   /* unbalanced: ts_query_new reports it */
            struct qg_frame done = st.v[--st.n];
            qg_commit(&done);
            f = &st.v[st.n - 1];
            if (done.kind == QG_PRED) { f->has_pending = false; i++; continue; }
            qg_element(f, done.kind == QG_GROUP && done.count > 0 && done.all_nullable);
            i++;
            continue;
        }
        if (c == '@') {   /* capture name */
            for (i++; i < len && ident_char(s[i]); i++) {}
            continue;
        }
        if (c == '!' || c == '#') {   /* negated field / predicate name (may end in ? or !) */
            for (i++; i < len && ident_char(s[i]); i++) {}
            while (i < len && (s[i] == '?' || s[i] == '!')) i++;
            continue;
        }
        if (ident_char(c)) {   /* node name, field name (followed by ':'), or a bare `_` */
            size_t j = i;
            while (j < len && ident_char(s[j])) j++;
            size_t k = j;
            while (k < len && isspace((unsigned char)s[k])) k++;
            bool field = k < len && s[k] == ':';
            /* the first name inside a node's parens is its type, not an element */
            bool node_type = f->kind == QG_NODE && f->count == 0 && !f->has_pending;
            if (field) i = k + 1;
            else {
                if (!node_type && f->kind != QG_PRED) qg_element(f, false);
                else if (node_type) f->count = 0;
                i = j;
            }
            continue;
        }
        i++;   /* anything else: left to ts_query_new's own error reporting */
    }
    pa_vec_free(&st);
    return bad;
}
