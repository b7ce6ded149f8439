"""Signing in to the dashboard from a TestClient: the form's CSRF token, then the POST."""

from __future__ import annotations

import re

import httpx2
from fastapi.testclient import TestClient

PASSWORD = "correct horse battery staple"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> httpx2.Response:
    token = csrf_token(client.get("/dashboard/login").text)
    form = {"email": email, "password": password, "csrf_token": token}
    return client.post("/dashboard/login", data=form, follow_redirects=False)
