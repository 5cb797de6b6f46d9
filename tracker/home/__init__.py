"""Each person's home page: what needs them now, as counts that link to the lists, and their unread notices.

- ``tiles``: the figures, by role, in one query each (no Flask);
- ``views``: the page, which ``main.index`` shows to whoever is signed in.

An officer sees the minutes still to issue, sign or have confirmed, and the province's flags; a
commune clerk the handovers waiting for their confirmation; an auditor what was completed and
the flags, with the exports one click away; an administrator the accounts that need them
(locked, disabled) and the receiving units nobody can sign in for yet.
"""
