"""Rasa project of Meldwijzer; also holds the Rasa-side Python extensions.

``bot.crisis_keywords`` (NLU component) and ``bot.tracker_store`` (tracker store)
run inside the Rasa server (bot environment, Python 3.10).
"""
