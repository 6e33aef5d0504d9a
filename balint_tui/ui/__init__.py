"""The Textual user interface: screens, widgets and the app.

Only this package and the commands that open the app import Textual. Modules here
import nothing at import time besides what they need; the app is built by
``balint_tui.ui.app.make_app``.
"""
