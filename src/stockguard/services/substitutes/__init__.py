"""Substitutes area: ranked in-stock substitutes and complements, their promotion and the
widget's shown / clicked / converted counts."""
