/* query_guard.h - a pre-check for rule-pack tree-sitter queries that works
 * around a tree-sitter 0.20.7 bug (see query_guard.c). Thread-safe (pure). */
#ifndef PA_PACKS_QUERY_GUARD_H
#define PA_PACKS_QUERY_GUARD_H

#include <stddef.h>

/* Byte offset of the first `?`/`*` quantifier applied to a pattern that can
 * already match nothing - `(x)??`, `(x)*?`, `((x)?)*`, `((a)? (b)?)*` - or -1
 * when there is none. ts_query_new never returns on such a query (an endless
 * loop / unbounded recursion in its analysis), so it must not be called. */
long pa_query_guard_nullable_repeat(const char *src, size_t len);

#endif
