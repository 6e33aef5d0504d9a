"""The application layer: the domain, the store and the rules put together, headless.

The CLI and the Textual app both call it; nothing here imports Textual. One module per
use case, one way in for each.
"""
