"""Flags and gaps (issue 5), in four parts that build on one another.

``norms/`` holds the norms (tiêu chuẩn, định mức) officers edit, the rules that read equipment
types, and each receiving unit's gaps against its norm. ``reallocation/`` matches those gaps with
free items of the same province and turns a proposal into a draft handover. ``alerts/`` lists
what is at risk: unsorted archives, assets in no handover, stalled handovers, HQs without a
decision, units on several sites, items missing or damaged at receipt. ``dashboard/`` puts it
together: the province progress page, one unit's figures, the list behind any number and the
country report (``flask report country``). The shared pieces stay here: ``blueprint.py`` (the one
``flags`` blueprint all four add routes to), ``routes.py`` (imports them, for ``create_app``) and
``access.py`` (which province and unit the user may see, CSV answers).

Every count is one grouped SQL query per page (GROUP BY unit, kind, status), never a loop over
units; the arithmetic on the grouped rows is pure Python, tested without a database.
"""
