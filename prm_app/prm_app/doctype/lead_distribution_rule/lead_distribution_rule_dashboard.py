from frappe import _


def get_data():
	return {
		"fieldname": "rule",
		"transactions": [{"label": _("Leads"), "items": ["Lead Offer", "Lead Assignment Log"]}],
	}
