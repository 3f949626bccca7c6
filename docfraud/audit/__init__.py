"""Batch audits of seized material: walking the inputs, running them, reporting."""
