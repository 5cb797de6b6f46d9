"""Norms and gaps: the norms (tiêu chuẩn, định mức) per kind of receiving unit with their defaults,
the rules mapping free-text equipment types to norm items, per-province settings and each unit's
officials and rooms (``services``); what receiving units hold and are due, as grouped queries
(``holding_queries``); the gaps against the norms, pure arithmetic fed by those queries
(``gaps``); and the pages and forms that edit norms, rules and unit counts and show the gaps.
"""
