"""Alerts: the flags themselves, each a query over the current state that clears when its cause is
fixed. ``archives`` counts unsorted archives and lists boxes in no handover or described without
time span or retention; ``flags`` lists assets in no handover, stalled handovers, HQs without a
transfer decision, units on several sites and items missing or damaged at receipt; ``export``
gives each flag's CSV rows; ``views`` and ``forms`` are the archives and alerts pages and the
setting of the days before a handover stalls.
"""
