"""The PRM Match Key table: one row per (record, key), for active records of every source.

Kept current by doc_events (``sync``/``remove``/``rename``) and filled for existing data by
``backfill`` (a resumable background job). A conflict probe is one indexed ``match_key IN (...)``
query (``candidates``).

Keys depend on the abbreviation table (the shipped one plus PRM Settings' Name Abbreviations).
When an admin changes those entries, stored keys may have been built with the previous table, so:

* every table stored keys may still use is remembered (``stored_tables()``), and a probe uses
  the keys of the party under each of them: nothing that was found before is missed meanwhile;
* a rebuild is enqueued (``request_rebuild``); when it has re-keyed every record with the new
  table, only that table is probed. Until then a new equivalence finds a record once that record
  is re-keyed.
"""

import json
import os
import time
from dataclasses import replace

import frappe
from frappe import _
from frappe.utils import cstr, now

from prm_app.conflict.sources import SOURCES, Record, describe
from prm_app.engine import abbreviations as ab
from prm_app.engine.match_keys import match_keys
from prm_app.engine.matching import Party

KEY_DOCTYPE = "PRM Match Key"
ABBREVIATION_DOCTYPE = "PRM Name Abbreviation"
KEY_TABLE = "`tabPRM Match Key`"
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
INSERT_CHUNK = 5000  # rows per INSERT statement (well under max_allowed_packet)
STATE_PARENT = "__prm_match_keys"  # tabDefaultValue rows of the match keys' state:
TABLES_KEY = "tables"  # the tables stored keys may have been built with,
PROGRESS_KEY = "backfill"  # and the backfill's progress
TABLES_CACHE = "prm_app:match_key_tables"
LOCK_NAME = "prm_app_match_key_backfill"
JOB_ID = "prm_app_match_key_backfill"
PROGRESS_EVENT = "prm_match_key_progress"


# -- the abbreviation table --------------------------------------------------------------------


def site_entries(cached: bool = True) -> list[list[str]]:
	"""PRM Settings' Name Abbreviations as normalised [variant, canonical] pairs, sorted.

	``cached=False`` reads the table itself (a long job's document cache would be stale).
	"""
	if cached:
		rows = frappe.get_cached_doc("PRM Settings").get("name_abbreviations")
	else:
		rows = frappe.get_all(
			ABBREVIATION_DOCTYPE,
			filters={"parenttype": "PRM Settings", "parentfield": "name_abbreviations"},
			fields=["abbreviation", "expansion"],
			order_by="idx asc",
		)
	return _entries_of(rows)


def site_table() -> ab.AbbreviationTable:
	"""The table the site's names are expanded with now."""
	return ab.table(tuple(map(tuple, site_entries())))


def probe_tables() -> list[ab.AbbreviationTable]:
	"""The current table, and every other table stored keys may still have been built with."""
	tables = [site_table()]
	for entries in stored_tables():
		table = ab.table(tuple(map(tuple, entries)))
		if table not in tables:
			tables.append(table)
	return tables


def party_of(record: Record, table: ab.AbbreviationTable | None = None) -> Party:
	return Party(
		record.company_name or "",
		domain=record.domain,
		country=record.country,
		territory=record.territory,
		products=frozenset(record.products or ()),
		abbreviations=table or site_table(),
	)


def party_of_row(row, table: ab.AbbreviationTable | None = None) -> Party:
	"""The party of a PRM Match Key row (as ``candidates`` returns them), for scoring."""
	return Party(
		row.company_name or "",
		domain=row.domain,
		country=row.country,
		territory=row.territory,
		products=frozenset(filter(None, (row.products or "").split("\n"))),
		abbreviations=table or site_table(),
	)


# -- writing -----------------------------------------------------------------------------------


_name_prefix = f"{os.getpid() & 0xFFFF:04x}{int.from_bytes(os.urandom(2), 'big'):04x}"
_name_counter = 0


def new_names(count: int) -> list[str]:
	"""Row names that grow with time (microseconds first), so that bulk inserts append to the
	clustered index instead of splitting pages all over it; unique per process and call."""
	global _name_counter
	stamp = f"{time.time_ns() // 1000:014x}{_name_prefix}"
	start = _name_counter
	_name_counter += count
	return [f"{stamp}{i & 0xFFFFFF:06x}" for i in range(start, start + count)]


def _literal(value) -> str:
	return "NULL" if value is None else frappe.db.escape(cstr(value), percent=False)


def record_rows(
	doctype: str, name: str, record: Record | None, timestamp: str, table=None
) -> tuple[list[str], tuple, tuple]:
	"""(keys, (ref_doctype, ref_name), the other columns in ``COLUMNS`` order) of a record's rows;
	no keys if it is not active. Each key is one row: name, ref, key, the other columns."""
	if not record or not record.active:
		return [], (), ()
	party = party_of(record, table)
	other = (
		cstr(record.company_name)[:140],
		party.domain,
		record.country,
		record.territory,
		"\n".join(sorted(record.products or ())),
		record.partner,
		record.registered_on,
		record.priority or 0,
		timestamp,
		timestamp,
		"Administrator",
		"Administrator",
	)
	return sorted(match_keys(party)), (doctype, name), other


def row_values(doctype: str, name: str, record: Record | None, timestamp: str, table=None) -> list[str]:
	"""SQL value tuples of a record's rows, for ``insert_values``."""
	keys, ref, other = record_rows(doctype, name, record, timestamp, table)
	if not keys:
		return []
	common = ",".join(map(_literal, other))
	head = ",".join(map(_literal, ref))
	return [
		f"('{n}',{head},{_literal(key)},{common})" for n, key in zip(new_names(len(keys)), keys, strict=True)
	]


def insert_values(values: list[str]) -> None:
	"""Multi-row INSERTs of ``row_values`` tuples, ``INSERT_CHUNK`` rows a statement.

	Plain SQL on purpose: the query builder costs more than the database for millions of rows
	(a backfill or the benchmark); every value is escaped by ``row_values``.
	"""
	for statement in insert_statements(values):
		frappe.db.sql(statement)  # nosemgrep: values escaped by row_values


def insert_statements(values: list[str]) -> list[str]:
	head = f"insert into {KEY_TABLE} ({', '.join(f'`{c}`' for c in COLUMNS)}) values "
	return [head + ",".join(values[i : i + INSERT_CHUNK]) for i in range(0, len(values), INSERT_CHUNK)]


def remove(doctype: str, name: str) -> None:
	frappe.db.delete(KEY_DOCTYPE, {"ref_doctype": doctype, "ref_name": name})


def remove_many(doctype: str, names: list[str]) -> None:
	frappe.db.delete(KEY_DOCTYPE, {"ref_doctype": doctype, "ref_name": ("in", names)})


def write_record(doctype: str, name: str, record: Record | None) -> None:
	remove(doctype, name)
	values = row_values(doctype, name, record, now())
	if values:
		insert_values(values)


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


def probe_keys(party: Party) -> list[str]:
	"""The keys of ``party`` under every table stored keys may use (see the module docstring)."""
	keys = set(match_keys(party))
	for table in probe_tables():
		if table != party.abbreviations:
			keys |= match_keys(replace(party, abbreviations=table))
	return sorted(keys)


def candidates(party: Party, lock: bool = False) -> list[dict]:
	"""Distinct records that share a key with ``party``.

	With ``lock``, the rows are read with a locking read, which sees the newest committed rows
	whatever this transaction's snapshot: the priority check relies on it.
	"""
	keys = probe_keys(party)
	if not keys:
		return []
	# plain SQL: the query builder costs a quarter of a check; the keys are parameters
	rows = frappe.db.sql(
		f"""select ref_doctype, ref_name, company_name, domain, country, territory, products,
			partner, registered_on, priority
		from {KEY_TABLE} where match_key in %(keys)s{" for update" if lock else ""}""",
		{"keys": tuple(keys)},
		as_dict=True,
	)
	seen = {}
	for row in rows:
		seen.setdefault((row.ref_doctype, row.ref_name), row)
	return list(seen.values())


# -- state, rebuilds and the backfill -----------------------------------------------------------
# Kept as rows of tabDefaultValue under a parent of their own: not PRM Settings fields (saving the
# settings form would write back an old copy), not global defaults (writing one clears the whole
# site cache). The tables, read by every probe, are cached and dropped from the cache on change.


def _load(key: str, default):
	raw = frappe.db.get_value("DefaultValue", {"parent": STATE_PARENT, "defkey": key}, "defvalue")
	try:
		return json.loads(raw) if raw else default
	except ValueError:
		return default


def _save(key: str, value) -> None:
	text = json.dumps(value, sort_keys=True)
	table = frappe.qb.DocType("DefaultValue")
	where = (table.parent == STATE_PARENT) & (table.defkey == key)
	if frappe.qb.from_(table).select(table.name).where(where).run():
		frappe.qb.update(table).set(table.defvalue, text).where(where).run()
	else:
		frappe.get_doc(
			{
				"doctype": "DefaultValue",
				"parent": STATE_PARENT,
				"parenttype": STATE_PARENT,
				"parentfield": "system_defaults",
				"defkey": key,
				"defvalue": text,
			}
		).db_insert()


def stored_tables() -> list[list[list[str]]]:
	"""The abbreviation entries of every table that stored keys may have been built with
	(cached: every conflict check reads it)."""
	tables = frappe.cache.get_value(TABLES_CACHE)
	if tables is None:
		tables = _load(TABLES_KEY, [])
		frappe.cache.set_value(TABLES_CACHE, tables)
	return tables


def save_tables(tables: list[list[list[str]]]) -> None:
	_save(TABLES_KEY, tables)

	def forget():
		frappe.cache.delete_value(TABLES_CACHE)

	forget()
	frappe.db.after_commit.add(forget)  # another process may cache the old value meanwhile
	frappe.db.after_rollback.add(forget)


def remember_table(entries: list[list[str]]) -> None:
	tables = _load(TABLES_KEY, [])
	if entries not in tables:
		save_tables([*tables, entries])


def progress_state() -> dict:
	"""The backfill's progress: status, entries (its table), per doctype last name / done / total."""
	return _load(PROGRESS_KEY, {})


def on_settings_change(settings) -> None:
	"""PRM Settings ``on_update``: a change of the Name Abbreviations makes stored keys stale."""
	before = settings.get_doc_before_save()
	old = _entries_of(before.get("name_abbreviations") if before else [])
	new = _entries_of(settings.get("name_abbreviations"))
	if old == new:
		return
	remember_table(old)  # keys written so far (at least those of a site without any state yet)
	request_rebuild(reason=_("Name Abbreviations changed"), entries=new)


def _entries_of(rows) -> list[list[str]]:
	return [list(pair) for pair in ab.table((r.abbreviation, r.expansion) for r in rows or []).entries]


def request_rebuild(reason: str = "", entries: list[list[str]] | None = None) -> None:
	"""Re-key every record in a background job (``queue="long"``), probing the old keys too
	until it is done. Safe to call again: one job runs at a time; a running one notices a
	changed table and starts over with it."""
	remember_table(site_entries(cached=False) if entries is None else entries)
	job = progress_state()
	if job.get("status") != "running":
		_save(PROGRESS_KEY, {"status": "pending", "reason": reason, "requested": now()})
	frappe.enqueue(
		"prm_app.conflict.keys.backfill_job",
		queue="long",
		timeout=6 * 3600,
		job_id=JOB_ID,
		deduplicate=True,
		enqueue_after_commit=True,
	)


def backfill_job() -> None:
	"""The background job: a full, resumable backfill with progress."""
	try:
		backfill(resume=True)
	except BackfillBusy:
		frappe.logger("prm_app.match_keys").info("a backfill is already running")


def describe_state() -> str:
	"""A line for PRM Settings: how far the match keys are."""
	job = progress_state()
	status = job.get("status")
	progress = "; ".join(
		f"{dt}: {p.get('done', 0)}/{p.get('total', 0)}" for dt, p in (job.get("doctypes") or {}).items()
	)
	if status == "done":
		return _("Match keys rebuilt on {0} ({1}).").format(job.get("finished"), progress)
	if status == "pending":
		return _("A rebuild of the match keys is queued: {0}.").format(job.get("reason") or "")
	if status == "running":
		return _("Rebuilding match keys: {0} (last update {1}).").format(progress, job.get("updated"))
	if status == "partial":
		return _("Match keys rebuilt for some sources only: {0}.").format(progress)
	return ""


def _take_lock() -> bool:
	"""A MariaDB named lock held by this connection: one backfill at a time, freed if it dies."""
	return bool(frappe.db.sql("select get_lock(%s, 0)", LOCK_NAME)[0][0])


def _release_lock() -> None:
	frappe.db.sql("select release_lock(%s)", LOCK_NAME)


class BackfillBusy(frappe.ValidationError):
	pass


class _TableChanged(Exception):
	pass


def backfill(
	doctypes: list[str] | None = None,
	batch_size: int = 1000,
	progress=None,
	commit: bool = True,
	resume: bool = True,
) -> dict[str, int]:
	"""Index every existing record of the sources, in batches, with progress; returns the active
	records indexed per doctype.

	The progress (the last name done per doctype) is saved with each batch, in the same
	transaction as its keys: after an interruption, ``resume`` continues from there (with the same
	abbreviation table; a changed table starts over). ``progress(doctype, done, total)`` is called
	after each batch; the progress is also published to the PRM Settings form (realtime) and
	logged. A full run (every source) that completes leaves only its table to probe.
	Runs as a bench command or background job, never in a request; tests pass ``commit=False``.
	"""
	if commit and not _take_lock():
		raise BackfillBusy(_("Another backfill of the match keys is running."))
	logger = frappe.logger("prm_app.match_keys")
	try:
		targets = list(doctypes or SOURCES)
		tables_before = _load(TABLES_KEY, [])
		while True:
			entries = site_entries(cached=False)
			job = _start(targets, entries, resume)
			try:
				counts = {
					doctype: _backfill_doctype(doctype, job, batch_size, progress, commit, logger)
					for doctype in targets
				}
				break
			except _TableChanged:
				logger.info("Name Abbreviations changed during the backfill: starting over")
				resume = False
		if not doctypes:
			# every record now has keys of this table; keep tables remembered meanwhile
			added = [t for t in _load(TABLES_KEY, []) if t not in tables_before and t != entries]
			save_tables([entries, *added])
		finished = all(p.get("complete") for p in job["doctypes"].values())
		job.update(status="done" if finished else "partial", finished=now(), updated=now())
		_save(PROGRESS_KEY, job)
		if commit:
			frappe.db.commit()  # nosemgrep: batch job, outside any request
		logger.info(f"match keys rebuilt: {counts}")
		return counts
	finally:
		if commit:
			_release_lock()


def _start(targets: list[str], entries: list[list[str]], resume: bool) -> dict:
	job = progress_state()
	resumable = (
		resume
		and job.get("status") in ("running", "partial")
		and job.get("entries") == entries
		and set(job.get("doctypes") or {}) >= set(targets)
	)
	if not resumable:
		job = {"doctypes": {}, "started": now()}
	job.update(status="running", entries=entries, updated=now())
	for doctype in targets:
		mine = job["doctypes"].setdefault(doctype, {"last": "", "done": 0})
		mine["total"] = frappe.db.count(doctype)
		mine["complete"] = False  # a resumed doctype goes on from its last name
	remember_table(entries)
	_save(PROGRESS_KEY, job)
	return job


def _backfill_doctype(doctype, job, batch_size, progress, commit, logger) -> int:
	source = SOURCES[doctype]
	mine = job["doctypes"][doctype]
	table = ab.table(tuple(map(tuple, job["entries"])))
	indexed = 0
	while True:
		rows = frappe.get_all(
			doctype,
			filters={"name": (">", mine["last"])},
			fields=["name", *source.fields],
			order_by="name asc",
			limit_page_length=batch_size,
		)
		if not rows:
			break
		if site_entries(cached=False) != job["entries"]:
			raise _TableChanged
		names = [r.name for r in rows]
		products = _products_of(source.items_doctype, names)
		remove_many(doctype, names)
		timestamp = now()
		values = []
		for row in rows:
			record = source.describe(row, products.get(row.name, []))
			values.extend(row_values(doctype, row.name, record, timestamp, table))
			indexed += bool(record and record.active)
		insert_values(values)
		mine["last"] = names[-1]
		mine["done"] = mine.get("done", 0) + len(rows)
		job["updated"] = now()
		_save(PROGRESS_KEY, job)
		if commit:
			frappe.db.commit()  # nosemgrep: batch job, outside any request
		_report(doctype, mine["done"], mine["total"], progress, logger)
	mine["complete"] = True
	_save(PROGRESS_KEY, job)
	if not mine.get("done"):
		_report(doctype, 0, mine["total"], progress, logger)
	return indexed


def _report(doctype: str, done: int, total: int, progress, logger) -> None:
	if progress:
		progress(doctype, done, total)
	logger.info(f"{doctype}: {done}/{total}")
	frappe.publish_realtime(
		PROGRESS_EVENT,
		{"doctype": doctype, "done": done, "total": total},
		doctype="PRM Settings",
		docname="PRM Settings",
	)


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
