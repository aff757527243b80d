"""Word lists used by the offline turn parser: genre words, moods, cues and ordinals.

Everything here is an English constant; other languages are data (``languages.yaml``, read by
:mod:`tastebud.nlu.languages`). Multi-word entries are written with single spaces and
matched against lower-cased, whitespace-normalised text on word boundaries.
"""

from __future__ import annotations

__all__ = ["GENRE_WORDS", "GENRE_PARTS", "SPACE_SCIFI_BEFORE", "SPACE_SCIFI_AFTER", "FUNCTION_WORDS", "FILLER_WORDS",
           "COMMON_WORDS", "SMALL_TITLE_WORDS", "LIKE_VERBS", "LIKE_SUBJECTS", "ANCHOR_PHRASES",
           "QUESTION_PHRASES", "CHAT_SPELLINGS", "DISLIKE_PHRASES", "SEEN_PHRASES", "EXPLAIN_PHRASES",
           "AFTER_LIKE_PHRASES", "AFTER_DISLIKE_PHRASES", "LIKE_PHRASES", "INTENSIFIERS", "POSITIVE_ADJECTIVES",
           "NEGATIVE_ADJECTIVES", "NEGATION_WORDS", "NEGATION_PHRASES", "SCOPE_STOPPERS", "ANOTHER_PHRASES",
           "RESET_PHRASES", "UNDO_PHRASES", "PROFILE_PHRASES", "GREETING_WORDS", "DETAILS_PHRASES",
           "THANKS_PHRASES", "REQUEST_WORDS", "ORDINALS", "NUMBER_WORDS", "REF_NOUNS", "THAT_ONE_PHRASES",
           "ALL_REF_PHRASES", "DECADE_WORDS", "OLD_WORDS", "RECENT_WORDS", "CLASSIC_YEAR_TO", "RECENT_SPAN",
           "THUMBS_UP", "THUMBS_DOWN", "POSSESSIVES", "COPULAS",
           "NEGATED_COPULAS", "CREDIT_WORDS", "POSITION_WORDS",
           "YEAR_WORDS", "ADVERBIAL_OPENERS", "WHEN_WORDS"]

from .genre_words import GENRE_PARTS, GENRE_WORDS, SPACE_SCIFI_AFTER, SPACE_SCIFI_BEFORE  # noqa: E402 - re-exported here
from .opinions import (  # noqa: E402 - re-exported here
    AFTER_DISLIKE_PHRASES, AFTER_LIKE_PHRASES, DISLIKE_PHRASES, LIKE_PHRASES, NEGATIVE_ADJECTIVES, POSITIVE_ADJECTIVES)

#: Pronouns, numbers and other words that are never a title without strong evidence.
FUNCTION_WORDS = frozenset("""
a an the i me my mine you your we us our they them em their he him his she her it its this that
these those one ones some any all both each every no not none nothing something anything
everything someone anyone who what which when where why how up down out in on off over under
go going went gone get got do did done does be is was were are been am have has had will would
can could should shall may might must let lets make made take see saw seen look show tell give
yes yeah ok okay please thanks thank hi hello hey more less most much many few again also just
very too so such only even still now then there here if or and but nor as at by for from of to
with without about like love loved liked new old good bad great best better fine nice cool
two three four five six seven eight nine ten eleven twelve first second third last next other
another else same different way thing things stuff time day night today tonight big small
m ve s t d ll re don didn doesn isn wasn aren weren couldn wouldn shouldn haven hasn won
""".split())

#: Everyday English words that are also single-word titles ("Heat", "Crash", "Saw"): never
#: linked without evidence (capitals, quotes, a cue such as "loved", a year).
COMMON_WORDS = frozenset("""
accepted admission airborne airplane airport alive amateur angel apple art awake baby bad bait
balance bay beach beaches bear believer belly below bent bird birds birth black blade blind
blink blood blow blue boat body bones boot boss bound bow boy boys brain brave breathe brick
bride bridge bright broken brother bug bully burn burnt buried business cake call camp candy
car cars case castle cat cats cell chance change chaser chef chicken child choke circle city
click client closer closet clue coach cocktail cold contact control cook cool cop core country
crash crazy creep crime crowd crush cube cup cure damage dance danger dark darkness date daughter
dead deal death debt devil diner dinosaur dish doctor dog dogs doll doom doors doubt dream drift
drive drop drums dust eagle ear earth edge election elephant end enemy envy escape escort
evolution exam experiment express eye face faith fall family fan fans farm fast father fear
fearless feast fences fever fighter fire firm fish flash flight flipped fly focus fog fool force
forever forgotten freedom fresh friday friend friends frozen fun funeral fury future game garden
gate ghost gift gifted girl girls glass glory goat god gold gossip grace grass gravity greed
greedy green guest gun hair half hand happening happy hard hate hatchet head heart heat heaven
heavy hell hero hide highway hit hold holiday home honey hook hope horns horse host hostage hot
hours house human hunger hunt hunter hurricane hush ice idiots island jack jacket jerk jobs joy
judge juice jump jungle justice kid kids kill killer kind king kiss kite knight knot knowing lady
land last late ledge legend letter liar life light limbo line lion little lock lost lovers lucky
mad magic magician man mask master match meantime memory men milk millions mind miracle mirror
mirrors mission mist money monday monster monsters moon moonlight mother mud mule murder music
naked natural nerve net network night nobody november nowhere oasis obsession ocean once opera order
outside overnight oxygen package pain panic paper paradise paradox parasite party passenger past
pawn payback peace people performance perfect phantom piano picnic pilot planes plastic play
pledge point police power powder pride priest prisoner promise proof prophecy proposal pulse
pumpkin push queen race rain rampage ransom reader real rebound redemption relic rent rescue
resolution revenge revolution ride ring risk river road robots rock roots rope rubber ruins run
runner rush sacrifice saint salt saved saw school score scream sea secret secretary seconds
september shadow shame shelter shine shining ship shock shooter shower signs silence sing sister
sleep sleepers smoke snake snow soldier solo somewhere son song soul source space speed sphere
spider spiral splash split spread spring square star stars steel sting stone storm story strange
stranger stretch stuck summer sun sunshine super swamp switch tag tape taxi teacher teeth ten
terminal thief thirst thursday ticket tiger time today together tomorrow touch tourist town
traffic train trap trial triangle trip trouble true trust truth twins ugly valentine venom
verdict versus vice victory virus voices void volcano wait waiting walk war watch water wave
wedding whatever wild wind winter wisdom witch witness wolf woman women wonder words work world
zone zoom
""".split())

#: Words that make a request a request but carry no content for semantic search.
FILLER_WORDS = frozenset("""
movie movies film films flick flicks picture pictures title titles something anything stuff
recommend recommendation recommendations suggest suggestion suggestions watch watching watched
want wanna need looking look find show give get pick please maybe perhaps some any kind sort
type types ones one options option ideas idea mood really quite pretty bit little lot lots
good great nice cool fun awesome tonight today me i my we us you your can could would should
will just also let lets see tell bored boring hmm um
lol lmao haha hahaha omg wow tbh imo idk btw pls plz u ur ya yeah nah ok okay ngl fr rn thx lowkey highkey
fyi nvm jk smh ikr tbf imho iirc afaik called named titled
""".split())

#: Words allowed lower-case inside a capitalised title ("Lord of the Rings").
SMALL_TITLE_WORDS = frozenset("of the a an and in on to at for from with de la le du".split())

LIKE_VERBS = frozenset(
    "love loves loved loving luv luved like likes liked enjoy enjoys enjoyed adore adores adored dig digs dug "
    "appreciated fancy".split())
#: Determiners that make the next like-verb a noun ("my love life"; but "my love for X" says it).
POSSESSIVES = frozenset("my your his her our their".split())
#: Copulas a judgement may follow ("X was great"), and their negated forms ("wasn't", tokenised "wasn t").
COPULAS = frozenset("is was are were s".split())
NEGATED_COPULAS = frozenset("isn wasn aren weren".split())
#: Words before who made or plays in a film ("Hook with Robin Williams", "Signs by Shyamalan").
CREDIT_WORDS = frozenset("with by starring featuring".split())
#: Words before a number that make it a place in the last list ("number 3", "option 2").
POSITION_WORDS = frozenset("number no option pick item".split())
#: Words that open an adverbial after a verb ("X I watched years ago", "seen them both with my kids",
#: "loved it as a kid"): what follows says when, where or with whom, not what was watched.
#: Words that say when ("last night was fun", "seen it twice").
WHEN_WORDS = frozenset("yesterday last again twice tonight recently earlier today already once".split())
ADVERBIAL_OPENERS = WHEN_WORDS | frozenset("with in on at for during as when while because since after back this "
                                           "ago years months weeks days ages times growing".split())
#: Words before a year that make it a limit, not a title's year ("Before 1975, please").
YEAR_WORDS = frozenset("before after since until till pre post from circa around".split())
#: Words before "like" that make it the verb ("I like X"), not "something like X".
LIKE_SUBJECTS = frozenset(
    "i we they you really also do did always still just totally absolutely kinda quite actually genuinely "
    "honestly truly secretly lowkey even".split())  # adverbs between "I" and its verb: "i actually like X"
#: A question about a title ("have you seen X?", "did u see X", "do you have X"): it names the title
#: without saying the person saw or liked it. Read before "seen", so "seen" inside is no cue of its own.
QUESTION_PHRASES = ("have you seen", "have you ever seen", "did you see", "did you ever see", "have you watched",
                    "did you watch", "you seen", "you ever seen", "do you have", "have you got", "you got",
                    "got any", "have you come across", "ever come across", "do you know", "you know", "ever heard of", "heard of", "would i like", "will i like",
                    "would i enjoy", "will i enjoy", "should i watch", "should i see", "is it worth watching",
                    "have you read", "did you read", "should i read", "is it worth reading", "have you played",
                    "should i play", "have you listened to", "should i listen to", "should i buy",
                    "is it worth buying")
ANCHOR_PHRASES = ("similar to", "such as", "in the vein of", "along the lines of",
                  "in the style of", "reminiscent of", "same vibe as", "the same as", "like")
#: Chat spellings read as the word they stand for when matching phrases ("did u see", "r u into").
CHAT_SPELLINGS = {"u": "you", "ya": "you", "ur": "your", "r": "are", "pls": "please", "plz": "please", "luv": "love",
                  "rly": "really", "cuz": "because", "coz": "because", "bc": "because", "ppl": "people", "alr": "already", "nvm": "never mind",
                  # contractions typed without their apostrophe ("whats heat about", "ive seen it")
                  "whats": "what's", "thats": "that's", "ive": "i've", "theres": "there's",
                  "youre": "you're", "w": "with"}  # (not "im" nor "n": German "im Kino", French "n'aime")
SEEN_PHRASES = ("seen", "saw", "watched", "already seen", "already watched", "caught", "rewatched",
                "re watched", "been there done that with",
                # a viewing completed ("finally got around to watching X"; not "sat through X": that one
                # is a verdict, left to the polarity readers)
                "finished", "got around to watching", "got round to watching", "got round to seeing",
                "got around to seeing", "had to watch", "had to see", "made me watch", "made us watch", "ended up watching", "ended up seeing",
                # other catalogs' "watched": books, music, games, products (harmless on films)
                "ve read", "have read", "has read", "had read", "already read", "just read", "i read", "we read",
                "reread", "re read", "finished reading", "listened to", "ve listened to", "already listened to",
                "ve played", "played", "already played", "bought", "ve bought", "already bought",
                "purchased")
EXPLAIN_PHRASES = ("why", "how come", "explain", "what makes", "reason for", "reasons for")
#: Words skipped when matching opinion phrases ("was so good" is "was good").
INTENSIFIERS = frozenset("so soo really real very pretty super totally absolutely truly just quite such kinda "
                         "incredibly extremely seriously honestly genuinely literally utterly fairly "
                         "rather bloody damn damned fucking freaking even both lowkey highkey total complete absolute legit "
                         "basically definitely certainly still ever actually surprisingly awfully terribly insanely ridiculously sheer".split())  # "never ever gets old"
NEGATION_WORDS = frozenset(
    "no not never nothing without none nor neither avoid skip exclude except less".split())
NEGATION_PHRASES = ("anything but", "everything but", "all but", "other than", "instead of",
                    "rather than", "no more", "not too", "not so")
#: Words that end the scope of a negation ("no horror, I want comedy").
SCOPE_STOPPERS = frozenset(
    "but want wants prefer rather instead maybe just only i we please love like liked "
    "loved however".split())
ANOTHER_PHRASES = ("something else", "anything else", "what else", "other options",
                   "other ones", "others", "other suggestions", "different ones", "show me more",
                   "more please", "more options", "more suggestions", "next page", "next ones",
                   "another", "more", "next", "different", "none of these", "none of those",
                   "not those", "new ones")
RESET_PHRASES = ("start over", "start again", "start from scratch", "reset", "restart",
                 "clear everything", "clear my profile", "forget everything", "forget me",
                 "forget about me", "delete my data", "delete all my data", "delete my profile",
                 "erase my data", "remove my data", "new conversation", "begin again", "from scratch")
UNDO_PHRASES = ("undo", "take that back", "take it back", "scratch that", "revert",
                "go back", "i didn t mean that", "never mind", "nevermind")
PROFILE_PHRASES = ("what do you know about me", "my profile", "what have i told you",
                   "what do i like", "my preferences", "my taste", "what did i say",
                   "what do you remember", "about me", "s profile")
DETAILS_PHRASES = ("tell me about", "tell me more about", "more about", "what is it about",
                   "what s it about", "info on", "information about", "details on",
                   "details about", "more info", "what about", "describe", "synopsis of", "plot of",
                   "the story of")
GREETING_WORDS = ("hi", "hello", "hey", "hiya", "howdy", "yo", "greetings", "good morning",
                  "good afternoon", "good evening", "sup", "hola", "bonjour", "hallo", "ciao")
THANKS_PHRASES = ("thanks", "thank you", "thx", "ty", "cheers", "appreciate it", "much obliged")
REQUEST_WORDS = frozenset("""
recommend recommendation recommendations suggest suggestion suggestions watch movie movies film
films something anything bored boring ideas idea tonight mood looking want need pick find show
give options
""".split())

ORDINALS: dict[str, int] = {
    "first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "sixth": 5, "seventh": 6,
    "eighth": 7, "ninth": 8, "tenth": 9, "1st": 0, "2nd": 1, "3rd": 2, "4th": 3, "5th": 4,
    "6th": 5, "7th": 6, "8th": 7, "9th": 8, "10th": 9, "top": 0,
}
NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "both": 2,
}
REF_NOUNS = frozenset(
    "one ones movie movies film films pick picks suggestion suggestions option options title "
    "titles item items recommendation recommendations".split())
THAT_ONE_PHRASES = ("that one", "this one", "that movie", "this movie", "that film",
                    "this film", "seen it", "seen that", "watched it", "watched that",
                    "that", "it")
ALL_REF_PHRASES = ("all of them", "them all", "all of those", "all of these", "those", "these",
                   "all three", "all five", "all of it")

DECADE_WORDS: dict[str, int] = {
    "twenties": 1920, "thirties": 1930, "forties": 1940, "fifties": 1950, "sixties": 1960,
    "seventies": 1970, "eighties": 1980, "nineties": 1990, "noughties": 2000,
    "aughts": 2000, "two thousands": 2000, "twenty tens": 2010,
}
#: "older films", "classics": the rule is year ≤ CLASSIC_YEAR_TO.
OLD_WORDS = ("older", "old", "oldies", "classic", "classics", "old school", "golden age",
             "black and white", "vintage")
CLASSIC_YEAR_TO = 1979
#: "recent", "new films": the rule is year ≥ (newest catalog year − RECENT_SPAN).
RECENT_WORDS = ("recent", "newer", "latest", "brand new", "new releases", "new movies",
                "new films", "new stuff", "newest")
RECENT_SPAN = 5

THUMBS_UP = frozenset("👍 ❤ 💯 😍 🥰 ♥".split())
THUMBS_DOWN = frozenset("👎 💩 🤮 😴".split())

