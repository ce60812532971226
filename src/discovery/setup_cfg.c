/* setup_cfg.c - setup.cfg (INI): [options] install_requires (dangling list,
 * one requirement per line, or an inline value), python_requires, and
 * [options.extras_require] lists. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "discovery/disc_internal.h"
#include "pa/discovery.h"

enum cfg_list { L_NONE = 0, L_REQS };

void pa_disc_setup_cfg(struct pa_context *ctx, const char *text, size_t len, const char *path)
{
    pa_disc_add_manifest(ctx, path);
    if (!pa_disc_text_ok(ctx, text, len, path)) return;
    pa_disc_state_get(ctx)->python_seen = true;
    char *copy = pa_xstrndup(text, len);
    char section[128] = "";
    enum cfg_list in_list = L_NONE;
    char *save = copy;
    for (char *line = copy; line; line = save) {
        char *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl) *nl = '\0';
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r') line[--ll] = '\0';
        bool indented = line[0] == ' ' || line[0] == '\t';
        char *t = pa_str_trim(line);
        if (!*t || *t == '#' || *t == ';') continue;
        if (indented && in_list == L_REQS) {
            pa_disc_pep508(ctx, t, path);
            continue;
        }
        in_list = L_NONE;
        if (*t == '[') {
            char *e = strchr(t, ']');
            size_t n = e ? (size_t)(e - t - 1) : strlen(t + 1);
            if (n >= sizeof section) n = sizeof section - 1;
            memcpy(section, t + 1, n);
            section[n] = '\0';
            continue;
        }
        char *eq = strpbrk(t, "=:");
        if (!eq) continue;
        *eq = '\0';
        char *key = pa_str_trim(t), *val = pa_str_trim(eq + 1);
        bool reqs = (strcmp(section, "options") == 0 && strcmp(key, "install_requires") == 0) ||
                    strcmp(section, "options.extras_require") == 0;
        if (reqs) {
            in_list = L_REQS;
            if (*val) pa_disc_pep508(ctx, val, path);
        } else if (strcmp(section, "options") == 0 && strcmp(key, "python_requires") == 0 && *val) {
            char *src = pa_xasprintf("%s: python_requires %s", path, val);
            pa_disc_python(ctx, val, src);
            free(src);
        }
    }
    free(copy);
}
