"""Tests for docfraud.text."""
