"""Ask before an action that cannot be undone, and say what it will do, with its counts.

A button that issues, completes, settles or removes many things in one click carries its question
(``data-ask``, the same words the server would ask). With JavaScript, ``static/ask.js`` shows the
question in a dialog and sends the form with ``confirmed=1`` only on "yes". Without it, or if
anything skips the dialog, the view calls ``ask_unless_confirmed``: a form posted without
``confirmed=1`` gets a page with the question, the same fields and a "yes" button; nothing is
changed until then. The question is written once, by the feature (``tracker.handovers.questions``).
"""
from __future__ import annotations

from flask import render_template, request


def ask_unless_confirmed(question: str, back: str):
    """None when the person already said yes; otherwise the page that asks ``question``."""
    if request.form.get("confirmed") == "1":
        return None
    fields = [(k, v) for k, v in request.form.items(multi=True) if k != "confirmed"]
    return render_template("ask_first.html", question=question, action=request.full_path.rstrip("?"),
                           fields=fields, back=back)

