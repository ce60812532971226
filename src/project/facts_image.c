/* facts_image.c - a file's facts as one position-independent block.
 *
 * The extractor builds facts in a growing arena (strings interned as they
 * are met, arrays copied at the end), which leaves the unused tail of the
 * arena's last block behind: over site-packages' 9,869 files that was about
 * 48 MB of 260. Encoding the facts into an image (every array and string in
 * one buffer, pointers replaced by offsets from the image start, each
 * string stored once - the extractor interns equal texts, so shared storage
 * is found by pointer) and decoding it into one exact-size block removes
 * that slack. The same image is what the incremental cache stores on disk
 * (cache.c), so the decoder also serves as its validator: every offset and
 * count is bounds-checked, every string must end inside the image, and, for
 * images read from disk, every cross-reference index must name an existing
 * record with the ordering the extractor guarantees (a parent before its
 * children), so that a damaged or forged cache file can be rejected but
 * never crash or hang a later phase.
 *
 * Layout: offset 0 holds a copy of struct pa_file_facts (its arena zeroed);
 * arrays follow, each 8-aligned; strings are NUL-terminated and unaligned.
 * Offset 0 is never a pointee, so a 0 offset encodes NULL. The layout is
 * this build's struct layout: pa_facts_image_abi() names it, and the cache
 * refuses images of another ABI.
 *
 * One walker (walk) visits every pointer field; it runs in either direction
 * (ENC: pointers → offsets while copying; DEC: offsets → pointers while
 * checking), so the list of pointer fields exists once.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pa/facts.h"

enum { ENC = 0, DEC = 1 };

struct vis {
    int mode;
    char *base;          /* DEC: the block being decoded */
    size_t len;          /* DEC: its length */
    pa_buf *buf;         /* ENC: the buffer the image is appended to (it moves as it grows) */
    size_t start;        /* ENC: where the image starts in buf (offsets are from there) */
    struct pmap *strs;   /* ENC: string pointer → offset (dedup) */
    const char *why;     /* DEC: first problem found */
};

/* ENC's string dedup, keyed by pointer: the extractor interns its texts
 * (equal texts share storage) and decoded facts hold each text once, so
 * pointer identity finds the repeats without hashing or comparing text.
 * Open addressing; the table is the encoder's scratch, reused per call. */
struct pmap {
    const char **keys;
    uintptr_t *vals;
    size_t cap, n;
};

static inline size_t pslot(const struct pmap *m, const char *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
    size_t i = (size_t)(h >> 32) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != p) i = (i + 1) & (m->cap - 1);
    return i;
}

static void pmap_grow(struct pmap *m)
{
    struct pmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 256;
    m->keys = pa_xcalloc(m->cap, sizeof *m->keys);
    m->vals = pa_xmalloc(m->cap * sizeof *m->vals);
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i]) {
            size_t k = pslot(m, old.keys[i]);
            m->keys[k] = old.keys[i];
            m->vals[k] = old.vals[i];
        }
    free(old.keys);
    free(old.vals);
}

static inline char *at(struct vis *v, size_t off) { return (v->mode == ENC ? v->buf->s + v->start : v->base) + off; }

static bool fail(struct vis *v, const char *why)
{
    if (!v->why) v->why = why;
    return false;
}

/* ENC: append n bytes (aligned to `align`), return their offset. */
static size_t put(struct vis *v, const void *p, size_t n, size_t align)
{
    static const char zeros[8];
    size_t pad = (align - (v->buf->len - v->start) % align) % align;
    if (pad) pa_buf_append(v->buf, zeros, pad);
    size_t off = v->buf->len - v->start;
    pa_buf_append(v->buf, p, n);
    return off;
}

/* A `const char *` field at image offset `slot`. */
static bool v_str(struct vis *v, size_t slot)
{
    if (v->mode == ENC) {
        const char *s;
        memcpy(&s, at(v, slot), sizeof s);
        uintptr_t o = 0;
        if (s) {
            struct pmap *m = v->strs;
            if ((m->n + 1) * 2 > m->cap) pmap_grow(m);
            size_t k = pslot(m, s);
            if (m->keys[k]) o = m->vals[k];
            else {
                o = put(v, s, strlen(s) + 1, 1);
                m->keys[k] = s;
                m->vals[k] = o;
                m->n++;
            }
        }
        memcpy(at(v, slot), &o, sizeof o);
        return true;
    }
    uintptr_t o;
    memcpy(&o, at(v, slot), sizeof o);
    const char *p = NULL;
    if (o) {
        if (o >= v->len || !memchr(v->base + o, '\0', v->len - o)) return fail(v, "string out of bounds");
        p = v->base + o;
    }
    memcpy(at(v, slot), &p, sizeof p);
    return true;
}

/* An array field (pointer at image offset `slot`) of n elements of sz bytes;
 * *elems receives the elements' image offset (0 when empty). */
static bool v_arr(struct vis *v, size_t slot, size_t n, size_t sz, size_t *elems)
{
    *elems = 0;
    if (v->mode == ENC) {
        const void *p;
        memcpy(&p, at(v, slot), sizeof p);
        uintptr_t o = n && p ? put(v, p, n * sz, 8) : 0;
        memcpy(at(v, slot), &o, sizeof o);
        *elems = o;
        return true;
    }
    uintptr_t o;
    memcpy(&o, at(v, slot), sizeof o);
    void *p = NULL;
    if (n) {
        if (!o || o % 8 || o >= v->len || n > (v->len - o) / sz) return fail(v, "array out of bounds");
        p = v->base + o;
        *elems = o;
    }
    memcpy(at(v, slot), &p, sizeof p);
    return true;
}

/* Field access by image offset (re-read after every ENC append: the buffer moves). */
#define REC(T, off) ((T *)(void *)at(v, (off)))
#define STR(T, off, field) v_str(v, (off) + offsetof(T, field))
#define ARR(T, off, field, n, sz, out) v_arr(v, (off) + offsetof(T, field), (n), (sz), (out))

/* An array of strings (decorators, bases). */
static bool v_strs(struct vis *v, size_t slot, size_t n)
{
    size_t o;
    if (!v_arr(v, slot, n, sizeof(char *), &o)) return false;
    for (size_t i = 0; i < n; i++)
        if (!v_str(v, o + i * sizeof(char *))) return false;
    return true;
}

/* Each facts vector: its elements, then every pointer field of each. */
#define VEC(field, T, EACH)                                                                   \
    do {                                                                                      \
        size_t n_ = REC(struct pa_file_facts, 0)->field.n, o_;                                \
        if (!v_arr(v, offsetof(struct pa_file_facts, field.v), n_, sizeof(T), &o_)) return false; \
        REC(struct pa_file_facts, 0)->field.cap = n_;                                         \
        for (size_t i_ = 0; i_ < n_; i_++) {                                                  \
            size_t e = o_ + i_ * sizeof(T);                                                   \
            EACH                                                                              \
        }                                                                                     \
    } while (0)

static bool walk(struct vis *v)
{
    typedef struct pa_file_facts F;
    if (!STR(F, 0, path) || !STR(F, 0, module)) return false;
    size_t nl = REC(F, 0)->nlines, o;
    if (!ARR(F, 0, line_hash, nl, sizeof(uint32_t), &o) ||
        !ARR(F, 0, code_bits, nl ? (nl + 63) / 64 : 1, sizeof(uint64_t), &o) ||
        !ARR(F, 0, code_block, (nl >> 6) + 1, sizeof(uint32_t), &o))
        return false;

    VEC(funcs, struct pa_func, {
        typedef struct pa_func T;
        if (!STR(T, e, name) || !STR(T, e, qualname) || !STR(T, e, returns)) return false;
        if (!v_strs(v, e + offsetof(T, decorators), REC(T, e)->ndecorators)) return false;
        size_t po;
        if (!ARR(T, e, params, REC(T, e)->nparams, sizeof(struct pa_param), &po)) return false;
        for (size_t k = 0, np = REC(T, e)->nparams; k < np; k++) {
            size_t pe = po + k * sizeof(struct pa_param);
            if (!STR(struct pa_param, pe, name) || !STR(struct pa_param, pe, annotation) ||
                !STR(struct pa_param, pe, default_))
                return false;
        }
    });
    VEC(classes, struct pa_class, {
        typedef struct pa_class T;
        if (!STR(T, e, name) || !STR(T, e, qualname)) return false;
        if (!v_strs(v, e + offsetof(T, bases), REC(T, e)->nbases)) return false;
        if (!v_strs(v, e + offsetof(T, decorators), REC(T, e)->ndecorators)) return false;
        size_t ao;
        if (!ARR(T, e, attrs, REC(T, e)->nattrs, sizeof(struct pa_class_attr), &ao)) return false;
        for (size_t k = 0, na = REC(T, e)->nattrs; k < na; k++) {
            size_t ae = ao + k * sizeof(struct pa_class_attr);
            if (!STR(struct pa_class_attr, ae, name) || !STR(struct pa_class_attr, ae, annotation) ||
                !STR(struct pa_class_attr, ae, value))
                return false;
        }
    });
    VEC(imports, struct pa_import, {
        typedef struct pa_import T;
        if (!STR(T, e, module) || !STR(T, e, name) || !STR(T, e, alias)) return false;
    });
    VEC(calls, struct pa_call, {
        typedef struct pa_call T;
        if (!STR(T, e, callee) || !STR(T, e, base) || !STR(T, e, attr)) return false;
        size_t ao;
        if (!ARR(T, e, args, REC(T, e)->nargs, sizeof(struct pa_arg), &ao)) return false;
        for (size_t k = 0, na = REC(T, e)->nargs; k < na; k++) {
            size_t ae = ao + k * sizeof(struct pa_arg);
            if (!STR(struct pa_arg, ae, kw) || !STR(struct pa_arg, ae, text)) return false;
        }
    });
    VEC(loops, struct pa_loop, {
        if (!STR(struct pa_loop, e, target) || !STR(struct pa_loop, e, iter)) return false;
    });
    VEC(withs, struct pa_with, {
        size_t io;
        if (!ARR(struct pa_with, e, items, REC(struct pa_with, e)->nitems, sizeof(struct pa_with_item), &io))
            return false;
        for (size_t k = 0, ni = REC(struct pa_with, e)->nitems; k < ni; k++) {
            size_t ie = io + k * sizeof(struct pa_with_item);
            if (!STR(struct pa_with_item, ie, expr) || !STR(struct pa_with_item, ie, as)) return false;
        }
    });
    VEC(tries, struct pa_try, {
        size_t ho;
        if (!ARR(struct pa_try, e, handlers, REC(struct pa_try, e)->nhandlers, sizeof(struct pa_handler), &ho))
            return false;
        for (size_t k = 0, nh = REC(struct pa_try, e)->nhandlers; k < nh; k++) {
            size_t he = ho + k * sizeof(struct pa_handler);
            if (!STR(struct pa_handler, he, types) || !STR(struct pa_handler, he, name)) return false;
        }
    });
    VEC(assigns, struct pa_assign, {
        typedef struct pa_assign T;
        if (!STR(T, e, target) || !STR(T, e, op) || !STR(T, e, annotation) || !STR(T, e, value)) return false;
    });
    VEC(attr_uses, struct pa_attr_use, {
        if (!STR(struct pa_attr_use, e, name) || !STR(struct pa_attr_use, e, chain)) return false;
    });
    VEC(returns, struct pa_return, {
        if (!STR(struct pa_return, e, value)) return false;
    });
    VEC(name_uses, struct pa_name_use, {
        if (!STR(struct pa_name_use, e, name) || !STR(struct pa_name_use, e, detail)) return false;
    });
    VEC(suppressions, struct pa_suppression, {
        if (!STR(struct pa_suppression, e, rules) || !STR(struct pa_suppression, e, reason)) return false;
    });
    return true;
}

void pa_facts_encode(const struct pa_file_facts *f, pa_buf *out)
{
    pa_buf_reset(out);
    pa_facts_encode_append(f, out);
}

size_t pa_facts_encode_append(const struct pa_file_facts *f, pa_buf *out)
{
    struct pmap strs = {NULL, NULL, 0, 0};
    struct vis v = {.mode = ENC, .buf = out, .start = out->len, .strs = &strs};
    struct pa_file_facts root = *f;
    memset(&root.arena, 0, sizeof root.arena);
    put(&v, &root, sizeof root, 8);
    walk(&v);   /* cannot fail in this direction */
    free(strs.keys);
    free(strs.vals);
    return out->len - v.start;
}

/* ---- cross-reference checks (images read from disk) ---------------------- */

/* -1 or an index below n */
static inline bool ref(int64_t i, size_t n) { return i == -1 || (i >= 0 && (uint64_t)i < n); }
/* -1 or an index below `self` (a parent comes first in source order) */
static inline bool up(int64_t i, size_t self) { return i == -1 || (i >= 0 && (uint64_t)i < self); }

static bool check_refs(const struct pa_file_facts *f)
{
    size_t nf = f->funcs.n, nc = f->classes.n, nk = f->calls.n, nl = f->loops.n, nw = f->withs.n, nt = f->tries.n;
    for (size_t i = 0; i < nf; i++) {
        const struct pa_func *x = &f->funcs.v[i];
        if (!up(x->parent, i) || !ref(x->cls, nc) || !x->name || !x->qualname) return false;
        for (uint16_t k = 0; k < x->nparams; k++)
            if (!x->params[k].name) return false;
    }
    for (size_t i = 0; i < nc; i++) {
        const struct pa_class *x = &f->classes.v[i];
        if (!up(x->parent, i) || !ref(x->func, nf) || !x->name || !x->qualname) return false;
        for (uint16_t k = 0; k < x->nbases; k++)
            if (!x->bases[k]) return false;
        for (uint16_t k = 0; k < x->ndecorators; k++)
            if (!x->decorators[k]) return false;
        for (uint16_t k = 0; k < x->nattrs; k++)
            if (!x->attrs[k].name || !ref(x->attrs[k].value_call, nk)) return false;
    }
    for (size_t i = 0; i < nf; i++)
        for (uint16_t k = 0; k < f->funcs.v[i].ndecorators; k++)
            if (!f->funcs.v[i].decorators[k]) return false;
    for (size_t i = 0; i < f->imports.n; i++)
        if (!ref(f->imports.v[i].func, nf) || !f->imports.v[i].module) return false;
    for (size_t i = 0; i < nk; i++) {
        const struct pa_call *x = &f->calls.v[i];
        if (!ref(x->func, nf) || !ref(x->cls, nc) || !x->callee || !x->attr) return false;
        if (!(x->recv_call == -1 || (x->recv_call > (int64_t)i && (size_t)x->recv_call < nk))) return false;
        if (!up(x->parent_call, i) || !ref(x->loop, nl) || !ref(x->with, nw) || !ref(x->try_, nt)) return false;
        if (x->try_ >= 0 && x->try_part == PA_TRY_HANDLER && !ref(x->handler, f->tries.v[x->try_].nhandlers))
            return false;
        for (uint16_t k = 0; k < x->nargs; k++)
            if (!ref(x->args[k].call, nk) || !ref(x->args[k].func, nf)) return false;
    }
    for (size_t i = 0; i < nl; i++) {
        const struct pa_loop *x = &f->loops.v[i];
        if (!ref(x->func, nf) || !up(x->parent, i) || !ref(x->iter_call, nk) || !ref(x->with, nw)) return false;
    }
    for (size_t i = 0; i < nw; i++) {
        const struct pa_with *x = &f->withs.v[i];
        if (!ref(x->func, nf) || !up(x->parent, i) || !ref(x->loop, nl)) return false;
        for (uint16_t k = 0; k < x->nitems; k++)
            if (!x->items[k].expr || !ref(x->items[k].call, nk)) return false;
    }
    for (size_t i = 0; i < nt; i++) {
        const struct pa_try *x = &f->tries.v[i];
        if (!ref(x->func, nf) || !up(x->parent, i) || !ref(x->loop, nl)) return false;
    }
    for (size_t i = 0; i < f->assigns.n; i++) {
        const struct pa_assign *x = &f->assigns.v[i];
        if (!ref(x->func, nf) || !ref(x->cls, nc) || !ref(x->value_call, nk) || !ref(x->loop, nl) ||
            !ref(x->with, nw) || !ref(x->try_, nt) || !x->target || !x->op)
            return false;
    }
    for (size_t i = 0; i < f->attr_uses.n; i++) {
        const struct pa_attr_use *x = &f->attr_uses.v[i];
        if (!ref(x->func, nf) || !ref(x->loop, nl) || !x->name || !x->chain) return false;
    }
    for (size_t i = 0; i < f->returns.n; i++)
        if (!ref(f->returns.v[i].func, nf) || !ref(f->returns.v[i].value_call, nk)) return false;
    for (size_t i = 0; i < f->name_uses.n; i++) {
        const struct pa_name_use *x = &f->name_uses.v[i];
        if (!ref(x->func, nf) || !ref(x->loop, nl) || !x->name) return false;
    }
    return f->path != NULL;
}

pa_status pa_facts_decode(const void *img, size_t len, bool check, struct pa_file_facts **out, const char **why)
{
    *out = NULL;
    if (why) *why = NULL;
    if (!img || len < sizeof(struct pa_file_facts)) {
        if (why) *why = "image too short";
        return PA_ERR_PARSE;
    }
    struct pa_file_facts *f = pa_xcalloc(1, sizeof *f);
    pa_arena_init(&f->arena);
    char *block = pa_arena_alloc_exact(&f->arena, len);
    memcpy(block, img, len);
    struct vis v = {.mode = DEC, .base = block, .len = len};
    bool ok = walk(&v);
    if (ok) {
        pa_arena saved = f->arena;
        memcpy(f, block, sizeof *f);
        f->arena = saved;
        if (check && !check_refs(f)) ok = fail(&v, "cross-reference out of range");
    }
    if (!ok) {
        if (why) *why = v.why;
        pa_file_facts_free(f);
        return PA_ERR_PARSE;
    }
    *out = f;
    return PA_OK;
}

void pa_facts_image_abi(char *buf, size_t cap)
{
    /* the sizes of every record and of a pointer: a different build layout
     * gives a different string, and its images are not read */
    const size_t sizes[] = {
        sizeof(void *), sizeof(struct pa_file_facts), sizeof(struct pa_func), sizeof(struct pa_param),
        sizeof(struct pa_class), sizeof(struct pa_class_attr), sizeof(struct pa_import), sizeof(struct pa_call),
        sizeof(struct pa_arg), sizeof(struct pa_loop), sizeof(struct pa_with), sizeof(struct pa_with_item),
        sizeof(struct pa_try), sizeof(struct pa_handler), sizeof(struct pa_assign), sizeof(struct pa_attr_use),
        sizeof(struct pa_return), sizeof(struct pa_name_use), sizeof(struct pa_suppression),
    };
    size_t n = 0;
    if (cap) buf[0] = '\0';
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int w = snprintf(buf + n, cap - n, "%s%zu", i ? "." : "", sizes[i]);
        if (w < 0 || (size_t)w >= cap - n) break;
        n += (size_t)w;
    }
}
