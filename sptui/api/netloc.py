"""How a host is written in a URL; the client, the configuration and the simulator all write it so.

Kept apart from request.py so the simulator can use it without importing the client's models.
"""

from __future__ import annotations


def url_host(host: str) -> str:
    """The host as a URL needs it: an IPv6 literal in brackets (once), anything else as it is."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
