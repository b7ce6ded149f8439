"""Tables of the alerts area (registered on the shared Base metadata)."""

from __future__ import annotations
