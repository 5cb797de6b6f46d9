"""Item tables of thousands of rows, fast: one styled template row, cloned in the XML.

python-docx's ``add_row`` re-walks the table for every row (about 4 s for 5,000 rows); cloning a
prepared ``<w:tr>`` with lxml and setting its texts takes a fraction of that. Cell formatting
lives in paragraph styles (one per alignment) and the table style, so a cloned row is small.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from tracker.handovers.minutes.layout import (CELL_STYLES, LANDSCAPE_TEXT_MM, PORTRAIT_TEXT_MM, TABLE_PT,
                                              cell_margins, fixed_widths, repeat_header, set_style)

W_T, W_R, W_BR = qn("w:t"), qn("w:r"), qn("w:br")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Characters XML 1.0 cannot hold (control codes pasted from spreadsheets); dropped, never a crash.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """Cell text: str, without characters XML refuses."""
    if text is None:
        return ""
    return _NOT_XML.sub("", str(text))


@dataclass(frozen=True)
class Column:
    """One column: its heading, the narrowest width it reads well at, and its alignment."""

    header: str
    width_mm: float
    align: str = "left"


def needs_landscape(columns: Sequence[Column]) -> bool:
    """A table whose columns do not fit the portrait text width goes on landscape pages."""
    return sum(c.width_mm for c in columns) > PORTRAIT_TEXT_MM + 0.01


def scaled_widths(columns: Sequence[Column], landscape: bool) -> list[float]:
    """Column widths stretched to fill the text width of the page."""
    total = sum(c.width_mm for c in columns)
    target = LANDSCAPE_TEXT_MM if landscape else PORTRAIT_TEXT_MM
    return [c.width_mm * target / total for c in columns]


def _set_text(t, run, text: str) -> None:
    """Text of one cell; line breaks become <w:br/> in the same run."""
    if "\n" not in text:
        t.text = text
        return
    first, *rest = text.split("\n")
    t.text = first
    for line in rest:
        run.append(OxmlElement("w:br"))
        extra = OxmlElement("w:t")
        extra.set(XML_SPACE, "preserve")
        extra.text = line
        run.append(extra)


def _template_row(table: Table, columns: Sequence[Column], widths: Sequence[float], bold: bool):
    """A detached <w:tr>: cells of the column widths, each one paragraph with its alignment style."""
    row = table.add_row()
    for cell, column, width in zip(row.cells, columns, widths):
        cell.width = Mm(width)
        paragraph = cell.paragraphs[0]
        set_style(paragraph, CELL_STYLES[column.align])
        run = paragraph.add_run("")
        if bold:
            run.bold = True
        t = OxmlElement("w:t")
        t.set(XML_SPACE, "preserve")
        run._r.append(t)
    tr = row._tr
    tr.getparent().remove(tr)
    tr_pr = tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    return tr


def _append_rows(tbl, template, rows: Iterable[Sequence[object]]) -> int:
    count = 0
    append = tbl.append
    for values in rows:
        tr = deepcopy(template)
        for t, value in zip(list(tr.iter(W_T)), values):
            text = clean(value)
            if "\n" in text:
                _set_text(t, t.getparent(), text)
            else:
                t.text = text
        append(tr)
        count += 1
    return count


def item_table(container, columns: Sequence[Column], rows: Iterable[Sequence[object]],
               totals: Sequence[Sequence[object]] = (), landscape: bool = False) -> Table:
    """A bordered table: repeated heading row, one row per item, then bold total rows."""
    widths = scaled_widths(columns, landscape)
    table = container.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    fixed_widths(table, widths)
    cell_margins(table)
    for cell, column in zip(table.rows[0].cells, columns):
        paragraph = cell.paragraphs[0]
        set_style(paragraph, CELL_STYLES["center"])
        run = paragraph.add_run(column.header)
        run.bold = True
        run.font.size = Pt(TABLE_PT)
    repeat_header(table)
    plain = _template_row(table, columns, widths, bold=False)
    strong = _template_row(table, columns, widths, bold=True)
    tbl = table._tbl
    _append_rows(tbl, plain, rows)
    _append_rows(tbl, strong, totals)
    return table
