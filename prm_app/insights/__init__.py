"""Measuring partners, for the channel team: the Partner Scorecard and Pareto reports, the channel
pipeline and registration analysis, engagement scores, the at-risk early warning and its digest.

Every figure comes from set-based ``frappe.qb`` queries (one grouped query per capability, never
one per partner); the rules (ranks, the composite score, the 80/20 cut, at-risk reasons) are
``prm_app.engine.insights``. Partners never reach these modules' data except their own scorecard
row through ``prm_app.api.scorecard``.
"""
