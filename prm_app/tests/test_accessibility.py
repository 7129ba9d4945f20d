"""Every portal page, checked with axe-core (WCAG 2 A and AA) in a real browser, at desktop and
phone sizes, beside Frappe's own /login page in the same run.

A page fails on any critical finding, on more serious findings than /login has (part of those are
the website theme's), or when it scrolls sideways at 390 px. The browser is the system's Chromium
(``PRM_CHROMIUM``, else ``chromium`` on the PATH) driven by Node.js; axe-core and playwright-core
are installed on first use from the npm registry into a cache directory (test tooling only, pinned
in ``prm_app/tests/a11y/package.json``). Where there is no browser or no Node.js, the test says so and
is skipped; CI's machine has both.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import frappe
from frappe.utils import today

from prm_app import hooks
from prm_app.tests.mdf_setup import delete_mdf_records
from prm_app.tests.test_portal import PASSWORD, PortalTestCase
from prm_app.tests.utils import (
	ensure_fiscal_year,
	make_lead,
	make_lead_offer,
	make_mdf_budget,
	make_mdf_request,
	make_registration,
	make_training_module,
	workflow,
)

A11Y = Path(__file__).resolve().parent / "a11y"
PARTNER_ROLES = ("Partner", "Partner Admin")


def chromium() -> str | None:
	return os.environ.get("PRM_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def tooling() -> Path:
	"""axe-core and playwright-core, installed once per package.json into a cache directory."""
	manifest = (A11Y / "package.json").read_bytes()
	cache = Path(os.environ.get("PRM_A11Y_CACHE") or Path.home() / ".cache" / "prm_app")
	target = cache / f"a11y-{hashlib.sha256(manifest).hexdigest()[:12]}"
	if not (target / "node_modules" / "axe-core").exists():
		target.mkdir(parents=True, exist_ok=True)
		(target / "package.json").write_bytes(manifest)
		subprocess.run(
			["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
			cwd=target,
			check=True,
			capture_output=True,
			timeout=600,
		)
	shutil.copy(A11Y / "axe_check.js", target / "axe_check.js")
	return target


def portal_pages(registration: str, draft: str, details=()) -> list[str]:
	"""The portal's menu pages, and the pages behind them for one registration of each kind and
	one record of each capability (``details``)."""
	pages = [item["route"] for item in hooks.standard_portal_menu_items if item.get("role") in PARTNER_ROLES]
	return [
		*dict.fromkeys(pages),
		"/partner/deals/new",
		f"/partner/deals/{registration}",
		f"/partner/deals/{draft}/edit",
		"/partner/deals?status=Bogus",  # a form error shown beside its field
		*details,
	]


class TestAccessibility(PortalTestCase):
	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		delete_mdf_records([cls.partner_a, cls.partner_b])
		super().tearDownClass()  # the partners and their records (lead offers among them)
		for doctype, name in getattr(cls, "capability_records", []):
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.commit()  # nosemgrep: test tear-down

	def capability_pages(self) -> list[str]:
		"""A training module, an offered lead, an MDF request and the forms behind them."""
		module = make_training_module()
		lead = make_lead()
		offer = make_lead_offer(self.partner_a, lead.name)
		type(self).capability_records = [("Training Module", module.name), ("Lead", lead.name)]
		ensure_fiscal_year(today())
		budget = make_mdf_budget(self.partner_a, 10000)
		request = make_mdf_request(self.partner_a, budget.name)
		return [
			f"/partner/training/{module.name}",
			f"/partner/leads/{offer.name}",
			"/partner/mdf/requests/new",
			f"/partner/mdf/requests/{request.name}",
			f"/partner/mdf/requests/{request.name}/edit",
		]

	def test_every_portal_page_passes_axe_at_desktop_and_phone_sizes(self):
		browser = chromium()
		if not browser or not shutil.which("node") or not shutil.which("npm"):
			self.skipTest("no Chromium or Node.js on this machine: the accessibility check needs a browser")
		registration = make_registration(self.partner_a, company_name="Accessible Industries")
		workflow(registration, "Submit for Review")
		draft = make_registration(self.partner_a, company_name="Draft Accessible Co")
		pages = portal_pages(registration.name, draft.name, self.capability_pages())
		frappe.db.commit()  # nosemgrep: the HTTP server thread reads committed data only
		config = {
			# the site's own name as the host (Frappe picks the site by it); Chromium maps it to loopback
			"base": f"http://{self.server.site}:{self.server.server.server_port}",
			"chromium": browser,
			"user": self.admin_a,
			"password": PASSWORD,
			"pages": pages,
			"guest_pages": ["/login"],
		}
		tools = tooling()
		with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
			json.dump(config, handle)
		try:
			done = subprocess.run(
				["node", str(tools / "axe_check.js"), handle.name],
				cwd=tools,
				capture_output=True,
				text=True,
				timeout=900,
				env={**os.environ, "NODE_PATH": str(tools / "node_modules")},
			)
		finally:
			os.unlink(handle.name)
		self.assertEqual(done.returncode, 0, done.stderr[-3000:])
		report = json.loads(done.stdout)
		if os.environ.get("PRM_A11Y_REPORT"):  # figures for docs/accessibility.md
			Path(os.environ["PRM_A11Y_REPORT"]).write_text(json.dumps(report, indent=1))
		problems = []
		for size in ("desktop", "phone"):
			baseline = serious(report[f"{size} /login"])
			for page in pages:
				found = report[f"{size} {page}"]
				if found["status"] >= 400 and "status=Bogus" not in page:
					problems.append(f"{size} {page}: HTTP {found['status']}")
				critical = [v for v in found["violations"] if v["impact"] == "critical"]
				if critical:
					problems.append(f"{size} {page}: critical {critical}")
				if serious(found) > baseline:
					problems.append(
						f"{size} {page}: {serious(found)} serious findings, /login has {baseline}: "
						f"{[v for v in found['violations'] if v['impact'] == 'serious']}"
					)
				if size == "phone" and found["overflow"] > 2:
					problems.append(f"phone {page}: scrolls sideways by {found['overflow']} px")
		self.assertEqual(problems, [], "\n".join(problems))


def serious(found: dict) -> int:
	"""Elements with serious findings on a page."""
	return sum(v["nodes"] for v in found["violations"] if v["impact"] == "serious")
