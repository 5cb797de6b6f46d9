"""Page setup, styles, headers and footers of Nghị định 30/2020 (Phụ lục I), with python-docx.

A4; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman throughout. Page
numbers are centred in the top margin from page 2 on (different first page); the verification
code is in the footer of every page, the first included.
"""
from __future__ import annotations

import math

from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, Twips
from docx.table import Table
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 11
FOOTER_PT = 10
PAGE_SHORT_MM, PAGE_LONG_MM = 210, 297
MARGIN_TOP_MM = MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 30, 15
PORTRAIT_TEXT_MM = PAGE_SHORT_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165
LANDSCAPE_TEXT_MM = PAGE_LONG_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 252

# Paragraph styles of table cells, one per alignment, so cloned rows carry no run formatting.
CELL_STYLES = {"left": "CellLeft", "center": "CellCenter", "right": "CellRight"}
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def _set_fonts(rpr) -> None:
    """Times New Roman for every script, replacing the template's theme fonts."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(script), FONT)


def setup_styles(doc: DocumentObject) -> None:
    """Normal: Times New Roman 14 pt, justified, 6 pt after, line spacing 1.15; cell styles 11 pt."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    _set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.15
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for style_name in ("Header", "Footer"):
        style = doc.styles[style_name]
        style.font.name = FONT
        _set_fonts(style.element.get_or_add_rPr())
    for align, name in CELL_STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = Pt(TABLE_PT)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(1), Pt(1), 1.0
        fmt.alignment = ALIGN[align]
        fmt.first_line_indent = Mm(0)


def set_style(paragraph: Paragraph, style_id: str) -> None:
    """Set a paragraph style by id in the XML (python-docx's lookup by name is slow in loops)."""
    paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = style_id


def _at_least(mm: float) -> Twips:
    """A margin in whole twips, rounded up so it never falls below the decree's minimum."""
    return Twips(math.ceil(mm * 1440 / 25.4))


def page_setup(section: Section, landscape: bool = False) -> None:
    """A4 in the given orientation with the decree's margins."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (PAGE_LONG_MM, PAGE_SHORT_MM) if landscape else (PAGE_SHORT_MM, PAGE_LONG_MM)
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = _at_least(MARGIN_TOP_MM), _at_least(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = _at_least(MARGIN_LEFT_MM), _at_least(MARGIN_RIGHT_MM)
    section.header_distance = section.footer_distance = Mm(10)


def new_section(doc: DocumentObject, landscape: bool) -> Section:
    """Start a section on a new page; it inherits the first section's header and footer."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, landscape)
    # The break copies "different first page"; only page 1 of the document goes without a number.
    section.different_first_page_header_footer = False
    return section


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE) as begin / instruction / separate / result / end runs."""
    def run_with(child) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def headers_and_footers(section: Section, footer_text: str) -> None:
    """Page number centred at the top from page 2; the footer text on every page."""
    section.different_first_page_header_footer = True
    first = section.first_page_header.paragraphs[0]
    first.text = ""
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(number, "PAGE", "2")
    for run in number.runs:
        run.font.size = Pt(13)
    for footer in (section.first_page_footer, section.footer):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(footer_text)
        run.font.size = Pt(FOOTER_PT)
        run.italic = True


def para(container, text: str = "", *, bold: bool = False, italic: bool = False, size: float | None = None,
         align: str | None = None, underline: bool = False, before: float | None = None,
         after: float | None = None, indent_mm: float | None = None, style: str | None = None) -> Paragraph:
    """A paragraph of one run with the given formatting (unset values come from the style)."""
    paragraph = container.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if underline:
            run.underline = True
        if size:
            run.font.size = Pt(size)
    fmt = paragraph.paragraph_format
    if align:
        paragraph.alignment = ALIGN[align]
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if indent_mm is not None:
        fmt.first_line_indent = Mm(indent_mm)
    return paragraph


def short_rule(paragraph: Paragraph, cell_width_mm: float, rule_mm: float) -> None:
    """A short centred line under a paragraph: a bottom border on an indented empty paragraph."""
    side = max(0.0, (cell_width_mm - rule_mm) / 2)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def plain_table(container, rows: int, widths_mm: list[float]) -> Table:
    """A borderless layout table (header block, signature blocks) with fixed column widths."""
    table = container.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed_widths(table, widths_mm)
    return table


def fixed_widths(table: Table, widths_mm: list[float]) -> None:
    """Fixed layout with the given column widths on the grid and every cell."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)


def cell_margins(table: Table, side_mm: float = 1.0) -> None:
    """Narrow left and right cell margins so figures fit their columns without wrapping."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(int(side_mm * 56.7)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def repeat_header(table: Table) -> None:
    """The first row repeats at the top of every page the table runs onto."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)
