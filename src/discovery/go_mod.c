/* go_mod.c - go.mod: `require path version` lines and `require ( … )`
 * blocks become dependencies (a Go sidecar or gateway next to the Python
 * service); `// indirect` requirements are kept, comments dropped. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "discovery/disc_internal.h"
#include "pa/discovery.h"

static void require_line(struct pa_context *ctx, char *t, const char *path)
{
    char *c = strstr(t, "//");
    if (c) *c = '\0';
    t = pa_str_trim(t);
    if (!*t) return;
    char *sp = t;
    while (*sp && !isspace((unsigned char)*sp)) sp++;
    char *ver = NULL;
    if (*sp) {
        *sp = '\0';
        ver = pa_str_trim(sp + 1);
    }
    /* Go module paths are case-sensitive and use '/' and '.': recorded as written,
     * not through the PEP 503 normaliser */
    struct pa_dep d = {pa_xstrdup(t), ver && *ver ? pa_xstrdup(ver) : NULL, pa_xstrdup(path)};
    pa_vec_push(&ctx->deps, d);
}

void pa_disc_go_mod(struct pa_context *ctx, const char *text, size_t len, const char *path)
{
    pa_disc_add_manifest(ctx, path);
    if (!pa_disc_text_ok(ctx, text, len, path)) return;
    char *copy = pa_xstrndup(text, len);
    bool in_block = false;
    char *save = copy;
    for (char *line = copy; line; line = save) {
        char *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl) *nl = '\0';
        char *t = pa_str_trim(line);
        size_t tl = strlen(t);
        if (tl && t[tl - 1] == '\r') t[--tl] = '\0';
        if (in_block) {
            if (*t == ')') { in_block = false; continue; }
            require_line(ctx, t, path);
            continue;
        }
        if (strncmp(t, "require", 7) == 0 && (t[7] == ' ' || t[7] == '\t' || t[7] == '(')) {
            char *r = pa_str_trim(t + 7);
            if (*r == '(') in_block = true;
            else require_line(ctx, r, path);
        }
    }
    free(copy);
}
