# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from prm_app.exceptions import IncentiveRuleError
from prm_app.tests.utils import MDF_TEST_IGNORE, unique

test_ignore = MDF_TEST_IGNORE


def rule(**kw):
	values = {
		"doctype": "Incentive Rule",
		"rule_name": unique("Rule"),
		"item_group": "Products",
		"percent": 2,
	}
	values.update(kw)
	return frappe.get_doc(values)


class TestIncentiveRule(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_a_rule_needs_a_sensible_reward(self):
		for values in (
			{"percent": 0, "amount_per_unit": 0},
			{"percent": 101},
			{"percent": -1},
			{"percent": 0, "amount_per_unit": -5},
			{"percent": 0, "amount_per_unit": 5, "item_group": None},
			{"valid_from": "2026-05-01", "valid_to": "2026-04-30"},
		):
			with self.assertRaises(IncentiveRuleError, msg=values):
				rule(**values).insert()

	def test_a_spiff_for_a_date_range(self):
		doc = rule(
			rule_type="SPIFF", percent=0, amount_per_unit=10, valid_from="2026-05-01", valid_to="2026-05-31"
		)
		doc.insert()
		self.assertTrue(frappe.db.exists("Incentive Rule", doc.name))
