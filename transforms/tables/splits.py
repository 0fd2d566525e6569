"""Splitting digit runs printed without separators ('000', '5812') into cells.

A run of digits can be cut into n numbers in several ways; numbers are printed without
leading zeros, and the table identities (row total = sum of the applicant columns;
group total = sum of the four results) rule out most cuts. Only a unique surviving cut
is used; several cuts mean the cells are ambiguous.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

MAX_SOLUTIONS = 50
MAX_CUTS = 200_000          # larger search spaces are not searched: the run stays ambiguous


def _cuts(digits: str, parts: int) -> Iterator[list[int]]:
    if parts == 1:
        if digits and (digits == "0" or not digits.startswith("0")):
            yield [int(digits)]
        return
    for i in range(1, len(digits) - parts + 2):
        head = digits[:i]
        if head != "0" and head.startswith("0"):
            break
        for rest in _cuts(digits[i:], parts - 1):
            yield [int(head), *rest]


def split_runs(runs: list[str], n: int, check: Callable[[list[int]], bool] | None = None) -> list[list[int]]:
    """Every way to cut the digit strings `runs` (in order) into `n` numbers that passes `check`."""
    runs = [r for r in runs if r]
    if not runs or sum(len(r) for r in runs) < n or len(runs) > n:
        return []
    if math.comb(sum(len(r) for r in runs) - 1, n - 1) > MAX_CUTS:
        return []
    out: list[list[int]] = []

    def rec(i: int, remaining: int, acc: list[int]) -> None:
        if len(out) > MAX_SOLUTIONS:
            return
        if i == len(runs):
            if remaining == 0 and (check is None or check(acc)):
                out.append(list(acc))
            return
        left = len(runs) - i - 1
        for k in range(1, min(len(runs[i]), remaining - left) + 1):
            for cut in _cuts(runs[i], k):
                rec(i + 1, remaining - k, acc + cut)

    rec(0, n, [])
    return out


def row_total_check(values: list[int]) -> bool:
    """sec3: the last of seven cells is the sum of the six applicant cells."""
    return len(values) == 7 and sum(values[:6]) == values[6]


def group_total_check(values: list[int]) -> bool:
    """sec4: each group of five is four results and their total."""
    if len(values) % 5:
        return False
    return all(sum(values[g:g + 4]) == values[g + 4] for g in range(0, len(values), 5))
