"""Loosening ("any year is fine", "forget the genre", "horror is fine after all") and the scope
of a turn's genres and years (a refinement of this request, or a lasting taste).

Both read the lower-cased message with titles blanked out, so "Any Given Sunday" never
loosens anything. Loosening phrases are consumed (their characters blanked) before genres and
years are read, so "older films are fine" lifts a limit instead of setting one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Loosening", "find_loosening", "is_refinement", "adds_genres", "FORGET_ITEM_RE", "FORGET_PRONOUN_RE", "FORGET_AFTER_RE",
           "FORGET_BEFORE_RE"]

_FINE = r"(?:fine|ok|okay|alright|all right|good|cool|allowed|welcome)"
_OK_WITH = r"\b(?:i'?m|i am|we'?re|we are)\s+(?:also\s+|totally\s+|perfectly\s+|actually\s+)?(?:fine|ok|okay|good|cool|happy)\s+with\s+"
_DECADE = r"(?:(?:the\s+)?(?:early\s+|mid\s+|late\s+)?(?:'?\d0s|\d{2}00s|1\d\d0s|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))"
_ANY_YEAR = (r"\b(?:any|whatever|every|all)\s+(?:year|years|decade|decades|era|eras|release date|date)s?\b"
             r"|\b(?:year|years|decade|era|date|release date|age)(?:\s+(?:thing|bit|part|limit|filter|stuff))?"
             r"\s+(?:doesn'?t|does not|don'?t|do not|won'?t)\s+(?:really\s+)?matter\b"
             r"|\b(?:doesn'?t|does not|don'?t|do not)\s+(?:really\s+)?(?:matter|care)\s+(?:about\s+)?(?:what|which|the)\s+"
             r"(?:year|decade|era|date)s?\b"  # "doesn't matter what year"
             r"|\b(?:drop|forget|remove|ignore|lift|clear|scrap|scratch|lose|skip|get\s+rid\s+of)\s+(?:about\s+)?"
             r"(?:the|that|my|those|these|any)?\s*(?:year|date|decade|era|time)s?"
             r"(?:\s+(?:limit|filter|restriction|range|thing|bit|part|constraint|cutoff|cut\s+off|cap)s?)?\b"
             r"|\bno\s+(?:more\s+)?(?:year|date|decade)\s+(?:limit|filter|restriction|range|cutoff|cap)s?\b"
             # (not "widen it up to 2000", "expand it to 1970": a bound moved, which the number says)
             r"|\b(?:widen|broaden|expand|open|extend)\s+(?:it|that|this|the\s+range|the\s+years?)(?:\s+up)?\b"
             r"(?!\s+(?:up\s+)?(?:to|until|till|through|back\s+to|as\s+far\s+as)\s+(?:the\s+)?(?:1[89]|20|'?\d0s))"
             r"|\b(?:drop|forget|remove|ignore|lose|scrap|scratch|skip)\s+(?:about\s+)?" + _DECADE +
             r"(?:\s+(?:part|bit|thing|limit|filter))?\b"
             r"|\b(?:don'?t|do not)\s+care\s+(?:about\s+(?:the\s+)?(?:year|date|decade|era)s?|when\s+(?:it|they)\s+(?:was|were|came)"
             r"|how\s+(?:old|new|recent)\s+(?:it|they)\s+(?:is|are))"
             # "let's not limit it to those years anymore", "stop restricting the dates"
             r"|\b(?:not|don'?t|do not|stop|no longer)\s+(?:limit|restrict)(?:ing)?\s+(?:it\s+|things\s+|us\s+|me\s+)?"
             r"(?:to\s+)?(?:those|these|the|that|any)\s+(?:years?|decades?|dates?|eras?)\b")
_INCLUDE = r"\b(?:include|allow|add|also|open\s+it\s+up\s+to|throw\s+in)\s+(?:some\s+)?"
_NOT_ONLY = r"\bno\s+need\s+to\s+(?:stick|keep|limit\s+it|stay)\s+(?:to|with)\s+(?:the\s+)?"
_OLD = r"(?:older|old|classic|classics|vintage|black and white)"
_NEW = r"(?:newer|new|recent|modern)"
_FILMS = r"(?:\s+(?:ones|films|movies|stuff|titles|picks|releases))?"
_KIND = r"(?:\s+(?!is\b|are\b)[a-z][a-z\-]*)?"  # "older sci-fi is ok too": what kind, then "is fine"
#: Older films allowed again (the lower bound goes): "I don't mind older films", "include some classics",
#: "no need to stick to new stuff".
_DROP_THE = r"\b(?:drop|forget|ignore|scrap|scratch|never\s+mind)\s+(?:about\s+)?(?:the\s+|that\s+|those\s+)?"
_OLDER_OK = (rf"(?:\b(?:don'?t|do not)\s+mind\s+|{_OK_WITH}|{_INCLUDE}){_OLD}\b|{_NOT_ONLY}{_NEW}\b"
             rf"|{_DROP_THE}{_NEW}{_FILMS}\b"
             rf"|\b(?:can|could|may|might)\s+(?:also\s+)?be\s+older(?:\s+than\s+(?:the\s+)?\S+)?"
             rf"|\b{_OLD}{_KIND}{_FILMS}(?:\s+(?:is|are)|['’]s)\s+(?:also\s+|totally\s+|perfectly\s+|just\s+)?{_FINE}"
             rf"|\b{_OLD}{_FILMS}\s+(?:works?|can work)\s+(?:too|as well|also|for me)\b"
             rf"|\b(?:doesn'?t|does not|don'?t|do not|needn'?t)\s+(?:have|need)\s+to\s+be\s+(?:that\s+|so\s+|very\s+|super\s+)?{_NEW}\b")
#: Newer films allowed again (the upper bound goes).
_NEWER_OK = (rf"(?:\b(?:don'?t|do not)\s+mind\s+|{_OK_WITH}|{_INCLUDE}){_NEW}\b|{_NOT_ONLY}{_OLD}\b"
             rf"|{_DROP_THE}{_OLD}{_FILMS}\b"  # "drop the old movies thing": what was asked for goes
             rf"|\b(?:can|could|may|might)\s+(?:also\s+)?be\s+newer(?:\s+than\s+(?:the\s+)?\S+)?"
             rf"|\b{_NEW}{_KIND}{_FILMS}(?:\s+(?:is|are)|['’]s)\s+(?:also\s+|totally\s+|perfectly\s+|just\s+)?{_FINE}"
             rf"|\b{_NEW}{_FILMS}\s+(?:works?|can work)\s+(?:too|as well|also|for me)\b"
             rf"|\b(?:doesn'?t|does not|don'?t|do not|needn'?t)\s+(?:have|need)\s+to\s+be\s+(?:that\s+|so\s+|very\s+|super\s+)?{_OLD}\b")
_ANY_GENRE = (r"\b(?:any|whatever|every)\s+genres?\b"
              r"|\bgenres?\s+(?:doesn'?t|does not|don'?t|do not)\s+matter\b"
              r"|\b(?:drop|forget|remove|ignore|lift|clear|scrap|scratch|skip)\s+(?:about\s+)?(?:the|that|my|those|these|any)?\s*"
              r"genres?(?:\s+(?:limit|filter|restriction|thing|bit|part)s?)?\b"
              r"|\bno\s+genre\s+(?:limit|filter|restriction)s?\b")
_ANYTHING = (r"\banything\s+goes\b|\banything\s+(?:is|'s)\s+" + _FINE + r"\b"
             r"|\b(?:no|without|drop|remove|clear|forget|lift|ignore)\s+(?:all\s+)?(?:the\s+|my\s+|those\s+|any\s+)?"
             r"(?:filters|limits|restrictions|constraints)\b|\bsurprise me\b|\bi'?m\s+open\s+to\s+anything\b")
#: "<genre> is fine (after all)", "I don't mind <genre>", "I don't hate <genre> (anymore)",
#: "I'm ok with <genre>": the genre words sit in group ``g``.
_GENRE_OK = (rf"(?P<a>\b(?:don'?t|do not)\s+(?:mind|hate|dislike)\s+(?:some\s+|a\s+bit\s+of\s+|a\s+little\s+)?)(?P<g>[a-z][a-z \-]{{1,30}}?)"
             rf"(?=\s*(?:$|[.,!?;]|\s+(?:anymore|any more|after all|actually|either|too|really|though|tho)\b))"
             rf"|\b(?<!just )(?<!only )(?<!any )(?!just |only |any |but )(?P<g2>[a-z](?:(?!\bbut\b)[a-z \-]){{1,30}}?)(?:\s+(?:is|are)|['’]s)\s+"
             rf"(?:also\s+|totally\s+|perfectly\s+|actually\s+)?{_FINE}(?:\s+(?:too|after all|actually|as well|now))?\b"
             # "would be fine" accepts; "would be cool" wishes (a request, read as wanted)
             rf"|\b(?<!just )(?<!only )(?!just |only )(?P<g7>[a-z][a-z \-]{{1,30}}?)\s+would\s+be\s+(?:also\s+|totally\s+|perfectly\s+)?"
             rf"(?:fine|ok|okay|alright|all right|allowed)(?:\s+(?:too|after all|actually|as well|now))?\b"
             rf"|\b(?<!just )(?<!only )(?!just |only )(?P<g6>[a-z][a-z \-]{{1,30}}?)\s+(?:works?|can work)\s+(?:too|as well|also|for me)\b"
             rf"|\b(?:i'?m|i am)\s+(?:ok|okay|fine|good)\s+with\s+(?P<g3>[a-z][a-z \-]{{1,30}}?)(?=\s*(?:$|[.,!?;]|\s+(?:too|now|after all)))"
             # "lose the comedy", "drop the horror part": the genre is no longer asked for
             rf"|\b(?:lose|drop|remove|ditch|scrap|scratch|forget|take\s+back|never\s*mind)\s+(?:about\s+)?(?:the\s+)?(?P<g4>[a-z][a-z \-]{{1,30}}?)"
             rf"(?:\s+(?:part|bit|thing|filter))?(?=\s*(?:$|[.,!?;]|\s+(?:just|only|please|then)\b))"
             # "doesn't have to be a comedy anymore": no longer asked for
             rf"|\b(?:doesn'?t|does not|don'?t|do not|needn'?t)\s+(?:have|need)\s+to\s+be\s+(?:a\s+|an\s+)?(?P<g5>[a-z][a-z \-]{{1,30}}?)"
             rf"(?=\s*(?:$|[.,!?;]|\s+(?:anymore|any more|after all|either|though|tho|then)\b))"
             # "musicals are back on the table": allowed again
             rf"|\b(?<!just )(?<!only )(?P<g8>[a-z][a-z \-]{{1,30}}?)(?:\s+(?:is|are)|['’]s)\s+back\s+on(?:\s+the\s+(?:table|menu|list))?\b"
             # "no need for action anymore": no longer asked for
             rf"|\b(?:no\s+need\s+for|(?:i\s+)?(?:don'?t|do\s+not)\s+need)\s+(?:the\s+|any\s+|more\s+)?(?P<g9>[a-z][a-z \-]{{1,30}}?)"
             rf"(?=\s*(?:$|[.,!?;]|\s+(?:anymore|any more|now|then|after all)\b))")
#: Words before a title that take it back: "forget what I said about X", "remove X from my likes",
#: "I haven't actually seen X".
FORGET_ITEM_RE = re.compile(
    r"\b(?:forget|ignore|scratch|remove|delete|drop|take back|never mind|nevermind|disregard|strike|undo)\s+"
    r"(?:(?:that\s+|what\s+i\s+said\s+)?about\s+|(?:what|everything)\s+i\s+(?:said|told you)\s+(?:about|on)\s+|about\s+|the\s+part\s+about\s+|the\s+"
    r"|(?:that\s+)?i\s+(?:ever\s+)?(?:said|told you|mentioned)\s+(?:anything|something|that|this|it)\s+(?:about|on)\s+"
    r"|(?:that\s+)?i\s+(?:mentioned|said|named|brought\s+up)\s+)?$"
    r"|(?:\bi(?:'?ve|\s+have)?\s+(?:actually\s+|really\s+)?|^\s*|[,.;!?]\s*|\bno\s+)"  # "wait no, never actually seen X"
    r"(?:haven'?t|have not|havent|never|didn'?t|did not)\s+(?:actually\s+|really\s+|even\s+)?"
    r"(?:seen|watched|saw|see|watch)\s+$")
#: After a title: "take X off my list", "get X out of my likes".
FORGET_AFTER_RE = re.compile(r"^\s*(?:off|out\s+of|from)\s+(?:my|the)\s+(?:(?:liked|disliked|seen|watched|fav(?:ou?rite)?s?)\s+"
                             r"(?:list|movies|films|titles)|list|likes|profile|favou?rites|watched|seen|dislikes)")
#: Before such a title.
FORGET_BEFORE_RE = re.compile(r"\b(?:take|get|remove|delete|drop|strike|cross)\s+$")
#: "…, remove it" / "scratch that": takes back the one title of the message.
FORGET_PRONOUN_RE = re.compile(r"\b(?:forget|ignore|scratch|remove|delete|drop|take back|disregard|strike)\s+"
                               r"(?:it|that|that one|this|this one|(?:that\s+)?i\s+(?:said|mentioned)\s+(?:it|that|this)"
                               r"|what\s+i\s+(?:just\s+)?said)\b")  # "X wasn't that bad, forget I said that"
#: Marks of a lasting taste: the person speaks about themselves.
_TASTE = re.compile(r"\b(?:i|we)(?:'m| am| are)?\s+(?:just\s+|really\s+|absolutely\s+|totally\s+|generally\s+|usually\s+)?"
                    r"(?:love|like|adore|enjoy|hate|dislike|prefer|can'?t stand|(?:don'?t|do not|never|always) watch|"
                    r"(?:a\s+)?(?:huge|big)?\s*fan)\b|\bmy\s+(?:thing|jam|favou?rite|fav)\b|\balways\b|\bnever\b|"
                    r"\bin general\b|\bas a rule\b|\bi(?:'m| am) (?:into|not into)\b")
#: Marks of a request for now: "something", "make it", "can you find", "I need".
_REQUEST = re.compile(r"\b(?:something|anything|make it|show me|give me|find me|get me|recommend|suggest|"
                      r"can (?:you|u)|could (?:you|u)|i (?:want|need|wanna)|i'd like|looking for|got any)\b")
#: Marks of a refinement of the current request: comparatives and "for now" words.
_REFINEMENT = re.compile(
    r"\b(?:tonight|this\s+(?:time|evening|weekend|afternoon|morning)|right\s+now|for\s+now|today|at\s+the\s+moment|"
    r"for\s+a\s+change|instead|this\s+round|for\s+this\s+(?:one|search|request|list|chat|conversation|session)|"
    r"(?:just\s+)?this\s+once|for\s+the\s+(?:moment|time\s+being)|temporarily|just\s+for|more\s+like\s+(?:that|this|those|these|it)|"
    r"(?:funn|scar|dark|light|short|long|happ|sadd|weird|creep|spook|cheer|quiet|slow|fast)ier|"
    r"rn|tonite|stasera|esta\s+noche|heute\s+abend|ce\s+soir|hoje\s+(?:a|à)\s+noite|this\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week)|"
    r"(?:older|newer|more\s+recent)(?!\s+than)|less\s+\w+|in\s+the\s+mood\s+for|(?:date|movie|film|game|family|halloween|christmas|friday|saturday|sunday|girls|guys|"
    r"lazy|pizza|cozy|rainy)\s+night|"
    r"more\s+(?:action|romance|comedy|horror|drama|fun|suspense|scares|laughs))\b")


@dataclass
class Loosening:
    """Limits a message lifts.

    Attributes:
        years: Year bounds to lift (``year_from``, ``year_to``).
        all_genres: Lift every wanted genre.
        genre_text: ``(genre phrase span, whole phrase span)`` of phrases saying a genre is fine
            now ("horror" in "horror is fine"); the caller keeps those that name a genre.
        spans: Character spans consumed by the other loosening phrases.
    """

    years: set[str] = field(default_factory=set)
    all_genres: bool = False
    genre_text: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.years or self.all_genres or self.genre_text)


def find_loosening(low: str) -> Loosening:
    """Read what a lower-cased message (titles blanked) lifts."""
    out = Loosening()
    for pattern, years, genres in ((_ANYTHING, {"year_from", "year_to"}, True),
                                   (_ANY_YEAR, {"year_from", "year_to"}, False), (_OLDER_OK, {"year_from"}, False),
                                   (_NEWER_OK, {"year_to"}, False), (_ANY_GENRE, set(), True)):
        for match in re.finditer(pattern, low):
            out.years |= years
            out.all_genres |= genres
            out.spans.append(match.span())
    for match in re.finditer(_GENRE_OK, low):
        group = next(g for g in ("g", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9") if match.group(g) is not None)
        a, b = match.span(group)
        if not any(s <= a and b <= e for s, e in out.spans):  # "older sci-fi is ok too": the years' kind, not a genre lifted
            out.genre_text.append(((a, b), match.span()))
    return out


def is_refinement(low: str) -> bool:
    """Whether the message refines the current request (its genres and years hold for this
    conversation only) rather than stating a lasting taste.

    A statement about the person ("I love horror", "my thing", "always", "never") is lasting;
    otherwise a comparative, a "for now" word or a request ("something…", "make it…", "can
    you find…") is a refinement.
    """
    if _TASTE.search(low):
        return False
    return bool(_REFINEMENT.search(low) or _REQUEST.search(low))


#: Words that add to the current request instead of replacing it ("sci-fi too", "add crime to the mix").
_ADDING = re.compile(r"\b(?:also|add|adding|plus|as well|to the mix|on top|in addition|along with)\b"
                     r"|\btoo\s*(?:$|[.!?,;)])"
                     r"|\bwith\s+(?:some|more|a\s+(?:bit|touch|dash|hint|little)(?:\s+of)?)\b"  # "with some romance"
                     r"|\b(?:these|those|them|the\s+same)\b[^.!?]*\bbut\b")  # "these but funnier": the list, changed


def adds_genres(low: str) -> bool:
    """Whether the message's genres join the current request's ("make them sci-fi too") rather than
    replace them ("now a comedy")."""
    return bool(_ADDING.search(low))
