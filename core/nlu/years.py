"""Year and decade constraints in a message ("from the 90s", "after 2000", "older films").

Rules (all bounds inclusive):

* decades: "90s", "1990s", "nineties" → 1990–1999; "early/mid/late 90s" → 1990–1993 /
  1993–1996 / 1996–1999; several decades ("80s or 90s") → their union 1980–1999; "20s" is
  the 1920s and "00s"/"2000s"/"noughties" the 2000s.
* "after/post/newer than/later than Y" → from Y+1; "since Y", "Y onwards", "from Y on",
  "Y or later" → from Y. A decade point counts as a whole: "after the 80s" → from 1990.
* "before/pre/prior to/older than Y" → to Y−1; "until/up to/through Y", "Y or earlier" → to Y;
  "before the 90s" → to 1989.
* negated: "nothing/not/no … before Y" → from Y; "nothing after Y" → to Y.
* "between Y1 and Y2", "from Y1 to Y2", "Y1-Y2" → Y1–Y2.
* "in/from/of/around Y" or "Y movies" → exactly Y ("from the 90s" is the decade).
* "older", "old", "classic(s)", "oldies", "vintage", "black and white" → to 1979
  (:data:`~tastebud.nlu.lexicon.CLASSIC_YEAR_TO`); negated ("nothing too old") → from 1980.
* "recent", "newer", "latest", "new movies/releases" → from (newest catalog year − 5); negated
  → to (newest − 6).
* several constraints intersect; a decade negated ("no 80s") is ignored; a relative word never
  overrides a number for the same bound ("older, before 1985" → to 1984).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import languages
from .lexicon import CLASSIC_YEAR_TO, DECADE_WORDS, OLD_WORDS, RECENT_SPAN, RECENT_WORDS, YEAR_WORDS
from .text import Token, find_phrases

__all__ = ["YearConstraint", "parse_years", "foreign_year_text", "said_as_year"]

_Y = r"(18[89]\d|19\d\d|20[0-3]\d)"
_DECADE_WORDS = "|".join(sorted(DECADE_WORDS, key=len, reverse=True))
_DEC = (r"(?:the\s+)?(?:(early|mid|late)[\s-]*)?(?:((?:18|19|20)\d0)'?s|'?(\d0)'?s|("
        + _DECADE_WORDS + r"))")
_POINT = rf"(?:(?:the\s+year\s+)?{_Y}(?!'?s)|{_DEC})"  # "before the year 2000"
_NEG_WORDS = r"\b(nothing|nothin|not|no|never|none|without|don't|dont|do not|isn't|t|skip|avoid|exclude)\b"
#: "nothing before Y", "don't want anything made before Y", "no movies released after Y"
_NEG = re.compile(_NEG_WORDS + r"(?:[^.,;!?]{0,20}|[^.,;!?]{0,30}\b(?:anything|any|stuff|movies?|films?)\b"
                  r"(?:\s+(?:made|released|filmed|shot|from|that came out))?\s*)$")
_WORD_END = r"(?![\w'])"

_RANGE_RES = (
    re.compile(rf"\bbetween\s+{_Y}\s+and\s+{_Y}\b"),
    re.compile(rf"\b(?:from\s+)?{_Y}\s*(?:-|–|to|until|till|through)\s*{_Y}\b"),
)
#: "go back as far as 1990", "as far back as 1970", "as old as 1980": the lower bound, inclusive, as "since".
_SINCE = r"since|(?:go(?:ing)?\s+)?back\s+(?:as\s+far\s+as|to)|as\s+far\s+back\s+as|as\s+old\s+as"
_AFTER_RE = re.compile(rf"\b(after|post|newer th[ae]n|later th[ae]n|{_SINCE})\s*-?\s*{_POINT}{_WORD_END}")
_AFTER_SUFFIX_RE = re.compile(
    rf"\b(?:from\s+)?{_Y}\s*(?:or later|and later|(?:and\s+)?onwards?|(?:and\s+)?forwards?|on\b(?!\s+(?!please|pls|only|then|is|are|would|works|too)[a-z])|and after|or after|or newer|and up|\+)")
_BEFORE_RE = re.compile(rf"\b(before|pre|prior to|older th[ae]n|earlier th[ae]n|until|till|up to|through)"
                        rf"\s*-?\s*{_POINT}{_WORD_END}")
_BEFORE_SUFFIX_RE = re.compile(rf"\b{_Y}\s*(?:or earlier|and earlier|or before|and before|or older)")
_DEC_RE = re.compile(rf"\b{_DEC}{_WORD_END}")
_LIFE_EVENT = r"\b(?:born|married|graduated|moved|met|started|retired|grew up)"
_LIFE_EVENT_RE = re.compile(_LIFE_EVENT + r"\s*$")
#: A clause about the person's own life ("I moved to London in 1999", "my son started school in 2015"):
#: a personal subject, and neither a film word nor a wish in it.
_PERSONAL_RE = re.compile(r"\b(?:i|we|my|our|he|she|his|her|they|their)\b")
#: A viewing told ("saw Elf in theaters in 2003"): when the person watched, not what to watch.
_VIEWING_RE = re.compile(r"\b(?:saw|seen|watched|caught|rewatched)\b")
_WISH_RE = re.compile(r"\b(?:want|wanna|need|like|love|prefer|stuff|ones|show|give|only|just|any|from)\b")
#: A question about something else: a wh-word opens the sentence, and no film word is in it.
_OTHER_QUESTION_RE = re.compile(r"\s*(?:who|where|when|which|how|what)\b(?!\s+(?:about|else))")
_FILM_WORD_RE = re.compile(r"\b(?:movies?|films?|flicks?|watch|recommend|suggest|came out|released|made|something|anything|good|best|great|worth)\b")
_EXACT_RE = re.compile(rf"\b(?:in|from|of|around|circa|made in)\s+{_Y}\b|\b{_Y}\s+(?:movies?|films?)\b")
_OLD_RE = re.compile(r"\b(?:" + "|".join(OLD_WORDS) + r")\b(?!\s+th[ae]n)")
_RECENT_RE = re.compile(r"\b(?:" + "|".join(RECENT_WORDS) + r")\b(?!\s+th[ae]n)")
_NOT_OLD_RE = re.compile(r"\b(?:years?|months?)\s+old\b|\bmodern classics?\b"
                         r"|\b(?:gets?|got|getting|grows?|grew|growing)\s+old\b"  # "never gets old": no age
                         r"|(?:\b(?:is|was|s|are|were)|[—–:]|\s-)\s+(?:a\s+|an\s+|both\s+)?(?:\w+\s+)?classics?\b"  # praise
                         r"|\b(?:absolute|total|true|real|instant|cult|timeless|bona fide)\s+classics?\b"
                         r"|\bold(?!\s+(?:movies?|films?|ones|stuff|titles|classics|pictures|flicks|school|"
                         r"fashioned|favou?rites)\b)(?=\s+[a-z])")  # "the old man": not about release years


@dataclass
class YearConstraint:
    """The year range a message asks for.

    Attributes:
        year_from: Earliest year, inclusive, or ``None``.
        year_to: Latest year, inclusive, or ``None``.
        spans: Character spans that expressed the constraint.
        conflict: True when the constraints contradict (``year_from > year_to``).
    """

    year_from: int | None = None
    year_to: int | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    conflict: bool = False


def _decade(mod: str | None, full: str | None, short: str | None, word: str | None) -> tuple[int, int]:
    if full:
        start = int(full)
    elif short is not None:
        two = int(short)
        start = 2000 + two if two <= 10 else 1900 + two
    else:
        start = DECADE_WORDS[word or ""]
    lo, hi = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get(mod or "", (0, 9))
    return start + lo, start + hi


def _point(groups: tuple) -> tuple[int, int]:
    """``(first, last)`` year of a matched point: a year or a decade."""
    year, mod, full, short, word = groups
    if year:
        return int(year), int(year)
    return _decade(mod, full, short, word)


def _negated(low: str, start: int) -> bool:
    return bool(_NEG.search(low[max(0, start - 56):start]))


def parse_years(low: str, max_year: int | None) -> YearConstraint:
    """Read year constraints from lower-case text (titles already blanked out).

    Args:
        low: The lower-cased message with title spans replaced by spaces.
        max_year: Newest year in the catalog (for "recent"); ``None`` disables it.

    Returns:
        The constraint; empty when the message has none.
    """
    froms: list[int] = []
    tos: list[int] = []
    out = YearConstraint()
    text = low

    def take(match: re.Match) -> None:
        nonlocal text
        out.spans.append(match.span())
        text = text[:match.start()] + " " * (match.end() - match.start()) + text[match.end():]

    for regex in _RANGE_RES:
        for m in list(regex.finditer(text)):
            a, b = sorted((int(m.group(1)), int(m.group(2))))
            froms.append(a)
            tos.append(b)
            take(m)
    for m in list(_AFTER_RE.finditer(text)):
        first, last = _point(m.groups()[1:])
        inclusive = re.fullmatch(_SINCE, m.group(1)) is not None
        if _negated(text, m.start()):
            tos.append(last if not inclusive else first - 1)
        else:
            froms.append(first if inclusive else last + 1)
        take(m)
    for m in list(_AFTER_SUFFIX_RE.finditer(text)):
        froms.append(int(m.group(1)))
        take(m)
    for m in list(_BEFORE_RE.finditer(text)):
        first, last = _point(m.groups()[1:])
        inclusive = m.group(1) in ("until", "till", "up to", "through")
        if _negated(text, m.start()):
            froms.append(first if not inclusive else last + 1)
        else:
            tos.append(last if inclusive else first - 1)
        take(m)
    for m in list(_BEFORE_SUFFIX_RE.finditer(text)):
        tos.append(int(m.group(1)))
        take(m)
    decades = []
    for m in list(_DEC_RE.finditer(text)):
        if not _negated(text, m.start()):
            decades.append(_decade(*m.groups()))
        take(m)
    if decades:
        froms.append(min(d[0] for d in decades))
        tos.append(max(d[1] for d in decades))
    for m in list(_EXACT_RE.finditer(text)):
        sentence = re.split(r"[.!?\n]", text[:m.start()])[-1]
        clause = re.split(r"[,;:]", sentence)[-1]
        if _LIFE_EVENT_RE.search(text[max(0, m.start() - 24):m.start()]) or text[:m.start()].endswith("back ") or (
                _VIEWING_RE.search(clause) and not _WISH_RE.search(clause)) or (
                re.search(_LIFE_EVENT, clause) and not _FILM_WORD_RE.search(clause)) or (  # "moved … back in 2015"
                _PERSONAL_RE.search(clause) and not _FILM_WORD_RE.search(clause) and not _WISH_RE.search(clause)) or (
                _OTHER_QUESTION_RE.match(sentence) and not _FILM_WORD_RE.search(sentence)):
            take(m)  # "I was born in 1992", "who won the world cup in 2010?": not about the films
            continue
        year = int(m.group(1) or m.group(2))
        froms.append(year)
        tos.append(year)
        take(m)
    # Relative words ("older", "recent") only where no number set that bound: "older, before 1985" → 1984.
    explicit_from = explicit_to = bool(froms or tos)  # a number said it: "older" / "new" add nothing
    masked = _NOT_OLD_RE.sub(lambda m: " " * len(m.group()), text)
    for m in list(_OLD_RE.finditer(masked)):
        negated = _negated(text, m.start())
        if negated and not explicit_from:
            froms.append(CLASSIC_YEAR_TO + 1)
        elif not negated and not explicit_to:
            tos.append(CLASSIC_YEAR_TO)
        take(m)
    if max_year is not None:
        for m in list(_RECENT_RE.finditer(text)):
            negated = _negated(text, m.start())
            if negated and not explicit_to:
                tos.append(max_year - RECENT_SPAN - 1)
            elif not negated and not explicit_from:
                froms.append(max_year - RECENT_SPAN)
            take(m)
    out.year_from = max(froms) if froms else None
    out.year_to = min(tos) if tos else None
    out.conflict = out.year_from is not None and out.year_to is not None and out.year_from > out.year_to
    return out


def foreign_year_text(tokens: Sequence[Token], skip: set[int]) -> tuple[str, set[int]]:
    """Render a non-English message's year words in English for :func:`parse_years`.

    The phrases come from the ``years`` tables of ``languages.yaml`` ("antes de 1990" →
    "before 1990", "años 80" → "80s", "80er" → "80s", "entre 1990 y 2000" → "between 1990 and
    2000"); other words stay as they are.

    Args:
        tokens: The message's tokens.
        skip: Tokens of titles and references (left out, as titles are blanked for English).

    Returns:
        ``(text, tokens)``: the English rendering and the tokens that were year words.
    """
    words = languages.year_words()
    starts = {a: (b, words[p]) for a, b, p in find_phrases(tokens, tuple(words))}
    parts: list[str] = []
    used: set[int] = set()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if i in skip:
            parts.append("|")
        elif i in starts:
            end, key = starts[i]
            parts.append(key)
            used.update(range(i, end))
            i = end
            continue
        elif tok.word or tok.text in ".,;!?":
            parts.append(tok.low)
        i += 1
    text = re.sub(r"\bdecade\s+(\d0)\b", r"\1s", " ".join(parts))
    suffixes = sorted((p for p, k in words.items() if k == "decade_suffix"), key=len, reverse=True)
    if suffixes:
        text = re.sub(rf"\b(\d0)\s*(?:{'|'.join(suffixes)})\b", r"\1s", text)
    text = re.sub(rf"\bbetween\s+{_Y}\s+\w+\s+{_Y}\b", r"between \1 and \2", text)
    return text, used


#: The words before a year that make it a limit (the lexicon's, and "than", "in", "the year", "back to" …).
_BOUND_BEFORE_RE = re.compile(r"\b(?:" + "|".join(sorted(YEAR_WORDS)) + r"|th[ae]n|in|the year|as far as|back to)\s*-?\s*$",
                              re.IGNORECASE)


def said_as_year(text: str, start: int, end: int) -> bool:
    """The number at ``text[start:end]`` is a year limit, not a title named after a year ("newer than
    2012", "nothing before 1984")."""
    return re.fullmatch(_Y, text[start:end]) is not None and _BOUND_BEFORE_RE.search(text[max(0, start - 20):start]) is not None
