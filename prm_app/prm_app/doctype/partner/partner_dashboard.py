"""The Partner form's Connections: what the partner registered and what ERPNext holds for it."""

from frappe import _


def get_data():
	return {
		"fieldname": "partner",
		"non_standard_fieldnames": {
			"Customer": "prm_partner",
			"Lead": "prm_partner",
			"Opportunity": "prm_partner",
			"Quotation": "prm_partner",
			"Sales Order": "prm_partner",
			"Sales Invoice": "prm_partner",
		},
		"transactions": [
			{"label": _("Programme"), "items": ["Deal Registration", "Partner Invitation"]},
			{
				"label": _("Training"),
				"items": ["Partner Certification", "Training Attempt", "Partner Tier Change"],
			},
			{"label": _("Pipeline"), "items": ["Lead", "Opportunity", "Quotation"]},
			{"label": _("Sales"), "items": ["Sales Order", "Sales Invoice", "Customer"]},
		],
	}
