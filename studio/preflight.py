"""The checklist behind `studio doctor` and the Preflight screen (issue 5)."""
