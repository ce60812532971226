/* baseline.c - the baseline file (--baseline / --write-baseline).
 *
 * Format written (UTF-8 JSON, one fingerprint a line, sorted, unique):
 *
 *   {
 *     "version": 1,
 *     "tool": "pa-audit",
 *     "fingerprints": [
 *       "0123456789abcdef",
 *       …
 *     ]
 *   }
 *
 * Read: that object (other keys ignored; "version" must be 1 when present),
 * a bare JSON array of strings, or plain text with one fingerprint a line
 * ('#' starts a comment line; blank lines ignored). Fingerprints are those of
 * fingerprint.c. A finding whose fingerprint is listed is reported as
 * baseline: shown, scored, but never failing the run. */
#include "report/report_int.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define BASELINE_MAX_BYTES (64u << 20)

struct fp_vec { char **v; size_t n, cap; };  /* growable list of owned strings */

static void add_fp(struct fp_vec *v, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) { s++; n--; }
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (!n) return;
    pa_vec_push(v, pa_xstrndup(s, n));
}

pa_status pa_baseline_read(const char *path, struct pa_baseline *out, char **err)
{
    out->fps = NULL;
    out->n = 0;
    char *text = NULL;
    size_t len = 0;
    const char *reason = NULL;
    if (pa_file_read(path, BASELINE_MAX_BYTES, &text, &len, &reason) != PA_OK) {
        *err = pa_xstrdup(reason ? reason : "cannot read file");
        return PA_ERR_IO;
    }
    struct fp_vec v = {0};
    const char *p = text;
    while (*p && isspace((unsigned char)*p)) p++;
    if (*p == '{' || *p == '[') {
        cJSON *root = cJSON_ParseWithLength(text, len);
        cJSON *arr = NULL;
        if (root && cJSON_IsObject(root)) {
            cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
            if (ver && (!cJSON_IsNumber(ver) || ver->valuedouble != 1.0)) {
                cJSON_Delete(root);
                free(text);
                *err = pa_xstrdup("unsupported baseline version (expected 1)");
                return PA_ERR_PARSE;
            }
            arr = cJSON_GetObjectItemCaseSensitive(root, "fingerprints");
        } else if (root && cJSON_IsArray(root)) {
            arr = root;
        }
        if (!arr || !cJSON_IsArray(arr)) {
            cJSON_Delete(root);
            free(text);
            *err = pa_xstrdup(root ? "no \"fingerprints\" array" : "malformed JSON");
            return PA_ERR_PARSE;
        }
        const cJSON *it;
        cJSON_ArrayForEach(it, arr)
            if (cJSON_IsString(it) && it->valuestring) add_fp(&v, it->valuestring, strlen(it->valuestring));
        cJSON_Delete(root);
    } else {
        for (const char *s = text; *s;) {
            const char *e = strchr(s, '\n');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            const char *q = s;
            while (q < s + n && isspace((unsigned char)*q)) q++;
            if (q < s + n && *q != '#') add_fp(&v, s, n);
            s += n;
            if (*s) s++;
        }
    }
    free(text);
    if (v.n) qsort(v.v, v.n, sizeof *v.v, pa_str_cmp_ptr);
    size_t k = 0;
    for (size_t i = 0; i < v.n; i++) {
        if (k && strcmp(v.v[k - 1], v.v[i]) == 0) { free(v.v[i]); continue; }
        v.v[k++] = v.v[i];
    }
    out->fps = v.v;
    out->n = k;
    return PA_OK;
}

bool pa_baseline_has(const struct pa_baseline *b, const char *fp)
{
    if (!fp || !b->n) return false;
    return bsearch(&fp, b->fps, b->n, sizeof *b->fps, pa_str_cmp_ptr) != NULL;
}

void pa_baseline_free(struct pa_baseline *b)
{
    for (size_t i = 0; i < b->n; i++) free(b->fps[i]);
    free(b->fps);
    b->fps = NULL;
    b->n = 0;
}

char *pa_baseline_format(const pa_findings *fs)
{
    size_t n = 0;
    const char **v = pa_xcalloc(fs->items.n + 1, sizeof *v);
    for (size_t i = 0; i < fs->items.n; i++)
        if (fs->items.v[i]->fingerprint) v[n++] = fs->items.v[i]->fingerprint;
    if (n) qsort(v, n, sizeof *v, pa_str_cmp_ptr);
    pa_buf b;
    pa_buf_init(&b);
    pa_buf_puts(&b, "{\n  \"version\": 1,\n  \"tool\": \"pa-audit\",\n  \"fingerprints\": [");
    size_t written = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && strcmp(v[i - 1], v[i]) == 0) continue;
        pa_buf_puts(&b, written ? ",\n    " : "\n    ");
        pa_report_json_str(&b, v[i]);
        written++;
    }
    pa_buf_puts(&b, written ? "\n  ]\n}\n" : "]\n}\n");
    free(v);
    return pa_buf_take(&b);
}

pa_status pa_baseline_write(const char *path, const pa_findings *fs)
{
    char *text = pa_baseline_format(fs);
    pa_status st = pa_file_write_atomic(path, text, strlen(text));
    free(text);
    return st;
}
