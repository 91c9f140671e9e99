"""The workbook a planner starts from: one sheet per table, headers in English or Vietnamese.

Row 1 holds each column's header in the chosen language, row 2 its code (the
name staffopt reads; the reader skips that row), data starts on row 3. An
instructions sheet says what each column means, whether it is required and
what it accepts; data validation offers the same lists (zone, field, yes/no,
category, lock kind) and ranges (from the schema's bounds, ``schema/limits.py``).
Every word comes from the catalogue through :mod:`staffopt.io.columns`, so the
template, the reader and the README agree.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic.fields import FieldInfo

from staffopt.io.atomic import atomic_file
from staffopt.io.cells import field_types
from staffopt.io.columns import (
    INSTRUCTIONS,
    choice_codes,
    choice_columns,
    choice_label,
    column_help,
    column_label,
    sheet_label,
)
from staffopt.io.frames import table_values
from staffopt.io.settings import OPTIONS, POLICY, settings_items
from staffopt.schema import RECORD_TYPES, REQUIRED_TABLES, TABLES, Policy, Scenario, SolveOptions
from staffopt.texts import field_text, glossary_fields, text

__all__ = ["FILL_ROWS", "FIRST_DATA_ROW", "build_template", "choices", "write_template"]

#: Row 1: headers in the chosen language; row 2: the codes the reader reads.
FIRST_DATA_ROW = 3
#: Rows below the data that data validation covers, for the planner to fill.
FILL_ROWS = 1000
_MIN_WIDTH, _MAX_WIDTH = 10, 45
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_CODE_FONT = Font(size=8, italic=True, color="808080")
#: Text a spreadsheet could take for a formula: stored as text.
_FORMULA_STARTS = ("=", "+", "-", "@")


def _field_codes(example: Scenario | None = None) -> list[str]:
    """The glossary's codes, then the fields an example scenario's own table adds."""
    codes = list(glossary_fields())
    if example is not None:
        codes += [f.field for f in example.fields if f.field not in codes]
    return codes


def choices(
    table: str, column: str, lang: str = "en", example: Scenario | None = None
) -> list[str] | None:
    """The values a column's drop-down offers, or None when it takes free text or a number.

    Yes/no columns offer the words of ``lang`` (the reader takes both
    languages); fields offer the glossary's codes and those of ``example``'s
    ``fields`` table (others are allowed, with a warning).
    """
    info = RECORD_TYPES[table].model_fields[column]
    if info.annotation is bool:
        return [text("template.yes", lang), text("template.no", lang)]
    if table == "needs" and column == "field":
        return _field_codes(example)
    if column in choice_columns(table):
        return [choice_label(table, column, c, lang) for c in choice_codes(table, column)]
    values = [getattr(a, "value", a) for a in _enum_values(info)]
    return [str(v) for v in values] or None


def _enum_values(info: FieldInfo) -> list[Any]:
    """Members of an Enum or a Literal field (none for other fields)."""
    annotation = info.annotation
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return list(annotation.__members__.values())
    args = get_args(annotation)
    if args and all(isinstance(a, str) for a in args):
        return list(args)
    return []


def _bounds(info: FieldInfo) -> tuple[float | None, float | None]:
    """The field's lower and upper bounds from its constraints (ge/gt, le/lt), also those
    of a constrained type inside an optional one (``Km | None``)."""
    metadata = list(info.metadata)
    for arg in get_args(info.annotation):
        if get_origin(arg) is Annotated:
            for extra in get_args(arg)[1:]:
                metadata.extend(getattr(extra, "metadata", [extra]))
    low = high = None
    for m in metadata:
        low = getattr(m, "ge", getattr(m, "gt", low))
        high = getattr(m, "le", getattr(m, "lt", high))
    return low, high


def _number_kind(table: str, column: str) -> str | None:
    """``whole`` or ``decimal`` for a number field, else None."""
    kinds = field_types(RECORD_TYPES[table], column)
    if int in kinds:
        return "whole"
    if float in kinds:
        return "decimal"
    return None


def _number(value: float) -> str:
    """A bound as Excel reads it in a formula: every digit, no exponent."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def allowed_text(table: str, column: str, lang: str = "en", example: Scenario | None = None) -> str:
    """What a column accepts, as the instructions sheet says it."""
    options = choices(table, column, lang, example)
    if options is not None:
        return ", ".join(options)
    info = RECORD_TYPES[table].model_fields[column]
    low, high = _bounds(info)
    if _number_kind(table, column) is not None and low is not None and high is not None:
        return text("template.range", lang, low=_number(low), high=_number(high))
    return ""


def _validation(
    table: str, column: str, lang: str, example: Scenario | None
) -> DataValidation | None:
    info = RECORD_TYPES[table].model_fields[column]
    options = choices(table, column, lang, example)
    dv: DataValidation | None = None
    if options is not None:
        dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
        if table == "needs" and column == "field":
            dv.errorStyle = "warning"  # a province may use a field of its own
    else:
        kind = _number_kind(table, column)
        low, high = _bounds(info)
        if kind is not None and low is not None and high is not None:
            dv = DataValidation(
                type=kind,
                operator="between",
                formula1=_number(low),
                formula2=_number(high),
                allow_blank=True,
            )
    if dv is None:
        return None
    dv.showErrorMessage = True
    dv.errorTitle = text("template.invalid_title", lang)
    dv.error = f"{column_label(table, column, lang)}: {allowed_text(table, column, lang)}"
    return dv


def _cell_value(table: str, column: str, value: Any, lang: str) -> Any:
    """A scenario value as the template shows it: yes/no and choices in ``lang``, the rest
    as is."""
    if isinstance(value, bool):
        return text("template.yes" if value else "template.no", lang)
    if isinstance(value, str) and column in choice_columns(table):
        return choice_label(table, column, value, lang)
    return value


def _append(ws: Worksheet, row: list[Any]) -> None:
    """Append a row; text that looks like a formula stays text."""
    ws.append(row)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True


def _headers(ws: Worksheet, labels: list[str], codes: list[str]) -> None:
    """Row 1 (headers, bold), row 2 (codes, small grey), frozen above row 3."""
    _append(ws, labels)
    _append(ws, codes)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[2]:
        cell.font = _CODE_FONT
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"


def _widths(ws: Worksheet) -> None:
    """Each column as wide as its longest cell, within sensible limits."""
    for j, column in enumerate(ws.iter_cols(values_only=True), start=1):
        longest = max((len(str(v)) for v in column if v is not None), default=0)
        width = min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH)
        ws.column_dimensions[get_column_letter(j)].width = width


def _table_sheet(wb: Workbook, table: str, lang: str, example: Scenario | None) -> None:
    ws = wb.create_sheet(sheet_label(table, lang))
    columns = list(RECORD_TYPES[table].model_fields)
    _headers(ws, [column_label(table, c, lang) for c in columns], columns)
    rows: list[list[Any]] = []
    if example is not None:
        _, rows = table_values(example, table)
    for row in rows:
        _append(ws, [_cell_value(table, c, v, lang) for c, v in zip(columns, row, strict=True)])
    _widths(ws)
    last_row = FIRST_DATA_ROW + len(rows) + FILL_ROWS - 1
    for j, column in enumerate(columns, start=1):
        dv = _validation(table, column, lang, example)
        if dv is None:
            continue
        letter = get_column_letter(j)
        dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
        ws.add_data_validation(dv)


def _settings_sheet(wb: Workbook, table: str, settings: Policy | SolveOptions, lang: str) -> None:
    ws = wb.create_sheet(sheet_label(table, lang))
    _append(ws, [text("column.settings.key", lang), text("column.settings.value", lang)])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    ws.freeze_panes = "A2"
    for key, value in settings_items(settings):
        _append(ws, [key, value])
    _widths(ws)


def _instructions(wb: Workbook, lang: str, example: Scenario | None) -> None:
    ws = wb.create_sheet(sheet_label(INSTRUCTIONS, lang))
    yes, no = text("template.yes", lang), text("template.no", lang)
    _append(ws, [text("template.title", lang)])
    ws["A1"].font = Font(bold=True, size=14)
    _append(ws, [text("template.intro", lang, yes=yes, no=no, lang=lang)])
    ws.merge_cells("A2:F2")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 90
    _append(ws, [])
    heads = ("sheet", "column", "code", "required", "meaning", "allowed")
    _append(ws, [text(f"template.{h}", lang) for h in heads])
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    ws.freeze_panes = "A5"
    for table in TABLES:
        sheet = sheet_label(table, lang)
        if table not in REQUIRED_TABLES:
            sheet = f"{sheet} {text('template.optional_sheet', lang)}"
        for column, info in RECORD_TYPES[table].model_fields.items():
            _append(
                ws,
                [
                    sheet,
                    column_label(table, column, lang),
                    column,
                    yes if info.is_required() else no,
                    column_help(table, column, lang),
                    allowed_text(table, column, lang, example),
                ],
            )
    _append(ws, [])
    _append(ws, [text("template.policy", lang, sheet=sheet_label(POLICY, lang))])
    _append(ws, [])
    _append(ws, [text("template.fields", lang)])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    # An example's own fields table renames or adds fields: the list shows its names.
    names = example.field_names if example is not None else None
    for code in _field_codes(example):
        _append(ws, [code, field_text(code, lang, names)])
    widths = (22, 26, 18, 10, 60, 40)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width


def build_template(lang: str = "vi", example: Scenario | None = None) -> Workbook:
    """The template as an openpyxl Workbook: instructions, one sheet per table, the policy.

    ``example`` fills the sheets with a scenario (its policy and, when not
    the default, its solve options); without it the sheets are empty and the
    policy sheet holds the defaults.
    """
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    _instructions(wb, lang, example)
    for table in TABLES:
        _table_sheet(wb, table, lang, example)
    _settings_sheet(wb, POLICY, example.policy if example is not None else Policy(), lang)
    if example is not None and example.options != SolveOptions():
        _settings_sheet(wb, OPTIONS, example.options, lang)
    return wb


def write_template(path: Path, lang: str = "vi", example: Scenario | None = None) -> Path:
    """Write the template workbook to ``path`` atomically (see :func:`build_template`)."""
    with atomic_file(path) as tmp:
        build_template(lang, example).save(tmp)
    return path
