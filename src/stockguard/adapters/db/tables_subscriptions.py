"""Tables of the subscriptions area (registered on the shared ``Base`` metadata)."""

from __future__ import annotations
