"""Statistics for comparing scenarios over paired replications (common random numbers)."""

from __future__ import annotations

import numpy as np
from scipy.stats import bootstrap, nct, norm, wilcoxon
from scipy.stats import t as student_t


def bootstrap_ci(
    values: np.ndarray, level: float = 0.95, resamples: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """Percentile-BCa bootstrap interval of the mean (NaN for fewer than two values)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size < 2:
        return (float("nan"), float("nan"))
    if np.ptp(values) == 0:
        return (float(values[0]), float(values[0]))
    res = bootstrap(
        (values,),
        np.mean,
        confidence_level=level,
        n_resamples=resamples,
        method="BCa",
        random_state=np.random.default_rng(seed),
    )
    return (float(res.confidence_interval.low), float(res.confidence_interval.high))


def effect_size(diff: np.ndarray) -> float:
    """Cohen's d_z for paired differences: mean / sd (0 when all differences are equal)."""
    diff = np.asarray(diff, dtype=float)
    diff = diff[np.isfinite(diff)]
    if diff.size < 2:
        return float("nan")
    sd = diff.std(ddof=1)
    if sd == 0:
        return 0.0 if diff.mean() == 0 else float(np.sign(diff.mean()) * np.inf)
    return float(diff.mean() / sd)


def paired_test(diff: np.ndarray) -> float:
    """Two-sided Wilcoxon signed-rank p-value of paired differences (1 when all are zero)."""
    diff = np.asarray(diff, dtype=float)
    diff = diff[np.isfinite(diff)]
    if diff.size < 2 or np.all(diff == 0):
        return 1.0
    return float(wilcoxon(diff, zero_method="wilcox").pvalue)


def holm(pvalues: np.ndarray) -> np.ndarray:
    """Holm–Bonferroni adjusted p-values (controls the family-wise error rate)."""
    p = np.asarray(pvalues, dtype=float)
    order = np.argsort(p)
    m = p.size
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return adjusted


# -- tests that can reach any level at small n, equivalence, and planning ---------------------
# The exact Wilcoxon and sign-flip tests cannot give p below 2 / 2**n (0.25 at n = 3, 0.031 at
# n = 6), so after a multiple-testing correction they may never reject at small n. The paired
# t test has no such floor; it is the primary test of a difference and of equivalence (TOST).


def _finite(diff: np.ndarray) -> np.ndarray:
    diff = np.asarray(diff, dtype=float)
    return diff[np.isfinite(diff)]


def paired_t(diff: np.ndarray) -> float:
    """Two-sided p of the paired t test that the mean difference is 0 (NaN below two pairs;
    0 or 1 when all differences are equal)."""
    diff = _finite(diff)
    if diff.size < 2:
        return float("nan")
    sd = diff.std(ddof=1)
    if sd == 0:
        return 1.0 if diff.mean() == 0 else 0.0
    t = diff.mean() / (sd / np.sqrt(diff.size))
    return float(2 * student_t.sf(abs(t), diff.size - 1))


def tost(diff: np.ndarray, bound: float) -> float:
    """p of the two one-sided paired t tests (TOST) that the mean difference lies within
    ``±bound``: below ``alpha``, the difference is smaller than ``bound`` (equivalence)."""
    diff = _finite(diff)
    if diff.size < 2 or not bound > 0:
        return float("nan")
    mean, sd = diff.mean(), diff.std(ddof=1)
    if sd == 0:
        return 0.0 if abs(mean) < bound else 1.0
    se = sd / np.sqrt(diff.size)
    p_low = student_t.sf((mean + bound) / se, diff.size - 1)  # H0: mean <= -bound
    p_high = student_t.cdf((mean - bound) / se, diff.size - 1)  # H0: mean >= +bound
    return float(max(p_low, p_high))


def t_power(n: int, effect: float, sd: float, alpha: float = 0.05) -> float:
    """Power of the two-sided paired t test at level ``alpha`` with ``n`` pairs to detect a mean
    difference ``effect`` when the differences have standard deviation ``sd``."""
    if n < 2:
        return 0.0
    if sd <= 0:
        return 1.0
    df = n - 1
    crit = student_t.isf(alpha / 2, df)
    nc = abs(effect) / sd * np.sqrt(n)
    return float(nct.sf(crit, df, nc) + nct.cdf(-crit, df, nc))


def pairs_needed(
    sd: float, effect: float, alpha: float = 0.05, power: float = 0.8, most: int = 100_000
) -> int:
    """The smallest number of pairs for which the paired t test at ``alpha`` detects a mean
    difference of ``effect`` with the given ``power`` (differences with standard deviation
    ``sd``); ``most`` when even that many would not."""
    if not effect > 0 or not np.isfinite(sd):
        return most
    if sd <= 0:
        return 2
    z = norm.isf(alpha / 2) + norm.isf(1 - power)
    n = max(2, int(np.ceil((z * sd / effect) ** 2)))  # normal approximation, then exact
    while n < most and t_power(n, effect, sd, alpha) < power:
        n += 1
    while n > 2 and t_power(n - 1, effect, sd, alpha) >= power:
        n -= 1
    return min(n, most)
