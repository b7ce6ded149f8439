"""The group figures a replenishment run pools slow rows with, kept with its proposal.

A run pools the rates of slow and never-sold rows (ADR 0018, ``pooling``) with figures
learnt from all its slow rows: per category the gamma prior ``(a0, b0)`` of the sold
rows' rates and the launch moments ``(l_1, l_2, l_3)`` of the rows that were silent in
the first half of the window; a category with fewer than ``pooled_rate.MIN_GROUP_ROWS``
such rows borrows the figures of all of them (the fallback). One SKU's rows are too few to
learn them, so the SKU page and ``GET /policies/{sku}`` read the figures the latest run
stored (``RunPriors.to_json`` in the proposal's ``parameters`` under ``PARAMETER_KEY``)
and apply them to the SKU's rows exactly as the run did (``pooled_rates``), so both show
the same reorder point (ADR 0018, "Consequence").

``estimate`` learns the figures with ``planning.inventory.pooled_rate``'s own functions
(``eligible_rows``, ``gamma_prior``, ``launch_moments``); ``pooled_rates`` looks each
row's group figures up and applies them with the same module's ``apply_priors`` (the
second half of its ``pooled_rates``, whose docstrings give the equations), in the
credibility form a run uses. A unit test checks the pair reproduces the planning
function bit for bit.

Since ADR 0028 the figures also hold the run's **common lump shapes**: per category with
at least ``undershoot.SHAPE_GROUP_ROWS`` rows that sold in the last
``lost_sales.HISTORY_WINDOW`` days its negative-binomial ``k`` (``undershoot.
common_shapes`` over all the run's rows), and the ``k`` of all rows for the others;
``lump_shapes`` gives each row its ``k`` for ``compute_policies(lost_sales_shape=...)``,
so one SKU's lost-sales undershoot is its run line's. Figures stored before ADR 0028 have
none (``lump_fallback`` None): such a SKU's undershoot reads its own sales' moments.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np

from stockguard.planning.inventory import lost_sales, pooled_rate, undershoot
from stockguard.planning.inventory.pooled_rate import PooledRates
from stockguard.services.replenishment.settings import FloatArray, IntArray

PARAMETER_KEY = "pooled_priors"
"""Key of the figures in a proposal's ``parameters`` (a JSON column; no migration)."""
FORMAT = 1
_EVERY_GROUP_BORROWS = sys.maxsize
"""``min_group_rows`` no group reaches: every group then gets the fallback figures."""


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """One group's figures, per day.

    Attributes:
        shape, rate: the gamma prior ``a0`` and ``b0`` (days) of its slow rows' rates.
        prior_rows: slow rows the prior rests on (0: the fallback's).
        launch_rate, launch_m2, launch_m3: ``l_1`` (units a day), ``l_2``, ``l_3``.
        launch_rows: silent rows the launch moments rest on (0: the fallback's).
    """

    shape: float
    rate: float
    prior_rows: int
    launch_rate: float
    launch_m2: float
    launch_m3: float
    launch_rows: int

    @property
    def prior_mean(self) -> float:
        """``a0 / b0``, units a day."""
        return self.shape / self.rate


@dataclass(frozen=True, slots=True)
class RunPriors:
    """What a run pooled with: categories with their own figures, the fallback of all
    slow rows, and the counts that decide whether pooling applies at all.

    Attributes:
        groups: category (None: rows without one) -> its figures; only categories with
            their own prior or launch moments, the others take ``fallback``.
        slow_rows: rows pooled in all (fewer than ``min_group_rows``: no pooling).
        silent_rows: rows silent in the first half that launch moments rest on (fewer
            than ``min_group_rows``: no launch).
        lump_shapes: category -> its own common lump shape ``k`` (negative binomial
            ``1 / r``); only categories with ``undershoot.SHAPE_GROUP_ROWS`` rows that
            sold, the others take ``lump_fallback``.
        lump_fallback: ``k`` of all rows that sold; None: no lump shapes stored (figures
            from before ADR 0028, or a run with them off).
        proposal_id, run_id, created_at: the proposal that stored them (None before).
    """

    groups: dict[str | None, GroupFigures]
    fallback: GroupFigures
    slow_rows: int
    silent_rows: int
    min_group_rows: int = pooled_rate.MIN_GROUP_ROWS
    lump_shapes: dict[str | None, float] = field(default_factory=dict)
    lump_fallback: float | None = None
    proposal_id: int | None = None
    run_id: int | None = None
    created_at: datetime | None = field(default=None, compare=False)

    def figures(self, category: str | None) -> GroupFigures:
        return self.groups.get(category, self.fallback)

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict (floats kept exactly: JSON numbers round-trip a float)."""
        stored: dict[str, Any] = {
            "format": FORMAT,
            "min_group_rows": self.min_group_rows,
            "slow_rows": self.slow_rows,
            "silent_rows": self.silent_rows,
            "fallback": asdict(self.fallback),
            "groups": [{"category": name, **asdict(x)} for name, x in self.groups.items()],
        }
        if self.lump_fallback is not None:
            stored["lumps"] = {
                "fallback": self.lump_fallback,
                "groups": [{"category": c, "shape": k} for c, k in self.lump_shapes.items()],
            }
        return stored


def from_json(
    stored: Mapping[str, Any],
    *,
    proposal_id: int | None = None,
    run_id: int | None = None,
    created_at: datetime | None = None,
) -> RunPriors | None:
    """The figures ``to_json`` stored; None when absent, of another format or damaged."""
    if stored.get("format") != FORMAT:
        return None
    try:
        groups = {_category(entry.get("category")): _figures(entry) for entry in stored["groups"]}
        shapes, fallback = _lumps(stored.get("lumps"))
        return RunPriors(
            groups=groups,
            fallback=_figures(stored["fallback"]),
            slow_rows=int(stored["slow_rows"]),
            silent_rows=int(stored["silent_rows"]),
            min_group_rows=int(stored["min_group_rows"]),
            lump_shapes=shapes,
            lump_fallback=fallback,
            proposal_id=proposal_id,
            run_id=run_id,
            created_at=created_at,
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _category(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError("category: a name or null expected")
    return value


def _lumps(stored: Any) -> tuple[dict[str | None, float], float | None]:
    """The stored lump shapes (``to_json``'s ``lumps``): none when absent (figures from
    before ADR 0028); finite values >= 0 expected."""
    if stored is None:
        return {}, None
    shapes = {_category(entry.get("category")): float(entry["shape"]) for entry in stored["groups"]}
    fallback = float(stored["fallback"])
    if not all(math.isfinite(k) and k >= 0 for k in (*shapes.values(), fallback)):
        raise ValueError("lumps: finite shapes >= 0 expected")
    return shapes, fallback


def _figures(entry: Mapping[str, Any]) -> GroupFigures:
    figures = GroupFigures(
        shape=float(entry["shape"]),
        rate=float(entry["rate"]),
        prior_rows=int(entry["prior_rows"]),
        launch_rate=float(entry["launch_rate"]),
        launch_m2=float(entry["launch_m2"]),
        launch_m3=float(entry["launch_m3"]),
        launch_rows=int(entry["launch_rows"]),
    )
    values = (figures.shape, figures.launch_rate, figures.launch_m2, figures.launch_m3)
    if not all(math.isfinite(x) for x in (*values, figures.rate)) or not figures.rate > 0:
        raise ValueError("figures: finite values and rate > 0 expected")
    return figures


def estimate(
    *,
    sales: FloatArray,
    categories: Sequence[str | None],
    forecast_rate: FloatArray,
    launch: pooled_rate.Launch = pooled_rate.LAUNCH_DEFAULT,
    launch_horizon: int = 2,
) -> RunPriors:
    """The run's figures from its rows (module docstring).

    Args:
        sales: (n, days) units sold per day before the forecast, NaN unobserved.
        categories: (n,) the rows' categories (None: without one).
        forecast_rate: (n,) units a day, the forecast over the lead time.
        launch: the launch moments' estimator (``pooled_rate.Launch``; COHORT: the
            never-sold cohort over ``launch_horizon`` days, ADR 0041).
        launch_horizon: ``H`` days (``pooled_rate.cohort_horizon``).
    """
    names, member = category_groups(categories)
    n_groups = len(names) + 1
    seen = np.isfinite(sales)
    units = np.where(seen, sales, 0.0).sum(axis=1)
    periods = seen.sum(axis=1).astype(np.float64)
    chosen = pooled_rate.eligible_rows(sales=sales, forecast_rate=forecast_rate)

    def prior(minimum: int) -> pooled_rate.GammaPrior:
        return pooled_rate.gamma_prior(
            units=units[chosen],
            periods=periods[chosen],
            group=member[chosen],
            n_groups=n_groups,
            min_group_rows=minimum,
        )

    def launch_figures(minimum: int) -> pooled_rate.LaunchMoments:
        if launch == pooled_rate.Launch.COHORT:
            return pooled_rate.cohort_moments(
                sales=sales,
                group=member,
                n_groups=n_groups,
                horizon=launch_horizon,
                min_group_rows=minimum,
            )
        return pooled_rate.launch_moments(
            sales=sales, group=member, n_groups=n_groups, min_group_rows=minimum
        )

    own, moments = prior(pooled_rate.MIN_GROUP_ROWS), launch_figures(pooled_rate.MIN_GROUP_ROWS)
    # a group without its own figures holds the fallback; only when every group has its
    # own are they learnt again with no group reaching the minimum
    borrows, launch_borrows = np.flatnonzero(own.rows == 0), np.flatnonzero(moments.rows == 0)
    every = (own, int(borrows[0])) if borrows.size else (prior(_EVERY_GROUP_BORROWS), 0)
    every_launch = (
        (moments, int(launch_borrows[0]))
        if launch_borrows.size
        else (launch_figures(_EVERY_GROUP_BORROWS), 0)
    )
    labels: list[str | None] = [None, *names]
    groups = {
        labels[g]: _group(own, moments, g, g)
        for g in range(n_groups)
        if own.rows[g] > 0 or moments.rows[g] > 0
    }
    shapes = undershoot.common_shapes(sales=sales, window=lost_sales.HISTORY_WINDOW, group=member)
    return RunPriors(
        groups=groups,
        fallback=_group(every[0], every_launch[0], every[1], every_launch[1]),
        slow_rows=own.total_rows,
        silent_rows=moments.total_rows,
        lump_shapes={
            labels[int(code)]: float(k)
            for code, k, rows in zip(shapes.codes, shapes.own, shapes.rows, strict=True)
            if rows >= undershoot.SHAPE_GROUP_ROWS
        },
        lump_fallback=shapes.overall,
    )


def without_lumps(priors: RunPriors) -> RunPriors:
    """``priors`` without lump shapes (a run with ``Parameters.common_lump_shape`` off)."""
    return replace(priors, lump_shapes={}, lump_fallback=None)


def lump_shapes(priors: RunPriors, categories: Sequence[str | None]) -> FloatArray | None:
    """(n,) the common lump shape ``k`` of each row's category (``lump_fallback`` for
    categories without their own); None when ``priors`` stored none. With a run's own
    rows it equals ``undershoot.common_shapes(...).per_row`` bit for bit."""
    if priors.lump_fallback is None:
        return None
    fallback = priors.lump_fallback
    return np.array([priors.lump_shapes.get(c, fallback) for c in categories], np.float64)


def category_groups(categories: Sequence[str | None]) -> tuple[list[str], IntArray]:
    """The sorted category names and (n,) int group per row: ``1 + `` the name's index,
    rows without a category together (code 0)."""
    names = sorted({c for c in categories if c is not None})
    index = {name: code + 1 for code, name in enumerate(names)}
    return names, np.array([index[c] if c is not None else 0 for c in categories], np.int64)


def _group(
    prior: pooled_rate.GammaPrior, moments: pooled_rate.LaunchMoments, g: int, k: int
) -> GroupFigures:
    """Group ``g``'s prior and group ``k``'s launch moments."""
    return GroupFigures(
        shape=float(prior.shape[g]),
        rate=float(prior.rate[g]),
        prior_rows=int(prior.rows[g]),
        launch_rate=float(moments.m1[k]),
        launch_m2=float(moments.m2[k]),
        launch_m3=float(moments.m3[k]),
        launch_rows=int(moments.rows[k]),
    )


def pooled_rates(
    priors: RunPriors,
    *,
    sales: FloatArray,
    categories: Sequence[str | None],
    forecast_rate: FloatArray,
    horizon: FloatArray,
) -> PooledRates:
    """Each row's rate with ``priors`` (module docstring's equations): what
    ``pooled_rate.pooled_rates(shrink_forecast=True)`` gives when its rows are the run's.

    Args:
        sales: (n, days) units a day, NaN unobserved; categories: (n,).
        forecast_rate: (n,) units a day; horizon: (n,) days the variance spreads over.
    """
    # one Python pass over the rows (their group), then array lookups
    known = list(priors.groups.items())
    index = {name: code for code, (name, _) in enumerate(known)}
    code = np.array([index.get(c, len(known)) for c in categories], dtype=np.int64)
    table = [x for _, x in known] + [priors.fallback]

    def column(name: str) -> FloatArray:
        values = np.array([getattr(x, name) for x in table], dtype=np.float64)
        return np.asarray(values[code], dtype=np.float64).reshape(-1)

    return pooled_rate.apply_priors(
        sales=sales,
        forecast_rate=forecast_rate,
        horizon=horizon,
        shape=column("shape"),
        rate_b0=column("rate"),
        launch=(column("launch_rate"), column("launch_m2"), column("launch_m3")),
        may_pool=priors.slow_rows >= priors.min_group_rows,
        may_launch=priors.silent_rows >= priors.min_group_rows,
        shrink_forecast=True,
    )
