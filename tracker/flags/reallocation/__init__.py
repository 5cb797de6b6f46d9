"""Reallocation (điều chuyển): shortages against the norms filled from free items of the same
province before buying. ``matching`` is the pure allocation, nearest and most urgent first;
``sources`` decides which free rows the matching needs read; ``proposals`` runs that SQL and
gives a province's proposals; ``drafts`` turns one proposal into a draft handover through the
handovers feature; ``views`` and ``forms`` are the proposals page and its one-step draft button.
"""
