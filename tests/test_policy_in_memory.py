"""can_see decides on the loaded case and the user's roles in memory (issue 12: a fire asked a query built for it
each time): it must say what the SQL clause says (visible_cases) for every demo user and every case, documents of
every source, secret documents, conflicts of interest on a case and on a document's source, and a disabled user."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from caseflow import create_app
from caseflow.core import policy
from caseflow.core.engine.errors import DefinitionError
from caseflow.core.models import Case, User
from caseflow.documents.models import DocumentDetail
from caseflow.extensions import db
from caseflow.inspection.models import ConflictDeclaration
from tests.conftest import app_settings, clean_database


@pytest.fixture(scope="module")
def world(template_db, tmp_path_factory, translations_dir, shipped_registry):
    from caseflow.demo import seed_demo

    base = tmp_path_factory.mktemp("policy-in-memory")
    app = create_app({**app_settings(clean_database(template_db, base), base, translations_dir),
                      "WORKFLOW_REGISTRY": shipped_registry})
    with app.app_context():
        session = db.session
        seed_demo(session, cases=6)
        users = {u.username: u for u in session.scalars(select(User))}
        # test data written around the engine (what is checked here is reading, not the chains)
        denunciation = session.scalars(select(Case).where(Case.kind == "denunciation")).first()
        session.add(ConflictDeclaration(case_id=denunciation.id, user_id=users["kiemtra"].id,
                                        declared_by_id=users["lanhdao"].id, reason="Người thân"))
        sourced = session.scalars(select(DocumentDetail).where(DocumentDetail.source_case_id.is_not(None))
                                  .order_by(DocumentDetail.case_id)).all()
        assert len(sourced) >= 2
        # a conflict on the source of a document (declarations are made only in the procedures that have a
        # record_conflict step, the inspection committee's: inspection/conflicts.py _declares_conflicts)
        inspected = [d for d in sourced if session.get(Case, d.source_case_id).kind in ("denunciation", "complaint")]
        assert inspected
        session.add(ConflictDeclaration(case_id=inspected[0].source_case_id, user_id=users["lanhdao"].id,
                                        declared_by_id=users["admin"].id, reason="Người thân"))
        session.execute(update(DocumentDetail).where(DocumentDetail.case_id == sourced[-1].case_id)
                        .values(secret=True))
        session.execute(update(User).where(User.username == "tuvan2").values(active=False))
        session.commit()
        session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_can_see_in_memory_says_what_the_sql_clause_says(world):
    assert policy.feature_rules(world).in_memory
    with world.app_context():
        names = db.session.scalars(select(User.username).order_by(User.id)).all()
        case_ids = db.session.scalars(select(Case.id).order_by(Case.id)).all()
        kinds = set(db.session.scalars(select(Case.kind)))
        db.session.remove()
        assert {"document", "legal_aid", "denunciation", "letter"} <= kinds
        wrong, seen = [], 0
        for name in names:
            # a fresh session per user: the in-memory rule reads the case and its unit as a fire loads them
            user = db.session.scalars(select(User).where(User.username == name)).one()
            for case_id in case_ids:
                case = db.session.get(Case, case_id)
                by_query = policy.can_see_by_query(db.session, user, case) and all(
                    veto(db.session, user, case) for veto in policy.feature_rules().case_vetoes)
                in_memory = policy.can_see(db.session, user, case)
                seen += in_memory
                if in_memory != by_query:
                    wrong.append(f"{name} {case.code} ({case.kind}): in memory {in_memory}, SQL {by_query}")
            db.session.remove()
        assert not wrong, "\n".join(wrong)
        assert seen  # the demo users see something


def test_can_see_asks_the_database_when_a_rule_has_no_one_case_form(world):
    rules = policy.feature_rules(world)
    rules.in_memory = False
    try:
        with world.app_context():
            user = db.session.scalars(select(User).where(User.username == "kiemtra")).one()
            conflicted = db.session.scalars(select(ConflictDeclaration.case_id)
                                            .where(ConflictDeclaration.user_id == user.id)).first()
            assert not policy.can_see(db.session, user, db.session.get(Case, conflicted))
            db.session.remove()
    finally:
        rules.in_memory = True


def test_a_filter_without_its_veto_turns_the_in_memory_rule_off():
    from flask import Flask

    app = Flask(__name__)
    policy.add_rules(app, visibility_filter=lambda session, user, query: query)
    assert not policy.feature_rules(app).in_memory
    other = Flask(__name__)
    policy.add_rules(other, parent=("document", lambda case: None))
    assert not policy.feature_rules(other).in_memory


def test_only_document_cases_get_document_rows():
    from types import SimpleNamespace

    from caseflow.documents.hooks import document_rows_only_for_documents

    effect = SimpleNamespace(name="edit_draft")
    definition = SimpleNamespace(kind="legal_aid", source_file="x.yaml", intake_fields=(), intake_effects=(),
                                 transitions=[SimpleNamespace(trigger="draft", fields=(), effects=(effect,))])
    with pytest.raises(DefinitionError):
        document_rows_only_for_documents(definition)
    definition.kind = "document"
    document_rows_only_for_documents(definition)
