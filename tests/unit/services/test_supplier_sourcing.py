"""Replenishment reads supplier history: observed lead times and the supplier risk score."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.inventory._arrays import BoolArray
from stockguard.services.replenishment.inputs import PlanInputs, gather_inputs
from stockguard.services.suppliers.sourcing_facts import sourcing_facts
from unit.services.fakes import FakeUnitOfWork
from unit.services.replenishment_shop import a_shop


def _offer_rows(uow: FakeUnitOfWork, supplier: str) -> tuple[PlanInputs, slice, BoolArray]:
    """The plan's inputs, the offers of its first row (MUG in PAR), which are ``supplier``'s."""
    inputs = gather_inputs(uow.replenishment, run_id=None, currency="EUR")
    first_row = slice(int(inputs.offers.indptr[0]), int(inputs.offers.indptr[1]))
    suppliers = np.array(inputs.offer_facts.supplier)[first_row]
    return inputs, first_row, np.asarray(suppliers == supplier, dtype=np.bool_)


def test_enough_receipts_replace_stated_lead_time_plus_delay_by_the_observed_one() -> None:
    uow = a_shop(late_deliveries=8)  # BOLT: 8 MUG orders, each received 31 days after ordering
    facts = sourcing_facts(uow.replenishment.supplier_history())
    observed = facts.lead_times[("BOLT", "MUG")]
    assert (observed.mean, observed.std, observed.receipts) == (31.0, 0.0, 8)
    inputs, row, bolt = _offer_rows(uow, "BOLT")
    assert inputs.offers.lead_time_mean[row][bolt] == [31.0]
    assert inputs.offers.lead_time_std[row][bolt] == [0.0]


def test_too_few_receipts_keep_the_stated_lead_time_plus_the_mean_delay() -> None:
    uow = a_shop(late_deliveries=4)
    assert ("BOLT", "MUG") not in sourcing_facts(uow.replenishment.supplier_history()).lead_times
    inputs, row, bolt = _offer_rows(uow, "BOLT")
    assert inputs.offers.lead_time_mean[row][bolt][0] == pytest.approx(21 + 40 / 7)  # shrunk


def test_offers_carry_their_suppliers_risk_score() -> None:
    uow = a_shop()
    facts = sourcing_facts(uow.replenishment.supplier_history())
    inputs, row, bolt = _offer_rows(uow, "BOLT")
    assert 0 < facts.risk["ACME"] < facts.risk["BOLT"] <= 1  # BOLT: all the spend, one SKU
    assert inputs.offers.risk[row][bolt] == [facts.risk["BOLT"]]
    assert inputs.offers.risk[row][~bolt] == [facts.risk["ACME"]]
