"""Diacritic-free search of cases through a trigram index of `cases.search_text` (migration 1202).

`search_text` holds the folded text (caseflow.core.text.fold: lower case, no diacritics) of a case's code,
title and non-confidential names; a search word matches where it occurs in it (`LIKE '%word%'`), as before.
What changed is how the rows are found at 200,000 cases:
- PostgreSQL: a pg_trgm GIN index serves `LIKE '%word%'` itself; the planner weighs it against reading the
  list's order index and filtering.
- SQLite: an FTS5 table with the trigram tokenizer indexes the same text (external content: the text stays
  in cases; triggers keep the index). A word of three letters or more is looked up there; the LIKE stays, so
  the result is exactly the LIKE's. SQLite's planner cannot tell a rare word from a common one, so the search
  asks the index first which rows hold the words (at most DENSE_FROM of them): a rare word's rows are
  then read by key and sorted (few), a common word's are met soon enough walking the list's order
  index (reading them all by key and sorting them would cost more).
Objects outside the models: listed in NOT_IN_MODELS for the migrations test."""
from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, Select, Table, Text, select, text
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
    for word in words:
        query = query.where(Case.search_text.contains(word, autoescape=True))
    indexed = [w for w in words if len(w) >= 3]  # a trigram index knows nothing shorter
    if not indexed or session.get_bind().dialect.name != "sqlite" or not _has_fts(session):
        return query, False
    match = FTS.c.search_text.op("MATCH")(_fts_match(indexed))
    ids = session.scalars(select(FTS.c.rowid).where(match).limit(DENSE_FROM)).all()
    if len(ids) >= DENSE_FROM:
        return query, False
    # the ids themselves (fewer than DENSE_FROM): the page and its count then read them by key, without
    # asking the index twice more
    return query.where(Case.id.in_(ids)), True
