"""Content that melders read: where each factual sentence comes from."""
