"""Logging in through Streamlit's st.login against a real OIDC provider on localhost (oidc-provider-mock), for
browser tests: the provider with its users, a `streamlit run` configured for it, and a login in a fresh context."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from test_browser import _free_port, _settle, _start


@contextmanager
def running_provider(users: dict[str, bool]) -> Iterator[str]:
    """The provider's issuer URL, with each email as a user (True: the provider verified the address)."""
    import httpx
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread() as server:
        issuer = f"http://localhost:{server.server_port}"
        for email, verified in users.items():
            response = httpx.put(
                f"{issuer}/users/{quote(email)}",
                json={"email": email, "email_verified": verified, "name": email},
            )
            assert response.status_code == 204
        yield issuer


def start_with_login(db: Path, issuer: str, folder: Path, **env: str) -> tuple:
    """A `streamlit run` whose secrets (written to a temporary folder, never the repo) configure [auth]."""
    port = _free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "cscp-dashboard-test"\n'
        'client_secret = "test-only"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
    )
    return _start(
        db,
        "--secrets.files",
        str(secrets_file),
        port=port,
        host="localhost",
        env={"AUTHLIB_INSECURE_TRANSPORT": "1", **env},
    )


def log_in(browser, url: str, email: str, viewport: tuple[int, int] = (1280, 900)):
    """A fresh browser context (no cookies), through the provider's form, back in the app."""
    width, height = viewport
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(url)  # the default page: a fresh server's first load of another page can miss the router
    _settle(page, "Are children in Camden safe?")
    page.get_by_role("button", name="Log in").click()
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.get_by_role("button", name="Log out").wait_for(timeout=60_000)
    _settle(page)
    return page
