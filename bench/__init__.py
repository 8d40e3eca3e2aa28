"""The benchmark suite: `python -m bench` (or `./dev.sh bench`); see docs/performance.md.

Loads a dataset (the ICN data, or a synthetic network of scale M or L) into each backend,
starts `python server.py` on it and drives GraphQL workloads over real HTTP at several
concurrencies, then writes the figures as JSON, a Markdown table and PNG charts.
"""

__all__: list[str] = []
