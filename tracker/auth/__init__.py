"""Sign-in, roles and the access policy."""
