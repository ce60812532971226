/* github.c - `--format github`: GitHub Actions workflow commands, one per
 * finding, in the sorted order:
 *
 *   ::error file=app/api/files.py,line=44,col=9,endLine=44,title=PA301::HIGH blocking_io_in_async: issue Fix: …
 *
 * CRITICAL/HIGH → error, MEDIUM → warning, LOW and advisory → notice.
 * Escaping follows the runner's rules: in the message, % CR LF become
 * %25 %0D %0A; in property values also ':' → %3A and ',' → %2C. */
#include "report/report_int.h"

#include <stdlib.h>

static void esc_data(pa_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '%') pa_buf_puts(b, "%25");
        else if (*s == '\r') pa_buf_puts(b, "%0D");
        else if (*s == '\n') pa_buf_puts(b, "%0A");
        else pa_buf_putc(b, *s);
    }
}

static void esc_prop(pa_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == ':') pa_buf_puts(b, "%3A");
        else if (*s == ',') pa_buf_puts(b, "%2C");
        else {
            char one[2] = {*s, 0};
            esc_data(b, one);
        }
    }
}

char *pa_report_github(const struct pa_run *run)
{
    pa_buf b;
    pa_buf_init(&b);
    for (size_t i = 0; i < run->all.items.n; i++) {
        const struct pa_finding *f = run->all.items.v[i];
        const char *cmd = f->advisory ? "notice"
                          : f->severity >= PA_SEV_HIGH ? "error"
                          : f->severity == PA_SEV_MEDIUM ? "warning"
                                                         : "notice";
        pa_buf_printf(&b, "::%s file=", cmd);
        esc_prop(&b, f->path);
        pa_buf_printf(&b, ",line=%u,col=%u,endLine=%u,title=", (unsigned)f->line, (unsigned)f->column,
                      (unsigned)(f->end_line ? f->end_line : f->line));
        esc_prop(&b, f->rule ? f->rule->id : "PA");
        pa_buf_puts(&b, "::");
        pa_buf_printf(&b, "%s %s: ", pa_severity_name(f->severity), f->rule ? f->rule->check : "");
        char *msg = pa_report_message(f);
        esc_data(&b, msg);
        free(msg);
        if (f->advisory) {
            pa_buf_puts(&b, " (advisory: ");
            esc_data(&b, f->advisory_note ? f->advisory_note : "context validation");
            pa_buf_puts(&b, ")");
        }
        if (f->baseline) pa_buf_puts(&b, " [baseline]");
        pa_buf_putc(&b, '\n');
    }
    return pa_buf_take(&b);
}
