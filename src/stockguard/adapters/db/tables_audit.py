"""Tables of the audit area (registered on the shared Base metadata)."""

from __future__ import annotations
