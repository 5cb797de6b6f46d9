"""Diacritic-free search of the register, served by an index on both databases.

A query is folded (``tracker.text.fold``: lower case, no diacritics, đ -> d) and split into words;
every word must match **the start of a word** of the asset's folded ``search_text`` ("thang" finds
"Thắng Lợi", "may tinh" finds "Máy vi tính", "o to" finds "Xe ô tô"). A word is a run of letters and
digits; what a typed word holds besides them only separates its parts, which must then follow one
another ("98a-811.18" finds the words 98a, 811, 18 in a row). Mid-word pieces ("inh" for "tinh") no
longer match: see docs/DECISIONS.md, "Search index".

- SQLite: the FTS5 table ``assets_fts`` over ``assets.search_text`` (external content, kept in step
  by triggers from migration 0011), queried with ``"word"*`` prefix terms.
- PostgreSQL: the pg_trgm GIN index ``ix_assets_search_trgm`` on ``search_text``, queried with one
  regular expression per word that anchors it at a word start; pg_trgm reads the anchor as a word
  boundary, so even one- and two-letter words ("o to") are looked up in the index.

Results with every typed word matched as a whole word come first (``ranking``), so "o to" lists
cars before archive boxes that only have words starting with "to". ``use_index=False`` gives the
search as it was before the index (every word a substring, LIKE '%w%'), for benchmarks.
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask import current_app

from tracker.extensions import db
from tracker.models import Asset, Role, User
from tracker.text import compact, fold, looks_like_plate_query

MAX_QUERY_WORDS = 8
FTS_TABLE = "assets_fts"  # SQLite; its shadow tables are assets_fts_data, _idx, _docsize, _config
TRGM_INDEX = "ix_assets_search_trgm"  # PostgreSQL


def _separator_class() -> str:
    """Every character up to U+00FF that is neither a letter nor a digit, as one bracket expression.

    pg_trgm takes a class made only of non-word characters as a word boundary, and then looks the
    word up by its padded start (" to"), so one- and two-letter words are served by the index too.
    A complement such as [^a-z0-9] also holds letters, and with it pg_trgm extracts nothing.
    """
    chars = [chr(c) for c in range(0x20, 0x100) if not 0x7F <= c <= 0x9F and not chr(c).isalnum()]
    middle = "".join("\\\\" if c == "\\" else c for c in chars if c not in "]-")
    return f"[]{middle}-]"  # ']' first and '-' last are literal in a bracket expression


_SEPARATORS = _separator_class()
# Punctuation from U+2000 on that lists put between words ("2001–2004", “Dell”). pg_trgm reads no
# boundary from a class holding it (it cannot enumerate such characters), so it is a separate
# alternative, used before a word only when the word has 3 letters or more, whose own trigrams the
# index looks up; a one- or two-letter word glued to such a mark is not found on PostgreSQL.
_WIDE = "[\u2010-\u2015\u2018-\u201f\u2026\u2022\u2032\u2033\u2039\u203a]"
_TOKENS = re.compile(r"[^\W_]+")  # letters and digits: what FTS5's unicode61 tokenizer keeps as a word

_fts = sa.table(FTS_TABLE, sa.column("rowid"))


def is_search_index(name: str | None) -> bool:
    """True for the search index's tables and index, which the models do not declare (Alembic skips them)."""
    return bool(name) and (name == TRGM_INDEX or name == FTS_TABLE or name.startswith(FTS_TABLE + "_"))


def words_of(q: str) -> list[list[str]]:
    """The typed words, folded, each as its letter-and-digit parts; words with none are dropped."""
    words = [_TOKENS.findall(word) for word in fold(q).split()[:MAX_QUERY_WORDS]]
    return [parts for parts in words if parts]


def _use_index(use_index: bool | None) -> bool:
    # The one setting read here (a benchmark switches the index off for a whole app); no request.
    return current_app.config.get("SEARCH_INDEX", True) if use_index is None else use_index


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def compact_plate() -> sa.ColumnElement[str]:
    """The plate as letters and digits only, in SQL: '98A-811.18' -> '98a81118'."""
    return sa.func.replace(sa.func.replace(sa.func.lower(Asset.plate), "-", ""), ".", "")


def plate_pattern(term: str) -> str:
    """LIKE pattern for a plate typed with digits missing: '98a8118' -> '98a%8%1%1%8%'."""
    key = compact(term)
    head, tail = key[:3], key[3:]
    return head + "".join(f"%{c}" for c in tail) + "%"


def _loose_plate(q: str, use_index: bool) -> sa.ColumnElement[bool]:
    """A plate typed with digits missing, matched as a subsequence of the compact plate."""
    loose = compact_plate().like(plate_pattern(q))
    if not use_index:
        return loose
    # Canonical plates start with the same three characters ('98A-…'): a range on the unique plate
    # index, so the OR with the word index stays an index lookup instead of a scan of every asset.
    head = compact(q)[:3].upper()
    return sa.and_(Asset.plate >= head, Asset.plate < head[:-1] + chr(ord(head[-1]) + 1), loose)


def scope_province(user: User) -> int | None:
    """The one province a user's scope is (officers, auditors of a province), else None."""
    return user.province_id if user.role != Role.COMMUNE else None


def searched_scope(user: User, q: str, scope: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """The scope condition to put beside a search of ``q``.

    On SQLite a province's search is already narrowed inside FTS5 (``_fts_ids``); left as it is,
    the province condition made the planner walk the province's index (100,000 entries for Thanh
    Hóa, 10 ms even for 2 matches) and test each against the matches. The same condition with
    the column hidden from the planner (``province_id + 0``) is checked on the matches instead.
    """
    province_id = scope_province(user)
    if province_id is None or not _use_index(None) or _dialect() != "sqlite" or not words_of(q):
        return scope
    return (Asset.province_id + 0) == province_id


def _fts_ids(words: list[list[str]], province_id: int | None) -> sa.Select:
    """SQLite: ids of assets whose FTS5 index holds every word as a word start ("may"* AND "tinh"*).

    The index also holds each asset's province: narrowing to it inside FTS5 gives back the
    province's matches only, where an IN over every match in the country costs ~1 µs an id.
    """
    terms = [f'search_text : "{" ".join(parts)}"*' for parts in words]
    if province_id is not None:
        terms.append(f'province_id : "{int(province_id)}"')
    return sa.select(_fts.c.rowid).where(sa.literal_column(FTS_TABLE).op("MATCH")(" AND ".join(terms)))


def word_start_pattern(parts: list[str]) -> str:
    """PostgreSQL regular expression: the word's parts at a word start, one after another."""
    between = f"({_SEPARATORS}|{_WIDE})+"
    before = f"(^|{_SEPARATORS}|{_WIDE})" if len(parts[0]) >= 3 else f"(^|{_SEPARATORS})"
    return before + between.join(parts)


def _pg_word(parts: list[str]) -> sa.ColumnElement[bool]:
    """PostgreSQL: one typed word at a word start, in the form the trigram index serves best.

    A word of 3 letters or more is looked up by its own trigrams (LIKE '%may%'); the regular
    expression, which costs about 5 µs a row on the index's recheck, is kept for rows where the
    word does not simply start the text or follow a space. Shorter words need the expression's
    boundary for the index to find them at all.
    """
    pattern = Asset.search_text.regexp_match(word_start_pattern(parts))
    first = parts[0]  # letters and digits only: nothing for LIKE to escape
    if len(first) < 3:
        return pattern
    inside = Asset.search_text.like(f"%{first}%")
    if len(parts) > 1:
        return sa.and_(inside, pattern)
    # Checked on the rows the index found, not looked up (``|| ''`` hides them from the planner,
    # which would otherwise scan the index three more times for an OR of its own).
    text = Asset.search_text + ""
    return sa.and_(inside, sa.or_(text.like(f"{first}%"), text.like(f"% {first}%"),
                                  text.regexp_match(word_start_pattern(parts))))


def _matches(words: list[list[str]], province_id: int | None) -> sa.ColumnElement[bool]:
    if _dialect() == "sqlite":
        return Asset.id.in_(_fts_ids(words, province_id))
    return sa.and_(*(_pg_word(parts) for parts in words))


def search_condition(q: str, use_index: bool | None = None,
                     province_id: int | None = None) -> sa.ColumnElement[bool] | None:
    """Assets matching the query: every word at a word start; a plate-like query may also match loosely.

    ``province_id``: the caller's scope is that province only (``scope_province``); SQLite's index
    then returns that province's matches only (PostgreSQL combines the trigram and province indexes).

    ``use_index=False`` is the search before the index: every folded word a substring of search_text
    (LIKE '%w%', a scan of the table). None follows the app's ``SEARCH_INDEX`` setting (default on).
    """
    indexed = _use_index(use_index)
    if indexed:
        words = words_of(q)
        if not words:
            return None if not fold(q) else sa.false()  # only punctuation typed: nothing to look for
        condition = _matches(words, province_id)
    else:
        typed = fold(q).split()[:MAX_QUERY_WORDS]
        if not typed:
            return None
        condition = sa.and_(*(Asset.search_text.contains(w, autoescape=True) for w in typed))
    if looks_like_plate_query(q):
        condition = sa.or_(condition, _loose_plate(q, indexed))
    return condition


def ranking(q: str, use_index: bool | None = None) -> list[sa.ColumnElement[int]]:
    """ORDER BY terms that go before the register's own order: the plate typed in full, then whole words.

    "o to" puts assets holding the words "o" and "to" (cars: "xe o to") before those that only have
    words starting with them. A whole word here is one between spaces (or the ends) of search_text,
    checked on the matching rows only: cheaper than a second index lookup, which would read every
    match in the country when the scope is one province. Without the index only the plate term
    is kept, as before.
    """
    order: list[sa.ColumnElement[int]] = []
    if looks_like_plate_query(q):
        exact = compact_plate().contains(compact(q), autoescape=True)
        order.append(sa.case((exact, 0), else_=1))
    if _use_index(use_index) and words_of(q):
        padded = " " + Asset.search_text + " "
        typed = [word for word in fold(q).split()[:MAX_QUERY_WORDS] if _TOKENS.search(word)]
        whole = [padded.contains(f" {word} ", autoescape=True) for word in typed]
        order.append(sa.case((sa.and_(*whole), 0), else_=1))
    return order
