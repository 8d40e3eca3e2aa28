"""`python -m graph_loader` runs `icn-load`."""

from graph_loader.cli import run

run()
