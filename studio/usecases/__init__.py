"""The use cases: what the panel and the CLI ask the studio to do, built on the adapters (see docs/architecture.md)."""
