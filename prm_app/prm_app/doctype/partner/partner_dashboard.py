"""The Partner form's Connections: every record of the programme that names the partner, and what
ERPNext holds for it (``test_desk_summaries`` checks that each partner-owned doctype is here)."""

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
				"label": _("Recruitment"),
				"items": ["Partner Application", "Partner Agreement Acceptance"],
			},
			{
				"label": _("Training"),
				"items": ["Partner Certification", "Training Attempt", "Partner Tier Change"],
			},
			{"label": _("Leads"), "items": ["Lead Offer", "Lead Assignment Log"]},
			{"label": _("Planning"), "items": ["Partner Business Plan", "Partner Asset Download"]},
			{"label": _("MDF"), "items": ["MDF Budget", "MDF Request", "MDF Claim"]},
			{"label": _("Rebates"), "items": ["Rebate Accrual", "Rebate Settlement"]},
			{"label": _("Insights"), "items": ["Partner Engagement Event", "Partner Sales Month"]},
			{"label": _("Pipeline"), "items": ["Lead", "Opportunity", "Quotation"]},
			{"label": _("Sales"), "items": ["Sales Order", "Sales Invoice", "Customer"]},
		],
	}
