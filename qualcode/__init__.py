"""qualcode: structured-interview coding and qualitative analysis."""

__version__ = "0.1.0"
