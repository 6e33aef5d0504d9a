"""Post-session self-review: figures, self-rating, trends and exports (headless, no Textual)."""
