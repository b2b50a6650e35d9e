"""Agreement: project reports, data loading, span units, CSV tables, adjudication (consensus)."""
