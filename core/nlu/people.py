"""People's names said beside titles ("Brad Pitt was incredible", "Colin Firth was superb in it"):
a capitalised first name and surname is a person, not a title to report as missing.

The names are the US census lists of first names and surnames that the ``names`` package ships
(5,163 first names, 88,799 surnames): a list of names is data no rule could replace.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib.resources import files

__all__ = ["person_name"]


@functools.lru_cache(maxsize=1)
def _census() -> tuple[frozenset[str], frozenset[str]]:
    """The first names and surnames (lower case), read on first use."""
    base = files("names")

    def read(*names: str) -> frozenset[str]:
        return frozenset(line.split()[0].lower() for name in names
                         for line in (base / name).read_text(encoding="utf-8").splitlines() if line.strip())

    return read("dist.male.first", "dist.female.first"), read("dist.all.last")


def person_name(words: Sequence[str]) -> bool:
    """Two words, a first name then a surname ("Kathy Bates", "Michael Mann")."""
    if len(words) != 2:
        return False
    first, last = _census()
    return words[0].lower() in first and words[1].lower() in last
