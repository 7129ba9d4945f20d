"""Synthetic Customers and Leads for timing the match-key backfill at scale (a scratch site only).

``bench --site SITE execute prm_app.benchmarks.backfill.seed --kwargs "{'records': 1000000}"``
writes N rows straight into ``tabCustomer`` (60%) and ``tabLead`` (40%), named PRMBF-..., with the
names and domains of ``prm_app.benchmarks.generator`` and without any document event (so without
keys). Then time ``bench --site SITE execute prm_app.conflict.keys.backfill_job`` (what the
background job runs; interrupt it and run it again to see it resume) or ``prm-backfill-match-keys
--now``. ``clear`` removes the rows and their keys. docs/benchmarks.md has the figures.
"""

import time

import frappe
from frappe.utils import now

from prm_app.benchmarks.generator import generate
from prm_app.conflict import keys

PREFIX = "PRMBF-"
CHUNK = 5000


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
	head = f"insert into `{table}` ({', '.join(f'`{c}`' for c in columns)}) values "
	for i in range(0, len(rows), CHUNK):
		values = ",".join(
			"("
			+ ",".join("NULL" if v is None else frappe.db.escape(str(v), percent=False) for v in row)
			+ ")"
			for row in rows[i : i + CHUNK]
		)
		frappe.db.sql(head + values)  # nosemgrep: escaped above; a benchmark's bulk set-up


def seed(records: int = 1_000_000, seed: int = 3) -> dict:
	started = time.monotonic()
	data = generate(records, 10, seed)
	stamp = now()
	group = frappe.db.get_value("Customer Group", {"is_group": 0})
	territory = frappe.db.get_value("Territory", {"is_group": 0})
	customers, leads = [], []
	for i, (name, domain, country, _identity, _kind) in enumerate(data.records):
		ref = f"{PREFIX}{i:08d}"
		website = domain if domain and "@" not in domain else None
		email = domain if domain and "@" in domain else None
		if i % 5 < 3:
			customers.append(
				(
					ref,
					name[:140],
					"Company",
					group,
					territory,
					0,
					website,
					email,
					stamp,
					stamp,
					"Administrator",
				)
			)
		else:
			leads.append(
				(ref, name[:140], "Lead " + ref, website, email, country, territory, "Lead", stamp, stamp)
			)
		if len(customers) + len(leads) >= 50_000:
			_flush(customers, leads)
			customers, leads = [], []
	_flush(customers, leads)
	frappe.db.commit()  # nosemgrep: benchmark set-up
	result = {"records": len(data.records), "seconds": round(time.monotonic() - started, 1)}
	print(result)
	return result


def _flush(customers: list[tuple], leads: list[tuple]) -> None:
	_insert(
		"tabCustomer",
		(
			"name",
			"customer_name",
			"customer_type",
			"customer_group",
			"territory",
			"disabled",
			"website",
			"email_id",
			"creation",
			"modified",
			"owner",
		),
		customers,
	)
	_insert(
		"tabLead",
		(
			"name",
			"company_name",
			"lead_name",
			"website",
			"email_id",
			"country",
			"territory",
			"status",
			"creation",
			"modified",
		),
		leads,
	)
	frappe.db.commit()  # nosemgrep: benchmark set-up


def clear() -> None:
	for doctype in ("Customer", "Lead"):
		while True:
			frappe.db.sql(
				f"delete from {keys.KEY_TABLE} where ref_doctype = %s and ref_name like %s limit 50000",
				(doctype, PREFIX + "%"),
			)
			done = frappe.db._cursor.rowcount
			frappe.db.commit()  # nosemgrep: benchmark clean-up
			if done < 50000:
				break
		while True:
			frappe.db.sql(f"delete from `tab{doctype}` where name like %s limit 50000", (PREFIX + "%",))
			done = frappe.db._cursor.rowcount
			frappe.db.commit()  # nosemgrep: benchmark clean-up
			if done < 50000:
				break
