"""A stored proposal line read as typed facts; lines and policies in plain words.

The replenishment run stores each line's figures in columns (position, forecast over the
protection interval, safety stock, reorder point, order-up-to level, rounding, budget) and
the rest in the ``explanation`` JSON (stock behind the position, the policy and the rule
each setting came from, the supplier's record and score). ``line_facts`` reads both into
one object for the API and the dashboard; ``why`` says it in a sentence or two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from stockguard.services.replenishment import lead_time_text, model_text
from stockguard.services.replenishment.sku_policy import LocationPolicy

POLICY_LABELS = {
    "eoq": "reorder point with economic order quantity (s,Q)",
    "fixed_quantity": "reorder point with a fixed quantity (s,Q)",
    "order_up_to": "reorder point, order up to a level (s,S)",
    "periodic": "periodic review, order up to a level (R,S)",
    "min_max": "min/max",
    "just_in_time": "just in time (no stock kept)",
    "manual": "manual min and max",
}
"""Policy names (``domain.replenishment.PolicyName`` values) in words."""

MEASURE_LABELS = {"cycle": "chance of no stock-out per cycle", "fill": "fill rate"}


@dataclass(frozen=True, slots=True)
class PositionFacts:
    """Units behind the inventory position the line was computed on."""

    inventory_position: int
    on_hand: int
    on_order: int
    in_draft: int
    allocated: int
    transfer_in: int
    transfer_out: int


@dataclass(frozen=True, slots=True)
class SupplierFacts:
    """Why this supplier: its rank among the SKU's offers, lead times and record."""

    code: str
    rank: int | None
    stated_lead_time_days: float | None
    lead_time_days: float | None
    lead_time_std_days: float | None
    on_time_rate: float | None
    deliveries: int | None
    score: dict[str, float]
    max_supplier_share: float | None
    diversified: bool
    lead_time_receipts: int | None = None
    open_orders: int = 0
    """Open orders counted in ``lead_time_days`` (at least their age; 0 on older lines)."""
    oldest_open_days: int | None = None

    @property
    def lead_time_text(self) -> str:
        """``lead_time_text.describe``: "" unless open orders went into the lead time."""
        return lead_time_text.describe(
            supplier=self.code, lead_time_days=self.lead_time_days,
            receipts=self.lead_time_receipts, open_orders=self.open_orders,
            oldest_open_days=self.oldest_open_days,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class LineFacts:
    """One proposal line with every figure its quantity comes from (units unless named)."""

    proposal_id: int
    line_no: int
    sku: str
    location: str
    quantity: int
    unit_cost: Decimal
    currency: str
    status: str
    purchase_order: str | None
    position: PositionFacts
    forecast_per_day: float | None
    protection_days: float | None
    protection_demand: float
    protection_demand_std: float | None
    safety_stock: float
    safety_factor: float | None
    reorder_point: float
    order_up_to: float
    need: float
    added_by_minimum: int
    added_by_pack: int
    policy: str | None
    service_measure: str | None
    service_level: float | None
    abc_class: str | None
    lead_time_days: float | None
    lead_time_std_days: float | None
    supplier: SupplierFacts
    budget_status: str
    lost_margin_avoided: Decimal
    rules: dict[str, str] = field(default_factory=dict)
    reorder_point_model: str | None = None
    """``lost_sales``, ``backorder``, ``cycle_service`` (None on lines stored before)."""
    model_explanation: str = ""
    undershoot: float | None = None
    """Units the lost-sales model adds for a daily review's undershoot (in the demand)."""
    demand_rate_note: str | None = None
    """The pooled rate of a slow row in one sentence (ADR 0018); None: its forecast."""

    @property
    def cost(self) -> Decimal:
        return self.unit_cost * self.quantity

    @property
    def rounding(self) -> int:
        return self.added_by_minimum + self.added_by_pack

    @property
    def policy_label(self) -> str:
        return POLICY_LABELS.get(self.policy or "", self.policy or "unknown policy")

    @property
    def service_label(self) -> str:
        return service_label(self.service_level, self.service_measure)

    @property
    def why(self) -> str:
        """The reasons for the quantity, in plain words."""
        return why(self)


def line_facts(row: Any) -> LineFacts:
    """Facts of a ``proposal_line`` row (any object with its columns as attributes)."""
    why_: dict[str, Any] = dict(row.explanation or {})
    return LineFacts(
        proposal_id=row.proposal_id,
        line_no=row.line_no,
        sku=row.sku,
        location=row.location,
        quantity=row.quantity,
        unit_cost=row.unit_cost,
        currency=row.currency,
        status=row.status,
        purchase_order=row.purchase_order,
        position=_position(row.position, why_),
        forecast_per_day=_number(why_.get("forecast_per_day")),
        protection_days=_number(why_.get("protection_days")),
        protection_demand=row.protection_demand,
        protection_demand_std=_number(why_.get("protection_demand_std")),
        safety_stock=row.safety_stock,
        safety_factor=_number(why_.get("safety_factor")),
        reorder_point=row.reorder_point,
        order_up_to=row.order_up_to,
        need=row.need,
        added_by_minimum=row.added_by_minimum,
        added_by_pack=row.added_by_pack,
        policy=_text(why_.get("policy")),
        service_measure=_text(why_.get("service_measure")),
        service_level=_number(why_.get("service_level")),
        abc_class=_text(why_.get("abc_class")),
        lead_time_days=_number(why_.get("policy_lead_time_days")),
        lead_time_std_days=_number(why_.get("policy_lead_time_std_days")),
        supplier=_supplier(row.supplier, why_),
        budget_status=row.budget_status,
        lost_margin_avoided=row.lost_margin_avoided,
        rules={str(k): str(v) for k, v in dict(why_.get("rules") or {}).items()},
        reorder_point_model=_text(why_.get("reorder_point_model")),
        model_explanation=_model_explanation(why_),
        undershoot=_number(why_.get("undershoot_units")),
        demand_rate_note=_text(why_.get("demand_rate_note")),
    )


def _model_explanation(why_: dict[str, Any]) -> str:
    """The sentence of ``model_text.describe`` from a line's stored figures ("" on lines
    stored before runs named their model)."""
    name = _text(why_.get("reorder_point_model"))
    level = _number(why_.get("service_level"))
    if name is None or level is None:
        return ""

    def figure(key: str, default: float) -> float:
        found = _number(why_.get(key))
        return default if found is None else found

    return model_text.describe(
        model_text.ModelFacts(
            name=name,
            service_level=level,
            protection_days=figure("protection_days", math.nan),
            undershoot=figure("undershoot_units", 0.0),
            dispersion=figure("demand_dispersion", 1.0),
            lead_time_variance=figure("lead_time_variance_days2", 0.0),
            lead_time_std=figure("policy_lead_time_std_days", 0.0),
        )
    )


def service_label(level: float | None, measure: str | None) -> str:
    """``0.95, "fill"`` -> ``95% fill rate``."""
    if level is None:
        return "no service target"
    return f"{level * 100:g}% {MEASURE_LABELS.get(measure or '', measure or '')}".strip()


def short_why(line: LineFacts) -> str:
    """``position 3 <= reorder point 12 (8 over 14 d + 4 safety), up to 30 (+2 pack)``."""
    position = line.position.inventory_position
    sign = "<=" if position <= line.reorder_point else ">"
    days = f" over {line.protection_days:.0f} d" if line.protection_days is not None else ""
    text = (
        f"position {position:,} {sign} reorder point {units(line.reorder_point)} "
        f"({units(line.protection_demand)}{days} + {units(line.safety_stock)} safety), "
        f"up to {units(line.order_up_to)}"
    )
    extras = [
        f"+{value:,} {name}"
        for value, name in ((line.added_by_minimum, "MOQ"), (line.added_by_pack, "pack"))
        if value
    ]
    return text + (f" ({', '.join(extras)})" if extras else "")


def units(value: float) -> str:
    """Statistical units, with a decimal below 10 so that 0.4 does not read as 0."""
    if abs(value) >= 10:
        return f"{value:,.0f}"
    return "0" if abs(value) < 0.05 else f"{value:.1f}".removesuffix(".0")


def policy_summary(policy: LocationPolicy) -> str:
    """``Reorder point, order up to a level (s,S): reorder at 62, up to 66; 51 expected
    over 17 days + 11 safety stock for a 95% fill rate (class A).``"""
    label = POLICY_LABELS.get(policy.policy, policy.policy)
    return (
        f"{label[0].upper()}{label[1:]}: reorder at {units(policy.reorder_point)}, up to "
        f"{units(policy.order_up_to)}; {units(policy.protection_demand)} expected over "
        f"{policy.protection_days:,.0f} days + {units(policy.safety_stock)} safety stock for a "
        f"{service_label(policy.service_level, policy.service_measure)} (class "
        f"{policy.abc_class}). {policy.model_explanation}"
    ).strip()


def why(line: LineFacts) -> str:
    """``Stock position 20 is at or below the reorder point 62 (51 expected to sell over
    17 days + 11 safety stock). Ordering 48 brings it to 68, target 66; +2 for pack
    size. ACME ranks 1st of the offers.``"""
    sentences = [_trigger(line), _quantity(line)]
    if line.supplier.rank is not None:
        rank = _ordinal(line.supplier.rank)
        sentences.append(f"{line.supplier.code} ranks {rank} of the offers.")
    if line.supplier.lead_time_text:
        sentences.append(line.supplier.lead_time_text)
    if line.budget_status == "over":
        sentences.append("Over budget: left out unless chosen.")
    if line.model_explanation:
        sentences.append(line.model_explanation)
    return " ".join(sentences)


def _trigger(line: LineFacts) -> str:
    days = f" over {line.protection_days:.0f} days" if line.protection_days is not None else ""
    basis = (
        f"{units(line.protection_demand)} expected to sell{days} + "
        f"{units(line.safety_stock)} safety stock"
    )
    position = line.position.inventory_position
    where = "at or below" if position <= line.reorder_point else "above"
    text = f"Stock position {position:,} is {where} the reorder point {units(line.reorder_point)}"
    if position > line.reorder_point:
        return f"{text} ({basis}), but this review orders up to the target."
    return f"{text} ({basis})."


def _quantity(line: LineFacts) -> str:
    after = line.position.inventory_position + line.position.transfer_in
    after -= line.position.transfer_out
    text = (
        f"Ordering {line.quantity:,} brings it to {after + line.quantity:,}, "
        f"target {units(line.order_up_to)}"
    )
    extras = []
    if line.added_by_minimum:
        extras.append(f"+{line.added_by_minimum:,} for the minimum order")
    if line.added_by_pack:
        extras.append(f"+{line.added_by_pack:,} for the pack size")
    return text + (f"; {', '.join(extras)}." if extras else ".")


def _position(position: int, why_: dict[str, Any]) -> PositionFacts:
    def units(name: str) -> int:
        return int(_number(why_.get(name)) or 0)

    return PositionFacts(
        inventory_position=position,
        on_hand=units("on_hand"),
        on_order=units("on_order"),
        in_draft=units("in_draft"),
        allocated=units("allocated"),
        transfer_in=units("transfer_in"),
        transfer_out=units("transfer_out"),
    )


def _supplier(code: str, why_: dict[str, Any]) -> SupplierFacts:
    deliveries = _number(why_.get("supplier_deliveries"))
    rank = _number(why_.get("supplier_rank"))
    score = why_.get("score") if isinstance(why_.get("score"), dict) else {}
    return SupplierFacts(
        code=code,
        rank=None if rank is None else int(rank),
        stated_lead_time_days=_number(why_.get("stated_lead_time_days")),
        lead_time_days=_number(why_.get("supplier_lead_time_days")),
        lead_time_std_days=_number(why_.get("supplier_lead_time_std_days")),
        on_time_rate=_number(why_.get("on_time_rate")),
        deliveries=None if deliveries is None else int(deliveries),
        score={str(k): float(v) for k, v in (score or {}).items() if _number(v) is not None},
        max_supplier_share=_number(why_.get("max_supplier_share")),
        diversified=bool(why_.get("diversified", False)),
        lead_time_receipts=_whole(why_.get("supplier_lead_time_receipts")),
        open_orders=_whole(why_.get("supplier_open_orders")) or 0,
        oldest_open_days=_whole(why_.get("supplier_oldest_open_days")),
    )


def _whole(value: Any) -> int | None:
    found = _number(value)
    return None if found is None else int(found)


def _number(value: Any) -> float | None:
    """A finite number from the JSON, else None (NaN is stored as null or not at all)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
