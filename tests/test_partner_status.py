import pytest

from prm_app.engine import partner_status as ps


@pytest.mark.parametrize(
	"old,new",
	[
		("Prospect", "Onboarding"),
		("Prospect", "Active"),
		("Onboarding", "Active"),
		("Onboarding", "Prospect"),
		("Active", "Suspended"),
		("Suspended", "Active"),
		("Active", "Terminated"),
		("Suspended", "Terminated"),
		("Terminated", "Prospect"),
		("Active", "Active"),
	],
)
def test_allowed(old, new):
	assert ps.can_transition(old, new)


@pytest.mark.parametrize(
	"old,new",
	[
		("Prospect", "Suspended"),
		("Onboarding", "Suspended"),
		("Active", "Onboarding"),
		("Active", "Prospect"),
		("Suspended", "Onboarding"),
		("Terminated", "Active"),
		("Terminated", "Suspended"),
		("Active", "Retired"),
	],
)
def test_refused(old, new):
	assert not ps.can_transition(old, new)


def test_new_partner_may_start_anywhere_known():
	for status in ps.STATUSES:
		assert ps.can_transition(None, status)
	assert not ps.can_transition(None, "Whatever")


def test_every_status_has_a_way_forward_and_allowed_next_is_ordered():
	for status in ps.STATUSES:
		nexts = ps.allowed_next(status)
		assert nexts, status
		assert list(nexts) == [s for s in ps.STATUSES if s in nexts]
		assert status not in nexts
