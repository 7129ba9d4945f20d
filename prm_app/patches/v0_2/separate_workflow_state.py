"""Deal Registration's workflow moves from the lifecycle ``status`` to its own ``workflow_state``.

- each registration's ``workflow_state`` starts as its status (the shipped states share the names);
- the existing "Deal Registration" workflow (an admin may have changed it) gets
  ``workflow_state`` as its state field, and each state named like a lifecycle status sets that
  status (Update Field / Update Value), unless the admin gave it another update already.
"""

import frappe

from prm_app.constants import REGISTRATION_STATUSES

DOCTYPE = "Deal Registration"


def execute():
	table = frappe.qb.DocType(DOCTYPE)
	frappe.qb.update(table).set(table.workflow_state, table.status).where(
		table.workflow_state.isnull() | (table.workflow_state == "")
	).run()

	for name in frappe.get_all("Workflow", filters={"document_type": DOCTYPE}, pluck="name"):
		workflow = frappe.get_doc("Workflow", name)
		if workflow.workflow_state_field != "status":
			continue
		workflow.workflow_state_field = "workflow_state"
		for state in workflow.states:
			if not state.update_field and state.state in REGISTRATION_STATUSES:
				state.update_field = "status"
				state.update_value = state.state
		workflow.flags.ignore_permissions = True
		workflow.save()
