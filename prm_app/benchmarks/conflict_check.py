"""Benchmark of the conflict check on the database, by records (``bench --site SITE
prm-benchmark-conflict-check --records 1000000``).

N synthetic records of ``prm_app.benchmarks.generator`` (the engine benchmark's, same seed, same
data) are written to PRM Match Key with their keys as Customers (50%), Leads (30%) and Deal
Registrations (20%) of a pseudo partner (``ref_name`` PRMBENCH-...), in multi-row INSERTs, the
way the backfill writes them. Then registrations named like the generator's known-name and noisy
queries (hard negatives included) go through ``find_matches``: the indexed candidate query,
scoring, settings and admin rules, as a submission does. It prints keys per record, the fill
rate, the table's size on disk, p50/p95/p99 of the checks, and recall / precision of the
candidates the database returns, then deletes its rows (unless ``--keep``).
"""

import os
import platform
import queue
import tempfile
import threading
import time

import frappe
import pymysql
from frappe.utils import add_days, now, today

from prm_app.benchmarks.generator import generate
from prm_app.conflict import check, keys
from prm_app.conflict.sources import DEAL_REGISTRATION, Record
from prm_app.engine import matching

PREFIX = "PRMBENCH-"
DOCTYPES = ("Customer",) * 5 + ("Lead",) * 3 + (DEAL_REGISTRATION,) * 2
BATCH_ROWS = 50_000  # rows per commit while filling
DELETE_CHUNK = 50_000


def percentile(values: list[float], q: float) -> float:
	ordered = sorted(values)
	return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ref_of(i: int, identity: int) -> tuple[str, str]:
	return DOCTYPES[i % len(DOCTYPES)], f"{PREFIX}{i:08d}-{identity}"


def cleanup(echo=None) -> int:
	"""Delete the benchmark's rows, in chunks (through the (ref_doctype, ref_name) index)."""
	deleted = 0
	for doctype in sorted(set(DOCTYPES)):
		while True:
			frappe.db.sql(
				f"delete from {keys.KEY_TABLE} where ref_doctype = %s and ref_name like %s limit {DELETE_CHUNK}",
				(doctype, PREFIX + "%"),
			)
			count = frappe.db._cursor.rowcount
			frappe.db.commit()  # nosemgrep: bench command
			deleted += count
			if count < DELETE_CHUNK:
				break
			if echo and deleted % 1_000_000 < DELETE_CHUNK:
				echo(f"  deleted {deleted:,} rows")
	return deleted


def _tsv(value) -> str:
	if value is None:
		return "\\N"
	return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def tsv_lines(doctype: str, name: str, record: Record, timestamp: str, table) -> list[str]:
	"""A record's rows as lines for LOAD DATA (tab-separated, backslash escapes, \\N for NULL)."""
	found, ref, other = keys.record_rows(doctype, name, record, timestamp, table)
	if not found:
		return []
	head = "\t".join(map(_tsv, ref))
	tail = "\t".join(map(_tsv, other))
	return [
		f"{n}\t{head}\t{_tsv(key)}\t{tail}\n"
		for n, key in zip(keys.new_names(len(found)), found, strict=True)
	]


class Writer:
	"""Writes batches of rows on a connection of its own, in a thread, while the caller builds the
	next batch (the database and Python each keep a core busy). With ``load_data`` (the server
	allows LOAD DATA LOCAL INFILE) a batch goes through a temporary file, else through multi-row
	INSERTs; local infile is enabled for this connection only."""

	def __init__(self, load_data: bool) -> None:
		settings = frappe.db.get_connection_settings()
		if load_data:
			settings["local_infile"] = True
		self.load_data = load_data
		self.conn = pymysql.connect(**settings)
		self.batches: queue.Queue = queue.Queue(maxsize=2)
		self.error: BaseException | None = None
		self.thread = threading.Thread(target=self._work, daemon=True)
		self.thread.start()

	def _work(self) -> None:
		cursor = self.conn.cursor()
		columns = ", ".join(f"`{c}`" for c in keys.COLUMNS)
		while (batch := self.batches.get()) is not None:
			try:
				if self.load_data:
					with tempfile.NamedTemporaryFile("w", suffix=".tsv", encoding="utf-8") as f:
						f.writelines(batch)
						f.flush()
						cursor.execute(
							f"load data local infile %s into table {keys.KEY_TABLE} character set utf8mb4 ({columns})",
							(f.name,),
						)
				else:
					for sql in keys.insert_statements(batch):
						cursor.execute(sql)
				self.conn.commit()
			except BaseException as e:  # handed to the caller by put() / close()
				self.error = e
				return

	def put(self, batch: list[str]) -> None:
		if self.error:
			raise self.error
		self.batches.put(batch)

	def close(self) -> None:
		self.batches.put(None)
		self.thread.join()
		self.conn.close()
		if self.error:
			raise self.error


def fill(records: list, echo) -> tuple[int, float]:
	"""Write the keys of ``records``; returns (keys written, seconds)."""
	started = time.monotonic()
	stamp = now()
	table = keys.site_table()
	written = 0
	pending: list[str] = []
	load_data = bool(int(frappe.db.sql("select @@local_infile")[0][0]))
	rows_of = tsv_lines if load_data else keys.row_values
	echo(f"  writing with {'LOAD DATA LOCAL INFILE' if load_data else 'multi-row INSERTs'}")
	writer = Writer(load_data)
	try:
		for i, (name, domain, country, identity, _kind) in enumerate(records):
			doctype, ref = ref_of(i, identity)
			record = Record(
				name,
				domain=domain,
				country=country,
				partner="PRM Benchmark" if doctype == DEAL_REGISTRATION else None,
				registered_on=stamp,
			)
			pending.extend(rows_of(doctype, ref, record, stamp, table))
			if len(pending) >= BATCH_ROWS:
				writer.put(pending)
				written += len(pending)
				pending = []
				if (i + 1) % 100_000 < 4_000:
					rate = written / (time.monotonic() - started)
					echo(f"  {i + 1:,} records, {written:,} keys, {rate:,.0f} keys/s")
		if pending:
			writer.put(pending)
			written += len(pending)
	finally:
		writer.close()
	return written, time.monotonic() - started


def table_size() -> dict:
	"""Rows (estimate), data and index size from information_schema, and the table's file when
	the database runs on this machine and its data directory is readable."""
	frappe.db.sql(f"analyze table {keys.KEY_TABLE}")  # nosemgrep: refresh the size statistics
	row = frappe.db.sql(
		"""select table_rows, data_length, index_length, data_free from information_schema.tables
		where table_schema = database() and table_name = 'tabPRM Match Key'""",
		as_dict=True,
	)[0]
	datadir, database = frappe.db.sql("select @@datadir, database()")[0]
	path = os.path.join(datadir, database, "tabPRM@0020Match@0020Key.ibd")
	mb = 1024 * 1024
	return {
		"table_rows_estimate": int(row.table_rows or 0),
		"data_mb": round((row.data_length or 0) / mb, 1),
		"index_mb": round((row.index_length or 0) / mb, 1),
		"free_mb": round((row.data_free or 0) / mb, 1),
		"file_mb": round(os.path.getsize(path) / mb, 1) if os.access(path, os.R_OK) else None,
	}


def run(
	records: int = 1_000_000,
	queries: int = 1000,
	seed: int = 7,
	keep: bool = False,
	reuse: bool = False,
	echo=print,
) -> dict:
	echo(f"generating {records:,} synthetic records (seed {seed}) ...")
	data = generate(records, queries, seed)
	if not reuse:
		echo("removing the rows of an earlier run ...")
		cleanup(echo)
	before = frappe.db.count(keys.KEY_DOCTYPE)
	fill_s = 0.0
	written = 0
	if not reuse:
		echo(f"filling PRM Match Key with the keys of {len(data.records):,} records ...")
		written, fill_s = fill(data.records, echo)
		echo(
			f"filled {written:,} keys for {len(data.records):,} records in {fill_s:.1f} s: "
			f"{written / fill_s:,.0f} keys/s, {len(data.records) / fill_s:,.0f} records/s"
		)
	else:
		written = frappe.db.count(keys.KEY_DOCTYPE, {"ref_name": ("like", PREFIX + "%")})
	size = table_size()
	echo(
		f"table: {size['table_rows_estimate']:,} rows (estimate), data {size['data_mb']:,} MB, "
		f"indexes {size['index_mb']:,} MB, file {size['file_mb']} MB"
	)

	truth: dict[int, set[str]] = {}
	truth_noisy: dict[int, set[str]] = {}
	for i, (_n, _d, _c, identity, kind) in enumerate(data.records):
		ref = ref_of(i, identity)[1]
		truth.setdefault(identity, set()).add(ref)
		if kind != "domain":
			truth_noisy.setdefault(identity, set()).add(ref)
	checks = [(q, truth) for q in data.queries] + [(q, truth_noisy) for q in data.noisy]

	doc = frappe.new_doc(DEAL_REGISTRATION)
	doc.registered_on = now()
	doc.expected_close_date = add_days(today(), 30)
	limit = check.threshold()
	for (name, domain, country, _identity, _kind), _truth in checks[:20]:  # warm up
		doc.company_name, doc.website, doc.country = name, domain, country
		check.find_matches(doc)
	latencies, candidates = [], []
	expected = found = returned = wrong = 0
	for (name, domain, country, identity, _kind), known in checks:
		doc.company_name, doc.website, doc.country = name, domain, country
		t0 = time.perf_counter()
		check.find_matches(doc)
		latencies.append((time.perf_counter() - t0) * 1000)
		# what the database returns, scored (find_matches drops ERPNext records that do not exist)
		party = keys.party_of(Record(name, domain=domain, country=country))
		rows = keys.candidates(party)
		candidates.append(len(rows))
		hits = {
			r.ref_name
			for r in rows
			if r.ref_name.startswith(PREFIX)
			and matching.score(party, keys.party_of_row(r, party.abbreviations)).score >= limit
		}
		want = known.get(identity, set()) if identity >= 0 else set()
		expected += len(want)
		found += len(hits & want)
		returned += len(hits)
		wrong += len(hits - want)
	result = {
		"records": len(data.records),
		"keys": written,
		"keys_per_record": round(written / max(1, len(data.records)), 2),
		"table_rows": before + (0 if reuse else written),
		**size,
		"fill_s": round(fill_s, 1),
		"fill_keys_per_s": round(written / fill_s) if fill_s else None,
		"fill_records_per_s": round(len(data.records) / fill_s) if fill_s else None,
		"checks": len(latencies),
		"p50_ms": round(percentile(latencies, 0.50), 2),
		"p95_ms": round(percentile(latencies, 0.95), 2),
		"p99_ms": round(percentile(latencies, 0.99), 2),
		"max_ms": round(max(latencies), 2),
		"candidates_p50": percentile(candidates, 0.50),
		"candidates_max": max(candidates),
		"recall": round(found / expected, 4) if expected else 1.0,
		"precision": round((returned - wrong) / returned, 4) if returned else 1.0,
		"mariadb": frappe.db.sql("select version()")[0][0],
		"python": platform.python_version(),
	}
	echo(
		"conflict check with the keys of {records:,} records ({keys:,} keys, {keys_per_record} a record): "
		"p50 {p50_ms} ms, p95 {p95_ms} ms, p99 {p99_ms} ms, max {max_ms} ms over {checks} checks "
		"(known-name and noisy queries, hard negatives included); candidates per check p50 "
		"{candidates_p50}, max {candidates_max}; recall {recall}, precision {precision}".format(**result)
	)
	if not keep:
		echo("removing the benchmark's rows ...")
		started = time.monotonic()
		cleanup(echo)
		echo(f"removed in {time.monotonic() - started:.1f} s")
	return result
