"""The GraphStore contract, run unchanged against every backend."""
