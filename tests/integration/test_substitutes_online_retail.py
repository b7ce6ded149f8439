"""On a slice of UCI Online Retail (first 5,000 invoices), stockguard's complements beat
the popularity baseline at hit rate@5 and never propose an unavailable item (the protocol
of benchmarks/substitutes.py). Skips when the data file is absent."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from conftest import shared_data

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "substitutes.py"


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("substitutes_benchmark", BENCHMARK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_ranking_beats_popularity_on_a_slice_and_proposes_only_available_items() -> None:
    data_file = shared_data("online_retail_2010_2011.csv.gz")
    bench = _benchmark()
    frame = bench.load_lines(data_file.parent, max_invoices=5_000)
    figures = bench.evaluate(bench.split(frame, 0.8), seed=8, max_cases=600)
    assert figures["cases"] >= 300
    assert figures["hit_rate_at_5"] > 2 * figures["baseline_hit_rate_at_5"]
    assert figures["stock_violations"] == 0
    assert figures["stock_check_proposals"] > 0
