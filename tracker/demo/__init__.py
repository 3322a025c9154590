"""Demo data: a believable hospital for trying the product and for benchmarks."""
