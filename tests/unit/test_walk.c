/* test_walk.c - the walker: default excludes, --exclude, .gitignore,
 * sorted output, FIFOs/sockets named *.py, symlinks out of the root and
 * symlink loops (skipped with reasons, never followed), unreadable dirs. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "check.h"
#include "pa/walk.h"

static char root[64];

static void touch(const char *rel, const char *text)
{
    char *p = pa_xasprintf("%s/%s", root, rel);
    CHECK(pa_file_write_atomic(p, text, strlen(text)) == PA_OK);
    free(p);
}

static bool has_file(const struct pa_walk_result *w, const char *rel)
{
    for (size_t i = 0; i < w->files.n; i++)
        if (strcmp(w->files.v[i].rel, rel) == 0) return true;
    return false;
}

static const char *skip_reason(const struct pa_walk_result *w, const char *rel)
{
    for (size_t i = 0; i < w->skipped.n; i++)
        if (strcmp(w->skipped.v[i].path, rel) == 0) return w->skipped.v[i].reason;
    return NULL;
}

int main(void)
{
    snprintf(root, sizeof root, "/tmp/pa-walk-XXXXXX");
    CHECK(mkdtemp(root) != NULL);
    touch("app/main.py", "x = 1\n");
    touch("app/zeta.py", "x = 1\n");
    touch("app/alpha.py", "x = 1\n");
    touch("app/test_main.py", "x = 1\n");
    touch("app/main_test.py", "x = 1\n");
    touch("conftest.py", "x = 1\n");
    touch("tests/test_a.py", "x = 1\n");
    touch("tests/helpers.py", "x = 1\n");
    touch(".venv/lib/site-packages/pkg/mod.py", "x = 1\n");
    touch("node_modules/x/y.py", "x = 1\n");
    touch("legacy/old.py", "x = 1\n");
    touch("generated/gen.py", "x = 1\n");
    touch("docs/project/.audit/ln-650/x.py", "x = 1\n");
    touch("notes.txt", "not python\n");
    touch(".gitignore", "# comment\ngenerated/\n*.tmp.py\n");
    touch("scratch.tmp.py", "x = 1\n");
    char *fifo = pa_xasprintf("%s/app/fifo.py", root);
    CHECK(mkfifo(fifo, 0600) == 0);
    char *sock = pa_xasprintf("%s/app/sock.py", root);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {0};
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
    CHECK(bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
    char *out = pa_xasprintf("%s/app/outside.py", root);
    CHECK(symlink("/etc/hostname", out) == 0);
    char *loop = pa_xasprintf("%s/app/loop.py", root);
    CHECK(symlink(loop, loop) == 0);
    char *linkdir = pa_xasprintf("%s/linkdir", root);
    CHECK(symlink("/usr/lib/python3", linkdir) == 0);

    struct pa_options o;
    pa_options_init(&o);
    pa_vec_push(&o.exclude, pa_xstrdup("legacy/**"));
    struct pa_walk_result w;
    CHECK(pa_walk(root, &o, &w) == PA_OK);
    CHECK(has_file(&w, "app/main.py"));
    CHECK(has_file(&w, "app/alpha.py"));
    CHECK(!has_file(&w, "app/test_main.py"));
    CHECK(!has_file(&w, "app/main_test.py"));
    CHECK(!has_file(&w, "conftest.py"));
    CHECK(!has_file(&w, "tests/helpers.py"));
    CHECK(!has_file(&w, ".venv/lib/site-packages/pkg/mod.py"));
    CHECK(!has_file(&w, "node_modules/x/y.py"));
    CHECK(!has_file(&w, "legacy/old.py"));
    CHECK(!has_file(&w, "generated/gen.py"));
    CHECK(!has_file(&w, "scratch.tmp.py"));
    CHECK(!has_file(&w, "docs/project/.audit/ln-650/x.py"));
    CHECK(!has_file(&w, "app/fifo.py"));
    CHECK(skip_reason(&w, "app/fifo.py") && strstr(skip_reason(&w, "app/fifo.py"), "FIFO"));
    CHECK(skip_reason(&w, "app/sock.py") && strstr(skip_reason(&w, "app/sock.py"), "socket"));
    CHECK(skip_reason(&w, "app/outside.py") && strstr(skip_reason(&w, "app/outside.py"), "outside"));
    CHECK(skip_reason(&w, "app/loop.py") && strstr(skip_reason(&w, "app/loop.py"), "loop"));
    for (size_t i = 0; i < w.files.n; i++) CHECK(strncmp(w.files.v[i].rel, "linkdir", 7) != 0);
    for (size_t i = 1; i < w.files.n; i++) CHECK(strcmp(w.files.v[i - 1].rel, w.files.v[i].rel) < 0);
    pa_walk_result_free(&w);

    /* --no-default-excludes brings tests and venvs back */
    o.no_default_excludes = true;
    CHECK(pa_walk(root, &o, &w) == PA_OK);
    CHECK(has_file(&w, "tests/helpers.py"));
    CHECK(has_file(&w, "app/test_main.py"));
    pa_walk_result_free(&w);

    /* an unreadable directory is skipped with a reason (not when running as root: root reads anything) */
    if (geteuid() != 0) {
        o.no_default_excludes = false;
        char *locked = pa_xasprintf("%s/locked", root);
        touch("locked/x.py", "x = 1\n");
        chmod(locked, 0);
        CHECK(pa_walk(root, &o, &w) == PA_OK);
        CHECK(skip_reason(&w, "locked") != NULL);
        pa_walk_result_free(&w);
        chmod(locked, 0755);
        free(locked);
    }
    CHECK(pa_walk("/nonexistent-pa-audit", &o, &w) == PA_ERR_IO);
    pa_walk_result_free(&w);

    close(fd);
    char *cmd = pa_xasprintf("rm -rf '%s'", root);
    CHECK(system(cmd) == 0);
    free(cmd); free(fifo); free(sock); free(out); free(loop); free(linkdir);
    pa_options_free(&o);
    return test_done("test_walk");
}
