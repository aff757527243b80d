"""Genre words and phrases of English → MovieLens genre names, and the words that make "space"
Sci-Fi. Other languages' genre words are data (``languages.yaml``); a catalog's own genre names come
from its vocabulary (:mod:`tastebud.nlu.genres`)."""

from __future__ import annotations

__all__ = ["GENRE_WORDS", "GENRE_PARTS", "SPACE_SCIFI_AFTER", "SPACE_SCIFI_BEFORE"]

#: Genre words and phrases → MovieLens genre names (a phrase may name two genres).
GENRE_WORDS: dict[str, tuple[str, ...]] = {
    **{w: ("Horror",) for w in (
        "horror", "horrors", "scary", "scarier", "scariest", "scare", "scares", "frightening",
        "creepy", "spooky", "terrifying", "slasher", "slashers", "gore", "gory", "zombie", "zombies",
        "vampire", "vampires", "ghosts", "haunted", "werewolf", "werewolves", "demonic", "monster movie",
        "monster movies", "give me nightmares", "gives me nightmares", "gave me nightmares", "spine chilling",
        "hair raising", "heebie jeebies", "jump scares")},
    **{w: ("Comedy",) for w in (
        "comedy", "comedies", "comedic", "funny", "funnier", "funniest", "laugh", "laughs",
        "laughing", "hilarious", "humor", "humour", "humorous", "feel good", "feelgood", "slapstick", "mockumentary")},
    **{w: ("Sci-Fi",) for w in (
        "sci fi", "scifi", "science fiction", "futuristic", "outer space", "space opera", "aliens", "spaceship", "spaceships", "spacecraft", "robots", "androids", "time travel",
        "dystopia", "dystopian", "cyberpunk", "ufo", "ufos")},
    **{w: ("Romance",) for w in (
        "romance", "romances", "romantic", "love story", "love stories", "chick flick", "chick flicks")},
    **{w: ("Romance", "Comedy") for w in ("romcom", "romcoms", "rom com", "rom coms")},
    **{w: ("Animation",) for w in ("animated", "animation", "cartoon", "cartoons", "anime")},
    **{w: ("Children",) for w in (
        "kids", "children", "childrens", "children s", "family", "family friendly", "kiddie", "kiddy")},
    **{w: ("Documentary",) for w in ("documentary", "documentaries", "docs", "doc")},
    **{w: ("Thriller",) for w in ("thriller", "thrillers", "suspense", "suspenseful", "tense", "thrilling", "spy",
                                  "spies", "espionage", "nail biter",
                                  "nail biters", "nailbiter")},
    **{w: ("War",) for w in ("war", "wartime", "ww2", "wwii", "world war", "soldiers", "battlefield")},
    **{w: ("Western",) for w in ("western", "westerns", "cowboy", "cowboys", "gunslinger", "gunslingers", "outlaws")},
    **{w: ("Musical",) for w in ("musical", "musicals", "singing", "songs", "sing along")},
    **{w: ("Film-Noir",) for w in ("noir", "noirs", "film noir")},
    **{w: ("Mystery",) for w in ("mystery", "mysteries", "mysterious", "whodunit", "whodunnit", "detective")},
    **{w: ("Crime",) for w in ("crime", "heist", "heists", "gangster", "gangsters", "mafia", "mob")},
    **{w: ("Action",) for w in ("action", "action packed", "high octane", "explosions", "car chases", "fight scenes", "superhero",
                                "superheroes", "superhero movies", "martial arts", "kung fu")},
    **{w: ("Adventure",) for w in ("adventure", "adventures", "adventurous")},
    **{w: ("Fantasy",) for w in ("fantasy", "fantasies", "magical", "wizard", "wizards", "magic", "dragons",
                                 "elves", "sorcery", "sorcerer", "sorcerers", "fairy tale", "fairy tales", "mythical", "witches")},
    **{w: ("Drama",) for w in ("drama", "dramas", "dramatic", "tearjerker", "tearjerkers", "tear jerker",
                               "tear jerkers", "weepie", "weepies", "biopic", "biopics")},
    "imax": ("IMAX",),
}

#: Single words of the genre phrases ("sci", "fi", "horror", "car", "chases").
GENRE_PARTS = frozenset(w for phrase in GENRE_WORDS for w in phrase.split())

#: "space" means Sci-Fi only next to these words ("space movie", "set in space").
SPACE_SCIFI_AFTER = frozenset(
    "movie movies film films opera adventure adventures travel epic battle battles exploration "
    "ship ships station stuff saga flick flicks".split())
SPACE_SCIFI_BEFORE = frozenset("outer in into through across deep".split())
