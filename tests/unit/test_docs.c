/* test_docs.c - keeps docs/rules/ in step with the rule registry: one page
 * per rule with the fixed headings and the registry's metadata line, no
 * page without a rule, and the embedded copy (`pa-audit explain`) identical
 * to the file. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pa/rules.h"
#include "pa/core.h"

int main(void)
{
    size_t n;
    const struct pa_rule_meta *r = pa_rules_all(&n);
    CHECK_INT(n, 18);
    static const char *const headings[] = {"## What it does", "## Why is this bad?", "## Example", "## Use instead",
                                           "## How to fix", "## Severity", "## References", NULL};
    for (size_t i = 0; i < n; i++) {
        char *path = pa_xasprintf("%s/docs/rules/%s.md", PA_SOURCE_DIR, r[i].id);
        char *text = NULL;
        size_t len = 0;
        const char *why = NULL;
        bool have = pa_file_read(path, 1u << 20, &text, &len, &why) == PA_OK;
        if (!have) fprintf(stderr, "missing %s\n", path);
        CHECK(have);
        if (have) {
            char *title = pa_xasprintf("# %s — %s\n", r[i].id, r[i].check);
            if (strncmp(text, title, strlen(title)) != 0) fprintf(stderr, "%s: first line should be '%s'\n", path, title);
            CHECK(strncmp(text, title, strlen(title)) == 0);
            char *meta = pa_xasprintf("Category: %s · Default severity: %s · Title: %s", pa_category_id(r[i].category),
                                      pa_severity_name(r[i].severity), r[i].title);
            if (!strstr(text, meta)) fprintf(stderr, "%s: metadata line should be '%s'\n", path, meta);
            CHECK(strstr(text, meta) != NULL);
            for (int h = 0; headings[h]; h++) {
                if (!strstr(text, headings[h])) fprintf(stderr, "%s: no heading '%s'\n", path, headings[h]);
                CHECK(strstr(text, headings[h]) != NULL);
            }
            const char *refs = strstr(text, "## References");
            CHECK(refs && strstr(refs, "https://"));
            CHECK(strstr(text, "```python") != NULL);
            const char *emb = pa_rule_doc(r[i].id);
            CHECK(emb && strcmp(emb, text) == 0);
            free(meta);
            free(title);
        }
        free(text);
        free(path);
    }
    /* no page without a rule */
    char *dir = pa_xasprintf("%s/docs/rules", PA_SOURCE_DIR);
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!pa_str_ends(e->d_name, ".md")) continue;
        char *id = pa_xstrndup(e->d_name, strlen(e->d_name) - 3);
        if (!pa_rule_find(id)) fprintf(stderr, "docs/rules/%s has no rule in the registry\n", e->d_name);
        CHECK(pa_rule_find(id) != NULL);
        free(id);
    }
    if (d) closedir(d);
    free(dir);
    return test_done("test_docs");
}
