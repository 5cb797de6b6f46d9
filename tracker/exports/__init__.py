"""Exports for auditors: the register and the inventory as of a date in .xlsx and .csv,
reconciliation of dissolved units and handovers, the audit log and histories (docs/AUDIT.md).

Pure: ``writers`` (rows in, CSV chunks or .xlsx out; formula neutralisation) and ``xlsx_rows``
(the fast row writer). Queries: ``filters`` (export filters on top of the register's query),
``columns`` (asset -> cells), ``register``, ``asof``, ``reconciliation``, ``histories``,
``lookups``. Pages: ``views`` (/exports), ``audit_views`` (/audit), ``reconciliation_views``
(/audit/reconciliation), with ``downloads`` sending the files.
"""
