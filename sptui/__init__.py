"""sptui: a terminal dashboard for StorPool clusters."""

__version__ = "0.1.0"
