# Copyright (c) 2026, prm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class TrainingModulePrerequisite(Document):
	pass
