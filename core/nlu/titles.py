"""Find catalog titles in free text: exact n-gram lookups first, rapidfuzz for typos.

A span becomes a :class:`TitleMention` when its evidence is strong enough. Evidence adds up:
quotes, capitals, a cue before it ("loved X", "like X", "why X") or after it ("X was great"),
an adjacent year, being listed next to another title ("X and Y"), the number of distinctive
words, and the item's popularity. Everyday words ("heat", "it", "go", "seven") start with a
penalty, so "the heat is on" or "I love it" link nothing while "I loved Heat" does.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from ..catalog import Catalog, normalize_title
from .credits import known_owner
from .evidence import around
from .fuzzy import FuzzyTitles, overview_words
from .series import SERIES_LEAD_RE, SeriesTitles
from .genres import own_genre_words
from .link_context import LinkContext, link_context
from .loosen import FORGET_AFTER_RE, FORGET_ITEM_RE
from .mention import TitleMention
from .names import rare_word
from .lexicon import (
    AFTER_DISLIKE_PHRASES,
    AFTER_LIKE_PHRASES,
    COMMON_WORDS,
    FILLER_WORDS,
    FUNCTION_WORDS,
    GENRE_PARTS,
    INTENSIFIERS,
    LIKE_VERBS,
    ORDINALS,
    POSSESSIVES,
    SMALL_TITLE_WORDS,
    WHEN_WORDS,
)
from .spans import (CUE_BEFORE, SUBJECT_FOLLOWERS, SUBJECT_WORDS, VIEWING, Cand, broken, next_word,
                    odd_subject, opens_sentence, prev_word, said_to_be_a_work, same_as_before,
                    select, slip_after, titled, verdict_subject)
from .text import Token, clean_text, tokenize

__all__ = ["TitleMention", "TitleLinker", "CONFIDENT", "GUESS_EDITS"]

#: A :meth:`TitleLinker.lookup` score below this is a guess: ask, never save.
CONFIDENT = 0.5
#: A typo of this many edits or more is a guess too ("the silense of the lamps", "forest gumpp"):
#: one slip is a typo, two may as well be another title.
GUESS_EDITS = 2

_CUE_BEFORE_PAIRS = frozenset({("similar", "to"), ("fan", "of"), ("me", "about"), ("you", "have"),
                               ("what", "about"), ("how", "about"), ("fans", "of")}
                              | {(d, n) for d in ("the", "that", "this") for n in ("movie", "film")})  # "the movie big"
#: Opinions after a title ("… was great", "… was too slow": the learned model reads which way).
_AFTER_CUES = tuple(p.split() for p in AFTER_LIKE_PHRASES + AFTER_DISLIKE_PHRASES) + (
    ["was", "too"], ["is", "too"], ["was", "way", "too"], ["is", "way", "too"])
#: The same as word tuples and their lengths: looked up, not scanned, for every candidate.
_AFTER_CUE_KEYS = frozenset(tuple(cue) for cue in _AFTER_CUES)
_AFTER_CUE_LENGTHS = tuple(sorted({len(cue) for cue in _AFTER_CUES}))
_AFTER_NOUNS, _ONE_WORK = frozenset("movie movies film films ones flicks stuff fans".split()), frozenset("movie film flick".split())
_DETERMINERS = frozenset("the that this".split())
_STRONG = 2.5  # evidence of a one-word exact match that fuzzy spans may not override
#: Words that are the object of "loved" / "seen" as themselves ("seen it", "loved her").
_OBJECTS = frozenset("it that this these those them him her me you us one all everything something anything "
                     "nothing both either some any".split())
_OBSCURE = 5  # ratings below which a one-word title is rarely what a lower-case word means
_RARE_TITLE_ZIPF = 3.5  # wordfreq's Zipf scale: "interstellar" 3.3, "titanic" 3.6, "rocky" 4.2
_YEAR_RE = re.compile(r"^(18[89]\d|19\d\d|20[0-3]\d)$")
_GLUE_RE = re.compile(r"(\w) s\b")  # "sorcerers stone", "schindlers list": a possessive without its apostrophe
_RATED_RE = re.compile(r"\s*[:—–-]?\s*(?:a\s+)?\d{1,2}(?:\.\d)?\s*(?:/|out of)\s*(?:10|5)\b")
_ARTICLE_WORDS = frozenset({"the", "a", "an"})
_PREPOSITIONS = frozenset("in on at of for about from into".split())
_ROMAN = {"ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9"}


class TitleLinker(FuzzyTitles, SeriesTitles):
    """Links title mentions in messages to items of a catalog.

    Builds its index once: a dictionary from normalised title (and "title before the
    subtitle") to items ordered by popularity, the set of key prefixes, and the list of keys
    searched with rapidfuzz for typos.

    Args:
        catalog: The catalog to link against.
        common_df: Words found in the overviews of at least this many items count as
            everyday words, in addition to the built-in list.
    """

    def __init__(self, catalog: Catalog, *, common_df: int = 20) -> None:
        self.catalog = catalog
        self.genres: list[str] = catalog.genres()
        years = [item.year for item in catalog if item.year]
        self.max_year: int | None = max(years) if years else None
        self._pop = [float(item.popularity or 0.0) for item in catalog]
        rare_word("the")  # load wordfreq's English list with the linker, not in the first turn
        keys, alias = {}, {}  # normalised title / other names (before a subtitle, a.k.a.) -> catalog rows
        df: Counter[str] = Counter()
        for row, item in enumerate(catalog):
            key = normalize_title(item.title)
            if key:
                keys.setdefault(key, []).append(row)
            parts = re.split(r":| - ", item.title)
            subtitles = [p for p in parts[1:] if len(p.split()) >= 3]  # "The Fellowship of the Ring"
            head, _, rest = parts[0].partition(" and the ")  # "Harry Potter and the Prisoner of Azkaban"
            subtitles += [rest] if len(head.split()) >= 2 and len(rest.split()) >= 2 else []
            aka = [a for a in (item.extra.get("aka") or "").split(" | ") if a]  # original / a.k.a. titles
            aka += re.split(r",? or:? ", item.title)[:1] if re.search(r"(?:, or|\bor:) ", item.title) else []  # "Dr. Strangelove"
            for alt in parts[:1] + subtitles + re.findall(r"\(([^)]+)\)", item.title) + aka:
                akey = normalize_title(alt.removeprefix("a.k.a. "))
                if akey and akey != key:
                    alias.setdefault(akey, []).append(row)
            df.update(overview_words(item.overview))
        for key in list(keys):
            words = key.split()
            digits = " ".join(_ROMAN.get(w, w) for w in words)
            for alt in {digits, re.sub(r"\bpart (\d+)$", r"\1", digits)} - {key}:  # "godfather 2" for "Part II":
                keys.setdefault(alt, []).extend(keys[key])  # the same title, its number spelt otherwise
        glued = {g: rows for k, rows in (*keys.items(), *alias.items()) if (g := _GLUE_RE.sub(r"\1s", k)) != k}
        alias.update((g, alias.get(g, []) + rows) for g, rows in glued.items())  # looked up, never searched for typos
        prefix_count = Counter(" ".join(k.split()[:2]) for k in keys if len(k.split()) >= 3)
        for key, rows in keys.items():
            head = " ".join(key.split()[:2])
            if len(key.split()) >= 3 and prefix_count[head] >= 3 and not set(head.split()) & CUE_BEFORE and any(
                    w not in COMMON_WORDS and w not in FUNCTION_WORDS for w in head.split()):  # not "my favorite"
                alias.setdefault(head, []).extend(rows)
        pop = self._pop

        def rank(exact: set[int]):
            return lambda r: pop[r] * (1.0 if r in exact else 1 / 3)

        self._keys = {}
        for key, rows in keys.items():
            exact = set(rows)
            self._keys[key] = sorted(exact | set(alias.get(key, ())), key=rank(exact), reverse=True)
        self._alias = {k: sorted(set(rows), key=pop.__getitem__, reverse=True)
                       for k, rows in alias.items() if k not in keys}
        self._prefixes: set[str] = set()
        for key in (*self._keys, *self._alias):
            words = key.split()
            for n in range(1, len(words) + 1):
                self._prefixes.add(" ".join(words[:n]))
        self._max_words = min(14, max((len(k.split()) for k in self._prefixes), default=1) + 1)
        self._by_len: dict[int, list[str]] = {}
        for key in self._keys:
            self._by_len.setdefault(len(key), []).append(key)
        self._common = frozenset(w for w, c in df.items() if c >= common_df) | COMMON_WORDS
        self._weak = FUNCTION_WORDS | FILLER_WORDS | frozenset(ORDINALS) | GENRE_PARTS | own_genre_words(catalog.vocabulary)
        self._partial = self._partial_words(df)
        self._all_keys = [*self._keys, *(k for k in self._alias if k not in glued)]  # what typos are searched in
        self._owners: dict[str, list[str]] | None = None
        self._vocab = frozenset(w for w, c in df.items() if c >= 2) | self._common | self._weak  # real words

    # ------------------------------------------------------------------ public API
    def link(self, text: str) -> list[TitleMention]:
        """Find the titles mentioned in a message (cleaned here), in text order."""
        clean, _ = clean_text(text, 20_000)
        return self.link_tokens(clean, tokenize(clean))

    def lookup(self, title: str, year: int | None = None) -> TitleMention | None:
        """Resolve a string that is meant to be a title (e.g. a tool argument).

        Tries the exact normalised title, then the title before its subtitle, then a
        typo-tolerant search. Same-title items resolve to ``year`` when given, else to the
        most popular.
        """
        key = normalize_title(title or "")
        if not key:
            return None
        rows, match, dist = self._keys.get(key), "exact", 0
        if rows is None and key in self._alias:
            rows, match = self._alias[key], "alias"
        if rows is None and key in self._partial:
            rows, match = self._partial[key], "partial"
        if rows is None:
            found = self._fuzzy(key)
            if found is not None and self._word_changed(key, found[2]):
                return self._mention(self._pick(found[0], year), found[0], title, 0, len(title or ""), 0.4, "weak")
            if found is not None:
                (rows, dist, _), match = found, "fuzzy"
        if rows is None:
            return self._resembling(key, title, year)
        row = self._pick(rows, year)
        score = 1.0 if match == "exact" else 0.6 if match == "partial" else 0.65 if dist < GUESS_EDITS else 0.4
        return self._mention(row, rows, title, 0, len(title or ""), score, match, dist)

    # ------------------------------------------------------------------ linking
    def link_tokens(self, text: str, tokens: Sequence[Token]) -> list[TitleMention]:
        """Link titles in an already cleaned and tokenised message."""
        words = [i for i, t in enumerate(tokens) if t.word]
        if not words:
            return []
        ctx = link_context(text, tokens, words)
        quoted, whole, all_caps, cue_ends = ctx.quoted, ctx.whole, ctx.all_caps, ctx.cue_ends
        cands = self._exact(tokens, words)
        for cand in cands:
            self._score(cand, tokens, ctx)
        chosen = select(cands, tokens)
        # a weak one-word exact match ("Toy" in "Toy Stroy") or a title's first words ("Back to" in
        # "Back to teh Future") must not hide a longer typo span
        covered = {i for c in chosen if c.match == "exact" and (c.end_tok > c.first or c.evidence >= _STRONG)
                   and not slip_after(tokens, c, self._vocab) for i in range(c.first, c.end_tok + 1)}
        fuzzy = self._fuzzy_cands(tokens, words, covered, quoted | {whole} if whole else quoted,
                                  all_caps, cue_ends)
        for cand in fuzzy:
            self._score(cand, tokens, ctx)
        chosen = select(cands + fuzzy, tokens)
        out = []
        for cand in sorted(chosen, key=lambda c: c.first):
            lead = tokens[cand.first - 1] if cand.first and tokens[cand.first - 1].low in _ARTICLE_WORDS else None
            row = self._pick(cand.rows, cand.year, lead or tokens[cand.first])
            start, end = tokens[cand.first].start, tokens[cand.end_tok].end
            if cand.end_tok + 1 < len(tokens) and tokens[cand.end_tok + 1].text == ")":
                end = tokens[cand.end_tok + 1].end
            score = round(min(1.0, cand.evidence / 5.0), 3)
            out.append(self._mention(row, cand.rows, text[start:end], start, end, score, cand.match, cand.edits))
        return out

    def _mention(self, row: int, rows: list[int], span: str, start: int, end: int,
                 score: float, match: str, edits: int = 0) -> TitleMention:
        item = self.catalog.items[row]
        others = [self.catalog.items[r].item_id for r in rows if r != row][:5]
        return TitleMention(item.item_id, item.title, item.year, span, score, others, start, end,
                            None, match, edits)

    def _pick(self, rows: list[int], year: int | None, first: Token | None = None) -> int:
        items = self.catalog.items
        if year is not None:
            for tolerance in (0, 1):
                for row in rows:
                    if items[row].year is not None and abs(items[row].year - year) <= tolerance:
                        return row
        if first is not None and first.low in _ARTICLE_WORDS:  # "The Room" (2003), not Room (2015)
            for row in rows:
                if items[row].title.lower().startswith(first.low + " "):
                    return row
        return rows[0]

    def _exact(self, tokens: Sequence[Token], words: list[int]) -> list[Cand]:
        cands = []
        for k, first in enumerate(words):
            if not tokens[first].norm:
                continue
            parts: list[str] = []
            for n in range(self._max_words):
                if k + n >= len(words):
                    break
                cur = words[k + n]
                if n and (not tokens[cur].norm or broken(tokens, words[k + n - 1], cur)):
                    break
                parts.append(tokens[cur].norm)
                key = normalize_title(" ".join(parts))
                if n and key not in self._prefixes:
                    break
                if key in self._keys:
                    cands.append(Cand(first, cur, key, "exact", self._keys[key]))
                elif key in self._alias:
                    cands.append(Cand(first, cur, key, "alias", self._alias[key]))
                elif not n and key in self._partial:
                    cands.append(Cand(first, cur, key, "partial", self._partial[key]))
        return cands

    def _strength(self, key: str, exact: bool = False) -> float:
        parts = [w for w in key.split() if len(w) > 1 or w.isdigit()] or key.split()
        if len(key) <= 2 or all(w in self._weak or w.isdigit() for w in parts):
            return -1.5
        if len(parts) == 1:  # a whole title English hardly uses but as this name ("memento", "interstellar")
            return 0.0 if parts[0] in self._common else 2.0 if exact and rare_word(parts[0], _RARE_TITLE_ZIPF) else 1.0
        if all(w in COMMON_WORDS or w in self._weak for w in parts):
            return 0.5 if len(parts) == 2 else 1.0
        return 2.0

    def _score(self, cand: Cand, tokens: Sequence[Token], ctx: LinkContext) -> None:
        all_caps, no_case, quoted, whole, cue_ends, plain, low_text = (
            ctx.all_caps, ctx.no_case, ctx.quoted, ctx.whole, ctx.cue_ends, ctx.plain, ctx.low_text)
        ev = self._strength(cand.key, cand.match == "exact")
        cand.end_tok = cand.last
        after = next_word(tokens, cand.last, skip=",")
        if after is not None and after == cand.last + 2 and tokens[cand.last + 1].text == "," \
                and tokens[after].low in _ARTICLE_WORDS:  # "Matrix, The" (not "Heat, The Matrix")
            then = next_word(tokens, after, skip="(")
            if then is None or then > after + 2 or _YEAR_RE.match(tokens[then].text):
                cand.end_tok = after
        year_at = next_word(tokens, cand.end_tok, skip="(,")
        if year_at is not None and _YEAR_RE.match(tokens[year_at].text):
            year = int(tokens[year_at].text)
            if any(self.catalog.items[r].year and abs(self.catalog.items[r].year - year) <= 1
                   for r in cand.rows):
                cand.year, cand.end_tok = year, year_at
                ev += 2.0
                exact = any(self.catalog.items[r].year == year for r in cand.rows)
                if exact and year_at == cand.last + 2 and tokens[cand.last + 1].text == "(":
                    ev += 1.5  # "Saw (2004)": the catalog's own way of writing a title
        before = cand.first - 1  # "the 2016 Ghostbusters", "the 1998 Psycho remake": which version
        if cand.year is None and before >= 0 and _YEAR_RE.match(tokens[before].text) and any(
                self.catalog.items[r].year == int(tokens[before].text) for r in cand.rows):
            cand.year = int(tokens[before].text)
            ev += 2.0
        span = [tokens[i] for i in range(cand.first, cand.last + 1) if tokens[i].word]
        sig = [t for t in span if t.low not in SMALL_TITLE_WORDS and len(t.text) > 1] or span
        if not all_caps and all(t.cap for t in sig) and (len(sig) > 1 or not span[0].sent_start):
            ev += 1.0
        elif no_case and len(sig) > 1:
            ev += 0.5
        if whole and ev >= 0 and cand.first == whole[0] and whole[1] in (cand.last, cand.end_tok):
            ev += 1.5
        if (cand.first, cand.last) in quoted or (cand.first, cand.end_tok) in quoted:
            ev += 3.0
        nxt = cand.end_tok + 1
        verb_on = [t.low for t in tokens[nxt:nxt + 3] if t.word]
        if opens_sentence(tokens, cand.first) and nxt < len(tokens) and odd_subject(span, tokens[nxt].low, verb_on):
            ev += 3.0  # "her is beautiful", "cars is the weakest": no pronoun or plural says "is", a title does
        elif opens_sentence(tokens, cand.first) and nxt < len(tokens) and tokens[nxt].text in ("?", ":", "—", "–", ".", "!") \
                and ev >= 0 and not cand.first + 1 < cand.last:
            ev += 1.5  # "heat? overlong and boring": a sentence that is only a title
        if opens_sentence(tokens, cand.first) and nxt < len(tokens) and tokens[nxt].low in SUBJECT_FOLLOWERS and (
                span[0].cap or (plain and (ev >= 1 or (ev >= 0.5 and len(sig) > 1)))) and (
                self._strength(cand.key) >= 0 or (span[0].cap and span[0].low not in SUBJECT_WORDS)) or (
                plain and cand.match == "exact" and verdict_subject(span, tokens, nxt, cand.first, titled(span, cand, self.catalog))):
            # the subject of an opinion: "Heat — masterpiece", "Her was weird" ("her" is never a subject),
            # or judged right after it ("get out was sooo good"), but never "It was amazing"
            ev += 1.5
        if opens_sentence(tokens, cand.first) and span[0].low not in SUBJECT_WORDS | WHEN_WORDS \
                and span[0].low not in ORDINALS and said_to_be_a_work(tokens, nxt, self.catalog.domain):
            ev += 3.0  # "heat is probably my favorite crime movie": the sentence says its subject is a film
        cued = False
        if same_as_before(tokens, cand.first, cand.end_tok) and span[0].low not in _OBJECTS:
            ev += 2.0  # "… and Interstellar too", "same with Prisoners": another title in a verdict
        prev = prev_word(tokens, cand.first)
        if prev is not None and tokens[prev].low in ("both", "all"):  # "watched both Alien and Aliens"
            prev = prev_word(tokens, prev)
        if prev is not None and tokens[prev].low in ("what", "s", "is", "was") and nxt < len(tokens) \
                and (tokens[nxt].low == "about" or (tokens[nxt].low == "like" and (
                    nxt + 1 == len(tokens) or not tokens[nxt + 1].word))) and (
                span[0].low not in _OBJECTS or (span[0].cap and not span[0].sent_start)):  # "what's Her about?"
            ev += 3.0  # "what's Moon about?", "what is Seven like?"
        owner = prev_word(tokens, prev) if prev is not None and tokens[prev].low == "s" else None
        if owner is not None and low_text[tokens[prev].start - 1:tokens[prev].start] in ("'", "’") \
                and span[0].low not in _OBJECTS and known_owner(tokens[owner]):
            ev += 1.5  # "hitchcock's psycho", "Pixar's Up": a known name's work (not "my dad's", "Tobbleworth's")
        if prev is not None:
            prev2 = prev_word(tokens, prev)
            cued = (tokens[prev].low in CUE_BEFORE or prev in cue_ends or (
                prev2 is not None and (tokens[prev2].low, tokens[prev].low) in _CUE_BEFORE_PAIRS)) and not (
                prev2 is not None and tokens[prev2].low in POSSESSIVES and tokens[prev].low in LIKE_VERBS)  # "my love life"
            if cued and len(sig) == 1 and span[0].low in FUNCTION_WORDS and span[0].low not in _OBJECTS:
                ev += 1.0  # "seen up already": "up" is no object of "seen", so it names something
            if cued and not (len(sig) == 1 and span[0].low in WHEN_WORDS and tokens[prev].low in VIEWING
                             and not span[0].cap):
                ev += 2.0  # but "watched once", "seen it again": how often, not what
        after = [t.low for t in tokens[cand.end_tok + 1:cand.end_tok + 10] if t.word and t.low not in INTENSIFIERS]
        if (any(len(after) >= n and tuple(after[:n]) in _AFTER_CUE_KEYS for n in _AFTER_CUE_LENGTHS)
                or ctx.cue_starts & {nxt, nxt + 1}) and not (  # "Das Boot habe ich schon gesehen"
                prev is not None and tokens[prev].low in _PREPOSITIONS and not span[0].cap and not cued):
            ev += 1.5  # the subject of an opinion, not a preposition's object ("documentaries in general just …")
        elif cued and after and after[0] in WHEN_WORDS and tokens[prev].low in VIEWING \
                and span[0].low not in _OBJECTS:
            ev += 1.0  # "saw get out last week", "watched up again": a viewing and when
        elif after and after[0] in ("by", "starring", "with") and (opens_sentence(tokens, cand.first) or cued) \
                and span[0].low not in _OBJECTS:
            ev += 1.5  # "zodiac by fincher kept me hooked", "enjoyed big with tom hanks": a work and who made it
            if any(tuple(after[k:k + n]) in _AFTER_CUE_KEYS for k in range(2, 5) for n in _AFTER_CUE_LENGTHS):
                ev += 1.5  # "Big with Tom Hanks is great": the opinion after the name is the work's
        start = tokens[cand.first].start
        extra, named = around(tokens, cand.first, cand.end_tok, prev, after, low_text)  # "her, the … one"
        ev += extra
        if _RATED_RE.match(low_text, tokens[cand.end_tok].end) and span[0].low not in _OBJECTS:
            ev += 3.0  # "Seven: 10/10": a score given to it
        if (FORGET_AFTER_RE.match(" ".join(after)) or FORGET_ITEM_RE.search(low_text[max(0, start - 60):start])) \
                and span[0].low not in _OBJECTS:  # "forget what i said about avatar"
            ev += 2.5  # "take speed off my likes": what leaves a list of the profile is an item of it
        if after and after[0] in _AFTER_NOUNS and SERIES_LEAD_RE.search(" ".join(  # only then read the words before
                t.low for t in tokens[max(0, cand.first - 3):cand.first + (span[0].low == "the")] if t.word) + " "):
            ev += 1.5  # "both kill bill movies", "all three godfather films": a series named by its title
        elif after and after[0] in _ONE_WORK and self._strength(cand.key) > 0 and (
                span[0].low in _ARTICLE_WORDS or (prev is not None and tokens[prev].low in _DETERMINERS)):
            ev += 0.5  # "the last airbender movie was awful": one work named by its title
        elif after and after[0] in _AFTER_NOUNS or (cand.first and tokens[cand.first - 1].text == "#"):
            ev -= 2.0  # "action movies"; "#3" is a place in a list
        if cand.match == "alias":  # a sequel's number typed after the title ("Home Alone 2") is no slip: it names it
            ev -= 0.5 - (1.0 if len(span) > 1 and span[-1].low.isdigit() and not _YEAR_RE.match(span[-1].text) else 0.0)
        elif cand.match == "partial":  # a nickname: needs a cue, capitals or an all-lower-case chat
            ev -= 1.5 if span[0].cap or no_case else 2.5
        elif cand.match == "fuzzy":
            ev -= 0.75 * cand.evidence  # evidence holds the edit distance until scored
        if len(span) == 1 and span[0].low in _OBJECTS and cand.year is None and not named \
                and (cand.first, cand.last) not in quoted and not (
                span[0].cap and not span[0].sent_start) and not (nxt < len(tokens) and odd_subject(span, tokens[nxt].low, verb_on)):
            ev -= 3.0  # "seen it, not a fan": a pronoun, unless written as a name ("loved It", "her is …")
        pop = max(self._pop[r] for r in cand.rows)
        if pop < _OBSCURE and len(span) == 1 and not span[0].cap and not cued \
                and (cand.first, cand.last) not in quoted:
            ev -= 1.0  # "keanu is the man": a name in lower case is more likely someone than a film hardly anyone rated
        cand.evidence = ev + min(1.0, math.log10(pop + 1.0) / 2.0)
