"""Importing inventories from spreadsheets: all or nothing, checked, fast.

The pipeline, one module per step:

- ``safety``: refuse what is not a spreadsheet, password-protected workbooks, zip bombs;
  find formula cells saved without a value.
- ``reading``: rows out of .xlsx/.xls (python-calamine) and .csv (encoding and separator sniffed).
- ``headers``: find the header (one row or two merged ones) and what each column holds; the kind.
- ``rows``: tell data rows from column numbers, sections naming units, subtotals, totals, signatures.
- ``parse``: validate the data rows with ``tracker.assets.validation`` (column by column);
  ``totals`` checks the list's own sums. These are pure: no Flask, no database.
- ``plan`` (with ``units``): resolve units, match existing assets by natural key, decide
  create / update / unchanged / refuse. Reads the database.
- ``commit``: write the plan in one transaction (bulk inserts, history events, import record).
- ``views``, ``forms``, ``jobs``: the web pages; ``commands``: ``flask assets import``;
  ``templates_xlsx``: the blank templates served and kept in ``imports/``.
"""
