/* kanban.c - docs/tasks/kanban_board.md: the Team ID, from a line such as
 * "Team ID: XYZ", "**Team ID:** XYZ", "- Team ID = XYZ", a two-column table
 * row "| Team ID | XYZ |", or a table whose header has a "Team ID" column
 * (the first data row's cell). The first one found wins. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "discovery/disc_internal.h"
#include "pa/discovery.h"

/* "team id", "team_id", "teamid", "team-id" at the start of s (after cleaning); returns the rest. */
static const char *after_label(const char *s)
{
    if (strncasecmp(s, "team", 4) != 0) return NULL;
    s += 4;
    if (*s == ' ' || *s == '_' || *s == '-') s++;
    if (strncasecmp(s, "id", 2) != 0 || isalnum((unsigned char)s[2])) return NULL;
    return s + 2;
}

static char *clean_cell(const char *s, size_t n)
{
    pa_buf b;
    pa_buf_init(&b);
    for (size_t i = 0; i < n; i++)
        if (s[i] != '*' && s[i] != '`' && s[i] != '"' && s[i] != '\r' && s[i] != '_') pa_buf_putc(&b, s[i]);
        else if (s[i] == '_' && i > 0 && i + 1 < n && isalnum((unsigned char)s[i - 1]) && isalnum((unsigned char)s[i + 1]))
            pa_buf_putc(&b, s[i]);
    char *r = b.s ? pa_buf_take(&b) : pa_xstrdup("");
    char *t = pa_str_trim(r);
    memmove(r, t, strlen(t) + 1);
    return r;
}

static size_t cells_of(const char *line, char **cells, size_t max)
{
    const char *p = line;
    while (*p == ' ') p++;
    if (*p != '|') return 0;
    p++;
    size_t n = 0;
    while (*p && n < max) {
        const char *e = strchr(p, '|');
        if (!e) break;
        cells[n++] = clean_cell(p, (size_t)(e - p));
        p = e + 1;
    }
    return n;
}

static bool separator(const char *l)
{
    bool dash = false;
    for (; *l; l++) {
        if (*l == '-') dash = true;
        else if (!strchr("|: \t\r", *l)) return false;
    }
    return dash;
}

void pa_disc_kanban(struct pa_context *ctx, const char *text, size_t len, const char *path)
{
    pa_disc_add_manifest(ctx, path);
    if (!pa_disc_text_ok(ctx, text, len, path) || ctx->team_id) return;
    char *copy = pa_xstrndup(text, len);
    long column = -1;   /* "Team ID" column of the current table header */
    char *found = NULL;
    char *save = copy;
    for (char *line = copy; line && !found; line = save) {
        char *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl) *nl = '\0';
        char *cells[32];
        size_t nc = cells_of(line, cells, 32);
        if (nc) {
            /* a header row (followed by a separator row) only says where the column is */
            const char *nx = save;
            while (nx && (*nx == ' ' || *nx == '\t')) nx++;
            bool header = false;
            if (nx && *nx == '|') {
                const char *e = strchr(nx, '\n');
                char *row = e ? pa_xstrndup(nx, (size_t)(e - nx)) : pa_xstrdup(nx);
                header = separator(row);
                free(row);
            }
            if (header && !separator(line)) {
                column = -1;
                for (size_t i = 0; i < nc && column < 0; i++) {
                    const char *r = after_label(cells[i]);
                    if (r && !*r) column = (long)i;
                }
            } else if (!separator(line)) {
                if (column >= 0 && (size_t)column < nc && *cells[column]) {
                    found = pa_xstrdup(cells[column]);
                } else if (nc >= 2 && after_label(cells[0]) && !*pa_str_trim((char *)after_label(cells[0])) && *cells[1]) {
                    found = pa_xstrdup(cells[1]);
                } else {
                    for (size_t i = 0; i < nc; i++) {
                        const char *r = after_label(cells[i]);
                        if (r && !*r) column = (long)i;
                    }
                }
            }
            for (size_t i = 0; i < nc; i++) free(cells[i]);
            continue;
        }
        column = -1;
        char *c = clean_cell(line, strlen(line));
        const char *l = c;
        if ((*l == '-' || *l == '+') && l[1] == ' ') l += 2;
        while (*l == '#' || *l == ' ') l++;
        const char *r = after_label(l);
        if (r) {
            while (*r == ' ' || *r == '\t') r++;
            if (*r == ':' || *r == '=') {
                r++;
                while (*r == ' ' || *r == '\t' || *r == ':') r++;
                size_t n = strlen(r);
                while (n && (r[n - 1] == ' ' || r[n - 1] == '.')) n--;
                if (n) found = pa_xstrndup(r, n);
            }
        }
        free(c);
    }
    free(copy);
    ctx->team_id = found;
}
