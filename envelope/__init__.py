"""The melding envelope: sealing format and meldcode codes shared by bot and backend.

Depends on nothing but ``cryptography`` and the standard library.
"""
