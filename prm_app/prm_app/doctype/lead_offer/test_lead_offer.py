# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from prm_app.exceptions import LeadOfferError
from prm_app.tests.utils import (
	GROWTH_TEST_IGNORE,
	PRMTestCase,
	ensure_outbox,
	make_active_partner,
	make_lead,
	make_lead_offer,
	make_tier,
	make_user,
	mute_emails,
)

test_ignore = GROWTH_TEST_IGNORE


def history(lead: str) -> list[tuple]:
	return [
		(row.event, row.partner)
		for row in frappe.get_all(
			"Lead Assignment Log",
			filters={"lead": lead},
			fields=["event", "partner"],
			order_by="creation asc",
		)
	]


class TestLeadOffer(PRMTestCase):
	def test_an_offer_and_its_answers_are_logged(self):
		offer = make_lead_offer(self.partner_a.name)
		self.assertEqual(offer.status, "Offered")
		self.assertTrue(offer.respond_by > offer.offered_on)
		self.assertIn(self.user_a, offer.notify_to)
		self.assertEqual(offer.lead_title, frappe.db.get_value("Lead", offer.lead, "company_name"))
		frappe.set_user(self.user_a)
		frappe.get_doc("Lead Offer", offer.name, for_update=True).accept()
		frappe.set_user("Administrator")
		offer.reload()
		self.assertEqual((offer.status, offer.responded_by), ("Accepted", self.user_a))
		self.assertGreaterEqual(offer.hours_to_accept, 0)
		self.assertEqual(frappe.db.get_value("Lead", offer.lead, "prm_partner"), self.partner_a.name)
		offer.withdraw("the customer asked us directly")
		self.assertIsNone(frappe.db.get_value("Lead", offer.lead, "prm_partner"))
		self.assertEqual(
			history(offer.lead),
			[
				("Offered", self.partner_a.name),
				("Accepted", self.partner_a.name),
				("Withdrawn", self.partner_a.name),
			],
		)

	def test_one_open_offer_per_lead_and_only_to_active_partners(self):
		offer = make_lead_offer(self.partner_a.name)
		with self.assertRaises(LeadOfferError):
			make_lead_offer(self.partner_b.name, offer.lead)
		frappe.db.set_value("Partner", self.partner_b.name, "status", "Suspended")
		with self.assertRaises(LeadOfferError):
			make_lead_offer(self.partner_b.name)
		closed = make_lead()
		frappe.db.set_value("Lead", closed.name, "status", "Do Not Contact")
		with self.assertRaises(LeadOfferError):
			make_lead_offer(self.partner_a.name, closed.name)
		# partners never offer leads, whatever path they find
		frappe.set_user(self.user_a)
		with self.assertRaises(frappe.PermissionError):
			make_lead_offer(self.partner_a.name)

	def test_decline_timeout_and_late_answers(self):
		offer = make_lead_offer(self.partner_a.name)
		offer.decline("Not our market")
		self.assertEqual((offer.status, offer.decline_reason), ("Declined", "Not our market"))
		with self.assertRaises(LeadOfferError):
			offer.accept()
		late = make_lead_offer(self.partner_b.name)
		self.assertFalse(late.time_out())  # not due yet
		late.db_set("respond_by", add_to_date(now_datetime(), hours=-1))
		with self.assertRaises(LeadOfferError):
			late.accept()  # too late, even before the job took it back
		self.assertTrue(late.time_out())
		self.assertEqual(late.status, "Timed Out")
		self.assertEqual(history(late.lead)[-1], ("Timed Out", self.partner_b.name))

	def test_progress_and_conversion_rules(self):
		offer = make_lead_offer(self.partner_a.name)
		with self.assertRaises(LeadOfferError):
			offer.set_progress("Contacted")  # not accepted yet
		offer.accept()
		offer.set_progress("Qualified", "Budget confirmed")
		with self.assertRaises(LeadOfferError):
			offer.set_progress("Converted")  # a conversion is a registration, not a word
		offer.mark_converted("DR-TEST-1")
		with self.assertRaises(LeadOfferError):
			offer.mark_converted("DR-TEST-2")
		with self.assertRaises(LeadOfferError):
			offer.withdraw()  # the partner registered a deal from it: it stays

	def test_the_desk_form_cannot_rewrite_the_offers_state(self):
		offer = make_lead_offer(self.partner_a.name)
		doc = frappe.get_doc("Lead Offer", offer.name)
		doc.status = "Accepted"
		with self.assertRaises(LeadOfferError):
			doc.save()
		doc.reload()
		doc.respond_by = add_to_date(now_datetime(), hours=72)
		doc.save()  # the channel team may give the partner more time
		self.assertEqual(frappe.db.get_value("Lead Offer", offer.name, "status"), "Offered")


class TestAcceptRacesTheTimeout(FrappeTestCase):
	def test_the_partner_accepting_at_the_deadline_wins_over_the_job(self):
		"""The partner (A) accepts an offer a minute before its deadline and holds the offer's row
		lock; the job (B), whose server clock is already past the deadline, queues on that lock (its
		locking read is seen waiting); A commits; B must see the acceptance and leave the offer: the
		lead stays the partner's and is never offered to another."""
		import threading
		import time
		from unittest.mock import patch

		from prm_app.integrations import lead_distribution

		site = frappe.local.site
		mute_emails()
		# the offer's notification needs an outgoing account: without one, Frappe 16 caches a dummy
		# account for the rest of the process (and every later e-mail fails)
		outbox = None
		if not frappe.db.get_value("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
			ensure_outbox()
			outbox = "PRM Test Outbox"
		created_tier = None
		if not frappe.db.exists("Program Tier", {"is_default": 1}):
			created_tier = make_tier(tier_name="Registered Test Tier").name
		user = make_user().name
		partner = make_active_partner(users=[(user, "Partner Admin")]).name
		lead = make_lead().name
		offer = make_lead_offer(partner, lead, hours=1)
		frappe.db.set_value("Lead Offer", offer.name, "respond_by", add_to_date(now_datetime(), minutes=1))
		frappe.db.commit()  # nosemgrep: the other connections must see the offer
		a_locked, b_started, release_a = threading.Event(), threading.Event(), threading.Event()
		b_connection, errors, timed_out = [], [], []

		def connect(as_user):
			frappe.init(site=site)
			frappe.connect()
			frappe.set_user(as_user)

		def accept():
			connect(user)
			try:
				frappe.get_doc("Lead Offer", offer.name, for_update=True).accept()
				a_locked.set()  # A holds the offer's row until it commits
				release_a.wait(timeout=60)
				frappe.db.commit()  # nosemgrep: each thread is its own request
			except Exception as e:
				errors.append(e)
				a_locked.set()
			finally:
				frappe.destroy()

		def job():
			connect("Administrator")
			try:
				a_locked.wait(timeout=60)
				b_connection.append(frappe.db.sql("select connection_id()")[0][0])
				b_started.set()
				late = add_to_date(now_datetime(), minutes=5)
				with (
					patch("prm_app.integrations.lead_distribution.now_datetime", return_value=late),
					patch("prm_app.prm_app.doctype.lead_offer.lead_offer.now_datetime", return_value=late),
				):
					timed_out.append(lead_distribution.expire_overdue(commit=False))
				frappe.db.commit()  # nosemgrep: each thread is its own request
			except Exception as e:
				errors.append(e)
				b_started.set()
			finally:
				frappe.destroy()

		threads = [threading.Thread(target=accept), threading.Thread(target=job)]
		try:
			for thread in threads:
				thread.start()
			self.assertTrue(b_started.wait(timeout=60))
			self.assertTrue(wait_for_row_lock(b_connection[0]), "the job never waited for the partner's lock")
			release_a.set()
			for thread in threads:
				thread.join(timeout=120)
			self.assertEqual(errors, [])
			self.assertEqual(timed_out, [0])
			frappe.db.rollback()  # a fresh snapshot: what the threads committed
			self.assertEqual(frappe.db.get_value("Lead Offer", offer.name, "status"), "Accepted")
			self.assertEqual(frappe.db.get_value("Lead", lead, "prm_partner"), partner)
			self.assertEqual(
				frappe.get_all(
					"Lead Assignment Log", filters={"lead": lead}, pluck="event", order_by="creation asc"
				),
				["Offered", "Accepted"],
			)
		finally:
			release_a.set()
			for thread in threads:
				thread.join(timeout=120)
			frappe.db.delete("Lead Assignment Log", {"lead": lead})
			frappe.delete_doc("Lead Offer", offer.name, force=True)
			frappe.delete_doc("Lead", lead, force=True)
			links = frappe.db.get_value(
				"Partner", partner, ["sales_partner", "customer", "supplier"], as_dict=True
			)
			frappe.delete_doc("Partner", partner, force=True)
			for doctype, name in (
				("Sales Partner", links.sales_partner),
				("Customer", links.customer),
				("Supplier", links.supplier),
			):
				if name:
					frappe.delete_doc(doctype, name, force=True)
			frappe.delete_doc("User", user, force=True)
			if created_tier:
				frappe.db.delete("Program Tier", created_tier)
			queued = frappe.get_all(
				"Email Queue",
				filters={"reference_doctype": "Lead Offer", "reference_name": offer.name},
				pluck="name",
			)
			for name in queued:
				frappe.db.delete("Email Queue Recipient", {"parent": name})
				frappe.db.delete("Email Queue", {"name": name})
			if outbox:
				frappe.delete_doc("Email Account", outbox, force=True)
				if hasattr(frappe.local, "outgoing_email_account"):
					del frappe.local.outgoing_email_account
			frappe.db.commit()  # nosemgrep: leave the site as it was


def wait_for_row_lock(connection_id, seconds=30) -> bool:
	"""Whether connection ``connection_id`` is (or gets within ``seconds``) blocked in a locking read
	of a Lead Offer: its statement shows in the process list until the lock is released."""
	import time

	processes = frappe.qb.Table("PROCESSLIST", schema="information_schema")
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		waiting = (
			frappe.qb.from_(processes)
			.select(processes.ID)
			.where(
				(processes.ID == connection_id)
				& processes.INFO.like("%tabLead Offer%")
				& processes.INFO.like("%for update%")
			)
			.run()
		)
		if waiting:
			return True
		time.sleep(0.05)
	return False
