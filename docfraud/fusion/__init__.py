"""Fusion of findings into a fraud score and a verdict."""
