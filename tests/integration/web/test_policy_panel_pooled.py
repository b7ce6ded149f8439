"""The SKU page's policy panel pools a slow SKU's rate as the replenishment run did and
says so (ADR 0018); before any run it says nothing is pooled yet."""

from __future__ import annotations

from fastapi.testclient import TestClient

from integration.slow_shop import NOW, seed_slow_shop
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services.replenishment.propose import ProposalSummary


def _panel(signed_in: TestClient, sku: str) -> str:
    page = signed_in.get(f"/dashboard/sku/{sku}")
    assert page.status_code == 200
    return page.text.split('id="replenishment-policy"')[1].split("</section>")[0]


def test_the_panel_pools_a_slow_sku_with_the_latest_run_s_figures_and_says_so(
    app: App, signed_in: TestClient
) -> None:
    slow, smooth, _ = seed_slow_shop(app)
    before = _panel(signed_in, slow[0])
    assert "No replenishment run has stored pooled rates yet" in before
    assert "its rate is pooled" not in before

    summary: ProposalSummary = app.bus.handle(commands.ProposeReplenishment(created_at=NOW))

    after = _panel(signed_in, slow[0])
    assert f"group figures of replenishment proposal {summary.proposal_id}" in after
    assert f"{slow[0]} has sold 1 units in " in after
    assert "; its rate is pooled with its category&#39;s (Fasteners-" in after
    assert "its rate is pooled" not in _panel(signed_in, smooth)
