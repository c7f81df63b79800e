"""A collective labour dispute over rights has its own limitation article (Bộ luật Lao động 2019, Art. 194
[U]), not the individual's Art. 190: the deadlines and the case page's warning name the article that
applies, and an admin sets the collective value apart from the individual one."""
from datetime import date

from sqlalchemy import select

from caseflow.deadlines.models import Deadline, DeadlineSetting
from caseflow.extensions import db
from tests.conftest import logged_in
from tests.factories import open_legal_aid


def _rows(case):
    return {d.rule_key: d for d in db.session.scalars(select(Deadline).where(Deadline.case_id == case.id))}


def test_a_collective_dispute_cites_article_194_and_an_individual_one_article_190(ctx, org, clock):
    clock(date(2026, 11, 2))
    collective = open_legal_aid(org, breach_known_date=date(2026, 6, 10), is_collective=True)
    individual = open_legal_aid(org, breach_known_date=date(2026, 6, 10), worker="Trần Thị Bé")
    for key in ("limitation_conciliation", "limitation_arbitration", "limitation_court"):
        assert _rows(collective)[key].basis.startswith("Bộ luật Lao động 2019, Điều 194"), key
        assert _rows(collective)[key].variant == "is_collective"
        assert _rows(individual)[key].basis.startswith("Bộ luật Lao động 2019, Điều 190"), key
    assert _rows(collective)["limitation_court"].due_date == date(2027, 6, 10)


def test_the_case_page_warning_names_the_article(ctx, org, clock, client):
    clock(date(2026, 11, 20))  # conciliation (6 months from 10/06) ends 10/12: within the 30 days warned
    case = open_legal_aid(org, breach_known_date=date(2026, 6, 10), is_collective=True)
    with logged_in(client, "tuvan1"):
        html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    warning = html[html.index('id="limitation"'):]
    warning = warning[:warning.index("</dd>")]
    assert "Điều 194" in warning and "Điều 190" not in warning


def test_the_collective_value_is_a_setting_of_its_own(ctx, org, clock):
    db.session.add(DeadlineSetting(key="legal_aid.limitation_court:is_collective", days=18,
                                   basis="Bộ luật Lao động 2019, Điều 194 khoản 3 (giá trị thử)",
                                   effective_from_date=date(2026, 1, 1)))
    db.session.commit()
    clock(date(2026, 11, 2))
    collective = open_legal_aid(org, breach_known_date=date(2026, 6, 10), is_collective=True)
    individual = open_legal_aid(org, breach_known_date=date(2026, 6, 10), worker="Trần Thị Bé")
    assert (_rows(collective)["limitation_court"].days, _rows(collective)["limitation_court"].basis) == \
        (18, "Bộ luật Lao động 2019, Điều 194 khoản 3 (giá trị thử)")
    assert _rows(individual)["limitation_court"].days == 12
