/* suppress.c - `# pa-audit: ignore[…]` comments.
 *
 * The parser records each comment as a pa_suppression (line of the comment,
 * the line it applies to, the rule list or NULL = all, the reason). A
 * finding is suppressed by a comment of its file when the finding's line is
 * the comment's line (trailing comment) or the line it applies to (a comment
 * alone on the line above), and the comment names the finding's rule id
 * (or its check id), or names none. Every comment is recorded in
 * run->suppressions (file order, then line) with how many findings it
 * suppressed; a comment that suppressed nothing, or that names a rule id that
 * does not exist, is warned about (once: a comment naming an unknown rule is
 * not also called unused). An unused comment whose rules are all
 * disabled by --select/--ignore is not warned about: it may match again when
 * the rule is enabled. */
#include "report/report_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Does the comma-separated list name rule r (by rule id, any case, or check id)? */
static bool rules_list_has(const char *list, const struct pa_rule_meta *r)
{
    const char *p = list;
    while (*p) {
        while (*p == ',' || isspace((unsigned char)*p)) p++;
        const char *s = p;
        while (*p && *p != ',') p++;
        const char *e = p;
        while (e > s && isspace((unsigned char)e[-1])) e--;
        size_t n = (size_t)(e - s);
        if (n && r) {
            if (strlen(r->id) == n && strncasecmp(r->id, s, n) == 0) return true;
            if (strlen(r->check) == n && strncmp(r->check, s, n) == 0) return true;
        }
    }
    return false;
}

/* First unknown token of a rule list (owned), or NULL when all are known. */
static char *first_unknown(const char *list)
{
    size_t nrules;
    const struct pa_rule_meta *all = pa_rules_all(&nrules);
    const char *p = list;
    while (*p) {
        while (*p == ',' || isspace((unsigned char)*p)) p++;
        const char *s = p;
        while (*p && *p != ',') p++;
        const char *e = p;
        while (e > s && isspace((unsigned char)e[-1])) e--;
        size_t n = (size_t)(e - s);
        if (!n) continue;
        bool known = false;
        for (size_t i = 0; i < nrules && !known; i++)
            known = (strlen(all[i].id) == n && strncasecmp(all[i].id, s, n) == 0) ||
            (strlen(all[i].check) == n && strncmp(all[i].check, s, n) == 0);
        if (!known) return pa_xstrndup(s, n);
    }
    return NULL;
}

static bool all_rules_disabled(const struct pa_run *run, const char *list)
{
    if (!run->opts || !list) return false;
    size_t nrules;
    const struct pa_rule_meta *all = pa_rules_all(&nrules);
    bool any_named = false;
    for (size_t i = 0; i < nrules; i++) {
        if (!rules_list_has(list, &all[i])) continue;
        any_named = true;
        if (pa_options_rule_enabled(run->opts, all[i].id)) return false;
    }
    return any_named;
}

void pa_report_suppress(struct pa_run *run)
{
    /* 1. record every comment; remember where each file's entries start */
    size_t *first = pa_xcalloc(run->nfiles + 1, sizeof *first);
    for (size_t i = 0; i < run->nfiles; i++) {
        const struct pa_file_facts *ff = run->files[i];
        first[i] = run->suppressions.n;
        if (!ff) continue;
        for (size_t k = 0; k < ff->suppressions.n; k++) {
            const struct pa_suppression *s = &ff->suppressions.v[k];
            struct pa_suppression_use u = {0};
            u.path = pa_xstrdup(ff->path);
            u.line = s->line;
            u.rules = s->rules ? pa_xstrdup(s->rules) : NULL;
            u.reason = s->reason ? pa_xstrdup(s->reason) : NULL;
            char *unk = s->rules ? first_unknown(s->rules) : NULL;
            u.unknown_rule = unk != NULL;
            if (unk) pa_warn("%s:%u: suppression names unknown rule %s", ff->path, (unsigned)s->line, unk);
            free(unk);
            pa_vec_push(&run->suppressions, u);
        }
    }
    first[run->nfiles] = run->suppressions.n;

    /* 2. match findings */
    size_t keep = 0;
    for (size_t i = 0; i < run->all.items.n; i++) {
        struct pa_finding *f = run->all.items.v[i];
        const struct pa_file_facts *ff = pa_report_facts(run, f->path);
        bool suppressed = false;
        if (ff && ff->suppressions.n) {
            size_t fi = 0;
            while (fi < run->nfiles && run->files[fi] != ff) fi++;
            for (size_t k = 0; k < ff->suppressions.n && fi < run->nfiles; k++) {
                const struct pa_suppression *s = &ff->suppressions.v[k];
                if (f->line != s->line && f->line != s->applies_to) continue;
                if (s->rules && !rules_list_has(s->rules, f->rule)) continue;
                run->suppressions.v[first[fi] + k].matched++;
                suppressed = true;
            }
        }
        if (suppressed) {
            run->nsuppressed++;
            pa_finding_free(f);
        } else {
            run->all.items.v[keep++] = f;
        }
    }
    run->all.items.n = keep;
    free(first);

    /* 3. unused comments */
    for (size_t i = 0; i < run->suppressions.n; i++) {
        const struct pa_suppression_use *u = &run->suppressions.v[i];
        if (u->matched || u->unknown_rule || all_rules_disabled(run, u->rules)) continue; /* unknown: warned above */
        pa_warn("%s:%u: unused suppression%s%s%s (no finding matched)", u->path, (unsigned)u->line,
                u->rules ? " [" : "", u->rules ? u->rules : "", u->rules ? "]" : "");
    }
}
