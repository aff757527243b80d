"""Where a title is expected, so that a capitalised name there is looked up (and reported when
not found): right after a like / dislike / seen cue or a question about a title ("tell me about X",
"keeps telling me to watch X"), as the subject of a verdict ("X was great"), asked about ("is X
worth watching?"), or listed after a linked title ("Speed and Gorbulax Unbound")."""

from __future__ import annotations

from collections.abc import Sequence

from .lexicon import FUNCTION_WORDS
from .names import AFTER_CUES, POLAR_CUES, alone_then_judged, judged_as_it, rare_word
from .spans import SUBJECT_FOLLOWERS
from .text import Token

__all__ = ["expected_before", "expected_after", "listed_after_title", "FILM_NOUNS"]

#: Nouns for a work, which may stand between a cue and a title ("my fave movie is X").
FILM_NOUNS = frozenset("movie movies film films flick flicks watch".split())
#: Words after "is X" / "what's X" that ask about a title ("is X worth watching?", "what's X about?").
_ASKED_AFTER = frozenset("worth any good on about available like".split())


def expected_before(tokens: Sequence[Token], run: list[int], cues: Sequence, clauses: Sequence[int],
                     taken: set[int]) -> bool:
    """A title goes right before the run ``run``: after a cue in its clause, "tell me about", "watch".

    Args:
        tokens: The message's tokens.
        run: Token indices of the capitalised name.
        cues: The message's cues.
        clauses: Clause id of each token.
        taken: Tokens of linked titles.
    """
    first = run[0]
    if first > 1 and tokens[first - 1].low == "about" and tokens[first - 2].low in ("what", "how"):
        return True  # "what about Grommet Street Blues?": a capitalised name asked about
    words = [t.low for t in tokens[max(0, first - 3):first]]
    if (words[-1:] in (["watch"], ["watching"]) or words[-3:] == ["tell", "me", "about"]
            or words[-2:] in (["more", "about"], ["info", "on"])) and (len(run) > 1 or rare_word(tokens[first].low, 3.5)):
        return True  # "keeps telling me to watch Quillon's Gambit", "tell me about Flimbersnatch" (not "watch TV")
    before = [c for c in cues if c.kind in POLAR_CUES and c.last < first and clauses[c.last] == clauses[first]]
    if not before:
        return False
    between = [i for i in range(before[-1].last + 1, first) if tokens[i].word]  # "my fave movie is X"
    return len(between) <= 3 and all((tokens[i].low in FUNCTION_WORDS or tokens[i].low in ("is", "are", "was", "already")
                                      or tokens[i].low in FILM_NOUNS) and i not in taken for i in between)


def listed_after_title(tokens: Sequence[Token], run: list[int], taken: set[int]) -> bool:
    """"I liked Speed and Gorbulax Unbound": a name listed right after a linked title."""
    j = run[0] - 1
    if j > 1 and tokens[j].low in ("also", "too", "then"):  # "Heat and also Ember Lane Detectives"
        j -= 1
    return j > 0 and tokens[j].low in ("and", "or", ",", "&", "plus") and (j - 1) in taken


def expected_after(tokens: Sequence[Token], run: list[int], cues: Sequence, clauses: Sequence[int]) -> bool:
    """What follows the run makes it a title: a verdict ("X was great"), a question about it ("is X
    worth watching?"), the subject of its sentence, or "X? loved it" (arguments as :func:`expected_before`)."""
    last = run[-1]
    if [t.text for t in tokens[last + 1:last + 4:2]] == ["(", ")"] and tokens[last + 2].text.isdigit():
        last += 3  # "Dust Over Kettleburg (2009) was amazing": the year belongs to the name
    nxt = last + 1
    after_cue = any(c.kind in AFTER_CUES and last < c.first <= last + 2 for c in cues)
    asked = run[0] > 0 and tokens[run[0] - 1].low in ("is", "s") and (tokens[run[0] - 1].sent_start or tokens[
        run[0] - 2].low == "what") and nxt < len(tokens) and tokens[nxt].low in _ASKED_AFTER  # "is X worth watching?"
    subject = tokens[run[0]].sent_start and nxt < len(tokens) and tokens[nxt].low in SUBJECT_FOLLOWERS
    possessive = nxt + 1 < len(tokens) and tokens[nxt].low == "s" and tokens[nxt + 1].cap  # "Pixar's Up"
    return after_cue or asked or (subject and not possessive) or alone_then_judged(tokens, run[0], nxt) \
        or judged_as_it(tokens, run, cues)
