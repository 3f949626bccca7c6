"""Report writers: the versioned JSON result and the human-readable text summary."""
