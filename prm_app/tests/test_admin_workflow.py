"""No-code administration: the admin's workflow drives the desk and the portal, and the app's
lifecycle rules hold whatever the workflow looks like.

The tests change the shipped "Deal Registration" workflow as an admin would in the Workflow form
(a "Needs Information" state the partner answers, a second approval level above a deal size, even a
partner transition into Approved), drive registrations through it on the portal over HTTP and in
the desk, and put the workflow back afterwards.
"""

import re

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, getdate, today

from prm_app import workflows
from prm_app.exceptions import SelfApprovalError
from prm_app.tests.portal_http import delete_everything_of
from prm_app.tests.test_portal import PortalTestCase
from prm_app.tests.utils import email_text, make_partner, make_registration, make_user, unique, workflow

NEW_STATES = {"Needs Information": "Warning", "Awaiting Director": "Info"}
NEW_ACTIONS = ("Ask for Information", "Answer", "Self Approve")
BIG_DEAL = 100000


def ensure_vocabulary() -> list[tuple[str, str]]:
	made = []
	for state, style in NEW_STATES.items():
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert()
			made.append(("Workflow State", state))
	for action in NEW_ACTIONS:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert()
			made.append(("Workflow Action Master", action))
	return made


def extend_workflow():
	"""What an admin does in the Workflow form: two states, and transitions with roles and a
	condition (deals above BIG_DEAL need a director's approval). Returns the vocabulary it made."""
	made = ensure_vocabulary()
	wf = frappe.get_doc("Workflow", "Deal Registration")
	wf.append("states", {"state": "Needs Information", "doc_status": "0", "allow_edit": "Partner"})
	wf.append("states", {"state": "Awaiting Director", "doc_status": "0", "allow_edit": "System Manager"})
	for row in wf.transitions:
		if row.state == "Pending Review" and row.action == "Approve":
			row.condition = f"doc.expected_value <= {BIG_DEAL}"
	for state, action, next_state, role, condition in (
		("Pending Review", "Ask for Information", "Needs Information", "Partner Manager", None),
		("Needs Information", "Answer", "Pending Review", "Partner", None),
		("Needs Information", "Withdraw", "Withdrawn", "Partner", None),
		(
			"Pending Review",
			"Approve",
			"Awaiting Director",
			"Partner Manager",
			f"doc.expected_value > {BIG_DEAL}",
		),
		("Awaiting Director", "Approve", "Approved", "System Manager", None),
		("Awaiting Director", "Reject", "Rejected", "System Manager", None),
		# an admin's mistake: a partner transition into Approved. The lifecycle still refuses it.
		("Pending Review", "Self Approve", "Approved", "Partner", None),
	):
		wf.append(
			"transitions",
			{
				"state": state,
				"action": action,
				"next_state": next_state,
				"allowed": role,
				"condition": condition,
				"allow_self_approval": 1,
			},
		)
	wf.save()
	return made


class TestAdminWorkflow(PortalTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.original_workflow = frappe.get_doc("Workflow", "Deal Registration").as_dict()
		cls.manager = make_user(website_user=False, roles=("Partner Manager",)).name
		cls.extra_users.append(cls.manager)
		frappe.db.set_value("Partner", cls.partner_a, "partner_manager", cls.manager)
		cls.made += extend_workflow()
		frappe.db.commit()  # nosemgrep: the HTTP server thread reads committed data only

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		restore_workflow(cls.original_workflow)
		frappe.db.commit()  # nosemgrep: test tear-down
		super().tearDownClass()  # deletes cls.made, the vocabulary included

	def as_user(self, user, doc_name, action):
		frappe.set_user(user)
		try:
			return apply_workflow(frappe.get_doc("Deal Registration", doc_name), action)
		finally:
			frappe.set_user("Administrator")
			frappe.db.commit()  # nosemgrep: the HTTP server thread reads committed data only

	def actions_on_page(self, browser, name) -> dict[str, str]:
		page = browser.get(f"/partner/deals/{name}").text
		return dict(
			re.findall(
				r'name="workflow_action" value="([^"]+)">\s*<button[^>]*data-next-state="([^"]+)"', page
			)
		)

	def test_needs_information_and_a_second_approval_level(self):
		browser = self.browser(self.admin_a)
		response = browser.submit(
			"/partner/deals/new",
			self.form(expected_value="250000", amount_0="250000", workflow_action="Submit for Review"),
		)
		self.assertEqual(response.status_code, 303, response.text[-1500:])
		name = re.search(r"/partner/deals/([^?]+)", response.headers["Location"]).group(1)
		self.assertEqual(
			frappe.db.get_value("Deal Registration", name, ["workflow_state", "status"]),
			("Pending Review", "Pending Review"),
		)

		# the channel team asks for details, in the desk
		self.as_user(self.manager, name, "Ask for Information")
		doc = frappe.get_doc("Deal Registration", name)
		self.assertEqual((doc.workflow_state, doc.status), ("Needs Information", "Pending Review"))
		self.assertFalse(doc.protection_until)

		# the partner sees the state and exactly what the workflow grants it there
		page = browser.get(f"/partner/deals/{name}").text
		self.assertIn('data-state="Needs Information"', page)
		self.assertIn("badge-warning", page)
		self.assertEqual(
			self.actions_on_page(browser, name), {"Answer": "Pending Review", "Withdraw": "Withdrawn"}
		)
		self.assertIn(f'href="/partner/deals/{name}/edit"', page)

		# and answers: edits the registration and hands it back with the workflow's action
		form = browser.get(f"/partner/deals/{name}/edit")
		self.assertEqual(form.status_code, 200)
		self.assertIn('value="Answer"', form.text)
		answered = browser.submit(
			f"/partner/deals/{name}/edit",
			{
				**self.form(
					expected_value="250000", amount_0="250000", description="Budget approved by the CFO."
				),
				"action": "update",
				"workflow_action": "Answer",
			},
		)
		self.assertEqual(answered.status_code, 303, answered.text[-1500:])
		doc.reload()
		self.assertEqual((doc.workflow_state, doc.status), ("Pending Review", "Pending Review"))
		self.assertEqual(doc.description, "Budget approved by the CFO.")
		# once handed back, it is frozen again for the partner
		self.assertEqual(browser.get(f"/partner/deals/{name}/edit").status_code, 403)

		# the partner never approves, whatever the workflow says
		self.assertNotIn("Approve", self.actions_on_page(browser, name))
		self.assertEqual(
			browser.call("prm_app.api.deals.apply_action", name=name, action="Approve").status_code, 403
		)
		forged = browser.request(
			"PUT",
			f"/api/resource/Deal Registration/{name}",
			json={"workflow_state": "Approved", "status": "Approved"},
		)
		self.assertGreaterEqual(forged.status_code, 400)
		with self.assertRaises(SelfApprovalError):
			self.as_user(self.admin_a, name, "Self Approve")
		self.assertEqual(
			frappe.db.get_value("Deal Registration", name, ["workflow_state", "status"]),
			("Pending Review", "Pending Review"),
		)

		# a big deal goes to the director first: no decision, no protection yet
		self.as_user(self.manager, name, "Approve")
		doc.reload()
		self.assertEqual((doc.workflow_state, doc.status), ("Awaiting Director", "Pending Review"))
		self.assertFalse(doc.protection_until)
		self.assertEqual(self.actions_on_page(browser, name), {})
		self.as_user("Administrator", name, "Approve")
		doc.reload()
		self.assertEqual((doc.workflow_state, doc.status), ("Approved", "Approved"))
		self.assertEqual(getdate(doc.protection_until), getdate(add_days(today(), 120)))  # the tier's period
		self.assertEqual(doc.approver, "Administrator")

	def test_a_small_deal_is_approved_at_once(self):
		doc = make_registration(self.partner_a, expected_value=5000)
		workflow(doc, "Submit for Review")
		frappe.db.commit()  # nosemgrep
		self.as_user(self.manager, doc.name, "Approve")
		self.assertEqual(
			frappe.db.get_value("Deal Registration", doc.name, ["workflow_state", "status"]),
			("Approved", "Approved"),
		)
		self.assertTrue(frappe.db.get_value("Deal Registration", doc.name, "protection_until"))

	def test_transitions_helper_follows_roles_and_conditions(self):
		doc = make_registration(self.partner_a, expected_value=BIG_DEAL + 1)
		workflow(doc, "Submit for Review")
		doc = frappe.get_doc("Deal Registration", doc.name)
		frappe.set_user(self.manager)
		try:
			mine = {t.action: t.next_state for t in workflows.transitions(doc)}
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(mine["Approve"], "Awaiting Director")
		self.assertIn("Ask for Information", mine)
		frappe.set_user(self.admin_a)
		try:
			theirs = {
				t.action: t
				for t in workflows.transitions(doc, closing_statuses=("Withdrawn",), statuses=("Withdrawn",))
			}
		finally:
			frappe.set_user("Administrator")
		self.assertNotIn("Approve", theirs)
		self.assertTrue(theirs["Withdraw"].ends)
		self.assertEqual(workflows.lifecycle_of("Deal Registration", "Needs Information"), None)
		self.assertEqual(workflows.state_for("Deal Registration", "Won"), "Won")

	def test_migrate_keeps_the_admins_changes(self):
		from prm_app.install import after_migrate

		after_migrate()
		states = {row.state for row in frappe.get_doc("Workflow", "Deal Registration").states}
		self.assertLessEqual(set(NEW_STATES), states)


def restore_workflow(original: dict):
	wf = frappe.get_doc("Workflow", "Deal Registration")
	wf.set("states", [])
	wf.set("transitions", [])
	for row in original["states"]:
		wf.append(
			"states", {k: v for k, v in row.items() if k not in ("name", "parent", "creation", "modified")}
		)
	for row in original["transitions"]:
		wf.append(
			"transitions",
			{k: v for k, v in row.items() if k not in ("name", "parent", "creation", "modified")},
		)
	wf.workflow_state_field = original["workflow_state_field"]
	wf.save()


class TestReviewLevers(PortalTestCase):
	"""The shipped Assignment Rule and the review-overdue Notification, as data an admin edits."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.managers = [make_user(website_user=False, roles=("Partner Manager",)).name for _n in range(3)]
		cls.territory = frappe.get_doc(
			{
				"doctype": "Territory",
				"territory_name": unique("PRM Review Land"),
				"parent_territory": frappe.db.get_value("Territory", {"is_group": 1}, "name"),
			}
		).insert()
		cls.made.append(("Territory", cls.territory.name))
		# two managers look after partners of the territory; the third does not
		cls.managed = [
			make_partner(status="Active", territory=cls.territory.name, partner_manager=manager).name
			for manager in cls.managers[:2]
		]
		cls.unmanaged = make_partner(status="Active", territory=cls.territory.name).name
		frappe.db.commit()  # nosemgrep

	@classmethod
	def tearDownClass(cls):
		delete_everything_of(users=cls.managers, partners=[*cls.managed, cls.unmanaged], since=cls.started)
		super().tearDownClass()

	def assignees(self, name) -> set[str]:
		return set(
			frappe.get_all(
				"ToDo",
				filters={"reference_type": "Deal Registration", "reference_name": name, "status": "Open"},
				pluck="allocated_to",
			)
		)

	def test_submission_is_assigned_to_the_partners_manager(self):
		frappe.db.set_value("Partner", self.partner_a, "partner_manager", self.managers[2])
		doc = make_registration(self.partner_a)
		workflow(doc, "Submit for Review")
		self.assertEqual(self.assignees(doc.name), {self.managers[2]})
		workflow(frappe.get_doc("Deal Registration", doc.name), "Approve")
		self.assertEqual(self.assignees(doc.name), set(), "closed on decision")

	def test_without_a_manager_the_territorys_managers_take_turns(self):
		first = make_registration(self.unmanaged)
		workflow(first, "Submit for Review")
		second = make_registration(self.unmanaged)
		workflow(second, "Submit for Review")
		one, two = self.assignees(first.name), self.assignees(second.name)
		self.assertEqual(len(one), 1)
		self.assertEqual(len(two), 1)
		self.assertNotEqual(one, two)
		self.assertLessEqual(one | two, set(self.managers[:2]))

	def test_overdue_review_notification_fires(self):
		from frappe.email.doctype.notification.notification import trigger_daily_alerts

		frappe.db.set_value("Partner", self.partner_a, "partner_manager", self.managers[2])
		doc = make_registration(self.partner_a, company_name=unique("Slow Review Ltd"))
		workflow(doc, "Submit for Review")
		frappe.db.set_value("Deal Registration", doc.name, "review_due_on", today())
		before = frappe.db.count("Email Queue")
		trigger_daily_alerts()
		queued = frappe.get_all(
			"Email Queue",
			filters={"creation": (">=", frappe.db.get_value("Deal Registration", doc.name, "creation"))},
			pluck="name",
		)
		self.assertGreater(frappe.db.count("Email Queue"), before)
		recipients = set(
			frappe.get_all("Email Queue Recipient", filters={"parent": ("in", queued)}, pluck="recipient")
		)
		self.assertIn(self.managers[2], recipients)
		messages = " ".join(
			email_text(m)
			for m in frappe.get_all("Email Queue", filters={"name": ("in", queued)}, pluck="message")
		)
		self.assertIn(doc.name, messages)

	def test_the_levers_are_data(self):
		rule = frappe.get_doc("Assignment Rule", "Deal Registration Review")
		self.assertEqual((rule.rule, rule.field), ("Based on Field", "reviewer"))
		notification = frappe.get_doc("Notification", "Deal Registration Review Overdue")
		self.assertEqual((notification.event, notification.date_changed), ("Days After", "review_due_on"))
		days = frappe.db.get_single_value("PRM Settings", "review_days")
		doc = make_registration(self.partner_a)
		workflow(doc, "Submit for Review")
		due = frappe.db.get_value("Deal Registration", doc.name, "review_due_on")
		self.assertEqual(getdate(due), getdate(add_days(today(), days)))


class TestWorkflowPatch(PortalTestCase):
	def test_existing_registrations_move_to_workflow_state(self):
		from prm_app.patches.v0_2 import separate_workflow_state

		doc = make_registration(self.partner_a)
		workflow(doc, "Submit for Review")
		frappe.db.savepoint("old_site")
		try:
			# the site as the previous version left it
			frappe.db.set_value("Deal Registration", doc.name, "workflow_state", None, update_modified=False)
			frappe.db.set_value("Workflow", "Deal Registration", "workflow_state_field", "status")
			table = frappe.qb.DocType("Workflow Document State")
			frappe.qb.update(table).set(table.update_field, None).set(table.update_value, None).where(
				table.parent == "Deal Registration"
			).run()
			frappe.clear_document_cache("Workflow", "Deal Registration")
			separate_workflow_state.execute()
			self.assertEqual(
				frappe.db.get_value("Deal Registration", doc.name, "workflow_state"), "Pending Review"
			)
			wf = frappe.get_doc("Workflow", "Deal Registration")
			self.assertEqual(wf.workflow_state_field, "workflow_state")
			self.assertEqual({row.state: row.update_value for row in wf.states}["Approved"], "Approved")
		finally:
			frappe.db.rollback(save_point="old_site")
			frappe.clear_document_cache("Workflow", "Deal Registration")
