"""Language choice: Vietnamese by default, English on request (cookie or the user's setting)."""
from __future__ import annotations

from flask import current_app, request
from flask_login import current_user


def select_locale() -> str:
    """Vietnamese unless the person chose English."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get("lang")
    if chosen in languages:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def template_context() -> dict:
    from flask_babel import get_locale

    return {"current_locale": str(get_locale() or "vi"), "languages": current_app.config["LANGUAGES"]}


def label_(value) -> str:
    """An enum member's label (or a label string) in the reader's language: ``{{ label_(a.kind) }}``.

    Labels keep their Vietnamese source in the enums and the field table; the catalog translates
    them because tracker/i18n_labels.py lists every one of them for the extractor.
    """
    from flask_babel import gettext

    if value is None:
        return ""
    text = getattr(value, "label", value)
    return gettext(text) if text else ""


def collect_labels() -> list[str]:
    """Every Vietnamese label shown in the UI that is not written inside _(): enum labels, field
    labels and help texts. Sorted and de-duplicated, so tracker/i18n_labels.py is stable."""
    import tracker.models  # noqa: F401  (imports every Labelled enum)
    from tracker.assets import fields
    from tracker.models.base import Labelled

    labels: set[str] = set()
    pending = list(Labelled.__subclasses__())
    while pending:
        enum_cls = pending.pop()
        pending.extend(enum_cls.__subclasses__())
        labels.update(m.label for m in enum_cls)
    every_field = fields.COMMON + tuple(f for fs in fields.BY_KIND.values() for f in fs)
    labels.update(f.label for f in every_field)
    labels.update(f.help for f in every_field if f.help)
    labels.update(fields.label(name) for name in ("unit_id", "receiver_id", "kind", "status", "holder_id"))
    return sorted(label for label in labels if label)
