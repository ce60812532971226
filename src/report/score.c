/* score.c - compliance scores (CONTRACT.md "Scoring").
 *
 * penalty = 2.0·critical + 1.0·high + 0.5·medium + 0.2·low over the
 * non-advisory findings of a category (baseline findings count: only the
 * fail checks ignore them); score = max(0, 10 − penalty) to one decimal;
 * overall = mean of the three category scores, to one decimal.
 * All arithmetic is done in integer tenths, so 10 − 3·0.2 is exactly 9.4 and
 * no binary rounding can flip a half; the mean rounds half up. */
#include "report/report_int.h"

#include <math.h>

double pa_score_round1(double x)
{
    if (x != x) return 0.0;  /* NaN */
    double r = floor(x * 10.0 + 0.5 + 1e-9) / 10.0;
    return r == 0.0 ? 0.0 : r;  /* no "-0.0" */
}

int pa_score_tenths(const size_t counts[4])
{
    size_t penalty = 20 * counts[PA_SEV_CRITICAL] + 10 * counts[PA_SEV_HIGH] + 5 * counts[PA_SEV_MEDIUM] +
                     2 * counts[PA_SEV_LOW];
    return penalty >= 100 ? 0 : (int)(100 - penalty);
}

void pa_report_score(struct pa_run *run)
{
    for (int c = 0; c < PA_CAT__COUNT; c++)
        for (int s = 0; s < 4; s++) run->counts[c][s] = 0;
    run->nadvisory = run->nbaseline = run->nnew = 0;
    for (size_t i = 0; i < run->all.items.n; i++) {
        const struct pa_finding *f = run->all.items.v[i];
        if (f->baseline) run->nbaseline++;
        else run->nnew++;
        if (f->advisory) { run->nadvisory++; continue; }
        if (!f->rule || f->rule->category >= PA_CAT__COUNT || f->severity > PA_SEV_CRITICAL) continue;
        run->counts[f->rule->category][f->severity]++;
    }
    int sum = 0;
    for (int c = 0; c < PA_CAT__COUNT; c++) {
        int t = pa_score_tenths(run->counts[c]);
        run->scores[c] = t / 10.0;
        sum += t;
    }
    int overall = (2 * sum + PA_CAT__COUNT) / (2 * PA_CAT__COUNT);  /* round half up */
    run->overall = overall / 10.0;
}
