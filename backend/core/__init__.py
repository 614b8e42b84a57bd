"""Settings and the security headers every response gets."""
