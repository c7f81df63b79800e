"""Signing a demo user in from a bench's test client: the password, then the TOTP code of the demo user's key
for the roles that need a second factor (issue 17). A helper module, not a bench (no __main__)."""
from __future__ import annotations


def sign_in(client, username: str, password: str = "caseflow2026") -> None:
    import pyotp

    from caseflow.demo import demo_totp_secret

    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, f"login of {username} failed"
    if "/login/two-factor" in response.headers["Location"]:
        response = client.post("/login/two-factor", data={"code": pyotp.TOTP(demo_totp_secret(username)).now()})
        assert response.status_code == 302, f"second factor of {username} refused"
