"""Loket users, their login sessions, and the in-memory limits on failing lookups and logins."""
