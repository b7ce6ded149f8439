"""Tables of the register area (registered on the shared ``Base`` metadata)."""

from __future__ import annotations
