/* requirements.c - pip requirements files: one PEP 508 requirement per line,
 * with comments, line continuations, extras, markers, version specs, pip
 * options (--hash, --index-url …), editable/VCS lines (#egg=) and -r / -c
 * includes. Includes are followed only by pa_disc_requirements_tree (it knows
 * the root) and never leave the project root; cycles and depth are bounded. */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "discovery/disc_internal.h"
#include "pa/discovery.h"

#define REQ_MAX_DEPTH 8

typedef PA_VEC(char *) strvec;

/* Parse the text; include targets (as written) are appended to incs when non-NULL. */
static void parse_requirements(struct pa_context *ctx, const char *text, size_t len, const char *path,
                               strvec *incs)
{
    pa_buf logical;
    pa_buf_init(&logical);
    size_t i = 0;
    while (i < len) {
        /* gather one logical line (backslash continuation) */
        pa_buf_reset(&logical);
        for (;;) {
            size_t s = i;
            while (i < len && text[i] != '\n') i++;
            size_t e = i;
            if (i < len) i++;
            if (e > s && text[e - 1] == '\r') e--;
            if (e > s && text[e - 1] == '\\') {
                pa_buf_append(&logical, text + s, e - s - 1);
                if (i < len) continue;
            } else {
                pa_buf_append(&logical, text + s, e - s);
            }
            break;
        }
        char *line = (char *)pa_buf_cstr(&logical);
        /* comment: '#' at line start or after whitespace (URLs keep #egg=) */
        for (char *p = line; *p; p++)
            if (*p == '#' && (p == line || p[-1] == ' ' || p[-1] == '\t')) { *p = '\0'; break; }
        char *t = pa_str_trim(line);
        if (!*t) continue;
        if (*t == '-') {
            const char *arg = NULL;
            if (strncmp(t, "-r", 2) == 0 || strncmp(t, "-c", 2) == 0) arg = t + 2;
            else if (strncmp(t, "--requirement", 13) == 0) arg = t + 13;
            else if (strncmp(t, "--constraint", 12) == 0) arg = t + 12;
            if (arg) {
                while (*arg == ' ' || *arg == '=' || *arg == '\t') arg++;
                if (*arg && incs) pa_vec_push(incs, pa_xstrdup(arg));
                continue;
            }
            if (strncmp(t, "-e", 2) == 0 || strncmp(t, "--editable", 10) == 0) {
                const char *a = t + (t[1] == 'e' ? 2 : 10);
                while (*a == ' ' || *a == '=' || *a == '\t') a++;
                pa_disc_pep508(ctx, a, path);   /* VCS with #egg= gives a name; local paths give none */
            }
            continue;   /* --index-url, --extra-index-url, -f, --hash … */
        }
        pa_disc_pep508(ctx, t, path);
    }
    pa_buf_free(&logical);
}

void pa_disc_requirements(struct pa_context *ctx, const char *text, size_t len, const char *path)
{
    pa_disc_add_manifest(ctx, path);
    if (!pa_disc_text_ok(ctx, text, len, path)) return;
    pa_disc_state_get(ctx)->python_seen = true;
    parse_requirements(ctx, text, len, path, NULL);
}

/* Normalise "a/./b/../c" lexically; NULL when it escapes the root or is absolute. */
static char *norm_rel(const char *dir, const char *inc)
{
    if (inc[0] == '/' || strstr(inc, "://")) return NULL;
    char *joined = *dir ? pa_xasprintf("%s/%s", dir, inc) : pa_xstrdup(inc);
    char *parts[64];
    size_t np = 0;
    char *save = NULL;
    char *ok = joined;
    for (char *tok = strtok_r(joined, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0) continue;
        if (strcmp(tok, "..") == 0) {
            if (np == 0) { ok = NULL; break; }
            np--;
            continue;
        }
        if (np == 64) { ok = NULL; break; }
        parts[np++] = tok;
    }
    char *res = NULL;
    if (ok && np) {
        pa_buf b;
        pa_buf_init(&b);
        for (size_t k = 0; k < np; k++) pa_buf_printf(&b, "%s%s", k ? "/" : "", parts[k]);
        res = pa_buf_take(&b);
    }
    free(joined);
    return res;
}

static bool manifest_seen(const struct pa_context *ctx, const char *rel)
{
    for (size_t i = 0; i < ctx->manifests.n; i++)
        if (strcmp(ctx->manifests.v[i], rel) == 0) return true;
    return false;
}

static void tree(struct pa_context *ctx, const char *root, const char *rel, int depth)
{
    if (manifest_seen(ctx, rel)) return;   /* already read: cycles and shared includes */
    char *text;
    size_t len;
    if (!pa_disc_read(ctx, root, rel, &text, &len)) return;
    strvec incs = {0};
    pa_disc_state_get(ctx)->python_seen = true;
    parse_requirements(ctx, text, len, rel, &incs);
    free(text);
    const char *slash = strrchr(rel, '/');
    char *dir = slash ? pa_xstrndup(rel, (size_t)(slash - rel)) : pa_xstrdup("");
    for (size_t i = 0; i < incs.n; i++) {
        char *target = norm_rel(dir, incs.v[i]);
        if (!target) {
            pa_context_note(ctx, rel, "include '%s' is outside the project root; not followed", incs.v[i]);
        } else if (depth >= REQ_MAX_DEPTH) {
            pa_context_note(ctx, rel, "include '%s' nested too deeply; not followed", incs.v[i]);
        } else {
            char *full = pa_path_join(root, target);
            if (!pa_path_is_file(full)) pa_context_note(ctx, rel, "included file '%s' not found", incs.v[i]);
            else tree(ctx, root, target, depth + 1);
            free(full);
        }
        free(target);
        free(incs.v[i]);
    }
    pa_vec_free(&incs);
    free(dir);
}

void pa_disc_requirements_tree(struct pa_context *ctx, const char *root, const char *rel)
{
    tree(ctx, root, rel, 0);
}
