"""Turn one user message (plus a little dialogue state) into a structured :class:`TurnParse`."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from . import languages
from .credits import credited, owner_of
from .cues import clause_ids, find_cues, negated_cue, negation_scope, polarity, someone_else
from .genres import allowed_genre_tokens, genre_words, of_an_era, read_genres
from .intent import decide_intent
from .lexicon import (
    CLASSIC_YEAR_TO,
    ANOTHER_PHRASES,
    DETAILS_PHRASES,
    FILLER_WORDS,
    FUNCTION_WORDS,
    GREETING_WORDS,
    PROFILE_PHRASES,
    REQUEST_WORDS,
    RESET_PHRASES,
    THANKS_PHRASES,
    UNDO_PHRASES,
)
from .loosen import (FORGET_AFTER_RE, FORGET_BEFORE_RE, FORGET_ITEM_RE, FORGET_PRONOUN_RE, adds_genres, find_loosening,
                     is_refinement)
from .phrases import title_phrases
from .polarity_rules import collective, described, learned, pronoun_back
from .refs import find_refs
from .spans import first_token, listed, same_as_before
from .text import Token, clean_text, find_phrases, spell_out, phrase_key, script_hint, tokenize
from .series import said_as_series, without_franchise_words
from .titles import GUESS_EDITS, TitleLinker, TitleMention
from .years import foreign_year_text, parse_years, said_as_year

__all__ = ["TurnParse", "parse_turn", "INTENTS", "DEFAULT_MAX_CHARS"]

log = logging.getLogger(__name__)

#: Intents, in the order they win when several apply.
INTENTS = ("reset", "undo", "profile", "explain", "details", "more_like", "another", "recommend",
           "mark_seen", "feedback", "thanks", "greeting", "smalltalk")
#: Only this many characters of a message are parsed; longer input sets ``truncated``.
DEFAULT_MAX_CHARS = 4000
_NO_MORE_BEFORE = frozenset("no any much".split())
_MORE_AFTER = frozenset(
    "please options suggestions ideas movies films ones recommendations of stuff picks titles".split())
_GENRE_PARTS = frozenset("sci fi science fiction rom com noir".split())


#: "what's Heat about?", "what is Memento about": a question about the title itself.
_ABOUT_RE = re.compile(r"\bwhat(?:'s|’s| is| was|s)\b.{1,80}\babout\s*(?:$|[?.!])")
#: "what's Drive like?": a question about what the title is like (not "what's something like Drive").
_WHATS_RE = re.compile(r"\bwhat(?:'s|’s| is| was|s)\s*$")
_LIKE_END_RE = re.compile(r"^\s*(?:\(\d{4}\)\s*)?like\s*(?:$|[?.!])")
_POLARITY_FIELDS = (("liked", "liked"), ("disliked", "disliked"), ("seen", "seen"),
                    ("anchor", "anchors"))


@dataclass
class TurnParse:
    """What one user turn says, for a deterministic dialogue policy.

    Attributes:
        text: The cleaned (and possibly truncated) message.
        intent: One of :data:`INTENTS`. The target of ``explain``/``details`` is ``refs[0]``
            when the turn pointed into the previous list, else ``mentions[0]``.
        mentions: Every linked title and resolved reference, in text order.
        liked: Items the user says they like ("I loved X", "X is my favourite", "👍 the 2nd").
        disliked: Items the user dislikes or wants to avoid ("I hated X", "nothing like X").
        seen: Items the user has seen ("I've seen X", "seen the first two").
        anchors: Positive references to recommend from ("something like X", "more like the
            second one"); a message that is only a title makes it an anchor.
        refs: Indices into the previous recommendations the turn refers to.
        wanted_genres: Genres asked for, in the catalog's vocabulary.
        unwanted_genres: Genres to exclude.
        year_from: Earliest release year, inclusive.
        year_to: Latest release year, inclusive.
        query: Descriptive words left for semantic search ("space adventure with aliens").
        wants_more: The user asked for more / other options.
        needs_clarification: Too vague or ambiguous to act on without asking.
        clarify_reason: ``empty``, ``no_request``, ``vague_request``, ``no_previous_list``,
            ``reference_out_of_range``, ``ambiguous_reference``, ``no_target``,
            ``contradictory_years``, ``contradictory_genres``, ``non_english`` or ``internal_error``.
        truncated: The message was longer than the parsed limit.
        non_english: Most letters are not Latin, or common words of another language dominate.
        language_hint: ``en``, a language code or a script name (``cyrillic``, ``cjk`` …).
        forget: Items the turn takes back ("forget what I said about X", "I haven't seen X").
        phrases: Title-like phrases not linked with confidence, ``{"text", "action"}`` with the
            action the message asks for (``like``, ``dislike``, ``seen`` or ``anchor``); the tools
            say whether the catalog has them or only something like them.
        lift_years: Year bounds the turn lifts ("any year": both; "older ones are fine": ``year_from``).
        lift_genres: The turn lifts every wanted genre ("forget the genre", "anything goes").
        allowed_genres: Genres that are fine now ("horror is fine after all"): no longer avoided.
        refinement: The turn's genres and years refine this request only ("something funnier",
            "for tonight"): they hold for this conversation, not in the lasting profile.
        adds_genres: The turn's genres join those asked for before ("sci-fi too") instead of
            replacing them.
    """

    text: str = ""
    intent: str = "smalltalk"
    mentions: list[TitleMention] = field(default_factory=list)
    liked: list[TitleMention] = field(default_factory=list)
    disliked: list[TitleMention] = field(default_factory=list)
    seen: list[TitleMention] = field(default_factory=list)
    anchors: list[TitleMention] = field(default_factory=list)
    refs: list[int] = field(default_factory=list)
    wanted_genres: list[str] = field(default_factory=list)
    unwanted_genres: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    query: str = ""
    wants_more: bool = False
    needs_clarification: bool = False
    clarify_reason: str | None = None
    truncated: bool = False
    non_english: bool = False
    language_hint: str = "en"
    forget: list[TitleMention] = field(default_factory=list)
    phrases: list[dict] = field(default_factory=list)
    lift_years: list[str] = field(default_factory=list)
    lift_genres: bool = False
    allowed_genres: list[str] = field(default_factory=list)
    refinement: bool = False
    adds_genres: bool = False

    def to_dict(self) -> dict:
        """Plain JSON-able dict."""
        return asdict(self)

    def _clarify(self, reason: str) -> None:
        if not self.needs_clarification:
            self.needs_clarification, self.clarify_reason = True, reason


def parse_turn(text: str, linker: TitleLinker, *, last_recommendations: Sequence[str] | None = None,
               has_profile: bool = False, max_chars: int = DEFAULT_MAX_CHARS, discussed: str | None = None,
               polarity_model: Any = None) -> TurnParse:
    """Parse one user message. Never raises.

    Args:
        text: The message as typed (any string; ``None`` is treated as empty).
        linker: Title linker over the catalog being recommended from.
        last_recommendations: Item ids of the previous answer's list, in order, so that
            "the second one", "seen it" or "why that one?" can be resolved.
        has_profile: The user already has likes or constraints, so "recommend something"
            can be acted on without asking.
        max_chars: Parse at most this many characters (``truncated`` tells).
        discussed: The item the conversation last talked about (explained or described), which
            "it" / "that one" mean when it is newer than the last list.
        polarity_model: A :class:`~tastebud.nlu.polarity.PolarityModel` read when no rule says
            how the message speaks of a title ("X was a blast", "X left me cold").

    Returns:
        The parse; see :class:`TurnParse`.
    """
    last = [str(i) for i in (last_recommendations or [])]
    if discussed and discussed not in last:  # "it" / "that one" / "the last one" is the item just discussed
        last.append(discussed)
    try:
        return _parse(text, linker, last, has_profile, max_chars, discussed, polarity_model)
    except Exception:  # noqa: BLE001 - the policy must always get a parse
        log.exception("turn parse failed")
        clean, truncated = clean_text(text if isinstance(text, str) else "", max_chars)
        out = TurnParse(text=clean, truncated=truncated)
        out._clarify("internal_error")
        return out


def _parse(raw: str, linker: TitleLinker, last: list[str], has_profile: bool,
           max_chars: int, discussed: str | None, model: Any) -> TurnParse:
    text, truncated = clean_text(raw, max_chars)
    text = spell_out(text)
    out = TurnParse(text=text, truncated=truncated)
    tokens = tokenize(text)
    out.non_english, out.language_hint = script_hint(text, tokens)
    if not any(t.word or t.text in "👍👎" for t in tokens):
        out._clarify("empty" if not text else "no_request")
        return out
    clauses = clause_ids(tokens)
    all_cues = find_cues(tokens)
    cue_spans = [(tokens[c.first].start, tokens[c.last].end) for c in all_cues if c.last > c.first]
    linked = linker.link_tokens(text, tokens)
    titles = [m for m in without_franchise_words(linked, text)  # "j'ai déjà vu X": "Déjà Vu" is the cue, as is
              if not any(a <= m.start < b for a, b in cue_spans)  # "dumb" in "was dumb and"; "Howl's Moving" holds one
              and not said_as_year(text, m.start, m.end)]  # "newer than 2012": a limit, not the film "2012"
    series_tok = {i for m in linked if m not in titles for i, t in enumerate(tokens) if m.start <= t.start < m.end}
    titles, phrase_spans = title_phrases(tokens, titles, all_cues, clauses, linker, text) \
        if not out.non_english else (titles, [])
    for m in [m for m in titles if m.match == "fuzzy" and m.edits >= GUESS_EDITS and not out.non_english]:
        # two slips: the tools ask (in another language a title spelt its way, "Interestelar", is no slip)
        toks = [i for i, t in enumerate(tokens) if m.start <= t.start < m.end]
        titles.remove(m)
        phrase_spans.append((toks[0], toks[-1]))
    titles = [m for k, m in enumerate(titles) if not credited(tokens, titles[:k], m)
              and not owner_of(text, titles[k + 1:k + 2], m)]
    title_tok = {i: m for m in titles for i, t in enumerate(tokens) if m.start <= t.start < m.end}
    phrase_tok = {i for a, b in phrase_spans for i in range(a, b + 1)}
    refs = find_refs(tokens, len(last), set(title_tok) | phrase_tok,
                     frozenset(c.last for c in all_cues if c.kind in ("like", "dislike", "seen")), discussed is not None)
    ref_tok = {i for r in refs for i in range(r.first, r.last + 1)}
    cues = [c for c in all_cues if c.first not in title_tok and c.first not in ref_tok and c.first not in phrase_tok]
    scope = negation_scope(tokens, cues, clauses)
    used = set(title_tok) | ref_tok | phrase_tok | {i for c in cues for i in range(c.first, c.last + 1)}

    # Titles and references, with what the message says about them.
    spans: list[tuple[int, int, TitleMention | None, list[int]]] = []
    for m in titles:
        toks = [i for i, mm in title_tok.items() if mm is m]
        spans.append((min(toks), max(toks), m, []))
    for r in refs:
        if r.kind == "that" and discussed in last:
            r.indices, r.kind = [last.index(discussed)], "discussed"
        spans.append((r.first, r.last, None, r.indices))
        out.refs.extend(i for i in r.indices if i not in out.refs)
    for a, b in phrase_spans:
        spans.append((a, b, None, None))
    spans.sort(key=lambda s: s[0])
    only_titles = bool(titles) and not refs and not find_phrases(tokens, DETAILS_PHRASES) and all(
        t.low in FILLER_WORDS or t.low in FUNCTION_WORDS for i, t in enumerate(tokens)
        if t.word and i not in title_tok)
    low_text = text.lower()
    pols = [polarity(first, last_tok, tokens, cues, clauses, scope,
                     spans[k + 1][0] if k + 1 < len(spans) else len(tokens))
            for k, (first, last_tok, _, _) in enumerate(spans)]
    for k in range(len(spans) - 2, -1, -1):  # "Speed and Twister, seen both": a list shares what follows it
        if not pols[k] and pols[k + 1] and listed(tokens, spans[k][1], spans[k + 1][0]):
            pols[k] = set(pols[k + 1]) - {"explain"}
    for k in range(1, len(spans)):  # "The Martian was great, and Interstellar too", "same with Prisoners"
        if not pols[k] and pols[k - 1] and same_as_before(tokens, spans[k][0], spans[k][1]):
            pols[k] = set(pols[k - 1]) - {"explain"}
    forgotten = {k for k, (first, end, _, _) in enumerate(spans)
                 if FORGET_ITEM_RE.search(low_text[max(0, tokens[first].start - 60):tokens[first].start])
                 or (FORGET_BEFORE_RE.search(low_text[max(0, tokens[first].start - 20):tokens[first].start])
                     and FORGET_AFTER_RE.search(low_text[tokens[end].end:]))}  # "take X off my list"
    if len(spans) == 1 and FORGET_PRONOUN_RE.search(low_text, tokens[spans[0][1]].end):  # "X …, remove it"
        forgotten.add(0)
    pronoun_back(pols, spans, tokens, cues, clauses)
    collective(pols, spans, tokens, cues)
    learned(pols, spans, forgotten, text, tokens, model)
    judged_phrases: list[tuple[int, int]] = []
    for k, (first, last_tok, mention, indices) in enumerate(spans):
        pol = pols[k]
        if only_titles and not pol:
            pol = {"anchor"}
        if indices is None:  # a title-like phrase the tools will look up
            action = next((a for key, a in (("liked", "like"), ("disliked", "dislike"), ("seen", "seen"))
                           if key in pol), "anchor")
            out.phrases.append({"text": text[tokens[first].start:tokens[last_tok].end], "action": action})
            judged_phrases += [(first, last_tok)] if action in ("like", "dislike") else []
            continue
        targets = [mention] if mention else [_ref_mention(linker, last, i, tokens, first, last_tok)
                                             for i in indices if i < len(last)]
        for target in targets:
            out.mentions.append(target)
            if k in forgotten:
                out.forget.append(target)
                continue
            for key, name in _POLARITY_FIELDS:
                if key in pol and not (key == "seen" and pol & {"liked", "disliked"}):
                    getattr(out, name).append(target)  # a verdict says "seen" already: one field

    if discussed in last and not spans and not out.non_english:  # "brilliant film, one of my faves" after "tell me about Seven"
        signs = {"after_like" if (c.kind in ("like", "after_like")) != negated_cue(c, cues, tokens) else "after_dislike"
                 for c in cues if c.kind in ("like", "dislike", "after_like", "after_dislike") and not someone_else(tokens, c)}
        if len(signs) == 1:
            target = _ref_mention(linker, last, last.index(discussed), tokens, 0, 0)
            out.mentions.append(target)
            (out.liked if signs == {"after_like"} else out.disliked).append(target)
    for name in ("liked", "disliked", "seen"):  # "seen both Kill Bill movies", "all three toy storys"
        setattr(out, name, [s for m in getattr(out, name) for s in said_as_series(linker, text, m)])
    judged = {m.item_id for m in out.liked + out.disliked}  # "i watched it, hated it": one field, disliked
    out.seen = [m for m in out.seen if m.item_id not in judged]
    for name in ("liked", "disliked", "seen"):  # "that one …, loved it": one item, named once
        setattr(out, name, list({m.item_id: m for m in reversed(getattr(out, name))}.values())[::-1])
    chars = [c.lower() if len(c.lower()) == 1 else c for c in text]
    for i in set(title_tok) | ref_tok | phrase_tok:
        chars[tokens[i].start:tokens[i].end] = " " * (tokens[i].end - tokens[i].start)
    loose = find_loosening("".join(chars))
    allowed = allowed_genre_tokens(tokens, linker, loose, used)
    out.allowed_genres = loose.allowed
    judged_spans = [(first_token(tokens, m), max(i for i, t in enumerate(tokens) if t.start < m.end))
                    for m in out.liked + out.disliked if m.ref is None] + judged_phrases
    describing = described(tokens, judged_spans, clauses)
    genre_years = read_genres(out, tokens, linker, cues, clauses, scope, used,
                              set(title_tok) | ref_tok | phrase_tok | allowed | describing | series_tok)
    for i in genre_years:  # "classics" where the catalog has a Classics genre: a genre, not "up to 1979"
        chars[tokens[i].start:tokens[i].end] = " " * (tokens[i].end - tokens[i].start)
    out.lift_years = sorted(loose.years)
    out.lift_genres = loose.all_genres
    for a, b in loose.spans:
        chars[a:b] = " " * (b - a)
        used.update(i for i, t in enumerate(tokens) if a <= t.start < b)
    out.refinement = is_refinement("".join(chars))
    out.adds_genres = adds_genres("".join(chars))
    for i in describing:  # "Big is such a classic", "Speed is peak 90s action": a description asks for no years
        chars[tokens[i].start:tokens[i].end] = " " * (tokens[i].end - tokens[i].start)
    years = parse_years("".join(chars), linker.max_year)
    if out.non_english and years.year_from is None and years.year_to is None:  # "antes de 1990", "años 80"
        rendered, year_words = foreign_year_text(tokens, set(title_tok) | ref_tok | phrase_tok | describing)
        years = parse_years(rendered, linker.max_year)
        if years.year_from is not None or years.year_to is not None:
            used.update(year_words | {i for i, t in enumerate(tokens) if t.low[:2].isdigit()})
    said = "".join(text[a:b] for a, b in years.spans)
    if years.year_to == CLASSIC_YEAR_TO and years.year_from is None and not re.search(r"\d", said) \
            and of_an_era(linker.catalog, out.wanted_genres, CLASSIC_YEAR_TO):
        years.year_to = None  # "a classic film noir": the genre is of that era, "classic" is its style
    out.year_from, out.year_to = years.year_from, years.year_to
    for i, tok in enumerate(tokens):
        if any(a <= tok.start < b for a, b in years.spans):
            used.add(i)

    flags = _flags(tokens, used, linker)
    if out.allowed_genres or out.lift_years or out.lift_genres or out.forget or out.liked or out.disliked \
            or out.seen or out.refs or years.year_from or years.year_to:  # "never mind the horror", "go back to 1970"
        flags["undo"] = False
    flags["details"] = flags["details"] or bool(out.mentions and _ABOUT_RE.search(text.lower())) or any(
        m.ref is None and _WHATS_RE.search(text[:m.start].lower()) and _LIKE_END_RE.match(text[m.end:].lower())
        for m in out.mentions)
    flags["explain"] = any(c.kind == "explain" for c in cues)
    foreign = {i for i, t in enumerate(tokens) if out.non_english and phrase_key(t) in languages.function_words()}
    opinion = {i for m in out.liked + out.disliked + out.seen + out.forget if m.ref is None
               for i, t in enumerate(tokens) if clauses[i] == clauses[first_token(tokens, m)]}
    domain = linker.catalog.domain
    nouns = {domain.noun, domain.plural, *domain.verb.split()}  # "history books", "something to read"
    out.query = _query(tokens, used | scope | foreign | opinion, flags["genre_words"] | nouns)
    decide_intent(out, flags, last, has_profile, refs)
    if years.conflict:
        out._clarify("contradictory_years")
    return out


def _ref_mention(linker: TitleLinker, last: list[str], index: int, tokens: Sequence[Token],
                 first: int, last_tok: int) -> TitleMention:
    item = linker.catalog.get(last[index])
    span = " ".join(t.text for t in tokens[first:last_tok + 1])
    return TitleMention(last[index], item.title if item else last[index], item.year if item else None,
                        span, 1.0, [], tokens[first].start, tokens[last_tok].end, index, "ref")


def _flags(tokens: Sequence[Token], used: set[int], linker: TitleLinker) -> dict:
    words = [t for t in tokens if t.word]
    flags: dict = {"genre_words": set(genre_words(linker)) | _GENRE_PARTS}
    for name, phrases in (("reset", RESET_PHRASES), ("undo", UNDO_PHRASES),
                          ("profile", PROFILE_PHRASES), ("thanks", THANKS_PHRASES),
                          ("details", DETAILS_PHRASES)):
        hits = find_phrases(tokens, phrases)
        flags[name] = bool(hits)
        used.update(i for a, b, _ in hits for i in range(a, b))
    greet = find_phrases(tokens, GREETING_WORDS)
    first_word = next(i for i, t in enumerate(tokens) if t.word) if words else -1
    flags["greeting"] = any(a == first_word for a, _, _ in greet)
    used.update(i for a, b, _ in greet if a == first_word for i in range(a, b))
    another = []
    for a, b, phrase in find_phrases(tokens, ANOTHER_PHRASES):
        if phrase in ("more", "another", "next", "different"):
            prev = tokens[a - 1].low if a else ""
            nxt = tokens[b] if b < len(tokens) else None
            if prev in _NO_MORE_BEFORE or (a - 1) in used:
                continue
            if phrase == "more" and nxt is not None and nxt.word and nxt.low not in _MORE_AFTER \
                    and nxt.low not in flags["genre_words"]:
                continue
        another.append((a, b))
        used.update(range(a, b))
    flags["another"] = bool(another)
    flags["request"] = any(t.low in REQUEST_WORDS or phrase_key(t) in languages.request_words() for t in words)
    return flags


def _query(tokens: Sequence[Token], drop: set[int], genre_words: set[str]) -> str:
    chunks: list[list[Token]] = [[]]
    for i, tok in enumerate(tokens):
        if not tok.word or i in drop or tok.low in FILLER_WORDS or not tok.norm:
            if tok.text not in "-'" or not tok.word:
                chunks.append([])
            continue
        chunks[-1].append(tok)
    parts = []
    for chunk in chunks:
        while chunk and chunk[0].low in FUNCTION_WORDS:
            chunk.pop(0)
        while chunk and chunk[-1].low in FUNCTION_WORDS:
            chunk.pop()
        if chunk:
            parts.append(" ".join(t.low for t in chunk))
    words = " ".join(parts).split()
    if all(w in genre_words or w in FUNCTION_WORDS for w in words):
        return ""
    return " ".join(parts)
