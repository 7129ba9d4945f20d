"""Abbreviations and word forms that company names are normalised with (pure data, no frappe).

Each entry maps the canonical word to the spellings that mean the same in a company name:
``"international": ("intl", "intnl")`` makes "Intl Business Machines" and "International Business
Machines" the same name. Words are written as ``company_key`` tokenises them (lower-case ASCII,
accents transliterated, apostrophes dropped: "Int'l" is ``intl``, "Gebrüder" is ``gebruder``).

Only one-word spellings are listed, and only where the short form means one thing in company
names. Words too ambiguous to expand stay as they are: "Co" (company / Colorado), "Ste" (Sainte /
Société), "Ft" (Fort / FT), "Sta" (Santa / STA), "Gen" (general / generation), "Ind", "Int", "Ins",
"Inst", "Dist", "Dev", "Med", "Fin", "Pharm", "Comm", "Elec", "Soc", "Ges", "Ets", "Am", "Nat". Legal forms ("Corp", "Cie", "Cia") are stripped, not expanded
(``legal_forms.py``).

A site adds its own entries in PRM Settings (Name Abbreviations); ``table(extra)`` builds the
effective table from the shipped one and those entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

from prm_app.engine import legal_forms as lf

# Short forms: canonical word -> abbreviations.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
	# English
	"international": ("intl", "intnl", "internatl"),
	"national": ("natl",),
	"saint": ("st",),
	"mount": ("mt",),
	"mountain": ("mtn",),
	"manufacturing": ("mfg", "manuf", "mfng"),
	"manufacturers": ("mfrs",),
	"services": ("svcs", "svc", "srvcs", "srvc", "servs"),
	"technologies": ("tech",),
	"associates": ("assoc", "assocs"),
	"association": ("assn",),
	"brothers": ("bros",),
	"group": ("grp",),
	"holdings": ("hldgs", "hldg", "hlds"),
	"systems": ("sys", "syst"),
	"department": ("dept", "dpt"),
	"university": ("univ",),
	"hospital": ("hosp",),
	"center": ("ctr", "cntr"),
	"management": ("mgmt", "mgt"),
	"marketing": ("mktg",),
	"engineering": ("engg",),
	"products": ("prods",),
	"communications": ("comms",),
	"telecommunications": ("telecom", "telecoms"),
	"pharmaceuticals": ("pharma",),
	"laboratories": ("labs", "lab"),
	"foundation": ("fdn", "fndn"),
	"insurance": ("insur",),
	"financial": ("finl",),
	"solutions": ("solns",),
	"government": ("govt",),
	"environmental": ("envtl",),
	"cooperative": ("coop",),
	"distributors": ("distrs",),
	"enterprises": ("entps",),
	# German
	"gebruder": ("gebr",),
	"verwaltung": ("verw",),
	"vertrieb": ("vertr",),
	# French
	"groupe": ("gpe",),
	# Spanish / Portuguese
	"hermanos": ("hnos",),
	"grupo": ("gpo",),
	"nacional": ("nac",),
	# Italian
	"fratelli": ("flli",),
	# Dutch
	"maatschappij": ("mij",),
	# Polish
	"przedsiebiorstwo": ("przeds",),
}

# Other forms of the same word: canonical word -> forms (singular / plural, spelling variants). The
# canonical form is the one most company names use ("Technologies", "Services"): a name is compared
# as typed too when a long word of it was replaced, and that costs keys.
WORD_FORMS: dict[str, tuple[str, ...]] = {
	"technologies": ("technology",),
	"services": ("service",),
	"systems": ("system",),
	"holdings": ("holding",),
	"solutions": ("solution",),
	"products": ("product",),
	"industries": ("industry",),
	"laboratories": ("laboratory",),
	"partners": ("partner",),
	"enterprises": ("enterprise",),
	"networks": ("network",),
	"communications": ("communication",),
	"associates": ("associate",),
	"pharmaceuticals": ("pharmaceutical",),
	"sons": ("son",),
	"center": ("centre",),
	"gebruder": ("gebrueder",),
	"telecommunications": ("telecommunication",),
}

ABBREVIATION = "abbreviation"
WORD_FORM = "word form"

_WORD_RE = re.compile(r"[a-z0-9]+")


def normalise_word(word: str) -> str:
	"""A word as ``company_key`` tokenises it: ASCII, casefolded, without apostrophes or dots.

	Returns "" unless the result is one word of letters and digits.
	"""
	s = unidecode(word or "").casefold().strip()
	s = re.sub(r"['`.]", "", s)
	return s if _WORD_RE.fullmatch(s) else ""


@dataclass(frozen=True)
class Expansion:
	"""One rule: ``variant`` is read as ``canonical``; ``kind`` is "abbreviation" or "word form"."""

	variant: str
	canonical: str
	kind: str

	def describe(self) -> str:
		"""Reason text, e.g. "abbreviation St → Saint"."""
		return f"{self.kind} {self.variant.capitalize()} → {self.canonical.capitalize()}"


class AbbreviationTable:
	"""Variant word -> :class:`Expansion`; built by :func:`table`, immutable, hashable by its entries."""

	__slots__ = ("_hash", "entries", "mapping")

	def __init__(self, mapping: Mapping[str, Expansion], entries: tuple[tuple[str, str], ...]) -> None:
		self.mapping = dict(mapping)
		self.entries = entries  # the extra (site) entries it was built with
		self._hash = hash(entries)

	def __hash__(self) -> int:
		return self._hash

	def __eq__(self, other: object) -> bool:
		return isinstance(other, AbbreviationTable) and other.entries == self.entries

	def __len__(self) -> int:
		return len(self.mapping)

	def __repr__(self) -> str:
		return f"AbbreviationTable({len(self.mapping)} words, {len(self.entries)} extra)"

	def get(self, word: str) -> Expansion | None:
		return self.mapping.get(word)


def _forbidden() -> frozenset[str]:
	"""Words a rule may not use: stop words and one-word legal forms (those are stripped instead)."""
	words = set(lf.STOPWORDS)
	forms = [*lf.TRAILING_FORMS, *lf.LEADING_FORMS]
	for extra in (*lf.COUNTRY_TRAILING_FORMS.values(), *lf.COUNTRY_LEADING_FORMS.values()):
		forms.extend(extra)
	for form in forms:
		tokens = _WORD_RE.findall(re.sub(r"['`.]", "", unidecode(form).casefold().replace("&", " and ")))
		if len(tokens) == 1:
			words.add(tokens[0])
	return frozenset(words)


FORBIDDEN = _forbidden()


def check_entry(variant: str, canonical: str) -> str | None:
	"""Why a (variant, canonical) pair cannot be a rule, or None if it can (both already normalised)."""
	if not variant or not canonical:
		return "each side must be one word of letters or digits"
	if variant == canonical:
		return "the word and its expansion are the same"
	if variant in FORBIDDEN or canonical in FORBIDDEN:
		return "legal forms and stop words (Inc, GmbH, and, the ...) cannot be expanded"
	return None


def _build(extra: tuple[tuple[str, str], ...]) -> dict[str, Expansion]:
	rules: dict[str, tuple[str, str]] = {}
	for kind, groups in ((ABBREVIATION, ABBREVIATIONS), (WORD_FORM, WORD_FORMS)):
		for canonical, variants in groups.items():
			for variant in variants:
				rules[variant] = (canonical, kind)
	for variant, canonical in extra:
		rules[variant] = (canonical, ABBREVIATION)  # a site's entry wins over the shipped one
	# Resolve chains ("tek" -> "tech" -> "technology"); a cycle leaves its words unexpanded.
	out: dict[str, Expansion] = {}
	for variant, (canonical, kind) in rules.items():
		seen = {variant}
		while canonical in rules and canonical not in seen:
			seen.add(canonical)
			canonical = rules[canonical][0]
		if canonical in seen:
			continue
		out[variant] = Expansion(variant, canonical, kind)
	return out


@lru_cache(maxsize=32)
def _table(extra: tuple[tuple[str, str], ...]) -> AbbreviationTable:
	return AbbreviationTable(_build(extra), extra)


def table(extra: Iterable[tuple[str, str]] = ()) -> AbbreviationTable:
	"""The shipped table plus ``extra`` (variant, canonical) pairs; invalid pairs are skipped.

	Pairs are normalised like company names ("Int'l" -> "intl"). Tables are cached by their
	entries, so building the same one again is cheap.
	"""
	clean = []
	for variant, canonical in extra or ():
		v, c = normalise_word(variant), normalise_word(canonical)
		if check_entry(v, c) is None:
			clean.append((v, c))
	return _table(tuple(sorted(set(clean))))


DEFAULT = table()
