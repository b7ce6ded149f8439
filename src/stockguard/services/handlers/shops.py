"""Handlers for shops: register one (with the secret its webhooks are signed with) and
rotate that secret."""

from __future__ import annotations

from stockguard.domain import commands, errors, shops
from stockguard.services.unit_of_work import UnitOfWork


def create_shop(cmd: commands.CreateShop, uow: UnitOfWork) -> shops.Shop:
    shops.check_code(cmd.code)
    shop = shops.Shop(
        code=cmd.code,
        name=cmd.name,
        location=cmd.location,
        webhook_secret=cmd.webhook_secret,
        created_at=cmd.created_at,
    )
    with uow:
        if uow.shops.get(cmd.code) is not None:
            raise errors.DuplicateShop(cmd.code)
        if uow.locations.get(cmd.location) is None:
            raise errors.UnknownLocation(cmd.location)
        uow.shops.add(shop)
        uow.commit()
    return shop


def rotate_shop_secret(cmd: commands.RotateShopSecret, uow: UnitOfWork) -> shops.Shop:
    with uow:
        shop = require_shop(uow, cmd.code)
        shop.rotate_secret(cmd.webhook_secret)
        uow.commit()
    return shop


def require_shop(uow: UnitOfWork, code: str) -> shops.Shop:
    shop = uow.shops.get(code)
    if shop is None:
        raise errors.UnknownShop(code)
    return shop
