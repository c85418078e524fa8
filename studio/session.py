"""The show as one use case: preflight -> stream -> live -> questions -> end -> archive (issue 7)."""
