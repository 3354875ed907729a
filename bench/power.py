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

It asserts nothing.

    .venv/bin/python bench/power.py
    .venv/bin/python bench/power.py --below 0.6 --at 0.1 --weeks 8
"""

import argparse
import sys
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_patterns import diary, hydration  # noqa: E402


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


if __name__ == "__main__":
    main()
