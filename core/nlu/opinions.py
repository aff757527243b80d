"""Opinion idioms and verdict words of the offline turn parser, in English: cues before a title
("big fan of X", "fell asleep during X"), opinions after one ("X was a blast", "X left me cold"),
and the adjectives that judge after "is / was (a)". Re-exported by :mod:`.lexicon`; other
languages are data (``languages.yaml``). Multi-word entries are written with single spaces and
matched against lower-cased, whitespace-normalised text on word boundaries.
"""

from __future__ import annotations

__all__ = ["DISLIKE_PHRASES", "LIKE_PHRASES", "AFTER_LIKE_PHRASES", "AFTER_DISLIKE_PHRASES",
           "POSITIVE_ADJECTIVES", "NEGATIVE_ADJECTIVES"]

#: Opinion verbs and idioms before a title that mean disliking it ("hated X", "fell asleep during X").
DISLIKE_PHRASES = ("hate", "hates", "hated", "hating", "dislikes", "dislike", "disliked", "can t stand", "cannot stand",
                   "couldn t stand", "not a fan of", "not a big fan of", "not into", "sick of", "tired of", "fed up with",
                   "detest", "detested", "regretted", "loathe", "loathed", "despise", "despised", "despises", "couldn t finish",
                   # opinion idioms before a title
                   "fell asleep during", "fell asleep watching", "fell asleep in", "disappointed by", "disappointed with",
                   "let down by", "bored by", "walked out of", "gave up on", "couldn t get into", "could not get into",
                   "never got into", "couldn t get through",
                   "hated every minute of", "hated every second of", "never again with", "regret watching", "regret reading", "regret buying", "fell asleep reading", "wasted my time on", "not impressed by", "not impressed with",
                   "didn t care for", "did not care for", "don t care for", "never liked", "turned off by", "nodded off during",
                   "nodded off halfway through", "dozed off during", "dozed off halfway through", "switched off",
                   "turned off",
                   # giving up or enduring
                   "couldn t make it through", "could not make it through", "didn t make it through", "never made it through",
                   "bailed on", "slogged through", "suffered through", "struggled through", "forced myself through",
                   "had to force myself through", "on my phone during", "on my phone through", "checking my phone during",
                   "bored stiff by", "bored silly by")
#: Opinion idioms before a title that mean liking it ("big fan of X", "can't get enough of X").
LIKE_PHRASES = ("big fan of", "huge fan of", "massive fan of", "a fan of", "fan of", "fans of",  # "longtime fan of X"
                "can t get enough of",
                "cannot get enough of", "never get enough of", "can never get enough of", "obsessed with", "hooked on", "addicted to",
                "fixated on", "die hard fan of", "diehard fan of", "my number one is", "in love with", "crazy about",
                "mad about", "nuts about", "crazy for", "besotted with", "smitten with", "a sucker for", "never get tired of",
                "grew up on", "loved every minute of", "loved every second of", "never seem to tire of", "never seem to get tired of", "cannot have enough of",
                "can t have enough of", "can never have enough of",
                # ... and the same said with "bored" ("could watch X all day and never get bored")
                "never get bored of", "never got bored of", "never get bored", "never got bored", "not get bored",
                "my favourite is", "my favorite is", "my fave is", "my favourite film is",
                # a list of favourites ("fav movies: X, Y", "my favourites are X and Y")
                "favourites are", "favorites are", "faves are", "favs are", "favourites include",
                "favorites include", "fav movies", "fave movies", "fav films", "fave films",
                "favourite movies", "favorite movies", "favourite films", "favorite films",
                "my favorite movie is", "my all time favourite is", "my all time favorite is",
                "a soft spot for", "a weakness for", "guilty pleasure", "guilty pleasures", "never tire of", "can t stop rewatching",
                "keep rewatching", "could watch forever", "could rewatch", "could rewatch forever", "would rewatch", "can t stop rereading", "keep rereading",
                "could read forever", "can t stop playing", "keep replaying", "can t stop listening to",
                # a good time had, a film that stays with the person
                "had a blast watching", "had an absolute blast watching", "had a blast with", "had so much fun watching",
                "had fun watching", "had a great time watching", "had the best time watching", "can t stop thinking about",
                "cannot stop thinking about", "still think about", "fell in love with", "head over heels for",
                "head over heels in love with")
AFTER_LIKE_PHRASES = ("was great", "was amazing", "was awesome", "was good", "was fantastic",
                      "was brilliant", "was excellent", "was fun", "was perfect", "is great",
                      "is amazing", "is my favourite", "is my favorite", "is the best",
                      "was the best", "rocks", "is a masterpiece", "was a masterpiece",
                      "looks great", "looks good", "sounds great", "sounds good",
                      # opinion idioms after a title (intensifiers such as "so", "really" are skipped)
                      "was a blast", "is a blast", "blew me away", "blew my mind", "never gets old",
                      "never get old", "holds up", "still holds up", "is a classic", "is a gem", "was a gem",
                      "is peak cinema", "was peak cinema", "is a must see", "is a must watch",
                      "gets me every time", "gets me every single time", "still gets me", "is my comfort movie",
                      "is my comfort film", "is my jam", "is the bomb", "is fire", "slaps", "hits different",
                      "is one of my favourites", "is one of my favorites", "is one of my all time favourites",
                      "is one of my all time favorites", "one of my favourites", "one of my favorites",
                      "one of my all time favourites", "one of my all time favorites", "one of my all time faves", "one of my faves", "one of my favs",
                      "is one of the best", "was one of the best", "made my day", "cracked me up",
                      "had me hooked", "kept me on the edge of my seat", "had me on the edge of my seat",
                      "was wonderful", "is wonderful", "was incredible", "is incredible", "was superb",
                      "is superb", "was beautiful", "is beautiful", "was stunning", "is stunning", "was epic",
                      "is epic", "was outstanding", "is outstanding", "was phenomenal", "is phenomenal",
                      "was lovely", "is lovely", "is underrated", "was underrated", "aged well",
                      "was worth it", "is worth watching", "was worth watching", "was good", "is good",
                      "was great fun", "was so much fun", "was a lot of fun", "was tons of fun", "is a must", "was a treat", "is a treat", "is a delight",
                      "was a delight", "is a work of art", "was a work of art", "rules", "rule",
                      "is top tier", "are top tier", "are both top tier", "top tier", "are classics",
                      "are both classics", "is a classic", "was a classic", "are great", "were great",
                      "are amazing", "are masterpieces", "are both masterpieces", "is a favourite",
                      "is a favorite", "is a comfort movie", "one of my comfort movies", "never stops being",
                      "kept me hooked", "is a banger", "was a banger", "absolute banger", "banger", "is goated",
                      "goated", "is elite", "is peak", "was peak", "still slaps", "hits every time",
                      "is a 10", "was a 10", "never disappoints", "gets better every time", "is so rewatchable",
                      "is rewatchable", "made me laugh", "had me laughing", "is hilarious", "was hilarious",
                      "in the best way", "is my jam", "are my jam", "is my fav", "are my fav", "are my favourites",
                      "is my kind of movie", "is my kind of film", "are my kind of movies", "are my kind of films",
                      "is my type of movie", "is my type of film", "is my cup of tea", "is right up my street",
                      "are my favorites", "was sick", "is sick", "stuck with me", "loved every second",
                      "loved every minute", "is a vibe", "was a vibe", "got me", "still gets me", "is the goat",
                      "the goat", "fan", "floored me", "bowled me over", "knocked me flat", "knocked me for six", "chokes me up",
                      "choked me up", "amazed me", "amazes me", "wowed me", "moved me", "left me speechless",
                      "left me in awe", "captivated me", "gripped me", "won me over", "moves me", "knocked my socks off", "stole my heart", "is my obsession",
                      # other domains' idioms: "X was a page turner", "couldn't put it down"
                      "is a page turner", "was a page turner", "couldn t put it down", "could not put it down",
                      "is on repeat", "was on repeat", "is worth reading", "was worth reading", "is worth every penny",
                      "was worth every penny",
                      # what a work did to the person for good ("still gives me chills", "changed my life")
                      "gives me chills", "gave me chills", "gives me goosebumps", "gave me goosebumps", "changed my life",
                      "is everything to me", "is my everything", "was my everything", "goes hard", "went hard", "means everything to me", "means so much to me", "means a lot to me",
                      "was my whole childhood", "was my childhood", "gets funnier every time", "gets better with every",
                      "mind blowing", "blew me away", "blows my mind", "blow my mind", "at its finest", "at its best",
                      "never grows old", "never grow old", "never becomes old", "never become old", "swept me off my feet",
                      "sweeps me off my feet", "took my breath away", "takes my breath away", "had my jaw on the floor",
                      "is a masterclass", "was a masterclass", "pure poetry", "pure cinema", "is my go to", "was my go to", "still makes me cry",
                      "makes me cry every time", "pure magic", "pure gold", "pure genius", "pure joy", "pure bliss",
                      # held the person, beat the hype, lasts
                      "had me glued to the screen", "kept me glued to the screen", "glued to the screen", "had me glued",
                      "lived up to the hype", "lives up to the hype", "worth the hype", "exceeded my expectations",
                      "exceeded expectations", "a feast for the eyes", "stands the test of time", "stood the test of time",
                      "was a hoot", "is a hoot", "ten out of ten", "criminally underrated", "on a loop", "on loop",
                      "over and over", "again and again", "never misses", "chef s kiss", "deserves every award",
                      "is a must see", "was a must see", "a must see", "a must watch", "a joy to watch", "was a joy",
                      "is a joy", "a breath of fresh air", "like a warm hug", "like a warm blanket", "warms my heart",
                      "warmed my heart", "hit the spot", "hits the spot", "still holds up", "holds up", "aged like fine wine",
                      "was a treat", "is a treat", "made my day", "made my week")
AFTER_DISLIKE_PHRASES = ("was boring", "was bad", "was awful", "was terrible", "was meh",
                         "was overrated", "is overrated", "sucked", "sucks", "was the worst",
                         "is boring", "is terrible", "was dull", "looks boring",
                         "was a waste", "is awful",
                         # opinion idioms after a title (intensifiers such as "so", "really" are skipped)
                         "left me cold", "left me bored", "bored me", "bored me to tears", "bored me to death",
                         "put me to sleep", "was a snooze", "is a snooze", "was a letdown", "was a let down",
                         "let me down", "was disappointing", "is disappointing", "disappointed me", "fell flat",
                         "falls flat", "dragged on", "drags on", "did nothing for me", "does nothing for me",
                         "not so much", "not for me", "was not for me", "wasn t for me", "isn t for me",
                         "not my cup of tea", "not my thing", "not my kind of movie", "not my kind of film",
                         "wasn t my kind of movie", "wasn t my kind of film", "wasn t my kind of movies",
                         "wasn t my kind of films", "wasn t my cup of tea", "wasn t my thing", "was cringe", "is cringe",
                         "was cringey", "was garbage", "is garbage", "was trash", "is trash", "was a mess",
                         "is a mess", "was a waste of time", "is a waste of time", "was a bore", "is a bore",
                         "was a total bore", "was mid", "is mid", "was forgettable", "was stupid", "is stupid",
                         "was dumb", "is dumb", "was annoying", "is annoying", "was painful", "was unwatchable",
                         "was horrible", "is horrible", "was confusing", "is confusing", "was pretentious",
                         "is pretentious", "aged badly", "aged poorly", "hasn t aged well", "didn t age well",
                         "was slow", "is slow", "was too long", "was way too long", "was overhyped",
                         "is overhyped", "was weird", "was nonsense", "was cheesy", "never again", "bore me",
                         "bores me", "drove me up the wall", "drove me crazy", "drove me nuts", "gets on my nerves",
                         "got on my nerves", "put me off", "puts me off", "turned me off", "is a chore",
                         "was a chore", "is a slog", "was a slog", "made no sense", "makes no sense",
                         "was a mess", "fell apart", "lost me", "lost me halfway", "didn t do it for me",
                         "did not do it for me", "doesn t do it for me", "nah", "hard pass", "no thanks",
                         "so cheesy", "just couldn t", "was a no", "not a fan", "never my thing", "gave up",
                         "gave up on it", "turned it off", "switched it off", "walked out", "couldn t get into",
                         "not really my thing", "annoyed me", "irritated me", "frustrated me", "had me yawning", "made me yawn",
                         "never clicked with me", "didn t click with me", "was a snoozefest", "felt endless", "felt like forever",
                         "fell asleep", "dozed off", "nodded off", "didn t do anything for me", "did not do anything for me", "did zero for me", "did nothing at all for me", "did nothing to me",
                         "doesn t do anything for me", "put me right to sleep", "was laughable", "is laughable", "much too long",
                         "far too long", "way too long", "tested my patience", "didn t land for me", "didn t click for me",
                         # endured, not worth it, a wreck
                         "like watching paint dry", "watching paint dry", "at a snail s pace", "crawled along",
                         "crawls along", "felt like an eternity", "felt like it would never end", "overstayed its welcome",
                         "overstays its welcome", "isn t all it s cracked up to be", "not all it s cracked up to be",
                         "didn t live up to the hype", "did not live up to the hype", "doesn t live up to the hype",
                         "not worth the hype", "wasn t worth the hype", "a dumpster fire", "dumpster fire", "a train wreck",
                         "train wreck", "made my eyes glaze over", "fell short", "falls short", "missed the mark",
                         "misses the mark", "a swing and a miss", "mind numbing", "went nowhere", "goes nowhere",
                         "all style no substance", "all style and no substance", "style over substance", "two hours of nothing",
                         "a hot mess", "hot mess", "want those hours back", "want my two hours back", "want my money back",
                         "claw my eyes out", "a waste of two hours", "a hard no", "hard no", "was a flop", "is a flop",
                         "never hooked me", "went on and on", "put me in a coma",
                         "hours of my life", "ruined it for me")
#: Opinion adjectives after "is/was (a/an)" and before an optional "movie/film/one"
#: ("Apollo 13 is a great movie", "Contact was a total bore" needs its own idiom above).
POSITIVE_ADJECTIVES = ("great amazing awesome good fantastic brilliant excellent fun perfect wonderful "
                       "incredible superb beautiful stunning epic outstanding phenomenal lovely masterful "
                       "gorgeous hilarious gripping riveting moving charming terrific fabulous solid cute funny sweet clever "
                       "smart thrilling heartwarming underrated delightful enjoyable entertaining magical "
                       "unforgettable spectacular flawless fire iconic legendary classic mindblowing genius unbeatable "
                       # critics' words VADER's lexicon lacks
                       "enchanting captivating mesmerizing mesmerising dazzling wholesome unreal sublime transcendent "
                       "electrifying engrossing compelling immersive touching poignant uplifting witty "
                       "rewatchable quotable timeless masterwork gem treasure banger goated stellar topnotch exquisite "
                       "majestic spellbinding astonishing sensational marvellous wondrous immaculate inventive ingenious "
                       "profound endearing").split()
NEGATIVE_ADJECTIVES = ("boring bad awful terrible meh dull horrible confusing pretentious slow stupid dumb "
                       "annoying painful unwatchable forgettable mid cringe cringey cheesy weird "
                       "disappointing overhyped overrated tedious lame atrocious dreadful mediocre overlong bloated "
                       "predictable generic cliched clichéd shallow messy silly corny pointless depressing "
                       "underwhelming forgettable trash garbage unbearable insufferable tiresome lifeless soulless "
                       "clunky unfunny laughable preachy formulaic derivative convoluted incoherent nonsensical "
                       "cringeworthy overacted drag yawn snoozer trainwreck dud "
                       # critics' words VADER's lexicon lacks
                       "snoozefest yawnfest letdown slog bland plodding interminable incomprehensible muddled "
                       "disjointed hollow vapid insipid banal trite hackneyed overwrought overblown grating nauseating "
                       "witless brainless skippable abysmal shoddy sloppy amateurish uninspired schmaltzy mawkish lazy repetitive "
                       "recycled joyless unpleasant exhausting overstuffed humorless").split()  # nouns after "a": "was a drag"


def _opinions(adjectives: list[str]) -> tuple[str, ...]:
    return tuple(f"{cop} {art}{adj}{noun}" for cop in ("was", "is", "are", "were") for art in ("", "a ", "an ")
                 for adj in adjectives for noun in ("", " movie", " film", " one", " watch",
                                                         " read", " book", " listen", " album", " game", " buy"))


_COPULA_FORMS = (("was", "is", "are", "were", "s"), ("wasn t", "isn t", "aren t", "weren t", "s not"))


def _copulas(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """Every tense and number of a phrase's leading copula: "was the worst" also reads "is the
    worst", "wasn't my thing" also "aren't my thing" (one entry per idiom in the lists above)."""
    out: dict[str, None] = {}
    for phrase in phrases:
        out[phrase] = None
        for forms in _COPULA_FORMS:
            head = next((f for f in forms if phrase.startswith(f + " ")), None)
            if head is not None:
                out.update((f + phrase[len(head):], None) for f in forms)
    return tuple(out)


def _ranked(adjectives: list[str], comparative: str) -> tuple[str, ...]:
    """A title ranked against others: "X is one of the most beautiful films", "X is better than …"."""
    return (f"is {comparative} than", *(f"is one of the most {adj}" for adj in adjectives))


AFTER_LIKE_PHRASES = _copulas(tuple(dict.fromkeys(
    AFTER_LIKE_PHRASES + _opinions(POSITIVE_ADJECTIVES) + _ranked(POSITIVE_ADJECTIVES, "better"))))
AFTER_DISLIKE_PHRASES = _copulas(tuple(dict.fromkeys(
    AFTER_DISLIKE_PHRASES + _opinions(NEGATIVE_ADJECTIVES) + _ranked(NEGATIVE_ADJECTIVES, "worse"))))
