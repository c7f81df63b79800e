"""Signing a demo user in from a bench's test client: the password, then the TOTP code of the demo user's key
for the roles that need a second factor (issue 17). A helper module, not a bench (no __main__)."""
from __future__ import annotations


def sign_in(client, username: str, password: str = "caseflow2026") -> None:
    from caseflow.demo import demo_totp_secret

    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, f"login of {username} failed"
    if "/login/two-factor" in response.headers["Location"]:
        from sqlalchemy import select

        from caseflow.core.models import User
        from caseflow.extensions import db
        from caseflow.web.twofactor import unused_code

        with client.application.app_context():  # a code is accepted once (issue 11): one not used yet
            last = db.session.scalar(select(User.totp_last_step).where(User.username == username))
            db.session.remove()
        response = client.post("/login/two-factor", data={"code": unused_code(demo_totp_secret(username), last)})
        assert response.status_code == 302, f"second factor of {username} refused"
