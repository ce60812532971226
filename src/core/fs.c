/* fs.c - file reading with limits, atomic writes (temp + fsync + rename),
 * directory creation, glob matching, logging and the monotonic clock. */
#include "pa/core.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

pa_status pa_file_read(const char *path, size_t max_bytes, char **out, size_t *len, const char **reason)
{
    *out = NULL;
    *len = 0;
    *reason = NULL;
    /* O_NONBLOCK so that opening a FIFO never blocks; we refuse it below. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        *reason = errno == EACCES ? "permission denied" : errno == ENOENT ? "file vanished before it was read"
                  : errno == ELOOP ? "symlink loop" : "cannot open";
        return PA_ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        *reason = "not a regular file";
        return PA_ERR_IO;
    }
    if ((size_t)st.st_size > max_bytes) {
        close(fd);
        *reason = "larger than the size limit";
        return PA_ERR_LIMIT;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = pa_xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            if (cap > max_bytes) { free(buf); close(fd); *reason = "larger than the size limit"; return PA_ERR_LIMIT; }
            cap *= 2;
            buf = pa_xrealloc(buf, cap + 1);
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            free(buf);
            close(fd);
            *reason = errno == EISDIR ? "is a directory" : "read error";
            return PA_ERR_IO;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    if (n > max_bytes) { free(buf); *reason = "larger than the size limit"; return PA_ERR_LIMIT; }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return PA_OK;
}

pa_status pa_mkdirs(const char *dir)
{
    char *p = pa_xstrdup(dir);
    size_t n = strlen(p);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] == '/' || p[i] == '\0') {
            char c = p[i];
            p[i] = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                free(p);
                return PA_ERR_IO;
            }
            p[i] = c;
        }
    }
    free(p);
    return pa_path_is_dir(dir) ? PA_OK : PA_ERR_IO;
}

static pa_status write_replace(const char *path, const char *data, size_t len, bool sync);

pa_status pa_file_write_atomic(const char *path, const char *data, size_t len)
{
    char *dir = pa_xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) { *slash = '\0'; if (pa_mkdirs(dir) != PA_OK) { free(dir); return PA_ERR_IO; } }
    free(dir);
    return write_replace(path, data, len, true);
}

pa_status pa_file_write_replace(const char *path, const char *data, size_t len)
{
    return write_replace(path, data, len, false);
}

static pa_status write_replace(const char *path, const char *data, size_t len, bool sync)
{
    char *tmp = pa_xasprintf("%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) { free(tmp); return PA_ERR_IO; }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            close(fd); unlink(tmp); free(tmp);
            return PA_ERR_IO;
        }
        off += (size_t)w;
    }
    if (fchmod(fd, 0644) != 0 || (sync && fsync(fd) != 0) || close(fd) != 0) {
        unlink(tmp); free(tmp);
        return PA_ERR_IO;
    }
    if (rename(tmp, path) != 0) { unlink(tmp); free(tmp); return PA_ERR_IO; }
    free(tmp);
    return PA_OK;
}

char *pa_path_join(const char *a, const char *b)
{
    if (!a || !*a || (b[0] == '/')) return pa_xstrdup(b);
    size_t n = strlen(a);
    return pa_xasprintf("%s%s%s", a, a[n - 1] == '/' ? "" : "/", b);
}

bool pa_path_within(const char *root, const char *path)
{
    char real_root[PATH_MAX], real[PATH_MAX];
    if (!realpath(root, real_root) || !realpath(path, real)) return false;
    size_t rl = strlen(real_root);
    if (rl == 1) return true;   /* root is "/" */
    return strncmp(real, real_root, rl) == 0 && (real[rl] == '/' || real[rl] == '\0');
}

bool pa_path_is_dir(const char *p) { struct stat st; return stat(p, &st) == 0 && S_ISDIR(st.st_mode); }
bool pa_path_is_file(const char *p) { struct stat st; return stat(p, &st) == 0 && S_ISREG(st.st_mode); }

/* ---- glob --------------------------------------------------------------- */
static bool class_match(const char **pp, char c)
{
    const char *p = *pp + 1;
    bool neg = false, ok = false;
    if (*p == '!' || *p == '^') { neg = true; p++; }
    bool first = true;
    while (*p && (*p != ']' || first)) {
        first = false;
        if (p[1] == '-' && p[2] && p[2] != ']') {
            if (c >= p[0] && c <= p[2]) ok = true;
            p += 3;
        } else {
            if (c == *p) ok = true;
            p++;
        }
    }
    if (*p == ']') p++;
    *pp = p;
    return ok != neg;
}

static bool glob_rec(const char *p, const char *s)
{
    while (*p) {
        if (p[0] == '*' && p[1] == '*') {
            p += 2;
            if (*p == '/') p++;
            for (const char *t = s;; t++) {
                if (glob_rec(p, t)) return true;
                if (!*t) return false;
            }
        }
        if (*p == '*') {
            p++;
            for (const char *t = s;; t++) {
                if (glob_rec(p, t)) return true;
                if (!*t || *t == '/') return false;
            }
        }
        if (!*s) return false;
        if (*p == '?') { if (*s == '/') return false; p++; s++; continue; }
        if (*p == '[') { if (!class_match(&p, *s)) return false; s++; continue; }
        if (*p != *s) return false;
        p++; s++;
    }
    return *s == '\0';
}

bool pa_glob_match(const char *pattern, const char *path)
{
    const char *pat = pattern;
    bool anchored = false;
    if (*pat == '/') { pat++; anchored = true; }
    size_t pl = strlen(pat);
    char *tmp = NULL;
    if (pl && pat[pl - 1] == '/') {  /* "dir/" matches the directory and all below */
        tmp = pa_xasprintf("%s**", pat);
        pat = tmp;
    }
    bool has_slash = strchr(pat, '/') != NULL;
    bool r = false;
    if (has_slash || anchored) {
        r = glob_rec(pat, path);
        /* "a/b" also matches "a/b/anything" */
        if (!r) { char *t2 = pa_xasprintf("%s/**", pat); r = glob_rec(t2, path); free(t2); }
    } else {
        /* match any path segment (and everything below it) */
        const char *seg = path;
        while (seg && !r) {
            const char *end = strchr(seg, '/');
            size_t n = end ? (size_t)(end - seg) : strlen(seg);
            char *one = pa_xstrndup(seg, n);
            r = glob_rec(pat, one);
            free(one);
            seg = end ? end + 1 : NULL;
        }
    }
    free(tmp);
    return r;
}

/* ---- logging ------------------------------------------------------------ */
static pa_log_level g_level = PA_LOG_NORMAL;
static pthread_mutex_t g_log_lock = PTHREAD_MUTEX_INITIALIZER;

void pa_log_set_level(pa_log_level l) { g_level = l; }
pa_log_level pa_log_get_level(void) { return g_level; }

static void vlog(const char *fmt, va_list ap)
{
    pa_buf b;
    pa_buf_init(&b);
    pa_buf_puts(&b, "pa-audit: ");
    pa_buf_vprintf(&b, fmt, ap);
    pa_buf_putc(&b, '\n');
    pthread_mutex_lock(&g_log_lock);
    fwrite(b.s, 1, b.len, stderr);
    pthread_mutex_unlock(&g_log_lock);
    pa_buf_free(&b);
}

void pa_warn(const char *fmt, ...)
{
    if (g_level < PA_LOG_NORMAL) return;
    va_list ap; va_start(ap, fmt); vlog(fmt, ap); va_end(ap);
}

void pa_info(const char *fmt, ...)
{
    if (g_level < PA_LOG_VERBOSE) return;
    va_list ap; va_start(ap, fmt); vlog(fmt, ap); va_end(ap);
}

void pa_error(const char *fmt, ...)
{
    va_list ap; va_start(ap, fmt); vlog(fmt, ap); va_end(ap);
}

double pa_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
