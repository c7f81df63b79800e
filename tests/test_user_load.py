"""The signed-in user and its role paths come in one statement (issue 12: every signed-in page loaded them in
two): the same paths as role_paths' own query, none for a user without roles, and no user for an unknown id."""
from __future__ import annotations

from sqlalchemy import select

from caseflow.core import policy
from caseflow.core.models import RoleAssignment, Unit, User
from caseflow.extensions import db


def _queried(user_id: int) -> list[tuple[str, str]]:
    return sorted(db.session.execute(select(Unit.path, RoleAssignment.role).join(RoleAssignment.unit)
                                     .where(RoleAssignment.user_id == user_id)).all())


def test_user_and_role_paths_in_one_statement(app, org):
    with app.app_context():
        for name, user_id in org["users"].items():
            db.session.expunge_all()
            user = policy.user_with_role_paths(db.session, user_id)
            assert user is not None and user.id == user_id, name
            assert sorted(user._role_paths) == _queried(user_id), name
            assert policy.role_paths(db.session, user) is user._role_paths  # the cache is primed
        assert policy.user_with_role_paths(db.session, 10**9) is None
        lone = User(username="khongvaitro", full_name="Không vai trò", email="kvt@example.vn", password_hash="x")
        db.session.add(lone)
        db.session.commit()
        lone_id = lone.id
        db.session.expunge_all()
        loaded = policy.user_with_role_paths(db.session, lone_id)
        assert loaded is not None and loaded._role_paths == []
