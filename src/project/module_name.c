/* module_name.c - dotted Python module names for project-relative paths:
 * "app/api/users.py" -> "app.api.users", "app/__init__.py" -> "app",
 * "src/pkg/mod.py" -> "pkg.mod" (a leading src/ or lib/ layout directory is
 * not part of the import path).
 */
#include <string.h>

#include "pa/facts.h"

char *pa_module_name_for_path(const char *relpath)
{
    if (!relpath) return pa_xstrdup("");
    const char *p = relpath;
    while (p[0] == '.' && p[1] == '/') p += 2;  /* "./x.py" */
    while (*p == '/') p++;
    if (strncmp(p, "src/", 4) == 0 || strncmp(p, "lib/", 4) == 0) p += 4;
    size_t n = strlen(p);
    if (n >= 4 && strcmp(p + n - 4, ".pyi") == 0) n -= 4;
    else if (n >= 3 && strcmp(p + n - 3, ".py") == 0) n -= 3;
    if (n >= 9 && memcmp(p + n - 9, "/__init__", 9) == 0) n -= 9;
    else if (n == 8 && memcmp(p, "__init__", 8) == 0) n = 0;
    char *out = pa_xstrndup(p, n);
    for (char *q = out; *q; q++)
        if (*q == '/' || *q == '\\') *q = '.';
    return out;
}
