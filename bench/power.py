"""How often the patterns find a real difference, and how often they claim one that is not there.

Synthetic diaries of N weeks: a drink every day, at the target on a random half of the days, and
a night cramp after each day with one chance below the target and another at it. For each
length it prints:
- found: the share of diaries with an effect (40% of nights below the target, 20% at it, by
  default) in which the drinks comparison reports fewer cramps at the target (a clear difference);
- false: the share of diaries with no effect (30% of nights in both) in which it reports any
  clear difference;
- bound: the most any test could find, the power of the most powerful test (Neyman-Pearson,
  randomised) of "30% in both" against the effect, at 5% false positives, with the nights split
  evenly. No test that keeps false positives at 5% when nothing differs can find more.

Then, for the self-experiment (server/experiment.py, 8 weeks of blocks in random pairs), its
false positives when nothing differs but each week has its own chance of a night cramp (30% on
average, spread by the given standard deviation): cramps that come in bad and good weeks, which
a test that counts days as independent does not see.

It asserts nothing.

    .venv/bin/python bench/power.py
    .venv/bin/python bench/power.py --below 0.6 --at 0.1 --weeks 8
"""

import argparse
import sys
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import random  # noqa: E402
from datetime import date, timedelta  # noqa: E402

from schemas.settings import load_settings  # noqa: E402
from server import experiment, patterns  # noqa: E402
from tests.test_patterns import diary, hydration  # noqa: E402

START = date(2024, 6, 3)


def swinging_diary(plan, seed, spread):
    """No effect: the evening routine on every day with it, and a night cramp after each day
    with a chance drawn afresh each week (mean 30%, standard deviation `spread`)."""
    rng = random.Random(seed)
    entries = []
    for kind, first, after in experiment.blocks(plan):
        for week in range((after - first).days // 7):
            chance = min(0.95, max(0.0, rng.gauss(0.3, spread)))
            for i in range(7):
                day = first + timedelta(days=7 * week + i)
                if kind == "with":
                    entries.append({"kind": "routine", "routine": "evening-calf-hamstring",
                                    "occurred_at": f"{day}T21:30:00+01:00", "duration_s": 300})
                if rng.random() < chance:
                    entries.append({"kind": "cramp", "context": "night",
                                    "occurred_at": f"{day + timedelta(days=1)}T02:00:00+01:00"})
    return entries


def experiment_false_positives(block_days, spread, runs):
    """The share of no-effect experiments whose answer claims a clear difference."""
    rng = random.Random(1)
    claims = 0
    for seed in range(runs):
        blocks = [kind for _ in range(28 // block_days)
                  for kind in rng.sample(["with", "without"], 2)]
        plan = load_settings("experiment", {"habit": "evening-stretch", "blocks": blocks,
                                            "started_on": START.isoformat(),
                                            "block_days": block_days})
        end = START + timedelta(weeks=8)
        found = experiment.report(plan, patterns.Diary(swinging_diary(plan, seed, spread), end),
                                  end)
        claims += found["result"]["clear"]
    return claims / runs


def bound(nights, below, at, alpha=0.05):
    """The power of the most powerful level-`alpha` test of equal chances (their mean) against
    `below` and `at`, with `nights` nights in each group."""
    null = (below + at) / 2

    def pmf(k, p):
        return comb(nights, k) * p ** k * (1 - p) ** (nights - k)

    cells = sorted(((pmf(x, below) * pmf(y, at) / (pmf(x, null) * pmf(y, null)),
                     pmf(x, null) * pmf(y, null), pmf(x, below) * pmf(y, at))
                    for x in range(nights + 1) for y in range(nights + 1)), reverse=True)
    size = power = 0.0
    for _, p0, p1 in cells:
        if size + p0 > alpha:
            return power + p1 * (alpha - size) / p0
        size, power = size + p0, power + p1
    return power


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--below", type=float, default=0.4)
    parser.add_argument("--at", type=float, default=0.2)
    parser.add_argument("--weeks", type=int, nargs="+", default=[8, 16, 24])
    parser.add_argument("--diaries", type=int, default=500)
    args = parser.parse_args()
    null = (args.below + args.at) / 2
    print(f"effect: night cramps on {args.below:.0%} of nights below the target, {args.at:.0%} "
          f"at it; {args.diaries} diaries each (false positives: {2 * args.diaries})")
    print(f"{'weeks':>5} {'found':>7} {'false':>7} {'bound':>7}")
    for weeks in args.weeks:
        nights = 7 * weeks
        found = sum(r["clear"] and r["upper"] < 1 for r in (
            hydration(diary(nights, args.at, args.below, seed)) for seed in range(args.diaries)))
        false = sum(hydration(diary(nights, null, null, seed))["clear"]
                    for seed in range(2 * args.diaries))
        print(f"{weeks:>5} {found / args.diaries:>7.1%} {false / (2 * args.diaries):>7.1%} "
              f"{bound(nights // 2, args.below, args.at):>7.1%}")
    print(f"self-experiment with no effect, {2 * args.diaries} runs: false positives")
    print(f"{'weekly swing':>12} {'1-week blocks':>14} {'2-week blocks':>14}")
    for spread in (0.0, 0.1, 0.2):
        print(f"{spread:>12.0%} " + " ".join(
            f"{experiment_false_positives(size, spread, 2 * args.diaries):>14.1%}"
            for size in (7, 14)))


if __name__ == "__main__":
    main()
