"""Dutch text for search: words, stems, query variants and highlighted snippets.

- ``stem(word)`` is the Snowball Dutch stemmer (``stedennet.knowledge.stemming``: the maintained
  ``snowballstemmer`` package), the same algorithm as PostgreSQL's ``dutch`` text search
  configuration, so the SQLite fallback and the highlighting agree with PostgreSQL
  ("schuldhulpverleningen" and "schuldhulpverlening" both become "schuldhulpverlen").
- ``query_terms(q)`` reads a query into terms; each term carries its *variants*: Snowball does not
  conflate verb forms ("organiseert" stays "organiseert", "organiseren" becomes "organiser"), so
  the query also tries the verb stem ("organiseer" → "organiser") and the participle's stem
  ("georganiseerd" → "organiseer"). On PostgreSQL the variants go into a ``to_tsquery('dutch', …)``
  as alternatives; on SQLite their stems are matched against the stored stems. The variants are
  other spellings to look for, each stemmed by Snowball, not a stemmer of their own.
- ``highlight(text, stems)`` escapes everything and wraps the words whose stem was searched for in
  ``<mark>``; ``snippet(text, stems)`` does that for a window of words around the first match.
"""

import re
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

# Words, stop words and stems are the knowledge app's (advocacy's matching uses the same ones).
from stedennet.knowledge.stemming import MAX_WORD, STOPWORDS, fold, stem, stems_of, words  # noqa: F401

MAX_TERMS = 12

_VOWELS = frozenset("aeiouyè")


def _is_vowel(char: str) -> bool:
    return char in _VOWELS


# --- words and queries -----------------------------------------------------------------------


def variants(word: str) -> list[str]:
    """The word and the forms that Snowball does not bring together with it: the verb stem of a
    present tense in -t (organiseert → organiseer) and of a participle (georganiseerd → organiseer),
    the present tense of an infinitive (organiseren → organiseert),
    the singular or plural in -s (woonwagens ↔ woonwagen), and f/v, s/z before the plural -en
    (initiatief ↔ initiatieven, huis ↔ huizen)."""
    found = [word]
    if word.isalpha():
        if word.endswith("t") and not word.endswith("tt") and len(word) >= 6:
            found.append(word[:-1])
        if word.startswith("ge") and word[-1] in "dt" and len(word) >= 8:
            found.append(word[2:-1])
        found.extend(_present_tense(word))
        # plurals in -s: Snowball keeps "woonwagens" (woonwagen) apart from "woonwagen" (woonwag)
        if word.endswith("s") and len(word) >= 6 and word[-2] not in "aeiouyjs":
            found.append(word[:-1])
        if word[-2:] in ("en", "el", "er", "em") and len(word) >= 6:
            found.append(word + "s")
        # f/v and s/z before a plural -en: initiatief ↔ initiatieven, huis ↔ huizen
        if len(word) >= 4:
            if word.endswith("f"):
                found.append(word[:-1] + "ven")
            elif word.endswith("ven") and len(word) >= 7:
                found.append(word[:-3] + "f")
            elif word.endswith("zen"):
                found.append(word[:-3] + "s")
            elif word.endswith("s") and word[-2] in "aeiou" and word[-3] in "aeiou":
                found.append(word[:-1] + "zen")
    return found


def _present_tense(word: str) -> list[str]:
    """For an infinitive, the present tense in -t that Snowball stems apart: organiseren →
    organiseert, lopen → loopt, leven → leeft, zetten → zet, wandelen → wandelt (both spellings are
    tried where the vowel may or may not double; a form that is no word finds nothing)."""
    if not word.endswith("en") or len(word) < 5:
        return []
    base = word[:-2]
    if base[-1] == base[-2] and not _is_vowel(base[-1]):
        bases = [base[:-1]]  # zetten → zet, bellen → bel
    else:
        bases = [base]
        if not _is_vowel(base[-1]) and base[-2] in "aeou" and not _is_vowel(base[-3]):
            bases.append(base[:-1] + base[-2] + base[-1])  # organiser → organiseer, lop → loop
    forms = []
    for candidate in bases:
        candidate = candidate[:-1] + {"v": "f", "z": "s"}.get(candidate[-1], candidate[-1])
        forms.append(candidate if candidate.endswith("t") else candidate + "t")
    return [f for f in forms if f != word]


@dataclass(frozen=True)
class Term:
    word: str
    forms: tuple[str, ...]  # the word and its variants, as typed (for to_tsquery)
    stems: frozenset[str]  # their stems (for the SQLite fallback and highlighting)
    negated: bool = False


def query_terms(query: str) -> list[Term]:
    """The terms of a query: words that are not stopwords, at most MAX_TERMS, each with its
    variants; a word written with a leading minus ("-jeugd") must not occur."""
    terms: list[Term] = []
    seen: set[tuple[str, bool]] = set()
    for match in re.finditer(r"(-?)([^\W_]+)", fold(query)):
        negated, word = match.group(1) == "-", match.group(2)
        if word in STOPWORDS or len(word) > MAX_WORD or (word, negated) in seen:
            continue
        seen.add((word, negated))
        forms = tuple(variants(word))
        terms.append(Term(word=word, forms=forms, stems=frozenset(stem(f) for f in forms), negated=negated))
        if len(terms) >= MAX_TERMS:
            break
    if terms and all(t.negated for t in terms):
        return []  # only exclusions: nothing to look for
    return terms


def highlight_stems(terms: list[Term]) -> frozenset[str]:
    return frozenset(s for t in terms if not t.negated for s in t.stems)


def tsquery_text(terms: list[Term]) -> str:
    """A ``to_tsquery`` expression: every term (any of its forms) must occur, negated ones must not.
    The words are runs of letters and digits, so no tsquery syntax can slip in."""
    parts = []
    for term in terms:
        alternatives = " | ".join(term.forms)
        parts.append(f"!({alternatives})" if term.negated else f"({alternatives})")
    return " & ".join(parts)


# --- highlighting ------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"([^\W_]+)")


def _is_hit(word: str, stems: frozenset[str]) -> bool:
    folded = fold(word)
    return folded not in STOPWORDS and stem(folded) in stems


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def highlight(text: str, stems: frozenset[str]) -> SafeString:
    """``text`` escaped, with every word whose stem is in ``stems`` wrapped in <mark>. (Words are
    letters and digits only, so only what lies between them needs escaping.)"""
    out = []
    for i, part in enumerate(_TOKEN_RE.split(text)):
        if i % 2 == 0:
            out.append(part.translate(_ESCAPES))
        elif _is_hit(part, stems):
            out.append(f"<mark>{part}</mark>")
        else:
            out.append(part)
    return mark_safe("".join(out))  # noqa: S308 - every piece between the words was escaped above


def snippet(text: str, stems: frozenset[str], *, width: int = 30) -> SafeString:
    """About ``width`` words of ``text`` around its first hit, escaped, hits in <mark>; with an
    ellipsis where text was left out. Without a hit, the opening words."""
    text = " ".join(text.split())
    if not text:
        return mark_safe("")
    parts = _TOKEN_RE.split(text)
    word_positions = list(range(1, len(parts), 2))
    if not word_positions:
        return highlight(text[:300], stems)
    first = next((n for n, i in enumerate(word_positions) if _is_hit(parts[i], stems)), 0)
    start_word = max(0, min(first - width // 3, len(word_positions) - width))
    end_word = min(len(word_positions), start_word + width)
    start = word_positions[start_word] if start_word > 0 else 0
    end = word_positions[end_word - 1] + 1 if end_word < len(word_positions) else len(parts)
    piece = "".join(parts[start:end])
    html = highlight(piece, stems)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(parts) else ""
    return mark_safe(f"{prefix}{html}{suffix}")  # noqa: S308 - highlight() escaped the text
