"""A demo partner programme on a site with ERPNext set up (``bench --site SITE prm-demo``), and its
removal (``prm-demo --remove``).

``build`` runs the steps of ``STEPS`` in order, each a function of one capability that runs when
its doctype exists (training, lead distribution and MDF add their part once installed). Every
record a step makes, directly or through the app's and ERPNext's own rules (a partner's Sales
Partner and Customer, a registration's Opportunity and Lead, a conflict case), is listed in
``PRM Demo Record``; ``remove`` takes exactly those away, newest first, cancelling submitted
documents before deleting them, and the ledger entries, links and traces they left. Records that
were on the site before (a tier or territory of the same name, a fiscal year) are reused and left.
"""

import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, now_datetime, today

from prm_app.constants import PRM_DEMO_RECORD
from prm_app.exceptions import DemoError

SIZES = {
	# partners, end customers per selling partner, yearly revenue through partners, invoices cap
	"full": {"partners": 50, "customers": 3, "revenue": 6_000_000, "max_invoices": 10, "deal_partners": 18},
	"small": {"partners": 6, "customers": 2, "revenue": 400_000, "max_invoices": 3, "deal_partners": 5},
}


@dataclass
class Demo:
	"""What the steps share: the size, a seeded random source, the company, what was made."""

	size: dict
	echo: Callable = print
	commit: bool = True
	password: str = ""
	seed: int = 2026
	started: object = None
	company: str = ""
	currency: str = ""
	rng: random.Random = field(default_factory=random.Random)
	step: str = ""
	partners: list = field(default_factory=list)  # frappe._dict per partner (name, status, user, ...)
	managers: list = field(default_factory=list)
	items: list = field(default_factory=list)
	customers: dict = field(default_factory=dict)  # partner -> [customer]
	tiers: dict = field(default_factory=dict)  # tier name -> record name
	made: int = 0
	recorded: set = field(default_factory=set)

	def record(self, doctype: str, name) -> None:
		"""List a record the demo made (for ``remove``)."""
		if not name or (doctype, str(name)) in self.recorded:
			return
		self.recorded.add((doctype, str(name)))
		frappe.get_doc(
			{
				"doctype": PRM_DEMO_RECORD,
				"reference_doctype": doctype,
				"reference_name": str(name),
				"step": self.step,
			}
		).insert(ignore_permissions=True)
		self.made += 1

	def record_if_new(self, doctype: str, name) -> None:
		"""List a record that the app or ERPNext made on the demo's behalf, if it is new."""
		if name and frappe.db.exists(doctype, name):
			created = frappe.db.get_value(doctype, name, "creation")
			if created and get_datetime(created) >= self.started:
				self.record(doctype, name)

	def drop_mail(self) -> None:
		"""The notifications the demo's own actions queued for its own users (reviews assigned to
		the demo managers, workflow mails): dropped before they are committed, never sent."""
		users = {name for doctype, name in self.recorded if doctype == "User"}
		queue = frappe.qb.DocType("Email Queue")
		for name in (
			frappe.qb.from_(queue).select(queue.name).where(queue.creation >= self.started).run(pluck=True)
		):
			recipients = set(
				frappe.get_all("Email Queue Recipient", filters={"parent": name}, pluck="recipient")
			)
			if recipients and recipients <= users:
				frappe.db.delete("Email Queue Recipient", {"parent": name})
				frappe.db.delete("Email Queue", {"name": name})

	def save_point(self) -> None:
		if self.commit:
			frappe.db.commit()  # nosemgrep: bench command, progress survives an interruption


def is_built() -> bool:
	return bool(frappe.db.count(PRM_DEMO_RECORD))


def steps() -> list[tuple[str, str | None, Callable]]:
	"""(step, doctype it needs or None, function(demo)) in the order they run."""
	from prm_app.demo import later, programme, registrations, sales

	return [
		("programme", None, programme.build),
		("catalogue", None, programme.catalogue),
		("sales", None, sales.build),
		("registrations", None, registrations.build),
		("engagement", None, registrations.engagement),
		("training", "Training Module", later.certifications),
		("leads", "Lead Offer", later.lead_offers),
		("mdf", "MDF Request", later.mdf),
		("health", None, programme.health),
	]


def build(
	size: str = "full", password: str | None = None, echo=print, commit: bool = True, seed: int = 2026
) -> Demo:
	if size not in SIZES:
		frappe.throw(_("Choose a size: {0}.").format(", ".join(SIZES)), DemoError, title=_("Invalid Size"))
	if is_built():
		frappe.throw(
			_("The demo programme is already on this site. Remove it first (prm-demo --remove)."),
			DemoError,
			title=_("Demo Already Built"),
		)
	company = frappe.defaults.get_user_default("Company") or frappe.db.get_single_value(
		"Global Defaults", "default_company"
	)
	if not company or not frappe.db.exists("Company", company):
		frappe.throw(
			_("Set ERPNext up first (a company, a fiscal year): the demo sells through it."),
			DemoError,
			title=_("ERPNext Not Set Up"),
		)
	frappe.set_user("Administrator")
	demo = Demo(
		size=SIZES[size],
		echo=echo,
		commit=commit,
		password=password or f"Prm-{secrets.token_urlsafe(9)}",
		seed=seed,
		started=now_datetime().replace(microsecond=0),
		company=company,
		currency=frappe.get_cached_value("Company", company, "default_currency"),
		rng=random.Random(seed),
	)
	# the demo writes its own dated history; nothing it does is mailed to anyone
	muted = frappe.flags.mute_emails
	frappe.flags.mute_emails = True
	try:
		for name, doctype, run in steps():
			if doctype and not frappe.db.exists("DocType", doctype):
				continue
			demo.step = name
			started = time.monotonic()
			run(demo)
			demo.drop_mail()
			demo.save_point()
			echo(
				_("{0}: done in {1} s ({2} records so far)").format(
					name, round(time.monotonic() - started, 1), demo.made
				)
			)
	finally:
		frappe.flags.mute_emails = muted
	return demo


# -- removal ------------------------------------------------------------------------------------

VOUCHER_LEDGERS = ("GL Entry", "Payment Ledger Entry", "Stock Ledger Entry")


class Eraser:
	"""Deletes records for good, with what hangs off them (their to-dos, workflow actions, the
	contacts made for them, their ledger entries) and Frappe's traces of the deletion."""

	def __init__(self):
		# Frappe's "Deleted" comments are told apart by time: a name can repeat (an older record of
		# the same name deleted before the demo keeps its comment)
		self.started = frappe.utils.now()
		self.subjects: list[str] = []
		self.users: list[str] = []
		self.counts: dict[str, int] = {}

	def erase(self, doctype: str, name: str, count: bool = True) -> None:
		from frappe.model.delete_doc import delete_dynamic_links

		if not frappe.db.exists(doctype, name):
			return
		for dependent_doctype, dependent in self.dependents(doctype, name):
			self.erase(dependent_doctype, dependent, count=False)
		doc = frappe.get_doc(doctype, name)
		if doc.docstatus == 1:
			doc.flags.ignore_permissions = True
			doc.cancel()
		if doctype == "Program Tier":
			frappe.db.delete(doctype, {"name": name})  # its controller guards the default tier; this is ours
		else:
			self.delete(doc)
		delete_dynamic_links(doctype, name)
		if (
			doctype == "Campaign"
			and frappe.db.exists("DocType", "UTM Campaign")
			and frappe.get_meta("UTM Campaign").has_field("crm_campaign")
		):
			# ERPNext 16 mirrors each Campaign as a UTM Campaign (kept in step on every change)
			for utm in frappe.get_all("UTM Campaign", filters={"crm_campaign": name}, pluck="name"):
				self.erase("UTM Campaign", utm, count=False)
		for ledger in VOUCHER_LEDGERS:
			frappe.db.delete(ledger, {"voucher_type": doctype, "voucher_no": name})
		if doctype == "Item":
			frappe.db.delete("Bin", {"item_code": name})
		if doctype == "User":
			self.users.append(name)
		self.subjects.append(f"{_(doctype)} {name}")
		if count:
			self.counts[doctype] = self.counts.get(doctype, 0) + 1

	def delete(self, doc) -> None:
		"""``frappe.delete_doc``, which after deleting queues a clean-up of the record's links: on a
		bench whose job queue is full (no workers running) that queueing is refused, after the record
		is gone; the clean-up is run here anyway (``delete_dynamic_links``), and so is the rest of the
		deletion's tail (global search, tags)."""
		from frappe.desk.doctype.tag.tag import delete_tags_for_document
		from frappe.utils.global_search import delete_for_document

		try:
			frappe.delete_doc(
				doc.doctype, doc.name, force=True, ignore_permissions=True, delete_permanently=True
			)
		except frappe.QueueOverloaded:
			frappe.clear_messages()
			delete_for_document(doc)
			delete_tags_for_document(doc)

	def dependents(self, doctype: str, name: str) -> list[tuple[str, str]]:
		found = [
			("ToDo", todo)
			for todo in frappe.get_all(
				"ToDo", filters={"reference_type": doctype, "reference_name": name}, pluck="name"
			)
		]
		found += [
			("Workflow Action", action)
			for action in frappe.get_all(
				"Workflow Action",
				filters={"reference_doctype": doctype, "reference_name": name},
				pluck="name",
			)
		]
		# the e-mails the programme's notifications queued about it (an offered lead, a decision)
		for mail_doctype, type_field in (
			("Communication", "reference_doctype"),
			("Email Queue", "reference_doctype"),
		):
			found += [
				(mail_doctype, mail)
				for mail in frappe.get_all(
					mail_doctype, filters={type_field: doctype, "reference_name": name}, pluck="name"
				)
			]
		if doctype == "Lead":  # its distribution history
			found += [
				("Lead Assignment Log", log)
				for log in frappe.get_all("Lead Assignment Log", filters={"lead": name}, pluck="name")
			]
		if doctype == "User":
			found += [
				("Contact", contact)
				for contact in frappe.get_all("Contact", filters={"user": name}, pluck="name")
			]
			found.append(("Notification Settings", name))
		# contacts and addresses made for this record alone (a Lead's contact)
		link = frappe.qb.DocType("Dynamic Link")
		for parenttype in ("Contact", "Address"):
			for parent in (
				frappe.qb.from_(link)
				.select(link.parent)
				.where(
					(link.parenttype == parenttype)
					& (link.link_doctype == doctype)
					& (link.link_name == name)
				)
			).run(pluck=True):
				if frappe.db.count("Dynamic Link", {"parenttype": parenttype, "parent": parent}) == 1:
					found.append((parenttype, parent))
		return found

	def traces(self) -> None:
		"""The "Deleted" timeline comments and the deleted users' own logs."""
		for chunk in (self.subjects[i : i + 500] for i in range(0, len(self.subjects), 500)):
			frappe.db.delete(
				"Comment",
				{"comment_type": "Deleted", "subject": ("in", chunk), "creation": (">=", self.started)},
			)
		if self.users:
			for doctype, fieldname in (
				("Activity Log", "user"),
				("Access Log", "user"),
				("Sessions", "user"),
				("Route History", "user"),
				("DefaultValue", "parent"),
			):
				frappe.db.delete(doctype, {fieldname: ("in", self.users)})
			if frappe.db.exists("DocType", "Permission Log"):  # Frappe 16 logs the users' role changes
				frappe.db.delete(
					"Permission Log", {"for_doctype": "User", "for_document": ("in", self.users)}
				)


def remove(echo=print, commit: bool = True) -> dict[str, int]:
	"""Take away every record of ``PRM Demo Record``, newest first; returns counts per doctype."""
	frappe.set_user("Administrator")
	record = frappe.qb.DocType(PRM_DEMO_RECORD)
	rows = (
		frappe.qb.from_(record)
		.select(record.name, record.reference_doctype, record.reference_name)
		.orderby(record.name, order=frappe.qb.desc)  # autoincrement: newest first
	).run(as_dict=True)
	eraser = Eraser()
	muted = frappe.flags.mute_emails
	frappe.flags.mute_emails = True
	try:
		for index, row in enumerate(rows, start=1):
			eraser.erase(row.reference_doctype, row.reference_name)
			frappe.db.delete(PRM_DEMO_RECORD, {"name": row.name})
			if index % 100 == 0:
				echo(_("removed {0} of {1}").format(index, len(rows)))
				if commit:
					frappe.db.commit()  # nosemgrep: bench command
		eraser.traces()
	finally:
		frappe.flags.mute_emails = muted
	if commit:
		frappe.db.commit()  # nosemgrep: bench command
	return eraser.counts


def sign_in_hint() -> str | None:
	"""The first demo partner user, to sign in as."""
	record = frappe.qb.DocType(PRM_DEMO_RECORD)
	rows = (
		frappe.qb.from_(record)
		.select(record.reference_name)
		.where((record.reference_doctype == "User") & (record.step == "programme"))
		.orderby(record.name)
	).run(pluck=True)
	for user in rows:
		if frappe.db.exists("Partner User", {"user": user, "role": "Partner Admin"}):
			return user
	return None


def days_ago(days: int):
	from frappe.utils import add_days

	return getdate(add_days(today(), -days))
