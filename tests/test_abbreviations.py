"""The abbreviation and word-form table (prm_app.engine.abbreviations)."""

import pytest

from prm_app.engine import abbreviations as ab
from prm_app.engine.matching import company_key


def all_rules():
	for kind, groups in ((ab.ABBREVIATION, ab.ABBREVIATIONS), (ab.WORD_FORM, ab.WORD_FORMS)):
		for canonical, variants in groups.items():
			for variant in variants:
				yield kind, variant, canonical


def test_shipped_words_are_normalised_and_expandable():
	for _kind, variant, canonical in all_rules():
		assert ab.normalise_word(variant) == variant, variant
		assert ab.normalise_word(canonical) == canonical, canonical
		assert ab.check_entry(variant, canonical) is None, (variant, canonical)


def test_shipped_table_has_no_chains_or_conflicts():
	seen = {}
	for _kind, variant, canonical in all_rules():
		assert seen.setdefault(variant, canonical) == canonical, f"{variant} means two things"
		assert canonical not in seen or seen[canonical] == canonical
	canonicals = {c for _k, _v, c in all_rules()}
	assert not canonicals & set(seen), "a canonical word is also a variant"
	assert {r.variant for r in ab.DEFAULT.mapping.values()} == set(seen)


def test_describe():
	assert ab.DEFAULT.get("st").describe() == "abbreviation St → Saint"
	assert ab.DEFAULT.get("technology").describe() == "word form Technology → Technologies"


@pytest.mark.parametrize(
	"word,normal",
	[("Int'l", "intl"), ("Gebrüder", "gebruder"), (" Mfg. ", "mfg"), ("two words", ""), ("", ""), ("&", "")],
)
def test_normalise_word(word, normal):
	assert ab.normalise_word(word) == normal


def test_extra_entries():
	table = ab.table([("Acmw", "Acme"), ("Tek", "Tech"), ("mfg", "Manufacturers")])
	assert table.get("acmw").canonical == "acme"
	assert table.get("tek").canonical == "technologies"  # chains resolve to the shipped word
	assert table.get("mfg").canonical == "manufacturers"  # a site's entry wins
	assert table.get("acmw").kind == ab.ABBREVIATION
	assert company_key("Acmw Tek", abbreviations=table) == "acme technologies"
	assert company_key("Acmw Tek") == "acmw tek"
	assert len(table) == len(ab.DEFAULT) + 2


def test_invalid_extra_entries_are_skipped():
	table = ab.table(
		[
			("Inc", "Incorporated"),
			("Acme", "GmbH"),
			("two words", "x"),
			("same", "same"),
			("the", "them"),
			("", "x"),
		]
	)
	assert table == ab.DEFAULT
	assert ab.check_entry("inc", "incorporated")
	assert ab.check_entry("x", "x")
	assert ab.check_entry("", "x")


def test_cycles_leave_words_unexpanded():
	table = ab.table([("aaa", "bbb"), ("bbb", "aaa")])
	assert table.get("aaa") is None and table.get("bbb") is None


def test_tables_are_cached_and_comparable():
	a = ab.table([("Acmw", "Acme")])
	b = ab.table([("acmw", "ACME"), ("acmw", "acme")])
	assert a is b and hash(a) == hash(b)
	assert a != ab.DEFAULT
	assert a.entries == (("acmw", "acme"),)
