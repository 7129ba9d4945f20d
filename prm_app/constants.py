"""Names the whole app shares: doctypes, roles and the lifecycle statuses the code relies on.

Plain values only (no imports), so every layer may use them. Workflow states and actions are not
here: they are data an admin edits (see ``prm_app.portal.workflow``).
"""

# -- doctypes
PARTNER = "Partner"
PARTNER_USER = "Partner User"
DEAL_REGISTRATION = "Deal Registration"
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

# -- MDF and incentives (MDF Budget, MDF Request, MDF Claim, rebates)
MDF_BUDGET = "MDF Budget"
MDF_REQUEST = "MDF Request"
MDF_CLAIM = "MDF Claim"
MDF_ACTIVITY_TYPE = "MDF Activity Type"
REBATE_ACCRUAL = "Rebate Accrual"
REBATE_SETTLEMENT = "Rebate Settlement"
INCENTIVE_RULE = "Incentive Rule"
# a request's and a claim's lifecycle (``status``; the admin's workflows have their own states)
MDF_SUBMITTED = "Submitted"
MDF_CLOSED = "Closed"
MDF_CANCELLED = "Cancelled"
MDF_REQUEST_STATUSES = (DRAFT, MDF_SUBMITTED, APPROVED, REJECTED, WITHDRAWN, MDF_CLOSED)
MDF_CLAIM_STATUSES = (DRAFT, MDF_SUBMITTED, APPROVED, REJECTED, WITHDRAWN, MDF_CANCELLED)
MDF_ENDED_STATUSES = (REJECTED, WITHDRAWN, MDF_CLOSED, MDF_CANCELLED)
BUDGET_OPEN = "Open"
BUDGET_CLOSED = "Closed"
