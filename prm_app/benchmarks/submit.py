"""End-to-end benchmark: a partner user registers a deal and submits it for review over HTTP
(``bench --site SITE prm-benchmark-submit``).

Set-up (committed, removed at the end): a partner user with an API key, an active Partner, and
50 Customers made from ``prm_app.benchmarks.generator`` names. Each request is
``POST /api/method/prm_app.api.portal.register_deal`` with ``submit=1`` (insert, workflow,
conflict check over PRM Match Key, evidence, notifications), authenticated as the partner user
(token). One in five registrations is a variant of a Customer (typo, word order, spacing,
abbreviation: a Possible Conflict with evidence), the rest are new companies. Every name carries a
word of its own, so nothing matches the synthetic rows an earlier
``prm-benchmark-conflict-check --keep`` left in the table: run that first to time the submit with
the keys of a million records in place. The site is served by gunicorn (the bench env's) started
here, unless ``--url`` names a served one. Requests are sequential; p50/p95/p99 are printed.
"""

import os
import random
import socket
import subprocess
import sys
import time

import frappe
import requests
from frappe.utils import add_days, get_bench_path, random_string, today

from prm_app.benchmarks.generator import QUERY_NOISY, Generator, Identity

USER = "prm-benchmark-partner@example.com"
PARTNER = "PRM Benchmark Partner"
METHOD = "/api/method/prm_app.api.portal.register_deal"
CUSTOMERS = 50


def percentile(values: list[float], q: float) -> float:
	ordered = sorted(values)
	return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def set_up() -> tuple[str, str]:
	"""The partner user (with an API key) and its active Partner; returns (api_key, api_secret)."""
	from frappe.core.doctype.user.user import generate_keys

	if not frappe.db.exists("User", USER):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": USER,
				"first_name": "PRM Benchmark",
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
	if not frappe.db.exists("Partner", {"partner_name": PARTNER}):
		partner = frappe.get_doc({"doctype": "Partner", "partner_name": PARTNER, "status": "Active"})
		partner.append("users", {"user": USER, "role": "Partner Admin"})
		partner.insert(ignore_permissions=True)
	# the portal's per-user hourly count of registrations (prm_app.api.portal.check_rate_limit)
	frappe.cache.delete_value(frappe.cache.make_key(f"prm-portal-rate:register-deal:{USER}"), make_keys=False)
	secret = generate_keys(USER)["api_secret"]
	frappe.db.commit()  # nosemgrep: bench command
	return frappe.db.get_value("User", USER, "api_key"), secret


def tear_down(registrations: list[str], customers: list[str]) -> None:
	for case in frappe.get_all(
		"Channel Conflict", filters={"deal_registration": ("in", registrations or [""])}, pluck="name"
	):
		frappe.delete_doc("Channel Conflict", case, force=True, ignore_permissions=True)
	for name in registrations:
		frappe.delete_doc("Deal Registration", name, force=True, ignore_permissions=True)
	for name in customers:
		frappe.delete_doc("Customer", name, force=True, ignore_permissions=True)
	partner = frappe.db.get_value("Partner", {"partner_name": PARTNER})
	if partner:
		frappe.delete_doc("Partner", partner, force=True, ignore_permissions=True)
	frappe.delete_doc("User", USER, force=True, ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: bench command


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def start_gunicorn(site: str, workers: int, echo) -> tuple[subprocess.Popen, str]:
	port = free_port()
	cmd = [
		sys.executable,
		"-m",
		"gunicorn",
		"-b",
		f"127.0.0.1:{port}",
		"-w",
		str(workers),
		"-t",
		"120",
		"--preload",
		"frappe.app:application",
	]
	server = subprocess.Popen(
		cmd,
		cwd=os.path.join(get_bench_path(), "sites"),
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
	)
	url = f"http://127.0.0.1:{port}"
	for _ in range(120):
		try:
			if requests.get(f"{url}/api/method/ping", headers={"Host": site}, timeout=2).ok:
				echo(f"gunicorn ({workers} workers) serving {site} on {url}")
				return server, url
		except requests.ConnectionError:
			pass
		time.sleep(0.5)
	server.terminate()
	raise RuntimeError("gunicorn did not start")


def run(site: str, url: str | None = None, n_requests: int = 300, workers: int = 2, echo=print) -> dict:
	rng = random.Random(11)
	gen = Generator(11)
	tag = "Zq" + random_string(6).lower()  # a word of this run's own: no synthetic row matches
	settings = frappe.get_single("PRM Settings")
	rate_limit = settings.registration_rate_limit
	frappe.db.set_single_value("PRM Settings", "registration_rate_limit", n_requests + 100)
	api_key, api_secret = set_up()

	customers, idents = [], []
	for _ in range(CUSTOMERS):
		ident = gen.identity()
		ident = Identity((*ident.words, tag.capitalize()), ident.country, ident.form, ident.domain)
		doc = frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": gen.render(ident),
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}),
				"territory": frappe.db.get_value("Territory", {"is_group": 0}),
			}
		).insert(ignore_permissions=True)
		customers.append(doc.name)
		idents.append(ident)
	frappe.db.commit()  # nosemgrep: bench command

	server = None
	if not url:
		server, url = start_gunicorn(site, workers, echo)
	session = requests.Session()
	session.headers.update({"Host": site, "Authorization": f"token {api_key}:{api_secret}"})
	keys_in_table = frappe.db.sql("select count(*) from `tabPRM Match Key`")[0][0]

	registrations, latencies, statuses = [], [], {}
	try:
		for i in range(n_requests + 10):
			if rng.random() < 0.2:
				name = gen.variant(rng.choice(idents), rng.choice(QUERY_NOISY))[0]
			else:
				ident = gen.identity()
				name = gen.render(Identity((*ident.words, tag.capitalize()), ident.country, ident.form, ""))
			data = {
				"company_name": name,
				"expected_close_date": add_days(today(), 60),
				"expected_value": 1000,
			}
			t0 = time.perf_counter()
			response = session.post(
				url + METHOD, data={"data": frappe.as_json(data), "submit": 1}, timeout=60
			)
			elapsed = (time.perf_counter() - t0) * 1000
			if response.status_code != 200:
				raise RuntimeError(f"{response.status_code}: {response.text[:2000]}")
			message = response.json()["message"]
			registrations.append(message["name"])
			if i >= 10:  # the first ten warm the workers up
				latencies.append(elapsed)
	finally:
		if server:
			server.terminate()
			server.wait(timeout=30)
		frappe.db.rollback()  # a fresh snapshot: what the requests committed
		for status in frappe.get_all(
			"Deal Registration", filters={"name": ("in", registrations[10:] or [""])}, pluck="conflict_status"
		):
			statuses[status] = statuses.get(status, 0) + 1
		tear_down(registrations, customers)
		frappe.db.set_single_value("PRM Settings", "registration_rate_limit", rate_limit)
		frappe.db.commit()  # nosemgrep: bench command

	result = {
		"requests": len(latencies),
		"keys_in_table": keys_in_table,
		"p50_ms": round(percentile(latencies, 0.50), 1),
		"p95_ms": round(percentile(latencies, 0.95), 1),
		"p99_ms": round(percentile(latencies, 0.99), 1),
		"max_ms": round(max(latencies), 1),
		"conflict_status": statuses,
		"server": "gunicorn" if server else url,
		"workers": workers if server else None,
	}
	echo(
		"register and submit over HTTP with {keys_in_table:,} keys in PRM Match Key: p50 {p50_ms} ms, "
		"p95 {p95_ms} ms, p99 {p99_ms} ms, max {max_ms} ms over {requests} requests; "
		"conflict status {conflict_status}".format(**result)
	)
	return result
