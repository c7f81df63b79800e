"""Diacritic-free search of cases through a trigram index of `cases.search_text` (migration 1202).

`search_text` holds the folded text (caseflow.core.text.fold: lower case, no diacritics) of a case's code,
title and non-confidential names; a search word matches where it occurs in it (`LIKE '%word%'`), as before.
What changed is how the rows are found at 200,000 cases:
- PostgreSQL: a pg_trgm GIN index serves `LIKE '%word%'` itself. The ids holding the words are asked
  once (at most DENSE_FROM); when few, the page and its count read them by key (the trigram bitmap of a
  code-like word costs ~10 ms: once, not twice); when many, the planner weighs the index against reading
  the list's order.
- SQLite: an FTS5 table with the trigram tokenizer indexes the same text (external content: the text stays
  in cases; triggers keep the index). A word of three letters or more is looked up there; the LIKE stays, so
  the result is exactly the LIKE's. SQLite's planner cannot tell a rare word from a common one, so the search
  asks the index first which rows hold the words (at most DENSE_FROM of them): a rare word's rows are
  then read by key and sorted (few), a common word's are met soon enough walking the list's order
  index (reading them all by key and sorting them would cost more).
Objects outside the models: listed in NOT_IN_MODELS for the migrations test."""
from __future__ import annotations

from sqlalchemy import ARRAY, Column, Integer, MetaData, Select, Table, Text, any_, bindparam, select, text
from sqlalchemy.orm import Session

from caseflow.core.models import Case
from caseflow.core.text import fold

#: SQLite's trigram table over cases.search_text (rowid = cases.id)
FTS = Table("cases_search", MetaData(), Column("rowid", Integer), Column("search_text", Text))
#: database objects migration 1202 creates that no model declares (tables: SQLite; index: PostgreSQL)
NOT_IN_MODELS = {"tables": {"cases_search", "cases_search_data", "cases_search_idx", "cases_search_docsize",
                            "cases_search_config"}, "indexes": {"ix_cases_search_trgm"}}
#: from this many rows holding the words, a search walks the list's order instead of sorting the rows it found
DENSE_FROM = 2000
#: at most this many words are searched
MAX_WORDS = 8


def search_words(q: str) -> list[str]:
    return fold(q).split()[:MAX_WORDS]


def _has_fts(session: Session) -> bool:
    engine = session.get_bind()
    known = engine.__dict__.get("_caseflow_has_fts")
    if known is None:
        known = session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'cases_search'")) > 0
        engine.__dict__["_caseflow_has_fts"] = known
    return known


def _fts_match(words: list[str]) -> str:
    """An FTS5 query: every word as a quoted phrase (the trigram tokenizer matches it as a substring)."""
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


def search_cases(session: Session, query: Select, q: str) -> tuple[Select, bool]:
    """`query` narrowed to the cases whose search text holds every word of `q` (diacritics ignored), and
    whether the matches are few enough to be sorted rather than met in the list's order (SQLite's hint)."""
    words = search_words(q)
    likes = {w: Case.search_text.contains(w, autoescape=True) for w in words}
    indexed = [w for w in words if len(w) >= 3]  # a trigram index knows nothing shorter
    dialect = session.get_bind().dialect.name
    if not indexed or dialect not in ("sqlite", "postgresql") or (dialect == "sqlite" and not _has_fts(session)):
        return query.where(*likes.values()), False
    if dialect == "sqlite":
        probe = select(FTS.c.rowid).where(FTS.c.search_text.op("MATCH")(_fts_match(indexed)))
    else:  # the GIN index serves the LIKEs; asked once here, not by the page and again by its count
        probe = select(Case.id).where(*[likes[w] for w in indexed])
    ids = session.scalars(probe.limit(DENSE_FROM)).all()
    if len(ids) >= DENSE_FROM:
        return query.where(*likes.values()), False
    # the ids themselves (fewer than DENSE_FROM): the page and its count then read them by key, without
    # asking the index twice more
    if dialect == "postgresql":
        # the ids are exactly the rows of the indexed words' LIKEs: only the short words' stay (else the
        # planner ANDs the trigram bitmap in again); one array parameter, not a bind per id
        rest = [likes[w] for w in words if w not in indexed]
        return query.where(Case.id == any_(bindparam(None, list(ids), type_=ARRAY(Integer))), *rest), True
    # SQLite keeps every LIKE (the trigram tokenizer's folding is not LIKE's; on rows read by key it is cheap)
    return query.where(Case.id.in_(ids), *likes.values()), True
