"""Plain-text back-in-stock messages (English and French), used until templates exist.

The body names the product, says stock is limited and first come, first served, and
closes with how to stop these messages; a discontinued product's message lists its
in-stock substitutes instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    subject: str
    body: str


def back_in_stock(title: str, sku: str, locale: str) -> Text:
    if locale == "fr":
        return Text(
            subject=f"{title} est de retour en stock",
            body=(
                f"Bonne nouvelle : {title} ({sku}) est de nouveau disponible.\n"
                "Les quantités sont limitées ; premier arrivé, premier servi.\n\n"
                "Vous recevez ce message car vous avez demandé à être prévenu(e). "
                "Pour ne plus recevoir ces alertes, répondez STOP ou utilisez le lien "
                "de désabonnement de la boutique."
            ),
        )
    return Text(
        subject=f"{title} is back in stock",
        body=(
            f"Good news: {title} ({sku}) is available again.\n"
            "Stock is limited; first come, first served.\n\n"
            "You receive this because you asked to be told. To stop these alerts, "
            "reply STOP or use the shop's unsubscribe link."
        ),
    )


def discontinued(title: str, sku: str, locale: str, substitutes: Sequence[str]) -> Text:
    """``substitutes``: titles of in-stock alternatives, best first (may be empty)."""
    lines = "".join(f"- {name}\n" for name in substitutes)
    if locale == "fr":
        tail = f"Ces produits proches sont disponibles :\n{lines}" if lines else ""
        return Text(
            subject=f"{title} ne sera plus réapprovisionné",
            body=(
                f"{title} ({sku}), que vous attendiez, ne sera plus vendu.\n{tail}\n"
                "Votre alerte pour ce produit est terminée."
            ),
        )
    tail = f"These similar products are in stock:\n{lines}" if lines else ""
    return Text(
        subject=f"{title} will not be restocked",
        body=(
            f"{title} ({sku}), which you were waiting for, is discontinued.\n{tail}\n"
            "Your alert for this product has ended."
        ),
    )
