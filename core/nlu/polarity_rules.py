"""Rules first, the learned polarity model where the rules say nothing.

The cue rules (:func:`tastebud.nlu.cues.polarity`) read explicit words ("loved X", "X was
boring"); the learned model (:mod:`tastebud.nlu.polarity`, trained on ReDial seekers'
questionnaires) reads the rest ("X was a blast", "X left me cold"). It is asked only about
titles no rule spoke of, once per message, and only a confident answer counts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from .cues import OTHERS, UNSEEN, WEAK, negated_cue, someone_else
from .lexicon import FILLER_WORDS, FUNCTION_WORDS, INTENSIFIERS, LIKE_VERBS
from .text import SENTENCE_BREAKS, Token, find_phrases
from .valence import judgement

__all__ = ["learned", "pronoun_back", "described", "rating", "collective", "MIN_PROBABILITY", "OVERRULE"]

#: The model's answer counts from this probability on (below it the title is only mentioned).
MIN_PROBABILITY = 0.5
#: ... and overrules a reading taken only from a negation's scope from this one on,
OVERRULE = 0.7
_FIELD = {"liked": "liked", "disliked": "disliked"}


def learned(pols: list[set[str]], spans: Sequence[tuple], forgotten: set[int], text: str,
            tokens: Sequence[Token], model: Any) -> None:
    """Fill in, in place, the polarity of spans no rule spoke of, from ``model`` (if any).

    Args:
        pols: Polarity per span (sets of ``liked`` / ``disliked`` / ``seen`` / ``anchor`` / ``explain``).
        spans: ``(first token, last token, mention, indices)`` per span, in text order.
        forgotten: Indices of spans the message takes back (left alone).
        text: The cleaned message.
        tokens: Its tokens.
        model: A :class:`~tastebud.nlu.polarity.PolarityModel`, or ``None`` for rules only.
    """
    # ask about titles no rule judged: unspoken of, or only in a negation's scope; a plain "seen"
    # stays one ("watched X last night", "seen it a million times" give no verdict), and a title
    # someone else judged ("my sister loves X") or one the person has not seen ("haven't seen it, sounds
    # fun") has none of the person's to guess
    # ... nor one a rule judged where the message names it again ("Gremlins, man. Gremlins rules.")
    judged = {getattr(spans[k][2], "item_id", None) for k in range(len(spans))
              if pols[k] & {"liked", "disliked"} and WEAK not in pols[k]} - {None}
    todo = [k for k in range(len(spans)) if (not pols[k] or WEAK in pols[k]) and not pols[k] & {OTHERS, UNSEEN}
            and k not in forgotten and getattr(spans[k][2], "item_id", None) not in judged
            and _says_something(tokens, spans)]
    if model is not None and todo:
        chars = [(tokens[spans[k][0]].start, tokens[spans[k][1]].end) for k in todo]
        for k, (label, prob) in zip(todo, model.classify(text, chars), strict=True):
            bar = MIN_PROBABILITY if not pols[k] else OVERRULE
            if label in _FIELD and prob >= bar:
                pols[k] = {_FIELD[label]}
    for pol in pols:
        if OTHERS in pol and WEAK in pol:  # "my dad hated X": the negation's scope is his, not the person's
            pol -= {"liked", "disliked"}
        pol -= {WEAK, OTHERS, UNSEEN}


def _says_something(tokens: Sequence[Token], spans: Sequence[tuple]) -> bool:
    """The message has words besides its titles and filler: something for the model to read."""
    inside = {i for first, last, *_ in spans for i in range(first, last + 1)}
    return any(t.word and i not in inside and t.low not in FUNCTION_WORDS and t.low not in FILLER_WORDS
               for i, t in enumerate(tokens))


_CONTRASTS = frozenset("but though although however tho yet".split())
_PLAIN = _CONTRASTS | frozenset("find found thought think thinking felt feel honestly tbh imo lol kinda".split())


def _later_judgement(pols: list[set[str]], tokens: Sequence[Token], cues: Sequence, clauses: Sequence[int],
                     end: int) -> bool:
    """An opinion word in a later clause about the one title ("Avatar was pretty but so boring",
    "my husband loves Die Hard but I find it so dumb"): after "but" it has the last word,
    otherwise it only fills a gap. The last comma-part of the title's own clause counts as a
    later clause that only fills a gap ("X kept me guessing till the end, really good").
    Returns whether it decided."""
    later = sorted({clauses[j] for j in range(end + 1, len(tokens))} - {clauses[end]}, reverse=True)
    own = [j for j in range(end + 1, len(tokens)) if clauses[j] == clauses[end]]
    comma = max((j for j in own if tokens[j].text == ","), default=None)
    groups = [[j for j in range(end + 1, len(tokens)) if clauses[j] == clause and tokens[j].word] for clause in later]
    if comma is not None:
        groups.append([j for j in own if j > comma and tokens[j].word])
    phrased = {i: 1 if c.kind == "like" else -1 for c in cues if c.kind in ("like", "dislike") and c.last > c.first
               for i in range(c.first, c.last + 1)}  # "I didn't care for it": the phrase's kind, not "care"
    for members in groups:
        clause = clauses[members[0]] if members else -1
        label = None
        for n, j in enumerate(members):
            word = tokens[j].low
            sign = phrased.get(j) or judgement(word, after_article=n > 0 and tokens[members[n - 1]].low in ("a", "an"))
            if word not in _PLAIN and word not in FUNCTION_WORDS and word not in INTENSIFIERS and not sign:
                break  # "… but the music was great": about something else
            if sign and any(c.kind == "neg" and clauses[c.last] == clause and members[0] <= c.last < j for c in cues):
                sign = -sign
            if sign:
                label = "liked" if sign > 0 else "disliked"
        if label is None:
            continue
        contrast = bool(members) and tokens[members[0]].low in _CONTRASTS
        if contrast or not pols[0]:
            pols[0] = {label}
            return True
        return False
    return False


_PRONOUN_CUES = {"like": "liked", "dislike": "disliked", "seen": "seen"}


def pronoun_back(pols: list[set[str]], spans: Sequence[tuple], tokens: Sequence[Token], cues: Sequence,
                 clauses: Sequence[int]) -> None:
    """One title, then "… it" ("Heat? seen it.", "Up was too sad, didn't enjoy it at all",
    "everyone says X is a masterpiece but I didn't like it"): the cue speaks of that title. In a
    later clause it has the last word (what the person says of it themselves); in the title's
    own clause it only fills a gap. Only for a message with a single title or reference
    (several would make "it" ambiguous).
    """
    _answers(pols, spans, tokens, cues)
    if len(spans) != 1:
        return
    if OTHERS in pols[0] and (label := _me_too(tokens, cues, clauses, spans[0][0], spans[0][1])):
        pols[0] = {label}  # "my wife loved Titanic, I didn't" / "…, so did I"
        return
    seen_only = pols[0] == {"seen"}  # "we watched X last night … loved every second": the verdict counts
    if seen_only:
        pols[0] = set()
    _one_title(pols, spans[0][1], tokens, cues, clauses)
    if seen_only and not pols[0]:
        pols[0] = {"seen"}


#: At most this many words besides the titles in an answer ("Amadeus, easily", "Jaws hands down").
_ANSWER_WORDS = 3


def _answers(pols: list[set[str]], spans: Sequence[tuple], tokens: Sequence[Token], cues: Sequence) -> None:
    """Titles that answer the person's own question about what they love or hate ("favourite movie
    of all time? Amadeus, easily", "the film I hate most? Cats"): the question's cue speaks of them.
    The question names no title itself and the answer is the titles and a few words."""
    for k, (first, *_rest) in enumerate(spans):
        mark = first - 1
        if pols[k] or mark < 0 or tokens[mark].text != "?":
            continue
        start = max((i + 1 for i in range(mark) if tokens[i].text in SENTENCE_BREAKS), default=0)
        stop = next((i for i in range(first, len(tokens)) if tokens[i].text in SENTENCE_BREAKS), len(tokens))
        asked = [c for c in cues if start <= c.first < mark and c.kind in ("like", "dislike")
                 and not negated_cue(c, cues, tokens) and not someone_else(tokens, c)
                 and not any(t.low == "you" for t in tokens[max(start, c.first - 2):c.first])]
        if not asked or any(start <= s[0] < mark for s in spans):
            continue  # no opinion asked of, or the question has a title of its own ("seen Heat? loved it")
        answer = [j for j in range(k, len(spans)) if spans[j][0] < stop]
        inside = {i for j in answer for i in range(spans[j][0], spans[j][1] + 1)}
        others = [t for i, t in enumerate(tokens[first:stop], first) if t.word and i not in inside
                  and t.low not in ("and", "or", "&")]
        if len(others) <= _ANSWER_WORDS and all(not pols[j] for j in answer):
            for j in answer:
                pols[j] = {"liked" if asked[-1].kind == "like" else "disliked"}


def _one_title(pols: list[set[str]], end: int, tokens: Sequence[Token], cues: Sequence,
               clauses: Sequence[int]) -> None:
    if _later_judgement(pols, tokens, cues, clauses, end):
        return
    if not pols[0] and (score := rating(" ".join(t.text for t in tokens[end + 1:]))):  # "X is a 10/10"
        pols[0] = {score}
        return
    if not pols[0] - {OTHERS}:  # "Total Recall? absolute banger": an opinion with no subject of its own
        # (after someone else's: "everyone loves Carol but it did zero for me")
        later = [c for c in cues if c.first > end and clauses[c.first] != clauses[end]
                 and (c.kind in ("after_like", "after_dislike") or (c.kind in ("like", "dislike") and all(
                     t.low in FUNCTION_WORDS or t.low in FILLER_WORDS or t.low in LIKE_VERBS
                     for t in tokens[c.last + 1:] if t.word)))]  # "the princess bride!!! love love love"
        if later:
            pols[0] = {"liked" if later[0].kind in ("after_like", "like") else "disliked"}
            return
        seen = [c for c in cues if c.first > end and clauses[c.first] != clauses[end] and c.kind == "seen"
                and all(t.low in FILLER_WORDS or t.low in FUNCTION_WORDS for t in tokens[c.last + 1:] if t.word)]
        if seen and not negated_cue(seen[0], cues, tokens):
            pols[0] = {"seen"}  # "Drive? already watched": a viewing with no object of its own
            return
    for cue in reversed(cues):
        after = cue.last + 1
        if cue.first <= end or cue.kind not in _PRONOUN_CUES or after >= len(tokens) \
                or tokens[after].low not in ("it", "that", "this", "them"):
            continue
        negated = negated_cue(cue, cues, tokens)
        if negated and cue.kind == "seen":
            return
        label = {"liked": "disliked", "disliked": None}.get(_PRONOUN_CUES[cue.kind]) if negated \
            else _PRONOUN_CUES[cue.kind]
        if label and (not pols[0] or clauses[cue.first] != clauses[end] or WEAK in pols[0]):
            pols[0] = {label}  # "don't suggest Inception, already seen it": seen, no dislike
        return


_ME = frozenset("i me myself personally".split())
_ELLIPSIS = _ME | frozenset("didn did don do wasn was not t nope so much really at all though tho but "
                            "honestly as well too also and".split())


def _me_too(tokens: Sequence[Token], cues: Sequence, clauses: Sequence[int], first: int, end: int) -> str | None:
    """Someone else liked the title and the rest of the message only says whether the person
    did too: "I didn't" / "not me" → disliked, "I did too" / "so did I" → liked."""
    liked = [c for c in cues if c.last < first and clauses[c.last] == clauses[first] and c.kind == "like"]
    rest = [t.low for t in tokens[end + 1:] if t.word]
    if not liked or not rest or not all(w in _ELLIPSIS for w in rest) or not set(rest) & _ME:
        return None
    if set(rest) & {"didn", "don", "not", "wasn", "nope"}:
        return "disliked"
    return "liked" if set(rest) & {"too", "also", "so", "as"} else None


_REQUEST_TURN = frozenset("want wanna need something anything more looking give show recommend suggest "
                          "find like similar but so now please".split())


def described(tokens: Sequence[Token], starts_ends: Sequence[tuple[int, int]], clauses: Sequence[int]) -> set[int]:
    """Tokens that describe a title someone judged ("Groundhog Day never stops being funny",
    "big lebowski is the funniest thing ever"): from the title's end to the next comma, clause
    or request word. Genre words there describe that film; they ask for nothing."""
    out: set[int] = set()
    for start, end in starts_ends:
        for j in range(end + 1, len(tokens)):
            tok = tokens[j]
            if (clauses[j] != clauses[end] or tok.text == ",") and not _more_description(tokens, j):
                break
            if tok.low in _REQUEST_TURN and not (tok.low == "so" and j + 1 < len(tokens) and (
                    judgement(tokens[j + 1].low) or tokens[j + 1].low in INTENSIFIERS)):  # "so cheesy" describes
                break
            out.add(j)
    return out


#: Words that make a later part of the message a wish or a taste of its own, not more description.
_OWN_PART = _REQUEST_TURN | LIKE_VERBS | frozenset(
    "no not nothing none never without avoid skip only just except hate hated prefer fan i we my "
    "recs rec recommendations tonight".split())


def _more_description(tokens: Sequence[Token], j: int) -> bool:
    """The part of the message from ``j`` to the next comma or sentence end only goes on
    describing the film judged before it ("Signs was dumb. aliens that are allergic to water?",
    "Taken was so generic, every action movie ever"): it asks for nothing and speaks of no taste."""
    k = start = j + 1 if tokens[j].text in ",.!?;" else j
    while k < len(tokens) and tokens[k].text not in ",.!?;":
        k += 1
    part = tokens[start:k]
    return bool(part) and not any(t.low in _OWN_PART for t in part) and not find_phrases(part, _foreign_own_part())


@functools.lru_cache(maxsize=1)
def _foreign_own_part() -> tuple[str, ...]:
    """The same in the other languages the lexicon reads: their negation phrases and request words
    ("keine", "pas de", "consigliami")."""
    from . import languages

    return tuple(sorted(set(languages.cue_phrases("negation")) | set(languages.request_words())))


_RATING_RE = re.compile(r"\b(\d{1,2}(?:\.\d)?)\s*(?:/|out of)\s*(10|5)\b|\b([0-5](?:\.5)?)\s*stars?\b")


def rating(text: str) -> str | None:
    """A score someone gives ("a 10/10", "2 out of 5", "4 stars"): ``liked`` from 70 % of the
    scale on, ``disliked`` up to 40 %, else ``None``."""
    match = _RATING_RE.search(text.lower())
    if match is None:
        return None
    value, scale = (float(match.group(1)), float(match.group(2))) if match.group(1) else (float(match.group(3)), 5.0)
    share = value / scale
    return "liked" if 0.7 <= share <= 1.0 else "disliked" if share <= 0.4 else None


_GROUP = frozenset("that those these they them both all stuff kind sort".split())


def collective(pols: list[set[str]], spans: Sequence[tuple], tokens: Sequence[Token], cues: Sequence) -> None:
    """"Pulp Fiction, Goodfellas, The Departed... that kind of stuff is my jam": an opinion about
    "those" after several titles is about each of them that has no verdict yet."""
    if len(spans) < 2:
        return
    end = max(s[1] for s in spans)
    label = _group_verdict(tokens, cues, end)
    if label:  # "seen the first and the third, loved them both": a verdict says "seen" already
        for pol in pols:
            if not pol - {"seen"}:
                pol.clear()
                pol.add(label)
        return
    for cue in cues:
        if cue.first <= end or cue.kind not in ("after_like", "after_dislike"):
            continue
        lead = [t.low for t in tokens[end + 1:cue.first] if t.word]
        if lead and len(lead) <= 5 and set(lead) & _GROUP:
            label = "liked" if cue.kind == "after_like" else "disliked"
            for pol in pols:
                if not pol:
                    pol.add(label)
            return


_GROUP_OBJECTS = frozenset("them both all those these em".split())


def _group_verdict(tokens: Sequence[Token], cues: Sequence, end: int) -> str | None:
    """A verdict on the whole group after the last title: a like / dislike cue whose object is
    "them (both)" ("loved them both"), or "both" / "all" then a judgement ("both excellent")."""
    for cue in cues:
        if cue.first > end and cue.kind in ("like", "dislike") and cue.last + 1 < len(tokens) \
                and tokens[cue.last + 1].low in _GROUP_OBJECTS:
            return "liked" if cue.kind == "like" else "disliked"
    words = [t.low for t in tokens[end + 1:] if t.word]
    for k, word in enumerate(words[:-1]):
        if word in ("both", "all"):
            if sign := judgement(words[k + 1]):
                return "liked" if sign > 0 else "disliked"
            if score := rating(" ".join(t.text for t in tokens[end + 1:])):
                return score  # "both 10/10 for me"
    return None
