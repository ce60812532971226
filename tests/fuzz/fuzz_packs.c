/* fuzz_packs.c - libFuzzer target for rule packs (include/pa/packs.h): the
 * bytes are a pack's YAML text, loaded with pa_packs_load_text (libyaml with
 * the yamltree limits, key validation, tree-sitter query and PCRE2
 * compilation - all of it fed by untrusted text, since packs can come over
 * HTTP). When the pack loads, its custom rules are run over a small fixed
 * Python module with a per-thread scanner, as the parse pool does. The rules
 * are never registered in the global rule table (no global state touched). */
#include "fuzz_common.h"

#include "pa/packs.h"

static const char fuzz_packs_module[] =
    "import time, requests\n\n"
    "async def handler(session, rows):\n"
    "    for r in rows:\n"
    "        requests.get(r.url)\n"
    "        session.commit()\n"
    "    with session.begin():\n"
    "        print('x')\n"
    "    time.sleep(1)\n";

int pa_fuzz_packs(const uint8_t *data, size_t size)
{
    char *text = pa_xmalloc(size ? size : 1);   /* exact size, no NUL: overreads are caught */
    if (size) memcpy(text, data, size);
    struct pa_packs p;
    pa_packs_init(&p);
    char *err = NULL;
    if (pa_packs_load_text(&p, text, size, "fuzz.yml", &err) == PA_OK && pa_packs_rule_count(&p)) {
        pa_packs_begin_scan(&p, 1);
        pa_pack_scanner *s = pa_pack_scanner_new(&p);
        pa_packs_scan(&p, s, 0, "app/fuzz.py", fuzz_packs_module, sizeof fuzz_packs_module - 1);
        pa_pack_scanner_free(s);
    }
    free(err);
    free(text);
    pa_packs_free(&p);
    return 0;
}

PA_FUZZ_MAIN(pa_fuzz_packs)
