"""Text helpers for printed fields: dates, names and their MRZ transliteration."""
