"""Is a word a verdict, and which way: the opinion lexicon first, then VADER's.

The hand lists in :mod:`.lexicon` (``POSITIVE_ADJECTIVES`` / ``NEGATIVE_ADJECTIVES``) hold the
words people use most about a film. Every other word is looked up in VADER's sentiment lexicon
(about 7,500 rated words, the ``vaderSentiment`` package the polarity model already uses), so
"X was breathtaking", "X is a gem" or "X was a mess" read as verdicts without a word list growing
one test at a time. Two limits keep descriptions from reading as verdicts:

* genre words never judge ("X is a romance", "X was pure horror": VADER rates both), nor do
  intensifiers and chat filler ("honestly", "pretty", "lol");
* a negative VADER word judges only as a noun after an article ("X was a disaster"), since
  negative adjectives about a film often describe it instead ("sad", "violent", "tragic").
"""

from __future__ import annotations

import functools

from .lexicon import FILLER_WORDS, GENRE_PARTS, INTENSIFIERS, NEGATIVE_ADJECTIVES, POSITIVE_ADJECTIVES
from .text import by_first_letter, slip_in

__all__ = ["judgement", "vader_analyzer", "VADER_MIN"]

#: VADER valence (its scale runs -4 … +4) from which a word not in the hand lists counts.
VADER_MIN = 1.5
#: Words VADER rates that are not opinions where they stand in a chat ("was like", "is yes").
_NOT_VERDICTS = frozenset("like yes please lol haha hah wow ha thanks thank won".split())


@functools.lru_cache(maxsize=1)
def vader_analyzer():
    """The one VADER analyser of the process (built on first use; it only reads its lexicon), shared
    with the learned polarity model's features."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _vader_lexicon() -> dict[str, float]:
    return vader_analyzer().lexicon


@functools.lru_cache(maxsize=1)
def _hand() -> dict[str, int]:
    return {**{w: 0 for w in GENRE_PARTS | FILLER_WORDS | INTENSIFIERS | _NOT_VERDICTS},
            **{w: 1 for w in POSITIVE_ADJECTIVES}, **{w: -1 for w in NEGATIVE_ADJECTIVES}}


def judgement(word: str, *, after_article: bool = False) -> int:
    """``1`` when ``word`` (lower case) praises, ``-1`` when it pans, ``0`` when it is no verdict.

    A word neither lexicon holds is read as its British spelling's American one ("favourite"),
    its singular ("faves") or, when it is no English word at all, the one lexicon word a slip away
    ("brilant", "amazng").

    Args:
        word: One lower-case word.
        after_article: The word follows "a" / "an" ("was a mess"), where a negative VADER
            word is a verdict noun.
    """
    sign = _judgement(word, after_article)
    if sign or word in _hand() or word in _vader_lexicon() or len(word) < 4:
        return sign
    for other in (word.replace("our", "or"), word[:-1] if word.endswith("s") else ""):
        if other and other != word and (other in _hand() or other in _vader_lexicon()):
            return _judgement(other, after_article)
    slip = _slip(word) if len(word) >= 6 else None
    return _judgement(slip, after_article) if slip else 0


@functools.lru_cache(maxsize=4096)
def _slip(word: str) -> str | None:
    """The lexicon word one edit from ``word`` (two from a word of seven letters or more), when ``word``
    is a word of no language the lexicon reads (wordfreq's lists): "brilant", but not "anderes"."""
    found = slip_in(word, _lexicon_words())
    return found[0] if found else None


@functools.lru_cache(maxsize=1)
def _lexicon_words() -> dict[str, tuple[str, ...]]:
    """The lexicon's words of five letters or more by first letter."""
    return by_first_letter(w for w in {*_hand(), *_vader_lexicon()} if len(w) >= 5 and w.isalpha())


def _judgement(word: str, after_article: bool) -> int:
    hand = _hand()
    if hand.get(word):
        return hand[word]
    if len(word) > 5 and word.endswith("est"):  # a superlative judges as its adjective: "cutest", "funniest"
        for base in (word[:-4] + "y", word[:-2], word[:-3]):
            if base in hand or base in _vader_lexicon():  # ... and a mild word's superlative praises: "finest", "nicest"
                return _judgement(base, after_article) or int(_vader_lexicon().get(base, 0.0) > 0)
    if word in hand:
        return 0
    value = _vader_lexicon().get(word, 0.0)
    if value >= VADER_MIN:
        return 1
    if value <= -VADER_MIN and after_article:
        return -1
    return 0
