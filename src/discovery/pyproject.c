/* pyproject.c - pyproject.toml (TOML grammar): PEP 621 [project]
 * dependencies, optional-dependencies and requires-python; PEP 735
 * [dependency-groups]; Poetry [tool.poetry.dependencies] (string, table
 * {version = "^2.0", extras = ["asyncio"]} or a list of such tables),
 * [tool.poetry.dev-dependencies] and [tool.poetry.group.*.dependencies].
 * Also pipfile.c's sibling: Pipfile uses the same Poetry-like value shapes. */
#include <stdlib.h>
#include <string.h>

#include "discovery/disc_internal.h"
#include "discovery/dtree.h"
#include "pa/discovery.h"

static void pep508_list(struct pa_context *ctx, const struct pa_dn *seq, const char *path)
{
    if (!seq || seq->kind != PA_DN_SEQ) return;
    for (size_t i = 0; i < seq->n; i++) {
        const char *s = pa_dn_str(seq->vals[i]);
        if (s) pa_disc_pep508(ctx, s, path);
    }
}

void pa_disc_poetry_dep(struct pa_context *ctx, const char *name, const struct pa_dn *v, const char *path)
{
    const char *version = NULL;
    const struct pa_dn *extras = NULL;
    if (v->kind == PA_DN_STR) {
        version = v->str;
    } else if (v->kind == PA_DN_MAP) {
        version = pa_dn_str(pa_dn_get(v, "version"));
        extras = pa_dn_get(v, "extras");
    } else if (v->kind == PA_DN_SEQ && v->n && v->vals[0]->kind == PA_DN_MAP) {
        version = pa_dn_str(pa_dn_get(v->vals[0], "version"));
        extras = pa_dn_get(v->vals[0], "extras");
    }
    if (version && strcmp(version, "*") == 0) version = NULL;
    char *nn = pa_disc_norm_name(name, strlen(name));
    if (extras && extras->kind == PA_DN_SEQ && strcmp(nn, "sqlalchemy") == 0)
        for (size_t i = 0; i < extras->n; i++)
            if (pa_str_eq(pa_dn_str(extras->vals[i]), "asyncio")) pa_disc_state_get(ctx)->sqlalchemy_async_extra = true;
    free(nn);
    pa_disc_add_dep(ctx, name, version, path);
}

static void poetry_table(struct pa_context *ctx, const struct pa_dn *tbl, const char *path)
{
    if (!tbl || tbl->kind != PA_DN_MAP) return;
    for (size_t i = 0; i < tbl->n; i++) {
        const char *name = tbl->keys[i]->str;
        const struct pa_dn *v = tbl->vals[i];
        if (strcmp(name, "python") == 0) {
            const char *spec = v->kind == PA_DN_STR ? v->str : pa_dn_str(pa_dn_get(v, "version"));
            if (spec) {
                char *src = pa_xasprintf("%s: python %s", path, spec);
                pa_disc_python(ctx, spec, src);
                free(src);
            }
            continue;
        }
        pa_disc_poetry_dep(ctx, name, v, path);
    }
}

void pa_disc_pyproject(struct pa_context *ctx, const char *text, size_t len, const char *path)
{
    pa_disc_add_manifest(ctx, path);
    if (!pa_disc_text_ok(ctx, text, len, path)) return;
    struct pa_doc d;
    pa_doc_init(&d);
    uint32_t line;
    char *msg;
    pa_status st = pa_toml_load(&d, text, len, &line, &msg);
    if (st != PA_OK) {
        pa_context_note(ctx, path, "invalid TOML at line %u: %s", line, msg ? msg : "syntax error");
        free(msg);
        pa_doc_free(&d);
        return;
    }
    pa_disc_state_get(ctx)->python_seen = true;
    const struct pa_dn *proj = pa_dn_get(d.root, "project");
    if (proj) {
        pep508_list(ctx, pa_dn_get(proj, "dependencies"), path);
        const struct pa_dn *opt = pa_dn_get(proj, "optional-dependencies");
        if (opt && opt->kind == PA_DN_MAP)
            for (size_t i = 0; i < opt->n; i++) pep508_list(ctx, opt->vals[i], path);
        const char *rp = pa_dn_str(pa_dn_get(proj, "requires-python"));
        if (rp) {
            char *src = pa_xasprintf("%s: requires-python %s", path, rp);
            pa_disc_python(ctx, rp, src);
            free(src);
        }
    }
    const struct pa_dn *groups = pa_dn_get(d.root, "dependency-groups");
    if (groups && groups->kind == PA_DN_MAP)
        for (size_t i = 0; i < groups->n; i++) pep508_list(ctx, groups->vals[i], path);
    const struct pa_dn *poetry = pa_dn_path(d.root, "tool", "poetry", NULL);
    if (poetry) {
        poetry_table(ctx, pa_dn_get(poetry, "dependencies"), path);
        poetry_table(ctx, pa_dn_get(poetry, "dev-dependencies"), path);
        const struct pa_dn *pg = pa_dn_get(poetry, "group");
        if (pg && pg->kind == PA_DN_MAP)
            for (size_t i = 0; i < pg->n; i++) poetry_table(ctx, pa_dn_get(pg->vals[i], "dependencies"), path);
    }
    pa_doc_free(&d);
}
