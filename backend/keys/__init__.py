"""Every private key and secret: loket keys under a passphrase, user keys under a password,
grants to users, session keys, rotation, re-wrapping, the meldcode hash and the KDF gate."""
