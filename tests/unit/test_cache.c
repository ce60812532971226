/* test_cache.c - facts images (facts_image.c) and the incremental facts
 * cache (cache.c): every fixture and example file round-trips through an
 * image unchanged; damaged images (every truncation, byte flips, forged
 * cross-references) are rejected or decode safely, never crash; the cache
 * hits only for the same version, layout, path, module and content, and
 * ignores damaged, truncated or foreign entries. Runs under ASan/UBSan. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "pa/cache.h"
#include "pa/facts.h"

#include "../fuzz/fuzz_facts_image.c"   /* fi_roundtrip, fi_walk */

static pa_py_parser *P;

static char *slurp(const char *path, size_t *len)
{
    char *s = NULL;
    const char *why;
    return pa_file_read(path, 1u << 24, &s, len, &why) == PA_OK ? s : NULL;
}

static struct pa_file_facts *extract(const char *src, size_t len, const char *rel)
{
    struct pa_file_facts *f = NULL;
    const char *reason;
    return pa_extract_file(P, src, len, rel, NULL, &f, &reason) == PA_OK ? f : NULL;
}

/* encode → decode (checked) → encode gives the same bytes: the fuzz
 * target's check (fi_roundtrip aborts with a message otherwise) */
static size_t roundtrip_file(const char *path)
{
    size_t len;
    char *src = slurp(path, &len);
    if (!src) return 0;
    struct pa_file_facts *f = extract(src, len, path);
    free(src);
    if (!f) return 0;
    fi_roundtrip(f);
    CHECK(fi_walk(f) > 0);
    pa_file_facts_free(f);
    return 1;
}

static size_t roundtrip_tree(const char *dir)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    if (!d) return 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *p = pa_path_join(dir, e->d_name);
        if (pa_path_is_dir(p)) n += roundtrip_tree(p);
        else if (pa_str_ends(p, ".py")) n += roundtrip_file(p);
        free(p);
    }
    closedir(d);
    return n;
}

static const char sample[] =
    "import asyncio, time\n"
    "from app.db import session as s\n"
    "class Repo(Base):\n"
    "    table = 'jobs'\n"
    "    @property\n"
    "    def get(self, job_id: int = Depends(get_db)):\n"
    "        for j in self.q.all():\n"
    "            with s.begin() as tx:\n"
    "                try:\n"
    "                    tx.execute(update(Job).where(Job.id == j.id), {'a': 1})\n"
    "                except Exception as e:  # pa-audit: ignore[PA204] -- test\n"
    "                    raise\n"
    "        x = [k for k in range(3)]\n"
    "        x.append(len(x))\n"
    "        return (lambda v: v + 1)(x)\n"
    "async def h():\n"
    "    time.sleep(1)\n"
    "    await asyncio.to_thread(time.sleep, 2)\n";

static void test_corruption(void)
{
    struct pa_file_facts *f = extract(sample, sizeof sample - 1, "app/repo.py");
    CHECK(f != NULL);
    if (!f) return;
    CHECK(f->calls.n > 5 && f->loops.n > 1 && f->tries.n == 1 && f->suppressions.n == 1);
    pa_buf img;
    pa_buf_init(&img);
    pa_facts_encode(f, &img);
    struct pa_file_facts *g;
    const char *why;
    /* every truncation is refused (the root alone is larger than any cut of it,
     * and the arrays end at the image's end) or decodes within bounds */
    size_t refused = 0;
    for (size_t n = 0; n < img.len; n++) {
        if (pa_facts_decode(img.s, n, true, &g, &why) == PA_OK) pa_file_facts_free(g);
        else refused++;
    }
    CHECK(refused > img.len / 2);
    /* flipped bytes: decode must not crash; whatever decodes passes the checks */
    char *copy = pa_xmalloc(img.len);
    size_t decoded = 0;
    for (size_t i = 0; i < img.len; i++)
        for (int bit = 0; bit < 8; bit += 3) {
            memcpy(copy, img.s, img.len);
            copy[i] ^= (char)(1 << bit);
            if (pa_facts_decode(copy, img.len, true, &g, &why) == PA_OK) {
                decoded++;
                /* walk it: every pointer must be readable (ASan watches) */
                size_t sum = 0;
                for (size_t k = 0; k < g->calls.n; k++) {
                    sum += strlen(g->calls.v[k].callee);
                    for (uint16_t a = 0; a < g->calls.v[k].nargs; a++)
                        sum += g->calls.v[k].args[a].text ? strlen(g->calls.v[k].args[a].text) : 0;
                }
                CHECK(sum > 0 || g->calls.n == 0);
                pa_file_facts_free(g);
            }
        }
    CHECK(decoded > 0);   /* most flips hit text or line numbers: harmless */
    /* forged cross-references are refused */
    struct pa_file_facts *h = NULL;
    CHECK(pa_facts_decode(img.s, img.len, true, &h, &why) == PA_OK);
    if (h) {
        struct {
            size_t off;
            int32_t val;
        } forge[] = {
            {(size_t)((char *)&h->calls.v[0].func - (char *)h->calls.v), 9999},
            {(size_t)((char *)&h->calls.v[1].loop - (char *)h->calls.v), 77},
            {(size_t)((char *)&h->calls.v[2].parent_call - (char *)h->calls.v), 2},   /* itself */
        };
        for (size_t k = 0; k < sizeof forge / sizeof forge[0]; k++) {
            /* find the calls array in the image: same offset as in the decoded block */
            memcpy(copy, img.s, img.len);
            uintptr_t arr;
            memcpy(&arr, img.s + offsetof(struct pa_file_facts, calls.v), sizeof arr);
            memcpy(copy + arr + forge[k].off, &forge[k].val, sizeof forge[k].val);
            CHECK(pa_facts_decode(copy, img.len, true, &g, &why) == PA_ERR_PARSE);
            CHECK_STR(why, "cross-reference out of range");
            /* unchecked (fresh facts only) the same image decodes */
            if (pa_facts_decode(copy, img.len, false, &g, &why) == PA_OK) pa_file_facts_free(g);
        }
        /* a loop whose parent is itself would make parent walks spin */
        memcpy(copy, img.s, img.len);
        uintptr_t loops;
        memcpy(&loops, img.s + offsetof(struct pa_file_facts, loops.v), sizeof loops);
        int32_t self = 1;
        memcpy(copy + loops + sizeof(struct pa_loop) + offsetof(struct pa_loop, parent), &self, sizeof self);
        CHECK(pa_facts_decode(copy, img.len, true, &g, &why) == PA_ERR_PARSE);
        /* a string offset past the end */
        memcpy(copy, img.s, img.len);
        uintptr_t far = img.len + 10;
        memcpy(copy + offsetof(struct pa_file_facts, path), &far, sizeof far);
        CHECK(pa_facts_decode(copy, img.len, true, &g, &why) == PA_ERR_PARSE);
        CHECK_STR(why, "string out of bounds");
        pa_file_facts_free(h);
    }
    free(copy);
    pa_buf_free(&img);
    pa_file_facts_free(f);
}

static char *tmpdir(void)
{
    char tmpl[] = "/tmp/pa-cache-test-XXXXXX";
    return pa_xstrdup(mkdtemp(tmpl));
}

static char *only_entry(const char *dir)
{
    /* the one entry file under dir/facts/XX/ */
    char *facts = pa_path_join(dir, "facts");
    char *found = NULL;
    DIR *d = opendir(facts);
    struct dirent *e;
    while (d && (e = readdir(d)) && !found) {
        if (e->d_name[0] == '.') continue;
        char *sub = pa_path_join(facts, e->d_name);
        DIR *s = opendir(sub);
        struct dirent *x;
        while (s && (x = readdir(s)) && !found)
            if (pa_str_ends(x->d_name, ".facts")) found = pa_path_join(sub, x->d_name);
        if (s) closedir(s);
        free(sub);
    }
    if (d) closedir(d);
    free(facts);
    return found;
}

static void test_cache(void)
{
    char *dir = tmpdir();
    const char *why = NULL;
    pa_cache *c = pa_cache_open(dir, &why);
    CHECK(c != NULL);
    if (!c) { free(dir); return; }
    char *tag = pa_path_join(dir, "CACHEDIR.TAG");
    CHECK(pa_path_is_file(tag));
    free(tag);
    pa_buf scratch;
    pa_buf_init(&scratch);
    size_t len = sizeof sample - 1;
    CHECK(pa_cache_load(c, "app/repo.py", "app.repo", sample, len) == NULL);   /* cold */
    struct pa_file_facts *f = extract(sample, len, "app/repo.py");
    pa_cache_store(c, "app/repo.py", "app.repo", sample, len, f, &scratch);
    struct pa_file_facts *g = pa_cache_load(c, "app/repo.py", "app.repo", sample, len);
    CHECK(g != NULL);
    if (g) {
        pa_buf a, b;
        pa_buf_init(&a);
        pa_buf_init(&b);
        pa_facts_encode(f, &a);
        pa_facts_encode(g, &b);
        CHECK(a.len == b.len && memcmp(a.s, b.s, a.len) == 0);
        pa_buf_free(&a);
        pa_buf_free(&b);
        pa_file_facts_free(g);
    }
    /* other content, other path, other module: misses */
    char *other = pa_xstrdup(sample);
    other[0] = 'I';
    CHECK(pa_cache_load(c, "app/repo.py", "app.repo", other, len) == NULL);
    CHECK(pa_cache_load(c, "app/repo2.py", "app.repo", sample, len) == NULL);
    CHECK(pa_cache_load(c, "app/repo.py", "repo", sample, len) == NULL);
    free(other);
    struct pa_cache_stats st = pa_cache_stats(c);
    CHECK_INT(st.hits, 1);
    CHECK_INT(st.stored, 1);
    CHECK_INT(st.rejected, 0);

    /* damage the entry in several ways: each is rejected, then rebuilt */
    char *entry = only_entry(dir);
    CHECK(entry != NULL);
    size_t elen = 0;
    char *orig = entry ? slurp(entry, &elen) : NULL;
    CHECK(orig != NULL && elen > 300);
    if (orig && elen > 300) {
        size_t cuts[] = {0, 7, 100, elen / 2, elen - 1};
        for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
            CHECK(pa_file_write_atomic(entry, orig, cuts[k]) == PA_OK);
            CHECK(pa_cache_load(c, "app/repo.py", "app.repo", sample, len) == NULL);
        }
        char *bad = pa_xmalloc(elen);
        size_t flips[] = {0, 9, 30, 200, elen / 2, elen - 3};   /* magic, header, version, body */
        for (size_t k = 0; k < sizeof flips / sizeof flips[0]; k++) {
            memcpy(bad, orig, elen);
            bad[flips[k]] ^= 0x20;
            CHECK(pa_file_write_atomic(entry, bad, elen) == PA_OK);
            CHECK(pa_cache_load(c, "app/repo.py", "app.repo", sample, len) == NULL);
        }
        /* another version's entry: same bytes but the version field */
        memcpy(bad, orig, elen);
        memcpy(bad + 56, "0.0.0-other\0", 12);   /* entry_hdr.version: after 24 bytes of ids, 4 u64 */
        CHECK(pa_file_write_atomic(entry, bad, elen) == PA_OK);
        CHECK(pa_cache_load(c, "app/repo.py", "app.repo", sample, len) == NULL);
        free(bad);
        st = pa_cache_stats(c);
        CHECK_INT(st.rejected, 11);   /* an empty file counts as a plain miss */
        /* a store replaces the damaged entry, and it hits again */
        pa_cache_store(c, "app/repo.py", "app.repo", sample, len, f, &scratch);
        g = pa_cache_load(c, "app/repo.py", "app.repo", sample, len);
        CHECK(g != NULL);
        pa_file_facts_free(g);
        /* a directory or a FIFO in place of the entry: a miss, no hang */
        unlink(entry);
        CHECK(mkfifo(entry, 0644) == 0);
        CHECK(pa_cache_load(c, "app/repo.py", "app.repo", sample, len) == NULL);
        unlink(entry);
    }
    free(orig);
    free(entry);
    pa_file_facts_free(f);
    pa_buf_free(&scratch);
    pa_cache_close(c);

    /* a path that is a file, not a directory: refused with a reason */
    char *file = pa_path_join(dir, "CACHEDIR.TAG");
    CHECK(pa_cache_open(file, &why) == NULL && why != NULL);
    free(file);
    char *cmd = pa_xasprintf("rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    free(cmd);
    free(dir);
}

int main(void)
{
    P = pa_py_parser_new();
    size_t n = roundtrip_tree(PA_TESTS_DIR "/rules") + roundtrip_tree(PA_SOURCE_DIR "/examples/jobboard");
    CHECK(n > 60);
    printf("round-tripped %zu files\n", n);
    test_corruption();
    test_cache();
    pa_py_parser_free(P);
    if (fi_parser) pa_py_parser_free(fi_parser);
    return test_done("test_cache");
}
