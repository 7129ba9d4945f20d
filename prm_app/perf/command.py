"""``bench --site SITE prm-benchmark-portal``: the partner portal under load (``prm_app.perf.portal``)."""

import json

import click
from frappe.commands import get_site, pass_context


@click.command("prm-benchmark-portal")
@click.option("--partners", default=1000, show_default=True, help="Synthetic partners to make.")
@click.option(
	"--registrations", default=1_000_000, show_default=True, help="Synthetic registrations to make."
)
@click.option("--leads", default=50, show_default=True, help="Lead offers (with their Leads) per partner.")
@click.option(
	"--mdf-requests", default=20, show_default=True, help="MDF requests per partner (on a budget each)."
)
@click.option("--sessions", default=20, show_default=True, help="Signed-in partner sessions driven at once.")
@click.option(
	"--seconds", default=30.0, show_default=True, help="Time each target is driven by all sessions."
)
@click.option("--rounds", default=20, show_default=True, help="Rounds of the single-session latency pass.")
@click.option("--workers", default=2, show_default=True, help="gunicorn workers.")
@click.option("--threads", default=4, show_default=True, help="gunicorn threads per worker.")
@click.option("--skew", default=0.0, show_default=True, help="0: registrations spread evenly; 1: Zipf-like.")
@click.option("--port", type=int, help="Port for gunicorn on 127.0.0.1 (default: a free one).")
@click.option("--only", multiple=True, help="Only the portal targets whose label contains this (repeatable).")
@click.option("--profile", is_flag=True, help="First, one request of each target with Frappe's recorder on.")
@click.option(
	"--profile-top", default=0, show_default=True, help="With --profile: cProfile lines per request."
)
@click.option("--skip-concurrent", is_flag=True, help="Only the single-session pass (and the profile).")
@click.option("--keep", is_flag=True, help="Keep the synthetic records afterwards.")
@click.option("--reuse", is_flag=True, help="Use the synthetic records a --keep run left.")
@click.option("--remove", "remove_only", is_flag=True, help="Only remove the synthetic records, then stop.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
@pass_context
def benchmark_portal(context, remove_only, as_json, **options):
	"""The partner portal under load, beside Frappe's own page and method, on a scratch site.

	Makes synthetic partners, users and registrations, and the capabilities' records (lead offers,
	MDF budgets and requests, rebates, training, assets; bulk inserts, marked PRMPERF), serves the
	site with gunicorn, signs partner sessions in over loopback HTTP, prints p50/p95/p99 and
	throughput per portal page and method beside Frappe's /me and frappe.auth.get_logged_user, and
	removes what it made."""
	import frappe

	from prm_app.perf import data, portal

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		if remove_only:
			data.remove(echo=click.echo)
			return
		result = portal.run(echo=click.echo, **options)
		if as_json:
			click.echo(json.dumps(result, default=str))
	finally:
		frappe.destroy()
