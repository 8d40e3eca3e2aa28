"""The secretariat's loader (`icn-load`): parse -> validate -> plan -> apply in one transaction."""

from graph_loader.cli import ExitCode, main
from graph_loader.pipeline import Prepared, load_dataset, prepare
from graph_loader.synthetic import SyntheticResult, write_synthetic

__all__ = [
    "ExitCode",
    "Prepared",
    "SyntheticResult",
    "load_dataset",
    "main",
    "prepare",
    "write_synthetic",
]
