from frappe import _


def get_data():
	return {
		"fieldname": "asset",
		"transactions": [{"label": _("Engagement"), "items": ["Partner Asset Download"]}],
	}
