/* cache.c - the incremental facts cache (see pa/cache.h).
 *
 * Layout of DIR:
 *   CACHEDIR.TAG, .gitignore ("*")   so backups and git leave it alone
 *   facts/XX/KKKKKKKKKKKKKKKK.facts  one entry: XX = first two hex digits of K
 *
 * K = pa_hash64(content, seed = hash(version, layout, path, module)). An
 * entry file is a fixed header, the path and module (checked byte for byte
 * against the file being loaded: the key alone is never trusted), then the
 * facts image. The header carries a second, independent hash of the content
 * and a checksum of the image; pa_facts_decode then bounds-checks the image
 * and every cross-reference in it.
 */
#include "pa/cache.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_MAGIC "PAFACTS\x01"
#define CACHE_MAX_ENTRY (256u << 20)   /* larger entries are not written nor read */

struct entry_hdr {
    char magic[8];
    uint32_t hdr_size;       /* sizeof(struct entry_hdr) */
    uint32_t path_len, module_len;
    uint32_t reserved;
    uint64_t src_len, src_hash, body_len, body_sum;
    char version[32];
    char abi[128];
};

struct pa_cache {
    char *dir;               /* DIR/facts */
    char version[32], abi[128];
    atomic_size_t hits, misses, rejected, stored;
    atomic_bool write_failed;
};

static const char tag_text[] =
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by pa-audit.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n";

static bool write_if_missing(const char *dir, const char *name, const char *text)
{
    char *p = pa_path_join(dir, name);
    bool ok = pa_path_is_file(p) || pa_file_write_replace(p, text, strlen(text)) == PA_OK;
    free(p);
    return ok;
}

pa_cache *pa_cache_open(const char *dir, const char **why)
{
    *why = NULL;
    if (!dir || !*dir) { *why = "no directory given"; return NULL; }
    if (pa_mkdirs(dir) != PA_OK || !pa_path_is_dir(dir)) { *why = "cannot create the directory"; return NULL; }
    if (!write_if_missing(dir, "CACHEDIR.TAG", tag_text) || !write_if_missing(dir, ".gitignore", "*\n")) {
        *why = "the directory is not writable";
        return NULL;
    }
    pa_cache *c = pa_xcalloc(1, sizeof *c);
    c->dir = pa_path_join(dir, "facts");
    for (int i = 0; i < 256; i++) {
        char sub[8];
        snprintf(sub, sizeof sub, "%02x", i);
        char *p = pa_path_join(c->dir, sub);
        bool ok = pa_mkdirs(p) == PA_OK;
        free(p);
        if (!ok) { *why = "cannot create its subdirectories"; pa_cache_close(c); return NULL; }
    }
    snprintf(c->version, sizeof c->version, "%s", PA_VERSION);
    pa_facts_image_abi(c->abi, sizeof c->abi);
    atomic_init(&c->hits, 0);
    atomic_init(&c->misses, 0);
    atomic_init(&c->rejected, 0);
    atomic_init(&c->stored, 0);
    atomic_init(&c->write_failed, false);
    return c;
}

void pa_cache_close(pa_cache *c)
{
    if (!c) return;
    free(c->dir);
    free(c);
}

static uint64_t key_seed(const pa_cache *c, const char *relpath, const char *module)
{
    uint64_t h = pa_hash64(c->version, strlen(c->version), 0x70612d6175646974ULL);
    h = pa_hash64(c->abi, strlen(c->abi), h);
    h = pa_hash64(relpath, strlen(relpath) + 1, h);   /* the NUL separates path and module */
    return pa_hash64(module, strlen(module), h);
}

static char *entry_path(const pa_cache *c, const char *relpath, const char *module, const char *src, size_t len)
{
    uint64_t k = pa_hash64(src, len, key_seed(c, relpath, module));
    return pa_xasprintf("%s/%02x/%016llx.facts", c->dir, (unsigned)(k >> 56), (unsigned long long)k);
}

static uint64_t content_hash(const char *src, size_t len) { return pa_hash64(src, len, 0x636f6e74656e7431ULL); }

struct pa_file_facts *pa_cache_load(pa_cache *c, const char *relpath, const char *module, const char *src,
                                    size_t len)
{
    if (!c) return NULL;
    if (!module) module = "";
    char *path = entry_path(c, relpath, module, src, len);
    char *p = NULL;
    size_t n = 0;
    const char *why;
    /* regular files only (a FIFO in its place cannot block), at most CACHE_MAX_ENTRY */
    pa_status rst = pa_file_read(path, CACHE_MAX_ENTRY, &p, &n, &why);
    free(path);
    if (rst != PA_OK || n == 0) {
        free(p);
        atomic_fetch_add(&c->misses, 1);
        return NULL;
    }
    struct pa_file_facts *f = NULL;
    struct entry_hdr h;
    size_t pl = strlen(relpath), ml = strlen(module);
    bool ok = n >= sizeof h;
    if (ok) {
        memcpy(&h, p, sizeof h);
        size_t body_off = (sizeof h + pl + ml + 7) & ~(size_t)7;
        ok = memcmp(h.magic, CACHE_MAGIC, 8) == 0 && h.hdr_size == sizeof h &&
             memcmp(h.version, c->version, sizeof h.version) == 0 && memcmp(h.abi, c->abi, sizeof h.abi) == 0 &&
             h.path_len == pl && h.module_len == ml && memcmp(p + sizeof h, relpath, pl) == 0 &&
             n >= sizeof h + pl + ml && memcmp(p + sizeof h + pl, module, ml) == 0 && h.src_len == len &&
             h.src_hash == content_hash(src, len) && body_off <= n && h.body_len == n - body_off &&
             h.body_sum == pa_hash64(p + body_off, (size_t)h.body_len, 0);
        if (ok && pa_facts_decode(p + body_off, (size_t)h.body_len, true, &f, NULL) != PA_OK) ok = false;
        if (ok && (strcmp(f->path, relpath) != 0 || f->bytes != len)) ok = false;
    }
    free(p);
    if (!ok) {
        pa_file_facts_free(f);
        atomic_fetch_add(&c->rejected, 1);
        atomic_fetch_add(&c->misses, 1);
        return NULL;
    }
    atomic_fetch_add(&c->hits, 1);
    return f;
}

void pa_cache_store(pa_cache *c, const char *relpath, const char *module, const char *src, size_t len,
                    const struct pa_file_facts *f, pa_buf *scratch)
{
    if (!c || !f || atomic_load(&c->write_failed)) return;
    if (!module) module = "";
    size_t pl = strlen(relpath), ml = strlen(module);
    struct entry_hdr h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, CACHE_MAGIC, 8);
    h.hdr_size = sizeof h;
    h.path_len = (uint32_t)pl;
    h.module_len = (uint32_t)ml;
    h.src_len = len;
    h.src_hash = content_hash(src, len);
    memcpy(h.version, c->version, sizeof h.version);
    memcpy(h.abi, c->abi, sizeof h.abi);
    /* header, path, module, padding to 8, then the image */
    pa_buf_reset(scratch);
    pa_buf_append(scratch, (const char *)&h, sizeof h);
    pa_buf_append(scratch, relpath, pl);
    pa_buf_append(scratch, module, ml);
    static const char zeros[8];
    size_t body_off = (scratch->len + 7) & ~(size_t)7;
    pa_buf_append(scratch, zeros, body_off - scratch->len);
    size_t img_len = pa_facts_encode_append(f, scratch);   /* in place after the header */
    if (img_len > CACHE_MAX_ENTRY) return;
    h.body_len = img_len;
    h.body_sum = pa_hash64(scratch->s + body_off, img_len, 0);
    memcpy(scratch->s, &h, sizeof h);
    char *path = entry_path(c, relpath, module, src, len);
    if (pa_file_write_replace(path, scratch->s, scratch->len) != PA_OK) {
        if (!atomic_exchange(&c->write_failed, true))
            pa_warn("cache: cannot write '%s' (%s); continuing without storing", path, strerror(errno));
    } else {
        atomic_fetch_add(&c->stored, 1);
    }
    free(path);
}

struct pa_cache_stats pa_cache_stats(const pa_cache *c)
{
    struct pa_cache_stats s = {0, 0, 0, 0};
    if (!c) return s;
    s.hits = atomic_load(&c->hits);
    s.misses = atomic_load(&c->misses);
    s.rejected = atomic_load(&c->rejected);
    s.stored = atomic_load(&c->stored);
    return s;
}
