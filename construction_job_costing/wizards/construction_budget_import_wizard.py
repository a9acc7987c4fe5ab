"""Placeholder: filled by the budget import work."""
