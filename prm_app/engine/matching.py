"""Conflict matching engine: normalised company names, registrable domains and pair scoring.

Pure Python (rapidfuzz, Unidecode, publicsuffixlist); never imports frappe. See docs/matching.md.

Names are compared as *canonical words*: ``company_key`` words (legal forms and a leading "The"
stripped, abbreviations and word forms expanded: "Intl" -> "international") minus the stop words
"and", "the", "und", "et", "y". Scoring is an evidence ladder; every rule is symmetric:

==================================================================  =====
evidence                                                            score
==================================================================  =====
same words in the same order                                          100
same words in a different order                                        96
joined words: same letters ignoring spaces ("Micro Soft"/"Microsoft")  96
joined words in a different order ("Soft Micro"/"Microsoft")           95
one typo in one word (OSA distance 1, the longer word >= 5 letters)    92
one typo where words are joined differently ("Micro Sfot"/"Microsoft") 91
two typos in a long name (the differing part >= 8 letters on both       89
sides, no short word touched, and the letters differ by at most one:
a typo plus a swap, or a missing letter here and an extra one there)
anything else: round(0.8 x fuzz.ratio of the sorted words)            <= 80
same registrable domain (not free mail / ISP)                         >= 90
==================================================================  =====

The typo rules compare what is left once the words both names share are set aside, so word order
and other words never count against them; they never apply to digits ("Store 10001"/"Store
10002"). An abbreviation or word form needed to make the names equal costs 1 point and is named in
the reasons ("abbreviation St → Saint"). When both countries are known and differ, a name-based
score drops by 3; every name rule stays >= DEFAULT_THRESHOLD. A same-domain pair scores
max(name score, 90), or 100 if the names match too. A shared free-mail domain adds nothing.

Every rule above the fuzzy ceiling needs the two names' letters to differ by at most one letter
(the same *letter bag* up to one letter): that is what ``match_keys`` indexes.
"""

from __future__ import annotations

import ipaddress
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import permutations
from typing import NamedTuple
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA
from unidecode import unidecode

from prm_app.engine import abbreviations as ab
from prm_app.engine import legal_forms as lf
from prm_app.engine.abbreviations import AbbreviationTable, Expansion

__all__ = [
	"DEFAULT_THRESHOLD",
	"AbbreviationTable",
	"Match",
	"Party",
	"company_key",
	"is_conflict",
	"is_free_mail_domain",
	"registrable_domain",
	"scope_overlap",
	"score",
]

DEFAULT_THRESHOLD = 85
"""A pair is a conflict when ``score(a, b).score >= DEFAULT_THRESHOLD``."""

SCORE_EXACT = 100
SCORE_REORDERED = 96
SCORE_JOINED = 96
SCORE_JOINED_REORDERED = 95
SCORE_TYPO = 92
SCORE_TYPO_JOINED = 91
SCORE_TWO_TYPOS = 89
SCORE_SAME_DOMAIN = 90
FUZZY_WEIGHT = 0.8  # fuzzy-only similarity can reach at most 80, never a conflict on its own
COUNTRY_PENALTY = 3
ABBREVIATION_PENALTY = 1
TYPO_MIN_LETTERS = 5  # one typo: the longer differing part has at least this many letters
TWO_TYPOS_MIN_LETTERS = 8  # two typos: the differing part has at least this many letters on both sides
_MAX_PERMUTED = 3  # leftover words tried in every order; longer lists only in name and sorted order

REASON_EXACT = "same normalized name"
REASON_REORDERED = "same words in a different order"
REASON_JOINED = "joined words"
REASON_JOINED_REORDERED = "joined words in a different order"
REASON_TYPO = "one-typo name variant"
REASON_TYPO_JOINED = "one typo with joined words"
REASON_TWO_TYPOS = "two-typo variant in a long name"

# ---------------------------------------------------------------------------------------------
# company_key

_ABBREV_RE = re.compile(r"(?<![a-z0-9])[a-z](?:[./][a-z])+\.?(?![a-z0-9])")
_APOSTROPHE_RE = re.compile(r"['`]")
_TOKEN_RE = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> list[str]:
	"""Transliterate, casefold, '&' -> 'and', collapse dotted abbreviations ("s.a." -> "sa"), split."""
	s = unidecode(text).casefold().replace("&", " and ")
	s = _APOSTROPHE_RE.sub("", s)
	s = _ABBREV_RE.sub(lambda m: m.group(0).replace(".", "").replace("/", ""), s)
	return _TOKEN_RE.findall(s)


def _form_set(forms: Iterable[str]) -> frozenset[tuple[str, ...]]:
	return frozenset(t for t in (tuple(_tokens(f)) for f in forms) if t)


_TRAILING = _form_set(lf.TRAILING_FORMS)
_LEADING = _form_set(lf.LEADING_FORMS)
_COUNTRY_TRAILING = {c: _TRAILING | _form_set(v) for c, v in lf.COUNTRY_TRAILING_FORMS.items()}
_COUNTRY_LEADING = {c: _LEADING | _form_set(v) for c, v in lf.COUNTRY_LEADING_FORMS.items()}
_MAX_FORM_LEN = max(len(t) for forms in (_TRAILING, _LEADING, *_COUNTRY_TRAILING.values()) for t in forms)


def _country_code(country: str | None) -> str | None:
	"""ISO alpha-2 code for a country code or a known English name; otherwise the casefolded text."""
	if not country:
		return None
	c = country.strip()
	if not c:
		return None
	if len(c) == 2:
		return c.upper()
	return lf.COUNTRY_ALIASES.get(c.casefold(), c.casefold())


def _strip_forms(tokens: list[str], trailing: frozenset, leading: frozenset) -> list[str]:
	"""Strip a leading "the" and legal forms at both ends until nothing changes; keep >= 1 token."""
	changed = True
	while changed and len(tokens) > 1:
		changed = False
		if tokens[0] == "the":
			tokens = tokens[1:]
			changed = True
			continue
		for n in range(min(_MAX_FORM_LEN, len(tokens) - 1), 0, -1):
			if tuple(tokens[-n:]) in trailing:
				tokens = tokens[:-n]
				changed = True
				break
		if changed:
			continue
		for n in range(min(_MAX_FORM_LEN, len(tokens) - 1), 0, -1):
			if tuple(tokens[:n]) in leading:
				tokens = tokens[n:]
				changed = True
				break
	return tokens


def _canonical(
	name: str, country: str | None, table: AbbreviationTable | None
) -> tuple[list[str], tuple[Expansion, ...], list[str]]:
	"""(canonical words, expansions used, words as typed) of a name; [] if it has no letter or digit.

	The words as typed are the canonical ones before expansion (legal forms already stripped).
	"""
	tokens = _tokens(name)
	if not tokens:
		return [], (), []
	code = _country_code(country)
	trailing = _COUNTRY_TRAILING.get(code, _TRAILING) if code else _TRAILING
	leading = _COUNTRY_LEADING.get(code, _LEADING) if code else _LEADING
	tokens = _strip_forms(tokens, trailing, leading)
	mapping = (table or ab.DEFAULT).mapping
	used: list[Expansion] = []
	out = []
	for token in tokens:
		rule = mapping.get(token)
		if rule is None:
			out.append(token)
		else:
			out.append(rule.canonical)
			used.append(rule)
	if used:
		# an expansion can complete a legal form ("Ges mit beschrankter Haftung"): strip again,
		# so that the key is idempotent
		out = _strip_forms(out, trailing, leading)
		kept = set(out)
		used = [rule for rule in used if rule.canonical in kept]
	return out, tuple(used), tokens


def company_key(name: str, country: str | None = None, abbreviations: AbbreviationTable | None = None) -> str:
	"""Normalized company name: lower-case ASCII words without punctuation, "The" or legal forms,
	abbreviations expanded.

	``company_key("Société Générale S.A.") == "societe generale"``,
	``company_key("St. Gobain Intl") == "saint gobain international"``. Legal forms are only removed
	at the ends, and never the last remaining word ("The Company Ltd" -> "company"). A name with
	no letters or digits falls back to its whitespace-collapsed text. Idempotent.
	``country`` (ISO code or English name) adds forms that are ordinary words elsewhere;
	``abbreviations`` is the table to expand with (default: the shipped one,
	``abbreviations.DEFAULT``).
	"""
	if not name:
		return ""
	tokens, _used, _typed = _canonical(name, country, abbreviations)
	if not tokens:
		return " ".join(name.split()) or name
	return " ".join(tokens)


# ---------------------------------------------------------------------------------------------
# domains

# The private section too: shops on myshopify.com, sites on github.io or wixsite.com are different
# companies, and "shop.myshopify.com" is the registrable domain of one of them.
_PSL = PublicSuffixList(only_icann=False, accept_unknown=False)
_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SPACE_RE = re.compile(r"\s")


def _host_of(value: str) -> str | None:
	s = value.strip()
	if "<" in s and s.endswith(">"):  # "Bob <bob@acme.com>"
		s = s[s.rindex("<") + 1 : -1].strip()
	if not s or _SPACE_RE.search(s):
		return None
	if s[:7].casefold() == "mailto:":
		s = s[7:]
	if "://" not in s:
		if "@" in s:
			s = s.rsplit("@", 1)[1]
		s = "//" + s
	try:
		host = urlsplit(s).hostname
	except ValueError:
		return None
	return host


def registrable_domain(value: str | None) -> str | None:
	"""Registrable domain ("acme.co.uk") of a URL, host (with or without port) or e-mail address.

	Uses the public suffix list bundled with ``publicsuffixlist`` (no network), its private section
	included, so that two shops on one hosting platform ("a.myshopify.com", "b.myshopify.com") are
	two domains.
	Returns lower-case ASCII; internationalised names are returned in punycode
	("bücher.de" -> "xn--bcher-kva.de"). Returns None for empty or invalid input, IP addresses,
	single-label hosts ("localhost"), unknown TLDs and bare public suffixes ("co.uk").
	"""
	if not value or not isinstance(value, str):
		return None
	host = _host_of(value)
	if not host:
		return None
	host = host.rstrip(".")
	if "." not in host:
		return None
	try:
		ipaddress.ip_address(host)
		return None
	except ValueError:
		pass
	if not host.isascii():
		try:
			host = host.encode("idna").decode("ascii")
		except UnicodeError:
			return None
	host = host.lower()
	labels = host.split(".")
	if not all(_LABEL_RE.match(label) for label in labels) or labels[-1].isdigit():
		return None
	return _PSL.privatesuffix(host)


def is_free_mail_domain(domain: str | None) -> bool:
	"""True for free-mail / consumer-ISP domains (gmail.com, hotmail.de, yahoo.co.jp, web.de ...).

	Accepts a registrable domain, a host, a URL or an e-mail address.
	"""
	if not domain:
		return False
	reg = registrable_domain(domain)
	return _is_free_registrable(reg if reg is not None else domain.strip().lower())


def _is_free_registrable(reg: str) -> bool:
	return reg in lf.FREE_MAIL_DOMAINS or reg.split(".", 1)[0] in lf.FREE_MAIL_BRANDS


# ---------------------------------------------------------------------------------------------
# parties and scoring


class _View(NamedTuple):
	"""A name's words seen one way (canonical, or as typed), with what the keys hold for them."""

	tokens: tuple[str, ...]  # words without stop words, in name order
	sorted_key: str  # sorted words joined by " " (word-order insensitive)
	compact: str  # words joined without spaces (spacing insensitive)
	bag: str  # the compact name's characters, sorted (order and spacing insensitive)
	letters: int  # letters (not digits) in the compact name
	keyed: bool  # the bag's one-letter deletions are keys too


class _Sig(NamedTuple):
	"""Precomputed comparison data for a Party."""

	view: _View  # canonical words (abbreviations expanded)
	typed: _View | None  # the words as typed, when an expansion changed them
	expansions: tuple[Expansion, ...]  # abbreviation / word-form rules used by the name
	domain: str | None  # registrable domain if it is evidence (not free mail)
	country: str | None

	@property
	def tokens(self) -> tuple[str, ...]:
		return self.view.tokens

	@property
	def sorted_key(self) -> str:
		return self.view.sorted_key


def _content(words: Iterable[str]) -> tuple[str, ...]:
	words = list(words)
	return tuple(sys.intern(t) for t in words if t not in lf.STOPWORDS) or tuple(map(sys.intern, words))


def _view(tokens: tuple[str, ...], key: str, keyed: bool = True) -> _View:
	if not tokens:  # no letters or digits at all: only the exact fallback key can match
		fallback = "\x00" + key
		return _View(tokens, fallback, fallback, fallback, 0, False)
	compact = "".join(tokens)
	letters = sum(1 for ch in compact if not ch.isdigit())
	keyed = keyed and letters >= TYPO_MIN_LETTERS
	return _View(tokens, " ".join(sorted(tokens)), compact, "".join(sorted(compact)), letters, keyed)


def _signature(
	words: list[str],
	used: tuple[Expansion, ...],
	typed_words: list[str],
	key: str,
	domain: str | None,
	country: str | None,
) -> _Sig:
	view = _view(_content(words), key)
	typed = None
	if used:
		# Typos in a word that was replaced are looked for in the words as typed ("Technolgies" /
		# "Technologies" read "technologies" / "technology"): the keys hold the typed bag, and its
		# deletions when a replaced word is long enough to carry a typo.
		long_replaced = any(len(rule.variant) >= TYPO_MIN_LETTERS for rule in used)
		typed = _view(_content(typed_words), key, keyed=long_replaced)
		if typed.bag == view.bag:
			typed = None
	evidence = domain if domain and not _is_free_registrable(domain) else None
	return _Sig(view, typed, used, evidence, _country_code(country))


def _products(products: Iterable[str] | None) -> frozenset[str]:
	if not products:
		return frozenset()
	if isinstance(products, str):
		products = (products,)
	return frozenset(p.strip() for p in products if p and p.strip())


@dataclass(frozen=True, slots=True)
class Party:
	"""A company on one side of a possible conflict.

	``domain`` may be a URL, host or e-mail address; it is normalised with ``registrable_domain``
	(None if invalid). ``key`` is ``company_key(name, country, abbreviations)``. ``abbreviations``
	is the table names are expanded with (default: the shipped one); both sides of a comparison
	should use the same table.
	"""

	name: str
	domain: str | None = None
	country: str | None = None
	territory: str | None = None
	products: frozenset[str] = frozenset()
	abbreviations: AbbreviationTable | None = field(default=None, compare=False, repr=False)
	key: str = field(init=False, compare=False)
	_sig: _Sig = field(init=False, repr=False, compare=False)

	def __post_init__(self) -> None:
		name = self.name or ""
		domain = registrable_domain(self.domain) if self.domain else None
		table = self.abbreviations or ab.DEFAULT
		words, used, typed = _canonical(name, self.country, table) if name else ([], (), [])
		key = " ".join(words) if words else " ".join(name.split()) or name
		object.__setattr__(self, "name", name)
		object.__setattr__(self, "domain", domain)
		object.__setattr__(self, "products", _products(self.products))
		object.__setattr__(self, "abbreviations", table)
		object.__setattr__(self, "key", key)
		object.__setattr__(self, "_sig", _signature(words, used, typed, key, domain, self.country))


@dataclass(frozen=True, slots=True)
class Match:
	"""Result of comparing two parties: ``score`` 0..100 and human-readable ``reasons``."""

	score: int
	reasons: tuple[str, ...] = ()

	@property
	def is_conflict(self) -> bool:
		"""True when ``score >= DEFAULT_THRESHOLD``."""
		return self.score >= DEFAULT_THRESHOLD


def is_conflict(match: Match, threshold: int = DEFAULT_THRESHOLD) -> bool:
	"""True when ``match.score >= threshold``."""
	return match.score >= threshold


def bag_distance(a: str, b: str) -> int:
	"""Letters to take out of each side until two sorted letter bags are equal (the larger side).

	0 for the same letters in any order or spacing; 1 for one typo or a typo plus a swap.
	"""
	if a == b:
		return 0
	ca, cb = Counter(a), Counter(b)
	return max((ca - cb).total(), (cb - ca).total())


def _leftovers(ta: tuple[str, ...], tb: tuple[str, ...]) -> tuple[list[str], list[str]]:
	"""The words of each side that the other does not have (multiset difference, name order)."""
	cb = Counter(tb)
	la = []
	for t in ta:
		if cb[t]:
			cb[t] -= 1
		else:
			la.append(t)
	ca = Counter(ta)
	lb = []
	for t in tb:
		if ca[t]:
			ca[t] -= 1
		else:
			lb.append(t)
	return la, lb


def _orders(words: list[str]) -> Iterable[tuple[str, ...]]:
	if len(words) <= _MAX_PERMUTED:
		return set(permutations(words))
	return {tuple(words), tuple(sorted(words))}


def _closest(la: list[str], lb: list[str]) -> tuple[int, str, str]:
	"""(OSA distance capped at 3, joined a, joined b) over the orders of both leftover lists."""
	best = (3, "", "")
	for pa in _orders(la):
		u = "".join(pa)
		for pb in _orders(lb):
			v = "".join(pb)
			d = OSA.distance(u, v, score_cutoff=2)
			if d < best[0]:
				best = (d, u, v)
				if d == 0:
					return best
	return best


def _paired_typos(la: list[str], lb: list[str]) -> bool:
	"""Equal word counts: some one-to-one pairing has two edits in all, none in a short word.

	A word with one edit has a partner of >= 5 letters on one side; a word with two edits has
	>= 8 letters on both sides.
	"""
	for pb in _orders(lb):
		total, ok = 0, True
		for u, v in zip(la, pb, strict=True):
			d = OSA.distance(u, v, score_cutoff=2)
			total += d
			if total > 2 or (d == 1 and max(len(u), len(v)) < TYPO_MIN_LETTERS):
				ok = False
				break
			if d == 2 and min(len(u), len(v)) < TWO_TYPOS_MIN_LETTERS:
				ok = False
				break
		if ok and total == 2:
			return True
	return False


def _keys_reach(va: _View, vb: _View, delta: int) -> bool:
	"""Whether the stored keys of two views one letter apart (``delta`` 1) share one: the longer
	bag's deletions hold the shorter bag, or both hold the same deletion."""
	if delta == 0:
		return True
	if len(va.bag) == len(vb.bag):
		return va.keyed and vb.keyed
	return (va if len(va.bag) > len(vb.bag) else vb).keyed


def _typo_rule(va: _View, vb: _View) -> tuple[int, str] | None:
	"""The joined-words / typo rule that makes a conflict of two different names, if any."""
	if abs(len(va.compact) - len(vb.compact)) > 2:
		return None
	delta = bag_distance(va.bag, vb.bag)
	if delta > 1 or not _keys_reach(va, vb, delta):
		return None  # every rule below keeps the letters within one of each other
	la, lb = _leftovers(va.tokens, vb.tokens)
	if not la or not lb:
		return None  # a word dropped or added: not the same name
	d, u, v = _closest(la, lb)
	if d == 0:
		return SCORE_JOINED_REORDERED, REASON_JOINED_REORDERED
	if d > 2 or not (u.isalpha() and v.isalpha()):
		return None  # typos never apply to digits
	if d == 1:
		if max(len(u), len(v)) < TYPO_MIN_LETTERS:
			return None
		if len(la) == len(lb) == 1:
			return SCORE_TYPO, REASON_TYPO
		return SCORE_TYPO_JOINED, REASON_TYPO_JOINED
	# two typos, in a long differing part
	if min(len(u), len(v)) < TWO_TYPOS_MIN_LETTERS:
		return None
	if len(la) == len(lb) and _paired_typos(la, lb):
		return SCORE_TWO_TYPOS, REASON_TWO_TYPOS
	# words joined differently: every word shorter than the two-typo minimum is left intact
	for words, other in ((la, v), (lb, u)):
		if any(len(w) < TWO_TYPOS_MIN_LETTERS and w not in other for w in words):
			return None
	return SCORE_TWO_TYPOS, REASON_TWO_TYPOS


def _view_rule(va: _View, vb: _View) -> tuple[int, str] | None:
	"""The rule that makes two different views of names a conflict, if any."""
	if va.sorted_key == vb.sorted_key:
		return SCORE_REORDERED, REASON_REORDERED
	if va.compact == vb.compact:
		return SCORE_JOINED, REASON_JOINED
	return _typo_rule(va, vb)


def _name_rule(a: Party, b: Party) -> tuple[int, str, bool] | None:
	"""(score, reason, read as typed) of the name rule that makes the pair a conflict, or None."""
	sa, sb = a._sig, b._sig
	if not a.key or not b.key:
		return None
	if a.key == b.key or (sa.tokens and sa.tokens == sb.tokens):
		return SCORE_EXACT, REASON_EXACT, False
	if not (sa.tokens and sb.tokens):
		return None
	rule = _view_rule(sa.view, sb.view)
	if rule:
		return (*rule, False)
	if sa.typed or sb.typed:
		rule = _view_rule(sa.typed or sa.view, sb.typed or sb.view)
		if rule:
			return (*rule, True)
	return None


def _expansion_reasons(sa: _Sig, sb: _Sig) -> list[str]:
	"""The abbreviation / word-form rules one side needed to read like the other."""
	if not (sa.expansions or sb.expansions):
		return []
	shared = set(sa.tokens) & set(sb.tokens)
	rules = {e for e in set(sa.expansions) ^ set(sb.expansions) if e.canonical in shared}
	return [e.describe() for e in sorted(rules, key=lambda e: (e.canonical, e.variant))]


def score(a: Party, b: Party) -> Match:
	"""Compare two parties (symmetric; ``score(a, a).score == 100`` for a non-empty name)."""
	sa, sb = a._sig, b._sig
	rule = _name_rule(a, b)
	if rule:
		value, why, as_typed = rule
		reasons = [why]
		expanded = [] if as_typed else _expansion_reasons(sa, sb)
		if expanded:
			value -= ABBREVIATION_PENALTY
			reasons.extend(expanded)
	elif a.key and b.key:
		sim = round(fuzz.ratio(sa.sorted_key, sb.sorted_key))
		value = round(sim * FUZZY_WEIGHT)
		reasons = [f"name similarity {sim}"] if sim else []
	else:
		value, reasons = 0, []
	if value and sa.country and sb.country and sa.country != sb.country:
		value -= COUNTRY_PENALTY
		lo, hi = sorted((sa.country, sb.country))
		reasons.append(f"different countries ({lo} / {hi})")
	if sa.domain and sa.domain == sb.domain:
		value = SCORE_EXACT if value >= DEFAULT_THRESHOLD else max(value, SCORE_SAME_DOMAIN)
		reasons.insert(0, f"same domain {sa.domain}")
	elif a.domain and a.domain == b.domain:
		reasons.append(f"shared free-mail domain {a.domain} ignored")
	return Match(max(0, min(100, value)), tuple(reasons))


def scope_overlap(a: Party, b: Party) -> tuple[bool, bool]:
	"""(territory overlap, product overlap); an unknown (None/empty) side overlaps everything."""
	ta, tb = (a.territory or "").strip().casefold(), (b.territory or "").strip().casefold()
	territory = not ta or not tb or ta == tb
	products = not a.products or not b.products or not a.products.isdisjoint(b.products)
	return territory, products
