"""Analysis: the one analysis read, cases and roles, retrieval, the typology."""
