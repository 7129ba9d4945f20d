"""What the MDF and rebate tests share: accounts in the test company's chart, PRM Settings pointing
at them, a fiscal year covering today, and partner A with an open budget (not a test module)."""

import frappe
from frappe.utils import today

from prm_app.tests.utils import (
	PRMTestCase,
	ensure_fiscal_year,
	make_mdf_accounts,
	make_mdf_budget,
	set_mdf_settings,
)

SAVEPOINT = "prm_mdf_test"
MDF_SETTINGS = {
	"mdf_co_op_percent": 50,
	"mdf_payout_document": "Purchase Invoice",
	"mdf_partner_users_act": 0,
	"mdf_max_file_mb": 10,
	"mdf_file_types": "pdf, png, jpg, jpeg, gif, webp, docx, xlsx, pptx, csv, txt",
	"rebate_period": "Quarter",
	"rebate_settlement_document": "Purchase Invoice",
	"rebates_from": None,
	"create_supplier_on_activation": 1,
}


class MDFTestCase(PRMTestCase):
	"""PRMTestCase's two partners (A: a Partner Admin; B: a Partner User), the MDF and rebate accounts
	of the test company, and partner A's budget of 10,000 for this quarter. Rolled back at the end."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.company = frappe.db.get_single_value("Global Defaults", "default_company")
		ensure_fiscal_year(today(), cls.company)
		cls.accounts = make_mdf_accounts(cls.company)
		set_mdf_settings(cls.accounts, **MDF_SETTINGS)
		cls.budget = make_mdf_budget(cls.partner_a.name, 10000).name

	def setUp(self):
		frappe.db.savepoint(SAVEPOINT)  # each test starts from the class's set-up
		super().setUp()
		settings = frappe.get_single("PRM Settings")
		settings.update(MDF_SETTINGS)
		settings.save()

	def tearDown(self):
		super().tearDown()
		frappe.db.rollback(save_point=SAVEPOINT)
		frappe.clear_document_cache("PRM Settings")


def delete_mdf_records(partners: list[str]) -> None:
	"""Delete what committed MDF tests made for ``partners``: claims (their payouts cancelled),
	requests and their campaigns, budgets, accruals, settlements, proof files and their traces."""
	partners = [p for p in partners if p]
	if not partners:
		return
	frappe.set_user("Administrator")
	docs = []
	for doctype in ("MDF Claim", "MDF Request", "Rebate Settlement", "Rebate Accrual", "MDF Budget"):
		for row in frappe.get_all(
			doctype,
			filters={"partner": ("in", partners)},
			fields=["name", "docstatus"],
			order_by="creation desc",
		):
			if row.docstatus == 1:
				frappe.get_doc(doctype, row.name).cancel()
			docs.append((doctype, row.name))
	campaigns = frappe.get_all(
		"MDF Request", filters={"partner": ("in", partners), "campaign": ("is", "set")}, pluck="campaign"
	)
	for doctype, name in docs:
		for file in frappe.get_all(
			"File", filters={"attached_to_doctype": doctype, "attached_to_name": name}, pluck="name"
		):
			frappe.delete_doc("File", file, force=True, ignore_permissions=True)
		for table in ("Workflow Action", "Version", "Comment", "ToDo"):
			field = "docname" if table == "Version" else "reference_name"
			type_field = {
				"Workflow Action": "reference_doctype",
				"Version": "ref_doctype",
				"Comment": "reference_doctype",
				"ToDo": "reference_type",
			}[table]
			frappe.db.delete(table, {type_field: doctype, field: name})
		frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
	for campaign in set(campaigns):
		if frappe.db.exists("Campaign", campaign):
			title = frappe.db.get_value("Campaign", campaign, "campaign_name")
			frappe.delete_doc(
				"Campaign", campaign, force=True, ignore_permissions=True, delete_permanently=True
			)
			if frappe.db.exists("DocType", "UTM Campaign") and frappe.db.exists("UTM Campaign", title):
				frappe.delete_doc(
					"UTM Campaign", title, force=True, ignore_permissions=True, delete_permanently=True
				)
	frappe.db.commit()  # nosemgrep: test tear-down
