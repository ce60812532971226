/* config.c - the configuration file: an explicit --config FILE, else
 * .pa-audit.yml at the project root, else [tool.pa-audit] in its
 * pyproject.toml (same keys). YAML goes through libyaml with limits
 * (discovery/yamltree.c), TOML through the tree-sitter grammar
 * (discovery/toml.c); both give a pa_doc with lines, so every error names
 * FILE:LINE and the key.
 *
 * Keys: select, ignore, exclude (lists of strings), fail_on, fail_under,
 * severity (rule id → level), rule_packs (list of strings), cache (bool or a
 * directory inside the project).
 * Command-line values win: a select/ignore list given on the command line
 * replaces the file's, --fail-on / --fail-under are not overridden; exclude
 * always adds. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "discovery/dtree.h"
#include "pa/options.h"
#include "pa/rules.h"

#define CONFIG_MAX_BYTES (1u << 20)

struct cfg {
    struct pa_options *o;   /* target */
    const char *file;       /* path for messages */
    char *err;              /* first error (owned) */
};

static pa_status bad(struct cfg *c, uint32_t line, const char *key, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static pa_status bad(struct cfg *c, uint32_t line, const char *key, const char *fmt, ...)
{
    if (c->err) return PA_ERR_USAGE;
    pa_buf b;
    pa_buf_init(&b);
    pa_buf_printf(&b, "%s:%u: key '%s': ", c->file, line, key);
    va_list ap;
    va_start(ap, fmt);
    pa_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    c->err = pa_buf_take(&b);
    return PA_ERR_USAGE;
}

typedef PA_VEC(char *) strvec;

/* "a string", "an integer" … for messages. */
static const char *a_kind(pa_dn_kind k)
{
    switch (k) {
    case PA_DN_NULL: return "null";
    case PA_DN_BOOL: return "a boolean";
    case PA_DN_INT: return "an integer";
    case PA_DN_FLOAT: return "a number";
    case PA_DN_STR: return "a string";
    case PA_DN_SEQ: return "a list";
    case PA_DN_MAP: return "a map";
    default: return "a scalar";
    }
}

/* A list of strings (a single string is a one-item list; select/ignore also
 * split it on commas). Calls fn for each item. */
static pa_status each_string(struct cfg *c, const char *key, const struct pa_dn *v, bool comma,
                             pa_status (*fn)(struct cfg *, const char *, const char *, uint32_t, void *), void *arg)
{
    if (v->kind == PA_DN_STR && comma) {
        char *copy = pa_xstrdup(v->str);
        char *save = NULL;
        pa_status st = PA_OK;
        for (char *t = strtok_r(copy, ",", &save); t && st == PA_OK; t = strtok_r(NULL, ",", &save)) {
            char *tt = pa_str_trim(t);
            if (*tt) st = fn(c, key, tt, v->line, arg);
        }
        free(copy);
        return st;
    }
    if (v->kind == PA_DN_STR) return fn(c, key, v->str, v->line, arg);
    if (v->kind == PA_DN_NULL) return PA_OK;
    if (v->kind != PA_DN_SEQ) return bad(c, v->line, key, "expected a list of strings, got %s", a_kind(v->kind));
    for (size_t i = 0; i < v->n; i++) {
        const struct pa_dn *it = v->vals[i];
        if (it->kind != PA_DN_STR)
            return bad(c, it->line, key, "expected a list of strings, found %s item", a_kind(it->kind));
        pa_status st = fn(c, key, it->str, it->line, arg);
        if (st != PA_OK) return st;
    }
    return PA_OK;
}

/* Could s name a rule pack's custom rule? Anything but the built-in shape
 * "PA" + digits (PA100-PA399 are reserved; packs choose their own prefix). */
static bool maybe_custom_id(const char *s)
{
    if (!s[0]) return false;
    if ((s[0] == 'P' || s[0] == 'p') && (s[1] == 'A' || s[1] == 'a')) {
        const char *d = s + 2;
        while (*d >= '0' && *d <= '9') d++;
        if (!*d) return false;
    }
    return true;
}

/* Remember an id for pa_options_check_deferred (packs are loaded later). */
static void defer(struct cfg *c, const char *key, const char *s, uint32_t line, bool severity, pa_severity sev)
{
    struct pa_deferred_rule d = {pa_xstrdup(s), pa_xasprintf("%s:%u: key '%s'", c->file, line, key), severity, sev};
    pa_vec_push(&c->o->deferred, d);
}

static pa_status rule_pattern(struct cfg *c, const char *key, const char *s, uint32_t line, void *arg)
{
    size_t n;
    const struct pa_rule_meta *all = pa_rules_all(&n);
    bool any = false;
    for (size_t i = 0; i < n && !any; i++) any = pa_rule_matches(s, all[i].id);
    if (!any && !maybe_custom_id(s)) return bad(c, line, key, "unknown rule id or prefix '%s'", s);
    if (!any) defer(c, key, s, line, false, PA_SEV_LOW);
    if (arg) pa_vec_push((strvec *)arg, pa_xstrdup(s));
    return PA_OK;
}

static pa_status glob_item(struct cfg *c, const char *key, const char *s, uint32_t line, void *arg)
{
    if (!*s) return bad(c, line, key, "empty pattern");
    if (arg) pa_vec_push((strvec *)arg, pa_xstrdup(s));
    return PA_OK;
}

static pa_status any_string(struct cfg *c, const char *key, const char *s, uint32_t line, void *arg)
{
    (void)c; (void)key; (void)s; (void)line; (void)arg;
    return PA_OK;
}

static pa_status apply_key(struct cfg *c, const struct pa_dn *k, const struct pa_dn *v)
{
    struct pa_options *o = c->o;
    const char *key = k->str;
    if (strcmp(key, "select") == 0)
        return each_string(c, key, v, true, rule_pattern, o->select.n ? NULL : (void *)&o->select);
    if (strcmp(key, "ignore") == 0)
        return each_string(c, key, v, true, rule_pattern, o->ignore.n ? NULL : (void *)&o->ignore);
    if (strcmp(key, "exclude") == 0) return each_string(c, key, v, false, glob_item, &o->exclude);
    if (strcmp(key, "rule_packs") == 0) {
        if (v->kind != PA_DN_SEQ && v->kind != PA_DN_NULL)
            return bad(c, v->line, key, "expected a list of strings, got %s", a_kind(v->kind));
        pa_status st = each_string(c, key, v, false, any_string, NULL);
        if (st != PA_OK) return st;
        /* URLs are fetched like --rules-url; other items are pack files
         * relative to the project root, like --rules (src/packs/). */
        for (size_t i = 0; v->kind == PA_DN_SEQ && i < v->n; i++) {
            const char *s = pa_dn_str(v->vals[i]);
            if (!s || !*s) continue;
            if (pa_str_starts(s, "https://") || pa_str_starts(s, "http://")) {
                pa_vec_push(&o->rules_urls, pa_xstrdup(s));
                continue;
            }
            /* a project's own config must not make the audit read files
             * outside the project (docs/security.md): packs named here are
             * project-relative and must resolve inside the root; packs
             * elsewhere are given with --rules by whoever runs the audit */
            if (s[0] == '/')
                return bad(c, v->vals[i]->line, key, "'%s': pack files in the config must be relative to the project "
                           "root (use --rules for packs outside the project)", s);
            char *path = pa_path_join(o->root, s);
            if (pa_path_is_file(path) && !pa_path_within(o->root, path)) {
                free(path);
                return bad(c, v->vals[i]->line, key, "'%s' resolves outside the project (use --rules for packs "
                           "outside the project)", s);
            }
            pa_vec_push(&o->rules_files, path);
        }
        return PA_OK;
    }
    if (strcmp(key, "cache") == 0) {
        /* true: .pa-audit-cache at the root; a string: that directory (inside the project) */
        const char *dir = NULL;
        if (v->kind == PA_DN_BOOL) dir = v->b ? ".pa-audit-cache" : NULL;
        else if (v->kind == PA_DN_STR && v->str && *v->str) {
            if (v->str[0] == '/' || strstr(v->str, ".."))
                return bad(c, v->line, key, "expected a directory inside the project, got '%s'", v->str);
            dir = v->str;
        } else return bad(c, v->line, key, "expected true, false or a directory, got %s", a_kind(v->kind));
        free(o->config_cache_dir);
        o->config_cache_dir = dir ? pa_xstrdup(dir) : NULL;
        return PA_OK;
    }
    if (strcmp(key, "fail_on") == 0) {
        const char *s = pa_dn_str(v);
        if (!s) return bad(c, v->line, key, "expected one of critical, high, medium, low, never; got %s", a_kind(v->kind));
        int level;
        pa_severity sev;
        if (pa_str_ieq(s, "never")) level = PA_FAIL_NEVER;
        else if (pa_severity_parse(s, &sev)) level = (int)sev;
        else return bad(c, v->line, key, "expected one of critical, high, medium, low, never; got '%s'", s);
        if (!o->fail_on_set) o->fail_on = level;
        return PA_OK;
    }
    if (strcmp(key, "fail_under") == 0) {
        if (v->kind != PA_DN_INT && v->kind != PA_DN_FLOAT)
            return bad(c, v->line, key, "expected a number from 0 to 10, got %s", a_kind(v->kind));
        if (!(v->num >= 0.0 && v->num <= 10.0)) return bad(c, v->line, key, "expected a number from 0 to 10, got %s", v->str);
        if (!o->fail_under_set) o->fail_under = v->num;
        return PA_OK;
    }
    if (strcmp(key, "severity") == 0) {
        if (v->kind == PA_DN_NULL) return PA_OK;
        if (v->kind != PA_DN_MAP) return bad(c, v->line, key, "expected a map of rule id to severity, got %s", a_kind(v->kind));
        size_t n;
        const struct pa_rule_meta *all = pa_rules_all(&n);
        for (size_t i = 0; i < v->n; i++) {
            const struct pa_dn *rk = v->keys[i], *rv = v->vals[i];
            const struct pa_rule_meta *r = pa_rule_find(rk->str);
            if (!r && !maybe_custom_id(rk->str)) return bad(c, rk->line, key, "unknown rule id '%s'", rk->str);
            pa_severity sev;
            const char *s = pa_dn_str(rv);
            if (!s || !pa_severity_parse(s, &sev))
                return bad(c, rv->line, key, "expected LOW, MEDIUM, HIGH or CRITICAL for %s", r ? r->id : rk->str);
            if (!r) {   /* a custom rule's id: checked and applied once packs are loaded */
                defer(c, key, rk->str, rk->line, true, sev);
                continue;
            }
            size_t idx = (size_t)(r - all);
            if (idx < PA_OPT_RULES_MAX) {
                o->severity_set[idx] = true;
                o->severity[idx] = sev;
            }
        }
        return PA_OK;
    }
    return bad(c, k->line, key, "unknown key (known: select, ignore, exclude, fail_on, fail_under, severity, rule_packs, cache)");
}

static pa_status apply(struct cfg *c, const struct pa_dn *root, uint32_t root_line)
{
    if (!root || root->kind == PA_DN_NULL) return PA_OK;
    if (root->kind != PA_DN_MAP) {
        c->err = pa_xasprintf("%s:%u: the configuration must be a map of settings, not %s", c->file,
                              root->line ? root->line : root_line, a_kind(root->kind));
        return PA_ERR_USAGE;
    }
    for (size_t i = 0; i < root->n; i++) {
        const struct pa_dn *k = root->keys[i];
        if (k->kind == PA_DN_SEQ || k->kind == PA_DN_MAP) {
            c->err = pa_xasprintf("%s:%u: keys must be plain names", c->file, k->line);
            return PA_ERR_USAGE;
        }
        pa_status st = apply_key(c, k, root->vals[i]);
        if (st != PA_OK) return st;
    }
    return PA_OK;
}

pa_status pa_config_load(struct pa_options *o, char **err)
{
    *err = NULL;
    const char *root = o->root ? o->root : ".";
    char *path;
    bool explicit = o->config != NULL, from_pyproject = false;
    if (explicit) {
        path = pa_xstrdup(o->config);
    } else {
        bool dot = strcmp(root, ".") == 0 || strcmp(root, "./") == 0;
        path = dot ? pa_xstrdup(".pa-audit.yml") : pa_path_join(root, ".pa-audit.yml");
        if (!pa_path_is_file(path)) {
            free(path);
            path = dot ? pa_xstrdup("pyproject.toml") : pa_path_join(root, "pyproject.toml");
            if (!pa_path_is_file(path)) { free(path); return PA_OK; }
            from_pyproject = true;
        }
    }
    char *text;
    size_t len;
    const char *reason;
    pa_status st = pa_file_read(path, CONFIG_MAX_BYTES, &text, &len, &reason);
    if (st != PA_OK) {
        if (from_pyproject) { free(path); return PA_OK; }   /* discovery reports an unreadable pyproject */
        *err = pa_xasprintf("%s: cannot read the configuration file: %s", path,
                            st == PA_ERR_LIMIT ? "larger than 1 MiB" : reason ? reason : "read error");
        free(path);
        return PA_ERR_USAGE;
    }
    bool toml = from_pyproject || pa_str_ends(path, ".toml");
    if (from_pyproject && !strstr(text, "pa-audit")) {   /* no [tool.pa-audit]: nothing to do */
        free(text);
        free(path);
        return PA_OK;
    }
    struct cfg c = {o, path, NULL};
    struct pa_doc d;
    pa_doc_init(&d);
    uint32_t line = 0;
    char *msg = NULL;
    st = toml ? pa_toml_load(&d, text, len, &line, &msg) : pa_yaml_load(&d, text, len, &line, &msg);
    if (st != PA_OK) {
        c.err = pa_xasprintf("%s:%u: invalid %s: %s", path, line ? line : 1, toml ? "TOML" : "YAML", msg ? msg : "syntax error");
        free(msg);
    } else if (toml) {
        const struct pa_dn *tool = pa_dn_path(d.root, "tool", "pa-audit", NULL);
        if (tool) st = apply(&c, tool, 1);
        else if (explicit && !pa_dn_get(d.root, "tool")) st = apply(&c, d.root, 1);   /* a bare TOML config */
    } else {
        st = apply(&c, d.root, 1);
    }
    pa_doc_free(&d);
    free(text);
    if (c.err) {
        *err = c.err;
        free(path);
        return PA_ERR_USAGE;
    }
    free(path);
    return PA_OK;
}
