"""A machine coder measured like any other coder: train, evaluate, suggest, review."""
