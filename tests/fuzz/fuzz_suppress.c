/* fuzz_suppress.c - libFuzzer target for suppression comments
 * (`# pa-audit: ignore[PA301,PA303] -- reason`): the input is split on '\n'
 * into fragments, each of which becomes a suppression comment placed either
 * at the end of, or on the line above, a code line that carries a known
 * finding (PA303, PA301, PA304, PA204 …), so that suppression parsing,
 * matching, the unknown/unused-suppression warnings and their rendering in
 * every report are driven by arbitrary comment text. The composed module is
 * then analysed exactly as fuzz_python does.
 *
 * The first byte of a fragment picks its form: bit 0 - trailing comment or
 * a comment line above; bit 1 - prefixed with "# pa-audit: ignore" or raw
 * ('#' only), so both well-formed and mangled markers are produced. */
#include "fuzz_analyse.h"

/* Code lines with a finding each; indented for the body of `async def h()`. */
static const char *const fuzz_suppress_code[] = {
    "    time.sleep(1)",
    "    requests.get(url)",
    "    for r in rows:\n        s += r.name",
    "    db.commit()",
    "    data = open(path).read()",
    "    n = len(list(items))",
};

int pa_fuzz_suppress(const uint8_t *data, size_t size)
{
    pa_buf b;
    pa_buf_init(&b);
    pa_buf_puts(&b, "import time\nimport requests\nfrom app.db import db\n\n"
                    "async def h(url, rows, items, path):\n    s = ''\n");
    size_t ncode = sizeof fuzz_suppress_code / sizeof *fuzz_suppress_code;
    size_t i = 0, k = 0;
    while (i < size && k < 32) {
        const uint8_t *nl = memchr(data + i, '\n', size - i);
        size_t total = nl ? (size_t)(nl - (data + i)) : size - i;   /* fragment length */
        const char *frag = (const char *)data + i;
        size_t n = total;
        unsigned mode = 0;
        if (n) { mode = (unsigned char)frag[0]; frag++; n--; }
        const char *code = fuzz_suppress_code[k % ncode];
        const char *marker = (mode & 2) ? "#" : "# pa-audit: ignore";
        if (mode & 1) {
            pa_buf_printf(&b, "    %s", marker);
            pa_buf_append(&b, frag, n);
            pa_buf_printf(&b, "\n%s\n", code);
        } else {
            pa_buf_printf(&b, "%s  %s", code, marker);
            pa_buf_append(&b, frag, n);
            pa_buf_putc(&b, '\n');
        }
        k++;
        i += total + 1;
    }
    pa_buf_puts(&b, "    return s\n");
    pa_buf_cstr(&b);
    fuzz_python_file((const uint8_t *)b.s, b.len, b.s, b.len);
    pa_buf_free(&b);
    return 0;
}

PA_FUZZ_MAIN(pa_fuzz_suppress)
