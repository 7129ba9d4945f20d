"""The PRM Match Key table: one row per (record, key), for active records of every source.

Kept current by doc_events (``sync``/``remove``/``rename``) and filled for existing data by
``backfill``. A conflict probe is one indexed ``match_key IN (...)`` query (``candidates``).
"""

import frappe
from frappe.utils import cstr, now

from prm_app.conflict.sources import SOURCES, Record, describe
from prm_app.engine.match_keys import match_keys
from prm_app.engine.matching import Party

KEY_DOCTYPE = "PRM Match Key"
COLUMNS = (
	"name",
	"ref_doctype",
	"ref_name",
	"match_key",
	"company_name",
	"domain",
	"country",
	"territory",
	"products",
	"partner",
	"registered_on",
	"priority",
	"creation",
	"modified",
	"owner",
	"modified_by",
)


def party_of(record: Record) -> Party:
	return Party(
		record.company_name or "",
		domain=record.domain,
		country=record.country,
		territory=record.territory,
		products=frozenset(record.products or ()),
	)


def rows_for(doctype: str, name: str, record: Record, timestamp: str) -> list[tuple]:
	if not record.active:
		return []
	party = party_of(record)
	products = "\n".join(sorted(record.products or ()))
	return [
		(
			frappe.generate_hash(length=12),
			doctype,
			name,
			key,
			cstr(record.company_name)[:140],
			party.domain,
			record.country,
			record.territory,
			products,
			record.partner,
			record.registered_on,
			record.priority or 0,
			timestamp,
			timestamp,
			"Administrator",
			"Administrator",
		)
		for key in sorted(match_keys(party))
	]


def remove(doctype: str, name: str) -> None:
	frappe.db.delete(KEY_DOCTYPE, {"ref_doctype": doctype, "ref_name": name})


def write_record(doctype: str, name: str, record: Record | None) -> None:
	remove(doctype, name)
	if record is None:
		return
	rows = rows_for(doctype, name, record, now())
	if rows:
		frappe.db.bulk_insert(KEY_DOCTYPE, COLUMNS, rows)


def sync_doc(doc) -> None:
	"""Re-index one document of a source (its keys go when it is no longer active)."""
	write_record(doc.doctype, doc.name, describe(doc))


# -- doc_events --------------------------------------------------------------------------------


def on_change(doc, method=None) -> None:
	if doc.doctype in SOURCES and not frappe.flags.in_install:
		sync_doc(doc)


def on_trash(doc, method=None) -> None:
	if doc.doctype in SOURCES:
		remove(doc.doctype, doc.name)


def after_rename(doc, method=None, old=None, new=None, merge=False) -> None:
	if doc.doctype not in SOURCES:
		return
	remove(doc.doctype, old)
	if merge:
		remove(doc.doctype, new)
	sync_doc(frappe.get_doc(doc.doctype, new))


# -- reading -----------------------------------------------------------------------------------


def candidates(party: Party, lock: bool = False) -> list[dict]:
	"""Distinct records that share a key with ``party``.

	With ``lock``, the rows are read with a locking read, which sees the newest committed rows
	whatever this transaction's snapshot: the priority check relies on it.
	"""
	keys = sorted(match_keys(party))
	if not keys:
		return []
	table = frappe.qb.DocType(KEY_DOCTYPE)
	query = (
		frappe.qb.from_(table)
		.select(
			table.ref_doctype,
			table.ref_name,
			table.company_name,
			table.domain,
			table.country,
			table.territory,
			table.products,
			table.partner,
			table.registered_on,
			table.priority,
		)
		.where(table.match_key.isin(keys))
	)
	if lock:
		query = query.for_update()
	seen = {}
	for row in query.run(as_dict=True):
		seen.setdefault((row.ref_doctype, row.ref_name), row)
	return list(seen.values())


# -- backfill ----------------------------------------------------------------------------------


def backfill(
	doctypes: list[str] | None = None, batch_size: int = 500, progress=None, commit: bool = True
) -> dict[str, int]:
	"""Index every existing record of the sources. ``progress(doctype, done, total)`` reports.

	Runs in batches of ``batch_size`` with a commit after each (it is a bench command or a
	background job, never a request); tests pass ``commit=False``.
	"""
	counts = {}
	for doctype in doctypes or list(SOURCES):
		source = SOURCES[doctype]
		total = frappe.db.count(doctype)
		done = indexed = 0
		last = ""
		while True:
			rows = frappe.get_all(
				doctype,
				filters={"name": (">", last)},
				fields=["name", *source.fields],
				order_by="name asc",
				limit_page_length=batch_size,
			)
			if not rows:
				if progress and not done:
					progress(doctype, 0, total)
				break
			names = [r.name for r in rows]
			products = _products_of(source.items_doctype, names)
			remove_many(doctype, names)
			timestamp = now()
			batch = []
			for row in rows:
				record = source.describe(row, products.get(row.name, []))
				batch.extend(rows_for(doctype, row.name, record, timestamp))
				indexed += record.active
			if batch:
				frappe.db.bulk_insert(KEY_DOCTYPE, COLUMNS, batch)
			if commit:
				frappe.db.commit()  # nosemgrep: batch job, outside any request
			done += len(rows)
			last = rows[-1].name
			if progress:
				progress(doctype, done, total)
		counts[doctype] = indexed
	return counts


def remove_many(doctype: str, names: list[str]) -> None:
	frappe.db.delete(KEY_DOCTYPE, {"ref_doctype": doctype, "ref_name": ("in", names)})


def _products_of(items_doctype: str | None, parents: list[str]) -> dict[str, list[str]]:
	if not items_doctype or not parents:
		return {}
	out: dict[str, set] = {}
	for row in frappe.get_all(
		items_doctype,
		filters={"parent": ("in", parents)},
		fields=["parent", "item_code"],
		limit_page_length=0,
	):
		if row.item_code:
			out.setdefault(row.parent, set()).add(row.item_code)
	return {k: sorted(v) for k, v in out.items()}
