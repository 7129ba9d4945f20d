"""Bench commands of the insights: ``prm-demo`` (build or remove the demo programme) and
``prm-benchmark-insights`` (time the Partner Scorecard and Pareto over synthetic data)."""

import json

import click
from frappe.commands import get_site, pass_context


@click.command("prm-demo")
@click.option("--remove", is_flag=True, help="Take away everything the demo made.")
@click.option("--size", type=click.Choice(["full", "small"]), default="full", show_default=True)
@click.option("--password", help="Password of the demo users (default: a new random one, printed).")
@pass_context
def demo(context, remove, size, password):
	"""Build a demo partner programme on a site with ERPNext set up, or remove it."""
	import frappe

	from prm_app import demo as programme

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		if remove:
			counts = programme.remove(echo=click.echo)
			for doctype, count in sorted(counts.items()):
				click.echo(f"  {doctype}: {count}")
			click.echo(f"removed {sum(counts.values())} demo records")
			return
		click.echo(f"building the demo programme ({size}) on {frappe.local.site} ...")
		built = programme.build(size=size, password=password, echo=click.echo)
		user = programme.sign_in_hint()
		click.echo("")
		click.echo(f"done: {built.made} records.")
		click.echo("Desk: sign in as an administrator and open the Partners workspace.")
		if user:
			click.echo(f"Partner portal: sign in at /login as {user} with password {built.password}")
		click.echo(f"Channel managers (desk): {', '.join(built.managers)}, same password.")
		click.echo("Remove it all with: bench --site SITE prm-demo --remove")
	finally:
		frappe.destroy()


@click.command("prm-benchmark-insights")
@click.option("--partners", default=10_000, show_default=True)
@click.option("--invoices", default=1_000_000, show_default=True)
@click.option("--runs", default=5, show_default=True, help="Runs of each report.")
@click.option("--keep", is_flag=True, help="Keep the synthetic rows afterwards.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line.")
@pass_context
def benchmark(context, partners, invoices, runs, keep, as_json):
	"""Time the Partner Scorecard and Partner Pareto over N partners and M invoices."""
	import frappe

	from prm_app.insights.benchmark import run

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		result = run(partners=partners, invoices=invoices, runs=runs, keep=keep, echo=click.echo)
		if as_json:
			click.echo(json.dumps(result))
	finally:
		frappe.destroy()


commands = [demo, benchmark]
