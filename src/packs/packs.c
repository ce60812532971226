/* packs.c - rule packs: parsing a pack (bounded YAML via discovery's
 * dtree loader), compiling its custom rules (tree-sitter queries over
 * tree-sitter-python, PCRE2 conditions), registering them in the rule
 * table, running them over each file in the parse pool, and turning the
 * hits into findings on the auditor threads.
 *
 * DESIGN (see include/pa/packs.h)
 * - Load/compile/register: main thread, before the parse pool.
 * - Scan: one pa_pack_scanner per pool thread; slot i written only by the
 *   thread that parses file i. Each scan re-parses the file with the
 *   scanner's own TSParser (the extractor frees its tree and exposes no
 *   hook), so the cost exists only when a pack with rules is loaded.
 * - Check: auditor threads read the frozen slots; findings go to the
 *   auditor's own list.
 * - Context conditions are syntactic: "inside async def" = the innermost
 *   enclosing function is `async def`; "inside a loop" = inside the body of
 *   a for/while loop or a comprehension of the same function; "inside a
 *   transaction" = inside the body of a with/async with of the same function
 *   whose context expression mentions begin, atomic or transaction
 *   (case-insensitive). A session write followed later by commit() is not
 *   tracked. */
#include "packs/packs_int.h"
#include "packs/query_guard.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "discovery/dtree.h"
#include "pa/audit.h"
#include "pa/options.h"

const TSLanguage *tree_sitter_python(void);

#define PACK_MAX_BYTES (1u << 20)     /* a pack larger than this is refused */
#define QUERY_MAX_BYTES (16u << 10)   /* one rule's query source */
#define HITS_PER_FILE_MAX 1000        /* custom-rule hits kept per file */
#define CAPTURE_TEXT_MAX 120          /* capture text substituted into messages */

void pa_packs_init(struct pa_packs *p)
{
    memset(p, 0, sizeof *p);
    pa_kb_init(&p->kb);
}

static void rule_free(struct pa_custom_rule *r)
{
    if (!r) return;
    free(r->id);
    free(r->check);
    free(r->title);
    free(r->principle);
    free(r->message);
    free(r->recommendation);
    if (r->query) ts_query_delete(r->query);
    for (size_t i = 0; i < r->nconds; i++) {
        free(r->conds[i].capture);
        free(r->conds[i].pattern);
        if (r->conds[i].re) pcre2_code_free(r->conds[i].re);
    }
    free(r->conds);
    free(r->origin);
    free(r);
}

static void slots_free(struct pa_packs *p)
{
    for (size_t i = 0; i < p->nslots; i++) {
        struct pa_pack_slot *s = &p->slots[i];
        free(s->path);
        for (size_t h = 0; h < s->hits.n; h++) free(s->hits.v[h].issue);
        pa_vec_free(&s->hits);
    }
    free(p->slots);
    p->slots = NULL;
    p->nslots = 0;
}

/* The registered pack set; written on the main thread only, before any
 * reader thread exists and after they are joined (release/acquire). */
static _Atomic(const struct pa_packs *) g_active;

const struct pa_packs *pa_packs_active(void) { return atomic_load(&g_active); }

void pa_packs_free(struct pa_packs *p)
{
    if (p->registered) {
        pa_rules_reset_custom();
        if (atomic_load(&g_active) == p) atomic_store(&g_active, NULL);
    }
    slots_free(p);
    for (size_t i = 0; i < p->rules.n; i++) rule_free(p->rules.v[i]);
    pa_vec_free(&p->rules);
    pa_kb_free(&p->kb);
    for (size_t i = 0; i < p->origins.n; i++) free(p->origins.v[i]);
    pa_vec_free(&p->origins);
    memset(p, 0, sizeof *p);
}

size_t pa_packs_rule_count(const struct pa_packs *p) { return p->rules.n; }

/* ---- parsing ------------------------------------------------------------ */
static pa_status perr(char **err, const char *origin, uint32_t line, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static pa_status perr(char **err, const char *origin, uint32_t line, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pa_buf b;
    pa_buf_init(&b);
    pa_buf_printf(&b, "%s:%u: ", origin, (unsigned)line);
    if (rule) pa_buf_printf(&b, "rule %s: ", rule);
    pa_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    *err = pa_buf_take(&b);
    return PA_ERR_PARSE;
}

static const char *query_error_name(TSQueryError e)
{
    switch (e) {
    case TSQueryErrorSyntax: return "syntax error";
    case TSQueryErrorNodeType: return "unknown node type";
    case TSQueryErrorField: return "unknown field name";
    case TSQueryErrorCapture: return "unknown capture";
    case TSQueryErrorStructure: return "impossible pattern structure";
    case TSQueryErrorLanguage: return "grammar/runtime version mismatch";
    default: return "invalid query";
    }
}

static bool valid_rule_id(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 2 || n > 32 || !isalpha((unsigned char)s[0])) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-') return false;
    return true;
}

static int8_t tri(const struct pa_dn *v, bool *ok)
{
    *ok = true;
    if (!v || v->kind == PA_DN_NULL) return -1;
    if (v->kind == PA_DN_BOOL) return v->b ? 1 : 0;
    *ok = false;
    return -1;
}

/* Find a field name ("name:") the grammar does not know, so that
 * ts_query_new is never called with one (tree-sitter 0.20.7 leaks on that
 * error path). Returns the byte offset of the first unknown field or -1;
 * name and n give it. Strings and ';' comments are skipped. */
static long unknown_field(const char *src, size_t len, const char **name, size_t *n)
{
    const TSLanguage *lang = tree_sitter_python();
    for (size_t i = 0; i < len;) {
        char c = src[i];
        if (c == '"') {
            for (i++; i < len && src[i] != '"'; i++)
                if (src[i] == '\\') i++;
            i++;
        } else if (c == ';') {
            while (i < len && src[i] != '\n') i++;
        } else if (c == '!') {
            /* rel fix (issue 9, fuzz): a negated field `!name` must name a
             * field too - ts_query_new leaks on an unknown one, as for `name:` */
            size_t s0 = ++i;
            while (i < len && (isalnum((unsigned char)src[i]) || src[i] == '_')) i++;
            if (i > s0 && ts_language_field_id_for_name(lang, src + s0, (uint32_t)(i - s0)) == 0) {
                *name = src + s0;
                *n = i - s0;
                return (long)s0;
            }
        } else if (c == '@' || c == '#') {  /* capture, predicate: skip the word */
            for (i++; i < len && (isalnum((unsigned char)src[i]) || strchr("_-.?!", src[i])); i++) {}
        } else if (isalnum((unsigned char)c) || c == '_' || c == '-' || (unsigned char)c >= 0x80) {
            /* rel fix (issue 9, fuzz): words as tree-sitter's query lexer reads
             * them (start: alnum _ -, then also . ? !; non-ASCII letters), so
             * `-:` or `a-b:` are caught here - ts_query_new leaks on them too */
            size_t s0 = i;
            while (i < len && (isalnum((unsigned char)src[i]) || strchr("_-.?!", src[i]) || (unsigned char)src[i] >= 0x80)) i++;
            size_t e = i, k = i;
            while (k < len && (src[k] == ' ' || src[k] == '\t')) k++;
            if (k < len && src[k] == ':' &&
                ts_language_field_id_for_name(lang, src + s0, (uint32_t)(e - s0)) == 0) {
                *name = src + s0;
                *n = e - s0;
                return (long)s0;
            }
        } else {
            i++;
        }
    }
    return -1;
}

static pa_status compile_query(struct pa_custom_rule *r, const struct pa_dn *qn, char **err)
{
    const char *src = pa_dn_str(qn);
    if (!src || !*src) return perr(err, r->origin, qn ? qn->line : r->line, r->id, "'query' must be a non-empty string");
    size_t len = strlen(src);
    if (len > QUERY_MAX_BYTES) return perr(err, r->origin, qn->line, r->id, "query longer than %u bytes", QUERY_MAX_BYTES);
    uint32_t off = 0;
    TSQueryError et = TSQueryErrorNone;
    const char *fname = NULL;
    size_t fn = 0;
    long bad = unknown_field(src, len, &fname, &fn);
    /* rel fix (issue 9, fuzz): ts_query_new (tree-sitter 0.20.7) never
     * returns on `(x)??` / `((x)?)*`; refuse those first (query_guard.c). */
    long loops = bad < 0 ? pa_query_guard_nullable_repeat(src, len) : -1;
    if (loops >= 0)
        return perr(err, r->origin, qn->line, r->id,
                    "invalid tree-sitter query: '?' or '*' repeats a pattern that can already match nothing "
                    "(query offset %ld); tree-sitter cannot compile it", loops);
    if (bad >= 0) {
        off = (uint32_t)bad;
        et = TSQueryErrorField;
    } else {
        r->query = ts_query_new(tree_sitter_python(), src, (uint32_t)len, &off, &et);
    }
    if (!r->query) {
        uint32_t qline = 1, qcol = 1;
        for (uint32_t i = 0; i < off && i < len; i++) {
            if (src[i] == '\n') { qline++; qcol = 1; }
            else qcol++;
        }
        const char *at = off < len ? src + off : "";
        size_t n = 0;
        while (at[n] && at[n] != '\n' && n < 24) n++;
        return perr(err, r->origin, qn->line, r->id,
                    "invalid tree-sitter query: %s at query line %u, column %u (near '%.*s')",
                    query_error_name(et), (unsigned)qline, (unsigned)qcol, (int)n, at);
    }
    uint32_t npat = ts_query_pattern_count(r->query);
    for (uint32_t i = 0; i < npat; i++) {
        uint32_t nsteps = 0;
        ts_query_predicates_for_pattern(r->query, i, &nsteps);
        if (nsteps)
            return perr(err, r->origin, qn->line, r->id,
                        "query predicates (#eq?, #match? ...) are not supported: use 'where:' conditions");
    }
    if (ts_query_capture_count(r->query) == 0)
        return perr(err, r->origin, qn->line, r->id, "the query needs at least one capture (@match marks the location)");
    r->loc_capture = UINT32_MAX;
    for (uint32_t c = 0; c < ts_query_capture_count(r->query); c++) {
        uint32_t n = 0;
        const char *nm = ts_query_capture_name_for_id(r->query, c, &n);
        if (n == 5 && !memcmp(nm, "match", 5)) r->loc_capture = c;
    }
    return PA_OK;
}

static bool capture_id(const TSQuery *q, const char *name, uint32_t *out)
{
    if (name[0] == '@') name++;
    for (uint32_t c = 0; c < ts_query_capture_count(q); c++) {
        uint32_t n = 0;
        const char *nm = ts_query_capture_name_for_id(q, c, &n);
        if (strlen(name) == n && !memcmp(nm, name, n)) { *out = c; return true; }
    }
    return false;
}

static pa_status add_conds(struct pa_custom_rule *r, const struct pa_dn *m, bool negate, const char *key, char **err)
{
    if (!m || m->kind == PA_DN_NULL) return PA_OK;
    if (m->kind != PA_DN_MAP) return perr(err, r->origin, m->line, r->id, "'%s' must map capture names to regexes", key);
    for (size_t i = 0; i < m->n; i++) {
        const char *cap = m->keys[i]->str, *pat = pa_dn_str(m->vals[i]);
        if (!pat) return perr(err, r->origin, m->vals[i]->line, r->id, "%s: the regex for '%s' must be a string", key, cap);
        uint32_t id;
        if (!capture_id(r->query, cap, &id))
            return perr(err, r->origin, m->keys[i]->line, r->id, "%s: the query has no capture @%s", key, cap[0] == '@' ? cap + 1 : cap);
        int ec = 0;
        PCRE2_SIZE eo = 0;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C, &ec, &eo, NULL);
        if (!re) {
            PCRE2_UCHAR msg[160];
            pcre2_get_error_message(ec, msg, sizeof msg);
            return perr(err, r->origin, m->vals[i]->line, r->id, "%s: invalid regex for @%s at offset %zu: %s", key, cap,
                        (size_t)eo, (const char *)msg);
        }
        r->conds = pa_xrealloc(r->conds, (r->nconds + 1) * sizeof *r->conds);
        struct pa_pack_cond *c = &r->conds[r->nconds++];
        c->capture = pa_xstrdup(cap[0] == '@' ? cap + 1 : cap);
        c->capture_id = id;
        c->pattern = pa_xstrdup(pat);
        c->re = re;
        c->negate = negate;
    }
    return PA_OK;
}

static pa_status parse_rule(const struct pa_dn *m, const char *origin, struct pa_custom_rule **out, char **err)
{
    *out = NULL;
    if (!m || m->kind != PA_DN_MAP) return perr(err, origin, m ? m->line : 0, NULL, "a rule must be a map");
    struct pa_custom_rule *r = pa_xcalloc(1, sizeof *r);
    r->origin = pa_xstrdup(origin);
    r->line = m->line;
    r->ctx = (struct pa_pack_ctx){-1, -1, -1};
    pa_status st = PA_OK;
    const char *id = pa_dn_str(pa_dn_get(m, "id"));
    if (!valid_rule_id(id)) {
        st = perr(err, origin, m->line, NULL, "missing or invalid rule 'id' ('%s'): a letter, then letters, digits, '_' or '-'",
                  id ? id : "");
        goto out;
    }
    r->id = pa_xstrdup(id);
    for (char *q = r->id; *q; q++) *q = (char)toupper((unsigned char)*q);
    if ((pa_rule_matches("PA1", r->id) || pa_rule_matches("PA2", r->id) || pa_rule_matches("PA3", r->id)) &&
        strlen(r->id) == 5) {
        st = perr(err, origin, m->line, r->id, "ids PA100-PA399 are reserved for built-in rules; use your own prefix (ORG001)");
        goto out;
    }
    static const char *const known[] = {"id", "category", "severity", "title", "check", "message", "recommendation",
                                        "principle", "effort", "query", "where", "where_not", "context", NULL};
    for (size_t i = 0; i < m->n; i++) {
        bool ok = false;
        for (size_t k = 0; known[k] && !ok; k++) ok = !strcmp(known[k], m->keys[i]->str);
        if (!ok) {
            st = perr(err, origin, m->keys[i]->line, r->id, "unknown key '%s' (known: id, category, severity, title, check, "
                      "message, recommendation, principle, effort, query, where, where_not, context)", m->keys[i]->str);
            goto out;
        }
    }
    const char *cat = pa_dn_str(pa_dn_get(m, "category"));
    bool found = false;
    for (int c = 0; c < PA_CAT__COUNT && cat; c++)
        if (!strcmp(cat, pa_category_id((pa_category)c))) { r->meta.category = (pa_category)c; found = true; }
    if (!found) {
        st = perr(err, origin, m->line, r->id, "'category' must be query_efficiency, transaction_correctness or runtime_performance");
        goto out;
    }
    const char *sev = pa_dn_str(pa_dn_get(m, "severity"));
    r->meta.severity = PA_SEV_MEDIUM;
    if (sev && !pa_severity_parse(sev, &r->meta.severity)) {
        st = perr(err, origin, m->line, r->id, "'severity' must be LOW, MEDIUM, HIGH or CRITICAL (got '%s')", sev);
        goto out;
    }
    const char *msg = pa_dn_str(pa_dn_get(m, "message")), *rec = pa_dn_str(pa_dn_get(m, "recommendation"));
    if (!msg || !*msg) { st = perr(err, origin, m->line, r->id, "missing 'message'"); goto out; }
    if (!rec || !*rec) { st = perr(err, origin, m->line, r->id, "missing 'recommendation'"); goto out; }
    r->message = pa_xstrdup(msg);
    r->recommendation = pa_xstrdup(rec);
    const char *title = pa_dn_str(pa_dn_get(m, "title")), *check = pa_dn_str(pa_dn_get(m, "check"));
    const char *principle = pa_dn_str(pa_dn_get(m, "principle")), *effort = pa_dn_str(pa_dn_get(m, "effort"));
    r->title = pa_xstrdup(title && *title ? title : msg);
    r->principle = pa_xstrdup(principle && *principle ? principle : rec);
    for (size_t n = strlen(r->principle); n > 1 && r->principle[n - 1] == '.'; n--) r->principle[n - 1] = '\0';
    for (size_t n = strlen(r->title); n > 1 && r->title[n - 1] == '.'; n--) r->title[n - 1] = '\0';  /* reports add their own */
    if (check && *check) {
        r->check = pa_xstrdup(check);
    } else {
        r->check = pa_xstrdup(r->id);
        for (char *q = r->check; *q; q++) *q = (char)(*q == '-' ? '_' : tolower((unsigned char)*q));
    }
    r->effort = "M";
    if (effort) {
        if (!strcmp(effort, "S") || !strcmp(effort, "s")) r->effort = "S";
        else if (!strcmp(effort, "L") || !strcmp(effort, "l")) r->effort = "L";
        else if (strcmp(effort, "M") && strcmp(effort, "m")) { st = perr(err, origin, m->line, r->id, "'effort' must be S, M or L"); goto out; }
    }
    if ((st = compile_query(r, pa_dn_get(m, "query"), err)) != PA_OK) goto out;
    if ((st = add_conds(r, pa_dn_get(m, "where"), false, "where", err)) != PA_OK) goto out;
    if ((st = add_conds(r, pa_dn_get(m, "where_not"), true, "where_not", err)) != PA_OK) goto out;
    const struct pa_dn *cx = pa_dn_get(m, "context");
    if (cx && cx->kind != PA_DN_NULL) {
        if (cx->kind != PA_DN_MAP) { st = perr(err, origin, cx->line, r->id, "'context' must be a map"); goto out; }
        for (size_t i = 0; i < cx->n; i++) {
            const char *k = cx->keys[i]->str;
            bool ok;
            int8_t v = tri(cx->vals[i], &ok);
            if (!ok) { st = perr(err, origin, cx->vals[i]->line, r->id, "context: '%s' must be true or false", k); goto out; }
            if (!strcmp(k, "inside_async_def")) r->ctx.in_async = v;
            else if (!strcmp(k, "inside_loop")) r->ctx.in_loop = v;
            else if (!strcmp(k, "inside_transaction")) r->ctx.in_txn = v;
            else {
                st = perr(err, origin, cx->keys[i]->line, r->id,
                          "context: unknown condition '%s' (known: inside_async_def, inside_loop, inside_transaction)", k);
                goto out;
            }
        }
    }
    r->meta = (struct pa_rule_meta){r->id, r->check, r->meta.category, r->meta.severity, r->title, r->principle};
out:
    if (st != PA_OK) { rule_free(r); return st; }
    *out = r;
    return PA_OK;
}

pa_status pa_packs_load_text(struct pa_packs *p, const char *text, size_t len, const char *origin, char **err)
{
    *err = NULL;
    if (len > PACK_MAX_BYTES) { *err = pa_xasprintf("%s: pack larger than %u bytes", origin, PACK_MAX_BYTES); return PA_ERR_LIMIT; }
    if (memchr(text, '\0', len) || !pa_utf8_valid(text, len)) {
        *err = pa_xasprintf("%s: not a YAML text file (NUL bytes or invalid UTF-8)", origin);
        return PA_ERR_PARSE;
    }
    struct pa_doc d;
    pa_doc_init(&d);
    uint32_t line = 0;
    char *msg = NULL;
    pa_status st = pa_yaml_load(&d, text, len, &line, &msg);
    struct pa_kb kb;
    pa_kb_init(&kb);
    PA_VEC(struct pa_custom_rule *) rules = {0};
    if (st != PA_OK) {
        *err = pa_xasprintf("%s:%u: malformed YAML: %s", origin, (unsigned)line, msg ? msg : "syntax error");
        free(msg);
        goto out;
    }
    if (!d.root || d.root->kind != PA_DN_MAP) {
        st = perr(err, origin, d.root ? d.root->line : 1, NULL, "a pack must be a YAML map with 'rules' and/or 'knowledge'");
        goto out;
    }
    for (size_t i = 0; i < d.root->n; i++) {
        const char *k = d.root->keys[i]->str;
        if (strcmp(k, "name") && strcmp(k, "version") && strcmp(k, "description") && strcmp(k, "knowledge") &&
            strcmp(k, "rules")) {
            st = perr(err, origin, d.root->keys[i]->line, NULL,
                      "unknown top-level key '%s' (known: name, version, description, knowledge, rules)", k);
            goto out;
        }
    }
    if ((st = pa_kb_add_list(&kb, pa_dn_get(d.root, "knowledge"), origin, true, err)) != PA_OK) goto out;
    const struct pa_dn *rs = pa_dn_get(d.root, "rules");
    if (rs && rs->kind != PA_DN_NULL && rs->kind != PA_DN_SEQ) {
        st = perr(err, origin, rs->line, NULL, "'rules' must be a list");
        goto out;
    }
    for (size_t i = 0; rs && rs->kind == PA_DN_SEQ && i < rs->n; i++) {
        struct pa_custom_rule *r;
        if ((st = parse_rule(rs->vals[i], origin, &r, err)) != PA_OK) goto out;
        for (size_t j = 0; j < rules.n; j++)
            if (!strcmp(rules.v[j]->id, r->id)) {
                st = perr(err, origin, r->line, r->id, "duplicate rule id in the pack");
                rule_free(r);
                goto out;
            }
        pa_vec_push(&rules, r);
    }
    /* commit: the whole pack or nothing */
    for (size_t i = 0; i < rules.n; i++) pa_vec_push(&p->rules, rules.v[i]);
    rules.n = 0;
    for (size_t i = 0; i < kb.entries.n; i++) {
        size_t j = 0;
        while (j < p->kb.entries.n && !pa_str_eq(p->kb.entries.v[j].id, kb.entries.v[i].id)) j++;
        if (j < p->kb.entries.n) {
            struct pa_kb tmp = {0};
            pa_vec_push(&tmp.entries, p->kb.entries.v[j]);
            pa_kb_free(&tmp);
            p->kb.entries.v[j] = kb.entries.v[i];
        } else {
            pa_vec_push(&p->kb.entries, kb.entries.v[i]);
        }
    }
    kb.entries.n = 0;
    pa_vec_push(&p->origins, pa_xstrdup(origin));
out:
    for (size_t i = 0; i < rules.n; i++) rule_free(rules.v[i]);
    pa_vec_free(&rules);
    pa_kb_free(&kb);
    pa_doc_free(&d);
    return st;
}

pa_status pa_packs_load_file(struct pa_packs *p, const char *path, char **err)
{
    char *text = NULL;
    size_t len = 0;
    const char *reason = NULL;
    if (pa_file_read(path, PACK_MAX_BYTES, &text, &len, &reason) != PA_OK) {
        *err = pa_xasprintf("%s: cannot read rule pack: %s", path, reason ? reason : "unreadable");
        return PA_ERR_IO;
    }
    pa_status st = pa_packs_load_text(p, text, len, path, err);
    free(text);
    return st;
}

pa_status pa_packs_register(struct pa_packs *p, char **err)
{
    *err = NULL;
    for (size_t i = 0; i < p->rules.n; i++) {
        const struct pa_custom_rule *r = p->rules.v[i];
        const char *reason = NULL;
        if (pa_rules_add_custom(&r->meta, &reason) != PA_OK) {
            *err = pa_xasprintf("%s:%u: rule %s: cannot register: %s", r->origin, (unsigned)r->line, r->id, reason);
            return PA_ERR_USAGE;
        }
        p->registered = true;
    }
    if (p->registered) atomic_store(&g_active, p);
    return PA_OK;
}

pa_status pa_packs_load_all(struct pa_packs *p, const struct pa_options *o, char **err)
{
    *err = NULL;
    for (size_t i = 0; i < o->rules_files.n; i++) {
        pa_status st = pa_packs_load_file(p, o->rules_files.v[i], err);
        if (st != PA_OK) return st;
    }
    struct pa_fetch_opts fo;
    pa_fetch_opts_default(&fo);
    fo.offline = o->offline;
    fo.allow_insecure_http = o->allow_insecure_http;
    for (size_t i = 0; i < o->rules_urls.n; i++) {
        const char *url = o->rules_urls.v[i];
        char *body = NULL, *e = NULL;
        size_t len = 0;
        pa_fetch_how how;
        pa_status st = pa_fetch(url, &fo, &body, &len, &how, &e);
        if (st == PA_OK) {
            switch (how) {
            case PA_FETCH_NETWORK: pa_info("rule pack %s: downloaded (%zu bytes)", url, len); break;
            case PA_FETCH_REVALIDATED: pa_info("rule pack %s: not modified, using the cached copy", url); break;
            case PA_FETCH_CACHE_OFFLINE: pa_warn("offline: using the cached copy of rule pack %s", url); break;
            case PA_FETCH_CACHE_NO_NETWORK: pa_warn("network unavailable: using the cached copy of rule pack %s", url); break;
            }
            st = pa_packs_load_text(p, body, len, url, &e);
        }
        free(body);
        if (st != PA_OK) {
            if (o->rules_url_optional) {
                pa_warn("skipping rule pack (--rules-url-optional): %s", e ? e : url);
                free(e);
                continue;
            }
            *err = e;
            return st;
        }
    }
    return pa_packs_register(p, err);
}

/* ---- scanning ----------------------------------------------------------- */
struct pa_pack_scanner {
    TSParser *parser;               /* this thread's tree-sitter-python parser */
    TSQueryCursor *cursor;          /* this thread's query cursor */
    pcre2_match_data *md;           /* this thread's PCRE2 match data */
    pcre2_match_context *mctx;      /* match/depth limits */
};

void pa_packs_begin_scan(struct pa_packs *p, size_t nfiles)
{
    slots_free(p);
    if (!p->rules.n) return;
    p->slots = pa_xcalloc(nfiles ? nfiles : 1, sizeof *p->slots);
    p->nslots = nfiles;
}

pa_pack_scanner *pa_pack_scanner_new(const struct pa_packs *p)
{
    if (!p || !p->rules.n) return NULL;
    pa_pack_scanner *s = pa_xcalloc(1, sizeof *s);
    s->parser = ts_parser_new();
    if (!s->parser || !ts_parser_set_language(s->parser, tree_sitter_python())) {
        if (s->parser) ts_parser_delete(s->parser);
        free(s);
        return NULL;
    }
    s->cursor = ts_query_cursor_new();
    ts_query_cursor_set_match_limit(s->cursor, 4096);
    s->md = pcre2_match_data_create(1, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(s->mctx, 200000);
    pcre2_set_depth_limit(s->mctx, 2000);
    if (!s->cursor || !s->md || !s->mctx) abort();
    return s;
}

void pa_pack_scanner_free(pa_pack_scanner *s)
{
    if (!s) return;
    ts_parser_delete(s->parser);
    ts_query_cursor_delete(s->cursor);
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    free(s);
}

static bool is_type(TSNode n, const char *t) { return strcmp(ts_node_type(n), t) == 0; }

static bool within(TSNode inner, TSNode outer)
{
    return !ts_node_is_null(outer) && ts_node_start_byte(inner) >= ts_node_start_byte(outer) &&
           ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}

static bool ci_contains(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++) {
        size_t k = 0;
        while (k < w && tolower((unsigned char)s[i + k]) == word[k]) k++;
        if (k == w) return true;
    }
    return false;
}

/* Evaluate the syntactic context of node n (see the DESIGN note). */
static void context_of(TSNode n, const char *src, bool *in_async, bool *in_loop, bool *in_txn)
{
    *in_async = *in_loop = *in_txn = false;
    for (TSNode a = ts_node_parent(n); !ts_node_is_null(a); a = ts_node_parent(a)) {
        const char *t = ts_node_type(a);
        if (!strcmp(t, "function_definition")) {
            TSNode first = ts_node_child(a, 0);
            *in_async = !ts_node_is_null(first) && is_type(first, "async");
            return;
        }
        if (!strcmp(t, "lambda") || !strcmp(t, "class_definition")) return;
        if (!strcmp(t, "for_statement") || !strcmp(t, "while_statement")) {
            TSNode body = ts_node_child_by_field_name(a, "body", 4);
            if (!strcmp(t, "while_statement")) {
                TSNode cond = ts_node_child_by_field_name(a, "condition", 9);
                if (within(n, cond)) *in_loop = true;
            }
            if (within(n, body)) *in_loop = true;
        } else if (!strcmp(t, "list_comprehension") || !strcmp(t, "set_comprehension") ||
                   !strcmp(t, "dictionary_comprehension") || !strcmp(t, "generator_expression")) {
            *in_loop = true;
        } else if (!strcmp(t, "with_statement")) {
            TSNode body = ts_node_child_by_field_name(a, "body", 4);
            if (within(n, body)) {
                uint32_t s0 = ts_node_start_byte(a), s1 = ts_node_start_byte(body);
                if (s1 > s0 && (ci_contains(src + s0, s1 - s0, "begin") || ci_contains(src + s0, s1 - s0, "atomic") ||
                                ci_contains(src + s0, s1 - s0, "transaction")))
                    *in_txn = true;
            }
        }
    }
}

static bool cond_ok(int8_t want, bool have) { return want < 0 || (want == 1) == have; }

/* Append capture text (folded to one line, truncated) to b. */
static void put_capture(pa_buf *b, const char *src, TSNode n)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    size_t len = e > s ? e - s : 0;
    bool cut = len > CAPTURE_TEXT_MAX;
    if (cut) {
        len = CAPTURE_TEXT_MAX;
        while (len > 0 && ((unsigned char)src[s + len] & 0xC0) == 0x80) len--;  /* keep UTF-8 whole */
    }
    for (size_t i = 0; i < len; i++) {
        char c = src[s + i];
        pa_buf_putc(b, c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    if (cut) pa_buf_puts(b, "…");
}

static char *render_message(const struct pa_custom_rule *r, const TSQueryMatch *m, const char *src)
{
    pa_buf b;
    pa_buf_init(&b);
    for (const char *p = r->message; *p;) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            uint32_t id;
            if (e && e - p > 1 && e - p < 64) {
                char name[64];
                memcpy(name, p + 1, (size_t)(e - p - 1));
                name[e - p - 1] = '\0';
                if (capture_id(r->query, name, &id)) {
                    bool put = false;
                    for (uint16_t c = 0; c < m->capture_count && !put; c++)
                        if (m->captures[c].index == id) { put_capture(&b, src, m->captures[c].node); put = true; }
                    p = e + 1;
                    continue;
                }
            }
        }
        pa_buf_putc(&b, *p++);
    }
    return pa_buf_take(&b);
}

static bool conds_ok(const struct pa_custom_rule *r, const TSQueryMatch *m, const char *src, pa_pack_scanner *s)
{
    for (size_t i = 0; i < r->nconds; i++) {
        const struct pa_pack_cond *c = &r->conds[i];
        bool any = false, matched = false;
        for (uint16_t k = 0; k < m->capture_count; k++) {
            if (m->captures[k].index != c->capture_id) continue;
            any = true;
            uint32_t a = ts_node_start_byte(m->captures[k].node), b = ts_node_end_byte(m->captures[k].node);
            int rc = pcre2_match(c->re, (PCRE2_SPTR)(src + a), b - a, 0, 0, s->md, s->mctx);
            if (rc >= 0) matched = true;
        }
        if (c->negate ? matched : (!any || !matched)) return false;
    }
    return true;
}

static void scan_tree(struct pa_packs *p, pa_pack_scanner *s, struct pa_pack_slot *slot, const char *src,
                      const TSTree *tree);

void pa_packs_scan(struct pa_packs *p, pa_pack_scanner *s, size_t file_index, const char *relpath, const char *src,
                   size_t len)
{
    if (!p || !s || file_index >= p->nslots || !p->rules.n) return;
    struct pa_pack_slot *slot = &p->slots[file_index];
    slot->path = pa_xstrdup(relpath);
    if (len > UINT32_MAX / 2) return;
    ts_parser_set_timeout_micros(s->parser, 3000000ull + (uint64_t)len * 4);  /* as the extractor: 3 s + 4 s/MiB */
    TSTree *tree = ts_parser_parse_string(s->parser, NULL, src, (uint32_t)len);
    if (!tree) { ts_parser_reset(s->parser); return; }
    scan_tree(p, s, slot, src, tree);
    ts_tree_delete(tree);
}

void pa_packs_scan_tree(struct pa_packs *p, pa_pack_scanner *s, size_t file_index, const char *relpath,
                        const char *src, size_t len, const struct TSTree *tree)
{
    if (!p || !s || file_index >= p->nslots || !p->rules.n || !tree) return;
    struct pa_pack_slot *slot = &p->slots[file_index];
    slot->path = pa_xstrdup(relpath);
    if (len > UINT32_MAX / 2) return;
    scan_tree(p, s, slot, src, tree);
}

static void scan_tree(struct pa_packs *p, pa_pack_scanner *s, struct pa_pack_slot *slot, const char *src,
                      const TSTree *tree)
{
    TSNode root = ts_tree_root_node(tree);
    for (size_t ri = 0; ri < p->rules.n && !slot->truncated; ri++) {
        const struct pa_custom_rule *r = p->rules.v[ri];
        size_t first_hit = slot->hits.n;
        ts_query_cursor_exec(s->cursor, r->query, root);
        TSQueryMatch m;
        while (ts_query_cursor_next_match(s->cursor, &m)) {
            if (!m.capture_count || !conds_ok(r, &m, src, s)) continue;
            TSNode loc = m.captures[0].node;
            for (uint16_t c = 0; c < m.capture_count; c++)
                if (m.captures[c].index == r->loc_capture) { loc = m.captures[c].node; break; }
            bool in_async, in_loop, in_txn;
            context_of(loc, src, &in_async, &in_loop, &in_txn);
            if (!cond_ok(r->ctx.in_async, in_async) || !cond_ok(r->ctx.in_loop, in_loop) || !cond_ok(r->ctx.in_txn, in_txn))
                continue;
            TSPoint sp = ts_node_start_point(loc), ep = ts_node_end_point(loc);
            struct pa_pack_hit h = {(uint32_t)ri, sp.row + 1, sp.column + 1, ep.row + 1, NULL};
            bool dup = false;
            for (size_t k = first_hit; k < slot->hits.n && !dup; k++)
                dup = slot->hits.v[k].line == h.line && slot->hits.v[k].col == h.col;
            if (dup) continue;
            if (slot->hits.n >= HITS_PER_FILE_MAX) { slot->truncated = true; break; }
            h.issue = render_message(r, &m, src);
            pa_vec_push(&slot->hits, h);
        }
    }
}

/* ---- checking ------------------------------------------------------------ */
static int32_t file_index_of(const struct pa_audit_input *in, const char *path)
{
    size_t lo = 0, hi = in->nfiles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(in->files[mid]->path, path);
        if (c == 0) return (int32_t)mid;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    for (size_t i = 0; i < in->nfiles; i++)  /* not sorted as expected: scan */
        if (!strcmp(in->files[i]->path, path)) return (int32_t)i;
    return -1;
}

static int32_t func_at(const struct pa_file_facts *f, uint32_t line)
{
    int32_t best = -1;
    for (size_t i = 0; i < f->funcs.n; i++)
        if (line >= f->funcs.v[i].line && line <= f->funcs.v[i].end_line) best = (int32_t)i;  /* pre-order: last = innermost */
    return best;
}

void pa_packs_check(const struct pa_packs *p, const struct pa_audit_input *in, struct pa_rule_out *out)
{
    if (!p || !out->rule) return;
    size_t ri = 0;
    while (ri < p->rules.n && !pa_str_ieq(p->rules.v[ri]->id, out->rule->id)) ri++;
    if (ri == p->rules.n) return;
    const struct pa_custom_rule *r = p->rules.v[ri];
    for (size_t i = 0; i < p->nslots; i++) {
        const struct pa_pack_slot *s = &p->slots[i];
        if (!s->path) continue;
        int32_t fi = file_index_of(in, s->path);
        if (fi < 0) continue;  /* skipped file: not analysed */
        out->examined++;
        for (size_t h = 0; h < s->hits.n; h++) {
            const struct pa_pack_hit *hit = &s->hits.v[h];
            if (hit->rule != ri) continue;
            pa_rule_report_at(out, in, fi, func_at(in->files[fi], hit->line), hit->line, hit->col, hit->end_line,
                              r->meta.severity, hit->issue, r->recommendation, r->effort);
        }
    }
}

char *pa_packs_explain(const struct pa_packs *p, const char *id)
{
    if (!p || !id) return NULL;
    for (size_t i = 0; i < p->rules.n; i++) {
        const struct pa_custom_rule *r = p->rules.v[i];
        if (strcasecmp(r->id, id) != 0) continue;
        pa_buf b;
        pa_buf_init(&b);
        pa_buf_printf(&b, "# %s — %s\n\n", r->id, r->check ? r->check : "");
        pa_buf_printf(&b, "Category: %s · Default severity: %s · Title: %s\n\n", pa_category_id(r->meta.category),
                      pa_severity_name(r->meta.severity), r->title ? r->title : "");
        pa_buf_printf(&b, "A custom rule from the rule pack %s (line %u).\n", r->origin ? r->origin : "?", r->line);
        if (r->message) pa_buf_printf(&b, "\n## Issue\n\n%s\n", r->message);
        if (r->recommendation) pa_buf_printf(&b, "\n## Fix\n\n%s\n", r->recommendation);
        return pa_buf_take(&b);
    }
    return NULL;
}
