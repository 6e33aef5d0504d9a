"""Widgets of the live screen: each renders a view record handed to it, nothing more."""
