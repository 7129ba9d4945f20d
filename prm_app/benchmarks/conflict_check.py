"""Benchmark of the conflict check against PRM Match Key holding N keys (a bench command).

Synthetic parties from the engine's benchmark generator are written as registrations of a
pseudo partner (``ref_name`` PRMBENCH-...), then registrations that vary known names are
checked with the same ``find_matches`` a real submission uses (one indexed query, scoring,
settings, admin rules). It prints p50/p95/p99 latency and the recall of the planted variants,
and removes its rows unless asked to keep them.
"""

import time

import frappe
from frappe.utils import add_days, now, today

from prm_app.benchmarks.generator import generate
from prm_app.conflict import check, keys
from prm_app.conflict.sources import DEAL_REGISTRATION, Record

PREFIX = "PRMBENCH-"
CHUNK = 20_000


def percentile(values: list[float], q: float) -> float:
	ordered = sorted(values)
	return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def cleanup() -> None:
	table = frappe.qb.DocType(keys.KEY_DOCTYPE)
	frappe.qb.from_(table).delete().where(table.ref_name.like(f"{PREFIX}%")).run()
	frappe.db.commit()  # nosemgrep: bench command


def fill(target_keys: int, queries: int, echo) -> tuple[int, int, list]:
	"""Write synthetic registrations until ``target_keys`` keys; returns (records, keys, queries)."""
	# about 20 keys a record; generate a little more than needed
	dataset = generate(max(1000, target_keys // 12), queries, seed=7)
	written = records = 0
	batch = []
	stamp = now()
	for i, (name, domain, country, identity, _kind) in enumerate(dataset.records):
		record = Record(name, domain=domain, country=country, partner="PRM Benchmark", registered_on=stamp)
		rows = keys.rows_for(DEAL_REGISTRATION, f"{PREFIX}{i:08d}-{identity}", record, stamp)
		batch.extend(rows)
		written += len(rows)
		records += 1
		if len(batch) >= CHUNK or written >= target_keys:
			frappe.db.bulk_insert(keys.KEY_DOCTYPE, keys.COLUMNS, batch)
			frappe.db.commit()  # nosemgrep: bench command
			batch = []
			if records % 10_000 < 400:
				echo(f"  {written:,} keys / {records:,} records")
		if written >= target_keys:
			break
	if batch:
		frappe.db.bulk_insert(keys.KEY_DOCTYPE, keys.COLUMNS, batch)
		frappe.db.commit()  # nosemgrep: bench command
	return records, written, [q for q in dataset.queries if q[3] >= 0]


def run(target_keys: int = 1_000_000, queries: int = 300, keep: bool = False, echo=print) -> dict:
	cleanup()
	total_before = frappe.db.count(keys.KEY_DOCTYPE)
	echo(f"filling PRM Match Key with {target_keys:,} synthetic keys ...")
	started = time.monotonic()
	records, written, planted = fill(target_keys, queries, echo)
	fill_s = time.monotonic() - started
	echo(f"filled {written:,} keys for {records:,} records in {fill_s:.1f} s")
	frappe.db.sql("ANALYZE TABLE `tabPRM Match Key`")  # nosemgrep: refresh index statistics

	doc = frappe.new_doc(DEAL_REGISTRATION)
	doc.registered_on = now()
	doc.expected_close_date = add_days(today(), 30)
	latencies, found = [], 0
	for name, domain, country, identity, _kind in planted[:queries]:
		doc.company_name, doc.website, doc.country = name, domain, country
		t0 = time.perf_counter()
		matches = check.find_matches(doc)
		latencies.append((time.perf_counter() - t0) * 1000)
		found += any(m["name"].endswith(f"-{identity}") for m in matches)
	result = {
		"keys": written,
		"records": records,
		"table_rows": total_before + written,
		"queries": len(latencies),
		"fill_s": round(fill_s, 1),
		"p50_ms": round(percentile(latencies, 0.50), 2),
		"p95_ms": round(percentile(latencies, 0.95), 2),
		"p99_ms": round(percentile(latencies, 0.99), 2),
		"max_ms": round(max(latencies), 2),
		"recall": round(found / max(1, len(latencies)), 4),
	}
	echo(
		"conflict check over {keys:,} keys ({records:,} records): p50 {p50_ms} ms, p95 {p95_ms} ms, "
		"p99 {p99_ms} ms, max {max_ms} ms over {queries} checks; planted variants found: {recall:.2%}".format(
			**result
		)
	)
	if not keep:
		cleanup()
	return result
