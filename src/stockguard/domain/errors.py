"""Errors raised for invalid requests and broken invariants.

Expected business outcomes (a stock-out, a short receipt) are events, not exceptions.
Every specific error has a stable ``code`` and structured fields, so the API can map
it to a problem+json response without parsing messages.
"""

from __future__ import annotations

from typing import ClassVar


class StockguardError(Exception):
    """Base class of every error stockguard raises on purpose."""

    code: ClassVar[str] = "stockguard_error"


class DomainError(StockguardError):
    """A request the domain rules refuse."""

    code: ClassVar[str] = "domain_error"


class UnknownSku(DomainError):
    code: ClassVar[str] = "unknown_sku"

    def __init__(self, sku: str) -> None:
        self.sku = sku
        super().__init__(f"There is no product with SKU {sku!r}.")


class UnknownLocation(DomainError):
    code: ClassVar[str] = "unknown_location"

    def __init__(self, location: str) -> None:
        self.location = location
        super().__init__(f"There is no location with code {location!r}.")


class UnknownPurchaseOrder(DomainError):
    code: ClassVar[str] = "unknown_purchase_order"

    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(f"There is no purchase order numbered {number!r}.")


class UnknownSupplier(DomainError):
    code: ClassVar[str] = "unknown_supplier"

    def __init__(self, supplier: str) -> None:
        self.supplier = supplier
        super().__init__(f"There is no supplier with code {supplier!r}.")


class InvalidQuantity(DomainError):
    code: ClassVar[str] = "invalid_quantity"

    def __init__(self, quantity: int, reason: str) -> None:
        self.quantity = quantity
        self.reason = reason
        super().__init__(f"Quantity {quantity} is not allowed: {reason}.")


class InvalidTransition(DomainError):
    code: ClassVar[str] = "invalid_transition"

    def __init__(self, entity: str, current: str, requested: str) -> None:
        self.entity = entity
        self.current = current
        self.requested = requested
        super().__init__(f"{entity} is {current} and cannot become {requested}.")


class OverReceipt(DomainError):
    code: ClassVar[str] = "over_receipt"

    def __init__(self, number: str, sku: str, outstanding: int, received: int) -> None:
        self.number = number
        self.sku = sku
        self.outstanding = outstanding
        self.received = received
        super().__init__(
            f"Purchase order {number} line {sku} has {outstanding} units outstanding; "
            f"cannot receive {received}."
        )


class DuplicateLine(DomainError):
    code: ClassVar[str] = "duplicate_line"

    def __init__(self, number: str, sku: str) -> None:
        self.number = number
        self.sku = sku
        super().__init__(
            f"Purchase order {number} lists {sku} more than once; put the units on one line."
        )


class IdempotencyKeyReused(DomainError):
    """The same idempotency key was sent again with a different movement."""

    code: ClassVar[str] = "idempotency_key_reused"

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            f"Idempotency key {key!r} was already used for a different movement; "
            "use a new key for a new movement."
        )


class UnknownCarrier(DomainError):
    code: ClassVar[str] = "unknown_carrier"

    def __init__(self, carrier: str) -> None:
        self.carrier = carrier
        super().__init__(f"There is no carrier with code {carrier!r}.")


class UnknownApiKey(DomainError):
    code: ClassVar[str] = "unknown_api_key"

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        super().__init__(f"There is no API key with prefix {prefix!r}.")


class InvalidScope(DomainError):
    code: ClassVar[str] = "invalid_scope"

    def __init__(self, scope: str, allowed: list[str]) -> None:
        self.scope = scope
        self.allowed = allowed
        super().__init__(f"Scope {scope!r} does not exist; use one of {', '.join(allowed)}.")


class ConcurrencyConflict(StockguardError):
    """Another transaction changed the same stock level first; the bus retries."""

    code: ClassVar[str] = "concurrency_conflict"

    def __init__(self, sku: str, location: str) -> None:
        self.sku = sku
        self.location = location
        super().__init__(f"Stock of {sku} at {location} changed concurrently; please retry.")


class UnknownCustomer(DomainError):
    code: ClassVar[str] = "unknown_customer"

    def __init__(self, external_id: str) -> None:
        self.external_id = external_id
        super().__init__(f"There is no customer with external id {external_id!r}.")


class UnknownSalesOrder(DomainError):
    code: ClassVar[str] = "unknown_sales_order"

    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(f"There is no sales order numbered {number!r}.")


class UnknownShop(DomainError):
    code: ClassVar[str] = "unknown_shop"

    def __init__(self, shop: str) -> None:
        self.shop = shop
        super().__init__(f"There is no shop with code {shop!r}.")


class InvalidShopCode(DomainError):
    code: ClassVar[str] = "invalid_shop_code"

    def __init__(self, shop: str) -> None:
        self.shop = shop
        super().__init__(
            f"Shop code {shop!r} is not allowed: use 1 to 32 letters, digits, '_', '.' or '-', "
            "starting with a letter or digit."
        )


class DuplicateShop(DomainError):
    code: ClassVar[str] = "duplicate_shop"

    def __init__(self, shop: str) -> None:
        self.shop = shop
        super().__init__(f"A shop with code {shop!r} already exists.")


class DuplicateOrder(DomainError):
    """A webhook brought an order whose number is already recorded (under another delivery)."""

    code: ClassVar[str] = "duplicate_order"

    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(
            f"Sales order {number!r} is already recorded; resend it with its first delivery id "
            "if it is a retry."
        )


class NoForecast(DomainError):
    """No stored planning run forecasts this SKU yet."""

    code: ClassVar[str] = "no_forecast"

    def __init__(self, sku: str) -> None:
        self.sku = sku
        super().__init__(
            f"No planning run has forecast SKU {sku!r} yet; run `stockguard plan forecast`."
        )


class NoPlanningRun(DomainError):
    """Replenishment needs a stored forecast run."""

    code: ClassVar[str] = "no_planning_run"

    def __init__(self, run_id: int | None = None) -> None:
        self.run_id = run_id
        which = f"Planning run {run_id} does not exist" if run_id else "No planning run exists"
        super().__init__(f"{which}; run `stockguard plan forecast` first.")


class InvalidRule(DomainError):
    code: ClassVar[str] = "invalid_rule"

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"Replenishment rule field {field} = {value!r} {reason}.")


class UnknownRule(DomainError):
    code: ClassVar[str] = "unknown_rule"

    def __init__(self, label: str) -> None:
        self.label = label
        super().__init__(f"There is no replenishment rule for {label}.")


class UnknownProposal(DomainError):
    code: ClassVar[str] = "unknown_proposal"

    def __init__(self, proposal_id: int) -> None:
        self.proposal_id = proposal_id
        super().__init__(f"There is no replenishment proposal {proposal_id}.")


class UnknownProposalLine(DomainError):
    code: ClassVar[str] = "unknown_proposal_line"

    def __init__(self, proposal_id: int, line_no: int) -> None:
        self.proposal_id = proposal_id
        self.line_no = line_no
        super().__init__(f"Proposal {proposal_id} has no line {line_no}.")


class EmptyApproval(DomainError):
    """Approving would order nothing: no line chosen and none within budget."""

    code: ClassVar[str] = "empty_approval"

    def __init__(self, proposal_id: int) -> None:
        self.proposal_id = proposal_id
        super().__init__(
            f"Proposal {proposal_id} has no line within budget to approve; name the lines "
            "to approve (--lines) or reject it."
        )


class UnknownCategory(DomainError):
    code: ClassVar[str] = "unknown_category"

    def __init__(self, category: str) -> None:
        self.category = category
        super().__init__(f"No product is in category {category!r}.")


class InvalidParameter(DomainError):
    """A run parameter (a cost, a budget, a share) outside its range."""

    code: ClassVar[str] = "invalid_parameter"

    def __init__(self, name: str, value: object, reason: str) -> None:
        self.name = name
        self.value = value
        self.reason = reason
        super().__init__(f"Parameter {name} = {value!r} {reason}.")
