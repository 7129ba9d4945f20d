"""Partner lifecycle: which status changes make sense.

A partner is recruited (Prospect), onboarded (Onboarding), trades (Active), may be paused
(Suspended) and may leave the programme (Terminated). A terminated partner can only come back
through a fresh application, so the one way out of Terminated is back to Prospect.
"""

PROSPECT = "Prospect"
ONBOARDING = "Onboarding"
ACTIVE = "Active"
SUSPENDED = "Suspended"
TERMINATED = "Terminated"

STATUSES: tuple[str, ...] = (PROSPECT, ONBOARDING, ACTIVE, SUSPENDED, TERMINATED)

TRANSITIONS: dict[str, frozenset[str]] = {
	PROSPECT: frozenset({ONBOARDING, ACTIVE, TERMINATED}),
	ONBOARDING: frozenset({PROSPECT, ACTIVE, TERMINATED}),
	ACTIVE: frozenset({SUSPENDED, TERMINATED}),
	SUSPENDED: frozenset({ACTIVE, TERMINATED}),
	TERMINATED: frozenset({PROSPECT}),
}


def is_known(status: str | None) -> bool:
	return status in TRANSITIONS


def can_transition(old: str | None, new: str) -> bool:
	"""True when a partner may move from ``old`` to ``new``.

	``old`` is None for a partner that does not exist yet: it may start in any status, because
	channel teams import partners that are already trading. Staying in the same status is allowed.
	"""
	if not is_known(new):
		return False
	if old is None or old == new:
		return True
	return new in TRANSITIONS.get(old, frozenset())


def allowed_next(old: str) -> tuple[str, ...]:
	"""The statuses reachable from ``old``, in lifecycle order (for messages and UI)."""
	nexts = TRANSITIONS.get(old, frozenset())
	return tuple(s for s in STATUSES if s in nexts)
