"""Typo-tolerant title lookups for :class:`~tastebud.nlu.titles.TitleLinker` (rapidfuzz).

Two tiers: a typo (OSA edit distance scaled by length: "the matirx", "jurasic prak") links;
a resemblance of the whole title ("Harry Potter and the Goblet of Marmalade") is only a
guess, scored below :data:`~tastebud.nlu.titles.CONFIDENT`, to be asked about.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from ..catalog import normalize_title
from .languages import genre_phrases
from .lexicon import FILLER_WORDS, FUNCTION_WORDS, GENRE_WORDS, SMALL_TITLE_WORDS
from .mention import TitleMention
from .spans import SUBJECT_FOLLOWERS, Cand, fuzzy_spans
from .text import Token

__all__ = ["FuzzyTitles", "WEAK_RATIO", "overview_words"]

#: Whole-title similarity (0-100) from which a phrase "resembles" a title.
WEAK_RATIO = 78


def overview_words(overview: str) -> set[str]:
    """The distinct lower-case words of an overview (document frequencies count these)."""
    return set(re.findall(r"[a-z]+", overview.lower())) if overview else set()


def _undoubled(text: str) -> str:
    return re.sub(r"(.)\1+", r"\1", text)


class FuzzyTitles:
    """Mixin: needs ``_keys``, ``_alias``, ``_all_keys``, ``_by_len``, ``_pop``, ``_weak``,
    ``_common``, ``_vocab``, ``_owners``, ``_pick`` and ``_mention`` from the linker."""

    def _partial_words(self, df: Counter[str]) -> dict[str, list[int]]:
        """One-word nicknames of longer titles: "Shawshank", "Lebowski", "Totoro".

        A word qualifies when it is in exactly one title (of two or more words), has five or
        more letters, is not an everyday word, and no other item's overview uses it, so it
        names that film and nothing else; the film needs some popularity (10 or more).
        """
        owners: dict[str, set[str]] = {}
        for key in self._keys:
            for word in set(key.split()):
                owners.setdefault(word, set()).add(key)
        out: dict[str, list[int]] = {}
        for word, keys in owners.items():
            if (len(keys) != 1 or len(word) < 5 or not word.isalpha() or word in self._common
                    or word in self._weak or word in self._keys or word in self._alias):
                continue
            key = next(iter(keys))
            rows = self._keys[key]
            if len(key.split()) < 2 or self._pop[rows[0]] < 10:
                continue
            if df[word] - (word in overview_words(self.catalog.items[rows[0]].overview)) == 0:
                out[word] = rows
        return out

    def _resembling(self, key: str, title: str, year: int | None) -> TitleMention | None:
        """A title that resembles a catalog title as a whole but not closely enough to be a typo
        ("Harry Potter and the Goblet of Marmalade"): ``match="weak"``, score below
        :data:`CONFIDENT`, to be asked about, never saved. First word by word (one word of a short
        title changed, "Requiem for a Nightmare", "Dead Poets Club"; two of a long one), then by
        whole-string similarity (rapidfuzz ``ratio``), never by token sets, so one shared word
        ("Express") is not a resemblance."""
        if len(key.split()) < 2 or len(key) < 8:
            return None
        words = self._word_resemblance(key)
        if words is not None:
            rows = self._keys[words[0]]
            return self._mention(self._pick(rows, year), rows, title, 0, len(title or ""), 0.4, "weak")
        hit = process.extractOne(key, self._all_keys, scorer=fuzz.ratio, processor=None, score_cutoff=WEAK_RATIO)
        first, theirs = key.split()[0], hit[0].split()[0] if hit else ""
        if hit is None or fuzz.ratio(first, theirs) < (50 if first[0] == theirs[:1] else 60):
            return None  # the first word kept or mistyped ("gud wil"): "Winterfall Station" is no "Central Station"
        rows = self._keys.get(hit[0]) or self._alias[hit[0]]
        score = round(0.3 + (hit[1] - WEAK_RATIO) / 150.0, 3)
        return self._mention(self._pick(rows, year), rows, title, 0, len(title or ""), score, "weak")


    def word_resemblance(self, phrase: str) -> TitleMention | None:
        """The title a phrase resembles word by word (see :meth:`_word_resemblance`) as a
        ``weak`` mention to ask about, else ``None``."""
        key = normalize_title(phrase or "")
        found = self._word_resemblance(key) if len(key.split()) >= 2 else None
        if found is None:
            return None
        rows = self._keys[found[0]]
        return self._mention(self._pick(rows, None), rows, phrase, 0, len(phrase), 0.45 - 0.05 * found[1], "weak")

    def _word_resemblance(self, key: str) -> tuple[str, int] | None:
        """The catalog title that differs from ``key`` by one changed, added or dropped word (two
        for titles of five words or more) and shares a word that is not an everyday one with it,
        the most popular first. Word-level Levenshtein over word lists (rapidfuzz takes any
        sequence). Returns the title's key and the number of words changed."""
        words = key.split()
        owners = self._word_owners()
        rare = {w for w in words if (len(w) > 2 or w.isdigit()) and w not in self._common and w not in self._weak} | {
            w for w in words if len(w) > 2 and w not in SMALL_TITLE_WORDS and len(words) >= 4}  # "the good the bad and the hungry"
        best: tuple[int, float, str] | None = None
        for cand in {k for w in rare for k in owners.get(w, ())}:
            theirs = cand.split()
            limit = 1 if len(theirs) <= 3 else 2  # "planes trains and shopping carts": one word said as two
            shared = len(set(words) & set(theirs))
            if len(theirs) < 2 or shared < 2 or shared < len(theirs) - limit:
                continue
            if len(theirs) <= 4 and not any(w in rare and not w.isdigit() and w not in self._common
                                            for w in set(words) & set(theirs)) and (
                    len(theirs) < 4 or theirs[0] != words[0] or theirs[0] in FUNCTION_WORDS):
                continue  # "kestrel run 2" is not "Cannonball Run II", nor "i want to sleep" "I Want to Live!"
            dist = Levenshtein.distance(words, theirs)
            # a title is changed in a word that names something (not "that" or "was"), not only
            # lengthened or shortened ("ugh jurassic world" is the title with a word in front)
            ops = Levenshtein.editops(words, theirs) if 0 < dist <= limit else ()
            if ops and (all(op.tag != "replace" for op in ops) or any(op.tag != "insert" and (
                    words[op.src_pos] in FUNCTION_WORDS or words[op.src_pos] in FILLER_WORDS
                    or words[op.src_pos] in SUBJECT_FOLLOWERS or (words[op.src_pos] in GENRE_WORDS and op.tag == "replace"
                                                                  and theirs[op.dest_pos] not in GENRE_WORDS)) for op in ops)):
                continue  # ... nor to a genre's name: "in the mood for horror" asks for horror ("children" for "kids" may be a slip)
            head = next((n for n, w in enumerate(theirs) if w not in SMALL_TITLE_WORDS), 0)
            if any(op.tag == "replace" and op.dest_pos == head for op in ops) and len(
                    (set(words) & set(theirs)) - SMALL_TITLE_WORDS) < 3:
                continue  # a title's first word is what people get right: "Snorkelton Family Reunion" is new
            if len(theirs) == 4 and dist == 2 and not (  # four words: only one of them said as two
                    {op.tag for op in ops} == {"replace", "delete"} and abs(ops[0].src_pos - ops[1].src_pos) == 1):
                continue
            if 0 < dist <= limit and (best is None or (dist, -self._pop[self._keys[cand][0]], cand) < best):
                best = (dist, -self._pop[self._keys[cand][0]], cand)  # the title's key breaks ties: one answer per run
        return (best[2], best[0]) if best else None

    def _word_owners(self) -> dict[str, list[str]]:
        """Word -> the catalog titles (keys) holding it; built on first use."""
        if self._owners is None:
            owners: dict[str, list[str]] = {}
            for key in self._keys:
                for word in set(key.split()):
                    owners.setdefault(word, []).append(key)
            self._owners = owners
        return self._owners

    def _fuzzy(self, key: str) -> tuple[list[int], int, str] | None:
        words = key.split()
        if len(words) >= 2:  # "the hunger game", "reservoir dog": the last word's plural typed otherwise
            last = words[-1][:-1] if words[-1].endswith("s") else words[-1] + "s"
            other = " ".join([*words[:-1], last])
            if other in self._keys:
                return self._keys[other], 1, other
        if len(key) < 5 or all(w in self._weak or w in self._common for w in words):
            return None
        max_dist = 1 if len(key) <= 8 else 2 if len(key) <= 15 else 3
        choices = [k for n in range(len(key) - max_dist, len(key) + max_dist + 1)
                   for k in self._by_len.get(n, ())]
        hits = process.extract(key, choices, scorer=OSA.distance, processor=None,
                               score_cutoff=max_dist, limit=8)
        if not hits:
            return None
        digits = re.findall(r"\d+", key)  # ... and one word keeps its first letter ("zarkon" is no "Darkon")
        hits = [h for h in hits if re.findall(r"\d+", h[0]) == digits and (" " in key or h[0][:1] == key[:1])]
        if not hits:
            return None
        best = min(hits, key=lambda h: (h[1], -self._pop[self._keys[h[0]][0]]))
        dist = int(best[1])
        if dist >= 2 and _undoubled(key) == _undoubled(best[0]):
            dist = 1  # "jurrasic park": letters doubled and undoubled are one slip of spelling, not two
        return self._keys[best[0]], dist, best[0]

    def _word_changed(self, key: str, matched: str) -> bool:
        """A word differs by two or more edits and over a third of its letters ("brian" for
        "ryan", "parrot" for "pearl"), or is itself a real word (one the overviews use) that is more than the title's
        word with a letter doubled or undoubled ("motel" for "hotel", "out" for "off", but
        "forest" for "forrest" is a typo): another word, not a typo."""
        ours, theirs = key.split(), matched.split()
        if len(ours) != len(theirs):
            return False
        return any(a != b and a.rstrip("s") != b.rstrip("s") and (  # "usual suspect": a plural dropped is a typo
            ((d := OSA.distance(a, b)) >= 2 and d / max(len(b), 1) > 0.34)
            or (a in self._vocab and _undoubled(a) != _undoubled(b)))
            for a, b in zip(ours, theirs))

    def _fuzzy_cands(self, tokens: Sequence[Token], words: list[int], covered: set[int],
                     quoted: set[tuple[int, int]], all_caps: bool, cue_ends: set[int] = frozenset()) -> list[Cand]:
        cands = []
        for a, b in fuzzy_spans(tokens, words, covered, quoted, all_caps, cue_ends):
            key = normalize_title(" ".join(tokens[i].norm for i in range(a, b + 1) if tokens[i].norm))
            if not key or key in self._keys or key in self._alias or key in genre_phrases() or key in GENRE_WORDS:
                continue  # a genre's name in any language ("comédias") is no typo of a title ("Comedian")
            found = self._fuzzy(key)
            if found is not None and not self._word_changed(key, found[2]):
                rows, dist, matched = found
                cands.append(Cand(a, b, matched, "fuzzy", rows, evidence=float(dist), edits=dist))
        return cands
