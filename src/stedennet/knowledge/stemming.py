"""Dutch stemming: the Snowball Dutch stemmer of the maintained ``snowballstemmer`` package, the
same algorithm as PostgreSQL's ``dutch`` text search configuration.

The knowledge exchange uses it to match other forms of a word (similar questions, the expertise
directory); site search (``stedennet.search.text``) uses the same function, so both agree with
each other and with PostgreSQL ("schuldhulpverleningen" and "schuldhulpverlening" both become
"schuldhulpverlen").
"""

import functools
import threading

import snowballstemmer

_STEMMERS = threading.local()  # a Snowball stemmer keeps state while it works: one per thread


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball Dutch stem of one lower-case word, by the ``snowballstemmer`` package's
    original Dutch algorithm (``dutch_porter``), which PostgreSQL's ``dutch`` configuration uses
    (remembered: the same words recur)."""
    if len(word) < 3 or not word.isalpha():
        return word
    stemmer = getattr(_STEMMERS, "dutch", None)
    if stemmer is None:
        stemmer = _STEMMERS.dutch = snowballstemmer.stemmer("dutch_porter")
    return stemmer.stemWord(word)
