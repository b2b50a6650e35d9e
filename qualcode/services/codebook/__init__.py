"""Codebook curation and the store <-> core codebook sync."""
