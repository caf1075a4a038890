"""Benchmarks: a synthetic corpus generator (``bench.synth``), the load benchmark (``bench.load``)
and the naive one-record-per-transaction loader it is measured against (``bench.naive``)."""
