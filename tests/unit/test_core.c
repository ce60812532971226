/* test_core.c - the core toolbox: strings, UTF-8 validation, glob matching,
 * arenas, the string map, file reading limits and atomic writes. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "pa/core.h"

static void test_glob(void)
{
    CHECK(pa_glob_match("legacy/**", "legacy/a/b.py"));
    CHECK(pa_glob_match("legacy/**", "legacy/x.py"));
    CHECK(!pa_glob_match("legacy/**", "app/legacy.py"));
    CHECK(pa_glob_match("*.py", "app/x.py"));
    CHECK(pa_glob_match("migrations", "app/migrations/0001.py"));
    CHECK(!pa_glob_match("migrations", "app/migrations_old/0001.py"));
    CHECK(pa_glob_match("app/*/views.py", "app/shop/views.py"));
    CHECK(!pa_glob_match("app/*/views.py", "app/shop/sub/views.py"));
    CHECK(pa_glob_match("**/gen_*.py", "a/b/gen_x.py"));
    CHECK(pa_glob_match("/build", "build/x.py"));
    CHECK(!pa_glob_match("/build", "src/build/x.py"));
    CHECK(pa_glob_match("data?.py", "data1.py"));
    CHECK(pa_glob_match("[ab].py", "b.py"));
    CHECK(!pa_glob_match("[!ab].py", "b.py"));
    CHECK(pa_glob_match("generated/", "generated/x.py"));
}

static void test_utf8(void)
{
    CHECK(pa_utf8_valid("héllo", strlen("héllo")));
    CHECK(pa_utf8_valid("日本", strlen("日本")));
    CHECK(!pa_utf8_valid("\xff\xfe", 2));
    CHECK(!pa_utf8_valid("\xc3", 1));          /* truncated */
    CHECK(!pa_utf8_valid("\xc0\x80", 2));      /* overlong */
    CHECK(!pa_utf8_valid("\xed\xa0\x80", 3));  /* surrogate */
}

static void test_strings(void)
{
    CHECK(pa_str_starts("PA301", "PA3"));
    CHECK(pa_str_ends("x.py", ".py"));
    CHECK(pa_str_ieq("High", "HIGH"));
    CHECK(!pa_str_eq(NULL, "a"));
    CHECK(pa_str_eq(NULL, NULL));
    CHECK_STR(pa_str_last_dot("a.b.c"), "c");
    char t[] = "  x y \n";
    CHECK_STR(pa_str_trim(t), "x y");
    pa_buf b;
    pa_buf_init(&b);
    pa_buf_md_cell(&b, "a|b\nc");
    CHECK_STR(pa_buf_cstr(&b), "a\\|b c");
    pa_buf_free(&b);
}

static void test_arena_map(void)
{
    pa_arena a;
    pa_arena_init(&a);
    char *big = pa_arena_alloc(&a, 200000);
    CHECK(big != NULL);
    char *s = pa_arena_strdup(&a, "hello");
    CHECK_STR(s, "hello");
    for (int i = 0; i < 10000; i++) pa_arena_alloc(&a, 24);
    CHECK_STR(pa_arena_printf(&a, "%d-%s", 7, "x"), "7-x");
    pa_arena_free(&a);

    pa_strmap m;
    pa_strmap_init(&m);
    char keys[500][8];
    for (int i = 0; i < 500; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        pa_strmap_put(&m, keys[i], (void *)(intptr_t)(i + 1));
    }
    CHECK_INT((intptr_t)pa_strmap_get(&m, "k0"), 1);
    CHECK_INT((intptr_t)pa_strmap_get(&m, "k499"), 500);
    CHECK(pa_strmap_get(&m, "nope") == NULL);
    CHECK_INT(m.n, 500);
    pa_strmap_free(&m);
}

static void test_files(void)
{
    char dir[] = "/tmp/pa-core-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char *p = pa_xasprintf("%s/a/b/report.md", dir);
    CHECK(pa_file_write_atomic(p, "hello", 5) == PA_OK);
    char *text = NULL;
    size_t len = 0;
    const char *why = NULL;
    CHECK(pa_file_read(p, 100, &text, &len, &why) == PA_OK);
    CHECK_INT(len, 5);
    CHECK_STR(text, "hello");
    free(text);
    CHECK(pa_file_read(p, 3, &text, &len, &why) == PA_ERR_LIMIT);
    CHECK(pa_file_write_atomic(p, "second", 6) == PA_OK);
    CHECK(pa_file_read(p, 100, &text, &len, &why) == PA_OK);
    CHECK_STR(text, "second");
    free(text);
    char *fifo = pa_xasprintf("%s/pipe.py", dir);
    CHECK(mkfifo(fifo, 0600) == 0);
    CHECK(pa_file_read(fifo, 100, &text, &len, &why) == PA_ERR_IO); /* must not block */
    CHECK_STR(why, "not a regular file");
    CHECK(pa_file_read(dir, 100, &text, &len, &why) == PA_ERR_IO);
    char *missing = pa_xasprintf("%s/nope.py", dir);
    CHECK(pa_file_read(missing, 100, &text, &len, &why) == PA_ERR_IO);
    unlink(fifo);
    char *cmd = pa_xasprintf("rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    free(cmd); free(missing); free(fifo); free(p);
}

int main(void)
{
    test_glob();
    test_utf8();
    test_strings();
    test_arena_map();
    test_files();
    return test_done("test_core");
}
