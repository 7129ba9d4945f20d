# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from contextlib import contextmanager

import frappe
from frappe.model.workflow import WorkflowTransitionError
from frappe.tests.utils import FrappeTestCase, change_settings, patch_hooks
from frappe.utils import add_days, getdate, today

from prm_app.conflict import keys
from prm_app.exceptions import (
	DealConflictError,
	DealStateError,
	InvalidAmountError,
	InvalidCloseDateError,
	InvalidEndCustomerError,
	ItemNotSellableError,
	PartnerNotActiveError,
	SelfApprovalError,
)
from prm_app.tests.utils import (
	TEST_IGNORE,
	PRMTestCase,
	make_active_partner,
	make_customer,
	make_item,
	make_partner,
	make_quotation,
	make_registration,
	make_sales_order,
	make_tier,
	make_user,
	unique,
	workflow,
)

test_ignore = TEST_IGNORE


@contextmanager
def versions_recorded():
	"""Frappe skips Version records in tests (``frappe.flags.in_test`` on 15, ``frappe.in_test`` on 16)."""
	saved = frappe.flags.in_test, getattr(frappe, "in_test", None)
	frappe.flags.in_test = False
	if saved[1] is not None:
		frappe.in_test = False
	try:
		yield
	finally:
		frappe.flags.in_test = saved[0]
		if saved[1] is not None:
			frappe.in_test = saved[1]


def drop_customer_matches(registration, matches):
	"""A ``prm_conflict_rules`` hook used by the tests: customers are no conflict."""
	return [m for m in matches if m["doctype"] != "Customer"]


class TestDealRegistrationInput(PRMTestCase):
	def assert_refused(self, exc, **kw):
		before = frappe.db.count("Deal Registration")
		with self.assertRaises(exc):
			make_registration(self.partner_a.name, **kw)
		self.assertEqual(frappe.db.count("Deal Registration"), before)

	def test_no_company_name(self):
		self.assert_refused(InvalidEndCustomerError, company_name="   ")

	def test_invalid_website_and_email(self):
		self.assert_refused(InvalidEndCustomerError, website="not a site")
		self.assert_refused(InvalidEndCustomerError, contact_email="bob-at-example")

	def test_close_date_in_the_past(self):
		self.assert_refused(InvalidCloseDateError, expected_close_date=add_days(today(), -1))

	def test_negative_values(self):
		self.assert_refused(InvalidAmountError, expected_value=-5)
		self.assert_refused(InvalidAmountError, items=[(self.item, 1, -10)])
		self.assert_refused(InvalidAmountError, items=[(self.item, 0, 10)])
		self.assert_refused(InvalidAmountError, items=[(self.item, -2, 10)])

	def test_item_that_cannot_be_sold(self):
		not_for_sale = make_item(is_sales_item=0).name
		disabled = make_item(disabled=1).name
		self.assert_refused(ItemNotSellableError, items=[(not_for_sale, 1, 10)])
		self.assert_refused(ItemNotSellableError, items=[(disabled, 1, 10)])
		self.assert_refused(
			(ItemNotSellableError, frappe.LinkValidationError), items=[("NO-SUCH-ITEM-" + unique("x"), 1, 10)]
		)

	def test_partner_not_active(self):
		prospect = make_partner()
		before = frappe.db.count("Deal Registration")
		with self.assertRaises(PartnerNotActiveError):
			make_registration(prospect.name)
		with self.assertRaises((PartnerNotActiveError, frappe.LinkValidationError)):
			make_registration("No Such Partner " + unique("x"))
		self.assertEqual(frappe.db.count("Deal Registration"), before)

	def test_valid_registration_defaults(self):
		doc = make_registration(
			self.partner_a.name,
			website="https://shop.example-end.co.uk",
			items=[(self.item, 2, 300)],
			expected_value=0,
		)
		self.assertEqual(doc.status, "Draft")
		self.assertEqual(doc.domain, "example-end.co.uk")
		self.assertEqual(doc.expected_value, 300)
		self.assertFalse(frappe.db.exists("PRM Match Key", {"ref_name": doc.name}), "drafts are not indexed")


class TestDealRegistrationWorkflow(PRMTestCase):
	def test_partner_submits_and_manager_approves(self):
		frappe.set_user(self.user_a)
		doc = make_registration(self.partner_a.name, items=[(self.item, 1, 1000)])
		frappe.set_user("Administrator")
		doc = self.submit(doc, self.user_a)
		self.assertEqual(doc.status, "Pending Review")
		self.assertTrue(doc.registered_on)
		self.assertEqual(doc.conflict_status, "Clear")
		self.assertTrue(frappe.db.exists("PRM Match Key", {"ref_name": doc.name}))

		workflow(doc, "Approve")
		doc.reload()
		self.assertEqual(doc.status, "Approved")
		self.assertEqual(getdate(doc.protection_until), getdate(add_days(today(), 120)))
		self.assertEqual(doc.approver, "Administrator")
		opportunity = frappe.get_doc("Opportunity", doc.opportunity)
		self.assertEqual(opportunity.prm_partner, self.partner_a.name)
		self.assertEqual(opportunity.prm_deal_registration, doc.name)
		self.assertEqual(opportunity.opportunity_from, "Lead")
		self.assertEqual(
			frappe.db.get_value("Lead", opportunity.party_name, "company_name"), doc.company_name
		)

	def test_protection_falls_back_to_settings(self):
		doc = self.submit(make_registration(self.partner_b.name))
		workflow(doc, "Approve")
		self.assertEqual(
			getdate(frappe.db.get_value("Deal Registration", doc.name, "protection_until")),
			getdate(add_days(today(), 90)),
		)

	def test_approval_creates_customer_when_settings_say_so(self):
		frappe.db.set_single_value("PRM Settings", "create_customer_on_approval", 1)
		doc = self.submit(make_registration(self.partner_b.name))
		workflow(doc, "Approve")
		doc.reload()
		self.assertEqual(frappe.db.get_value("Customer", doc.customer, "customer_name"), doc.company_name)
		self.assertEqual(frappe.db.get_value("Opportunity", doc.opportunity, "party_name"), doc.customer)

	def test_partner_can_never_approve(self):
		frappe.set_user(self.user_a)
		doc = make_registration(self.partner_a.name)
		frappe.set_user("Administrator")
		doc = self.submit(doc, self.user_a)
		frappe.set_user(self.user_a)
		with self.assertRaises(WorkflowTransitionError):
			workflow(doc, "Approve")
		mine = frappe.get_doc("Deal Registration", doc.name)
		mine.status = "Approved"
		with self.assertRaises((frappe.ValidationError, frappe.PermissionError)):
			mine.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Deal Registration", doc.name, "status"), "Pending Review")

	def test_partner_cannot_decide_even_with_a_manager_transition(self):
		"""The controller refuses a partner's decision even if an admin's workflow allowed it."""
		submitted = self.submit(make_registration(self.partner_a.name))
		frappe.set_user(self.user_a)
		doc = frappe.get_doc("Deal Registration", submitted.name)
		doc._doc_before_save = frappe.get_doc("Deal Registration", submitted.name)
		doc.status = "Approved"
		with self.assertRaises(SelfApprovalError):
			doc.run_method("validate")

	def test_partner_cannot_edit_after_submission_but_can_withdraw(self):
		doc = self.submit(make_registration(self.partner_a.name), self.user_a)
		frappe.set_user(self.user_a)
		mine = frappe.get_doc("Deal Registration", doc.name)
		mine.expected_value = 999999
		with self.assertRaises(DealStateError):
			mine.save()
		workflow(doc, "Withdraw")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Deal Registration", doc.name, "status"), "Withdrawn")
		self.assertFalse(frappe.db.exists("PRM Match Key", {"ref_name": doc.name}))

	def test_partner_cannot_write_system_fields(self):
		frappe.set_user(self.user_a)
		doc = make_registration(
			self.partner_a.name,
			protection_until=add_days(today(), 900),
			registered_on="2001-01-01 00:00:00",
			conflict_status="Clear",
			extensions=[{"days": 300, "reason": "self-approved", "decision": "Approved"}],
		)
		self.assertFalse(doc.protection_until)
		self.assertFalse(doc.registered_on)
		self.assertFalse(doc.conflict_status)
		self.assertEqual(doc.extensions, [])
		frappe.set_user("Administrator")
		doc = self.submit(doc, self.user_a)
		workflow(doc, "Approve")
		until = frappe.db.get_value("Deal Registration", doc.name, "protection_until")
		frappe.set_user(self.user_a)
		mine = frappe.get_doc("Deal Registration", doc.name)
		mine.protection_until = add_days(today(), 900)
		mine.save()
		self.assertEqual(frappe.db.get_value("Deal Registration", doc.name, "protection_until"), until)

	def test_partner_user_gets_own_partner_by_default(self):
		frappe.set_user(self.user_b)
		doc = frappe.get_doc(
			{
				"doctype": "Deal Registration",
				"company_name": unique("Defaulted Partner Co"),
				"expected_close_date": add_days(today(), 30),
			}
		).insert()
		self.assertEqual(doc.partner, self.partner_b.name)

	def test_partner_cannot_create_for_another_partner(self):
		frappe.set_user(self.user_a)
		with self.assertRaises(frappe.PermissionError):
			make_registration(self.partner_b.name)
		# not even through a path that skips permission checks (Frappe's web form endpoint)
		doc = frappe.get_doc(
			{
				"doctype": "Deal Registration",
				"partner": self.partner_b.name,
				"company_name": unique("Smuggled"),
				"expected_close_date": add_days(today(), 30),
			}
		)
		with self.assertRaises(frappe.PermissionError):
			doc.insert(ignore_permissions=True)

	def test_extension_request_and_decision(self):
		doc = self.submit(make_registration(self.partner_a.name), self.user_a)
		frappe.set_user(self.user_a)
		with self.assertRaises(DealStateError):
			frappe.get_doc("Deal Registration", doc.name).request_extension(30, "needs budget approval")
		frappe.set_user("Administrator")
		workflow(doc, "Approve")
		until = getdate(frappe.db.get_value("Deal Registration", doc.name, "protection_until"))

		frappe.set_user(self.user_a)
		mine = frappe.get_doc("Deal Registration", doc.name)
		with self.assertRaises(InvalidAmountError):
			mine.request_extension(0, "x")
		row = mine.request_extension(30, "customer board meets next quarter")
		with self.assertRaises(DealStateError):
			frappe.get_doc("Deal Registration", doc.name).request_extension(10, "again")
		with self.assertRaises(SelfApprovalError):
			frappe.get_doc("Deal Registration", doc.name).decide_extension(row, "Approved")

		frappe.set_user("Administrator")
		frappe.get_doc("Deal Registration", doc.name).decide_extension(row, "Approved")
		self.assertEqual(
			getdate(frappe.db.get_value("Deal Registration", doc.name, "protection_until")),
			add_days(until, 30),
		)


class TestConflictCheck(PRMTestCase):
	def statuses(self, doc):
		return doc.conflict_status, {(c.matched_doctype, c.matched_record) for c in doc.conflicts}

	def test_clear(self):
		doc = self.submit(make_registration(self.partner_a.name, unique("Quasar Unique Analytics")))
		self.assertEqual(self.statuses(doc), ("Clear", set()))

	def test_customer_source(self):
		customer = make_customer(f"Globex {frappe.generate_hash(length=5)} Holdings Ltd")
		name = customer.customer_name.upper().replace(" LTD", "")  # suffix and case variant
		doc = self.submit(make_registration(self.partner_a.name, name))
		self.assertEqual(self.statuses(doc), ("Possible Conflict", {("Customer", customer.name)}))
		evidence = doc.conflicts[0]
		self.assertGreaterEqual(evidence.score, 85)
		self.assertIn("same normalized name", evidence.reasons)

		frappe.db.set_single_value("PRM Settings", "erpnext_match_status", "Conflict")
		doc = self.submit(make_registration(self.partner_b.name, name))
		self.assertEqual(doc.conflict_status, "Conflict")

		frappe.db.set_single_value("PRM Settings", "check_customers", 0)
		doc = self.submit(make_registration(self.partner_b.name, name))
		self.assertNotIn("Customer", {c.matched_doctype for c in doc.conflicts})

	def test_customer_by_domain_only(self):
		domain = f"{frappe.generate_hash(length=8)}.com"
		customer = make_customer("Totally Other Trading Name", website=f"https://www.{domain}")
		doc = self.submit(
			make_registration(self.partner_a.name, unique("Brand New Name"), contact_email=f"cto@{domain}")
		)
		self.assertIn(("Customer", customer.name), self.statuses(doc)[1])
		self.assertIn(f"same domain {domain}", doc.conflicts[0].reasons)

	def test_free_mail_domain_is_no_evidence(self):
		make_customer(unique("Gmail User Co"), email_id="someone@gmail.com")
		doc = self.submit(
			make_registration(self.partner_a.name, unique("Other Gmail Co"), contact_email="x@gmail.com")
		)
		self.assertEqual(doc.conflict_status, "Clear")

	def test_lead_source_and_lookback(self):
		name = unique("Hooli Ventures")
		lead = frappe.get_doc({"doctype": "Lead", "company_name": name, "lead_name": "Gavin"}).insert()
		doc = self.submit(make_registration(self.partner_a.name, name + " LLC"))
		self.assertIn(("Lead", lead.name), self.statuses(doc)[1])

		frappe.db.set_value("Lead", lead.name, "creation", add_days(today(), -400))
		keys.sync_doc(frappe.get_doc("Lead", lead.name))
		doc = self.submit(make_registration(self.partner_b.name, name))
		self.assertNotIn(("Lead", lead.name), self.statuses(doc)[1], "outside the look-back window")
		frappe.db.set_single_value("PRM Settings", "lookback_days", 0)
		doc = self.submit(make_registration(self.partner_b.name, name))
		self.assertIn(("Lead", lead.name), self.statuses(doc)[1])

	def test_opportunity_quotation_and_sales_order_sources(self):
		customer = make_customer(unique("Umbrella Pharma"))
		opportunity = frappe.get_doc(
			{
				"doctype": "Opportunity",
				"opportunity_from": "Customer",
				"party_name": customer.name,
				"company": frappe.db.get_value("Company", {}, "name"),
			}
		).insert()
		quotation = make_quotation(customer.name, self.item)
		draft_quotation = make_quotation(customer.name, self.item, submit=False)
		order = make_sales_order(customer.name, self.item)
		doc = self.submit(make_registration(self.partner_a.name, customer.customer_name))
		found = self.statuses(doc)[1]
		for record in (
			("Customer", customer.name),
			("Opportunity", opportunity.name),
			("Quotation", quotation.name),
			("Sales Order", order.name),
		):
			self.assertIn(record, found)
		self.assertNotIn(("Quotation", draft_quotation.name), found, "only open quotations count")

		order.reload()
		order.cancel()
		frappe.db.set_value("Opportunity", opportunity.name, "status", "Lost")  # as ERPNext does, no save
		doc = self.submit(make_registration(self.partner_b.name, customer.customer_name))
		found = self.statuses(doc)[1]
		self.assertNotIn(("Sales Order", order.name), found)
		self.assertNotIn(("Opportunity", opportunity.name), found)

	def test_scope_rule(self):
		territories = frappe.get_all("Territory", filters={"is_group": 0}, pluck="name", limit=2)
		if len(territories) < 2:
			territories.append(
				frappe.get_doc(
					{
						"doctype": "Territory",
						"territory_name": unique("Territory"),
						"parent_territory": "All Territories",
					}
				)
				.insert()
				.name
			)
		name = unique("Stark Industries")
		first = self.submit(
			make_registration(self.partner_a.name, name, territory=territories[0], items=[(self.item, 1, 10)])
		)
		frappe.db.set_single_value("PRM Settings", "scope_rule", "Same Territory")
		other_territory = self.submit(make_registration(self.partner_b.name, name, territory=territories[1]))
		self.assertEqual(other_territory.conflict_status, "Clear")
		same_territory = self.submit(make_registration(self.partner_b.name, name, territory=territories[0]))
		self.assertEqual(same_territory.conflict_status, "Conflict")

		frappe.db.set_single_value("PRM Settings", "scope_rule", "Overlapping Products")
		other_product = self.submit(
			make_registration(self.partner_b.name, name, items=[(self.other_item, 1, 5)])
		)
		self.assertNotIn(first.name, {c.matched_record for c in other_product.conflicts})
		same_product = self.submit(make_registration(self.partner_b.name, name, items=[(self.item, 3, 5)]))
		self.assertIn(first.name, {c.matched_record for c in same_product.conflicts})

	def test_first_to_register_wins_and_conflict_case(self):
		name = unique("Wayne Enterprises")
		first = self.submit(make_registration(self.partner_a.name, name, expected_value=5000), self.user_a)
		second = self.submit(
			make_registration(self.partner_b.name, name.replace("Wayne", "Wayne,") + " Inc"), self.user_b
		)
		self.assertEqual((first.conflict_status, first.has_priority), ("Clear", 1))
		self.assertEqual((second.conflict_status, second.has_priority), ("Conflict", 0))
		self.assertEqual(second.conflicts[0].matched_record, first.name)

		case = frappe.get_doc("Channel Conflict", second.channel_conflict)
		self.assertEqual(case.status, "Open")
		self.assertEqual({r.deal_registration for r in case.records}, {first.name, second.name})
		self.assertEqual({r.partner for r in case.records}, {self.partner_a.name, self.partner_b.name})

		with self.assertRaises(DealConflictError):
			workflow(second, "Approve")
		workflow(first, "Approve")
		self.assertEqual(frappe.db.get_value("Deal Registration", first.name, "status"), "Approved")

		# same partner's duplicate is a conflict too
		duplicate = self.submit(make_registration(self.partner_a.name, name))
		self.assertEqual(duplicate.conflict_status, "Conflict")
		self.assertIn(first.name, {c.matched_record for c in duplicate.conflicts})

	def test_hook_point_can_drop_matches(self):
		name = unique("Initrode Global")
		make_customer(name)
		with patch_hooks({"prm_conflict_rules": [f"{__name__}.drop_customer_matches"]}):
			doc = self.submit(make_registration(self.partner_a.name, name))
		self.assertEqual(doc.conflict_status, "Clear")

	def test_server_script_can_rescore(self):
		self.enable_safe_exec()
		name = unique("Vandelay Imports")
		make_customer(name)
		method = "prm_test_conflict_rules_" + frappe.generate_hash(length=6)
		frappe.get_doc(
			{
				"doctype": "Server Script",
				"name": method,
				"script_type": "API",
				"api_method": method,
				"script": (
					"kept = []\n"
					"for m in frappe.form_dict.matches:\n"
					"    m['score'] = 86\n"
					"    m['reasons'] = m['reasons'] + ['re-scored by server script']\n"
					"    kept.append(m)\n"
					"frappe.response['message'] = kept\n"
				),
			}
		).insert()
		frappe.db.set_single_value("PRM Settings", "conflict_rules_method", method)
		doc = self.submit(make_registration(self.partner_a.name, name))
		self.assertEqual(doc.conflicts[0].score, 86)
		self.assertIn("re-scored by server script", doc.conflicts[0].reasons)


class TestPartnerSeesNoOtherPartner(PRMTestCase):
	def test_conflict_messages_and_reads_reveal_nothing(self):
		name = unique("Oscorp Secret Deal")
		first = self.submit(make_registration(self.partner_a.name, name, expected_value=777777), self.user_a)
		frappe.set_user(self.user_b)
		frappe.local.message_log = []
		second = make_registration(self.partner_b.name, name)
		with versions_recorded():  # tests skip Version records; this one needs the history
			workflow(second, "Submit for Review")
		self.assertTrue(
			frappe.db.exists("Version", {"ref_doctype": "Deal Registration", "docname": second.name})
		)
		messages = " ".join(str(m) for m in frappe.local.message_log)
		self.assertIn("is under review", messages)
		for secret in (self.partner_a.name, first.name, "777777", "777,777", self.user_a):
			self.assertNotIn(secret, messages)

		mine = frappe.get_doc("Deal Registration", second.name)
		mine.apply_fieldlevel_read_permissions()
		self.assertFalse(mine.get("conflicts"))
		self.assertFalse(mine.get("channel_conflict"))
		self.assertFalse(mine.get("conflict_status"))  # partners see "under review" on the portal only
		self.assertEqual(frappe.db.get_value("Deal Registration", second.name, "conflict_status"), "Conflict")

		from frappe.client import get as client_get
		from frappe.desk.form.load import getdoc

		frappe.local.response = frappe._dict(docs=[])
		getdoc("Deal Registration", second.name)
		loaded = frappe.as_json(frappe.local.response)
		self.assertIn(second.name, loaded)
		self.assertTrue(frappe.local.response.docinfo["versions"])
		for secret in (self.partner_a.name, first.name, "777777"):
			self.assertNotIn(secret, loaded, "nothing of the other registration in the doc or its history")

		seen = client_get("Deal Registration", second.name)
		self.assertNotIn(first.name, frappe.as_json(seen))
		self.assertNotIn(self.partner_a.name, frappe.as_json(seen))
		self.assertEqual(frappe.get_list("Deal Registration", filters={"name": first.name}), [])
		with self.assertRaises(frappe.PermissionError):
			client_get("Deal Registration", first.name)
		with self.assertRaises(frappe.PermissionError):
			client_get(
				"Channel Conflict", frappe.db.get_value("Deal Registration", second.name, "channel_conflict")
			)


class TestExpiryAndReminders(PRMTestCase):
	def test_expiry(self):
		from prm_app.tasks import expire_registrations

		doc = self.submit(make_registration(self.partner_a.name))
		workflow(doc, "Approve")
		frappe.db.set_value("Deal Registration", doc.name, "protection_until", add_days(today(), -1))
		expire_registrations(commit=False)
		self.assertEqual(frappe.db.get_value("Deal Registration", doc.name, "status"), "Expired")
		self.assertFalse(
			frappe.db.exists("PRM Match Key", {"ref_name": doc.name}), "expired deals are cleared"
		)
		self.assertTrue(
			frappe.db.exists("Comment", {"reference_name": doc.name, "content": ("like", "%Expired%")})
		)

	def test_reminder_before_expiry(self):
		from frappe.email.doctype.notification.notification import evaluate_alert

		if not frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}):
			frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": unique("PRM Test Outgoing"),
					"email_id": "prm-outgoing@example.com",
					"enable_outgoing": 1,
					"default_outgoing": 1,
					"smtp_server": "smtp.example.com",
					"awaiting_password": 1,
				}
			).insert()

		frappe.set_user(self.user_a)
		doc = make_registration(self.partner_a.name)
		frappe.set_user("Administrator")
		doc = self.submit(doc, self.user_a)
		workflow(doc, "Approve")
		frappe.db.set_value("Partner", self.partner_a.name, "partner_manager", "Administrator")
		frappe.db.set_value(
			"Deal Registration",
			doc.name,
			{"protection_until": add_days(today(), 14), "partner_manager": "Administrator"},
		)
		frappe.db.delete("Email Queue", {"reference_name": doc.name})
		# what the daily job does (trigger_daily_alerts), without its commit
		alert = frappe.get_doc("Notification", "Deal Registration Expiring")
		due = [d for d in alert.get_documents_for_today() if d.name == doc.name]
		self.assertEqual(len(due), 1)
		evaluate_alert(due[0], alert, alert.event)
		queued = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Deal Registration", "reference_name": doc.name},
			pluck="name",
		)
		self.assertTrue(queued, "a reminder is queued 14 days before the end of protection")
		recipients = {
			r.recipient
			for r in frappe.get_all(
				"Email Queue Recipient", filters={"parent": ("in", queued)}, fields=["recipient"]
			)
		}
		self.assertIn(self.user_a, recipients)


class TestSalesOrderAttribution(PRMTestCase):
	def approved(self, company_name, **kw):
		doc = self.submit(make_registration(self.partner_a.name, company_name, **kw))
		workflow(doc, "Approve")
		return frappe.get_doc("Deal Registration", doc.name)

	def test_order_for_registered_customer_by_link(self):
		customer = make_customer(unique("Acme Rockets"))
		registration = self.approved(customer.customer_name)
		self.assertEqual(registration.customer, customer.name, "the matched Customer is linked on approval")
		order = make_sales_order(customer.name, self.item, submit=False)
		self.assertEqual(order.prm_deal_registration, registration.name)
		self.assertEqual(order.prm_partner, self.partner_a.name)
		self.assertEqual(order.sales_partner, self.partner_a.sales_partner)
		self.assertEqual(order.commission_rate, 8)
		self.assertEqual(order.total_commission, 80)
		order.submit()
		registration.reload()
		self.assertEqual((registration.status, registration.sales_order), ("Won", order.name))
		order.cancel()
		registration.reload()
		self.assertEqual((registration.status, registration.sales_order), ("Approved", None))

	def test_order_matched_by_name_and_domain(self):
		domain = f"{frappe.generate_hash(length=8)}.io"
		name = unique("Initech Software")
		registration = self.approved(name, website=domain)
		customer = make_customer(name + ", Inc.", website=f"https://www.{domain}")
		order = make_sales_order(customer.name, self.item)
		self.assertEqual(order.prm_deal_registration, registration.name)
		self.assertEqual(frappe.db.get_value("Deal Registration", registration.name, "status"), "Won")

		other = make_customer(unique("Unrelated Buyer"))
		order = make_sales_order(other.name, self.item, submit=False)
		self.assertFalse(order.prm_deal_registration)
