"""The post-session review screens (Textual): the review itself, its charts, the
self-rating forms and the debrief; they show what ``balint_tui.review`` computes."""
