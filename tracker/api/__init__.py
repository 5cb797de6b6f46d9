"""The read-only JSON API (/api/v1) for auditors' own tools: assets, units, handovers, history.

Every call carries ``Authorization: Bearer <token>``; the token's user is the caller for that
request only (no session, no cookie), and the usual policy and scope apply to them.
"""
