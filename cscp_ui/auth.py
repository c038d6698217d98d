"""Who is looking: Streamlit's own OIDC login (st.login, configured in secrets.toml [auth]) and the
person's role from the partnership's working records. Nothing from the URL or a widget grants access."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import streamlit as st

from cscp_metrics.records import members, workspace
from cscp_metrics.records.members import Role
from cscp_metrics.store import connection as store


@dataclass(frozen=True)
class Visitor:
    login_available: bool  # [auth] is configured
    logged_in: bool
    email: str | None  # the verified email claim
    role: Role | None  # None: not a member (or not logged in)
    note: str | None = None  # what a logged-in non-member should do

    @property
    def partnership(self) -> bool:
        """May see true values (small numbers): a logged-in member of any role."""
        return self.role is not None


def max_login_age() -> int:
    """Seconds a login is honoured after the identity provider authenticated the person ($CSCP_LOGIN_MAX_AGE,
    default 12 hours). Streamlit's own cookie lasts 30 days, far too long for a shared office computer."""
    return int(os.environ.get("CSCP_LOGIN_MAX_AGE", str(12 * 3600)))


def login_configured() -> bool:
    return st.secrets.load_if_toml_exists() and bool(st.secrets.get("auth"))


@st.cache_data(ttl=10, show_spinner=False)
def _role_and_analysts(email: str, store_path: str) -> tuple[str | None, tuple[str, ...]]:
    """A short cache: members are added and removed by other processes; a removal takes effect within 10 s."""
    with workspace.opened(store_path) as records:
        role = members.role_of(records, email)
        return (str(role) if role else None), tuple(members.analysts(records))


def visitor() -> Visitor:
    if not login_configured():
        return Visitor(False, False, None, None)
    user = st.user
    if not user.is_logged_in:
        return Visitor(True, False, None, None)
    authenticated_at = user.get("auth_time") or user.get("iat")
    if not isinstance(authenticated_at, (int, float)) or time.time() - authenticated_at > max_login_age():
        return Visitor(True, False, None, None, "Your login has expired: log in again to see the partnership view.")
    email = user.get("email")
    if not isinstance(email, str) or not email or user.get("email_verified") is False:
        return Visitor(
            True,
            True,
            None,
            None,
            "Your login did not give a verified email address, so the "
            "partnership view stays closed. Ask your identity provider's administrator.",
        )
    role, analysts = _role_and_analysts(email.strip().lower(), str(store.resolve_db_path()))
    if role is None:
        ask = ", ".join(analysts) if analysts else "the partnership's business unit"
        return Visitor(
            True,
            True,
            email,
            None,
            f"You are logged in as {email}, but you are not a member of the "
            f"partnership workspace, so you see the public view. To be added, ask: {ask}.",
        )
    return Visitor(True, True, email, members.parse_role(role))


def sidebar(who: Visitor) -> None:
    """The log in / log out control; text from the identity provider is shown as text, never Markdown."""
    if not who.login_available:
        return
    if not who.logged_in:
        if who.note:
            st.text(who.note)
        if st.button("Log in", key="auth_login", help="Partnership members log in to see true values"):
            st.login()
        return
    st.text(
        f"Logged in as {who.email or 'an unverified account'}"
        + (f" ({who.role.label})" if who.role else " (not a member)")
    )
    if who.note:
        with st.container(border=True):
            st.text(who.note)
    if st.button("Log out", key="auth_logout"):
        st.logout()
