"""Tables of the reservations area (registered on the shared ``Base`` metadata)."""

from __future__ import annotations
