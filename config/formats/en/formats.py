"""English dates as the client pages have always written them: 3 December 2026 (the
other languages keep Django's own formats; see LANGUAGES in config/settings.py)."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
