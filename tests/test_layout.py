"""Static checks of the app's layout, run without a Frappe site."""

import ast
import json
from pathlib import Path

import pytest

from prm_app import hooks

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "prm_app"
DOCTYPES = APP / "prm_app" / "doctype"
DOCTYPE_FILES = sorted(DOCTYPES.glob("*/*.json"))


def load(path):
	return json.loads(path.read_text())


def test_there_are_doctypes():
	assert {load(p)["name"] for p in DOCTYPE_FILES} >= {
		"Partner",
		"Program Tier",
		"PRM Settings",
		"Partner User",
	}


@pytest.mark.parametrize("path", DOCTYPE_FILES, ids=lambda p: p.parent.name)
def test_doctype_json_is_consistent(path):
	doc = load(path)
	assert doc["doctype"] == "DocType"
	assert doc["module"] == "PRM App"
	assert path.stem == path.parent.name == doc["name"].lower().replace(" ", "_")
	names = [f["fieldname"] for f in doc["fields"]]
	assert len(names) == len(set(names)), "duplicate fieldnames"
	assert doc["field_order"] == names
	controller = path.with_suffix(".py")
	assert controller.exists()
	for field in doc["fields"]:
		if field["fieldtype"] in ("Link", "Table", "Table MultiSelect", "Select"):
			assert field.get("options"), field["fieldname"]
	if not doc.get("istable"):
		roles = {p["role"] for p in doc["permissions"]}
		assert {"System Manager", "Partner Manager"} <= roles, "internal roles need permissions"
		tests = list(path.parent.glob("test_*.py"))
		if not doc.get("issingle"):
			assert tests, "every doctype has FrappeTestCase tests beside it"
			tree = ast.parse(tests[0].read_text())
			methods = [
				n.name
				for n in ast.walk(tree)
				if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
			]
			assert methods, "test class is empty"


def test_partner_owned_doctypes_are_isolated():
	"""Every doctype that links to Partner is registered for the permission hooks."""
	for path in DOCTYPE_FILES:
		doc = load(path)
		if doc.get("istable"):
			continue
		links_partner = doc["name"] == "Partner" or any(
			f["fieldtype"] == "Link" and f.get("options") == "Partner" for f in doc["fields"]
		)
		if links_partner:
			assert doc["name"] in hooks.permission_query_conditions, doc["name"]
			assert doc["name"] in hooks.has_permission, doc["name"]


def test_hooks():
	assert hooks.required_apps == ["frappe/erpnext"]
	for fixture in getattr(hooks, "fixtures", []):
		assert isinstance(fixture, dict) and fixture.get("filters"), "fixtures must be filtered"
	for name in ("after_install", "after_migrate", "before_install"):
		module, func = getattr(hooks, name).rsplit(".", 1)
		source = (ROOT / (module.replace(".", "/") + ".py")).read_text()
		assert f"def {func}(" in source


def test_engine_never_imports_frappe():
	for path in (APP / "engine").rglob("*.py"):
		tree = ast.parse(path.read_text())
		for node in ast.walk(tree):
			if isinstance(node, ast.Import):
				names = [a.name for a in node.names]
			elif isinstance(node, ast.ImportFrom):
				names = [node.module or ""]
			else:
				continue
			assert not any(n == "frappe" or n.startswith("frappe.") for n in names), path


def test_modules_and_patches():
	assert (APP / "modules.txt").read_text().split("\n")[0] == "PRM App"
	patches = (APP / "patches.txt").read_text()
	assert "[pre_model_sync]" in patches and "[post_model_sync]" in patches


def test_workspace_links_exist():
	ws = load(APP / "prm_app" / "workspace" / "partners" / "partners.json")
	assert ws["module"] == "PRM App" and ws["name"] == "Partners"
	assert {"Partner", "Program Tier", "PRM Settings"} <= {l.get("link_to") for l in ws["links"]}


def test_child_tables_of_partner_owned_doctypes_are_isolated():
	"""A child table can be read directly (frappe.client.get_list with parent=...): each one under
	a partner-owned doctype needs its own permission query condition."""
	by_name = {load(p)["name"]: load(p) for p in DOCTYPE_FILES}
	ours = [name for name in hooks.has_permission if name in by_name]
	assert len(ours) >= 5, ours  # Frappe's own doctypes (File) carry their own child rules
	for name in ours:
		for field in by_name[name]["fields"]:
			if field["fieldtype"] == "Table":
				assert field["options"] in hooks.permission_query_conditions, (name, field["options"])


def imports_of(path: Path) -> set[str]:
	names = set()
	for node in ast.walk(ast.parse(path.read_text())):
		if isinstance(node, ast.Import):
			names.update(a.name for a in node.names)
		elif isinstance(node, ast.ImportFrom) and node.module:
			names.add(node.module)
			names.update(f"{node.module}.{a.name}" for a in node.names)
	return names


# The one-way layering: www -> api -> portal helpers -> conflict / integrations -> engine.
# (layer, packages it must never import)
LAYERS = (
	(
		"engine",
		(
			"prm_app.api",
			"prm_app.www",
			"prm_app.portal",
			"prm_app.conflict",
			"prm_app.integrations",
			"prm_app.prm_app",
		),
	),
	("conflict", ("prm_app.api", "prm_app.www", "prm_app.portal")),
	("integrations", ("prm_app.api", "prm_app.www", "prm_app.portal")),
	("prm_app", ("prm_app.api", "prm_app.www", "prm_app.portal")),  # doctype controllers
	("insights", ("prm_app.api", "prm_app.www", "prm_app.portal")),
	("demo", ("prm_app.api", "prm_app.www", "prm_app.portal")),
	("portal", ("prm_app.api", "prm_app.www")),
	("api", ("prm_app.www",)),
)


@pytest.mark.parametrize("layer, forbidden", LAYERS, ids=[layer for layer, _ in LAYERS])
def test_layers_import_one_way(layer, forbidden):
	for path in (APP / layer).rglob("*.py"):
		if path.name.startswith("test_"):
			continue
		bad = {name for name in imports_of(path) if name.startswith(forbidden)}
		assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_api_modules_stay_small():
	"""One module per capability, each small (no second 720-line api/portal.py)."""
	for path in (APP / "api").glob("*.py"):
		assert len(path.read_text().splitlines()) <= 400, path.name


def test_portal_never_names_a_workflow_action():
	"""The portal offers what the workflow grants: no action names in its code or pages."""
	actions = [row["name"] for row in load(APP / "fixtures" / "workflow_action_master.json")]
	pages = [p for p in (APP / "www").rglob("*") if p.suffix in (".py", ".html")]
	for path in [*(APP / "api").glob("*.py"), *(APP / "portal").glob("*.py"), *pages]:
		text = path.read_text()
		for action in actions:
			assert f'"{action}"' not in text and f"'{action}'" not in text, (path.name, action)


def test_admin_records_are_not_fixtures():
	"""Workflows, notifications and assignment rules are created once and never overwritten."""
	exported = {fixture["dt"] for fixture in hooks.fixtures}
	assert not exported & {"Workflow", "Notification", "Assignment Rule"}
	for name in ("workflow", "notification", "assignment_rule"):
		assert (APP / "defaults" / f"{name}.json").exists()


MODULE = APP / "prm_app"


def test_insight_reports_are_for_the_channel_team_only():
	"""Script Reports with a script and filters each; partner roles never get a report."""
	reports = sorted((MODULE / "report").glob("*/*.json"))
	assert {load(p)["name"] for p in reports} >= {
		"Partner Scorecard",
		"Partner Pareto",
		"Channel Pipeline",
		"Deal Registration Analysis",
	}
	for path in reports:
		doc = load(path)
		assert doc["report_type"] == "Script Report" and doc["module"] == "PRM App"
		assert {r["role"] for r in doc["roles"]} <= {"System Manager", "Partner Manager"}, path.name
		assert path.with_suffix(".py").exists() and path.with_suffix(".js").exists()
		assert "require_channel_team()" in path.with_suffix(".py").read_text(), path.name


def test_workspace_cards_charts_and_reports_are_shipped():
	ws = load(MODULE / "workspace" / "partners" / "partners.json")
	cards = {load(p)["name"] for p in (MODULE / "number_card").glob("*/*.json")}
	charts = {load(p)["name"]: load(p) for p in (MODULE / "dashboard_chart").glob("*/*.json")}
	sources = {load(p)["name"] for p in (MODULE / "dashboard_chart_source").glob("*/*.json")}
	reports = {load(p)["name"] for p in (MODULE / "report").glob("*/*.json")}
	assert {c["number_card_name"] for c in ws["number_cards"]} <= cards
	assert {c["chart_name"] for c in ws["charts"]} <= set(charts)
	assert {l["link_to"] for l in ws["links"] if l.get("link_type") == "Report"} == reports
	for chart in charts.values():
		assert chart.get("report_name") in reports or chart.get("source") in sources, chart["name"]
	content = json.loads(ws["content"])
	assert {b["data"]["number_card_name"] for b in content if b["type"] == "number_card"} == cards
	assert {b["data"]["chart_name"] for b in content if b["type"] == "chart"} == set(charts)
