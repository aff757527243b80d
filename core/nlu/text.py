"""Text preparation for the turn parser: cleaning, tokens, phrase search and script hints."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .languages import stopwords as foreign_stopwords
from .lexicon import CHAT_SPELLINGS, FILLER_WORDS, FUNCTION_WORDS

__all__ = [
    "Token",
    "clean_text",
    "spell_out",
    "tokenize",
    "ABBREVIATIONS",
    "unstretch",
    "is_foreign_to_all",
    "verb_slip",
    "by_first_letter",
    "slip_in",
    "fold",
    "find_phrases",
    "phrase_key",
    "is_negation",
    "script_hint",
    "SENTENCE_BREAKS",
]

_TOKEN_RE = re.compile(r"[^\W_]+|\n|&|[^\w\s'’]")
_SPACES_RE = re.compile(r"[^\S\n]+")
_ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")
#: Punctuation that ends a sentence (and a clause).
SENTENCE_BREAKS = frozenset(".!?\n")
_DROP_CATEGORIES = frozenset({"Cf", "Cs", "Co", "Cn"})
_NEG_CONTRACTIONS = frozenset(
    "dont didnt doesnt isnt wasnt arent werent cant couldnt wont wouldnt shouldnt havent "
    "hasnt hadnt aint".split())
_NEG_STEMS = frozenset(
    "don didn doesn isn wasn aren weren can couldn won wouldn shouldn haven hasn hadn ain".split())


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a cleaned message.

    Attributes:
        text: The token as written.
        low: Lower case.
        norm: ASCII-folded lower-case letters and digits (``""`` for non-Latin words and
            punctuation); ``&`` becomes ``and`` as in :func:`tastebud.catalog.normalize_title`.
        start: Offset of the first character in the cleaned text.
        end: Offset after the last character.
        word: Letters or digits (or ``&``), as opposed to punctuation and emoji.
        cap: Starts with an upper-case letter or a digit.
        sent_start: First word of a sentence.
    """

    text: str
    low: str
    norm: str
    start: int
    end: int
    word: bool
    cap: bool
    sent_start: bool


def fold(text: str) -> str:
    """ASCII-fold and lower-case, keeping only letters, digits and single spaces."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _NON_ALNUM_RE.sub(" ", text).strip()


def clean_text(text: object, max_chars: int) -> tuple[str, bool]:
    """Make any input safe to parse.

    Non-strings become strings, the text is cut to ``max_chars`` (at a space when one is
    near), normalised to NFC, control characters become spaces, zero-width and other
    format characters are dropped and runs of spaces collapse.

    Returns:
        The cleaned text and whether it was truncated.
    """
    if text is None:
        return "", False
    if not isinstance(text, str):
        text = str(text)
    truncated = len(text) > max_chars
    if truncated:
        cut = text[:max_chars]
        space = cut.rfind(" ", max(0, max_chars - 64))
        text = cut[:space] if space > 0 else cut
    text = _ANSI_RE.sub(" ", text)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not (text.isascii() and text.isprintable()):
        chars = []
        for ch in text:
            cat = unicodedata.category(ch)
            if cat in _DROP_CATEGORIES:
                continue
            chars.append(" " if cat == "Cc" and ch != "\n" else ch)
        text = "".join(chars)
    text = _SPACES_RE.sub(" ", text)
    text = re.sub(r" ?\n[\s]*", "\n", text)
    return text.strip(), truncated


_CHAT_RE = re.compile(r"(?<![\w'’.&-])(" + "|".join(sorted(CHAT_SPELLINGS, key=len, reverse=True)) + r")(?![\w'’&-])")


def spell_out(text: str) -> str:
    """Chat spellings typed in lower case written out ("westerns r fine" → "westerns are fine",
    "nvm" → "never mind"), so that phrases read by patterns over the text see the words; capitals
    are left alone ("U Turn")."""
    return _CHAT_RE.sub(lambda m: CHAT_SPELLINGS[m.group(1)], text)


#: Words before a full stop that does not end the sentence ("Mr. Fenwick", "Dr. Strangelove").
ABBREVIATIONS = frozenset("mr mrs ms dr st jr sr vs mt prof sgt capt lt col gen".split())
_STRETCH_RE = re.compile(r"([^\W\d_])\1{2,}")


@functools.lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    """Words of the lexicon (cues, fillers, function words), to read stretched spellings against."""
    from . import lexicon

    words: set[str] = set(FILLER_WORDS | FUNCTION_WORDS | lexicon.LIKE_VERBS | lexicon.NEGATION_WORDS)
    for name in ("DISLIKE_PHRASES", "AFTER_LIKE_PHRASES", "AFTER_DISLIKE_PHRASES", "SEEN_PHRASES"):
        words.update(w for phrase in getattr(lexicon, name) for w in phrase.split())
    words.update(lexicon.GENRE_PARTS)
    return frozenset(words)


def unstretch(low: str) -> str:
    """Read a stretched word ("loooved", "soooo", "goooood", "hateee") as the word it stretches:
    each run of three or more letters becomes one or two of them, whichever spelling is a known
    word (two when neither is)."""
    if not _STRETCH_RE.search(low) or low in ("iii", "viii", "xiii", "xviii", "xxx"):
        return low  # roman numerals are words as they are: "Part III"
    known = _known_words()
    for repl in (r"\1", r"\1\1"):
        candidate = _STRETCH_RE.sub(repl, low)
        if candidate in known:
            return candidate
    return _STRETCH_RE.sub(r"\1\1", low)


#: wordfreq's Zipf frequency under which a word is a misspelling rather than a word of a language
#: ("awsome" 2.5, "wierd" 2.6, "lovd" 1.6; "hanks" 3.2, "dope" 3.9).
MISSPELT_ZIPF = 2.7


@functools.lru_cache(maxsize=8192)
def is_foreign_to_all(word: str) -> bool:
    """``word`` is a word of no language the lexicon reads (English and :mod:`.languages`), by
    wordfreq's lists: a slip ("lovd", "brilant"), not "anderes"."""
    from wordfreq import zipf_frequency

    from .languages import languages

    return not any(zipf_frequency(word, lang) > MISSPELT_ZIPF for lang in ("en", *languages()))


def by_first_letter(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """``words`` by their first letter, each group sorted (one answer per run): where :func:`slip_in`
    looks, since slips are rarely in the first letter."""
    out: dict[str, list[str]] = {}
    for w in sorted(set(words)):
        out.setdefault(w[0], []).append(w)
    return {letter: tuple(ws) for letter, ws in out.items()}


def slip_in(word: str, index: dict[str, tuple[str, ...]]) -> tuple[str, int] | None:
    """The word of ``index`` (:func:`by_first_letter`) one edit from ``word`` (two from seven letters
    on), with the edits, when ``word`` is a word of no language the lexicon reads; else ``None``."""
    if not is_foreign_to_all(word):
        return None
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    found = process.extractOne(word, index.get(word[0], ()), scorer=OSA.distance,
                               score_cutoff=1 if len(word) < 7 else 2)
    return (found[0], int(found[1])) if found else None


@functools.lru_cache(maxsize=1)
def _cue_verbs() -> dict[str, tuple[str, ...]]:
    """The verbs that say an opinion or a viewing, by first letter."""
    from . import lexicon

    words = set(lexicon.LIKE_VERBS) | {"favorite", "favourite"}
    for name in ("DISLIKE_PHRASES", "SEEN_PHRASES"):
        words.update(p for p in getattr(lexicon, name) if " " not in p)
    return by_first_letter(w for w in words if len(w) >= 4)


@functools.lru_cache(maxsize=8192)
def verb_slip(low: str) -> str:
    """An opinion or viewing verb typed with a slip ("lovd", "hatd", "wacthed", "enjoued"; one edit,
    or two letters of the same length from seven letters on) read as the verb; any other word is returned as it is. Only a word of
    no language counts, and the first letter is taken as typed (slips are rarely there)."""
    if len(low) < 4 or not low.isalpha() or not low.isascii() or low in _known_words():
        return low
    found = slip_in(low, _cue_verbs())
    if found is None or (found[1] == 2 and len(found[0]) != len(low)):
        return low  # two letters swapped or mistyped, never two dropped ("ardmore" is no "adore")
    return found[0]


def tokenize(text: str) -> list[Token]:
    """Split a cleaned message into word, punctuation and emoji tokens.

    Apostrophes split words ("didn't" → ``didn``, ``t``; "Ocean's" → ``Ocean``, ``s``) the
    way :func:`tastebud.catalog.normalize_title` does, and are not tokens themselves.
    """
    tokens: list[Token] = []
    sent_start = True
    for match in _TOKEN_RE.finditer(text):
        raw = match.group()
        if raw == "-" and text[match.start() - 1:match.start()] == " " and text[match.end():match.end() + 1] == " ":
            raw = "—"  # a spaced hyphen is typed for a dash: "Glory - masterpiece"
        word = raw == "&" or raw[0].isalnum()
        low = unstretch(raw.lower())
        low = low if raw[0].isupper() and not sent_start else verb_slip(low)  # a name mid-sentence is no slip
        if low in _NEG_CONTRACTIONS and raw.isalpha():  # "couldnt" reads as "couldn't": stem, then "t"
            stem = len(raw) - 1
            tokens.append(Token(raw[:stem], low[:stem], low[:stem], match.start(), match.start() + stem, True,
                                raw[0].isupper(), sent_start))
            tokens.append(Token(raw[stem:], "t", "t", match.start() + stem, match.end(), True, False, False))
            sent_start = False
            continue
        if raw == "&":
            norm = "and"
        elif word:
            norm = low if low.isascii() else fold(low).replace(" ", "")
        else:
            norm = ""
        tokens.append(Token(raw, low, norm, match.start(), match.end(), word,
                            word and (raw[0].isupper() or raw[0].isdigit()),
                            word and sent_start))
        if word:
            sent_start = False
        elif raw in SENTENCE_BREAKS and not (raw == "." and tokens[-2:-1] and tokens[-2].low in ABBREVIATIONS):
            sent_start = True
    return tokens


def phrase_key(tok: Token) -> str:
    """What phrases are matched against: the ASCII-folded word (accents ignored; a chat spelling
    such as "u" read as "you"), or the lower-case text for punctuation, ``&`` and non-Latin words."""
    if tok.norm and tok.text != "&":
        return CHAT_SPELLINGS.get(tok.norm, tok.norm)  # "did u see" is "did you see"
    return tok.low


def _index(phrases: Iterable[str]) -> dict[str, list[tuple[list[str], str]]]:
    by_first: dict[str, list[tuple[list[str], str]]] = {}
    for phrase in phrases:
        words = phrase.split() if phrase.isascii() else (fold(phrase).split() or phrase.split())
        if words:
            by_first.setdefault(words[0], []).append((words, phrase))
    for options in by_first.values():
        options.sort(key=lambda option: len(option[0]), reverse=True)
    return by_first


_cached_index = functools.lru_cache(maxsize=64)(_index)


def find_phrases(tokens: Sequence[Token], phrases: Iterable[str]) -> list[tuple[int, int, str]]:
    """Find word phrases in the tokens (punctuation between words is not allowed).

    Matching ignores case and accents: phrase words are compared with each token's folded
    form (:func:`phrase_key`), so "película" and "pelicula" are the same word.

    Args:
        tokens: The message's tokens.
        phrases: Phrases written as words separated by single spaces (a tuple or frozenset
            is indexed once and reused).

    Returns:
        ``(first_token, last_token_exclusive, phrase)`` for each non-overlapping match,
        longest phrase first at each position, in text order; ``phrase`` as given.
    """
    by_first = _cached_index(phrases) if isinstance(phrases, (tuple, frozenset)) else _index(phrases)
    # Hyphens are transparent: "sci-fi" matches "sci fi".
    pos = [i for i, t in enumerate(tokens) if t.text != "-"]
    keys = [phrase_key(tokens[i]) for i in pos]
    found: list[tuple[int, int, str]] = []
    k, n = 0, len(pos)
    while k < n:
        hit = None
        for words, phrase in by_first.get(keys[k], ()):
            end = k + len(words)
            if end <= n and all(keys[k + m] == w for m, w in enumerate(words)):
                hit = (pos[k], pos[end - 1] + 1, phrase, len(words))
                break
        if hit:
            found.append(hit[:3])
            k += hit[3]
        else:
            k += 1
    return found


#: Words after "no" that make an assertion, not a negation ("no joke", "no doubt", "no kidding").
_NO_IDIOMS = frozenset("joke lie doubt kidding cap wonder".split())


def is_negation(tokens: Sequence[Token], i: int) -> bool:
    """True when token ``i`` negates: "not", "no", "dont", or the ``t`` of "don't"."""
    low = tokens[i].low
    if low == "no" and i + 1 < len(tokens) and tokens[i + 1].low in _NO_IDIOMS:
        return False  # "no joke, Hot Fuzz is the best": it says something is true
    if low in {"not", "no", "never", "nothing", "without", "none", "nor", "neither"}:
        return True
    if low in _NEG_CONTRACTIONS:
        return True
    return low == "t" and i > 0 and tokens[i - 1].low in _NEG_STEMS


def _script(ch: str) -> str:
    if ch.isascii() or "\u00c0" <= ch <= "\u024f":
        return "latin"
    name = unicodedata.name(ch, "")
    if name.startswith(("CJK", "HIRAGANA", "KATAKANA")):
        return "cjk"
    first = name.split(" ", 1)[0].lower()
    return first or "other"


def script_hint(text: str, tokens: Sequence[Token]) -> tuple[bool, str]:
    """Guess whether the message is English.

    Returns:
        ``(non_english, hint)`` where ``hint`` is ``"en"``, a language code (``es``, ``fr``,
        ``de``, ``it``, ``pt``) from common words, or a script name (``cyrillic``, ``cjk``,
        ``arabic`` …) when most letters are not Latin.
    """
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = _script(ch)
            counts[script] = counts.get(script, 0) + 1
    letters = sum(counts.values())
    if letters and counts.get("latin", 0) * 2 < letters:
        return True, max((s for s in counts if s != "latin"), key=counts.__getitem__)
    words = [phrase_key(t) for t in tokens if t.word]
    english = sum(1 for w in words if w in FUNCTION_WORDS or w in FILLER_WORDS)
    best, best_count = "en", 0
    for lang, vocab in foreign_stopwords().items():
        count = sum(1 for w in words if w in vocab and w not in FUNCTION_WORDS)
        if count > best_count:
            best, best_count = lang, count
    if best_count >= 2 and best_count > english:
        return True, best
    return False, "en"
