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
# -- growth: recruitment, the programme agreement, lead distribution, business plans, assets
PARTNER_APPLICATION = "Partner Application"
PARTNER_AGREEMENT = "Partner Agreement"
AGREEMENT_ACCEPTANCE = "Partner Agreement Acceptance"
LEAD_OFFER = "Lead Offer"
LEAD_ASSIGNMENT_LOG = "Lead Assignment Log"
LEAD_DISTRIBUTION_RULE = "Lead Distribution Rule"
BUSINESS_PLAN = "Partner Business Plan"
PARTNER_ASSET = "Partner Asset"
ASSET_DOWNLOAD = "Partner Asset Download"

# a partner application's lifecycle (the admin's workflow has its own states)
APPLICATION_PENDING = "Pending Review"
APPLICATION_APPROVED = "Approved"
APPLICATION_REJECTED = "Rejected"
APPLICATION_STATUSES = (APPLICATION_PENDING, APPLICATION_APPROVED, APPLICATION_REJECTED)

# a partner agreement version
AGREEMENT_DRAFT = "Draft"
AGREEMENT_PUBLISHED = "Published"
AGREEMENT_SUPERSEDED = "Superseded"

# a lead offered to a partner
OFFERED = "Offered"
ACCEPTED = "Accepted"
DECLINED = "Declined"
TIMED_OUT = "Timed Out"
OFFER_WITHDRAWN = "Withdrawn"
OFFER_STATUSES = (OFFERED, ACCEPTED, DECLINED, TIMED_OUT, OFFER_WITHDRAWN)
OFFER_ENDED_UNACCEPTED = (DECLINED, TIMED_OUT)
# what the partner reports on an accepted lead
LEAD_PROGRESS = ("Contacted", "Qualified", "Converted", "Lost")
LEAD_CONVERTED = "Converted"
LEAD_LOST = "Lost"
# events of the lead assignment history
NOBODY_ACCEPTED = "Nobody Accepted"
LEAD_EVENTS = (OFFERED, ACCEPTED, DECLINED, TIMED_OUT, OFFER_WITHDRAWN, LEAD_CONVERTED, NOBODY_ACCEPTED)

# a business plan's lifecycle
PLAN_DRAFT = "Draft"
PLAN_SUBMITTED = "Submitted"
PLAN_AGREED = "Agreed"
PLAN_STATUSES = (PLAN_DRAFT, PLAN_SUBMITTED, PLAN_AGREED)
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
# which side of a plan a user is on
SIDE_PARTNER = "Partner"
SIDE_VENDOR = "Channel Team"
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
# -- insights: scorecards, engagement, early warning, the demo programme
PARTNER_ENGAGEMENT_EVENT = "Partner Engagement Event"
PARTNER_ENGAGEMENT_EVENT_TYPE = "Partner Engagement Event Type"
PRM_DEMO_RECORD = "PRM Demo Record"
# engagement events this app records (an admin sets their points; other capabilities add theirs)
EVENT_SIGN_IN = "Portal Sign-in"
EVENT_REGISTRATION_SUBMITTED = "Deal Registration Submitted"
EVENT_TRAINING_ATTEMPT = "Training Attempt"
EVENT_TRAINING_PASSED = "Training Module Passed"
EVENT_LEAD_ANSWERED = "Lead Answered"
EVENT_ASSET_DOWNLOADED = "Asset Downloaded"
EVENT_MDF_REQUESTED = "MDF Request Submitted"
EVENT_PLAN_SUBMITTED = "Business Plan Submitted"
# the shipped digest of at-risk partners (Email Template, created once)
AT_RISK_DIGEST_TEMPLATE = "PRM At-Risk Partners"
