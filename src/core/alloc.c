/* alloc.c - allocation wrappers that abort on out-of-memory, arenas, and the
 * status strings. The only place pa-audit handles allocation failure. */
#include "pa/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Out of memory is an internal error: exit status 2 (the contract's "internal
 * error"), at once and from any thread - no atexit handler, no flush of
 * half-built state. Reports are only ever renamed into place whole, so none
 * is left half-written. */
static void oom(void)
{
    static const char msg[] = "pa-audit: out of memory\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(2);
}

void *pa_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *pa_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *pa_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom();
    return q;
}

char *pa_xstrdup(const char *s) { return pa_xstrndup(s, strlen(s)); }

char *pa_xstrndup(const char *s, size_t n)
{
    char *p = pa_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *pa_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pa_buf b;
    pa_buf_init(&b);
    pa_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return pa_buf_take(&b);
}

const char *pa_status_str(pa_status s)
{
    switch (s) {
    case PA_OK: return "ok";
    case PA_ERR_IO: return "I/O error";
    case PA_ERR_PARSE: return "parse error";
    case PA_ERR_USAGE: return "usage error";
    case PA_ERR_LIMIT: return "limit exceeded";
    case PA_ERR_INTERNAL: return "internal error";
    }
    return "unknown";
}

/* ---- arena -------------------------------------------------------------- */
struct pa_arena_block {
    pa_arena_block *prev;  /* older block */
    size_t used;           /* bytes used in data */
    size_t cap;            /* bytes available in data */
    _Alignas(16) unsigned char data[];
};

/* Largest regular block. Small on purpose: every file's facts live in their
 * own arena until the end of the run, and the unused tail of each arena's
 * last block is lost (with 64 KiB blocks that was ~45 MB over site-packages'
 * 9,869 files; with 8 KiB a few MB). Larger requests get a block of their own. */
#define ARENA_BLOCK 8192

void pa_arena_init(pa_arena *a) { a->head = NULL; a->total = 0; }

void pa_arena_free(pa_arena *a)
{
    pa_arena_block *b = a->head;
    while (b) {
        pa_arena_block *p = b->prev;
        free(b);
        b = p;
    }
    a->head = NULL;
    a->total = 0;
}

void *pa_arena_alloc(pa_arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    pa_arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        if (n > ARENA_BLOCK / 2) {   /* big allocation: a block of its own */
            void *p = pa_arena_alloc_exact(a, n);
            memset(p, 0, n);
            return p;
        }
        /* blocks grow 4 KiB, 8 KiB … up to ARENA_BLOCK, so that the many
         * small arenas (one per file's facts) stay small */
        size_t grow = b ? (b->cap * 2 > ARENA_BLOCK ? ARENA_BLOCK : b->cap * 2) : 4096;
        size_t cap = n > grow ? ARENA_BLOCK : grow;
        pa_arena_block *nb = pa_xmalloc(sizeof *nb + cap);
        nb->used = 0;
        nb->cap = cap;
        nb->prev = b;
        a->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += n;
    a->total += n;
    memset(p, 0, n);
    return p;
}

void *pa_arena_alloc_exact(pa_arena *a, size_t n)
{
    pa_arena_block *nb = pa_xmalloc(sizeof *nb + (n ? n : 1));
    nb->used = nb->cap = n;
    a->total += n;
    if (a->head) {   /* keep the current block as head: its free space stays usable */
        nb->prev = a->head->prev;
        a->head->prev = nb;
    } else {
        nb->prev = NULL;
        a->head = nb;
    }
    return nb->data;
}

char *pa_arena_strndup(pa_arena *a, const char *s, size_t n)
{
    char *p = pa_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *pa_arena_strdup(pa_arena *a, const char *s) { return s ? pa_arena_strndup(a, s, strlen(s)) : NULL; }

char *pa_arena_printf(pa_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pa_buf b;
    pa_buf_init(&b);
    pa_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *r = pa_arena_strndup(a, b.s ? b.s : "", b.len);
    pa_buf_free(&b);
    return r;
}
