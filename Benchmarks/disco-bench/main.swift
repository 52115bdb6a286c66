// Composition benchmark: see Benchmarks/README.md.
print("disco-bench: not written yet")
