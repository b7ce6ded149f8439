"""Replenishment rules and proposals: what the planner asks for, and what the run proposes.

A **rule** sets some replenishment settings for one scope; a SKU x location takes each
setting from the most specific rule that sets it (``SCOPE_PRECEDENCE``). A **proposal** is
one replenishment run's purchase lines and transfers; the planner approves it (all lines
within budget, or chosen lines) or rejects it. Approved purchase lines become draft
purchase orders.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from stockguard.domain import errors, events


class RuleScope(enum.StrEnum):
    SKU_LOCATION = "sku_location"
    SKU = "sku"
    CATEGORY = "category"
    LOCATION = "location"
    ABC_CLASS = "abc_class"
    DEFAULT = "default"


SCOPE_PRECEDENCE: tuple[RuleScope, ...] = tuple(RuleScope)
"""Most specific first: a setting comes from the first scope whose rule sets it."""

SCOPE_KEYS: dict[RuleScope, tuple[str, ...]] = {
    RuleScope.SKU_LOCATION: ("sku", "location"),
    RuleScope.SKU: ("sku",),
    RuleScope.CATEGORY: ("category",),
    RuleScope.LOCATION: ("location",),
    RuleScope.ABC_CLASS: ("abc_class",),
    RuleScope.DEFAULT: (),
}
"""Which key fields a rule of each scope names (the others stay empty)."""


class PolicyName(enum.StrEnum):
    """Replenishment policies a rule can choose (see docs/replenishment.md)."""

    EOQ = "eoq"
    """(s,Q): at the reorder point, order the economic order quantity."""
    FIXED_QUANTITY = "fixed_quantity"
    """(s,Q): at the reorder point, order the rule's fixed quantity."""
    ORDER_UP_TO = "order_up_to"
    """(s,S): at the reorder point, order up to S."""
    PERIODIC = "periodic"
    """(R,S): every review period, order up to S."""
    MIN_MAX = "min_max"
    """Below min, order up to max (min from the service level)."""
    JUST_IN_TIME = "just_in_time"
    """Keep no stock; order what is sold."""
    MANUAL = "manual"
    """The planner's own min and max."""


class ServiceMeasure(enum.StrEnum):
    CYCLE = "cycle"
    """Probability of no stock-out in a replenishment cycle."""
    FILL = "fill"
    """Share of demand served from stock."""


ABC_CLASSES = ("A", "B", "C")

SETTINGS = (
    "policy",
    "service_measure",
    "service_level",
    "review_period_days",
    "fixed_order_quantity",
    "manual_minimum",
    "manual_maximum",
    "max_supplier_share",
    "budget",
)
"""The settings a rule may set; None means "take it from a less specific rule"."""


@dataclass(frozen=True, slots=True)
class ReplenishmentRule:
    """Settings for one scope; validated on creation (``errors.InvalidRule``)."""

    scope: RuleScope
    sku: str | None = None
    location: str | None = None
    category: str | None = None
    abc_class: str | None = None
    policy: PolicyName | None = None
    service_measure: ServiceMeasure | None = None
    service_level: float | None = None
    review_period_days: int | None = None
    fixed_order_quantity: int | None = None
    manual_minimum: int | None = None
    manual_maximum: int | None = None
    max_supplier_share: float | None = None
    budget: Decimal | None = None

    def __post_init__(self) -> None:
        self._check_keys()
        level = self.service_level
        if level is not None and not 0.0 < level < 1.0:
            raise errors.InvalidRule("service_level", level, "must be between 0 and 1, e.g. 0.95")
        for name in ("review_period_days", "fixed_order_quantity"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise errors.InvalidRule(name, value, "must be a whole number of at least 1")
        for name in ("manual_minimum", "manual_maximum"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise errors.InvalidRule(name, value, "cannot be negative")
        low, high = self.manual_minimum, self.manual_maximum
        if low is not None and high is not None and high < low:
            raise errors.InvalidRule("manual_maximum", high, f"is below manual_minimum {low}")
        share = self.max_supplier_share
        if share is not None and not 0.0 < share <= 1.0:
            raise errors.InvalidRule("max_supplier_share", share, "must be above 0 and at most 1")
        if self.budget is not None and not (self.budget.is_finite() and self.budget >= 0):
            raise errors.InvalidRule("budget", self.budget, "must be an amount of 0 or more")

    def _check_keys(self) -> None:
        wanted = SCOPE_KEYS[self.scope]
        for name in ("sku", "location", "category", "abc_class"):
            value = getattr(self, name)
            if name in wanted and not value:
                raise errors.InvalidRule(name, value, f"is required for a {self.scope} rule")
            if name not in wanted and value is not None:
                raise errors.InvalidRule(name, value, f"does not apply to a {self.scope} rule")
        if self.abc_class is not None and self.abc_class not in ABC_CLASSES:
            raise errors.InvalidRule("abc_class", self.abc_class, "must be A, B or C")

    def updated_with(
        self, other: ReplenishmentRule, unset: tuple[str, ...] = ()
    ) -> ReplenishmentRule:
        """This rule with ``other``'s settings where it sets them, and ``unset`` cleared."""
        unknown = [name for name in unset if name not in SETTINGS]
        if unknown:
            raise errors.InvalidRule(
                "unset", unknown[0], f"is not a setting; use one of {', '.join(SETTINGS)}"
            )
        values = {name: getattr(self, name) for name in SETTINGS}
        values.update({n: getattr(other, n) for n in SETTINGS if getattr(other, n) is not None})
        values.update(dict.fromkeys(unset))
        return replace(self, **values)

    @property
    def key(self) -> tuple[str, ...]:
        """The values of the scope's key fields, e.g. ``("MUG-01", "PAR")``."""
        return tuple(str(getattr(self, name)) for name in SCOPE_KEYS[self.scope])

    @property
    def label(self) -> str:
        """``sku_location MUG-01@PAR``, ``category Mugs``, ``default``."""
        return " ".join([self.scope.value, "@".join(self.key)]).strip()


class ProposalStatus(enum.StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class LineStatus(enum.StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class BudgetStatus(enum.StrEnum):
    NO_BUDGET = "no_budget"
    WITHIN = "within"
    OVER = "over"


@dataclass(eq=False, slots=True)
class ProposalLine:
    """One purchase line: ``quantity`` units of ``sku`` from ``supplier`` to ``location``.

    The other fields explain the quantity (units unless named otherwise): the inventory
    position, the demand forecast over the protection interval, the safety stock, the
    reorder and order-up-to levels, what rounding to MOQ and pack added, and the budget.
    """

    line_no: int
    sku: str
    location: str
    supplier: str
    quantity: int
    unit_cost: Decimal
    currency: str
    position: int
    protection_demand: float
    safety_stock: float
    reorder_point: float
    order_up_to: float
    need: float
    added_by_minimum: int
    added_by_pack: int
    lost_margin_avoided: Decimal
    budget_status: BudgetStatus
    explanation: dict[str, object] = field(default_factory=dict)
    status: LineStatus = LineStatus.PROPOSED
    purchase_order: str | None = None

    @property
    def cost(self) -> Decimal:
        return self.unit_cost * self.quantity


@dataclass(eq=False, slots=True)
class TransferLine:
    """``quantity`` units of ``sku`` to move from ``source`` to ``destination``."""

    line_no: int
    sku: str
    source: str
    destination: str
    quantity: int
    transfer_cost: Decimal
    purchase_cost_avoided: Decimal
    status: LineStatus = LineStatus.PROPOSED


@dataclass(eq=False, slots=True)
class ReplenishmentProposal:
    """Aggregate: one run's purchase lines and transfers, approved or rejected as a whole."""

    run_id: int
    created_at: datetime
    currency: str
    lines: list[ProposalLine]
    transfers: list[TransferLine] = field(default_factory=list)
    budget: Decimal | None = None
    parameters: dict[str, object] = field(default_factory=dict)
    status: ProposalStatus = ProposalStatus.PROPOSED
    id: int | None = None
    decided_at: datetime | None = None
    note: str | None = None
    version: int = 0
    events: list[events.Event] = field(default_factory=list, repr=False)

    def line(self, line_no: int) -> ProposalLine:
        for line in self.lines:
            if line.line_no == line_no:
                return line
        raise errors.UnknownProposalLine(self.id or 0, line_no)

    def approve(
        self, line_numbers: tuple[int, ...], *, at: datetime, note: str | None = None
    ) -> dict[str, list[ProposalLine]]:
        """Approve the chosen lines (default: every line within budget), reject the others.

        Each approved line is given the number of the draft purchase order it goes on, one
        per supplier x location (``purchase_order_number``). Returns the approved lines by
        that number; transfers are approved with the proposal.
        """
        self._require_open("approved")
        chosen = {self.line(n).line_no for n in line_numbers} if line_numbers else None
        approved = []
        for line in self.lines:
            wanted = (
                line.line_no in chosen
                if chosen is not None
                else line.budget_status is not BudgetStatus.OVER
            )
            line.status = LineStatus.APPROVED if wanted else LineStatus.REJECTED
            if wanted:
                approved.append(line)
        if not approved and not self.transfers:
            raise errors.EmptyApproval(self.id or 0)
        orders = self._assign_orders(approved)
        for transfer in self.transfers:
            transfer.status = LineStatus.APPROVED
        self._decide(ProposalStatus.APPROVED, at, note)
        return orders

    def _assign_orders(self, approved: list[ProposalLine]) -> dict[str, list[ProposalLine]]:
        groups = sorted({(line.supplier, line.location) for line in approved})
        numbers = {
            group: purchase_order_number(self.id or 0, index)
            for index, group in enumerate(groups, start=1)
        }
        orders: dict[str, list[ProposalLine]] = {number: [] for number in numbers.values()}
        for line in approved:
            line.purchase_order = numbers[(line.supplier, line.location)]
            orders[line.purchase_order].append(line)
        return orders

    def reject(self, *, at: datetime, note: str | None = None) -> None:
        self._require_open("rejected")
        for line in self.lines:
            line.status = LineStatus.REJECTED
        for transfer in self.transfers:
            transfer.status = LineStatus.REJECTED
        self._decide(ProposalStatus.REJECTED, at, note)

    def _require_open(self, requested: str) -> None:
        if self.status is not ProposalStatus.PROPOSED:
            raise errors.InvalidTransition(f"Proposal {self.id}", self.status.value, requested)

    def _decide(self, status: ProposalStatus, at: datetime, note: str | None) -> None:
        self.status, self.decided_at, self.note = status, at, note
        orders = sorted({x.purchase_order for x in self.lines if x.purchase_order})
        self.events.append(
            events.ProposalDecided(self.id or 0, status.value, tuple(orders), note or "")
        )


def purchase_order_number(proposal_id: int, index: int) -> str:
    """Number of the ``index``-th draft purchase order of a proposal: ``RP12-3``."""
    return f"RP{proposal_id}-{index}"
