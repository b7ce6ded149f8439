"""A seeded synthetic shop for ``stockguard demo``: catalogue, demand, stock simulation.

The generator is numerics over arrays of SKUs plus plain records; ``writer`` turns its
output into BulkWriter calls inside one unit of work.
"""
