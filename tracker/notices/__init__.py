"""In-app notices: the bell in the navigation and the list behind it.

- ``send``: who is told what, at the moment it happens (a handover issued to a unit, a
  confirmation completed, a flag raised in a province) and by the daily check of stalled
  handovers; each notice is written in the same transaction as what it tells;
- ``texts``: a notice's sentence and link, written when it is shown, in the reader's language;
- ``views``: the list, opening a notice (read, then its page), marking all read.

E-mail is not sent: an office network may have no mail server, and the brief asks for none by
default (docs/DECISIONS.md, «Notices»).
"""
