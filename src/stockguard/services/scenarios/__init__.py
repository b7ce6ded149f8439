"""Crisis scenarios rehearsed by Monte Carlo on the shop's own data (docs/scenarios.md).

Entry points: ``files.load_scenario`` / ``files.load_plans`` read the YAML files,
``run.run_scenario`` simulates every plan (baseline first) and returns a
``report.ScenarioReport``; ``run.store_run`` keeps it in a ``ports.ScenarioRunStore``.
"""
