/* test_cli.c - command-line parsing: every option, --opt=value forms,
 * subcommands, and usage errors (which main turns into exit 2). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pa/cli.h"

static pa_status parse(struct pa_options *o, struct pa_cli *c, char **err, int argc, const char **argv)
{
    pa_options_init(o);
    return pa_cli_parse(argc, (char **)argv, o, c, err);
}

int main(void)
{
    struct pa_options o;
    struct pa_cli c;
    char *err = NULL;
    {
        const char *av[] = {"pa-audit", "check", "--format", "json", "-o", "out.json", "--no-write", "--fail-on",
                            "high", "--fail-under=7.5", "--select", "PA1,PA301", "--ignore=PA306", "--exclude",
                            "legacy/**", "--exclude", "gen/**", "-j3", "--date", "2024-02-29", "--baseline", "b.json",
                            "--print-context", "-q", "proj"};
        CHECK(parse(&o, &c, &err, (int)(sizeof av / sizeof av[0]), av) == PA_OK);
        CHECK(c.cmd == PA_CMD_AUDIT);
        CHECK(o.format == PA_FMT_JSON);
        CHECK_STR(o.output, "out.json");
        CHECK(o.no_write);
        CHECK_INT(o.fail_on, PA_SEV_HIGH);
        CHECK(o.fail_on_set);
        CHECK(o.fail_under > 7.49 && o.fail_under < 7.51);
        CHECK_INT(o.select.n, 2);
        CHECK_STR(o.select.v[1], "PA301");
        CHECK_STR(o.ignore.v[0], "PA306");
        CHECK_INT(o.exclude.n, 2);
        CHECK_INT(o.jobs, 3);
        CHECK_STR(o.date, "2024-02-29");
        CHECK_STR(o.baseline, "b.json");
        CHECK(o.print_context);
        CHECK(o.quiet);
        CHECK_STR(o.root, "proj");
        CHECK(pa_options_rule_enabled(&o, "PA101"));
        CHECK(pa_options_rule_enabled(&o, "PA301"));
        CHECK(!pa_options_rule_enabled(&o, "PA303"));
        pa_cli_free(&c);
        pa_options_free(&o);
    }
    {
        const char *av[] = {"pa-audit", "--ignore", "PA3"};
        CHECK(parse(&o, &c, &err, 3, av) == PA_OK);
        CHECK(pa_options_rule_enabled(&o, "PA101"));
        CHECK(!pa_options_rule_enabled(&o, "PA301"));
        CHECK_STR(o.root, ".");
        CHECK_INT(o.fail_on, PA_SEV_CRITICAL);
        pa_cli_free(&c);
        pa_options_free(&o);
    }
    {
        const char *av[] = {"pa-audit", "rules", "--format", "json"};
        CHECK(parse(&o, &c, &err, 4, av) == PA_OK);
        CHECK(c.cmd == PA_CMD_RULES);
        CHECK(c.rules_format == PA_FMT_JSON);
        char *s = pa_cli_rules_listing(PA_FMT_JSON);
        CHECK(strstr(s, "\"PA107\"") && strstr(s, "query_in_loop"));
        free(s);
        s = pa_cli_rules_listing(PA_FMT_TEXT);
        CHECK(strstr(s, "PA306") && strstr(s, "redundant_data_copy"));
        free(s);
        pa_cli_free(&c);
        pa_options_free(&o);
    }
    {
        const char *av[] = {"pa-audit", "explain", "pa303"};
        CHECK(parse(&o, &c, &err, 3, av) == PA_OK);
        CHECK(c.cmd == PA_CMD_EXPLAIN);
        char *s = pa_cli_explain(c.explain_rule);
        CHECK(s && strstr(s, "PA303"));
        free(s);
        CHECK(pa_cli_explain("PA999") == NULL);
        pa_cli_free(&c);
        pa_options_free(&o);
    }
    const char *bad[][4] = {
        {"pa-audit", "--format", "xml", NULL}, {"pa-audit", "--fail-on", "severe", NULL},
        {"pa-audit", "--fail-under", "11", NULL}, {"pa-audit", "-j", "0", NULL},
        {"pa-audit", "--date", "2023-02-29", NULL}, {"pa-audit", "--date", "24-01-01", NULL},
        {"pa-audit", "--nope", NULL, NULL}, {"pa-audit", "a", "b", NULL},
        {"pa-audit", "--select", NULL, NULL}, {"pa-audit", "explain", NULL, NULL},
        {"pa-audit", "rules", "--format", "md"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int argc = 0;
        while (argc < 4 && bad[i][argc]) argc++;
        err = NULL;
        pa_status st = parse(&o, &c, &err, argc, bad[i]);
        if (st != PA_ERR_USAGE) fprintf(stderr, "case %zu should be a usage error\n", i);
        CHECK(st == PA_ERR_USAGE);
        CHECK(err != NULL && strlen(err) > 5);
        free(err);
        pa_cli_free(&c);
        pa_options_free(&o);
    }
    {
        const char *av[] = {"pa-audit", "--help"};
        CHECK(parse(&o, &c, &err, 2, av) == PA_OK);
        CHECK(c.cmd == PA_CMD_HELP);
        CHECK(strstr(pa_cli_help(), "--fail-on") != NULL);
        pa_cli_free(&c);
        pa_options_free(&o);
    }
    return test_done("test_cli");
}
