"""balint-tui benchmarks: ``python -m benchmarks [--quick] [--json PATH]`` (see README)."""
