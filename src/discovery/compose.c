/* compose.c - docker-compose / compose YAML files (libyaml through
 * yamltree.c, with depth, node and alias-expansion limits): each service's
 * `image:` names the database and its version ("postgres:16-alpine",
 * "bitnami/postgresql:15", "mysql:8.0", "mariadb"), and environment entries
 * holding a database URL ("DATABASE_URL=postgresql+asyncpg://…", list or map
 * form, merge keys followed) name it too, at lower precedence. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "discovery/disc_internal.h"
#include "discovery/dtree.h"
#include "pa/discovery.h"

struct image_db {
    const char *repo;   /* last path component of the image */
    const char *db;     /* database name */
};

static const struct image_db g_images[] = {
    {"postgres", "PostgreSQL"}, {"postgresql", "PostgreSQL"}, {"postgis", "PostgreSQL"},
    {"timescaledb", "PostgreSQL"}, {"timescaledb-ha", "PostgreSQL"}, {"pgvector", "PostgreSQL"},
    {"postgresql-repmgr", "PostgreSQL"}, {"supabase-postgres", "PostgreSQL"},
    {"mysql", "MySQL"}, {"mysql-server", "MySQL"}, {"percona-server", "MySQL"}, {"mariadb", "MariaDB"},
    {"mongo", "MongoDB"}, {"mongodb", "MongoDB"}, {"cockroach", "CockroachDB"}, {"cockroachdb", "CockroachDB"},
};

/* Version from a tag: "16-alpine" → "16", "15.3" → "15.3", "latest-pg16" / "pg16" → "16". */
static char *tag_version(const char *tag)
{
    if (!tag || !*tag) return NULL;
    if (isdigit((unsigned char)tag[0])) {
        size_t n = 0;
        while (isdigit((unsigned char)tag[n]) || (tag[n] == '.' && isdigit((unsigned char)tag[n + 1]))) n++;
        return pa_xstrndup(tag, n);
    }
    const char *pg = strstr(tag, "pg");
    if (pg && isdigit((unsigned char)pg[2])) {
        size_t n = 0;
        while (isdigit((unsigned char)pg[2 + n])) n++;
        return pa_xstrndup(pg + 2, n);
    }
    return NULL;
}

/* Classify an image reference; the db name is static, *version owned. */
static const char *image_db(const char *image, char **version)
{
    *version = NULL;
    char *img = pa_xstrdup(image);
    char *at = strchr(img, '@');
    if (at) *at = '\0';
    const char *slash = strrchr(img, '/');
    char *last = (char *)(slash ? slash + 1 : img);
    char *colon = strchr(last, ':');
    const char *tag = NULL;
    if (colon) { *colon = '\0'; tag = colon + 1; }
    for (char *p = last; *p; p++) *p = (char)tolower((unsigned char)*p);
    const char *db = NULL;
    if (strcmp(last, "server") == 0 && strstr(img, "mssql")) db = "SQL Server";
    else
        for (size_t i = 0; i < sizeof g_images / sizeof *g_images; i++)
            if (strcmp(last, g_images[i].repo) == 0) { db = g_images[i].db; break; }
    if (db) *version = tag_version(tag);
    free(img);
    return db;
}

static void env_entry(struct pa_context *ctx, const char *key, const char *val, const char *path)
{
    if (!key || !val) return;
    pa_disc_db_url(ctx, key, val, path);
}

static void service_env(struct pa_context *ctx, const struct pa_dn *env, const char *path)
{
    if (!env) return;
    if (env->kind == PA_DN_SEQ) {
        for (size_t i = 0; i < env->n; i++) {
            const char *s = pa_dn_str(env->vals[i]);
            if (!s) continue;
            const char *eq = strchr(s, '=');
            if (!eq) continue;
            char *k = pa_xstrndup(s, (size_t)(eq - s));
            env_entry(ctx, pa_str_trim(k), eq + 1, path);
            free(k);
        }
    } else if (env->kind == PA_DN_MAP) {
        for (size_t i = 0; i < env->n; i++)
            if (env->vals[i]->kind == PA_DN_STR) env_entry(ctx, env->keys[i]->str, env->vals[i]->str, path);
    }
}

/* phase 1: images; phase 2: URLs (lower precedence, so run after every file's images). */
void pa_disc_compose_phase(struct pa_context *ctx, const char *text, size_t len, const char *path, int phase)
{
    if (phase == 1) pa_disc_add_manifest(ctx, path);
    if (phase == 1 && !pa_disc_text_ok(ctx, text, len, path)) return;
    if (phase == 2 && (memchr(text, '\0', len) || !pa_utf8_valid(text, len))) return;
    struct pa_doc d;
    pa_doc_init(&d);
    uint32_t line;
    char *msg;
    pa_status st = pa_yaml_load(&d, text, len, &line, &msg);
    if (st != PA_OK) {
        if (phase == 1)
            pa_context_note(ctx, path, "%s at line %u: %s", st == PA_ERR_LIMIT ? "YAML over a safety limit" : "invalid YAML",
                            line, msg ? msg : "syntax error");
        free(msg);
        pa_doc_free(&d);
        return;
    }
    const struct pa_dn *services = pa_dn_get(d.root, "services");
    if (d.root && d.root->kind != PA_DN_MAP && phase == 1)
        pa_context_note(ctx, path, "not a compose file (top level is a %s)", pa_dn_kind_name(d.root->kind));
    if (services && services->kind == PA_DN_MAP) {
        struct pa_disc_state *s = pa_disc_state_get(ctx);
        for (size_t i = 0; i < services->n; i++) {
            const struct pa_dn *svc = services->vals[i];
            if (phase == 1) {
                const char *image = pa_dn_str(pa_dn_get(svc, "image"));
                if (!image) continue;
                char *ver;
                const char *db = image_db(image, &ver);
                if (db) {
                    char *src = pa_xasprintf("%s: image %s", path, image);
                    pa_disc_tech_offer(&s->db_image, db, ver, src);
                    free(src);
                }
                free(ver);
            } else {
                service_env(ctx, pa_dn_get(svc, "environment"), path);
            }
        }
    }
    pa_doc_free(&d);
}

void pa_disc_compose(struct pa_context *ctx, const char *text, size_t len, const char *path)
{
    pa_disc_compose_phase(ctx, text, len, path, 1);
    pa_disc_compose_phase(ctx, text, len, path, 2);
}
