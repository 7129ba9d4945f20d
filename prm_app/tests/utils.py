"""Factories and set-up shared by the integration tests (FrappeTestCase, on a real bench)."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import random_string

# Doctypes of Frappe and ERPNext that our doctypes link to. Test modules set
# ``test_ignore = TEST_IGNORE`` so that the test runner does not walk into ERPNext's own test
# records (which need apps this site may not have); our tests make what they need themselves.
TEST_IGNORE = [
	"Country",
	"Currency",
	"Customer",
	"DocType",
	"Item",
	"Opportunity",
	"Sales Order",
	"Sales Partner",
	"Sales Partner Type",
	"Supplier",
	"Territory",
	"User",
]


_prepared = False


def before_tests():
	"""``run-tests --app prm_app`` runs only this app's hook: complete ERPNext's setup wizard
	(company, fiscal year, defaults) as frappe/hrms does, then make the app's roles and fields."""
	global _prepared
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	from prm_app.overrides import db_query

	db_query.apply()

	erpnext_before_tests()
	from prm_app.install import after_migrate

	after_migrate()
	frappe.db.commit()  # nosemgrep: test set-up, outside any request
	mute_emails()
	_prepared = True


def ensure_prepared():
	"""Frappe 16's runner calls ``before_tests`` only for the test categories it recognises:
	classes whose direct base is ``FrappeTestCase``, not ours derived from it. On a new site
	(no company, no UOMs) the first class of this app to run prepares the site itself, once."""
	if not _prepared:
		before_tests()


def mute_emails():
	"""Queue e-mails, never send them: Frappe sends notification e-mails at once in tests, and
	sending commits the transaction a test is working in (its data would then stay on the site).
	Tests read the queue (Email Queue) instead."""
	frappe.flags.mute_emails = True


def email_text(raw: str) -> str:
	"""A queued e-mail's text as a reader sees it: the MIME parts decoded (quoted-printable wraps
	long lines at about 76 characters, wherever the site's name puts the break)."""
	import email
	from email import policy

	message = email.message_from_string(raw or "", policy=policy.default)
	parts = [raw or ""] if not message.is_multipart() else []
	for part in message.walk():
		if part.get_content_maintype() == "text":
			parts.append(part.get_content())
	return "\n".join(parts)


def ensure_outbox():
	"""An outgoing account to queue e-mails from (muted e-mails without one fail to build)."""
	if not frappe.db.get_value("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "PRM Test Outbox",
				"email_id": "prm-test-outbox@example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "localhost",
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)


def unique(prefix: str) -> str:
	return f"{prefix} {random_string(8)}"


def next_free_rank() -> int:
	from frappe.query_builder.functions import Max

	tier = frappe.qb.DocType("Program Tier")
	highest = frappe.qb.from_(tier).select(Max(tier.rank)).run()[0][0] or 0
	return int(highest) + 1


def make_tier(**kw):
	values = {
		"doctype": "Program Tier",
		"tier_name": unique("Tier"),
		"rank": next_free_rank(),
	}
	values.update(kw)
	return frappe.get_doc(values).insert()


def make_user(email: str | None = None, website_user: bool = True, roles: tuple[str, ...] = ()):
	email = email or f"{random_string(10).lower()}@partner-test.example.com"
	if frappe.db.exists("User", email):
		return frappe.get_doc("User", email)
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": email.split("@")[0],
			"user_type": "Website User" if website_user else "System User",
			"send_welcome_email": 0,
			"roles": [{"role": r} for r in roles],
		}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	return user


def make_partner(users: tuple | list = (), **kw):
	"""A Partner; ``users`` is a list of user ids or (user, role) pairs."""
	values = {
		"doctype": "Partner",
		"partner_name": unique("Partner"),
		"status": "Prospect",
	}
	values.update(kw)
	doc = frappe.get_doc(values)
	for entry in users:
		user, role = (entry, "Partner User") if isinstance(entry, str) else entry
		doc.append("users", {"user": user, "role": role})
	return doc.insert()


def set_settings(**values):
	settings = frappe.get_single("PRM Settings")
	settings.update(values)
	settings.save()
	return settings


def company() -> str:
	return frappe.defaults.get_user_default("Company") or frappe.db.get_value("Company", {}, "name")


def leaf(doctype: str) -> str:
	return frappe.db.get_value(doctype, {"is_group": 0}, "name")


def make_item(**kw):
	values = {
		"doctype": "Item",
		"item_code": unique("PRM Item"),
		"item_group": leaf("Item Group"),
		"stock_uom": "Nos",
		"is_stock_item": 0,
		"is_sales_item": 1,
	}
	values.update(kw)
	return frappe.get_doc(values).insert()


def make_customer(name: str | None = None, **kw):
	values = {
		"doctype": "Customer",
		"customer_name": name or unique("Customer"),
		"customer_group": leaf("Customer Group"),
		"territory": leaf("Territory"),
	}
	values.update(kw)
	return frappe.get_doc(values).insert()


def make_active_partner(users=(), **kw):
	return make_partner(users=users, status="Active", **kw)


def make_registration(partner: str, company_name: str | None = None, items=(), **kw):
	from frappe.utils import add_days, today

	values = {
		"doctype": "Deal Registration",
		"partner": partner,
		"company_name": company_name or unique("End Customer"),
		"expected_close_date": add_days(today(), 60),
		"expected_value": 1000,
	}
	values.update(kw)
	doc = frappe.get_doc(values)
	for item_code, qty, amount in items:
		doc.append("items", {"item_code": item_code, "qty": qty, "amount": amount})
	return doc.insert()


def workflow(doc, action: str):
	from frappe.model.workflow import apply_workflow

	return apply_workflow(frappe.get_doc(doc.doctype, doc.name), action)


def make_sales_order(customer: str, item_code: str, submit: bool = True, **kw):
	from frappe.utils import add_days, today

	values = {
		"doctype": "Sales Order",
		"customer": customer,
		"company": company(),
		"transaction_date": today(),
		"delivery_date": add_days(today(), 10),
		"items": [{"item_code": item_code, "qty": 1, "rate": 1000, "delivery_date": add_days(today(), 10)}],
	}
	values.update(kw)
	doc = frappe.get_doc(values).insert()
	if submit:
		doc.submit()
	return doc


def make_quotation(customer: str, item_code: str, submit: bool = True):
	from frappe.utils import add_days, today

	doc = frappe.get_doc(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": customer,
			"company": company(),
			"transaction_date": today(),
			"valid_till": add_days(today(), 30),
			"items": [{"item_code": item_code, "qty": 1, "rate": 500}],
		}
	).insert()
	if submit:
		doc.submit()
	return doc


SETTINGS = {
	"conflict_threshold": 85,
	"lookback_days": 365,
	"scope_rule": "None",
	"erpnext_match_status": "Possible Conflict",
	"check_registrations": 1,
	"check_customers": 1,
	"check_leads": 1,
	"check_opportunities": 1,
	"check_quotations": 1,
	"check_sales_orders": 1,
	"conflict_rules_method": "",
	"create_opportunity_on_approval": 1,
	"create_customer_on_approval": 0,
	"default_protection_days": 90,
}


class PRMTestCase(FrappeTestCase):
	"""Two active partners with a website user each, an item, and known PRM Settings."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_prepared()
		mute_emails()
		ensure_outbox()  # rolled back with the class's other data
		if not frappe.db.exists("Program Tier", {"is_default": 1}):
			make_tier(tier_name="Registered Test Tier")
		cls.tier = make_tier(deal_protection_days=120, commission_rate=8)
		cls.item = make_item().name
		cls.other_item = make_item().name
		cls.user_a = make_user().name
		cls.user_b = make_user().name
		cls.partner_a = make_active_partner(users=[(cls.user_a, "Partner Admin")], program_tier=cls.tier.name)
		cls.partner_b = make_active_partner(users=[(cls.user_b, "Partner User")])

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # everything the class made (Frappe's own rollback runs as a class cleanup)
		super().tearDownClass()

	def setUp(self):
		settings = frappe.get_single("PRM Settings")
		settings.update(SETTINGS)
		settings.save()

	def tearDown(self):
		frappe.set_user("Administrator")

	def submit(self, doc, user=None):
		if user:
			frappe.set_user(user)
		try:
			workflow(doc, "Submit for Review")
		finally:
			frappe.set_user("Administrator")
		return frappe.get_doc(doc.doctype, doc.name)


# -- training, certification and the tier engine


def make_training_module(questions=None, **kw):
	"""A published module with two lessons and a quiz. ``questions``: [(question, type, points,
	[(option, correct), ...], revisit_lesson)]; by default Q1 single choice (correct: option 2)
	and Q2 multiple choice (correct: options 1 and 3), one point each."""
	questions = questions or [
		("Which colour is the sky?", "Single Choice", 1, [("Green", 0), ("Blue", 1), ("Red", 0)], 1),
		("Which are prime?", "Multiple Choice", 1, [("2", 1), ("4", 0), ("5", 1)], 2),
	]
	values = {
		"doctype": "Training Module",
		"title": unique("PRM Test Module"),
		"summary": "What a partner needs to know.",
		"published": 1,
		"passing_score": 100,
		"attempts_allowed": 3,
		"validity_months": 12,
		"lessons": [
			{"title": "The sky", "content": "<p>The sky is <b>blue</b>.</p>"},
			{
				"title": "Primes",
				"content": "<p>2, 3, 5 and 7 are prime.</p>",
				"video_url": "https://example.com/v",
			},
		],
	}
	values.update(kw)
	doc = frappe.get_doc(values)
	for number, (question, kind, points, options, revisit) in enumerate(questions, start=1):
		doc.append(
			"questions",
			{"question": question, "question_type": kind, "points": points, "revisit_lesson": revisit},
		)
		for option, correct in options:
			doc.append("options", {"question_no": number, "option": option, "is_correct": correct})
	return doc.insert()


RIGHT_ANSWERS = {1: [2], 2: [1, 3]}
WRONG_ANSWERS = {1: [1], 2: [1]}


def take_quiz(module: str, user: str, partner: str, answers=None):
	"""An attempt recorded (and graded) as the portal records it."""
	from prm_app.prm_app.doctype.training_attempt.training_attempt import record_attempt

	return record_attempt(module, user, partner, RIGHT_ANSWERS if answers is None else answers)


def make_certification(partner: str, user: str, module: str, **kw):
	from frappe.utils import today

	values = {
		"doctype": "Partner Certification",
		"partner": partner,
		"user": user,
		"module": module,
		"status": "Active",
		"score": 100,
		"certified_on": today(),
	}
	values.update(kw)
	return frappe.get_doc(values).insert(ignore_permissions=True)


# -- insights: invoices, opportunities, dated registrations, engagement


def make_invoice(partner, item_code, amount, posting_date=None, customer=None, qty=1, submit=True, **kw):
	"""A submitted Sales Invoice of ``amount`` (net, company currency) tagged with ``partner``."""
	from frappe.utils import today

	posting_date = posting_date or today()
	ensure_fiscal_year(posting_date)
	values = {
		"doctype": "Sales Invoice",
		"customer": customer or make_customer().name,
		"company": company(),
		"posting_date": posting_date,
		"set_posting_time": 1,
		"due_date": posting_date,
		"prm_partner": partner,
		"items": [{"item_code": item_code, "qty": qty, "rate": amount / qty}],
	}
	values.update(kw)
	doc = frappe.get_doc(values).insert()
	if submit:
		doc.submit()
	return doc


def make_opportunity(partner, amount, customer=None, registration=None, **kw):
	from frappe.utils import add_days, today

	values = {
		"doctype": "Opportunity",
		"opportunity_from": "Customer",
		"party_name": customer or make_customer().name,
		"company": company(),
		"currency": frappe.get_cached_value("Company", company(), "default_currency"),
		"conversion_rate": 1,
		"opportunity_amount": amount,
		"expected_closing": add_days(today(), 30),
		"prm_partner": partner,
		"prm_deal_registration": registration,
		"status": "Open",
	}
	values.update(kw)
	return frappe.get_doc(values).insert(ignore_permissions=True)


def dated_registration(partner, status, registered_on=None, decided_on=None, **values):
	"""A registration put straight into ``status`` with the given dates (no workflow, no checks):
	the reports read these fields as they are."""
	doc = make_registration(partner)
	values.update(status=status, registered_on=registered_on, decided_on=decided_on)
	frappe.db.set_value("Deal Registration", doc.name, values, update_modified=False)
	return frappe.get_doc("Deal Registration", doc.name)


def run_report(name, **filters):
	"""``frappe.desk.query_report.run`` as the desk calls it; rows keyed by their first column's
	field when it is ``partner`` or ``group``."""
	from frappe.desk.query_report import run

	return run(name, filters=filters, ignore_prepared_report=True)


def make_sales_invoice(partner: str, customer: str, item_code: str, rate: float, **kw):
	"""A submitted Sales Invoice tagged with ``partner`` (``is_return=1`` with a negative qty for a
	credit note)."""
	from frappe.utils import today

	qty = kw.pop("qty", 1)
	values = {
		"doctype": "Sales Invoice",
		"customer": customer,
		"company": company(),
		"posting_date": today(),
		"set_posting_time": 1,
		"prm_partner": partner,
		"items": [{"item_code": item_code, "qty": qty, "rate": rate}],
	}
	values.update(kw)
	doc = frappe.get_doc(values).insert()
	doc.submit()
	return doc


# -- growth: the agreement, applications, leads, plans, assets


def make_agreement(status: str = "Published", **kw):
	"""A Partner Agreement version (published by default: partner users must then accept it)."""
	values = {
		"doctype": "Partner Agreement",
		"title": "Partner Programme Agreement",
		"version": unique("V").replace(" ", "-"),
		"terms": "<p>The partner keeps its promises.</p>",
		"status": status,
	}
	values.update(kw)
	return frappe.get_doc(values).insert()


def accept_agreement(user: str, agreement: str, partner: str | None = None):
	from prm_app.agreements import record_acceptance

	return record_acceptance(agreement, user=user, partner=partner)


def make_application(**kw):
	"""A Partner Application as the public form makes it (no agreement)."""
	values = {
		"doctype": "Partner Application",
		"company_name": unique("Applicant"),
		"country": frappe.db.get_value("Country", {}, "name"),
		"contact_name": "Alex Applicant",
		"contact_email": f"{random_string(10).lower()}@applicant-test.example.com",
	}
	values.update(kw)
	doc = frappe.get_doc(values)
	doc.flags.ignore_permissions = True
	return doc.insert()


def make_lead(**kw):
	values = {
		"doctype": "Lead",
		"lead_name": unique("Lead Person"),
		"company_name": unique("Lead Company"),
		"email_id": f"{random_string(10).lower()}@lead-test.example.com",
	}
	values.update(kw)
	return frappe.get_doc(values).insert(ignore_permissions=True)


def make_lead_offer(partner: str, lead: str | None = None, hours: int = 48, **kw):
	from prm_app.integrations.lead_distribution import make_offer

	return make_offer(lead or make_lead().name, partner, hours, **kw)


def make_rule(**kw):
	values = {
		"doctype": "Lead Distribution Rule",
		"rule_name": unique("Rule"),
		"method": "Round Robin",
		"accept_within_hours": 24,
		"capacity": 0,
		"max_offers": 3,
	}
	partners = kw.pop("partners", ())
	values.update(kw)
	doc = frappe.get_doc(values)
	for entry in partners:
		partner, capacity = (entry, 0) if isinstance(entry, str) else entry
		doc.append("partners", {"partner": partner, "capacity": capacity})
	return doc.insert()


def current_fiscal_year() -> str:
	from frappe.utils import today

	return frappe.db.get_value(
		"Fiscal Year", {"year_start_date": ("<=", today()), "year_end_date": (">=", today())}, "name"
	)


def make_plan(partner: str, fiscal_year: str | None = None, **kw):
	values = {
		"doctype": "Partner Business Plan",
		"partner": partner,
		"fiscal_year": fiscal_year or current_fiscal_year(),
	}
	values.update(kw)
	return frappe.get_doc(values).insert()


def make_asset(lowest_tier: str | None = None, partner_types=(), **kw):
	"""A published Partner Asset (a link unless a file is attached afterwards)."""
	values = {
		"doctype": "Partner Asset",
		"title": unique("Asset"),
		"category": "Sales",
		"link": "https://assets.example.com/" + random_string(6),
		"lowest_tier": lowest_tier,
	}
	values.update(kw)
	doc = frappe.get_doc(values)
	for partner_type in partner_types:
		doc.append("partner_types", {"partner_type": partner_type})
	return doc.insert()


def attach_asset_file(asset: str, content: str = "asset content", private: int = 1):
	"""Attach a file to an asset and make it the asset's file (as the desk's Attach field does)."""
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"asset-{random_string(8)}.txt",
			"attached_to_doctype": "Partner Asset",
			"attached_to_name": asset,
			"attached_to_field": "file",
			"is_private": private,
			"content": content,
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("Partner Asset", asset, {"file": file.file_url, "link": None})
	return file


def ensure_partner_type(name: str) -> str:
	if not frappe.db.exists("Sales Partner Type", name):
		frappe.get_doc({"doctype": "Sales Partner Type", "sales_partner_type": name}).insert(
			ignore_permissions=True
		)
	return name


def make_plan_invoice(
	customer: str, item_code: str, partner: str, rate: float = 1000, posting_date=None, submit=True
):
	from frappe.utils import today

	values = {
		"doctype": "Sales Invoice",
		"customer": customer,
		"company": company(),
		"posting_date": posting_date or today(),
		"set_posting_time": 1,
		"due_date": posting_date or today(),
		"prm_partner": partner,
		"items": [{"item_code": item_code, "qty": 1, "rate": rate}],
	}
	doc = frappe.get_doc(values).insert(ignore_permissions=True)
	if submit:
		doc.submit()
	return doc


# what the growth doctypes link to besides: the test runner must not walk into their test records
# (ERPNext's would make users and send their welcome mail)
GROWTH_TEST_IGNORE = [
	*TEST_IGNORE,
	"Lead",
	"Fiscal Year",
	"Item Group",
	"Language",
	"Workflow State",
	"Deal Registration",
	"Partner",
	"Program Tier",
]


MDF_TEST_IGNORE = [
	*TEST_IGNORE,
	"Account",
	"Campaign",
	"Company",
	"Cost Center",
	"Item Group",
	"Journal Entry",
	"Lead",
	"Program Tier",
	"Purchase Invoice",
	"Sales Invoice",
	"Sales Partner Type",
	"UTM Campaign",
	"Workflow State",
]
MDF_ACCOUNTS = {
	"mdf_expense_account": ("PRM MDF Expense", "Indirect Expenses", "Expense", "Profit and Loss"),
	"rebate_expense_account": ("PRM Rebate Expense", "Indirect Expenses", "Expense", "Profit and Loss"),
	"rebate_liability_account": ("PRM Accrued Rebates", "Current Liabilities", "Liability", "Balance Sheet"),
}


def ensure_fiscal_year(day, company_name: str | None = None) -> str:
	"""A fiscal year covering ``day`` for the company (calendar years, as the test site's)."""
	from frappe.utils import getdate

	day = getdate(day)
	company_name = company_name or company()
	found = frappe.db.get_value(
		"Fiscal Year",
		{"year_start_date": ("<=", day), "year_end_date": (">=", day), "disabled": 0},
		"name",
	)
	if found:
		return found
	# ERPNext caches fiscal years: one a rolled-back test made may still be in the cache
	frappe.cache().delete_value("fiscal_years")
	doc = frappe.get_doc(
		{
			"doctype": "Fiscal Year",
			"year": f"PRM {day.year}",
			"year_start_date": day.replace(month=1, day=1),
			"year_end_date": day.replace(month=12, day=31),
			"companies": [{"company": company_name}],
		}
	).insert(ignore_permissions=True)
	frappe.cache().delete_value("fiscal_years")
	return doc.name


def group_account(company_name: str, account_name: str) -> str:
	return frappe.db.get_value(
		"Account", {"company": company_name, "account_name": account_name, "is_group": 1}, "name"
	)


def make_mdf_accounts(company_name: str | None = None) -> frappe._dict:
	"""The MDF and rebate accounts of a company (made under its chart when missing)."""
	company_name = company_name or company()
	accounts = frappe._dict(company=company_name)
	for field, (name, parent, root_type, report_type) in MDF_ACCOUNTS.items():
		existing = frappe.db.get_value("Account", {"company": company_name, "account_name": name}, "name")
		if not existing:
			existing = (
				frappe.get_doc(
					{
						"doctype": "Account",
						"account_name": name,
						"parent_account": group_account(company_name, parent),
						"company": company_name,
						"root_type": root_type,
						"report_type": report_type,
					}
				)
				.insert(ignore_permissions=True)
				.name
			)
		accounts[field] = existing
	accounts.cost_center = frappe.get_cached_value("Company", company_name, "cost_center")
	return accounts


def set_mdf_settings(accounts: frappe._dict, **values):
	"""PRM Settings with these accounts for their company (other companies' rows are kept)."""
	settings = frappe.get_single("PRM Settings")
	settings.set("company_accounts", [r for r in settings.company_accounts if r.company != accounts.company])
	settings.append(
		"company_accounts",
		{
			"company": accounts.company,
			"cost_center": accounts.cost_center,
			"mdf_expense_account": accounts.mdf_expense_account,
			"rebate_expense_account": accounts.rebate_expense_account,
			"rebate_liability_account": accounts.rebate_liability_account,
		},
	)
	settings.update(values)
	settings.save()
	return settings


def make_mdf_budget(partner: str, allocated=10000, company_name: str | None = None, period_start=None, **kw):
	"""An open budget of ``allocated`` for the partner's current quarter (or ``period_start``'s)."""
	from frappe.utils import today

	doc = frappe.new_doc("MDF Budget")
	doc.update(
		{
			"partner": partner,
			"company": company_name or company(),
			"period_type": "Quarter",
			"period_start": period_start or today(),
			"allocated_amount": allocated,
			"computed_amount": allocated,
		}
	)
	doc.update(kw)
	doc.flags.allocated = True
	return doc.insert(ignore_permissions=True)


def make_mdf_request(partner: str, budget: str, requested=1000, planned_cost=4000, **kw):
	from frappe.utils import add_days, today

	values = {
		"doctype": "MDF Request",
		"partner": partner,
		"budget": budget,
		"activity_type": "Webinar",
		"title": unique("Webinar"),
		"start_date": add_days(today(), 10),
		"end_date": add_days(today(), 11),
		"planned_cost": planned_cost,
		"requested_amount": requested,
		"expected_leads": 20,
	}
	values.update(kw)
	return frappe.get_doc(values).insert()


def approve_mdf_request(name: str, approved=None):
	"""Submitted and approved, as the channel team does (the shipped workflow's actions)."""
	doc = frappe.get_doc("MDF Request", name)
	if doc.status == "Draft":
		doc = workflow(doc, "Submit for Review")
	if approved is not None:
		doc = frappe.get_doc("MDF Request", name)
		doc.approved_amount = approved
		doc.save()
	return workflow(frappe.get_doc("MDF Request", name), "Approve")


# a valid one-page PDF (Frappe 16 reads uploaded PDFs)
PDF_PROOF = b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n/Count 1\n/Kids [ 4 0 R ]\n>>\nendobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n4 0 obj\n<<\n/Type /Page\n/Resources <<\n>>\n/MediaBox [ 0.0 0.0 72 72 ]\n/Parent 2 0 R\n>>\nendobj\nxref\n0 5\n0000000000 65535 f \n0000000015 00000 n \n0000000054 00000 n \n0000000113 00000 n \n0000000162 00000 n \ntrailer\n<<\n/Size 5\n/Root 3 0 R\n/Info 1 0 R\n>>\nstartxref\n254\n%%EOF\n"


def attach_proof(doctype: str, name: str, file_name: str = "invoice.pdf", content: bytes = PDF_PROOF):
	return frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"attached_to_doctype": doctype,
			"attached_to_name": name,
			"is_private": 1,
			"content": content,
		}
	).insert(ignore_permissions=True)


def make_mdf_claim(request: str, claimed=500, actual_cost=2000, leads=(), proof=True, **kw):
	values = {
		"doctype": "MDF Claim",
		"mdf_request": request,
		"actual_cost": actual_cost,
		"claimed_amount": claimed,
		"description": "The webinar took place.",
	}
	values.update(kw)
	doc = frappe.get_doc(values)
	for lead in leads:
		doc.append("leads", lead)
	doc.insert()
	if proof:
		attach_proof("MDF Claim", doc.name)
	return doc


def make_partner_sales_invoice(partner: str, item_code: str, amount, posting_date=None, qty=1, **kw):
	"""A submitted Sales Invoice of the partner (a credit note with ``is_return`` and a negative
	``qty``)."""
	from frappe.utils import today

	customer = kw.pop("customer", None) or make_customer().name
	values = {
		"doctype": "Sales Invoice",
		"company": company(),
		"customer": customer,
		"posting_date": posting_date or today(),
		"set_posting_time": 1,
		"due_date": posting_date or today(),
		"prm_partner": partner,
		"disable_rounded_total": 1,
		"items": [{"item_code": item_code, "qty": qty, "rate": abs(float(amount) / qty)}],
	}
	values.update(kw)
	doc = frappe.get_doc(values)
	doc.insert(ignore_permissions=True)
	doc.submit()
	return doc


def gl_sums(voucher_no: str, account: str | None = None) -> frappe._dict:
	"""Debit and credit of a voucher's active GL entries (optionally on one account)."""
	from frappe.query_builder.functions import Sum

	gle = frappe.qb.DocType("GL Entry")
	query = (
		frappe.qb.from_(gle)
		.select(Sum(gle.debit).as_("debit"), Sum(gle.credit).as_("credit"))
		.where((gle.voucher_no == voucher_no) & (gle.is_cancelled == 0))
	)
	if account:
		query = query.where(gle.account == account)
	row = query.run(as_dict=True)[0]
	return frappe._dict(debit=float(row.debit or 0), credit=float(row.credit or 0))
