"""Names the whole app shares: doctypes, roles and the lifecycle statuses the code relies on.

Plain values only (no imports), so every layer may use them. Workflow states and actions are not
here: they are data an admin edits (see ``prm_app.portal.workflow``).
"""

# -- doctypes
PARTNER = "Partner"
PARTNER_USER = "Partner User"
DEAL_REGISTRATION = "Deal Registration"
CHANNEL_CONFLICT_DOCTYPE = "Channel Conflict"
PARTNER_INVITATION = "Partner Invitation"

# -- roles
SYSTEM_MANAGER = "System Manager"
PARTNER_MANAGER = "Partner Manager"
PARTNER_ROLE = "Partner"
PARTNER_ADMIN = "Partner Admin"
PARTNER_ROLES = frozenset({PARTNER_ROLE, PARTNER_ADMIN})
PRIVILEGED_ROLES = frozenset({SYSTEM_MANAGER, PARTNER_MANAGER})

# a member's role in its partner's team (Partner User.role)
TEAM_USER = "Partner User"
TEAM_ADMIN = "Partner Admin"
TEAM_ROLES = (TEAM_USER, TEAM_ADMIN)

# -- deal registration lifecycle (the app's own ``status``; the admin's workflow has its own states)
DRAFT = "Draft"
PENDING = "Pending Review"
APPROVED = "Approved"
REJECTED = "Rejected"
WON = "Won"
LOST = "Lost"
EXPIRED = "Expired"
WITHDRAWN = "Withdrawn"
REGISTRATION_STATUSES = (DRAFT, PENDING, APPROVED, REJECTED, WON, LOST, EXPIRED, WITHDRAWN)
DECISIONS = (APPROVED, REJECTED)
CLOSED_STATUSES = (REJECTED, WON, LOST, EXPIRED, WITHDRAWN)
OPEN_STATUSES = (DRAFT, PENDING, APPROVED)
ACTIVE_STATUSES = (PENDING, APPROVED)  # registrations that hold (or claim) the customer

# -- conflict check outcome
CLEAR = "Clear"
POSSIBLE_CONFLICT = "Possible Conflict"
CONFLICT = "Conflict"
UNDER_REVIEW = (POSSIBLE_CONFLICT, CONFLICT)

# -- channel conflict case
CASE_OPEN = "Open"
CASE_RESOLVED = "Resolved"

# -- training, certification and the tier engine
TRAINING_MODULE = "Training Module"
TRAINING_ATTEMPT = "Training Attempt"
PARTNER_CERTIFICATION = "Partner Certification"
PARTNER_TIER_CHANGE = "Partner Tier Change"
PROGRAM_TIER = "Program Tier"
# a training attempt's outcome
ATTEMPT_PASSED = "Passed"
ATTEMPT_FAILED = "Failed"
# a certification's status
CERT_ACTIVE = "Active"
CERT_EXPIRED = "Expired"
CERT_REVOKED = "Revoked"
CERTIFICATION_STATUSES = (CERT_ACTIVE, CERT_EXPIRED, CERT_REVOKED)
# a tier change's kind (the engine's PROMOTED / DEMOTED / ASSIGNED, and a change made in the desk)
TIER_SET_BY_HAND = "Set by Hand"
