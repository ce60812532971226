/* buf.c - the growable string builder (pa_buf) and string helpers. */
#include "pa/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pa_buf_init(pa_buf *b) { b->s = NULL; b->len = b->cap = 0; }
void pa_buf_free(pa_buf *b) { free(b->s); pa_buf_init(b); }
void pa_buf_reset(pa_buf *b) { b->len = 0; if (b->s) b->s[0] = '\0'; }

static void reserve(pa_buf *b, size_t extra)
{
    size_t want = b->len + extra + 1;
    if (want <= b->cap) return;
    size_t nc = b->cap ? b->cap * 2 : 64;
    while (nc < want) nc *= 2;
    b->s = pa_xrealloc(b->s, nc);
    b->cap = nc;
}

void pa_buf_append(pa_buf *b, const char *s, size_t n)
{
    reserve(b, n);
    if (n) memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void pa_buf_puts(pa_buf *b, const char *s) { pa_buf_append(b, s, strlen(s)); }
void pa_buf_putc(pa_buf *b, char c) { pa_buf_append(b, &c, 1); }

void pa_buf_vprintf(pa_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return;
    reserve(b, (size_t)n);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void pa_buf_printf(pa_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pa_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *pa_buf_cstr(pa_buf *b)
{
    reserve(b, 0);
    return b->s;
}

char *pa_buf_take(pa_buf *b)
{
    reserve(b, 0);
    char *s = b->s;
    pa_buf_init(b);
    return s;
}

void pa_buf_md_cell(pa_buf *b, const char *s)
{
    if (!s) return;
    for (; *s; s++) {
        if (*s == '|') pa_buf_puts(b, "\\|");
        else if (*s == '\n' || *s == '\r') pa_buf_putc(b, ' ');
        else pa_buf_putc(b, *s);
    }
}

/* ---- strings ------------------------------------------------------------ */
bool pa_str_starts(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

bool pa_str_ends(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && memcmp(s + a - b, suf, b) == 0;
}

bool pa_str_eq(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

bool pa_str_ieq(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
        if (x != y) return false;
    }
    return *a == *b;
}

char *pa_str_trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = '\0';
    return s;
}

const char *pa_str_last_dot(const char *d)
{
    const char *p = strrchr(d, '.');
    return p ? p + 1 : d;
}

int pa_str_cmp_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool pa_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    while (p < e) {
        unsigned c = *p;
        if (c < 0x80) { p++; continue; }
        size_t k;
        unsigned min;
        if ((c & 0xE0) == 0xC0) { k = 1; min = 0x80; c &= 0x1F; }
        else if ((c & 0xF0) == 0xE0) { k = 2; min = 0x800; c &= 0x0F; }
        else if ((c & 0xF8) == 0xF0) { k = 3; min = 0x10000; c &= 0x07; }
        else return false;
        if ((size_t)(e - p) <= k) return false;
        for (size_t i = 1; i <= k; i++) {
            if ((p[i] & 0xC0) != 0x80) return false;
            c = (c << 6) | (p[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
        p += k + 1;
    }
    return true;
}

/* ---- hashing & map ------------------------------------------------------ */
uint64_t pa_hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) { h ^= s[i]; h *= 1099511628211ULL; }
    return h;
}

uint64_t pa_hash_str(const char *s) { return pa_hash_bytes(s, strlen(s)); }

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33; x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33; x *= 0xC4CEB9FE1A85EC53ULL;
    return x ^ (x >> 33);
}

uint64_t pa_hash64(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *s = p;
    const uint64_t k1 = 0x9E3779B97F4A7C15ULL, k2 = 0xC2B2AE3D27D4EB4FULL;
    uint64_t h = seed ^ (n * k1);
    size_t i = 0;
    if (n >= 32) {   /* four independent lanes: the multiplies overlap */
        uint64_t a = h, b = h ^ k2, c = h + k1, d = h - k2;
        for (; i + 32 <= n; i += 32) {
            uint64_t w[4];
            memcpy(w, s + i, 32);
            a = ((a ^ w[0]) * k1); a ^= a >> 31;
            b = ((b ^ w[1]) * k2); b ^= b >> 29;
            c = ((c ^ w[2]) * k1); c ^= c >> 31;
            d = ((d ^ w[3]) * k2); d ^= d >> 29;
        }
        h = mix64(a) ^ (mix64(b) * 3) ^ (mix64(c) * 5) ^ (mix64(d) * 7);
    }
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ mix64(w)) * k1;
        h ^= h >> 29;
    }
    uint64_t t = 0;
    memcpy(&t, s + i, n - i);
    h = (h ^ mix64(t ^ ((uint64_t)(n - i) << 56))) * k1;
    return mix64(h);
}

void pa_strmap_init(pa_strmap *m) { m->keys = NULL; m->vals = NULL; m->cap = 0; m->n = 0; }

void pa_strmap_free(pa_strmap *m)
{
    free(m->keys);
    free(m->vals);
    pa_strmap_init(m);
}

static size_t slot_of(const pa_strmap *m, const char *key)
{
    size_t mask = m->cap - 1, i = (size_t)pa_hash_str(key) & mask;
    while (m->keys[i] && strcmp(m->keys[i], key) != 0) i = (i + 1) & mask;
    return i;
}

void *pa_strmap_get(const pa_strmap *m, const char *key)
{
    if (!m->cap) return NULL;
    size_t i = slot_of(m, key);
    return m->keys[i] ? m->vals[i] : NULL;
}

bool pa_strmap_has(const pa_strmap *m, const char *key)
{
    return m->cap && m->keys[slot_of(m, key)] != NULL;
}

void pa_strmap_put(pa_strmap *m, const char *key, void *val)
{
    if ((m->n + 1) * 2 > m->cap) {
        pa_strmap old = *m;
        m->cap = old.cap ? old.cap * 2 : 16;
        m->keys = pa_xcalloc(m->cap, sizeof *m->keys);
        m->vals = pa_xcalloc(m->cap, sizeof *m->vals);
        m->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.keys[i]) pa_strmap_put(m, old.keys[i], old.vals[i]);
        free(old.keys);
        free(old.vals);
    }
    size_t i = slot_of(m, key);
    if (!m->keys[i]) { m->keys[i] = key; m->n++; }
    m->vals[i] = val;
}
