"""Test kit for plugin and region authors: strategies, fixtures and the compliance suite."""

__all__: list[str] = []
