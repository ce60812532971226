/* core.h - allocation, arenas, growable arrays, string builders, hashing,
 * logging and atomic file writes: the small toolbox every module uses.
 *
 * Ownership rule for the whole project (stated once, as jq does): a function
 * returning a pointer says in its comment whether the result is *owned* (the
 * caller frees it), *borrowed until X* (valid while X lives), or whether it
 * *takes ownership* of an argument. Arena memory is freed with its arena.
 *
 * Allocation never fails from the caller's point of view: pa_xmalloc and
 * friends print "pa-audit: out of memory" and exit with status 2 (internal
 * error), so call sites stay clean.
 */
#ifndef PA_CORE_H
#define PA_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- status ------------------------------------------------------------ */
typedef enum pa_status {
    PA_OK = 0,
    PA_ERR_IO,        /* a file could not be read or written */
    PA_ERR_PARSE,     /* malformed input (config, manifest, pack) */
    PA_ERR_USAGE,     /* bad command line or configuration value */
    PA_ERR_LIMIT,     /* input over a size/depth limit */
    PA_ERR_INTERNAL,  /* a bug or an unexpected library failure */
} pa_status;

const char *pa_status_str(pa_status s);

/* ---- allocation (exit 2 on OOM) ----------------------------------------- */
void *pa_xmalloc(size_t n);
void *pa_xcalloc(size_t n, size_t size);
void *pa_xrealloc(void *p, size_t n);
char *pa_xstrdup(const char *s);                 /* owned */
char *pa_xstrndup(const char *s, size_t n);      /* owned, NUL-terminated */
char *pa_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* owned */

/* ---- growable array ----------------------------------------------------- */
/* PA_VEC(T) declares an anonymous struct { T *v; size_t n, cap; }.
 * pa_vec_push(vec, value) appends; pa_vec_free releases the storage. */
#define PA_VEC(T) struct { T *v; size_t n, cap; }
#define pa_vec_grow(vec, want)                                                   \
    do {                                                                         \
        if ((want) > (vec)->cap) {                                               \
            size_t nc_ = (vec)->cap ? (vec)->cap * 2 : 8;                        \
            while (nc_ < (want)) nc_ *= 2;                                       \
            (vec)->v = pa_xrealloc((vec)->v, nc_ * sizeof(*(vec)->v));           \
            (vec)->cap = nc_;                                                    \
        }                                                                        \
    } while (0)
#define pa_vec_push(vec, value)                                                  \
    do {                                                                         \
        pa_vec_grow((vec), (vec)->n + 1);                                        \
        (vec)->v[(vec)->n++] = (value);                                          \
    } while (0)
#define pa_vec_free(vec)                                                         \
    do {                                                                         \
        free((vec)->v);                                                          \
        (vec)->v = NULL;                                                         \
        (vec)->n = (vec)->cap = 0;                                               \
    } while (0)

/* ---- arena -------------------------------------------------------------- */
/* A bump allocator; not thread-safe (one per thread or per file). */
typedef struct pa_arena_block pa_arena_block;
typedef struct pa_arena {
    pa_arena_block *head;  /* current block (linked to older ones) */
    size_t total;          /* bytes handed out, for accounting */
} pa_arena;

void pa_arena_init(pa_arena *a);
void pa_arena_free(pa_arena *a);
void *pa_arena_alloc(pa_arena *a, size_t n);               /* 8-aligned, zeroed; borrowed until pa_arena_free */
/* One block of exactly n bytes (not zeroed, 16-aligned), for a single image
 * that fills it; later small allocations still go to the regular blocks. */
void *pa_arena_alloc_exact(pa_arena *a, size_t n);
char *pa_arena_strndup(pa_arena *a, const char *s, size_t n);
char *pa_arena_strdup(pa_arena *a, const char *s);
char *pa_arena_printf(pa_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- string builder ----------------------------------------------------- */
typedef struct pa_buf {
    char *s;     /* always NUL-terminated once anything was appended (or after pa_buf_cstr) */
    size_t len;  /* bytes used, excluding the NUL */
    size_t cap;  /* bytes allocated */
} pa_buf;

void pa_buf_init(pa_buf *b);
void pa_buf_free(pa_buf *b);
void pa_buf_reset(pa_buf *b);                      /* len = 0, keeps storage */
void pa_buf_append(pa_buf *b, const char *s, size_t n);
void pa_buf_puts(pa_buf *b, const char *s);
void pa_buf_putc(pa_buf *b, char c);
void pa_buf_printf(pa_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pa_buf_vprintf(pa_buf *b, const char *fmt, va_list ap);
const char *pa_buf_cstr(pa_buf *b);                /* borrowed until the next append/free */
char *pa_buf_take(pa_buf *b);                      /* owned; b is reset to empty */
/* Markdown table cell: escapes '|' and folds newlines into spaces. */
void pa_buf_md_cell(pa_buf *b, const char *s);

/* ---- hashing and string maps -------------------------------------------- */
uint64_t pa_hash_bytes(const void *p, size_t n);   /* FNV-1a 64 */
uint64_t pa_hash_str(const char *s);
/* A fast 64-bit hash, eight bytes at a time (content keys and checksums of
 * the facts cache; not cryptographic). */
uint64_t pa_hash64(const void *p, size_t n, uint64_t seed);

/* An open-addressing map from C strings to void* (keys borrowed, never copied
 * unless the caller does). Not thread-safe for writers; safe for concurrent
 * readers once frozen. */
typedef struct pa_strmap {
    const char **keys;  /* NULL = empty slot */
    void **vals;        /* value per slot */
    size_t cap;         /* power of two */
    size_t n;           /* live entries */
} pa_strmap;

void pa_strmap_init(pa_strmap *m);
void pa_strmap_free(pa_strmap *m);                         /* frees the table only */
void *pa_strmap_get(const pa_strmap *m, const char *key);  /* NULL if absent */
bool pa_strmap_has(const pa_strmap *m, const char *key);
void pa_strmap_put(pa_strmap *m, const char *key, void *val); /* key borrowed for the map's life */

/* ---- strings ------------------------------------------------------------ */
bool pa_str_starts(const char *s, const char *prefix);
bool pa_str_ends(const char *s, const char *suffix);
bool pa_str_eq(const char *a, const char *b);              /* NULL-safe */
bool pa_str_ieq(const char *a, const char *b);             /* ASCII case-insensitive */
char *pa_str_trim(char *s);                                /* in place; returns s moved past leading space */
const char *pa_str_last_dot(const char *dotted);           /* part after the last '.', or the whole string */
int pa_str_cmp_ptr(const void *a, const void *b);          /* qsort on const char* arrays */
bool pa_utf8_valid(const char *s, size_t n);

/* ---- glob --------------------------------------------------------------- */
/* Gitignore-flavoured glob: `*` matches within a segment, `**` across
 * segments, `?` one char, `[...]` a class. A pattern without '/' matches the
 * basename of any segment run. */
bool pa_glob_match(const char *pattern, const char *path);

/* ---- files -------------------------------------------------------------- */
/* Read a whole regular file (refuses FIFOs, devices; at most max_bytes).
 * *out is owned, NUL-terminated; *len excludes the NUL. On failure *reason
 * is a static string such as "not a regular file" or "larger than limit". */
pa_status pa_file_read(const char *path, size_t max_bytes, char **out, size_t *len, const char **reason);
/* Write atomically: temp file in the same directory, fsync, rename. Creates
 * missing parent directories. */
pa_status pa_file_write_atomic(const char *path, const char *data, size_t len);
/* Same without fsync and without creating directories: readers see the old
 * or the new file, never a torn one, but a crash may lose it (for caches). */
pa_status pa_file_write_replace(const char *path, const char *data, size_t len);
pa_status pa_mkdirs(const char *dir);
char *pa_path_join(const char *a, const char *b);          /* owned */
bool pa_path_is_dir(const char *path);
bool pa_path_is_file(const char *path);
/* Does path, with every symlink resolved, stay inside root (also resolved)?
 * False when either cannot be resolved. Used wherever the audited project's
 * own files are read or written (added for issue 9: untrusted trees). */
bool pa_path_within(const char *root, const char *path);

/* ---- logging ------------------------------------------------------------ */
typedef enum pa_log_level { PA_LOG_QUIET = 0, PA_LOG_NORMAL = 1, PA_LOG_VERBOSE = 2 } pa_log_level;
void pa_log_set_level(pa_log_level lvl);
pa_log_level pa_log_get_level(void);
/* Thread-safe; each message is one line to stderr prefixed "pa-audit: ". */
void pa_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pa_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));   /* verbose only */
void pa_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));  /* always shown */

/* ---- time --------------------------------------------------------------- */
double pa_now_seconds(void);  /* monotonic */

#endif
