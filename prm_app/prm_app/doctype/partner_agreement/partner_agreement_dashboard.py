from frappe import _


def get_data():
	return {
		"fieldname": "agreement",
		"transactions": [{"label": _("Acceptances"), "items": ["Partner Agreement Acceptance"]}],
	}
