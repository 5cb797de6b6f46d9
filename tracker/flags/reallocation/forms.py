"""The form of the proposals page: the proposal an officer turns into a draft handover."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class ProposalForm(FlaskForm):
    """Turn one reallocation proposal into a draft handover."""

    key = HiddenField()
    fingerprint = HiddenField()
