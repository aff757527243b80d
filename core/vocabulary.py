"""A catalog's own genre names, and how people write them.

One place for "which genre of this catalog does this word mean": the CLI's ``--genre``, the
tools' genre arguments (:meth:`tastebud.catalog.Catalog.resolve_genre`) and the words of a
message (:mod:`tastebud.nlu.genres`) all read a :class:`GenreVocabulary`. Case, hyphens,
apostrophes and plurals do not matter ("sci fi" is "Sci-Fi", "mysteries" is "Mystery",
"childrens" is "Children's"); a few spellings of one genre are the same genre in every
catalog (:data:`GENRE_SYNONYMS`: "sci-fi" is "Science Fiction" where the catalog says so); a
domain's aliases (the movie catalogs' "history" → Drama) come on top; typos match with
rapidfuzz.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = ["GENRE_SYNONYMS", "GenreVocabulary", "genre_key"]

#: Spellings of one genre, equal in every catalog (keys as :func:`genre_key` writes them).
GENRE_SYNONYMS: tuple[frozenset[str], ...] = (
    frozenset({"sci fi", "science fiction", "scifi"}),
    frozenset({"children", "childrens", "children s", "kids"}),
    frozenset({"film noir", "noir"}),
    frozenset({"animation", "animated"}),
    frozenset({"romance", "romantic"}),
)
#: Typos: words of at least FUZZY_MIN_CHARS letters match a genre within one edit (a swap of two
#: neighbours is one), words of LONG_CHARS letters or more within two.
FUZZY_MIN_CHARS = 5
LONG_CHARS = 9
_NOT_PLURAL = ("ss", "us", "is")


def genre_key(text: str) -> str:
    """Lower case, accents folded, words split on anything but letters and digits (as messages are
    tokenised: "Children's" → ``children s``, "Sci-Fi" → ``sci fi``), ``&`` → ``and``."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text.replace("&", " and ")))


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(_NOT_PLURAL) and len(word) > 3:
        return word[:-1]
    return word


def _plural(word: str) -> str:
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word if word.endswith("s") else word + "s"


def _stem(key: str) -> str:
    """The key with its last word singular: "mysteries" and "mystery" share it."""
    words = key.split()
    return " ".join([*words[:-1], _singular(words[-1])]) if words else key


def _closest(key: str, genres: Mapping[str, str]) -> str | None:
    """The genre whose key is within the typo distance of ``key`` (optimal string alignment)."""
    edits = 2 if len(key) >= LONG_CHARS else 1
    best = process.extractOne(key, list(genres), scorer=OSA.distance, score_cutoff=edits)
    return genres[best[0]] if best else None


class GenreVocabulary:
    """The genre names of one catalog and the words that mean them.

    Args:
        genres: The catalog's genre names, as its items write them.
        aliases: Lower-case words mapped onto genre names (a domain's ``genre_aliases``); an
            alias counts only where the catalog has its target.
    """

    def __init__(self, genres: Iterable[str], aliases: Mapping[str, str] | None = None) -> None:
        self.genres: list[str] = sorted(set(genres))
        self._by_stem: dict[str, str] = {}
        for genre in self.genres:
            self._by_stem.setdefault(_stem(genre_key(genre)), genre)
        self._own = dict(self._by_stem)  # the catalog's names: singular and plural in messages
        self._synonyms: dict[str, str] = {}  # as written in GENRE_SYNONYMS
        for group in GENRE_SYNONYMS:  # "sci-fi" where the catalog says "Science Fiction"
            owner = next((self._by_stem[_stem(k)] for k in sorted(group) if _stem(k) in self._by_stem), None)
            if owner is not None:
                for key in group:
                    self._by_stem.setdefault(_stem(key), owner)
                    self._synonyms.setdefault(key, owner)
        valid = set(self.genres)
        for word, target in (aliases or {}).items():
            if target in valid:
                self._by_stem.setdefault(_stem(genre_key(word)), target)

    def resolve(self, name: str, *, fuzzy: bool = True) -> str | None:
        """The genre ``name`` means in this catalog, or ``None``.

        Args:
            name: A genre as written ("sci-fi", "Mysteries", "young adult").
            fuzzy: Also accept a close spelling ("Sciense Fiction").
        """
        key = _stem(genre_key(name))
        if not key:
            return None
        found = self._by_stem.get(key) or self._by_stem.get(key.replace(" ", ""))
        if found is not None or not fuzzy or len(key.replace(" ", "")) < FUZZY_MIN_CHARS:
            return found
        return _closest(key, self._by_stem)

    @cached_property
    def phrases(self) -> dict[str, str]:
        """Word phrases of a message that name a genre (singular and plural of the catalog's own
        names, and their synonyms as written) → the genre, for :func:`tastebud.nlu.text.find_phrases`;
        aliases only resolve typed genres."""
        out: dict[str, str] = {}
        for stem, genre in self._own.items():
            words = stem.split()
            for last in dict.fromkeys((words[-1], _plural(words[-1]))):
                out.setdefault(" ".join([*words[:-1], last]), genre)
        for genre in self.genres:
            out.setdefault(genre_key(genre), genre)
        for key, genre in self._synonyms.items():
            out.setdefault(key, genre)
        return out

    def fuzzy_word(self, word: str, genres: Iterable[str] | None = None) -> str | None:
        """The one-word genre a misspelt word means ("poetyr", "fantsy"), or ``None``.

        Args:
            word: One lower-case word of a message (at least :data:`FUZZY_MIN_CHARS` letters).
            genres: Only these genres may match (default: all).
        """
        allowed = set(self.genres if genres is None else genres)
        keys = {k: g for k, g in self._own.items() if " " not in k and g in allowed}
        if len(word) < FUZZY_MIN_CHARS or not keys:
            return None
        return _closest(_singular(word), keys)

    def fuzzy_phrase(self, words: Sequence[str], genres: Iterable[str] | None = None) -> str | None:
        """The multi-word genre a misspelt run of words means ("worker placment", "yuong adult").

        Each word is its genre word, or a close spelling of it within the typo distance of
        :func:`resolve` (one edit from :data:`FUZZY_MIN_CHARS` letters, two from
        :data:`LONG_CHARS`); shorter words must be exact, so "party time" is not "Party Game".

        Args:
            words: Lower-case words of a message, as many as the genre name has.
            genres: Only these genres may match (default: all).
        """
        allowed = set(self.genres if genres is None else genres)
        said = [*words[:-1], _singular(words[-1])] if words else []
        for key, genre in self._own.items():
            parts = key.split()
            if genre in allowed and len(parts) == len(said) > 1 and key != " ".join(said) and all(
                    a == b or (len(b) >= FUZZY_MIN_CHARS and OSA.distance(a, b) <= (2 if len(b) >= LONG_CHARS else 1))
                    for a, b in zip(said, parts, strict=True)):
                return genre
        return None
