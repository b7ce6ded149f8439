"""The policies replayed by benchmarks/inventory_replay.py, as simulation replanners.

Every planner sees only what a planner would see during the replay: the history before
the window, then its own sales and stock-out days (``ReplayState``), never the demand it
lost. All of them order up to a maximum with the same lot rule, ``max - min = (expected
demand per period) x cycle``, so they differ in how they estimate demand, protect
against its variability and trigger an order.

* ``MovingAverageMinMax`` (peers a and b): ``a`` = mean of the last ``window`` periods
  of sales (peer a, what Odoo/ERPNext users set) or of the last ``window`` in-stock
  periods (peer b, Inventory Planner's velocity); ``sigma`` their standard deviation;
  ``min = a L + z sigma sqrt(L)`` with the stated lead time ``L``; ``max = min + a C``.
* ``StockguardPolicy``, (s,S): what the product's planning run computes, replayed. An
  ``AutoForecaster`` refitted every ``refit_every`` periods (1 in the benchmark: a run
  forecasts afresh) on the observed sales (stock-out periods as the product's ledger
  mask has them: periods that ended with nothing on hand or lost demand; one that sold
  ``s > 0`` reads ``max(s, m)``, ``m`` the mean of the observed periods among the 28
  before it, as ``DemandPanel.observed`` reads the day the shelf emptied; one that sold
  nothing is unobserved, NaN), then the
  product's planning entry ``inventory.policies.compute_policies`` (the function
  ``services.replenishment.compute.plan_replenishment`` calls) with the run's
  ``fill_rate_model``: ``LOST_SALES`` (the product's default: undershoot and dispersion
  from the last ``history_window`` periods of observed sales, a stock-out period that
  sold read as ``max(s, m)`` as a run reads its ledger since ADR 0018; lead-time variance
  with crossing orders from the supplier's observed lead times; the lost-sales target)
  or ``BACKORDER`` (the textbook equations); intermittent, lumpy and never-sold SKUs plan
  with pooled rates (``services.replenishment.pooling``, ADR 0018).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from stockguard.planning import simulation as sim
from stockguard.planning.forecasting import censoring, leadtime
from stockguard.planning.forecasting.auto import AutoForecaster
from stockguard.planning.forecasting.lower_bound import DEFAULT_WINDOW, emptying_day_demand
from stockguard.planning.inventory import censored, lost_sales, policies, pooled_rate
from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.inventory.lost_sales import FillRateModel
from stockguard.planning.inventory.safety_stock import ServiceMeasure
from stockguard.services.replenishment import pooling

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
MIN_MAX = int(PolicyKind.MIN_MAX)


def replay_policy(n_sku: int, planner: sim.Replanner, kind: int) -> sim.ReplayPolicy:
    """A ReplayPolicy of one kind for every SKU, replanned every period by ``planner``."""
    return sim.ReplayPolicy(kind=np.full(n_sku, kind, dtype=np.int64), levels=planner)


def run(
    scenario: sim.Scenario, planner: MovingAverageMinMax | StockguardPolicy
) -> tuple[sim.ReplayResult, float]:
    """Replay ``planner`` from its first order-up-to level; returns (result, seconds)."""
    started = time.perf_counter()
    initial = np.ceil(planner.levels(None).order_up_to)
    policy = replay_policy(scenario.n_sku, planner, planner.kind)
    result = sim.simulate(scenario, policy, initial_on_hand=initial, keep_paths=True)
    return result, time.perf_counter() - started


def observed_window(
    history: FloatArray, state: sim.ReplayState | None, lookback: int
) -> tuple[FloatArray, BoolArray]:
    """The last ``lookback`` periods of sales and of stock-out flags, history first."""
    if state is None:
        sales, out = history[:, -lookback:], np.zeros(history[:, -lookback:].shape, bool)
    else:
        sales = np.concatenate([history[:, -lookback:], state.sales], axis=1)[:, -lookback:]
        past_out = np.zeros((history.shape[0], min(lookback, history.shape[1])), dtype=bool)
        out = np.concatenate([past_out, state.stocked_out], axis=1)[:, -lookback:]
    return sales, out


@dataclass
class MovingAverageMinMax:
    """Peer (a), or peer (b) with ``exclude_stockouts`` (module docstring)."""

    history: FloatArray
    window: int
    lead_time: int
    cycle: int
    safety_factor: float
    exclude_stockouts: bool
    kind: int = MIN_MAX

    def levels(self, state: sim.ReplayState | None) -> sim.PolicyLevels:
        """Levels from the sales known at ``state`` (None: before the replay)."""
        lookback = self.window * (6 if self.exclude_stockouts else 1)
        sales, out = observed_window(self.history, state, lookback)
        usable = np.isfinite(sales)
        if self.exclude_stockouts:
            usable &= ~out
        # rank usable periods from the most recent one; keep the last `window` of them
        rank = np.cumsum(usable[:, ::-1], axis=1)[:, ::-1]
        used = usable & (rank <= self.window)
        count = np.maximum(used.sum(axis=1), 1)
        values = np.where(used, sales, 0.0)
        average = values.sum(axis=1) / count
        spread = np.sqrt(np.where(used, (sales - average[:, None]) ** 2, 0.0).sum(axis=1) / count)
        minimum = average * self.lead_time + self.safety_factor * spread * np.sqrt(self.lead_time)
        lot = average * self.cycle
        return sim.PolicyLevels(minimum, minimum + lot, np.maximum(lot, 1.0))

    def __call__(self, state: sim.ReplayState) -> sim.PolicyLevels:
        return self.levels(state)


Fit = Callable[[int, FloatArray], tuple[FloatArray, FloatArray]]
"""(fit day, observed history up to it) -> per-period forecast mean and std, (n, horizon)."""


def forecaster_fit(season_length: int, horizon: int, window: int | None = None) -> Fit:
    """stockguard's forecast: AutoForecaster means, per-period std from the p10-p90 spread.

    ``window`` (periods, None: all): fit on the last ``window`` periods of the observed
    history only, as a planning run learns from its last ``history_days`` (730) of ledger.
    """

    def fit(fit_day: int, observed: FloatArray) -> tuple[FloatArray, FloatArray]:
        del fit_day
        if window is not None:
            observed = observed[:, -window:]
        result = AutoForecaster(season_length=season_length).fit(observed, horizon).predict()
        spread = leadtime.std_from_quantiles(quantiles=result.quantiles, levels=result.levels)
        return result.mean, np.maximum(spread, 0.0)

    return fit


@dataclass
class StockguardPolicy:
    """stockguard's (s,S) policy as the product's planning run computes it, replayed.

    The forecast (means, per-period std) is refitted every ``refit_every`` periods on
    the history (its inferred stock-out runs unobserved, ``infer_stockouts``) and the
    sales of the replay so far, stock-out periods unobserved (NaN) as the product's
    forecast reads its ledger (``ended_empty_unobserved``). ``fits`` counts the fits
    and ``fit_seconds`` their time. ``impute_stockouts`` (off by default: the product does
    not do it) refits a stock-out period as ``max(x_t, mu_t)`` instead, ``mu_t`` the
    forecast in force for that period.

    Levels: ``policies.compute_policies`` with kind (s,S), fill-rate measure, the lot
    ``Q`` (the expected demand of ``cycle`` periods, at least one unit, so a SKU
    forecast at zero still keeps one unit and its next sale is seen), the supplier's
    lead time (mean, standard deviation and crossing spread of ``lead_times``) and
    ``fill_rate_model``. The lost-sales model reads the last ``history_window``
    periods of observed sales (history, then the replay's own sales with stock-out
    periods NaN) as a planning run reads its ledger; with ``fixed_history`` it reads
    the end of the fitting history only (the replay-only variant of earlier sessions).
    """

    history: FloatArray
    fit: Fit
    fill_rate: float
    lead_times: FloatArray
    refit_every: int
    cycle: int
    fill_rate_model: int = int(FillRateModel.LOST_SALES)
    history_window: int = 91
    infer_stockouts: bool = True
    impute_stockouts: bool = False
    fixed_history: bool = False
    kind: int = int(PolicyKind.REORDER_POINT_ORDER_UP_TO)
    correct_bias: bool = False
    """Diagnostic, not the product: scale the forecast by its recent aggregate bias
    (``recent_bias``)."""
    bias_window: int = 28
    """Periods ``recent_bias`` reads (28 days; 3 months for car parts)."""
    order_lead_times: npt.NDArray[np.int64] | None = None
    """(n, n_periods) the lead time of an order placed in each period (the scenario's
    draws). Given: the supplier's record grows with the receipts of the replay's own
    orders (an order placed at the end of period ``t`` joins it from the end of period
    ``t + L``), as a run reads every delivery recorded so far; None: ``lead_times`` only."""
    censor_open_orders: bool = True
    """With ``order_lead_times``: the replay's orders still open count in the record as
    right-censored lead times (at least their age so far), the record's figures are the
    Kaplan-Meier ones (``inventory.censored``, plug-in std as ``lead_times.std()``), as
    the product's run reads its open purchase orders; False: receipts only (the growing
    record before this change)."""
    ended_empty_unobserved: bool = True
    """Periods that ended with nothing on hand count as stock-outs (unobserved), as the
    product's ledger mask does (``planning.audit.stockouts``: end-of-day on hand <= 0),
    besides the simulator's stock-out periods (nothing at the start, or demand lost).
    False: the simulator's flags only (earlier sessions)."""
    emptying_day_lower_bound: bool = True
    """A stock-out period that sold ``s > 0`` units is refitted as ``max(s, m)``, ``m`` the
    mean of the observed periods among the 28 before it (history and replay together;
    ``forecasting.lower_bound.emptying_day_demand``), as the product's panel reads the
    day the shelf emptied; False: NaN like every stock-out period (the rule before). The
    lost-sales model's recent sales (``_recent_sales``) follow ``history_lower_bound``."""
    history_lower_bound: bool = True
    """The lost-sales model's recent sales read a stock-out period that sold ``s > 0`` as
    ``max(s, m)`` like the forecast does (``_lower_bound_sales``), as the product's
    replenishment history does since ADR 0018; False: NaN (the rule before)."""
    pooled_rates: bool = True
    """Plan intermittent, lumpy and never-sold SKUs with pooled rates, as the product's
    run does since ADR 0018 (``services.replenishment.pooling.pool_demand`` on the
    lost-sales model's recent sales, groups ``group``): the pooled rate replaces the
    forecast in ``X`` and in the lot; False: the forecast for every SKU."""
    group: npt.NDArray[np.int64] | None = None
    """(n,) group of each SKU for ``pooled_rates`` (None: one group)."""
    launch: int = int(pooled_rate.LAUNCH_DEFAULT)
    """The never-sold SKUs' launch estimator, a ``pooled_rate.Launch``: 0 (HALVES, ADR
    0018's) or 1 (COHORT, every origin's never-sold cohort, ADR 0041)."""
    pooled_share: list[float] = field(default_factory=list)
    """Share of SKUs on a pooled or launch rate at each plan (``pooled_rates``)."""
    lot_undershoot: bool = False
    """The lost-sales undershoot from the walk over each row's lot
    (``compute_policies(lot_undershoot=True)``, ADR 0023); False: the renewal limit."""
    carried_shortage: int = 3
    """The lost-sales cycle shortage net of what the cycle before counted, a
    ``carried.Carried`` (``compute_policies(lost_sales_carried_shortage=...)``): 3
    (LATE_LOTS, the late lots' own shortfall), the product's since ADR 0035; 0: none,
    the rule before; 1 and 2: ADR 0031's refused candidates."""
    common_shape: bool = True
    """The lost-sales undershoot from each SKU's rate and its group's common lump shape
    (``compute_policies(lost_sales_shape_group=group)``), the product's since ADR 0028;
    False: its own moments."""
    lost_sales_floor_at_mean: bool = True
    """Keep the lost-sales reorder point at or above ``E[X]`` (safety stock >= 0), the
    product's rule (ADR 0017); False: the equation's reorder point, at least 0
    (``compute_policies(lost_sales_floor_at_mean=False)``)."""

    def __post_init__(self) -> None:
        if self.infer_stockouts:
            flagged = censoring.infer_stockouts(y=self.history)
            self.history = np.where(flagged, np.nan, self.history)
        self.fit_day = -1
        self.observed = self.history
        self.fit_seconds = 0.0
        self.mean, self.std = self._timed_fit(-1, self.history)
        self.fits = 1
        self.crossing = lost_sales.crossing_spread(self.lead_times)
        self.ended_empty = np.zeros((self.history.shape[0], 0), dtype=bool)
        self.ordered = np.zeros((self.history.shape[0], 0), dtype=bool)
        self.record_means: list[float] = []

    def levels(self, state: sim.ReplayState | None) -> sim.PolicyLevels:
        """Levels from the latest forecast (refitted when it is due)."""
        unobserved = None if state is None else self._unobserved(state)
        if state is not None and unobserved is not None and (state.day + 1) % self.refit_every == 0:
            if self.impute_stockouts:
                expected = self.expected[:, : state.day + 1]
                sales = np.where(state.stocked_out, np.maximum(state.sales, expected), state.sales)
            elif self.emptying_day_lower_bound:
                sales = self._lower_bound_sales(state, unobserved)
            else:
                sales = np.where(unobserved, np.nan, state.sales)
            self.observed = np.concatenate([self.history, sales], axis=1)
            self.mean, self.std = self._timed_fit(state.day, self.observed)
            self.fit_day, self.fits = state.day, self.fits + 1
        step = 0 if state is None else state.day - self.fit_day
        mean, std = self.mean[:, step:], self.std[:, step:]
        if state is None:
            self.expected = mean[:, :1]
        else:
            self.expected = np.concatenate([self.expected, mean[:, :1]], axis=1)
        if self.correct_bias and state is not None:
            factor = self.recent_bias(state)
            mean, std = mean * factor, std * factor
        n_sku = mean.shape[0]
        lead_mean, lead_std, crossing = self._lead_time_figures(state)
        self.record_means.append(lead_mean)
        recent = self._recent_sales(state, unobserved)
        terms = None
        if self.pooled_rates:
            group = np.zeros(n_sku, np.int64) if self.group is None else self.group
            pooled = pooling.pool_demand(
                daily_mean=mean,
                daily_std=std,
                sales_history=recent,
                group=group,
                lead_time_mean=np.full(n_sku, lead_mean),
                launch=pooled_rate.Launch(self.launch),
            )
            mean, std, terms = pooled.daily_mean, pooled.daily_std, pooled.terms
            self.pooled_share.append(float(np.mean(pooled.rates.source > 0)))
        lot = np.maximum(mean[:, : self.cycle].mean(axis=1) * self.cycle, 1.0)
        table = policies.compute_policies(
            kind=np.full(n_sku, self.kind, dtype=np.int64),
            demand_mean=mean,
            demand_std=std,
            lead_time_mean=np.full(n_sku, lead_mean),
            lead_time_std=np.full(n_sku, lead_std),
            service_level=np.full(n_sku, self.fill_rate),
            service_measure=ServiceMeasure.FILL_RATE,
            fixed_order_quantity=lot,
            fill_rate_model=self.fill_rate_model,
            demand_history=recent,
            lead_time_crossing=np.full(n_sku, crossing),
            history_window=self.history_window,
            lost_sales_floor_at_mean=self.lost_sales_floor_at_mean,
            lost_sales_terms=terms,
            lot_undershoot=self.lot_undershoot,
            lost_sales_carried_shortage=self.carried_shortage,
            lost_sales_shape_group=self._shape_group(n_sku),
        )
        levels = sim.PolicyLevels.from_table(table)
        if state is not None:
            self._record_orders(state, levels)
        return levels

    def _shape_group(self, n_sku: int) -> npt.NDArray[np.int64] | None:
        """The groups of ``common_shape`` (``group``, or one), None when it is off."""
        if not self.common_shape:
            return None
        return np.zeros(n_sku, np.int64) if self.group is None else self.group

    def _record_orders(self, state: sim.ReplayState, levels: sim.PolicyLevels) -> None:
        """Note which SKUs order at the end of ``state.day`` (the simulator's rule for
        (s,S), ``units_needed``, on the levels just returned)."""
        need = sim.units_needed(
            kind=np.full(state.on_hand.shape[0], self.kind, dtype=np.int64),
            levels=levels,
            position=state.on_hand + state.on_order,
            review_due=np.ones(state.on_hand.shape[0], dtype=bool),
        )
        missing = state.day - self.ordered.shape[1]
        gap = np.zeros((self.ordered.shape[0], max(missing, 0)), dtype=bool)
        self.ordered = np.concatenate([self.ordered, gap, (need > 0)[:, None]], axis=1)

    def _lead_time_figures(self, state: sim.ReplayState | None) -> tuple[float, float, float]:
        """The supplier record's lead-time mean, std and crossing spread at the end of
        ``state.day``, periods: ``lead_times`` plus the replay's orders received by then
        and (``censor_open_orders``) those still open, censored at their age
        ``state.day - t`` (the order placed at the end of ``t`` arrives after it)."""
        if state is None or self.order_lead_times is None or not self.ordered.shape[1]:
            return float(self.lead_times.mean()), float(self.lead_times.std()), self.crossing
        days = self.ordered.shape[1]
        lead = self.order_lead_times[:, :days]
        placed = np.arange(days)[None, :]
        received = self.ordered & (placed + lead <= state.day)
        still_open = self.ordered & ~received & self.censor_open_orders
        if not received.any() and not still_open.any():
            return float(self.lead_times.mean()), float(self.lead_times.std()), self.crossing
        if not still_open.any():
            record = np.concatenate([self.lead_times, lead[received].astype(np.float64)])
            return float(record.mean()), float(record.std()), lost_sales.crossing_spread(record)
        ages = np.broadcast_to(state.day - placed, lead.shape)[still_open]
        values = np.concatenate([self.lead_times, lead[received], ages]).astype(np.float64)
        exact = np.r_[np.ones(values.size - ages.size, bool), np.zeros(ages.size, bool)]
        figures = censored.kaplan_meier_lead_times(
            days=values, received=exact, group=np.zeros(values.size, np.int64), n_groups=1, ddof=0
        )
        return float(figures.mean[0]), float(figures.std[0]), float(figures.crossing[0])

    def _timed_fit(self, fit_day: int, observed: FloatArray) -> tuple[FloatArray, FloatArray]:
        """``fit``, its seconds added to ``fit_seconds``."""
        started = time.perf_counter()
        fitted = self.fit(fit_day, observed)
        self.fit_seconds += time.perf_counter() - started
        return fitted

    def recent_bias(self, state: sim.ReplayState) -> float:
        """Sales / forecast in force over the in-stock periods of the last
        ``bias_window`` periods, all SKUs pooled (1 with too little to go on).

        Only periods already past are read, and stock-out periods are left out of both
        sums (their sales are censored), so the factor understates a low bias."""
        start = max(state.day + 1 - self.bias_window, 0)
        seen = ~state.stocked_out[:, start:]
        expected = self.expected[:, start : state.day + 1]
        forecast = float(np.where(seen, expected, 0.0).sum())
        sold = float(np.where(seen, state.sales[:, start:], 0.0).sum())
        return sold / forecast if forecast > 0 and seen.mean() > 0.5 else 1.0

    def _unobserved(self, state: sim.ReplayState) -> BoolArray:
        """(n, day + 1) replay periods whose sales a planning run reads as unobserved:
        the simulator's stock-out periods, and (``ended_empty_unobserved``) those that
        ended with nothing on hand (recorded at each call; ``state.on_hand`` is after the
        period's sales)."""
        missing = state.day + 1 - self.ended_empty.shape[1]
        if missing > 0:
            unseen = np.zeros((self.ended_empty.shape[0], missing - 1), dtype=bool)
            now = (state.on_hand <= 0)[:, None]
            self.ended_empty = np.concatenate([self.ended_empty, unseen, now], axis=1)
        if not self.ended_empty_unobserved:
            return np.asarray(state.stocked_out, dtype=np.bool_)
        return np.asarray(state.stocked_out | self.ended_empty[:, : state.day + 1], np.bool_)

    def _lower_bound_sales(self, state: sim.ReplayState, unobserved: BoolArray) -> FloatArray:
        """(n, day + 1) the replay's sales as the forecast reads them: stock-out periods
        with sales ``max(s, m)``, without sales NaN (``emptying_day_demand`` on history and
        replay together, so ``m`` sees the history's observed periods; the history's NaN
        periods stay unobserved)."""
        past = self.history[:, -DEFAULT_WINDOW:]  # all that m can see
        values = np.concatenate([past, state.sales], axis=1)
        censored_periods = np.concatenate([np.zeros(past.shape, dtype=np.bool_), unobserved], 1)
        return emptying_day_demand(values, censored_periods, DEFAULT_WINDOW)[:, past.shape[1] :]

    def _recent_sales(
        self, state: sim.ReplayState | None, unobserved: BoolArray | None
    ) -> FloatArray:
        """The last ``history_window`` periods of observed sales, stock-outs NaN
        (``history_lower_bound``: those that sold read ``max(s, m)``)."""
        if state is None or unobserved is None or self.fixed_history:
            return self.history[:, -self.history_window :]
        if self.history_lower_bound:
            seen = self._lower_bound_sales(state, unobserved)[:, -self.history_window :]
        else:
            seen = np.where(unobserved, np.nan, state.sales)[:, -self.history_window :]
        return np.concatenate([self.history[:, -self.history_window :], seen], axis=1)[
            :, -self.history_window :
        ]

    def __call__(self, state: sim.ReplayState) -> sim.PolicyLevels:
        return self.levels(state)
