/* pipfile.c - Pipfile (TOML): [packages] and [dev-packages] (values "*",
 * "==1.2", or {version = …, extras = […]}) and [requires] python_version. */
#include <stdlib.h>
#include <string.h>

#include "discovery/disc_internal.h"
#include "discovery/dtree.h"
#include "pa/discovery.h"

void pa_disc_pipfile(struct pa_context *ctx, const char *text, size_t len, const char *path)
{
    pa_disc_add_manifest(ctx, path);
    if (!pa_disc_text_ok(ctx, text, len, path)) return;
    struct pa_doc d;
    pa_doc_init(&d);
    uint32_t line;
    char *msg;
    if (pa_toml_load(&d, text, len, &line, &msg) != PA_OK) {
        pa_context_note(ctx, path, "invalid TOML at line %u: %s", line, msg ? msg : "syntax error");
        free(msg);
        pa_doc_free(&d);
        return;
    }
    pa_disc_state_get(ctx)->python_seen = true;
    static const char *const sections[] = {"packages", "dev-packages"};
    for (size_t s = 0; s < 2; s++) {
        const struct pa_dn *t = pa_dn_get(d.root, sections[s]);
        if (!t || t->kind != PA_DN_MAP) continue;
        for (size_t i = 0; i < t->n; i++) pa_disc_poetry_dep(ctx, t->keys[i]->str, t->vals[i], path);
    }
    const struct pa_dn *req = pa_dn_get(d.root, "requires");
    const char *pv = pa_dn_str(pa_dn_get(req, "python_version"));
    if (!pv) pv = pa_dn_str(pa_dn_get(req, "python_full_version"));
    if (pv) {
        char *src = pa_xasprintf("%s: python_version %s", path, pv);
        pa_disc_python(ctx, pv, src);
        free(src);
    }
    pa_doc_free(&d);
}
