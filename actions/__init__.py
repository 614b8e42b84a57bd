"""Meldwijzer action server: intake form, routeboekje texts, sealing and submission.

Rasa SDK imports every module of this package and registers its actions.
"""
