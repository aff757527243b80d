"""Other languages as data: cue phrases, genre words, stopwords and replies from ``languages.yaml``.

The table ``languages.yaml`` (package data next to this module) has one section per language
code (``es``, ``fr``, ``de``, ``it``, ``pt`` …). Entries are written as people type them, with
or without accents and apostrophes; ``{a|b|}`` alternatives expand to every combination
(an empty alternative makes the part optional). When loaded, every phrase is normalised the
way tokens are matched: ASCII-folded, lower-cased and split on anything that is not a letter
or a digit ("J'ai adoré" → ``j ai adore``).

Nothing is read at import: each accessor loads (once, ``functools.lru_cache``) and validates
the table on first use.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from importlib import resources
from typing import Any

import yaml

from tastebud.errors import ConfigError

__all__ = [
    "CUE_KINDS",
    "GENRES",
    "REPLY_KEYS",
    "TEMPLATE_KEYS",
    "normalize",
    "expand",
    "load_languages",
    "validate",
    "languages",
    "cue_phrases",
    "cue_kinds",
    "title_cues",
    "genre_phrases",
    "stopwords",
    "request_words",
    "function_words",
    "clause_words",
    "YEAR_KEYS",
    "year_words",
    "reply",
    "localize",
]

#: Phrase lists of cues, as in :func:`tastebud.nlu.cues.find_cues` (``negation`` → ``neg``).
#: ``end_dislike`` says dislike only at the end of a clause ("Ich mag Alien nicht").
CUE_KINDS = ("like", "after_like", "dislike", "after_dislike", "end_dislike", "seen", "negation",
             "anchor")
#: Word lists that are not cues.
WORD_KINDS = ("request", "stopwords", "contrast", "conjunctions")
#: MovieLens genre names a genre word may map to.
GENRES = ("Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama",
          "Fantasy", "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance", "Sci-Fi",
          "Thriller", "War", "Western")
#: Reply keys every language must have.
REPLY_KEYS = ("clarify", "not_found", "non_english")
#: Reply key → key of the offline templates (``prompts/replies.yaml``) it stands in for.
TEMPLATE_KEYS = {"clarify": "clarify", "not_found": "missing", "non_english": "non_english"}
_REQUIRED = ("like", "dislike", "seen", "negation", "genres", "request", "stopwords", "replies")
_OPTIONAL = ("name", "after_like", "after_dislike", "end_dislike", "anchor", "contrast",
             "conjunctions", "years")
#: Keys of a language's ``years`` table: the English word each phrase stands for before a year
#: ("antes de" → before), ``decade`` before a two-digit decade ("años 80"), ``decade_suffix``
#: after one (German "80er"), and decades in words ("los noventa" → nineties).
YEAR_KEYS = ("before", "after", "since", "until", "between", "nothing", "older", "recent", "decade",
             "decade_suffix", "fifties", "sixties", "seventies", "eighties", "nineties")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ALTERNATIVES = re.compile(r"\{([^{}]*)\}")


def normalize(text: str) -> str:
    """Fold a phrase the way tokens are matched: ASCII, lower case, words split on non-alphanumerics."""
    # letters outside ASCII are dropped as the tokenizer's fold drops them; other marks (’) split
    text = "".join(c if c.isascii() or c.isalpha() or unicodedata.combining(c) else " "
                   for c in unicodedata.normalize("NFKD", text))
    text = text.encode("ascii", "ignore").decode().lower()
    return _NON_ALNUM.sub(" ", text).strip()


def expand(pattern: str) -> list[str]:
    """Expand ``{a|b|}`` alternatives: ``"me {gustó|encantó}"`` → ``["me gustó", "me encantó"]``."""
    parts = _ALTERNATIVES.split(pattern)
    choices = [[p] if k % 2 == 0 else p.split("|") for k, p in enumerate(parts)]
    return [" ".join("".join(combo).split()) for combo in itertools.product(*choices)]


def _phrases(entries: Any, where: str) -> tuple[str, ...]:
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise ConfigError(f"languages.yaml: {where} must be a list of strings "
                          "(quote words YAML reads as booleans: \"no\", \"on\")")
    out: dict[str, None] = {}
    for entry in entries:
        for phrase in expand(entry):
            folded = normalize(phrase)
            if not folded:
                raise ConfigError(f"languages.yaml: {where}: {entry!r} has no letters")
            out[folded] = None
    return tuple(out)


def validate(data: Any) -> dict[str, dict[str, Any]]:
    """Check a parsed table and return it normalised.

    Returns:
        ``{lang: {kind: tuple of folded phrases, "genres": {phrase: genres}, "replies": {...}}}``.

    Raises:
        ConfigError: A section or list is missing or malformed, a genre is not a MovieLens
            genre (the message lists the valid ones), a reply lacks a placeholder, or one
            phrase is a cue of two opposite kinds.
    """
    if not isinstance(data, dict) or not data:
        raise ConfigError("languages.yaml: expected a mapping of language codes")
    out: dict[str, dict[str, Any]] = {}
    for lang, section in data.items():
        if not isinstance(section, dict):
            raise ConfigError(f"languages.yaml: {lang} must be a mapping")
        missing = [k for k in _REQUIRED if k not in section]
        unknown = [k for k in section if k not in _REQUIRED + _OPTIONAL]
        if missing or unknown:
            raise ConfigError(f"languages.yaml: {lang}: missing {missing}, unknown {unknown}")
        table: dict[str, Any] = {"name": str(section.get("name", lang))}
        for kind in CUE_KINDS + WORD_KINDS:
            table[kind] = _phrases(section.get(kind, []), f"{lang}.{kind}")
        if any(" " in w for w in table["request"] + table["stopwords"]):
            raise ConfigError(f"languages.yaml: {lang}: request words and stopwords are single words")
        genres = section["genres"]
        if not isinstance(genres, dict):
            raise ConfigError(f"languages.yaml: {lang}.genres must map genre names to phrases")
        table["genres"] = {}
        for genre, entries in genres.items():
            if genre not in GENRES:
                raise ConfigError(f"languages.yaml: {lang}.genres: unknown genre {genre!r}; "
                                  f"valid genres: {', '.join(GENRES)}")
            for phrase in _phrases(entries, f"{lang}.genres.{genre}"):
                names = table["genres"].setdefault(phrase, ())
                table["genres"][phrase] = names + ((genre,) if genre not in names else ())
        replies = section["replies"]
        if not isinstance(replies, dict) or any(not isinstance(replies.get(k), str) for k in REPLY_KEYS):
            raise ConfigError(f"languages.yaml: {lang}.replies needs {', '.join(REPLY_KEYS)}")
        if "{titles}" not in replies["not_found"]:
            raise ConfigError(f"languages.yaml: {lang}.replies.not_found must contain {{titles}}")
        table["replies"] = {k: str(v) for k, v in replies.items()}
        years = section.get("years", {})
        if not isinstance(years, dict) or any(k not in YEAR_KEYS for k in years):
            raise ConfigError(f"languages.yaml: {lang}.years maps {', '.join(YEAR_KEYS)} to phrases")
        table["years"] = {k: _phrases(v, f"{lang}.years.{k}") for k, v in years.items()}
        out[str(lang)] = table
    _check_conflicts(out)
    return out


def _check_conflicts(tables: dict[str, dict[str, Any]]) -> None:
    """One phrase may not be a like and a dislike cue (in any two languages)."""
    kinds: dict[str, set[str]] = {}
    for lang, table in tables.items():
        for kind in CUE_KINDS:
            for phrase in table[kind]:
                kinds.setdefault(phrase, set()).add(kind)
    positive, negative = {"like", "after_like", "anchor"}, {"dislike", "after_dislike", "end_dislike"}
    for phrase, found in kinds.items():
        if found & positive and found & negative:
            raise ConfigError(f"languages.yaml: {phrase!r} is both {sorted(found)}")
        if len(found - {"negation", "end_dislike"}) > 1:
            raise ConfigError(f"languages.yaml: {phrase!r} is a cue of several kinds: {sorted(found)}")


@functools.lru_cache(maxsize=1)
def load_languages() -> dict[str, dict[str, Any]]:
    """The validated table of the packaged ``languages.yaml`` (read once)."""
    text = resources.files("tastebud.nlu").joinpath("languages.yaml").read_text(encoding="utf-8")
    return validate(yaml.safe_load(text))


def languages() -> tuple[str, ...]:
    """Language codes of the table, in file order."""
    return tuple(load_languages())


@functools.lru_cache(maxsize=None)
def cue_phrases(kind: str) -> tuple[str, ...]:
    """Folded phrases of one cue kind (see :data:`CUE_KINDS`) over all languages."""
    if kind not in CUE_KINDS:
        raise ValueError(f"unknown cue kind {kind!r}; valid: {', '.join(CUE_KINDS)}")
    out: dict[str, None] = {}
    for table in load_languages().values():
        out.update(dict.fromkeys(table[kind]))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def title_cues() -> tuple[str, ...]:
    """Folded like / dislike / seen phrases of all languages: a title is expected after them."""
    return tuple(dict.fromkeys(p for kind in ("like", "dislike", "seen") for p in cue_phrases(kind)))


@functools.lru_cache(maxsize=1)
def cue_kinds() -> dict[str, str]:
    """Folded cue phrase → its kind, over all languages (a negation word that is also an
    ``end_dislike`` phrase maps to ``end_dislike``)."""
    out: dict[str, str] = {}
    for kind in CUE_KINDS:
        for phrase in cue_phrases(kind):
            if out.get(phrase) in (None, "negation"):
                out[phrase] = kind
    return out


@functools.lru_cache(maxsize=1)
def genre_phrases() -> dict[str, tuple[str, ...]]:
    """Folded genre word or phrase → MovieLens genre names, over all languages."""
    out: dict[str, tuple[str, ...]] = {}
    for table in load_languages().values():
        for phrase, names in table["genres"].items():
            out[phrase] = out.get(phrase, ()) + tuple(n for n in names if n not in out.get(phrase, ()))
    return out


@functools.lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    """Language code → folded common words (stopwords and request words), for guessing the
    language of a message."""
    return {lang: frozenset(t["stopwords"] + t["request"]) for lang, t in load_languages().items()}


@functools.lru_cache(maxsize=1)
def request_words() -> frozenset[str]:
    """Folded words that make a message a request ("recomiéndame", "empfiehl"), all languages."""
    return frozenset(w for t in load_languages().values() for w in t["request"])


@functools.lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Folded stopwords, request words, contrast words, conjunctions and the words of genre
    phrases of all languages: words of a non-English message that add nothing to a semantic
    search once genres are parsed."""
    words = {w for t in load_languages().values()
             for kind in ("stopwords", "request", "contrast", "conjunctions") for w in t[kind]}
    return frozenset(words | {w for phrase in genre_phrases() for w in phrase.split()})


@functools.lru_cache(maxsize=1)
def year_words() -> dict[str, str]:
    """Folded phrase → English year word (``before``, ``decade``, ``decade_suffix`` …), all
    languages: what :mod:`tastebud.nlu.years` reads in a non-English message."""
    return {phrase: key for t in load_languages().values()
            for key, phrases in t["years"].items() for phrase in phrases}


@functools.lru_cache(maxsize=None)
def clause_words(kind: str) -> frozenset[str]:
    """Folded single words of ``contrast`` ("pero", "aber": a new clause) or ``conjunctions``
    ("y", "und": the end of a clause for end-of-clause cues), all languages."""
    if kind not in ("contrast", "conjunctions"):
        raise ValueError(f"unknown clause word list {kind!r}")
    return frozenset(w for t in load_languages().values() for w in t[kind] if " " not in w)


def reply(lang: str, key: str) -> str | None:
    """The reply ``key`` (see :data:`REPLY_KEYS`) in language ``lang``, or ``None``."""
    table = load_languages().get(lang)
    return table["replies"].get(key) if table else None


def localize(templates: dict[str, str], lang: str) -> dict[str, str]:
    """The offline reply templates with the ones the table has for ``lang`` swapped in.

    Args:
        templates: Templates keyed as in ``prompts/replies.yaml``.
        lang: A language code (``"es"`` …); other codes and ``"en"`` return ``templates``.
    """
    table = load_languages().get(lang)
    if table is None:
        return templates
    return {**templates, **{TEMPLATE_KEYS[k]: v for k, v in table["replies"].items() if k in TEMPLATE_KEYS}}
