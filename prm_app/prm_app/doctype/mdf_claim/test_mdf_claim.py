# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

"""An MDF claim as a partner files it: its own approved requests only, its proof of performance
(type, size, content, private, frozen once submitted), and what only the channel team does."""

import frappe

from prm_app.exceptions import MDFStateError, ProofOfPerformanceError
from prm_app.integrations import proof_files
from prm_app.tests.mdf_setup import MDFTestCase
from prm_app.tests.utils import (
	MDF_TEST_IGNORE,
	PDF_PROOF,
	approve_mdf_request,
	make_mdf_budget,
	make_mdf_claim,
	make_mdf_request,
	workflow,
)

test_ignore = MDF_TEST_IGNORE


class TestMDFClaim(MDFTestCase):
	def setUp(self):
		super().setUp()
		self.request = approve_mdf_request(
			make_mdf_request(self.partner_a.name, self.budget, 1000, 4000).name
		).name

	def test_only_own_approved_requests(self):
		pending = make_mdf_request(self.partner_a.name, self.budget, 100, 400).name
		with self.assertRaises(MDFStateError):
			make_mdf_claim(pending)
		other = approve_mdf_request(
			make_mdf_request(
				self.partner_b.name, make_mdf_budget(self.partner_b.name, 900).name, 100, 400
			).name
		).name
		frappe.set_user(self.user_a)
		with self.assertRaises(frappe.PermissionError):
			make_mdf_claim(other, claimed=50, actual_cost=100, proof=False)
		# a claim naming another partner: refused (Frappe 16 checks the create permission on it), or
		# made for the request's partner whatever was sent (Frappe 15 checks it later)
		try:
			claim = make_mdf_claim(
				self.request, claimed=100, actual_cost=400, proof=False, partner=self.partner_b.name
			)
		except frappe.PermissionError:
			claim = None
		if claim:
			self.assertEqual(claim.partner, self.partner_a.name)
		self.assertFalse(frappe.db.exists("MDF Claim", {"partner": self.partner_b.name}))

	def test_proof_files_follow_the_rules(self):
		frappe.set_user(self.user_a)
		claim = make_mdf_claim(self.request, claimed=100, actual_cost=400, proof=False)
		for name, content in (
			("notes.exe", b"MZ..."),
			("invoice.pdf", b"not a pdf at all"),
			("photo.png", PDF_PROOF),
			("empty.pdf", b""),
			("big.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 10)),
		):
			frappe.db.set_single_value("PRM Settings", "mdf_max_file_mb", 1)
			with self.assertRaises(ProofOfPerformanceError, msg=name):
				proof_files.attach(claim, name, content)
		# Frappe's generic paths are not a way around the rules
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "File",
					"file_name": "x.pdf",
					"attached_to_doctype": "MDF Claim",
					"attached_to_name": claim.name,
					"content": PDF_PROOF,
				}
			).insert()
		file = proof_files.attach(claim, "invoice.pdf", PDF_PROOF)
		self.assertTrue(file.is_private and file.file_url.startswith("/private/files/"))
		file.is_private = 0
		with self.assertRaises(ProofOfPerformanceError):
			file.save()
		workflow(frappe.get_doc("MDF Claim", claim.name), "Submit for Review")
		with self.assertRaises(ProofOfPerformanceError):
			frappe.delete_doc("File", file.name)
		with self.assertRaises(ProofOfPerformanceError):
			proof_files.attach(frappe.get_doc("MDF Claim", claim.name), "more.pdf", PDF_PROOF)

	def test_the_channel_team_decides_and_cancels(self):
		claim = make_mdf_claim(self.request, claimed=300, actual_cost=900)
		frappe.set_user(self.user_a)
		workflow(frappe.get_doc("MDF Claim", claim.name), "Submit for Review")
		doc = frappe.get_doc("MDF Claim", claim.name)
		doc.approved_amount = 300
		doc.save()
		self.assertFalse(frappe.db.get_value("MDF Claim", claim.name, "approved_amount"))
		with self.assertRaises(frappe.PermissionError):  # no submit right
			frappe.get_doc("MDF Claim", claim.name).submit()
		frappe.set_user("Administrator")
		workflow(frappe.get_doc("MDF Claim", claim.name), "Approve")
		frappe.set_user(self.user_a)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("MDF Claim", claim.name).cancel()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("MDF Claim", claim.name, "docstatus"), 1)
