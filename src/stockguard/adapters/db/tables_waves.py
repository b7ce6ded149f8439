"""Tables of the waves area (registered on the shared ``Base`` metadata)."""

from __future__ import annotations
