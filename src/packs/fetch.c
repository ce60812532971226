/* fetch.c - fetching rule packs over HTTP(S) with libcurl, with an on-disk
 * cache revalidated by ETag / Last-Modified.
 *
 * Policy: https:// always; http:// only to loopback hosts unless
 * --allow-insecure-http; every redirect hop is checked against the same
 * policy (redirects are followed by hand, at most max_redirects); the whole
 * transfer is bounded by timeout_ms and the body by max_bytes. Nothing
 * downloaded is ever executed: the body is YAML handed to the pack parser.
 *
 * Cache: {cache_dir}/packs/{fnv64(url)}.yaml and .meta ("url", "etag",
 * "last-modified" lines), written atomically. --offline reads only the
 * cache; a network failure (cannot resolve/connect, timeout) falls back to
 * the cache when there is a copy.
 *
 * DESIGN: curl_global_init runs once (pthread_once); each pa_fetch call uses
 * its own easy handle, so calls are thread-safe. */
#include <curl/curl.h>
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pa/packs.h"

static pthread_once_t g_curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

void pa_fetch_opts_default(struct pa_fetch_opts *fo)
{
    memset(fo, 0, sizeof *fo);
    fo->timeout_ms = 10000;
    const char *e = getenv("PA_AUDIT_FETCH_TIMEOUT_MS");
    if (e && *e) {
        char *end;
        long v = strtol(e, &end, 10);
        if (!*end && v > 0 && v <= 600000) fo->timeout_ms = v;
    }
    fo->max_bytes = 1u << 20;
    fo->max_redirects = 5;
}

const char *pa_fetch_how_name(pa_fetch_how h)
{
    switch (h) {
    case PA_FETCH_NETWORK: return "downloaded";
    case PA_FETCH_REVALIDATED: return "revalidated (304 Not Modified), cached copy";
    case PA_FETCH_CACHE_OFFLINE: return "offline, cached copy";
    case PA_FETCH_CACHE_NO_NETWORK: return "network unavailable, cached copy";
    }
    return "?";
}

char *pa_fetch_cache_dir(const struct pa_fetch_opts *fo)
{
    if (fo && fo->cache_dir) return pa_xstrdup(fo->cache_dir);
    const char *x = getenv("XDG_CACHE_HOME");
    if (x && x[0] == '/') return pa_path_join(x, "pa-audit");
    const char *h = getenv("HOME");
    if (h && *h) return pa_xasprintf("%s/.cache/pa-audit", h);
    return NULL;
}

/* Scheme and host of url (owned, lowercase), false when it does not parse. */
static bool url_parts(const char *url, char **scheme, char **host)
{
    *scheme = *host = NULL;
    CURLU *u = curl_url();
    if (!u) return false;
    bool ok = false;
    char *s = NULL, *h = NULL;
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK && curl_url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK) {
        if (curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK) h = NULL;  /* file:// has none */
        *scheme = pa_xstrdup(s);
        *host = pa_xstrdup(h ? h : "");
        for (char *p = *scheme; *p; p++) *p = (char)tolower((unsigned char)*p);
        for (char *p = *host; *p; p++) *p = (char)tolower((unsigned char)*p);
        ok = true;
    }
    curl_free(s);
    curl_free(h);
    curl_url_cleanup(u);
    return ok;
}

static bool host_is_loopback(const char *h)
{
    if (!strcmp(h, "localhost") || !strcmp(h, "[::1]") || !strcmp(h, "::1")) return true;
    /* 127.0.0.0/8 in dotted-quad form */
    int parts = 0;
    const char *p = h;
    if (strncmp(p, "127.", 4)) return false;
    while (*p) {
        if (!isdigit((unsigned char)*p)) return false;
        long v = 0;
        int digits = 0;
        while (isdigit((unsigned char)*p)) { v = v * 10 + (*p - '0'); p++; if (++digits > 3) return false; }
        if (v > 255) return false;
        parts++;
        if (*p == '.') p++;
        else if (*p) return false;
    }
    return parts == 4;
}

bool pa_fetch_is_loopback(const char *url)
{
    char *s, *h;
    if (!url_parts(url, &s, &h)) return false;
    bool r = host_is_loopback(h);
    free(s);
    free(h);
    return r;
}

/* NULL when url may be fetched, else the reason (static). */
static const char *policy(const char *url, const struct pa_fetch_opts *fo)
{
    char *s, *h;
    if (!url_parts(url, &s, &h)) return "not a valid URL";
    const char *why = NULL;
    if (!strcmp(s, "https")) why = *h ? NULL : "not a valid URL (no host)";
    else if (!strcmp(s, "http")) {
        if (!*h) why = "not a valid URL (no host)";
        else if (!host_is_loopback(h) && !fo->allow_insecure_http)
            why = "plain http:// is refused for non-loopback hosts (use https:// or --allow-insecure-http)";
    } else {
        why = "only https:// (and http:// to loopback) URLs are supported";
    }
    free(s);
    free(h);
    return why;
}

/* ---- cache -------------------------------------------------------------- */
struct cached {
    char *body;            /* owned or NULL */
    size_t len;
    char *etag;            /* owned or NULL */
    char *last_modified;   /* owned or NULL */
};

static void cached_free(struct cached *c)
{
    free(c->body);
    free(c->etag);
    free(c->last_modified);
    memset(c, 0, sizeof *c);
}

static char *cache_path(const char *dir, const char *url, const char *ext)
{
    return pa_xasprintf("%s/packs/%016llx.%s", dir, (unsigned long long)pa_hash_str(url), ext);
}

static void cache_read(const char *dir, const char *url, size_t max, struct cached *c)
{
    memset(c, 0, sizeof *c);
    if (!dir) return;
    char *mp = cache_path(dir, url, "meta"), *bp = cache_path(dir, url, "yaml");
    char *meta = NULL;
    size_t mlen = 0;
    const char *reason;
    if (pa_file_read(mp, 64 << 10, &meta, &mlen, &reason) == PA_OK) {
        bool same_url = false;
        for (char *line = meta; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl) *nl = '\0';
            if (pa_str_starts(line, "url ")) same_url = !strcmp(line + 4, url);
            else if (pa_str_starts(line, "etag ")) c->etag = pa_xstrdup(line + 5);
            else if (pa_str_starts(line, "last-modified ")) c->last_modified = pa_xstrdup(line + 14);
            line = nl ? nl + 1 : NULL;
        }
        if (same_url && pa_file_read(bp, max, &c->body, &c->len, &reason) == PA_OK) {
            /* complete entry */
        } else {
            cached_free(c);
        }
        free(meta);
    }
    free(mp);
    free(bp);
}

static void cache_write(const char *dir, const char *url, const char *body, size_t len, const char *etag,
                        const char *lm)
{
    if (!dir) return;
    char *sub = pa_path_join(dir, "packs");
    char *mp = cache_path(dir, url, "meta"), *bp = cache_path(dir, url, "yaml");
    pa_buf m;
    pa_buf_init(&m);
    pa_buf_printf(&m, "url %s\n", url);
    if (etag) pa_buf_printf(&m, "etag %s\n", etag);
    if (lm) pa_buf_printf(&m, "last-modified %s\n", lm);
    if (pa_mkdirs(sub) != PA_OK || pa_file_write_atomic(bp, body, len) != PA_OK ||
        pa_file_write_atomic(mp, m.s, m.len) != PA_OK)
        pa_warn("cannot write the rule pack cache under %s", dir);
    pa_buf_free(&m);
    free(sub);
    free(mp);
    free(bp);
}

/* ---- transfer ----------------------------------------------------------- */
struct xfer {
    pa_buf body;           /* response body */
    size_t max;            /* limit */
    bool too_big;          /* the limit was hit */
    char *etag;            /* ETag header of the last response (owned) */
    char *last_modified;   /* Last-Modified header (owned) */
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    struct xfer *x = arg;
    size_t k = size * n;
    if (x->body.len + k > x->max) { x->too_big = true; return 0; }
    pa_buf_append(&x->body, p, k);
    return k;
}

static char *header_value(const char *line, size_t n, const char *name)
{
    size_t k = strlen(name);
    if (n <= k || strncasecmp(line, name, k) || line[k] != ':') return NULL;
    const char *v = line + k + 1;
    const char *e = line + n;
    while (v < e && (*v == ' ' || *v == '\t')) v++;
    while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ')) e--;
    if (e - v > 512) return NULL;
    return pa_xstrndup(v, (size_t)(e - v));
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
    struct xfer *x = arg;
    size_t k = size * n;
    char *v;
    if (k > 5 && !strncasecmp(p, "HTTP/", 5)) {  /* a new response (redirect hop): forget old headers */
        free(x->etag);
        free(x->last_modified);
        x->etag = x->last_modified = NULL;
    } else if ((v = header_value(p, k, "ETag"))) {
        free(x->etag);
        x->etag = v;
    } else if ((v = header_value(p, k, "Last-Modified"))) {
        free(x->last_modified);
        x->last_modified = v;
    }
    return k;
}

static bool network_failure(CURLcode rc)
{
    return rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_COULDNT_CONNECT ||
           rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR;
}

pa_status pa_fetch(const char *url, const struct pa_fetch_opts *fo, char **body, size_t *len, pa_fetch_how *how,
                   char **err)
{
    *body = NULL;
    *len = 0;
    *err = NULL;
    *how = PA_FETCH_NETWORK;
    const char *why = policy(url, fo);
    if (why) { *err = pa_xasprintf("%s: %s", url, why); return PA_ERR_USAGE; }
    char *dir = pa_fetch_cache_dir(fo);
    struct cached c;
    cache_read(dir, url, fo->max_bytes, &c);
    pa_status st = PA_OK;
    if (fo->offline) {
        if (c.body) {
            *body = c.body;
            *len = c.len;
            c.body = NULL;
            *how = PA_FETCH_CACHE_OFFLINE;
        } else {
            *err = pa_xasprintf("%s: --offline and no cached copy (cache: %s)", url, dir ? dir : "none");
            st = PA_ERR_IO;
        }
        cached_free(&c);
        free(dir);
        return st;
    }
    pthread_once(&g_curl_once, curl_init_once);
    char *cur = pa_xstrdup(url);
    struct xfer x;
    memset(&x, 0, sizeof x);
    pa_buf_init(&x.body);
    x.max = fo->max_bytes;
    bool done = false;
    for (long hop = 0; !done; hop++) {
        if (hop > fo->max_redirects) { *err = pa_xasprintf("%s: more than %ld redirects", url, fo->max_redirects); st = PA_ERR_IO; break; }
        if (hop && (why = policy(cur, fo))) { *err = pa_xasprintf("%s: redirect to %s refused: %s", url, cur, why); st = PA_ERR_USAGE; break; }
        CURL *h = curl_easy_init();
        if (!h) { *err = pa_xasprintf("%s: cannot initialise libcurl", url); st = PA_ERR_INTERNAL; break; }
        pa_buf_reset(&x.body);
        x.too_big = false;
        struct curl_slist *hdrs = NULL;
        if (c.body && c.etag) { char *l = pa_xasprintf("If-None-Match: %s", c.etag); hdrs = curl_slist_append(hdrs, l); free(l); }
        if (c.body && c.last_modified) { char *l = pa_xasprintf("If-Modified-Since: %s", c.last_modified); hdrs = curl_slist_append(hdrs, l); free(l); }
        char errbuf[CURL_ERROR_SIZE] = "";
        curl_easy_setopt(h, CURLOPT_URL, cur);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, fo->timeout_ms);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, fo->timeout_ms < 5000 ? fo->timeout_ms : 5000L);
        curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)fo->max_bytes);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
        curl_easy_setopt(h, CURLOPT_USERAGENT, "pa-audit/" PA_VERSION);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
        if (hdrs) curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        CURLcode rc = curl_easy_perform(h);
        long code = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
        char *next = NULL;
        if (rc == CURLE_OK && code >= 300 && code < 400 && code != 304) {
            char *loc = NULL;
            curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
            if (loc) next = pa_xstrdup(loc);
        }
        curl_easy_cleanup(h);
        curl_slist_free_all(hdrs);
        if (rc != CURLE_OK) {
            if (x.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
                *err = pa_xasprintf("%s: response larger than %zu bytes", url, fo->max_bytes);
                st = PA_ERR_LIMIT;
            } else if (network_failure(rc) && c.body) {
                *body = c.body;
                *len = c.len;
                c.body = NULL;
                *how = PA_FETCH_CACHE_NO_NETWORK;
            } else if (rc == CURLE_OPERATION_TIMEDOUT) {
                *err = pa_xasprintf("%s: timed out after %ld ms", url, fo->timeout_ms);
                st = PA_ERR_IO;
            } else {
                *err = pa_xasprintf("%s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
                st = PA_ERR_IO;
            }
            break;
        }
        if (next) { free(cur); cur = next; continue; }
        if (code >= 300 && code < 400 && code != 304) {
            *err = pa_xasprintf("%s: HTTP %ld redirect without a Location", url, code);
            st = PA_ERR_IO;
            break;
        }
        if (code == 304 && c.body) {
            *body = c.body;
            *len = c.len;
            c.body = NULL;
            *how = PA_FETCH_REVALIDATED;
        } else if (code == 200) {
            *len = x.body.len;
            *body = pa_buf_take(&x.body);
            if (!*body) *body = pa_xstrdup("");
            cache_write(dir, url, *body, *len, x.etag, x.last_modified);
            *how = PA_FETCH_NETWORK;
        } else {
            *err = pa_xasprintf("%s: HTTP %ld%s", url, code, code == 404 ? " Not Found" : code == 304 ? " without a cached copy" : "");
            st = PA_ERR_IO;
        }
        done = true;
    }
    pa_buf_free(&x.body);
    free(x.etag);
    free(x.last_modified);
    free(cur);
    cached_free(&c);
    free(dir);
    return st;
}
