"""The dashboard: handover progress per unit, kind and status for a province (``progress``, from
the grouped counts of ``receiving``, which tells the unit an asset stands with at each status),
one unit's page with its gaps, archives and flags, the list behind any number, the dashboard's
rows built in Python (``html``), and the country report of every province at once
(``country_report``, run by ``flask report country`` in ``commands``).
"""
