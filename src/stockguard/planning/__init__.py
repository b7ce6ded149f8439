"""Pure numerics over arrays of SKUs (numpy/scipy only, no I/O, no domain imports)."""
