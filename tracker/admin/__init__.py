"""Administration: users, settings."""
