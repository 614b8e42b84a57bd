"""The melding envelope: sealing format and receipt codes shared by bot and backend.

Depends on nothing but ``cryptography`` and the standard library.
"""
