"""Genre words of a message: wanted or unwanted, and the ones that only describe something.

Split from :mod:`tastebud.nlu.parse`, which calls :func:`read_genres` once per turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..vocabulary import GenreVocabulary, genre_key
from . import languages
from .lexicon import (
    COMMON_WORDS,
    COPULAS,
    FILLER_WORDS,
    FUNCTION_WORDS,
    GENRE_WORDS,
    INTENSIFIERS,
    OLD_WORDS,
    RECENT_WORDS,
    SPACE_SCIFI_AFTER,
    SPACE_SCIFI_BEFORE,
)
from .text import Token, find_phrases

if TYPE_CHECKING:
    from .titles import TitleLinker

__all__ = ["catalog_genre", "genre_phrases", "genre_words", "own_genre_words", "read_genres", "allowed_genre_tokens",
           "of_an_era"]

#: Words that set a year limit unless the catalog has a genre of that name ("classics").
_YEAR_WORDS = frozenset(w for phrase in OLD_WORDS + RECENT_WORDS for w in phrase.split())
_POSSESSIVES = frozenset("my our his her their your mom's dad's".split())
_FIGURATIVE = frozenset("such total pure complete utter absolute being".split())
#: Words between a genre and what is said of it ("documentaries in general just aren't for me").
_BETWEEN = frozenset("in general always usually generally mostly ever movie movies film films flicks stuff".split())
_ADJECTIVE_ENDS = ("y", "ing", "ic", "ous", "ful", "ed")
_ACTIONS = frozenset("went are were is was have had love loved like liked want wanted get got fell".split())
_PEOPLE = frozenset("kids children family".split())  # genre words that also name people
_REQUESTED = frozenset("something anything nothing one movie film movies films that which it".split())


#: What a genre word may be said of as a figure of speech ("my life is a comedy", "work was pure drama").
_GENRE_HEADS = frozenset("fan fans lover lovers buff buffs nut movie movies film films flick flicks".split())
#: Nouns a genre word may qualify that are not films ("fantasy football", "a crime scene").
_OTHER_HEADS = frozenset("football league team scene scenes zone club class classes figure figures novel novels "
                         "queen king writer writers section aisle".split())
_SITUATIONS = frozenset("life week day days year job work office family school house home relationship dinner lunch "
                        "breakfast trip holiday vacation party reunion meeting wedding".split())


def _figurative(tokens: Sequence[Token], a: int, b: int, clauses: Sequence[int]) -> bool:
    """A genre word as a figure of speech about the person's life: "such a drama", "so much drama",
    "pure comedy", "drama at work", "a comedy of errors", "my life is basically a horror show"."""
    prev = [t.low for t in tokens[max(0, a - 3):a] if t.word]
    if prev and prev[-1] in ("a", "an"):
        prev = prev[:-1]
    nxt = [t.low for t in tokens[b:b + 2] if t.word]
    if nxt[:1] and nxt[0] in _GENRE_HEADS:
        return False  # "such a horror fan", "pure comedy movies": the genre itself
    if nxt[:1] and nxt[0] in _OTHER_HEADS:
        return True  # "fantasy football", "a crime scene", "a war zone": the word names another thing
    if (tokens[a].low.endswith(_ADJECTIVE_ENDS) or tokens[a].low in _PEOPLE) and nxt[:1] \
            and nxt[0] in _SITUATIONS - {"house", "home"} \
            and nxt[1:2] != ["movie"]:  # ... "family dinner turned into a soap opera": whose dinner
        return True  # "the most dramatic day at work", "a scary week": said of a day, not a film
    if (prev and prev[-1] in _FIGURATIVE) or prev[-2:] == ["so", "much"] or (
            nxt[:1] == ["at"] and nxt[1:2] and nxt[1] in _SITUATIONS | _POSSESSIVES) \
            or nxt == ["of", "errors"]:
        return True
    own = [t.low for i, t in enumerate(tokens[:a]) if clauses[i] == clauses[a] and t.word]
    return (any(w in _POSSESSIVES and n in _SITUATIONS for w, n in zip(own, own[1:]))
            and any(w in COPULAS for w in own)) or _said_of_something(own)


#: Verbs that say what something is like ("my flat looks like a crime scene").
_SAYS_WHAT = COPULAS | frozenset("looks look looked feels feel felt seems seemed turned turns became becomes".split())
#: Subjects that frame a request, not a figure of speech ("tonight's vibe is romance").
_REQUEST_SUBJECTS = frozenset("i we you me something anything tonight vibe vibes mood plan plans night evening "
                              "weekend choice pick idea what which genre genres favourite favorite fave fav "
                              "kind type sort jam go preference taste".split())


#: Words between such a verb and the genre word ("was a real adventure", "looks like a crime scene").
_ON_THE_WAY = INTENSIFIERS | _FIGURATIVE | frozenset("a an the like bit of into".split())


def _said_of_something(own: list[str]) -> bool:
    """The genre word names what a thing of the person's day was or looks like ("getting to work was a
    real adventure", "my flat looks like a crime scene"): its clause's subject is a thing, not a film,
    a request or the person, and a copula or "looks / feels like" joins them with only articles and
    intensifiers between."""
    verb = next((n for n, w in enumerate(own) if w in _SAYS_WHAT), None)
    if not verb or not all(w in _ON_THE_WAY for w in own[verb + 1:]):
        return False  # "Jaws was great, any horror recs?": a wish after a verdict
    subject = own[:verb]
    return not _REQUEST_SUBJECTS & set(subject) and not _GENRE_HEADS & set(subject) and any(
        w not in FUNCTION_WORDS and w not in FILLER_WORDS for w in subject)


def _described_by(tokens: Sequence[Token], a: int, noun: bool = False) -> bool:
    """A genre word that describes someone or something ("JK Simmons is terrifying", "we watched
    Coco with the kids", "the kids went to bed"), not a kind of film asked for ("something that
    is funny", "tonight's vibe is romance", "the vibe tonight is comedy": ``noun``, the genre's own
    name, though it ends as adjectives do) nor "not just docs"."""
    words = [t.low for t in tokens[max(0, a - 3):a] if t.word]
    nxt = next((t.low for t in tokens[a + 1:a + 3] if t.word), "")
    if (words[-1:] == ["the"] or (tokens[a].low in _PEOPLE and tokens[a].sent_start)) and (
            nxt in _ACTIONS or nxt in ("finally", "just", "already")):
        return True  # "the kids went to bed", "kids are finally in bed": the people
    if tokens[a].low in _PEOPLE and words[-1:] == ["the"] and not {"for", *_REQUESTED} & {
            t.low for t in tokens[max(0, a - 6):a]} \
            and nxt not in _GENRE_HEADS | {"s", "stuff", "friendly", "one", "ones"}:
        return True  # "finally got the children to bed": the people, not the kind of film ("for the kids")
    if words[-2:] in (["not", "just"], ["not", "only"]):
        return True
    core = [t.low for t in tokens[max(0, a - 6):a] if t.word and t.low not in INTENSIFIERS][-3:]  # "was so funny"
    if core and core[-1] in COPULAS and tokens[a].low.endswith(_ADJECTIVE_ENDS) and not noun:
        return len(core) < 2 or core[-2] not in _REQUESTED
    if words[-1:] == ["with"]:  # "watched it with kids", but "something with action" asks for it
        return len(words) < 2 or words[-2] not in _REQUESTED
    return words[-2:] in (["with", "the"], ["with", "my"], ["with", "our"])


_REFUSALS = frozenset("skip avoid none no not nothing spare pass".split())
_BACK = frozenset("those them that these it em".split())


def _refused_after(tokens: Sequence[Token], b: int) -> bool:
    """A later part of the message refuses what was just named ("war films are too depressing, skip
    those", "scary films terrify me so none of that please", "dramas make me sad, so avoid them")."""
    words = [t.low for t in tokens[b:] if t.word] + [""]
    for k, (w, nxt) in enumerate(zip(words, words[1:])):
        back = k + 1 if nxt in _BACK else k + 2 if nxt in ("of", "on") and words[k + 2] in _BACK else None
        if w in _REFUSALS and back is not None and words[back + 1] not in ("one", "ones", "movie", "film"):
            return True  # (but "not that one you showed": an item)
    return False


def genre_phrases(linker: TitleLinker) -> dict[str, tuple[str, ...]]:
    """Genre phrases of a message → genre names: other languages' words, the English lexicon
    (MovieLens names), and the catalog's own genre names with their plurals and synonyms ("poetry",
    "young adult", "classics"), which win where they overlap."""
    return _phrases(linker.catalog.vocabulary)


@lru_cache(maxsize=16)
def _phrases(vocabulary: GenreVocabulary) -> dict[str, tuple[str, ...]]:
    own = {phrase: (genre,) for phrase, genre in vocabulary.phrases.items()}
    return {**languages.genre_phrases(), **GENRE_WORDS, **own}


def genre_words(linker: TitleLinker) -> frozenset[str]:
    """Single words that name one of the catalog's genres ("horror", "poetry", "sci", "fi"): a
    request made only of them asks for genres, not for a description."""
    return _words(linker.catalog.vocabulary)


@lru_cache(maxsize=16)
def _words(vocabulary: GenreVocabulary) -> frozenset[str]:
    named = [p for p, names in _phrases(vocabulary).items()
             if any(vocabulary.resolve(n, fuzzy=False) for n in names)]
    parts = {w for p in named if " " in p and p in vocabulary.phrases for w in p.split()}  # "young", "adult"
    return frozenset({p for p in named if " " not in p} | (parts - FILLER_WORDS - FUNCTION_WORDS))


def catalog_genre(linker: TitleLinker, name: str) -> str | None:
    """The catalog's genre a lexicon genre name means ("Sci-Fi" is "Science Fiction" where the
    catalog says so), or ``None`` where the catalog has no such genre."""
    return linker.catalog.vocabulary.resolve(name, fuzzy=False)


def _misspelt(tokens: Sequence[Token], linker: TitleLinker, known: set[int]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Close spellings ("poetyr", "worker placment") of the catalog's genres that the English lexicon does not
    spell out (the lexicon's own genres keep exact words, as the movie catalogs always did)."""
    vocabulary = linker.catalog.vocabulary
    genres = _unspelt(vocabulary)
    if not genres:
        return []
    hits = [(i, i + 1, (genre,)) for i, tok in enumerate(tokens)
            if tok.word and i not in known and tok.norm and tok.norm not in FUNCTION_WORDS
            and tok.norm not in COMMON_WORDS and (genre := vocabulary.fuzzy_word(tok.norm, genres))]
    taken = known | {i for a, b, _ in hits for i in range(a, b)}
    words = [(i, tok.norm) for i, tok in enumerate(tokens) if tok.word and tok.norm]  # "worker placment"
    for size in sorted({len(genre_key(g).split()) for g in genres} - {1}):
        for start in range(len(words) - size + 1):
            run = words[start:start + size]
            first, last = run[0][0], run[-1][0]
            if taken & set(range(first, last + 1)):
                continue
            genre = vocabulary.fuzzy_phrase([w for _, w in run], genres)
            if genre:
                hits.append((first, last + 1, (genre,)))
                taken.update(range(first, last + 1))
    return hits


@lru_cache(maxsize=16)
def _unspelt(vocabulary: GenreVocabulary) -> tuple[str, ...]:
    lexical = {vocabulary.resolve(n, fuzzy=False) for names in GENRE_WORDS.values() for n in names}
    return tuple(g for g in vocabulary.genres if g not in lexical)


@lru_cache(maxsize=16)
def _phrase_list(vocabulary: GenreVocabulary) -> tuple[str, ...]:
    return tuple(_phrases(vocabulary))


def own_genre_words(vocabulary: GenreVocabulary) -> frozenset[str]:
    """Words of the catalog's genres the English lexicon does not spell ("poetry", "young", "adult"):
    weak evidence for a title, as the lexicon's genre words are."""
    unspelt = set(_unspelt(vocabulary))
    return frozenset(w for phrase, genre in vocabulary.phrases.items() if genre in unspelt for w in phrase.split())


def read_genres(out: Any, tokens: Sequence[Token], linker: TitleLinker, cues, clauses,
                scope: set[int], used: set[int], blocked: set[int]) -> set[int]:
    """Set the turn's wanted and unwanted genres (catalog names).

    Returns:
        Tokens of genre words that are also year words ("classics" where the catalog has a
        Classics genre): the caller reads no year limit from them.
    """
    own = languages.genre_phrases()
    words = genre_phrases(linker)
    # An English genre word that is a common word of the message's language is that word
    # (German "war" = "was"), not a genre; the language's own genre phrases still count.
    common = languages.stopwords().get(out.language_hint, frozenset()) if out.non_english else frozenset()
    phrases = _phrase_list(linker.catalog.vocabulary)  # one tuple per catalog: find_phrases indexes it once
    hits = [(a, b, words[p]) for a, b, p in find_phrases(tokens, phrases)  # not inside "war super"
            if not any(c.first <= a and b - 1 <= c.last and c.first < c.last for c in cues)
            and not (p in common and p not in own)]
    if not out.non_english:
        hits += _misspelt(tokens, linker, {i for a, b, _ in hits for i in range(a, b)} | blocked | used)
    for i, tok in enumerate(tokens):
        if tok.low == "space":
            prev = tokens[i - 1].low if i else ""
            nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
            if prev in SPACE_SCIFI_BEFORE or nxt in SPACE_SCIFI_AFTER:
                hits.append((i, i + 1, ("Sci-Fi",)))
    wanted: list[str] = []
    unwanted: list[str] = []
    year_words: set[int] = set()
    for a, b, names in sorted(hits):
        hedged = a and tokens[a - 1].low == "too" and not (a > 1 and tokens[a - 2].low in ("nothing", "no", "not"))
        if blocked & set(range(a, b)) or (a and tokens[a - 1].low in _POSSESSIVES) or hedged or (
                a > 1 and (tokens[a - 2].low, tokens[a - 1].low) == ("as", "a")) or _described_by(
                tokens, a, any(genre_key(tokens[a].low) == genre_key(n) for n in names)) \
                or _figurative(tokens, a, b, clauses):
            continue  # a title's words, "my kids" (someone's), "such a drama at work" (a figure of speech)
        clause = clauses[a]
        before = [c for c in cues if c.last < a and clauses[c.last] == clause
                  and c.kind in ("like", "dislike", "neg")]
        after = [c for c in cues if b <= c.first <= b + 5 and c.kind in ("after_dislike", "dislike")
                 and clauses[c.first] == clause and all(  # "horror is just never my thing"
                     t.low in INTENSIFIERS or t.low in COPULAS or t.low in _BETWEEN for t in tokens[b:c.first])]
        negative = bool(scope & set(range(a, b))) or (before and before[-1].kind == "dislike") or bool(after) \
            or _refused_after(tokens, b)
        # "documentaries bore me"; "nada de terror": the genre phrase "de terror" shares the negation's "de"
        for name in names:
            genre = catalog_genre(linker, name)
            if genre is None:
                continue
            target = unwanted if negative else wanted
            if genre not in target:
                target.append(genre)
            if _YEAR_WORDS & {t.low for t in tokens[a:b]}:
                year_words.update(range(a, b))
        if negative:
            used.update(range(a, b))
    out.unwanted_genres = unwanted
    out.wanted_genres = [g for g in wanted if g not in unwanted]
    if len(out.wanted_genres) < len(wanted):  # "horror but no horror": keep it out, and ask
        out._clarify("contradictory_genres")
    return year_words


def allowed_genre_tokens(tokens: Sequence[Token], linker: Any, loose: Any, used: set[int]) -> set[int]:
    """Genres named inside "X is fine" phrases: recorded in ``loose.allowed`` (genre names), and
    their tokens returned so that they are neither wanted nor avoided."""
    own = linker.catalog.vocabulary.phrases
    words = {p: n for p, n in genre_phrases(linker).items() if p in GENRE_WORDS or p in own}
    blocked: set[int] = set()
    loose.allowed = []
    for (a, b), whole in loose.genre_text:
        inside = [i for i, t in enumerate(tokens) if a <= t.start < b]
        found = [catalog_genre(linker, n) for x, y, phrase in find_phrases([tokens[i] for i in inside], tuple(words))
                 for n in words[phrase]]
        names = list(dict.fromkeys(n for n in found if n is not None))
        if names:
            loose.allowed += [n for n in names if n not in loose.allowed]
            blocked.update(i for i, t in enumerate(tokens) if whole[0] <= t.start < whole[1])
    used.update(blocked)
    return blocked


def of_an_era(catalog: Any, genres: Sequence[str], year_to: int) -> bool:
    """Most of each genre's items in ``catalog`` are from ``year_to`` or before (Film-Noir among films),
    so "classic film noir" asks for the genre, and "classic" adds no year limit of its own."""
    for genre in genres:
        years = [item.year for item in catalog if item.year and genre in item.genres]
        if not years or sum(y <= year_to for y in years) * 2 <= len(years):
            return False
    return bool(genres)
