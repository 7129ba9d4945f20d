"""Conflict matching engine: company-name keys, registrable domains, pair scoring and a candidate index.

Pure Python (rapidfuzz, Unidecode, publicsuffixlist); never imports frappe. See docs/matching.md.

Scoring is an evidence ladder over the name tokens (``company_key`` words minus the stop words
"and", "the", "und", "et", "y") and the registrable domain; every rule is symmetric:

==============================================================  =====
evidence                                                        score
==============================================================  =====
same normalized name                                              100
same words in a different order                                    96
same name ignoring spaces/hyphens ("Coca-Cola" / "CocaCola")        96
one typo: the token multisets differ in exactly one token pair      92
at OSA distance 1 (insert, delete, substitute or swap two
adjacent letters), the longer token has >= 5 letters and
neither contains a digit ("IBM"/"IBX", "Dell"/"Bell" and
"Store 10001"/"Store 10002" do not match)
anything else: round(0.8 x fuzz.ratio of the sorted keys)       <= 80
same registrable domain (not free mail / ISP)                   >= 90
==============================================================  =====

When both countries are known and differ, a name-based score drops by 3 (all name rules stay
>= DEFAULT_THRESHOLD). A same-domain pair scores max(name score, 90), or 100 if the names match
too. A shared free-mail domain adds nothing.
"""

from __future__ import annotations

import ipaddress
import re
import sys
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA
from unidecode import unidecode

from prm_app.engine import legal_forms as lf

__all__ = [
	"DEFAULT_THRESHOLD",
	"ConflictIndex",
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
SCORE_SPACING = 96
SCORE_TYPO = 92
SCORE_SAME_DOMAIN = 90
FUZZY_WEIGHT = 0.8  # fuzzy-only similarity can reach at most 80, never a conflict on its own
COUNTRY_PENALTY = 3
TYPO_MIN_TOKEN_LEN = 5  # the longer of the two differing tokens must have at least this many letters

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


def company_key(name: str, country: str | None = None) -> str:
	"""Normalized company name: lower-case ASCII words without punctuation, "The" or legal forms.

	``company_key("Société Générale S.A.") == "societe generale"``. Legal forms are only removed
	at the ends, and never the last remaining word ("The Company Ltd" -> "company"). A name with
	no letters or digits falls back to its whitespace-collapsed text. Idempotent.
	``country`` (ISO code or English name) adds forms that are ordinary words elsewhere.
	"""
	if not name:
		return ""
	tokens = _tokens(name)
	if not tokens:
		return " ".join(name.split()) or name
	code = _country_code(country)
	trailing = _COUNTRY_TRAILING.get(code, _TRAILING) if code else _TRAILING
	leading = _COUNTRY_LEADING.get(code, _LEADING) if code else _LEADING
	return " ".join(_strip_forms(tokens, trailing, leading))


# ---------------------------------------------------------------------------------------------
# domains

_PSL = PublicSuffixList(only_icann=True, accept_unknown=False)
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

	Uses the ICANN section of the public suffix list bundled with ``publicsuffixlist`` (no network).
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


class _Sig(NamedTuple):
	"""Precomputed comparison data for a Party."""

	tokens: tuple[str, ...]  # key tokens without stop words, in name order
	sorted_key: str  # sorted tokens joined by " " (word-order insensitive)
	compact: str  # tokens joined without spaces (spacing insensitive)
	domain: str | None  # registrable domain if it is evidence (not free mail)
	country: str | None


def _signature(key: str, domain: str | None, country: str | None) -> _Sig:
	words = key.split() if _TOKEN_RE.fullmatch(key.replace(" ", "") or "-") else []
	tokens = tuple(sys.intern(t) for t in words if t not in lf.STOPWORDS) or tuple(map(sys.intern, words))
	if tokens:
		sorted_key = " ".join(sorted(tokens))
		compact = "".join(tokens)
	else:  # no letters or digits at all: only the exact fallback key can match
		sorted_key = compact = "\x00" + key
	evidence = domain if domain and not _is_free_registrable(domain) else None
	return _Sig(tokens, sorted_key, compact, evidence, _country_code(country))


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
	(None if invalid). ``key`` is ``company_key(name, country)``.
	"""

	name: str
	domain: str | None = None
	country: str | None = None
	territory: str | None = None
	products: frozenset[str] = frozenset()
	key: str = field(init=False, compare=False)
	_sig: _Sig = field(init=False, repr=False, compare=False)

	def __post_init__(self) -> None:
		name = self.name or ""
		domain = registrable_domain(self.domain) if self.domain else None
		key = company_key(name, self.country)
		object.__setattr__(self, "name", name)
		object.__setattr__(self, "domain", domain)
		object.__setattr__(self, "products", _products(self.products))
		object.__setattr__(self, "key", key)
		object.__setattr__(self, "_sig", _signature(key, domain, self.country))


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


def _one_typo(ta: tuple[str, ...], tb: tuple[str, ...]) -> bool:
	"""True if the token multisets differ in exactly one token each, and those are one typo apart."""
	if len(ta) != len(tb):
		return False
	ca, cb = Counter(ta), Counter(tb)
	da, db = ca - cb, cb - ca
	if da.total() != 1 or db.total() != 1:
		return False
	return _typo_tokens(next(iter(da)), next(iter(db)))


def _typo_tokens(u: str, v: str) -> bool:
	"""One OSA edit between two tokens, the longer one >= TYPO_MIN_TOKEN_LEN letters, no digits."""
	if max(len(u), len(v)) < TYPO_MIN_TOKEN_LEN or not (u.isalpha() and v.isalpha()):
		return False
	return OSA.distance(u, v, score_cutoff=1) == 1


def _name_score(a: Party, b: Party) -> tuple[int, str]:
	sa, sb = a._sig, b._sig
	if not a.key or not b.key:
		return 0, ""
	if a.key == b.key or (sa.tokens and sa.tokens == sb.tokens):
		return SCORE_EXACT, "same normalized name"
	if sa.sorted_key == sb.sorted_key:
		return SCORE_REORDERED, "same words in a different order"
	if sa.compact == sb.compact:
		return SCORE_SPACING, "same name ignoring spaces"
	if _one_typo(sa.tokens, sb.tokens):
		return SCORE_TYPO, "one-typo name variant"
	sim = round(fuzz.ratio(sa.sorted_key, sb.sorted_key))
	return round(sim * FUZZY_WEIGHT), f"name similarity {sim}" if sim else ""


def score(a: Party, b: Party) -> Match:
	"""Compare two parties (symmetric; ``score(a, a).score == 100`` for a non-empty name)."""
	value, why = _name_score(a, b)
	reasons = [why] if why else []
	sa, sb = a._sig, b._sig
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


# ---------------------------------------------------------------------------------------------
# index

R = TypeVar("R", bound=Hashable)

_TYPO_MIN_QUERY_LEN = TYPO_MIN_TOKEN_LEN - 1  # a 4-letter token can gain a letter and reach 5


def _typo_eligible(token: str) -> bool:
	return len(token) >= _TYPO_MIN_QUERY_LEN and token.isalpha()


def _deletes(token: str) -> set[str]:
	"""The token and all its one-letter deletions (symmetric-delete neighbourhood)."""
	out = {token}
	for i in range(len(token)):
		out.add(token[:i] + token[i + 1 :])
	return out


def _bucket_add(d: dict, key: object, value: object) -> None:
	cur = d.get(key)
	if cur is None:
		d[key] = value
	elif type(cur) is list:
		cur.append(value)
	else:
		d[key] = [cur, value]


def _bucket_remove(d: dict, key: object, value: object) -> None:
	cur = d.get(key)
	if cur is None:
		return
	if type(cur) is list:
		cur.remove(value)
		if len(cur) == 1:
			d[key] = cur[0]
	elif cur == value:
		del d[key]


def _bucket_iter(d: dict, key: object) -> Iterable:
	cur = d.get(key)
	if cur is None:
		return ()
	return cur if type(cur) is list else (cur,)


class ConflictIndex(Generic[R]):
	"""Index of parties by reference, returning those that score >= threshold against a query.

	Candidate generation never scans all records. Because a name-based conflict requires one of
	"same sorted tokens", "same compact name" or "token multisets one allowed typo apart" (see the
	module docstring), candidates are found with exact dictionary lookups:

	* ``sorted_key -> refs`` and ``compact -> refs`` (same name, word order, spacing variants);
	* ``domain -> refs`` for non-free-mail domains;
	* typos: a token-level symmetric-delete dictionary over the *vocabulary* of distinct tokens
	  (``token or one-letter deletion -> vocabulary tokens``). For each query token we look up the
	  vocabulary tokens one OSA edit away, substitute them into the query's sorted token list and
	  look the result up in ``sorted_key -> refs``.

	Deletion neighbourhoods of tokens (not of whole names) keep memory proportional to the
	vocabulary, and a query costs ~(tokens x token length) dictionary probes whatever the size of
	the index; common words cost nothing extra because no posting list is ever scanned. The
	candidate set is complete: ``search`` returns exactly what brute-force ``score`` over every
	record returns for any threshold above 80 (the fuzzy-only ceiling); lower thresholds only
	filter the same candidates.
	"""

	def __init__(self) -> None:
		self._records: dict[R, tuple[int, Party]] = {}
		self._seq = 0
		self._by_sorted: dict[str, R | list[R]] = {}
		self._by_compact: dict[str, R | list[R]] = {}
		self._by_domain: dict[str, R | list[R]] = {}
		self._vocab: dict[str, int] = {}
		self._del: dict[str, str | list[str]] = {}

	def __len__(self) -> int:
		return len(self._records)

	def __contains__(self, ref: object) -> bool:
		return ref in self._records

	def get(self, ref: R) -> Party | None:
		"""The party stored under ``ref``, or None."""
		rec = self._records.get(ref)
		return rec[1] if rec else None

	def add(self, ref: R, party: Party) -> None:
		"""Index ``party`` under ``ref`` (replacing any party already stored under ``ref``)."""
		if ref in self._records:
			self.discard(ref)
		self._seq += 1
		self._records[ref] = (self._seq, party)
		sig = party._sig
		_bucket_add(self._by_sorted, sig.sorted_key, ref)
		if sig.compact != sig.sorted_key:
			_bucket_add(self._by_compact, sig.compact, ref)
		if sig.domain:
			_bucket_add(self._by_domain, sig.domain, ref)
		vocab = self._vocab
		for tok in set(sig.tokens):
			n = vocab.get(tok)
			if n:
				vocab[tok] = n + 1
				continue
			vocab[tok] = 1
			if _typo_eligible(tok):
				for d in _deletes(tok):
					_bucket_add(self._del, d, tok)

	def discard(self, ref: R) -> None:
		"""Remove ``ref`` if present."""
		rec = self._records.pop(ref, None)
		if rec is None:
			return
		sig = rec[1]._sig
		_bucket_remove(self._by_sorted, sig.sorted_key, ref)
		if sig.compact != sig.sorted_key:
			_bucket_remove(self._by_compact, sig.compact, ref)
		if sig.domain:
			_bucket_remove(self._by_domain, sig.domain, ref)
		vocab = self._vocab
		for tok in set(sig.tokens):
			n = vocab[tok] - 1
			if n:
				vocab[tok] = n
				continue
			del vocab[tok]
			if _typo_eligible(tok):
				for d in _deletes(tok):
					_bucket_remove(self._del, d, tok)

	def _typo_neighbours(self, token: str) -> set[str]:
		out: set[str] = set()
		for d in _deletes(token):
			for cand in _bucket_iter(self._del, d):
				if cand != token and _typo_tokens(token, cand):
					out.add(cand)
		return out

	def candidates(self, party: Party) -> set[R]:
		"""References that may score >= 81 against ``party`` (superset of the true matches)."""
		sig = party._sig
		out: set[R] = set()
		out.update(_bucket_iter(self._by_sorted, sig.sorted_key))
		out.update(_bucket_iter(self._by_sorted, sig.compact))
		out.update(_bucket_iter(self._by_compact, sig.compact))
		if sig.domain:
			out.update(_bucket_iter(self._by_domain, sig.domain))
		tokens = sorted(sig.tokens)
		by_sorted = self._by_sorted
		seen: set[str] = set()
		for i, tok in enumerate(tokens):
			if tok in seen or not _typo_eligible(tok):
				continue
			seen.add(tok)
			rest = tokens[:i] + tokens[i + 1 :]
			for nb in self._typo_neighbours(tok):
				out.update(_bucket_iter(by_sorted, " ".join(sorted([*rest, nb]))))
		return out

	def search(
		self, party: Party, threshold: int = DEFAULT_THRESHOLD, limit: int | None = 20
	) -> list[tuple[R, Match]]:
		"""Indexed parties scoring >= ``threshold`` against ``party``, best first.

		Ties are broken by insertion order (oldest first). ``limit=None`` returns all.
		"""
		found: list[tuple[int, int, R, Match]] = []
		records = self._records
		for ref in self.candidates(party):
			seq, other = records[ref]
			m = score(party, other)
			if m.score >= threshold:
				found.append((-m.score, seq, ref, m))
		found.sort(key=lambda t: (t[0], t[1]))
		if limit is not None:
			found = found[:limit]
		return [(ref, m) for _, _, ref, m in found]
