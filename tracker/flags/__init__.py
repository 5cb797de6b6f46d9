"""Flags and gaps: the province dashboard, unsorted archives, norms, equipment gaps,
reallocation proposals and the other flags of issue 5.

Every count is one grouped SQL query per page (GROUP BY unit, kind, status), never a loop over
units; the arithmetic on the grouped rows is pure Python, tested without a database.
"""
