/* test_config.c - pa_config_load: a good .pa-audit.yml, [tool.pa-audit] in
 * pyproject.toml, command-line precedence, and every error class with
 * FILE:LINE and the key in the message. Config files are written to a fresh
 * temporary directory. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "pa/options.h"
#include "pa/rules.h"

static char g_dir[64];

static void write_file(const char *name, const char *text)
{
    char *p = pa_path_join(g_dir, name);
    CHECK(pa_file_write_atomic(p, text, strlen(text)) == PA_OK);
    free(p);
}

static void remove_file(const char *name)
{
    char *p = pa_path_join(g_dir, name);
    unlink(p);
    free(p);
}

static size_t rule_index(const char *id)
{
    size_t n;
    const struct pa_rule_meta *all = pa_rules_all(&n);
    return (size_t)(pa_rule_find(id) - all);
}

static void init(struct pa_options *o)
{
    pa_options_init(o);
    free(o->root);
    o->root = pa_xstrdup(g_dir);
}

/* Load `text` as .pa-audit.yml; returns the status, *err owned. */
static pa_status load_yaml(struct pa_options *o, const char *text, char **err)
{
    write_file(".pa-audit.yml", text);
    pa_status st = pa_config_load(o, err);
    remove_file(".pa-audit.yml");
    return st;
}

static void test_good_yaml(void)
{
    struct pa_options o;
    init(&o);
    char *err = NULL;
    pa_status st = load_yaml(&o,
                             "# project config\n"
                             "select: [PA1, PA2, PA3]\n"
                             "ignore: [PA306]\n"
                             "exclude: [\"legacy/**\", scripts/*.py]\n"
                             "fail_on: high\n"
                             "fail_under: 7.5\n"
                             "severity:            # per-rule override\n"
                             "  PA304: LOW\n"
                             "  pa101: critical\n"
                             "rule_packs: [\"https://example.invalid/pack.json\"]\n"
                             "cache: true\n",
                             &err);
    CHECK_INT(st, PA_OK);
    CHECK(err == NULL);
    CHECK_INT(o.select.n, 3);
    CHECK_STR(o.select.n == 3 ? o.select.v[2] : NULL, "PA3");
    CHECK_INT(o.ignore.n, 1);
    CHECK_STR(o.ignore.n ? o.ignore.v[0] : NULL, "PA306");
    CHECK_INT(o.exclude.n, 2);
    CHECK_STR(o.exclude.n == 2 ? o.exclude.v[1] : NULL, "scripts/*.py");
    CHECK_INT(o.fail_on, PA_SEV_HIGH);
    CHECK(o.fail_under > 7.49 && o.fail_under < 7.51);
    CHECK(o.severity_set[rule_index("PA304")]);
    CHECK_INT(o.severity[rule_index("PA304")], PA_SEV_LOW);
    CHECK(o.severity_set[rule_index("PA101")]);
    CHECK_INT(o.severity[rule_index("PA101")], PA_SEV_CRITICAL);
    CHECK(!o.severity_set[rule_index("PA102")]);
    CHECK(!pa_options_rule_enabled(&o, "PA306"));
    CHECK(pa_options_rule_enabled(&o, "PA301"));
    CHECK_STR(o.config_cache_dir, ".pa-audit-cache");   /* cache: true → the default directory */
    free(err);
    pa_options_free(&o);
    /* ids no built-in rule has may be rule packs' (ORG001): checked once packs are loaded */
    init(&o);
    CHECK_INT(load_yaml(&o, "select: [PA1, ORG]\nseverity:\n  ORG001: HIGH\n", &err), PA_OK);
    CHECK_INT(o.deferred.n, 2);
    CHECK_INT(o.select.n, 2);
    {
        char *derr = NULL;
        CHECK_INT(pa_options_check_deferred(&o, &derr), PA_ERR_USAGE);   /* no pack is loaded here */
        CHECK(derr && strstr(derr, ".pa-audit.yml:1: key 'select': unknown rule id or prefix 'ORG'"));
        free(derr);
    }
    pa_options_free(&o);
    /* cache: a directory inside the project; false turns it off */
    init(&o);
    CHECK_INT(load_yaml(&o, "cache: .cache/pa\n", &err), PA_OK);
    CHECK_STR(o.config_cache_dir, ".cache/pa");
    CHECK_INT(load_yaml(&o, "cache: false\n", &err), PA_OK);
    CHECK(o.config_cache_dir == NULL);
    pa_options_free(&o);

    /* an empty file and a comment-only file are fine */
    init(&o);
    CHECK_INT(load_yaml(&o, "", &err), PA_OK);
    CHECK_INT(load_yaml(&o, "# nothing yet\n", &err), PA_OK);
    CHECK_INT(o.fail_on, PA_SEV_CRITICAL);
    /* fail_on never, integer fail_under, select as a comma string */
    CHECK_INT(load_yaml(&o, "fail_on: never\nfail_under: 8\nselect: \"PA1, PA201\"\n", &err), PA_OK);
    CHECK_INT(o.fail_on, PA_FAIL_NEVER);
    CHECK(o.fail_under == 8.0);
    CHECK_INT(o.select.n, 2);
    CHECK_STR(o.select.n == 2 ? o.select.v[1] : NULL, "PA201");
    pa_options_free(&o);

    /* no config at all */
    init(&o);
    CHECK_INT(pa_config_load(&o, &err), PA_OK);
    CHECK(err == NULL);
    CHECK_INT(o.select.n, 0);
    pa_options_free(&o);
}

/* Expect PA_ERR_USAGE with every needle in the message. */
static void expect_error(const char *yaml, const char *n1, const char *n2)
{
    struct pa_options o;
    init(&o);
    char *err = NULL;
    pa_status st = load_yaml(&o, yaml, &err);
    CHECK_INT(st, PA_ERR_USAGE);
    CHECK(err != NULL);
    if (err) {
        if (!strstr(err, n1) || (n2 && !strstr(err, n2))) fprintf(stderr, "  message was: %s\n", err);
        CHECK(strstr(err, n1) != NULL);
        CHECK(strstr(err, ".pa-audit.yml:") != NULL);
        if (n2) CHECK(strstr(err, n2) != NULL);
    }
    free(err);
    pa_options_free(&o);
}

static void test_errors(void)
{
    expect_error("select: [PA1]\nunknown_key: 1\n", ".pa-audit.yml:2: key 'unknown_key'", "unknown key");
    expect_error("select: 5\n", ":1: key 'select'", "list of strings");
    expect_error("ignore:\n  - PA301\n  - [nested]\n", ":3: key 'ignore'", "list");
    expect_error("select: [PA1, PA999]\n", ":1: key 'select'", "unknown rule id or prefix 'PA999'");
    expect_error("exclude: {a: 1}\n", "key 'exclude'", "list of strings");
    expect_error("fail_on: urgent\n", ":1: key 'fail_on'", "'urgent'");
    expect_error("fail_on: 3\n", "key 'fail_on'", "integer");
    expect_error("fail_under: 11\n", ":1: key 'fail_under'", "0 to 10");
    expect_error("fail_under: high\n", "key 'fail_under'", "string");
    expect_error("severity:\n  PA304: LOW\n  PA999: HIGH\n", ":3: key 'severity'", "unknown rule id 'PA999'");
    expect_error("severity:\n  PA304: SEVERE\n", ":2: key 'severity'", "PA304");
    expect_error("severity: [PA304]\n", "key 'severity'", "map");
    expect_error("rule_packs: pack.json\n", "key 'rule_packs'", "list");
    expect_error("cache: 3\n", "key 'cache'", "true, false or a directory");
    expect_error("cache: ../elsewhere\n", "key 'cache'", "inside the project");
    expect_error("cache: /var/tmp/pa\n", "key 'cache'", "inside the project");
    /* a project's config cannot make the audit read packs outside the project */
    expect_error("rule_packs:\n  - /etc/passwd\n", ":2: key 'rule_packs'", "relative to the project root");
    {
        char *outside = pa_xasprintf("%s-outside.yml", g_dir);
        CHECK(pa_file_write_atomic(outside, "rules: []\n", 10) == PA_OK);
        char *link = pa_path_join(g_dir, "linked-pack.yml");
        CHECK(symlink(outside, link) == 0);
        expect_error("rule_packs: [linked-pack.yml]\n", ":1: key 'rule_packs'", "resolves outside the project");
        /* an inside-the-project pack is accepted (a missing one is the pack loader's error) */
        struct pa_options o2;
        init(&o2);
        char *err2 = NULL;
        CHECK_INT(load_yaml(&o2, "rule_packs: [packs/org.yml]\n", &err2), PA_OK);
        CHECK_INT(o2.rules_files.n, 1);
        free(err2);
        pa_options_free(&o2);
        unlink(link);
        unlink(outside);
        free(link);
        free(outside);
    }
    expect_error("- select\n- ignore\n", ".pa-audit.yml:1:", "map of settings");
    /* malformed YAML: file and line */
    expect_error("select: [PA1\nignore: [PA2]\n", ".pa-audit.yml:", "invalid YAML");
    expect_error("select: [PA1]\n  ignore: x\n bad: - 1\n", ".pa-audit.yml:", "invalid YAML");
    expect_error("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                 "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                 "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
                 ".pa-audit.yml:", "alias");

    /* binary junk */
    struct pa_options o;
    init(&o);
    char *p = pa_path_join(g_dir, ".pa-audit.yml");
    static const char junk[] = "\x89PNG\r\n\x1a\n\0\0\xff\xfe";
    CHECK(pa_file_write_atomic(p, junk, sizeof junk - 1) == PA_OK);
    char *err = NULL;
    CHECK_INT(pa_config_load(&o, &err), PA_ERR_USAGE);
    CHECK(err && strstr(err, ".pa-audit.yml:") && strstr(err, "invalid YAML"));
    free(err);
    unlink(p);
    free(p);
    pa_options_free(&o);
}

static void test_explicit_and_pyproject(void)
{
    struct pa_options o;
    char *err = NULL;

    /* explicit --config that does not exist */
    init(&o);
    o.config = pa_xstrdup("/nonexistent/pa.yml");
    CHECK_INT(pa_config_load(&o, &err), PA_ERR_USAGE);
    CHECK(err && strstr(err, "/nonexistent/pa.yml") && strstr(err, "cannot read"));
    free(err);
    err = NULL;
    pa_options_free(&o);

    /* explicit --config wins over .pa-audit.yml */
    init(&o);
    write_file(".pa-audit.yml", "fail_on: low\n");
    write_file("custom.yml", "fail_on: medium\n");
    o.config = pa_path_join(g_dir, "custom.yml");
    CHECK_INT(pa_config_load(&o, &err), PA_OK);
    CHECK_INT(o.fail_on, PA_SEV_MEDIUM);
    pa_options_free(&o);
    remove_file("custom.yml");

    /* .pa-audit.yml wins over pyproject */
    init(&o);
    write_file("pyproject.toml", "[tool.pa-audit]\nfail_on = \"high\"\n");
    CHECK_INT(pa_config_load(&o, &err), PA_OK);
    CHECK_INT(o.fail_on, PA_SEV_LOW);
    pa_options_free(&o);
    remove_file(".pa-audit.yml");

    /* [tool.pa-audit] */
    init(&o);
    write_file("pyproject.toml", "[project]\nname = \"svc\"\n\n"
                                 "[tool.pa-audit]\n"
                                 "select = [\"PA1\", \"PA3\"]\n"
                                 "ignore = [\"PA104\"]\n"
                                 "exclude = [\"migrations/**\"]\n"
                                 "fail_on = \"medium\"\n"
                                 "fail_under = 6.5\n"
                                 "cache = false\n"
                                 "\n[tool.pa-audit.severity]\n"
                                 "PA305 = \"high\"\n"
                                 "\n[tool.ruff]\nline-length = 100\n");
    CHECK_INT(pa_config_load(&o, &err), PA_OK);
    CHECK(err == NULL);
    CHECK_INT(o.select.n, 2);
    CHECK_INT(o.ignore.n, 1);
    CHECK_INT(o.exclude.n, 1);
    CHECK_INT(o.fail_on, PA_SEV_MEDIUM);
    CHECK(o.config_cache_dir == NULL);
    CHECK(o.fail_under > 6.49 && o.fail_under < 6.51);
    CHECK(o.severity_set[rule_index("PA305")]);
    CHECK_INT(o.severity[rule_index("PA305")], PA_SEV_HIGH);
    pa_options_free(&o);

    /* pyproject errors carry the TOML line */
    init(&o);
    write_file("pyproject.toml", "[project]\nname = \"svc\"\n\n[tool.pa-audit]\nselect = [\"PA1\"]\nfail_on = 3\n");
    CHECK_INT(pa_config_load(&o, &err), PA_ERR_USAGE);
    CHECK(err && strstr(err, "pyproject.toml:6: key 'fail_on'"));
    if (err && !strstr(err, "pyproject.toml:6: key 'fail_on'")) fprintf(stderr, "  message was: %s\n", err);
    free(err);
    err = NULL;
    pa_options_free(&o);

    init(&o);
    write_file("pyproject.toml", "[tool.pa-audit]\nselect = [\"PA1\"]\nbogus = true\n");
    CHECK_INT(pa_config_load(&o, &err), PA_ERR_USAGE);
    CHECK(err && strstr(err, "pyproject.toml:3: key 'bogus'"));
    free(err);
    err = NULL;
    pa_options_free(&o);

    init(&o);
    write_file("pyproject.toml", "[tool.pa-audit]\nselect = [\"PA1\"\nfail_on = \"high\"\n");
    CHECK_INT(pa_config_load(&o, &err), PA_ERR_USAGE);
    CHECK(err && strstr(err, "pyproject.toml:") && strstr(err, "invalid TOML"));
    free(err);
    err = NULL;
    pa_options_free(&o);

    /* a pyproject without [tool.pa-audit] (even a broken one) is not a config */
    init(&o);
    write_file("pyproject.toml", "[project\nname = \n");
    CHECK_INT(pa_config_load(&o, &err), PA_OK);
    write_file("pyproject.toml", "[tool.black]\nline-length = 90\n");
    CHECK_INT(pa_config_load(&o, &err), PA_OK);
    CHECK(err == NULL);
    CHECK_INT(o.fail_on, PA_SEV_CRITICAL);
    pa_options_free(&o);
    remove_file("pyproject.toml");

    /* an explicit bare TOML config */
    init(&o);
    write_file("pa.toml", "fail_on = \"low\"\nignore = [\"PA2\"]\n");
    o.config = pa_path_join(g_dir, "pa.toml");
    CHECK_INT(pa_config_load(&o, &err), PA_OK);
    CHECK_INT(o.fail_on, PA_SEV_LOW);
    CHECK_INT(o.ignore.n, 1);
    pa_options_free(&o);
    remove_file("pa.toml");
}

static void test_cli_precedence(void)
{
    struct pa_options o;
    char *err = NULL;
    init(&o);
    pa_vec_push(&o.select, pa_xstrdup("PA3"));     /* --select PA3 */
    pa_vec_push(&o.exclude, pa_xstrdup("cli/**")); /* --exclude */
    o.fail_on = PA_SEV_LOW;                        /* --fail-on low */
    o.fail_on_set = true;
    o.fail_under = 9.0;
    o.fail_under_set = true;
    CHECK_INT(load_yaml(&o, "select: [PA1]\nignore: [PA102]\nexclude: [\"file/**\"]\nfail_on: never\nfail_under: 2\n", &err), PA_OK);
    CHECK_INT(o.select.n, 1);
    CHECK_STR(o.select.v[0], "PA3");
    CHECK_INT(o.ignore.n, 1);   /* not given on the command line: the file's applies */
    CHECK_INT(o.exclude.n, 2);
    CHECK_STR(o.exclude.n == 2 ? o.exclude.v[1] : NULL, "file/**");
    CHECK_INT(o.fail_on, PA_SEV_LOW);
    CHECK(o.fail_under == 9.0);
    pa_options_free(&o);

    /* the file's lists are still validated when the command line wins */
    init(&o);
    pa_vec_push(&o.ignore, pa_xstrdup("PA101"));
    CHECK_INT(load_yaml(&o, "ignore: [PA0]\n", &err), PA_ERR_USAGE);
    CHECK(err && strstr(err, "PA0"));
    free(err);
    pa_options_free(&o);
}

int main(void)
{
    strcpy(g_dir, "/tmp/pa-config-test-XXXXXX");
    if (!mkdtemp(g_dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_good_yaml();
    test_errors();
    test_explicit_and_pyproject();
    test_cli_precedence();
    rmdir(g_dir);
    return test_done("test_config");
}
