"""The request-time ranking: stock and status filter, personal boost, ties, discounts,
against an in-memory reader."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from stockguard.domain import errors
from stockguard.services.substitutes.ports import Candidate, NeighbourKind
from stockguard.services.substitutes.query import substitutes_for

SUB = NeighbourKind.SUBSTITUTE
COMP = NeighbourKind.COMPLEMENT


def _candidate(
    sku: str,
    score: float,
    *,
    kind: NeighbourKind = SUB,
    available: int = 5,
    status: str = "active",
    category: str | None = "Mugs",
) -> Candidate:
    return Candidate(
        neighbour=sku,
        kind=kind,
        rank=0,
        score=score,
        similarity=score if kind is SUB else 0.0,
        copurchase=score if kind is COMP else 0.0,
        title=sku.title(),
        category=category,
        price=Decimal("10.00"),
        currency="EUR",
        status=status,
        available=available,
    )


@dataclass
class FakeReader:
    rows: list[Candidate]
    history: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    discounts: dict[str, Decimal] = field(default_factory=dict)

    def product_status(self, sku: str) -> str | None:
        return "active" if sku.startswith("MUG") else None

    def unknown_locations(self, locations: Sequence[str]) -> list[str]:
        return [code for code in locations if code != "PAR"]

    def candidates(self, sku: str, locations: Sequence[str] | None) -> list[Candidate]:
        return list(self.rows)

    def available(self, sku: str, locations: Sequence[str] | None) -> int:
        return 0

    def customer_history(self, customer: str) -> tuple[set[str], set[str]]:
        return self.history.get(customer, (set(), set()))

    def discount(self, sku: str) -> Decimal | None:
        return self.discounts.get(sku, self.discounts.get("*"))


def test_never_proposes_an_out_of_stock_or_discontinued_product() -> None:
    reader = FakeReader(
        [
            _candidate("MUG-GREEN", 0.9, available=0),
            _candidate("MUG-OLD", 0.8, status="discontinued"),
            _candidate("MUG-NEG", 0.85, available=-2),  # over-reserved
            _candidate("MUG-BLUE", 0.5),
        ]
    )
    found = substitutes_for(reader, "MUG-RED")
    assert [s.sku for s in found.substitutes] == ["MUG-BLUE"]
    assert all(s.available > 0 for s in found.substitutes)


def test_equal_scores_rank_by_sku_and_each_list_keeps_its_limit() -> None:
    rows = [_candidate(f"MUG-{c}", 0.5) for c in "DCBAE"] + [
        _candidate("SAUCER", 0.4, kind=COMP),
        _candidate("SPOON", 0.4, kind=COMP),
    ]
    found = substitutes_for(FakeReader(rows), "MUG-RED", limit=3)
    assert [s.sku for s in found.substitutes] == ["MUG-A", "MUG-B", "MUG-C"]
    assert [s.sku for s in found.complements] == ["SAUCER", "SPOON"]


def test_a_customer_history_lifts_what_they_bought_and_their_categories() -> None:
    rows = [
        _candidate("MUG-A", 0.50),
        _candidate("MUG-B", 0.45, category="Bowls"),
        _candidate("MUG-C", 0.30),
    ]
    reader = FakeReader(rows, history={"ADA": ({"MUG-C"}, {"Bowls"})})
    anonymous = substitutes_for(reader, "MUG-RED")
    personal = substitutes_for(reader, "MUG-RED", customer="ADA")
    assert [s.sku for s in anonymous.substitutes] == ["MUG-A", "MUG-B", "MUG-C"]
    assert [s.sku for s in personal.substitutes] == ["MUG-C", "MUG-B", "MUG-A"]
    assert personal.substitutes[0].reason == "similar, for you"
    assert personal.substitutes[0].score == pytest.approx(0.6)


def test_substitutes_carry_the_discount_and_complements_do_not() -> None:
    rows = [_candidate("MUG-A", 0.5), _candidate("SAUCER", 0.4, kind=COMP)]
    reader = FakeReader(rows, discounts={"*": Decimal("5"), "MUG-RED": Decimal("12.5")})
    found = substitutes_for(reader, "MUG-RED")
    assert found.substitutes[0].discount_percent == Decimal("12.5")
    assert found.substitutes[0].discounted_price == Decimal("8.75")
    assert found.complements[0].discount_percent is None
    assert substitutes_for(reader, "MUG-X").substitutes[0].discount_percent == Decimal("5")


def test_unknown_sku_location_and_bad_limit_are_refused() -> None:
    reader = FakeReader([])
    with pytest.raises(errors.UnknownSku):
        substitutes_for(reader, "NOPE")
    with pytest.raises(errors.UnknownLocation):
        substitutes_for(reader, "MUG-RED", locations=["PAR", "LYS"])
    with pytest.raises(errors.InvalidParameter):
        substitutes_for(reader, "MUG-RED", limit=0)
