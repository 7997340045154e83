"""Report rendering: one data document (document.py), one renderer per format (formats.py)."""
