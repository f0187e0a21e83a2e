"""A report as a person reads it: an Excel workbook (a sheet per section), a Word document or a PDF, with the
charts drawn as images and Chinese set in Noto Sans CJK (Debian's fonts-noto-cjk)."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from PIL import Image, ImageDraw, ImageFont

from junheng.core.exports import write_workbook

from .cluster_report import Chart, Report, Section

FONT_FILES = [
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.otf"),
]
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_FILES:
        if path.exists():
            return ImageFont.truetype(str(path), size, index=2)  # the .ttc's simplified-Chinese face
    return ImageFont.load_default(size)


def chart_png(chart: Chart, width: int = 1200) -> bytes:
    """Horizontal bars with their values, and the reference as a dashed red line."""
    row, left, right, top = 44, 420, 120, 70
    height = top + row * len(chart.labels) + 30
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    text, small = _font(26), _font(22)
    draw.text((20, 15), chart.title, fill="#212529", font=_font(30))
    values = [*chart.values, *([chart.reference] if chart.reference is not None else [])]
    low, high = min(0.0, *values), max(0.0, *values) or 1.0
    span = (high - low) or 1.0

    def x(value: float) -> float:
        return left + (value - low) / span * (width - left - right)

    for n, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y = top + n * row
        draw.text((20, y + 6), label[:16], fill="#212529", font=text)
        colour = "#0d6efd" if value >= 0 else "#dc3545"
        draw.rectangle([min(x(0), x(value)), y + 6, max(x(0), x(value)), y + row - 8], fill=colour)
        label_at = x(value) + 8 if value >= 0 else x(value) - 8 - draw.textlength(f"{value:.3g}", font=small)
        draw.text((label_at, y + 8), f"{value:.3g}", fill="#495057", font=small)
    if chart.reference is not None:
        at = x(chart.reference)
        for y in range(top - 10, height - 20, 16):
            draw.line([(at, y), (at, y + 8)], fill="#dc3545", width=3)
    stream = io.BytesIO()
    image.save(stream, "PNG", optimize=True)
    return stream.getvalue()


def render_xlsx(report: Report) -> bytes:
    def rows(section: Section) -> Iterator[list[Any]]:
        yield [section.title]
        for paragraph in section.paragraphs:
            yield [paragraph]
        for table in section.tables:
            yield []
            yield table.header
            yield from table.rows

    stream = io.BytesIO()
    write_workbook(((s.title, rows(s)) for s in report.sections), stream)
    return stream.getvalue()


def render_docx(report: Report) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Noto Sans CJK SC", Pt(10.5)
    style.element.rPr.rFonts.set(
        qn("w:eastAsia"), "Noto Sans CJK SC"
    )  # Word reads Chinese from this font slot
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle)
    for section in report.sections:
        document.add_heading(section.title, level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        for table in section.tables:
            grid = document.add_table(rows=1, cols=len(table.header), style="Light Grid Accent 1")
            for cell, value in zip(grid.rows[0].cells, table.header, strict=True):
                cell.text = str(value)
            for values in table.rows:
                for cell, value in zip(grid.add_row().cells, values, strict=True):
                    cell.text = str(value)
        for chart in section.charts:
            document.add_picture(io.BytesIO(chart_png(chart)), width=Cm(16))
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def render_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    charts = {
        id(chart): "data:image/png;base64," + base64.b64encode(chart_png(chart)).decode()
        for section in report.sections
        for chart in section.charts
    }
    sections = [{"section": s, "charts": [charts[id(c)] for c in s.charts]} for s in report.sections]
    html = render_to_string("evaluation/report.html", {"report": report, "sections": sections})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


RENDERERS = {"xlsx": render_xlsx, "docx": render_docx, "pdf": render_pdf}
