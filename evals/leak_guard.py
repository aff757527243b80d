"""The simulator's leak guard: what a simulated user must never say about its hidden target.

A simulated user leaks when it names its target or describes it with the target's own
words, so that the assistant could find the film by lookup instead of by recommending.
:class:`LeakGuard` fails an utterance containing

* any content token of the target's **title**, and
* any **distinctive** word of the target's own tags / keywords and overview.

Tokens are compared after normalisation (:func:`normalise_tokens`): Unicode accents
stripped, lower case, anything but letters and digits is a separator, and a trailing ``s``
dropped from words longer than three letters ("Aliens" guards "alien"). Stop words
(:data:`STOP_WORDS`, which include "movie" and "film") and tokens shorter than three
characters never count, since they carry no identity ("The", "of", "Up"). A word ending in
``ss`` keeps it ("Glass", "Boss"), so normalising a token again leaves it unchanged.

A tag or overview word is *distinctive* (:class:`CatalogVocabulary`) when it is not a stop
word, not an everyday request word (:data:`CHAT_WORDS`: "looking", "something", "watch",
...), and occurs in at most :data:`DISTINCTIVE_SHARE` of the catalog's items (title,
overview and tags counted once per item). On the 9,742-film catalog that is 97 films:
"cyberpunk" (13 films), "hacker" (18) and "reality" (74) are distinctive for The Matrix;
"dystopia" (136), "fight" (174) and "action" (1,035) are not, so a user may still ask for
"a dystopian action film" but not for "the one with the hacker and virtual reality".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

__all__ = ["STOP_WORDS", "CHAT_WORDS", "DISTINCTIVE_SHARE", "normalise_tokens", "LeakGuard", "CatalogVocabulary"]

#: Words that never identify a title (ignored by the leak guard).
STOP_WORDS = frozenset(
    "the and for with from into onto about over under that this these those what when where who whom why how "
    "are was were has have had not but you your our his her its their they them she him all any one two too "
    "out off yet nor per via than then there here will can may might must shall should would could did does "
    "some more most very just only also le la les el los las der die das une des del movie film".split())
#: Everyday request words: never distinctive in tags or overviews (a title still guards them).
CHAT_WORDS = frozenset(
    "something anything looking look watch watching want wanted really like liked idea ideas recommend "
    "recommendation suggestion suggestions please thanks thank sorry none quite else mood kind sort maybe "
    "tonight night good great fun enjoy enjoyed favourite favorite".split())
#: A tag / overview word is distinctive when at most this share of the catalog's items contain it.
DISTINCTIVE_SHARE = 0.01
_WORD = re.compile(r"[a-z0-9]+")


def normalise_tokens(text: str) -> list[str]:
    """The guard's tokens of ``text``: accents stripped, lower case, a trailing ``s`` (not ``ss``) dropped from
    words longer than three letters; applying it to its own tokens changes nothing."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in _WORD.findall(plain)]


def _content(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(t for t in tokens if len(t) >= 3 and t not in STOP_WORDS)


class LeakGuard:
    """Fails an utterance that contains a content token of the target's title or a guarded word.

    Args:
        title: The hidden target's title.
        words: Further words to guard (the target's distinctive tag / overview words, see
            :meth:`CatalogVocabulary.distinctive`); normalised like utterances.

    Attributes:
        title_tokens: Content tokens of the title.
        words: Guarded tag / overview tokens.
        tokens: Both together: what :meth:`leaks` looks for.
    """

    def __init__(self, title: str, words: Iterable[str] = ()) -> None:
        self.title = title
        self.title_tokens = _content(normalise_tokens(title))
        self.words = _content(t for w in words for t in normalise_tokens(w))
        self.tokens = self.title_tokens | self.words

    @property
    def guarded(self) -> bool:
        """Whether the title has at least one content token to guard."""
        return bool(self.title_tokens)

    def leaks(self, utterance: str) -> list[str]:
        """Guarded tokens found in ``utterance`` (empty when it is safe)."""
        return sorted(self.tokens.intersection(normalise_tokens(utterance)))


class CatalogVocabulary:
    """Document frequencies of guard tokens over a catalog, to find an item's distinctive words.

    Args:
        items: The catalog's items (anything with ``title``, ``overview`` and ``tags``).
        max_share: Largest share of items a distinctive word may occur in.
    """

    def __init__(self, items: Iterable, max_share: float = DISTINCTIVE_SHARE) -> None:
        self.doc_freq: Counter[str] = Counter()
        self.n_items = 0
        for item in items:
            self.n_items += 1
            self.doc_freq.update(set(normalise_tokens(self._text(item, title=True))))
        self.max_count = max(1, int(max_share * self.n_items))

    @staticmethod
    def _text(item, *, title: bool) -> str:
        parts = [item.title] if title else []
        return " ".join(parts + [item.overview or "", " ".join(item.tags or ())])

    def distinctive(self, item) -> list[str]:
        """The item's own tag / keyword / overview words that are rare across the catalog, sorted."""
        tokens = _content(normalise_tokens(self._text(item, title=False))) - CHAT_WORDS
        return sorted(t for t in tokens if self.doc_freq.get(t, 0) <= self.max_count)

    def guard(self, item) -> LeakGuard:
        """The full guard of ``item``: its title tokens and its distinctive words."""
        return LeakGuard(item.title, self.distinctive(item))
