"""Handlers for API keys: create (store the digest only) and revoke."""

from __future__ import annotations

from stockguard.domain import access, commands, errors
from stockguard.services.unit_of_work import UnitOfWork


def parse_scopes(names: tuple[str, ...]) -> frozenset[access.Scope]:
    """Scope names -> scopes; refuses an unknown name or an empty list."""
    allowed = [scope.value for scope in access.Scope]
    if not names:
        raise errors.InvalidScope("", allowed)
    scopes = set()
    for name in names:
        try:
            scopes.add(access.Scope(name.strip().lower()))
        except ValueError:
            raise errors.InvalidScope(name, allowed) from None
    return frozenset(scopes)


def create_api_key(cmd: commands.CreateApiKey, uow: UnitOfWork) -> access.ApiKey:
    key = access.ApiKey(
        prefix=cmd.prefix,
        name=cmd.name,
        secret_digest=access.digest(cmd.secret),
        scopes=parse_scopes(cmd.scopes),
        created_at=cmd.created_at,
    )
    with uow:
        uow.api_keys.add(key)
        uow.commit()
    return key


def revoke_api_key(cmd: commands.RevokeApiKey, uow: UnitOfWork) -> access.ApiKey:
    with uow:
        key = uow.api_keys.get(cmd.prefix)
        if key is None:
            raise errors.UnknownApiKey(cmd.prefix)
        key.revoke(cmd.revoked_at)
        uow.commit()
    return key
