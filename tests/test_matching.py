"""Example-based tests for prm_app.engine.matching (pure Python, no frappe)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from prm_app.benchmarks import engine as bench
from prm_app.benchmarks import generator
from prm_app.engine.index import ConflictIndex
from prm_app.engine.matching import (
	DEFAULT_THRESHOLD,
	Match,
	Party,
	company_key,
	is_conflict,
	is_free_mail_domain,
	registrable_domain,
	scope_overlap,
	score,
)

# --------------------------------------------------------------------------- company_key


@pytest.mark.parametrize(
	"name,key",
	[
		# US / UK
		("Acme Inc", "acme"),
		("ACME, Inc.", "acme"),
		("Acme Incorporated", "acme"),
		("Acme LLC", "acme"),
		("Acme L.L.C.", "acme"),
		("Acme Corp.", "acme"),
		("Acme Corporation", "acme"),
		("Acme Co.", "acme"),
		("Acme Company", "acme"),
		("Acme Ltd", "acme"),
		("Acme Limited", "acme"),
		("Acme PLC", "acme"),
		("Acme LLP", "acme"),
		("Acme L.P.", "acme"),
		("Acme & Co.", "acme"),
		# "Co., Ltd." and other stacked forms are stripped repeatedly
		("Toyota Motor Co., Ltd.", "toyota motor"),
		("Samsung Electronics Co. Ltd", "samsung electronics"),
		("Acme Holdings Inc. Ltd.", "acme holdings"),
		# DACH
		("Siemens AG", "siemens"),
		("Siemens Aktiengesellschaft", "siemens"),
		("Bosch GmbH", "bosch"),
		("Müller GmbH & Co. KG", "muller"),
		("Henkel AG & Co. KGaA", "henkel"),
		("Allianz SE", "allianz"),
		# France / Benelux / Iberia / Italy
		("Société Générale S.A.", "societe generale"),
		("Danone SA", "danone"),
		("Acme SAS", "acme"),
		("Acme SARL", "acme"),
		("Acme Sarl", "acme"),
		("Acme EURL", "acme"),
		("Philips N.V.", "philips"),
		("Acme B.V.", "acme"),
		("Acme NV/BV", "acme"),
		("Inditex, S.A.", "inditex"),
		("Acme S.L.", "acme"),
		("Acme SLU", "acme"),
		("Ferrari S.p.A.", "ferrari"),
		("Ferrari SpA", "ferrari"),
		("Acme S.r.l.", "acme"),
		("Acme SRL", "acme"),
		# Latin America
		("Cemex S.A. de C.V.", "cemex"),
		("Cemex SA de CV", "cemex"),
		("Grupo Bimbo, S.A.B. de C.V.", "grupo bimbo"),
		("Acme S. de R.L.", "acme"),
		("Acme S. de R.L. de C.V.", "acme"),
		("Acme Ltda.", "acme"),
		("Acme Limitada", "acme"),
		# Nordics
		("Volvo AB", "volvo"),
		("Ericsson AB (publ)", "ericsson"),
		("Maersk A/S", "maersk"),
		("Acme ApS", "acme"),
		("Equinor ASA", "equinor"),
		("Acme AS", "acme"),
		("Nokia Oyj", "nokia"),
		("Kone Oy", "kone"),
		# Central / Eastern Europe
		("Polska Grupa Sp. z o.o.", "polska grupa"),
		("Acme Sp. z.o.o.", "acme"),
		("Skoda Auto a.s.", "skoda auto"),
		("Acme s.r.o.", "acme"),
		("Acme spol. s r.o.", "acme"),
		("Acme Kft.", "acme"),
		("Acme Zrt.", "acme"),
		("OOO Gazprom Neft", "gazprom neft"),
		("Gazprom Neft PJSC", "gazprom neft"),
		("Acme OAO", "acme"),
		("ZAO Acme", "acme"),
		("Acme JSC", "acme"),
		# Asia-Pacific
		("BHP Billiton Pty Ltd", "bhp billiton"),
		("Acme Pty. Ltd.", "acme"),
		("Tata Sons Pvt. Ltd.", "tata sons"),
		("Infosys Private Limited", "infosys"),
		("Acme Pte. Ltd.", "acme"),
		("Petronas Sdn. Bhd.", "petronas"),
		("Maybank Bhd", "maybank"),
		("PT Bank Central Asia Tbk", "bank central asia"),
		("Toshiba K.K.", "toshiba"),
		("Toshiba KK", "toshiba"),
		("Kabushiki Kaisha Toshiba", "toshiba"),
		("Toshiba Kabushiki Kaisha", "toshiba"),
		# leading "The", "&", punctuation, accents, apostrophes
		("The Home Depot, Inc.", "home depot"),
		("AT&T Inc.", "at and t"),
		("Procter & Gamble Co.", "procter and gamble"),
		("McDonald's Corporation", "mcdonalds"),
		("Škoda", "skoda"),
		("NESTLÉ S.A.", "nestle"),
		("  Acme   Widgets  ", "acme widgets"),
		("J.P. Morgan Chase & Co.", "jp morgan chase"),
	],
)
def test_company_key(name, key):
	assert company_key(name) == key


def test_company_key_keeps_something():
	assert company_key("The Company Ltd") == "company"
	assert company_key("Limited") == "limited"
	assert company_key("The") == "the"
	assert company_key("Co., Ltd.") == "co"
	assert company_key("!!!") == "!!!"
	assert company_key("  ¿?  ") == "¿?"
	assert company_key("") == ""


def test_company_key_forms_only_at_the_ends():
	assert company_key("Limited Brands Inc") == "limited brands"
	assert company_key("Acme GmbH Services") == "acme gmbh services"


def test_company_key_country_specific_forms():
	assert company_key("Acme PC") == "acme pc"
	assert company_key("Acme PC", "US") == "acme"
	assert company_key("Acme PC", "United States") == "acme"
	assert company_key("AO Kaspersky Lab") == "ao kaspersky laboratories"
	assert company_key("AO Kaspersky Lab", "RU") == "kaspersky laboratories"
	assert company_key("CV Maju Jaya", "ID") == "maju jaya"


def test_company_key_idempotent_examples():
	for name in ("Müller GmbH & Co. KG", "The Company Ltd", "!!!", "PT Bank Central Asia Tbk", "S.A."):
		k = company_key(name)
		assert company_key(k) == k


# --------------------------------------------------------------------------- domains


@pytest.mark.parametrize(
	"value,expected",
	[
		("https://www.Shop.Acme.co.uk/path?x", "acme.co.uk"),
		("shop.acme.co.uk", "acme.co.uk"),
		("shop.acme.co.uk:8443", "acme.co.uk"),
		("acme.com", "acme.com"),
		("ACME.COM.", "acme.com"),
		("www.acme.com.au", "acme.com.au"),
		("https://user:pw@www.acme.com:443/a", "acme.com"),
		("http://acme.de/", "acme.de"),
		("bob@mail.acme.com", "acme.com"),
		("Bob.Smith@ACME.com", "acme.com"),
		("mailto:bob@acme.co.jp", "acme.co.jp"),
		("Bob Smith <bob@acme.com>", "acme.com"),
		("acme.com.br", "acme.com.br"),
		("foo.bar.kobe.jp", "foo.bar.kobe.jp"),
		("bücher.de", "xn--bcher-kva.de"),
		("https://www.BÜCHER.de/x", "xn--bcher-kva.de"),
		("xn--bcher-kva.de", "xn--bcher-kva.de"),
	],
)
def test_registrable_domain(value, expected):
	assert registrable_domain(value) == expected


@pytest.mark.parametrize(
	"value",
	[
		None,
		"",
		"   ",
		"acme",
		"localhost",
		"http://localhost:8000",
		"co.uk",
		"com.au",
		"com",
		"127.0.0.1",
		"http://192.168.1.1/x",
		"http://[::1]:80/",
		"not a domain",
		"acme .com",
		"acme..com",
		"-acme.com",
		"acme.invalidtld",
		"intranet.local",
		"http://",
		"@",
		"bob@",
		"1.2.3.999",
	],
)
def test_registrable_domain_invalid(value):
	assert registrable_domain(value) is None


@pytest.mark.parametrize(
	"domain",
	[
		"gmail.com",
		"googlemail.com",
		"outlook.com",
		"hotmail.com",
		"hotmail.co.uk",
		"hotmail.de",
		"live.com",
		"msn.com",
		"yahoo.com",
		"yahoo.co.jp",
		"ymail.com",
		"aol.com",
		"icloud.com",
		"me.com",
		"mac.com",
		"proton.me",
		"protonmail.com",
		"gmx.de",
		"gmx.net",
		"web.de",
		"mail.ru",
		"yandex.ru",
		"qq.com",
		"163.com",
		"126.com",
		"zoho.com",
		"comcast.net",
		"verizon.net",
		"att.net",
		"btinternet.com",
		"orange.fr",
		"free.fr",
		"libero.it",
		"t-online.de",
		"bob@gmail.com",
		"https://mail.yahoo.co.uk/",
	],
)
def test_free_mail(domain):
	assert is_free_mail_domain(domain)


@pytest.mark.parametrize("domain", ["acme.com", "google.com", "microsoft.com", "orange.com", "", None])
def test_not_free_mail(domain):
	assert not is_free_mail_domain(domain)


# --------------------------------------------------------------------------- Party / score


def test_party_normalises_domain_and_products():
	p = Party("Acme Inc", "https://www.Acme.com/contact", "US", "EMEA", ["Widgets", " Gadgets ", ""])
	assert p.domain == "acme.com"
	assert p.key == "acme"
	assert p.products == frozenset({"Widgets", "Gadgets"})
	assert Party("Acme", "not a domain").domain is None
	assert p == Party("Acme Inc", "acme.com", "US", "EMEA", frozenset({"Widgets", "Gadgets"}))
	with pytest.raises(AttributeError):
		p.name = "x"  # frozen


POSITIVE = [
	("Acme Inc", "ACME, Inc."),
	("Acme Corporation", "Acme Corp."),
	("Société Générale S.A.", "Societe Generale"),
	("Procter & Gamble Co.", "Procter and Gamble Company"),
	("Procter & Gamble", "Procter Gamble"),
	("Toyota Motor Co., Ltd.", "Toyota Motor Corporation"),
	("Siemens Aktiengesellschaft", "Siemens AG"),
	("Müller GmbH & Co. KG", "Muller GmbH"),
	("Müller GmbH", "Mueller GmbH"),
	("Grupo Bimbo, S.A.B. de C.V.", "Grupo Bimbo SAB de CV"),
	("Cemex S.A. de C.V.", "CEMEX"),
	("Tata Consultancy Services Pvt. Ltd.", "Tata Consultancy Services Private Limited"),
	("BHP Billiton Pty Ltd", "BHP Billiton"),
	("PT Bank Central Asia Tbk", "Bank Central Asia"),
	("Kabushiki Kaisha Toshiba", "Toshiba K.K."),
	("Ferrari S.p.A.", "Ferrari SpA"),
	("Maersk A/S", "Maersk"),
	("Polska Grupa Sp. z o.o.", "Polska Grupa"),
	("Škoda Auto a.s.", "Skoda Auto"),
	("Microsoft Corporation", "Microsfot Corp"),  # adjacent transposition
	("Salesforce Inc", "Salesforse"),  # substitution
	("Accenture plc", "Acenture"),  # deletion
	("Heineken N.V.", "Heinekenn"),  # insertion
	("Johnson Controls", "Controls Johnson"),  # word order
	("Coca-Cola Company", "CocaCola"),  # spacing
	("Coca Cola", "Coca-Cola"),
	("The Home Depot", "Home Depot Inc"),
	("Ernst & Young LLP", "Ernst and Young"),
	("Wipro Limited", "Wipro Ltd."),
	("OOO Gazprom Neft", "Gazprom Neft PJSC"),
	("Samsung Electronics Co., Ltd.", "SAMSUNG ELECTRONICS"),
	("Nestlé S.A.", "Nestle"),
	("Bank Central Asia", "Central Asia Bank"),
	("Deutsche Telekom AG", "Deutsche Telekom"),
	("Sony", "Sonny"),  # 4 -> 5 letters: the longer token has 5
]


@pytest.mark.parametrize("a,b", POSITIVE)
def test_positive_pairs(a, b):
	m = score(Party(a), Party(b))
	assert m.score >= DEFAULT_THRESHOLD, m
	assert m.is_conflict
	assert score(Party(b), Party(a)) == m


NEGATIVE = [
	("General Motors", "General Mills"),
	("Acme Corp", "Apex Corp"),
	("First National Bank", "First Republic Bank"),
	("American Airlines", "American Express"),
	("IBM", "IBX"),
	("ABC Corp", "ABD Corp"),
	("Dell Inc", "Bell Inc"),
	("Avis", "Axis"),
	("Delta Air Lines", "Delta Dental"),
	("United Airlines", "United Rentals"),
	("Bank of America", "Bank of China"),
	("Apple Inc", "Applied Materials"),
	("Sony", "Sonos"),
	("Oracle", "Orange"),
	("Global Logistics Solutions", "Global Freight Solutions"),
	("Smith & Sons", "Smith & Jones"),
	("Johnson & Johnson", "Johnson Controls"),
	("Ford Motor Company", "Ford Foundation"),
	("National Grid", "National Instruments"),
	("Pacific Gas and Electric", "Pacific Life"),
	("Capital One", "Capital Group"),
	("Royal Dutch Shell", "Royal Bank of Canada"),
	("Siemens AG", "Siemens Energy AG"),
	("China Construction Bank", "China Merchants Bank"),
	("Deutsche Bank", "Deutsche Telekom"),
	("Tata Motors", "Tata Steel"),
	("Mitsubishi Corporation", "Mitsubishi Electric"),
	("Store 10001", "Store 10002"),
	("Acme", "Acme Widgets"),
	("Meta Platforms", "Beta Platforms"),
]


@pytest.mark.parametrize("a,b", NEGATIVE)
def test_negative_pairs(a, b):
	m = score(Party(a), Party(b))
	assert m.score < DEFAULT_THRESHOLD, m
	assert not m.is_conflict
	assert score(Party(b), Party(a)).score == m.score


def test_reasons():
	assert score(Party("Acme Inc"), Party("ACME")).reasons == ("same normalized name",)
	assert score(Party("Acme Widgets"), Party("Widgets Acme")).reasons == ("same words in a different order",)
	assert score(Party("Coca-Cola"), Party("CocaCola")).reasons == ("joined words",)
	assert score(Party("Salesforce"), Party("Salesforse")).reasons == ("one-typo name variant",)
	m = score(Party("General Motors"), Party("General Mills"))
	assert m.reasons[0].startswith("name similarity ")


def test_same_domain_is_a_conflict_even_with_different_names_and_countries():
	a = Party("Acme Corp", "https://www.acme.com", "US")
	b = Party("Totally Different Trading", "sales@mail.acme.com", "DE")
	m = score(a, b)
	assert m.score >= DEFAULT_THRESHOLD
	assert m.reasons[0] == "same domain acme.com"
	assert "different countries (DE / US)" in m.reasons
	assert score(Party("Acme", "acme.com"), Party("ACME Inc.", "www.acme.com")).score == 100


def test_free_mail_domain_is_no_evidence():
	a = Party("Acme Logistics", "alice@gmail.com")
	b = Party("Zenith Foods", "bob@gmail.com")
	m = score(a, b)
	assert m.score < DEFAULT_THRESHOLD
	assert "shared free-mail domain gmail.com ignored" in m.reasons
	assert score(Party("Acme", "a@hotmail.de"), Party("Acme", "b@hotmail.de")).score == 100


def test_different_countries_lower_the_score_a_bit():
	same = score(Party("Acme Widgets", country="US"), Party("Acme Widgets", country="US"))
	diff = score(Party("Acme Widgets", country="US"), Party("Acme Widgets", country="DE"))
	typo = score(Party("Acme Widgets", country="US"), Party("Acme Widgetz", country="DE"))
	assert same.score == 100
	assert DEFAULT_THRESHOLD <= diff.score < 100
	assert typo.score >= DEFAULT_THRESHOLD
	assert score(Party("Acme", country="US"), Party("Acme")).score == 100  # unknown is not different


def test_self_score_and_empty_names():
	for name in ("Acme", "!!!", " ", "Société Générale S.A."):
		assert score(Party(name), Party(name)).score == 100
	assert score(Party(""), Party("")).score == 0
	assert score(Party("!!!"), Party("???")).score < DEFAULT_THRESHOLD


def test_is_conflict_helper():
	assert is_conflict(Match(85))
	assert not is_conflict(Match(84))
	assert is_conflict(Match(70), threshold=70)
	assert Match(DEFAULT_THRESHOLD).is_conflict


def test_scope_overlap():
	a = Party("Acme", territory="EMEA", products={"A", "B"})
	assert scope_overlap(a, Party("X", territory="emea", products={"B"})) == (True, True)
	assert scope_overlap(a, Party("X", territory="APAC", products={"C"})) == (False, False)
	assert scope_overlap(a, Party("X")) == (True, True)  # unknown overlaps
	assert scope_overlap(Party("X", territory=""), a) == (True, True)


# --------------------------------------------------------------------------- ConflictIndex


def _index(names):
	idx = ConflictIndex()
	for ref, name in names.items():
		idx.add(ref, Party(name))
	return idx


def test_index_add_search_len_contains():
	idx = _index(
		{
			"a": "Acme Widgets Inc",
			"b": "Acme Widgetz GmbH",
			"c": "Widgets Acme",
			"d": "AcmeWidgets",
			"e": "General Motors",
			"f": "General Mills",
			"g": "Acme Gadgets",
		}
	)
	assert len(idx) == 7
	assert "a" in idx and "z" not in idx
	hits = idx.search(Party("ACME WIDGETS LLC"))
	assert [r for r, _ in hits] == ["a", "c", "d", "b"]  # 100, 96, 96 (insertion order), 92
	assert [m.score for _, m in hits] == [100, 96, 96, 92]
	assert [r for r, _ in idx.search(Party("General Motors Corporation"))] == ["e"]
	assert idx.search(Party("Nothing Similar")) == []


def test_index_limit_threshold_and_order():
	idx = _index({i: "Acme Widgets" for i in range(30)})
	hits = idx.search(Party("Acme Widgets"), limit=5)
	assert [r for r, _ in hits] == [0, 1, 2, 3, 4]
	assert len(idx.search(Party("Acme Widgets"))) == 20
	assert len(idx.search(Party("Acme Widgets"), limit=None)) == 30
	idx.add("typo", Party("Acme Widgetz"))
	assert len(idx.search(Party("Acme Widgets"), threshold=95, limit=None)) == 30
	assert len(idx.search(Party("Acme Widgets"), threshold=90, limit=None)) == 31


def test_index_discard_and_replace():
	idx = _index({"a": "Acme Widgets", "b": "Globex"})
	idx.discard("a")
	idx.discard("missing")
	assert len(idx) == 1 and "a" not in idx
	assert idx.search(Party("Acme Widgets")) == []
	assert idx.search(Party("Acme Widgetz")) == []  # typo vocabulary cleaned up too
	idx.add("b", Party("Initech"))  # replace
	assert len(idx) == 1
	assert idx.search(Party("Globex")) == []
	assert [r for r, _ in idx.search(Party("Initech LLC"))] == ["b"]
	assert idx.get("b").name == "Initech"
	assert idx.get("a") is None


def test_index_shared_vocabulary_survives_discard():
	idx = _index({"a": "Acme Widgets", "b": "Widgets Partners"})
	idx.discard("a")
	assert [r for r, _ in idx.search(Party("Widgetz Partners"))] == ["b"]


def test_index_domain_lookup_and_free_mail():
	idx = ConflictIndex()
	idx.add(1, Party("Acme Corp", "acme.com"))
	idx.add(2, Party("Foo Bar", "foo@gmail.com"))
	idx.add(3, Party("Baz Qux", "baz@gmail.com"))
	assert [r for r, _ in idx.search(Party("Renamed Trading Ltd", "https://shop.acme.com/"))] == [1]
	assert idx.search(Party("Unrelated Name", "me@gmail.com")) == []


def test_index_arbitrary_hashable_refs():
	idx = ConflictIndex()
	idx.add(("Deal Registration", "DR-0001"), Party("Acme"))
	idx.add(("Deal Registration", "DR-0002"), Party("Acme Inc."))
	refs = [r for r, _ in idx.search(Party("ACME"))]
	assert refs == [("Deal Registration", "DR-0001"), ("Deal Registration", "DR-0002")]
	idx.discard(("Deal Registration", "DR-0001"))
	assert [r for r, _ in idx.search(Party("ACME"))] == [("Deal Registration", "DR-0002")]


# --------------------------------------------------------------------------- benchmark entry point


def test_bench_main_small(capsys):
	result = bench.main(["--records", "2000", "--queries", "50", "--json", "--brute-force-queries", "5"])
	out = capsys.readouterr().out.strip().splitlines()
	data = json.loads(out[-1])
	assert data == json.loads(json.dumps(result))
	for key in (
		"records",
		"queries",
		"build_s",
		"p50_ms",
		"p99_ms",
		"recall",
		"precision",
		"brute_force_p50_ms",
		"keys_per_record",
		"noisy_recall",
		"noisy_precision",
		"all_precision",
	):
		assert key in data
	assert data["records"] == 2000
	assert data["queries"] == 50
	assert data["true_pairs"] > 50
	assert data["recall"] >= 0.98
	assert data["precision"] >= 0.98
	assert 0 < data["keys_per_record"] < 20
	assert any(line.startswith("noisy queries ") for line in out)
	assert any(line.startswith("targets ") for line in out)


def test_bench_generator_is_deterministic():
	a = generator.generate(500, 20, seed=7)
	b = generator.generate(500, 20, seed=7)
	assert a.records == b.records and a.queries == b.queries and a.noisy == b.noisy


def test_engine_never_imports_frappe_nor_uses_the_network():
	code = (
		"import socket, sys\n"
		"def _no_network(*a, **k):\n"
		"    raise RuntimeError('network access')\n"
		"socket.socket = socket.create_connection = socket.getaddrinfo = _no_network\n"
		"import prm_app.engine.matching as m, prm_app.engine.index, prm_app.benchmarks.engine\n"
		"assert m.registrable_domain('https://www.shop.acme.co.uk/x') == 'acme.co.uk'\n"
		"assert not any(n == 'frappe' or n.startswith('frappe.') for n in sys.modules)\n"
	)
	root = Path(__file__).resolve().parent.parent
	subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


@pytest.mark.parametrize(
	"a, b",
	[
		("umbrella.myshopify.com", "globex.myshopify.com"),
		("https://acme.github.io/site", "initech.github.io"),
		("alpha.wixsite.com", "omega.wixsite.com"),
		("foo.blogspot.com", "bar.blogspot.com"),
	],
)
def test_shops_on_one_hosting_platform_are_different_domains(a, b):
	assert registrable_domain(a) != registrable_domain(b)
	assert score(Party("Umbrella Health", a), Party("Globex Corporation", b)).score < DEFAULT_THRESHOLD


def test_a_company_on_a_hosting_platform_still_matches_itself():
	assert registrable_domain("https://www.acme.myshopify.com/x") == "acme.myshopify.com"
	assert (
		score(
			Party("Acme Widgets", "acme.myshopify.com"), Party("Totally Other", "shop@acme.myshopify.com")
		).score
		>= DEFAULT_THRESHOLD
	)
