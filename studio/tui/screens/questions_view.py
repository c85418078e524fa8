"""The Questions screen's table as values: a row's cells in plain ``Text`` (chat text is never markup), the
table's order (on air first, then the queue rules' order), the status cell that carries that order so the
table sorts without rebuilding a row, and the row ids read from the table when asked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from studio.domain.questions import Question, State

TEXT_WIDTH = 70  # characters of the question shown in the table

STATE_STYLE = {
    State.ON_AIR: "bold white on red",
    State.SHORTLISTED: "bold green",
    State.NEW: "",
    State.PARKED: "yellow",
    State.ANSWERED: "dim",
    State.FORWARDED: "dim cyan",
    State.REJECTED: "dim strike",
}


def one_line(text: str, width: int = TEXT_WIDTH) -> Text:
    """One table row: whitespace folded, cut with an ellipsis, never wrapped (a wrapped cell shows only its
    first line, which hid all but the first word of some questions)."""
    flat = " ".join(text.split())
    return Text(flat if len(flat) <= width else flat[: width - 1] + "…", no_wrap=True, overflow="ellipsis",
                end="")


RowOrder = tuple[bool, bool, float, str]


def row_order(q: Question) -> RowOrder:
    """The table's order: the question on air on top, then the rules' order (urgent first, then oldest)."""
    return (q.state is not State.ON_AIR, not q.urgent, q.received_at, q.id)


class OrderedCell:
    """The status cell, carrying its row's order: the table sorts by it without rebuilding any row."""

    def __init__(self, text: Text, order: RowOrder) -> None:
        self.text = text
        self.order = order

    def __rich__(self) -> Text:
        return self.text

    def __str__(self) -> str:
        return self.text.plain


def same_cell(a: Any, b: Any) -> bool:
    a = a.text if isinstance(a, OrderedCell) else a
    b = b.text if isinstance(b, OrderedCell) else b
    return bool(a.plain == b.plain and a.style == b.style and a.spans == b.spans)


class RowIds(Sequence[str]):
    """The table's question ids in row order, read from the table when asked."""

    def __init__(self, table: DataTable[Any]) -> None:
        self._table = table

    def __len__(self) -> int:
        return self._table.row_count

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return str(self._table.coordinate_to_cell_key(Coordinate(i % len(self), 0)).row_key.value)


def state_style(state: State) -> str:
    return STATE_STYLE.get(state, "")
