"""Deterministic synthetic company names with planted variants and hard negatives (no frappe).

Shared by the engine benchmark (``python -m prm_app.benchmarks.engine``) and the database
benchmark (``bench --site SITE prm-benchmark-conflict-check``). Everything is derived from a seed:
no network, no data files.

``generate(n_records, n_queries, seed)`` returns a ``Dataset``: N records in which "seed" companies
have planted variants (legal form, punctuation/case, accents, word order, one typo, spacing, "The",
"&"/"and", abbreviations, a combination, and same-domain trade names) among filler companies, hard
negatives that share all but one word with a seed, and near negatives whose name is a near miss
the rules must reject; plus known-name queries, noisy queries (themselves a typo / word-order /
spacing / abbreviation / combined variant) and, among both, queries for companies that are not
indexed at all (hard negatives of a seed). See docs/benchmarks.md for the definitions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA
from unidecode import unidecode

from prm_app.engine import abbreviations as ab
from prm_app.engine import legal_forms as lf
from prm_app.engine.matching import _LEADING, _TRAILING

INDUSTRIES = (
	"Systems Logistics Holdings Solutions Global Digital Foods Energy Capital Partners Technologies "
	"Consulting Industries Pharma Medical Networks Software Labs Analytics Robotics Ventures Group "
	"Services Trading Imports Textiles Motors Mills Airlines Express Bank Insurance Media Studios Farms "
	"Brewing Freight Shipping Construction Engineering Materials Chemicals Plastics Metals Mining "
	"Resources Realty Properties Hospitality Hotels Travel Health Dental Clinics Retail Apparel Fashion "
	"Design Marketing Advertising Security Cloud Data Telecom Wireless Electronics Devices Instruments "
	"Automation Aerospace Marine Organics Beverages Bakery Furniture Interiors Printing Packaging "
	"Education Learning Finance Lending Payments Biotech Genomics Diagnostics Therapeutics Power Solar "
	"Wind Water Environmental Recycling Outfitters Brands Supply Components Fabrication Tooling Optics "
	"Lighting Acoustics Gaming Entertainment Publishing Records Pictures Kitchens Catering Nutrition "
	"Cosmetics Jewelry Footwear Sports Fitness Wellness Veterinary Petcare Agritech Seeds Fisheries Dairy "
	"Vineyards Distillery Coffee Transport Aviation Rail Trucking Couriers Storage Warehousing Parking "
	"Manufacturing Associates Brothers Hospital University"
).split()
QUALIFIERS = (
	"General National American International United First Pacific Atlantic Northern Southern Eastern "
	"Western Royal Premier Advanced Applied Integrated Strategic Allied Universal Standard Central "
	"Metro Coastal Summit Pioneer Heritage Liberty Continental Imperial Federal Republic Modern Classic "
	"Prime Superior Dynamic Precision Quantum Vertex Apex Horizon Meridian Keystone Frontier Sterling "
	"Golden Silver Evergreen Redwood Bluewater Ironwood Granite Cardinal Eagle Falcon Phoenix Orion "
	"Saint Mount"
).split()
SURNAMES = (
	"Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez "
	"Wilson Anderson Thomas Taylor Moore Jackson Martin Thompson White Harris Sanchez Clark Ramirez "
	"Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson "
	"Baker Hall Rivera Campbell Mitchell Carter Roberts Müller Schmidt Schneider Fischer Weber Meyer "
	"Wagner Becker Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann "
	"Braun Krüger Hartmann Lange Werner Krause Lehmann Köhler Dubois Lefèvre Moreau Laurent Simon "
	"Michel Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu "
	"Clément Gauthier Dumont Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco "
	"Bruno Gallo Conti Costa Giordano Mancini Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani "
	"Rinaldi Caruso Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Serra Coppola Sorrentino "
	"Tanaka Suzuki Takahashi Watanabe Yamamoto Nakamura Kobayashi Yoshida Yamada Sasaki Yamaguchi "
	"Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki Mori Ikeda Hashimoto Ishikawa Ogawa Okada Hasegawa "
	"Fujita Kim Park Choi Jung Kang Cho Yoon Jang Chen Wang Zhang Liu Yang Huang Zhao Zhou Singh Kumar "
	"Patel Sharma Gupta Mehta Reddy Iyer Nair Joshi Kapoor Malhotra Banerjee Chatterjee Mukherjee "
	"Silva Santos Oliveira Souza Pereira Ferreira Almeida Carvalho Gomes Ribeiro Rocha Barbosa Cardoso "
	"Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Dvořák Novák "
	"Svoboda Novotný Černý Procházka Kučera Veselý Horváth Kovács Szabó Tóth Nagy Varga Jensen Nielsen "
	"Hansen Pedersen Andersen Larsen Johansson Karlsson Nilsson Eriksson Lindqvist Virtanen Korhonen "
	"Mäkinen Nieminen Ivanov Smirnov Kuznetsov Popov Volkov Sokolov Lebedev Kozlov Novikov Morozov"
).split()

_ONSETS = (
	"b c d f g h j k l m n p r s t v w z b d k l m n p r s t v br cr dr fr gr kr pr tr st sh ch th".split()
)
_NUCLEI = "a e i o u a e i o u a e i o ea io ia".split()
_CODAS = ["", "", "", "", "", "n", "r", "l", "s", "x", "m", "nt", "rk", "st"]

COUNTRY_WEIGHTS = {
	"US": 30,
	"GB": 10,
	"DE": 8,
	"FR": 5,
	"ES": 4,
	"IT": 4,
	"NL": 3,
	"MX": 3,
	"BR": 3,
	"AU": 3,
	"JP": 3,
	"IN": 4,
	"SG": 2,
	"MY": 2,
	"ID": 2,
	"SE": 2,
	"DK": 1,
	"NO": 1,
	"FI": 1,
	"PL": 2,
	"CZ": 1,
	"HU": 1,
	"RU": 2,
	"CH": 2,
}
TLD = {
	"US": "com",
	"GB": "co.uk",
	"DE": "de",
	"FR": "fr",
	"ES": "es",
	"IT": "it",
	"NL": "nl",
	"MX": "com.mx",
	"BR": "com.br",
	"AU": "com.au",
	"JP": "co.jp",
	"IN": "co.in",
	"SG": "com.sg",
	"MY": "com.my",
	"ID": "co.id",
	"SE": "se",
	"DK": "dk",
	"NO": "no",
	"FI": "fi",
	"PL": "pl",
	"CZ": "cz",
	"HU": "hu",
	"RU": "ru",
	"CH": "ch",
}
# Display legal forms; a leading "<" marks a form written before the name.
FORMS = {
	"US": ("Inc.", "Inc", "LLC", "Corp.", "Corporation", "Incorporated", "L.L.C.", "Co.", "LP", "Company"),
	"GB": ("Ltd", "Ltd.", "Limited", "PLC", "plc", "LLP", "Co. Ltd"),
	"DE": ("GmbH", "AG", "GmbH & Co. KG", "KG", "SE", "Aktiengesellschaft"),
	"FR": ("SA", "S.A.", "SAS", "SARL", "EURL", "S.A.S."),
	"ES": ("S.A.", "S.L.", "SL", "SLU", "S.L.U."),
	"IT": ("S.p.A.", "SpA", "S.r.l.", "SRL"),
	"NL": ("B.V.", "BV", "N.V.", "NV"),
	"MX": ("S.A. de C.V.", "SA de CV", "S. de R.L. de C.V.", "S. de R.L.", "S.A.B. de C.V."),
	"BR": ("Ltda.", "Ltda", "S.A.", "Limitada"),
	"AU": ("Pty Ltd", "Pty. Ltd.", "Pty Limited", "Limited"),
	"JP": ("K.K.", "KK", "Co., Ltd.", "<Kabushiki Kaisha"),
	"IN": ("Pvt Ltd", "Pvt. Ltd.", "Private Limited", "Limited"),
	"SG": ("Pte Ltd", "Pte. Ltd.", "Private Limited"),
	"MY": ("Sdn Bhd", "Sdn. Bhd.", "Bhd"),
	"ID": ("<PT", "<PT|Tbk"),
	"SE": ("AB", "AB (publ)"),
	"DK": ("A/S", "ApS"),
	"NO": ("AS", "ASA"),
	"FI": ("Oy", "Oyj"),
	"PL": ("Sp. z o.o.", "S.A.", "sp. z o.o."),
	"CZ": ("s.r.o.", "a.s.", "spol. s r.o."),
	"HU": ("Kft.", "Zrt.", "Kft"),
	"RU": ("<OOO", "JSC", "PJSC", "<ZAO"),
	"CH": ("AG", "GmbH", "SA", "Sàrl"),
}
FREE_MAIL = (
	"gmail.com",
	"yahoo.com",
	"hotmail.com",
	"outlook.com",
	"gmx.de",
	"web.de",
	"yahoo.co.uk",
	"hotmail.fr",
	"qq.com",
	"163.com",
	"mail.ru",
	"icloud.com",
	"aol.com",
	"libero.it",
	"orange.fr",
)
ACCENTS = {
	"a": "áàäâã",
	"e": "éèëê",
	"i": "íïî",
	"o": "óöôõ",
	"u": "úüû",
	"c": "ç",
	"n": "ñ",
	"s": "š",
	"z": "ž",
}
VARIANT_KINDS = (
	"suffix",
	"punct",
	"accent",
	"order",
	"typo",
	"spacing",
	"the",
	"and",
	"abbrev",
	"combo",
	"domain",
)
QUERY_LIGHT = ("suffix", "punct", "accent", "the")
QUERY_NOISY = ("typo", "order", "spacing", "abbrev", "combo")
_STRIPPABLE = {t[0] for t in _TRAILING | _LEADING if len(t) == 1} | set(lf.STOPWORDS)


def _spellings() -> dict[str, tuple[str, ...]]:
	"""Canonical word -> every spelling of it in the shipped abbreviation table (itself included)."""
	out: dict[str, list[str]] = {}
	for groups in (ab.ABBREVIATIONS, ab.WORD_FORMS):
		for canonical, variants in groups.items():
			out.setdefault(canonical, [canonical]).extend(variants)
	return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


SPELLINGS = _spellings()


def _norm(word: str) -> str:
	return unidecode(word).lower()


def _canon(word: str) -> str:
	"""The word as the engine compares it (abbreviations and word forms expanded)."""
	n = _norm(word)
	rule = ab.DEFAULT.get(n)
	return rule.canonical if rule else n


@dataclass(slots=True)
class Identity:
	"""A synthetic company: display words ("&" allowed), country, legal form and web domain."""

	words: tuple[str, ...]
	country: str
	form: str
	domain: str


class Generator:
	"""Deterministic synthetic company names with planted variants and hard negatives."""

	def __init__(self, seed: int) -> None:
		self.rng = random.Random(seed)
		self._bags: set[int] = set()
		self._countries = list(COUNTRY_WEIGHTS)
		self._cweights = list(COUNTRY_WEIGHTS.values())
		self._mail_n = 0
		self._build_vocab()

	# -- vocabulary ---------------------------------------------------------------------------

	def _build_vocab(self) -> None:
		"""Words are kept >= 3 OSA edits apart, as typed and as the engine reads them (abbreviations
		expanded), so that distinct companies are never one typo apart."""
		rng = self.rng
		accepted: list[str] = []

		def accept(word: str) -> bool:
			forms = {_norm(word), _canon(word)}
			if any(not n.isalpha() or n in _STRIPPABLE or len(n) < 2 for n in forms):
				return False
			for n in forms:
				if (
					accepted
					and process.extractOne(n, accepted, scorer=OSA.distance, score_cutoff=2) is not None
				):
					return False
			accepted.extend(forms)
			return True

		self.industries = [w for w in INDUSTRIES if accept(w)]
		self.qualifiers = [w for w in QUALIFIERS if accept(w)]
		self.surnames = [w for w in SURNAMES if accept(w)]
		brands: list[str] = []
		tries = 0
		while len(brands) < 3000 and tries < 200_000:
			tries += 1
			word = "".join(
				rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS)
				for _ in range(rng.choice((2, 2, 3)))
			)
			if 4 <= len(word) <= 11 and accept(word):
				brands.append(word.capitalize())
		self.brands = brands
		self._brand_set = set(brands)

	# -- identities ---------------------------------------------------------------------------

	def _core(self) -> tuple[str, ...]:
		rng = self.rng
		b, i, q, s = self.brands, self.industries, self.qualifiers, self.surnames
		r = rng.random()
		if r < 0.25:
			return (rng.choice(b), rng.choice(i))
		if r < 0.40:
			return (rng.choice(b), *rng.sample(i, 2))
		if r < 0.50:
			return (rng.choice(q), rng.choice(b), rng.choice(i))
		if r < 0.58:
			return (*self._surname_pair(), rng.choice(i))
		if r < 0.62:
			return self._surname_pair()
		if r < 0.72:
			return (rng.choice(q), *rng.sample(i, 2))
		if r < 0.80:
			return (rng.choice(s), rng.choice(i))
		if r < 0.92:
			return (rng.choice(b), rng.choice(b))
		if r < 0.96:
			return (rng.choice(b), rng.choice(s), rng.choice(i))
		return (rng.choice(b),)

	def _surname_pair(self) -> tuple[str, ...]:
		a, c = self.rng.sample(self.surnames, 2)
		return (a, self.rng.choice(("&", "&", "and")), c)

	def _claim(self, words: tuple[str, ...]) -> bool:
		"""Reserve a name unless its letters (in any order or spacing) are already taken: no two
		identities are the same name, reordered or joined differently."""
		norm = [_canon(w) for w in words if w not in ("&", "and")]
		if len(set(norm)) != len(norm):
			return False
		bag = hash("".join(sorted("".join(norm))))
		if bag in self._bags:
			return False
		self._bags.add(bag)
		return True

	def _identity(self, words: tuple[str, ...] | None = None) -> Identity:
		"""A new identity; ``words`` must already be claimed, otherwise a random unique name is drawn."""
		while words is None:
			words = self._core()
			if not self._claim(words):
				words = None
		rng = self.rng
		country = rng.choices(self._countries, self._cweights)[0]
		tld = TLD[country] if rng.random() < 0.7 else "com"
		label = "".join(_norm(w) for w in words if w not in ("&", "and"))
		return Identity(words, country, rng.choice(FORMS[country]), f"{label}.{tld}")

	def identity(self) -> Identity:
		return self._identity()

	def hard_negative(self, ident: Identity) -> Identity:
		"""A different company sharing words with ``ident`` (one word swapped for one of the same kind)."""
		rng = self.rng
		for _ in range(50):
			words = list(ident.words)
			pos = [k for k, w in enumerate(words) if w not in ("&", "and")]
			k = rng.choice(pos)
			w = words[k]
			pool = (
				self.industries
				if w in self.industries
				else self.surnames
				if w in self.surnames
				else self.qualifiers
				if w in self.qualifiers
				else self.brands
			)
			words[k] = rng.choice(pool)
			if self._claim(tuple(words)):
				return self._identity(tuple(words))
		return self._identity()

	def near_negative(self, ident: Identity) -> Identity | None:
		"""A different company whose name is a near miss the rules must reject: a brand or surname of
		at most 4 letters with one letter changed, swapped or missing ("Acme"/"Acne"), or one of 5 to 7
		letters two edits away ("Kravion"/"Krvaoin" style)."""
		rng = self.rng
		words = list(ident.words)
		named = [j for j, w in enumerate(words) if w in self._brand_set or w in self.surnames]
		named = [j for j in named if len(_norm(words[j])) <= 7 and _norm(words[j]).isalpha()]
		if not named:
			return None
		k = rng.choice(named)
		w = _norm(words[k])
		letters = "abcdefghijklmnopqrstuvwxyz"
		for _ in range(20):
			if len(w) <= 4:
				i = rng.randrange(len(w))
				op = rng.randrange(3)
				if op == 0:
					new = w[:i] + rng.choice(letters) + w[i + 1 :]
				elif op == 1 and i + 1 < len(w):
					new = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
				else:
					new = w[:i] + w[i + 1 :]
				want = 1
			else:
				new = self._typo(self._typo(w))
				want = 2
			if OSA.distance(new, w) == want and new.isalpha() and new not in _STRIPPABLE and len(new) >= 2:
				if ab.DEFAULT.get(new):
					continue
				words[k] = new.capitalize()
				if self._claim(tuple(words)):
					return self._identity(tuple(words))
				words[k] = ident.words[k]
		return None

	# -- rendering ----------------------------------------------------------------------------

	@staticmethod
	def _with_form(core: str, form: str) -> str:
		if not form:
			return core
		if form.startswith("<"):
			lead, _, trail = form[1:].partition("|")
			return f"{lead} {core}" + (f" {trail}" if trail else "")
		return f"{core} {form}"

	def render(self, ident: Identity) -> str:
		return self._with_form(" ".join(ident.words), ident.form)

	def domain_raw(self, domain: str) -> str:
		rng = self.rng
		self._mail_n += 1
		return rng.choice(
			(
				f"https://www.{domain}/",
				f"http://{domain}",
				domain,
				f"www.{domain}",
				f"sales@{domain}",
				f"j.doe@mail.{domain}",
				f"shop.{domain}:8443",
				f"HTTPS://WWW.{domain.upper()}/contact?x=1",
			)
		)

	def free_mail(self) -> str:
		self._mail_n += 1
		return f"contact{self._mail_n}@{self.rng.choice(FREE_MAIL)}"

	def _typo(self, word: str) -> str:
		rng = self.rng
		letters = "abcdefghijklmnopqrstuvwxyz"
		for _ in range(20):
			op = rng.randrange(4)
			i = rng.randrange(len(word))
			if op == 0:
				new = word[:i] + rng.choice(letters) + word[i:]
			elif op == 1:
				new = word[:i] + word[i + 1 :]
			elif op == 2:
				new = word[:i] + rng.choice(letters) + word[i + 1 :]
			else:
				if i + 1 >= len(word):
					continue
				new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
			if new != word and len(new) >= 4:
				return new
		return word + "x"

	def _accent(self, text: str) -> str:
		rng = self.rng
		out = []
		for ch in text:
			opts = ACCENTS.get(ch)
			out.append(rng.choice(opts) if opts and rng.random() < 0.35 else ch)
		return "".join(out)

	def variant(self, ident: Identity, kind: str) -> tuple[str, str | None, str]:
		"""(name, raw domain, country) of a variant of ``ident``; raw domain chosen by the caller."""
		rng = self.rng
		words = list(ident.words)
		country = ident.country
		form = ident.form
		if rng.random() < 0.15:  # some variants are recorded under another country
			country = rng.choice(self._countries)
		if kind in ("suffix", "combo") or country != ident.country:
			form = rng.choice((*FORMS[country], ""))
		if kind == "order" and len([w for w in words if w not in ("&", "and")]) < 2:
			kind = "suffix"
		if kind == "and" and "&" not in words and "and" not in words:
			kind = "punct"
		if kind in ("typo", "combo"):
			idx = [k for k, w in enumerate(words) if len(_norm(w)) >= 5 and _norm(w).isalpha()]
			if idx:
				k = rng.choice(idx)
				words[k] = self._typo(_norm(words[k])).capitalize()
			elif kind == "typo":
				kind = "suffix"
				form = rng.choice((*FORMS[country], ""))
		if kind == "abbrev":
			idx = [k for k, w in enumerate(words) if len(SPELLINGS.get(_canon(w), ())) > 1]
			if idx:
				k = rng.choice(idx)
				own = _norm(words[k])
				words[k] = rng.choice([x for x in SPELLINGS[_canon(words[k])] if x != own]).capitalize()
			else:
				kind = "suffix"
				form = rng.choice((*FORMS[country], ""))
		if kind == "order":
			core = [w for w in words if w not in ("&", "and")]
			while core == [w for w in words if w not in ("&", "and")]:
				rng.shuffle(core)
			words = core
		if kind == "spacing":
			words = self._respace(words)
		if kind == "and":
			words = [
				rng.choice(("and", "")) if w == "&" else rng.choice(("&", "")) if w == "and" else w
				for w in words
			]
		name = " ".join(w for w in words if w)
		if kind in ("accent", "combo"):
			name = self._accent(name)
		name = self._with_form(name, form)
		if kind == "the":
			name = "The " + name
		if kind in ("punct", "combo"):
			name = self._punct(name)
		return name, None, country

	def _respace(self, words: list[str]) -> list[str]:
		rng = self.rng
		real = [k for k, w in enumerate(words) if w not in ("&", "and")]
		pairs = [k for k in range(len(words) - 1) if k in real and k + 1 in real]
		if pairs and rng.random() < 0.5:
			k = rng.choice(pairs)
			return [*words[:k], words[k] + words[k + 1], *words[k + 2 :]]
		long = [k for k in real if len(words[k]) >= 6]
		if not long:
			if pairs:
				k = pairs[0]
				return [*words[:k], words[k] + "-" + words[k + 1], *words[k + 2 :]]
			return words
		k = rng.choice(long)
		w = words[k]
		for _ in range(10):
			cut = rng.randrange(3, len(w) - 2)
			left, right = _norm(w[:cut]), _norm(w[cut:])
			if not ({left, right} & _STRIPPABLE or ab.DEFAULT.get(left) or ab.DEFAULT.get(right)):
				return [*words[:k], w[:cut], w[cut:], *words[k + 1 :]]
		return words

	def _punct(self, name: str) -> str:
		rng = self.rng
		r = rng.random()
		if r < 0.25:
			return name.upper()
		if r < 0.4:
			return name.lower()
		if r < 0.6:
			return name.replace(" ", "-", 1) if " " in name else name + "."
		if r < 0.8:
			parts = name.rsplit(" ", 1)
			return f"{parts[0]}, {parts[1]}" if len(parts) == 2 else f"{name}!"
		return f"{name} ."


@dataclass(slots=True)
class Dataset:
	records: list[tuple[str, str | None, str | None, int, str]]  # name, raw domain, country, identity, kind
	queries: list[tuple[str, str | None, str | None, int, str]]  # identity -1 for negative queries
	noisy: list[tuple[str, str | None, str | None, int, str]]


def generate(n_records: int, n_queries: int, seed: int) -> Dataset:
	"""Synthetic index records and queries (see module docstring)."""
	g = Generator(seed)
	rng = g.rng
	records: list[tuple[str, str | None, str | None, int, str]] = []
	idents: list[Identity] = []
	seeds: list[int] = []
	has_domain_variant: set[int] = set()
	n_seeds = max(1, n_records // 8)

	def new_ident(ident: Identity) -> int:
		idents.append(ident)
		return len(idents) - 1

	def base_domain(ident: Identity) -> str | None:
		r = rng.random()
		return g.domain_raw(ident.domain) if r < 0.6 else g.free_mail() if r < 0.8 else None

	def name_variant_domain(ident: Identity) -> str | None:
		r = rng.random()
		return g.domain_raw(ident.domain) if r < 0.2 else g.free_mail() if r < 0.5 else None

	while len(seeds) < n_seeds and len(records) < n_records:
		ident = g.identity()
		iid = new_ident(ident)
		seeds.append(iid)
		records.append((g.render(ident), base_domain(ident), ident.country, iid, "base"))
		for _ in range(rng.choice((1, 2, 2, 3))):
			kind = rng.choice(VARIANT_KINDS)
			if kind == "domain":
				trade = g.identity()  # a fresh, unrelated trading name on the same web domain
				country = ident.country if rng.random() < 0.8 else rng.choice(g._countries)
				records.append((g.render(trade), g.domain_raw(ident.domain), country, iid, "domain"))
				has_domain_variant.add(iid)
			else:
				name, _, country = g.variant(ident, kind)
				records.append((name, name_variant_domain(ident), country, iid, kind))
		r = rng.random()
		if r < 0.5:
			neg = g.hard_negative(ident)
			dom = g.free_mail() if rng.random() < 0.3 else base_domain(neg)
			records.append((g.render(neg), dom, neg.country, new_ident(neg), "hard_negative"))
		elif r < 0.55:
			near = g.near_negative(ident)
			if near is not None:
				records.append((g.render(near), None, near.country, new_ident(near), "near_negative"))
	while len(records) < n_records:
		ident = g.identity()
		records.append((g.render(ident), base_domain(ident), ident.country, new_ident(ident), "filler"))
	del records[n_records:]
	present = {r[3] for r in records}
	seeds = [s for s in seeds if s in present]

	queries: list[tuple[str, str | None, str | None, int, str]] = []
	noisy: list[tuple[str, str | None, str | None, int, str]] = []
	picked = rng.sample(seeds, min(n_queries, len(seeds)))
	for iid in picked:
		ident = idents[iid]
		if rng.random() < 0.1:
			neg = g.hard_negative(ident)
			name = g.variant(neg, rng.choice(QUERY_LIGHT))[0]
			queries.append((name, g.free_mail() if rng.random() < 0.5 else None, neg.country, -1, "negative"))
			name, _, country = g.variant(neg, rng.choice(QUERY_NOISY))
			noisy.append((name, g.free_mail() if rng.random() < 0.5 else None, country, -1, "negative"))
			continue
		kind = rng.choice(QUERY_LIGHT)
		name, _, country = g.variant(ident, kind)
		if iid in has_domain_variant or rng.random() < 0.3:
			dom = g.domain_raw(ident.domain)
		else:
			dom = g.free_mail() if rng.random() < 0.5 else None
		queries.append((name, dom, country, iid, kind))
		kind = rng.choice(QUERY_NOISY)
		name, _, country = g.variant(ident, kind)
		noisy.append((name, g.free_mail() if rng.random() < 0.5 else None, country, iid, kind))
	return Dataset(records, queries, noisy)
