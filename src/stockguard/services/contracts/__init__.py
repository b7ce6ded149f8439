"""Supplier contracts: clauses, penalties charged on receipt, contract files."""
