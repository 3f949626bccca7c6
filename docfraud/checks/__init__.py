"""Registered checks: pure functions of an analysis that yield findings."""
