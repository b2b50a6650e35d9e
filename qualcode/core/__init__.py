"""Pure domain: spans, codebook tree, units, agreement and typology maths. No DB, UI or files."""
