"""Coding: segments, undo/redo, memos, auto-coding and the workbench reads."""
