"""Dutch stemming: the Snowball Dutch stemmer of the maintained ``snowballstemmer`` package, the
same algorithm as PostgreSQL's ``dutch`` text search configuration.

The knowledge exchange uses it to match other forms of a word (similar questions, the expertise
directory); site search (``stedennet.search.text``) uses the same function, so both agree with
each other and with PostgreSQL ("schuldhulpverleningen" and "schuldhulpverlening" both become
"schuldhulpverlen").
"""

import functools
import re
import threading
import unicodedata

import snowballstemmer

# PostgreSQL's dutch.stop (the Snowball list): left out of the index and of queries.
STOPWORDS = frozenset([
    "de", "en", "van", "ik", "te", "dat", "die", "in", "een", "hij", "het", "niet", "zijn", "is", "was", "op", "aan",
    "met", "als", "voor", "had", "er", "maar", "om", "hem", "dan", "zou", "of", "wat", "mijn", "men", "dit", "zo",
    "door", "over", "ze", "zich", "bij", "ook", "tot", "je", "mij", "uit", "der", "daar", "haar", "naar", "heb",
    "hoe", "heeft", "hebben", "deze", "u", "want", "nog", "zal", "me", "zij", "nu", "ge", "geen", "omdat", "iets",
    "worden", "toch", "al", "waren", "veel", "meer", "doen", "toen", "moet", "ben", "zonder", "kan", "hun", "dus",
    "alles", "onder", "ja", "eens", "hier", "wie", "werd", "altijd", "doch", "wordt", "wezen", "kunnen", "ons",
    "zelf", "tegen", "na", "reeds", "wil", "kon", "niets", "uw", "iemand", "geweest", "andere",
])
MAX_WORD = 60
WORD_RE = re.compile(r"[^\W_]+")  # letters and digits; PostgreSQL splits at "_" too

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


def fold(text: str) -> str:
    """Lower case, Unicode-normalised."""
    return unicodedata.normalize("NFC", text).lower()


def words(text: str) -> list[str]:
    return [w for w in WORD_RE.findall(fold(text)) if len(w) <= MAX_WORD]


def stems_of(text: str) -> list[str]:
    """The stems of the words of ``text`` that are not stopwords, in order (for the SQLite index)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]
