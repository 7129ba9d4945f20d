"""A portal that stays fast: the partner's figures are cached and every change shows on the next
request, the list's queries do not grow with its rows, the indexes exist, and the portal benchmark
(``prm-benchmark-portal``) runs, answers every page and removes exactly what it made.

Timing is never asserted here: the benchmark command prints the figures."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from prm_app.api import dashboard, deals, mdf
from prm_app.portal import metrics
from prm_app.tests.mdf_setup import MDFTestCase
from prm_app.tests.portal_http import fresh_snapshot
from prm_app.tests.test_portal import PortalTestCase
from prm_app.tests.utils import (
	PRMTestCase,
	approve_mdf_request,
	company,
	ensure_fiscal_year,
	make_certification,
	make_customer,
	make_item,
	make_lead,
	make_lead_offer,
	make_mdf_budget,
	make_mdf_claim,
	make_mdf_request,
	make_registration,
	make_tier,
	make_training_module,
	workflow,
)

test_ignore = ["User", "Item", "Country", "Currency", "Territory", "Customer", "Sales Partner"]


class FakeCertification(frappe._dict):
	"""Stands for a document of a capability that is not installed here ("Partner Certification"):
	what ``doc_events["*"]`` hands the metrics hook."""

	def get_doc_before_save(self):
		return None


def figure(payload: dict, status: str) -> int:
	return payload["open_by_status"][status]


# the dashboard's one section read from elsewhere than the partner's cached figures: its score, a
# row of the programme's shared scorecard
ACTIVITY = ("score",)


def cached_part(payload: dict) -> dict:
	return {key: value for key, value in payload.items() if key not in ACTIVITY}


def revenue(payload: dict) -> float:
	currency = payload["currency"]
	return next((row["amount"] for row in payload["revenue"] if row["currency"] == currency), 0.0)


class TestFiguresOverHTTP(PortalTestCase):
	"""A change shows on the dashboard, and in the list's counts, on the very next request."""

	def dashboard(self, browser) -> dict:
		response = browser.call("prm_app.api.dashboard.get_dashboard", "GET")
		self.assertEqual(response.status_code, 200, response.text[:300])
		return response.json()["message"]

	def test_registration_status_changes_show_on_the_next_request(self):
		browser = self.browser(self.admin_a)
		before = self.dashboard(browser)
		self.assertEqual(before, self.dashboard(browser))  # kept: the same answer twice

		doc = make_registration(self.partner_a)
		frappe.db.commit()  # nosemgrep: the HTTP server reads committed data only
		registered = self.dashboard(browser)
		self.assertEqual(figure(registered, "Draft"), figure(before, "Draft") + 1)
		page = browser.get("/partner").text
		self.assertRegex(
			page,
			rf'data-status="Draft">\s*<h3>Draft</h3>\s*<div class="prm-figure">{figure(registered, "Draft")}<',
		)

		self.committed(doc.name, "Submit for Review")  # the partner's own action, by the channel team here
		submitted = self.dashboard(browser)
		self.assertEqual(figure(submitted, "Draft"), figure(before, "Draft"))
		self.assertEqual(figure(submitted, "Pending Review"), figure(before, "Pending Review") + 1)

		self.committed(doc.name, "Approve")
		approved = self.dashboard(browser)
		self.assertEqual(figure(approved, "Pending Review"), figure(before, "Pending Review"))
		self.assertEqual(figure(approved, "Approved"), figure(before, "Approved") + 1)
		# the other partner's figures never move with partner A's registrations
		other = self.browser(self.admin_b)
		self.assertEqual(figure(self.dashboard(other), "Approved"), 0)

	def test_the_lists_counts_follow_new_and_changed_registrations(self):
		browser = self.browser(self.user_a)

		def total(query=None):
			response = browser.call("prm_app.api.deals.get_registrations", "GET", **(query or {}))
			return response.json()["message"]["total"]

		all_before, drafts_before = total(), total({"status": "Draft"})
		withdrawn_before = total({"status": "Withdrawn"})
		doc = make_registration(self.partner_a)
		frappe.db.commit()  # nosemgrep
		self.assertEqual(total(), all_before + 1)
		self.assertEqual(total({"status": "Draft"}), drafts_before + 1)
		listing = browser.get("/partner/deals").text
		self.assertIn(f"Registrations: {all_before + 1}", listing)
		self.assertIn(f'data-name="{doc.name}"', listing)

		workflow(frappe.get_doc("Deal Registration", doc.name), "Withdraw")
		frappe.db.commit()  # nosemgrep
		self.assertEqual(total({"status": "Draft"}), drafts_before)
		self.assertEqual(total({"status": "Withdrawn"}), withdrawn_before + 1)
		self.assertEqual(total(), all_before + 1)
		self.assertIn(f'data-name="{doc.name}"', browser.get("/partner/deals?status=Withdrawn").text)
		self.assertNotIn(f'data-name="{doc.name}"', browser.get("/partner/deals?status=Draft").text)

	def test_invoices_show_on_the_next_request_and_leave_with_their_cancellation(self):
		browser = self.browser(self.admin_a)
		before = revenue(self.dashboard(browser))
		series = dict(frappe.db.sql("SELECT name, current FROM tabSeries"))  # nosemgrep: restored below
		customer = make_customer()
		invoice = frappe.get_doc(
			{
				"doctype": "Sales Invoice",
				"customer": customer.name,
				"company": company(),
				"posting_date": today(),
				"due_date": add_days(today(), 30),
				"prm_partner": self.partner_a,
				"items": [{"item_code": self.item, "qty": 2, "rate": 750}],
			}
		).insert()
		try:
			invoice.submit()
			frappe.db.commit()  # nosemgrep
			self.assertEqual(revenue(self.dashboard(browser)), before + invoice.base_net_total)
			self.assertIn("1,500", browser.get("/partner").text)

			invoice.reload()
			invoice.cancel()
			frappe.db.commit()  # nosemgrep
			self.assertEqual(revenue(self.dashboard(browser)), before)
		finally:
			self.delete_invoice(invoice.name, customer.name, series)

	def delete_invoice(self, name: str, customer: str, series: dict):
		"""Delete the cancelled invoice with its ledger entries, its customer, and what Frappe kept of
		them; put the naming series back."""
		frappe.set_user("Administrator")
		setting = frappe.db.get_single_value("Accounts Settings", "delete_linked_ledger_entries")
		frappe.db.set_single_value("Accounts Settings", "delete_linked_ledger_entries", 1)
		try:
			if frappe.db.get_value("Sales Invoice", name, "docstatus") == 1:
				frappe.get_doc("Sales Invoice", name).cancel()
			frappe.delete_doc(
				"Sales Invoice", name, force=True, ignore_permissions=True, delete_permanently=True
			)
			frappe.delete_doc(
				"Customer", customer, force=True, ignore_permissions=True, delete_permanently=True
			)
		finally:
			frappe.db.set_single_value("Accounts Settings", "delete_linked_ledger_entries", setting)
		for doctype, field in (("Version", "docname"), ("Comment", "reference_name")):
			frappe.db.delete(doctype, {field: ("in", (name, customer))})
		for prefix, current in frappe.db.sql("SELECT name, current FROM tabSeries"):  # nosemgrep
			if prefix not in series:
				frappe.db.sql("DELETE FROM tabSeries WHERE name = %s", prefix)  # nosemgrep
			elif series[prefix] != current:
				frappe.db.sql(
					"UPDATE tabSeries SET current = %s WHERE name = %s", (series[prefix], prefix)
				)  # nosemgrep
		frappe.db.commit()  # nosemgrep: test tear-down

	def test_a_certification_earned_or_expired_shows_on_the_next_request(self):
		"""Training: a certification earned counts at once; one the daily job expires (set-based,
		around the documents' events) stops counting on the next request."""
		from prm_app.tasks import expire_certifications

		browser = self.browser(self.admin_a)
		before = self.dashboard(browser)
		self.assertEqual(before, self.dashboard(browser))  # kept
		module = make_training_module()
		certification = make_certification(self.partner_a, self.user_a, module.name)
		frappe.db.commit()  # nosemgrep: the HTTP server reads committed data only
		try:
			earned = self.dashboard(browser)
			self.assertEqual(earned["metrics"]["certified_people"], before["metrics"]["certified_people"] + 1)
			criteria = {c["criterion"]: c for c in earned["criteria"]}
			self.assertEqual(criteria["min_certified_people"]["actual"], 1)

			frappe.db.set_value(
				"Partner Certification",
				certification.name,
				"expires_on",
				add_days(today(), -1),
				update_modified=False,
			)
			frappe.db.commit()  # nosemgrep
			self.assertEqual(cached_part(self.dashboard(browser)), cached_part(earned))  # not told yet
			expire_certifications()
			self.assertEqual(
				frappe.db.get_value("Partner Certification", certification.name, "status"), "Expired"
			)
			expired = self.dashboard(browser)
			self.assertEqual(expired["metrics"]["certified_people"], before["metrics"]["certified_people"])
		finally:
			frappe.delete_doc(
				"Partner Certification",
				certification.name,
				force=True,
				ignore_permissions=True,
				delete_permanently=True,
			)
			frappe.delete_doc(
				"Training Module", module.name, force=True, ignore_permissions=True, delete_permanently=True
			)
			frappe.db.commit()  # nosemgrep: test clean-up

	def test_lead_offers_made_accepted_and_declined_show_on_the_next_request(self):
		"""Leads: an offer made, accepted or declined moves the dashboard's lead figures at once."""
		browser = self.browser(self.admin_a)
		before = self.dashboard(browser)["leads"]
		leads = [make_lead().name, make_lead().name]
		offers = [make_lead_offer(self.partner_a, lead).name for lead in leads]
		frappe.db.commit()  # nosemgrep
		try:
			offered = self.dashboard(browser)["leads"]
			self.assertEqual(offered["waiting"], before["waiting"] + 2)
			self.assertIsNotNone(offered["next_deadline"])

			answer = browser.call("prm_app.api.leads.accept_lead", name=offers[0])
			self.assertEqual(answer.status_code, 200, answer.text[:300])
			accepted = self.dashboard(browser)["leads"]
			self.assertEqual(accepted["waiting"], before["waiting"] + 1)
			self.assertEqual(accepted["working"], before["working"] + 1)

			answer = browser.call("prm_app.api.leads.decline_lead", name=offers[1], reason="Not our region")
			self.assertEqual(answer.status_code, 200, answer.text[:300])
			declined = self.dashboard(browser)["leads"]
			self.assertEqual(declined["waiting"], before["waiting"])
			self.assertEqual(declined["working"], before["working"] + 1)
			# the other partner's figures never move with partner A's offers
			self.assertEqual(self.dashboard(self.browser(self.admin_b))["leads"]["working"], 0)
		finally:
			frappe.set_user("Administrator")
			for offer in frappe.get_all("Lead Offer", filters={"lead": ("in", leads)}, pluck="name"):
				frappe.delete_doc(
					"Lead Offer", offer, force=True, ignore_permissions=True, delete_permanently=True
				)
			frappe.db.delete("Lead Assignment Log", {"lead": ("in", leads)})
			for doctype in ("Comment", "Version", "ToDo"):
				field = "reference_name" if doctype != "Version" else "docname"
				frappe.db.delete(doctype, {field: ("in", [*leads, *offers])})
			for lead in leads:
				frappe.delete_doc("Lead", lead, force=True, ignore_permissions=True, delete_permanently=True)
			frappe.db.commit()  # nosemgrep: test clean-up

	def test_a_certification_or_any_registered_source_makes_the_next_request_compute_again(self):
		"""Another capability's doctype (training's "Partner Certification") is listed in
		``metrics.SOURCES``; its document events, or ``metrics.invalidate``, are what recompute the
		figures. Here a registration is changed around every event and without touching its modified
		stamp, so that only the certification's event can make the change show."""
		self.assertEqual(metrics.SOURCES.get("Partner Certification"), "partner")
		browser = self.browser(self.admin_a)
		doc = make_registration(self.partner_a)
		frappe.db.commit()  # nosemgrep
		before = self.dashboard(browser)
		frappe.db.set_value("Deal Registration", doc.name, "status", "Approved", update_modified=False)
		frappe.db.commit()  # nosemgrep
		self.assertEqual(cached_part(self.dashboard(browser)), cached_part(before))  # nothing told it

		metrics.on_document_change(
			FakeCertification(doctype="Partner Certification", partner=self.partner_a), "on_change"
		)
		frappe.db.commit()  # nosemgrep: runs the after-commit invalidation too
		changed = self.dashboard(browser)
		self.assertEqual(figure(changed, "Approved"), figure(before, "Approved") + 1)
		self.assertEqual(figure(changed, "Draft"), figure(before, "Draft") - 1)

		frappe.db.set_value("Deal Registration", doc.name, "status", "Draft", update_modified=False)
		frappe.db.commit()  # nosemgrep
		metrics.invalidate(self.partner_a)  # what any other writer calls
		frappe.db.commit()  # nosemgrep
		self.assertEqual(cached_part(self.dashboard(browser)), cached_part(before))

	def test_writes_around_the_events_still_show(self):
		"""``frappe.db.set_value`` (a patch, a script) moves the record's modified stamp, which the
		cached figures are checked against."""
		browser = self.browser(self.admin_a)
		doc = make_registration(self.partner_a)
		frappe.db.commit()  # nosemgrep
		before = self.dashboard(browser)
		frappe.db.set_value("Deal Registration", doc.name, "status", "Approved")
		frappe.db.commit()  # nosemgrep
		self.assertEqual(figure(self.dashboard(browser), "Approved"), figure(before, "Approved") + 1)
		frappe.db.set_value("Partner", self.partner_a, "program_tier", self.next_tier.name)
		frappe.db.commit()  # nosemgrep
		try:
			self.assertEqual(self.dashboard(browser)["partner"]["tier"], self.next_tier.name)
		finally:
			frappe.db.set_value("Partner", self.partner_a, "program_tier", self.tier.name)
			frappe.db.commit()  # nosemgrep

	def test_a_tier_change_shows_for_every_partner(self):
		browser = self.browser(self.admin_a)
		self.assertEqual(self.dashboard(browser)["next_tier"], self.next_tier.name)
		tier = frappe.get_doc("Program Tier", self.next_tier.name)
		required = tier.min_won_deals
		tier.min_won_deals = required + 7
		tier.save()
		frappe.db.commit()  # nosemgrep
		try:
			criteria = {c["criterion"]: c for c in self.dashboard(browser)["criteria"]}
			self.assertEqual(criteria["min_won_deals"]["required"], required + 7)
		finally:
			tier.reload()
			tier.min_won_deals = required
			tier.save()
			frappe.db.commit()  # nosemgrep


class TestCachedFigures(PRMTestCase):
	"""The cache in one process: per partner, per day, dropped with a rolled-back write."""

	def as_partner(self, fn, user=None):
		frappe.set_user(user or self.user_a)
		try:
			return fn()
		finally:
			frappe.set_user("Administrator")

	def test_a_rolled_back_write_leaves_no_figures_behind(self):
		before = self.as_partner(dashboard.get_dashboard)
		frappe.db.savepoint("figures")  # the class's data stays; only this test's write goes
		make_registration(self.partner_a.name)
		during = self.as_partner(dashboard.get_dashboard)
		self.assertEqual(figure(during, "Draft"), figure(before, "Draft") + 1)
		frappe.db.rollback(save_point="figures")  # runs no callbacks: the figures' fingerprint moved back
		self.assertEqual(self.as_partner(dashboard.get_dashboard), before)

	def test_figures_of_another_day_are_computed_again(self):
		calls = []
		key = metrics.entry_key(self.partner_a.name, "test-section")

		def compute():
			calls.append(1)
			return len(calls)

		self.assertEqual(metrics.cached(self.partner_a.name, "test-section", compute), 1)
		self.assertEqual(metrics.cached(self.partner_a.name, "test-section", compute), 1)
		entry = frappe.cache.get_value(key, expires=True)
		entry["day"] = add_days(today(), -1)
		frappe.cache.set_value(key, entry, expires_in_sec=60)
		self.assertEqual(metrics.cached(self.partner_a.name, "test-section", compute), 2)
		self.assertEqual(metrics.cached(self.partner_b.name, "test-section", compute), 3)  # per partner
		frappe.cache.delete_value([key, metrics.entry_key(self.partner_b.name, "test-section")])

	def test_an_entry_kept_by_earlier_code_is_computed_again(self):
		"""After a deployment without a migrate, an entry of another shape (the dashboard before its
		activity sections were kept with it) is never served."""
		key = metrics.entry_key(self.partner_a.name, "dashboard")
		frappe.set_user(self.user_a)
		try:
			current = dashboard.get_dashboard()
			entry = frappe.cache.get_value(key, expires=True)
			self.assertEqual(entry["shape"], metrics.SHAPE)
			old = {k: v for k, v in entry["value"].items() if k not in ("leads", "mdf", "rebates")}
			frappe.cache.set_value(
				key, {"token": entry["token"], "day": entry["day"], "value": old}, expires_in_sec=60
			)
			self.assertEqual(dashboard.get_dashboard(), current)
		finally:
			frappe.set_user("Administrator")
			frappe.cache.delete_value(key)

	def test_each_partner_gets_its_own_figures(self):
		make_registration(self.partner_a.name)
		a = self.as_partner(dashboard.get_dashboard, self.user_a)
		b = self.as_partner(dashboard.get_dashboard, self.user_b)
		self.assertEqual(a["partner"]["name"], self.partner_a.name)
		self.assertEqual(b["partner"]["name"], self.partner_b.name)
		self.assertEqual(figure(b, "Draft"), 0)
		self.assertGreaterEqual(figure(a, "Draft"), 1)

	def test_a_search_counts_its_own_partners_matches_on_every_page(self):
		"""A search's rows and total come from one scan: the total is the partner's matches, on the
		first page, a later one, past the last, and with no match at all."""
		word = frappe.generate_hash(length=10)
		made = [make_registration(self.partner_a.name, company_name=f"{word} Alpha {i}") for i in range(5)]
		made.append(make_registration(self.partner_a.name, company_name="Unrelated Gamma"))
		made += [make_registration(self.partner_b.name, company_name=f"{word} Beta {i}") for i in range(3)]
		try:
			self.check_search(word)
		finally:  # the other tests count these partners' drafts
			for doc in made:
				frappe.delete_doc(doc.doctype, doc.name, force=True, ignore_permissions=True)

	def check_search(self, word):

		def search(user=None, **kwargs):
			return self.as_partner(lambda: deals.get_registrations(search=word, **kwargs), user)

		first, second, past = search(page_length=2), search(page_length=2, page=3), search(page=9)
		self.assertEqual((first["total"], first["pages"], len(first["rows"])), (5, 3, 2))
		self.assertEqual((second["total"], len(second["rows"])), (5, 1))
		self.assertEqual((past["total"], past["rows"]), (5, []))
		names = {row["company_name"] for row in search()["rows"]}
		self.assertEqual(names, {f"{word} Alpha {i}" for i in range(5)})
		self.assertTrue(all("total" not in row for row in first["rows"] + second["rows"]))
		self.assertEqual(search(self.user_b)["total"], 3)
		nothing = self.as_partner(lambda: deals.get_registrations(search=word + "-none"))
		self.assertEqual((nothing["total"], nothing["rows"], nothing["pages"]), (0, [], 1))

	def test_the_lists_queries_do_not_grow_with_its_rows(self):
		"""A page of 3 registrations and one of 20 cost the same queries: no per-row query."""
		for _ in range(3):
			make_registration(self.partner_a.name)

		def queries(**kwargs):
			executed = []
			original = frappe.db.sql

			def counting(query, *args, **kw):
				executed.append(str(query))
				return original(query, *args, **kw)

			frappe.db.sql = counting
			try:
				self.as_partner(lambda: deals.get_registrations(**kwargs))
			finally:
				frappe.db.sql = original
			return executed

		queries(page_length=3)  # the user's roles and the doctypes' meta, read once per process
		make_registration(self.partner_a.name)
		few = queries(page_length=3)  # the counts computed (a write came before)
		for _ in range(20):
			make_registration(self.partner_a.name)
		many = queries(page_length=20)  # computed again after the writes
		self.assertEqual(len(few), len(many), many)
		first, later = queries(page_length=20), queries(page_length=20, page=2)
		self.assertEqual(len(first), len(later), later)
		self.assertLess(len(first), len(many))
		# no count over the partner's rows without a search: the counts per status are kept
		self.assertFalse([q for q in first if "COUNT" in q.upper()], first)


class TestCachedActivity(MDFTestCase):
	"""The dashboard's MDF section is kept with the partner's other figures: a budget given, a
	request sent and decided, a claim sent, each shows on the next request, for its partner only."""

	def setUp(self):
		super().setUp()
		# each test starts from a savepoint its predecessor rolled back to, which no after-rollback
		# hook sees (a whole transaction's rollback does): start from figures computed afresh
		for partner in (self.partner_a.name, self.partner_b.name):
			metrics.invalidate(partner)

	def dashboard(self, user: str) -> dict:
		frappe.set_user(user)
		try:
			return dashboard.get_dashboard()
		finally:
			frappe.set_user("Administrator")

	def available(self, payload: dict) -> float:
		return sum(row["amount"] for row in payload["mdf"]["available"])

	def assert_current(self, payload: dict, partner: str):
		"""What the dashboard served is what the partner's records say now."""
		self.assertEqual(payload["mdf"], mdf.summary(partner))

	def test_mdf_changes_show_on_the_next_request(self):
		before = self.dashboard(self.user_a)
		other = self.dashboard(self.user_b)
		self.assertEqual(self.dashboard(self.user_a), before)  # kept: the same figures again

		next_quarter = add_days(today(), 100)
		ensure_fiscal_year(next_quarter, self.company)
		make_mdf_budget(self.partner_a.name, 2500, period_start=next_quarter)
		given = self.dashboard(self.user_a)
		self.assert_current(given, self.partner_a.name)
		self.assertEqual(self.available(given), self.available(before) + 2500)

		request = workflow(
			make_mdf_request(self.partner_a.name, self.budget, requested=1000), "Submit for Review"
		)
		sent = self.dashboard(self.user_a)
		self.assertEqual(sent["mdf"]["waiting"], before["mdf"]["waiting"] + 1)

		approve_mdf_request(request.name)
		approved = self.dashboard(self.user_a)
		self.assert_current(approved, self.partner_a.name)
		self.assertEqual(approved["mdf"]["waiting"], before["mdf"]["waiting"])
		self.assertEqual(self.available(approved), self.available(given) - 1000)

		workflow(make_mdf_claim(request.name, claimed=400, actual_cost=1000), "Submit for Review")
		claimed = self.dashboard(self.user_a)
		self.assert_current(claimed, self.partner_a.name)
		self.assertEqual(claimed["mdf"]["waiting"], before["mdf"]["waiting"] + 1)

		# partner B's figures never moved
		self.assertEqual(self.dashboard(self.user_b)["mdf"], other["mdf"])

	def test_a_budget_refreshed_outside_its_events_shows(self):
		"""A payment settles a claim's payout through ``mdf_budget.refresh`` (no event of the budget
		runs); the refresh itself invalidates the budget's partner."""
		from prm_app.integrations import mdf_budget

		before = self.dashboard(self.user_a)
		frappe.db.set_value("MDF Budget", self.budget, "allocated_amount", 12000, update_modified=False)
		self.assertEqual(self.dashboard(self.user_a), before)  # nothing told it yet
		mdf_budget.refresh([self.budget])
		after = self.dashboard(self.user_a)
		self.assert_current(after, self.partner_a.name)
		self.assertEqual(self.available(after), self.available(before) + 2000)


class TestMoney(FrappeTestCase):
	"""The portal's amounts (``pages.money``, its look-ups kept per request) read exactly as
	Frappe's ``fmt_money`` shows them, whatever the number format, precision and symbol settings."""

	VALUES = (0, None, 0.5, 1, -1, 12.345, 999.995, 1234.5, -1234567.891, 10**9 + 0.01, "42.10")

	def setUp(self):
		self.defaults = {
			key: frappe.db.get_default(key)
			for key in ("number_format", "currency_precision", "hide_currency_symbol")
		}

	def tearDown(self):
		for key, value in self.defaults.items():
			frappe.db.set_default(key, value)
		frappe.local.request = None
		frappe.local.prm_request_memo = None
		frappe.clear_cache()

	def test_the_portals_amounts_are_frappes(self):
		from frappe.utils import fmt_money

		from prm_app.portal import pages

		currencies = [c for c in ("USD", "EUR", "INR", "JPY", "KWD") if frappe.db.exists("Currency", c)]
		self.assertTrue(currencies)
		compared = 0
		for number_format in ("#,###.##", "#.###,##", "# ###.##", "#,##,###.##", "#,###.###", "#.###"):
			for precision in ("", "0", "3"):
				for hide in ("No", "Yes"):
					frappe.db.set_default("number_format", number_format)
					frappe.db.set_default("currency_precision", precision)
					frappe.db.set_default("hide_currency_symbol", hide)
					frappe.clear_cache()
					for in_request in (False, True):
						# in a request the look-ups are kept for it: a fresh request per setting
						frappe.local.request = frappe._dict(path="/partner") if in_request else None
						frappe.local.prm_request_memo = None
						for currency in currencies:
							for value in self.VALUES:
								expected = fmt_money(value or 0, currency=currency)
								self.assertEqual(
									pages.money(value, currency),
									expected,
									f"{value!r} {currency} format {number_format} precision {precision!r} hide {hide}",
								)
								compared += 1
		self.assertGreater(compared, 1000)


class TestDates(FrappeTestCase):
	"""The portal's dates (``pages.date`` and ``pages.datetime``, their format turned into a
	template once per request) read exactly as Frappe's ``format_date`` and ``format_datetime``
	show them, in every date and time format Frappe offers, in known and unknown languages."""

	DATE_FORMATS = ("yyyy-mm-dd", "dd-mm-yyyy", "dd/mm/yyyy", "dd.mm.yyyy", "mm/dd/yyyy", "mm-dd-yyyy")
	TIME_FORMATS = ("HH:mm:ss", "HH:mm")
	LANGUAGES = ("en", "en-US", "de", "fr", "ar", "fa", "hi", "th", "zh-TW", "sr-BA", "xx", "")
	DATES = ("2026-03-04", "2026-12-31", "1999-01-09", "2030-07-15")
	DATETIMES = (
		"2026-03-04 00:00:00",
		"2026-12-31 23:59:59",
		"1999-01-09 07:05:03.123456",
		"2030-07-15 12:30",
	)

	def tearDown(self):
		frappe.local.request = None
		frappe.local.prm_request_memo = None
		frappe.local.user_date_format = None
		frappe.local.user_time_format = None
		frappe.local.lang = "en"

	def test_the_portals_dates_are_frappes(self):
		from frappe.utils import format_date, format_datetime, get_datetime, getdate

		from prm_app.portal import pages

		compared = 0
		for date_format in (*self.DATE_FORMATS, "dd MMM yyyy"):  # the last: not digits only, passed on
			for time_format in (*self.TIME_FORMATS, "hh:mm a"):
				for lang in self.LANGUAGES:
					for in_request in (False, True):
						frappe.local.request = frappe._dict(path="/partner") if in_request else None
						frappe.local.prm_request_memo = None
						frappe.local.user_date_format = date_format
						frappe.local.user_time_format = time_format
						frappe.local.lang = lang
						case = f"{date_format} {time_format} {lang!r}"
						for value in self.DATES:
							for given in (value, getdate(value)):
								self.assertEqual(pages.date(given), format_date(given), f"{given!r} {case}")
								compared += 1
						for value in self.DATETIMES:
							for given in (value, get_datetime(value)):
								self.assertEqual(
									pages.datetime(given), format_datetime(given), f"{given!r} {case}"
								)
								compared += 1
						self.assertEqual((pages.date(None), pages.datetime("")), ("", ""))
		self.assertGreater(compared, 5000)

	def test_a_digits_only_format_is_kept_as_a_template_for_the_request(self):
		from prm_app.portal import pages

		frappe.local.request = frappe._dict(path="/partner")
		frappe.local.prm_request_memo = None
		frappe.local.user_date_format, frappe.local.user_time_format = "dd.mm.yyyy", "HH:mm"
		self.assertEqual(pages.date("2026-03-04"), "04.03.2026")
		self.assertEqual(pages.datetime("2026-03-04 09:07:00"), "04.03.2026 09:07")
		self.assertEqual(pages.date_template(), "{0.day:02d}.{0.month:02d}.{0.year:04d}")
		frappe.local.user_date_format = (
			"dd MMM yyyy"  # a new request would see it; this one kept its template
		)
		self.assertEqual(pages.date("2026-03-04"), "04.03.2026")
		frappe.local.prm_request_memo = None
		self.assertIsNone(pages.date_template())


class TestChoices(FrappeTestCase):
	"""The lists a portal form offers for public masters are kept in Redis, and a change to one of
	their records shows on the next read: a new record, a disabled one, a renamed one, a deleted one."""

	def test_a_changed_master_shows_in_the_forms_choices_at_once(self):
		from prm_app.portal import forms

		forms.link_choices("Market Segment")  # kept
		first = frappe.get_doc({"doctype": "Market Segment", "market_segment": "PRM Test Segment A"}).insert()
		self.assertIn(first.name, forms.link_choices("Market Segment"))

		renamed = frappe.rename_doc("Market Segment", first.name, "PRM Test Segment B", force=True)
		choices = forms.link_choices("Market Segment")
		self.assertIn(renamed, choices)
		self.assertNotIn(first.name, choices)

		frappe.delete_doc("Market Segment", renamed)
		self.assertNotIn(renamed, forms.link_choices("Market Segment"))

		currency = frappe.get_doc("Currency", frappe.db.get_value("Currency", {"enabled": 1}, "name"))
		self.assertIn(currency.name, forms.link_choices("Currency"))
		currency.enabled = 0
		currency.save()
		self.assertNotIn(currency.name, forms.link_choices("Currency"))
		currency.enabled = 1
		currency.save()
		self.assertIn(currency.name, forms.link_choices("Currency"))

	def test_the_kept_list_is_the_databases(self):
		from prm_app.portal import forms

		for doctype in sorted(forms.PUBLIC_MASTERS):
			meta = frappe.get_meta(doctype)
			filters = (
				{"enabled": 1}
				if meta.has_field("enabled")
				else {"disabled": 0}
				if meta.has_field("disabled")
				else {}
			)
			names = frappe.get_all(
				doctype,
				filters=filters,
				pluck="name",
				order_by="name asc",
				limit_page_length=forms.MAX_CHOICES + 1,
			)
			expected = names if len(names) <= forms.MAX_CHOICES else None
			for _ in range(2):  # read, then kept
				self.assertEqual(forms.link_choices(doctype), expected, doctype)

	def test_the_sellable_items_are_kept_and_a_changed_item_shows_at_once(self):
		from prm_app.portal import forms

		def codes():
			return [row.name for row in forms.item_choices() or []]

		codes()  # kept
		item = make_item(item_name="PRM Kept Item A")
		self.addCleanup(lambda: frappe.db.exists("Item", item.name) and frappe.delete_doc("Item", item.name))
		self.assertIn(item.name, codes())
		self.assertEqual(
			next(row.item_name for row in forms.item_choices() if row.name == item.name), "PRM Kept Item A"
		)

		item.item_name = "PRM Kept Item B"
		item.save()
		self.assertEqual(
			next(row.item_name for row in forms.item_choices() if row.name == item.name), "PRM Kept Item B"
		)
		item.disabled = 1
		item.save()
		self.assertNotIn(item.name, codes())
		item.disabled = 0
		item.is_sales_item = 0
		item.save()
		self.assertNotIn(item.name, codes())
		item.is_sales_item = 1
		item.save()
		self.assertIn(item.name, codes())

		renamed = frappe.rename_doc("Item", item.name, item.name + " R", force=True)
		self.assertIn(renamed, codes())
		self.assertNotIn(item.name, codes())
		frappe.delete_doc("Item", renamed)
		self.assertNotIn(renamed, codes())

		expected = forms.sellable_items()  # the kept list is the database's
		self.assertEqual(forms.item_choices(), expected)
		self.assertEqual(forms.item_choices(), expected)

	def test_a_long_lists_options_are_escaped_labelled_and_the_value_selected(self):
		from prm_app.portal import forms

		tags = forms.option_tags([("A&B", "A&B"), ('Q"<x>', "<b>Q</b>"), ("7", "Seven")], 7)
		self.assertEqual(
			str(tags),
			'<option value="A&amp;B">A&amp;B</option>'
			'<option value="Q&#34;&lt;x&gt;">&lt;b&gt;Q&lt;/b&gt;</option>'
			'<option value="7" selected>Seven</option>',
		)
		self.assertNotIn("selected", str(forms.option_tags([("A", "A")], None)))

		country = frappe.db.get_value("Country", {}, "name")
		own = "PRM Test Land"
		translation = frappe.get_doc(
			{
				"doctype": "Translation",
				"language": "de",
				"source_text": own,
				"translated_text": "PRM Testland",
			}
		).insert()
		self.addCleanup(translation.delete)
		lang = frappe.local.lang
		self.addCleanup(setattr, frappe.local, "lang", lang)
		frappe.local.lang = "de"
		names = [country, own, "PRM No Such Name"]
		self.assertEqual(forms.labelled(names), [(name, frappe._(name)) for name in names])
		self.assertEqual(forms.labelled(names)[1:], [(own, "PRM Testland"), ("PRM No Such Name",) * 2])
		self.assertIsNone(forms.labelled(None))

		field = next(f for f in forms.registration_fields() if f.fieldname == "country")
		self.assertIn(
			f'<option value="{country}" selected>{frappe._(country)}</option>',
			str(field.option_tags(country)),
		)


class TestRoutes(FrappeTestCase):
	"""The portal's pages with a record's name in their path are matched by its own renderer (no
	website route rules, which Frappe compiles on every request to any page); a mistyped portal
	address is "not found", and every other path is left to Frappe."""

	def tearDown(self):
		frappe.local.form_dict = frappe._dict()

	def resolve(self, path):
		from frappe.website.path_resolver import PathResolver

		frappe.local.form_dict = frappe._dict()
		return PathResolver(path).resolve()[1]

	def test_the_portal_adds_no_website_route_rules(self):
		self.assertFalse(frappe.get_hooks("website_route_rules", app_name="prm_app"))

	def test_each_route_renders_its_page_with_the_name_from_the_path(self):
		from prm_app.portal.routes import ROUTES, PortalRoutePage

		for pattern, page in ROUTES:
			path = pattern.strip("/").replace("<name>", "PRM-X 1")
			renderer = self.resolve(path)
			self.assertIsInstance(renderer, PortalRoutePage, path)
			self.assertTrue(renderer.matched, path)
			self.assertEqual(renderer.path, page, path)
			if "<name>" in pattern:
				self.assertEqual(frappe.form_dict.name, "PRM-X 1", path)
			else:
				self.assertNotIn("name", frappe.form_dict, path)

	def test_a_mistyped_portal_address_is_not_found_and_other_paths_are_frappes(self):
		from frappe.website.page_renderers.template_page import TemplatePage

		from prm_app.portal.routes import PortalRoutePage

		for path in ("partner/nothing", "partner/deals/a/b/c", "partner/mdf/requests"):
			renderer = self.resolve(path)
			self.assertIsInstance(renderer, PortalRoutePage, path)
			self.assertTrue(renderer.missing, path)
		for path in ("partner", "partner/team", "partner/deals", "partner/mdf", "partner/apply"):
			renderer = self.resolve(path)
			self.assertNotIsInstance(renderer, PortalRoutePage, path)
			self.assertIsInstance(renderer, TemplatePage, path)
		for path in ("login", "me", "Partner/anything"):
			self.assertNotIsInstance(self.resolve(path), PortalRoutePage, path)

	def test_portal_paths_skip_the_route_rules_and_other_paths_keep_them(self):
		from unittest.mock import patch

		from frappe.website import path_resolver
		from frappe.website.page_renderers.template_page import TemplatePage

		from prm_app.portal.routes import PortalRoutePage

		self.assertIn("prm_app.portal.routes.resolve_path", frappe.get_hooks("website_path_resolver"))
		real = path_resolver.resolve_from_map
		with patch.object(path_resolver, "resolve_from_map", side_effect=AssertionError("route rules")):
			for path in ("partner", "partner/team", "partner/deals", "partner/deals/PRM-X 1"):
				self.assertIsInstance(self.resolve(path), TemplatePage, path)
				self.assertEqual(frappe.local.path, path)
			# a path the portal does not render goes through Frappe's route rules
			for path in ("partner/nothing", "orders/SO-X", "me", "partner/team.html"):
				with self.assertRaises(AssertionError, msg=path):
					self.resolve(path)

		calls = []

		def counted(path):
			calls.append(path)
			return real(path)

		with patch.object(path_resolver, "resolve_from_map", side_effect=counted):
			# ERPNext's rule: /orders/<name> renders its "order" page with the name in the form
			endpoint, renderer = self.resolve_endpoint("orders/SO-X 1")
			self.assertEqual(endpoint, "order")
			self.assertEqual(frappe.form_dict.name, "SO-X 1")
			self.assertNotIsInstance(renderer, PortalRoutePage)
			self.assertIsInstance(self.resolve("partner/nothing"), PortalRoutePage)
			self.assertTrue(self.resolve("partner/nothing").missing)
		self.assertIn("orders/SO-X 1", calls)
		self.assertIn("partner/nothing", calls)

	def test_a_redirect_a_route_rule_asks_for_is_still_answered(self):
		from unittest.mock import patch

		from frappe.website import path_resolver
		from frappe.website.serve import get_response
		from werkzeug.routing import RequestRedirect

		def redirect(path):
			raise RequestRedirect("http://example.com/elsewhere/")

		with patch.object(path_resolver, "resolve_from_map", side_effect=redirect):
			response = get_response("somewhere-else")
		self.assertEqual(response.status_code, 308)
		self.assertEqual(response.headers["Location"], "http://example.com/elsewhere/")

	def resolve_endpoint(self, path):
		"""As a request for ``path`` resolves it (Frappe matches route rules against the request)."""
		from frappe.website.path_resolver import PathResolver
		from werkzeug.test import EnvironBuilder
		from werkzeug.wrappers import Request

		frappe.local.form_dict = frappe._dict()
		had = hasattr(frappe.local, "request")
		request = getattr(frappe.local, "request", None)
		frappe.local.request = Request(EnvironBuilder(path="/" + path).get_environ())
		try:
			return PathResolver(path).resolve()
		finally:
			if had:
				frappe.local.request = request
			else:
				del frappe.local.request


class TestIndexes(FrappeTestCase):
	def test_the_portals_indexes_exist_and_serve_its_queries(self):
		from prm_app.install import INDEXES, ensure_indexes

		ensure_indexes()  # idempotent: a second run changes nothing
		for doctype, indexes in INDEXES.items():
			for name, columns in indexes:
				rows = frappe.db.sql(
					f"SHOW INDEX FROM `tab{doctype}` WHERE Key_name = %s", name, as_dict=True
				)  # nosemgrep
				self.assertEqual(
					[r.Column_name for r in sorted(rows, key=lambda r: r.Seq_in_index)], list(columns)
				)
		plan = frappe.db.sql(
			"EXPLAIN SELECT name FROM `tabDeal Registration` WHERE partner = 'x' AND status = 'Draft' "
			"ORDER BY modified DESC, name DESC LIMIT 20",
			as_dict=True,
		)
		self.assertIn("prm_partner_status_modified", plan[0].possible_keys or "")


class TestPortalBenchmark(FrappeTestCase):
	"""``prm-benchmark-portal`` end to end, small: synthetic partners signed in over HTTP to a
	gunicorn server, every target answered, and nothing of it left behind."""

	TABLES = (
		"tabDeal Registration",
		"tabPartner",
		"tabPartner User",
		"tabUser",
		"tabHas Role",
		"tabDefaultValue",
		"tabSessions",
		"tabActivity Log",
		"tabProgram Tier",
		"__Auth",
		# the capabilities' records (``perf.capabilities``)
		"tabLead",
		"tabLead Offer",
		"tabMDF Activity Type",
		"tabMDF Budget",
		"tabMDF Request",
		"tabRebate Accrual",
		"tabPartner Certification",
		"tabPartner Asset",
		"tabTraining Module",
	)

	def counts(self) -> dict:
		fresh_snapshot()
		return {t: frappe.db.sql(f"SELECT COUNT(*) FROM `{t}`")[0][0] for t in self.TABLES}  # nosemgrep

	def test_the_benchmark_drives_every_target_and_removes_what_it_made(self):
		from prm_app.perf import data, portal

		before = self.counts()
		lines = []
		result = portal.run(
			partners=3,
			registrations=25,
			sessions=2,
			seconds=0.4,
			rounds=1,
			profile=True,
			echo=lines.append,
		)
		self.assertEqual(self.counts(), before, "\n".join(lines))
		self.assertFalse(data.synthetic_users() or data.synthetic_partners())
		self.assertEqual(frappe.db.count("Deal Registration", {"name": ("like", "PRMPERF-%")}), 0)
		# the capability pages were driven with rows behind them
		made = next(line for line in lines if line.strip().startswith("capabilities:"))
		for doctype in ("Lead Offer", "MDF Request", "Training Module", "Partner Asset", "Rebate Accrual"):
			self.assertRegex(made, rf"[1-9][\d,]* {doctype}")

		self.assertIn("Frappe /me", result["single"])
		self.assertIn("frappe.auth.get_logged_user", result["single"])
		labels = {target.label for target in portal.TARGETS}
		self.assertLessEqual(labels, set(result["single"]))
		for label, stats in result["single"].items():
			self.assertEqual(stats["errors"], 0, f"{label}: {stats}")
			self.assertGreater(stats["count"], 0, label)
		for label, stats in result["concurrent"].items():
			self.assertEqual(stats["errors"], 0, f"{label}: {stats}")
			self.assertGreater(stats["count"], 0, label)
		self.assertTrue(all(row["queries"] >= 1 for row in result["profile"]), result["profile"])
		text = "\n".join(lines)
		for heading in ("p50 ms", "req/s", "ratio", "queries"):
			self.assertIn(heading, text)

	def test_remove_deletes_only_what_is_marked(self):
		from prm_app.perf import data

		before = self.counts()
		made = data.make(2, 5, "Prm-Benchmark-Test-1", echo=lambda *_: None)
		try:
			self.assertEqual(len(made["partners"]), 2)
			self.assertEqual(sum(p["registrations"] for p in made["partners"]), 5)
			user = made["partners"][0]["admin"]
			self.assertEqual(
				set(frappe.get_roles(user)) & {"Partner", "Partner Admin"}, {"Partner", "Partner Admin"}
			)
			self.assertEqual(
				frappe.defaults.get_user_default("partner", user), made["partners"][0]["partner"]
			)
			self.assertEqual(
				frappe.db.get_value("Partner User", {"user": user}, "parent"), made["partners"][0]["partner"]
			)
		finally:
			data.remove(echo=lambda *_: None)
		self.assertEqual(self.counts(), before)
