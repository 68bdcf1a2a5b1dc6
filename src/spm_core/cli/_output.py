"""How commands print: tables for a terminal, tab-separated rows for a pipe, JSON.

A table on a terminal is drawn by rich to the terminal's width, with the columns that
must never be cut (codes, names) kept whole. When standard output is not a terminal the
same rows are written as plain tab-separated lines — one row per line, no wrapping, no
box drawing — so ``grep``, ``cut`` and ``sort`` work; a header line of column names
comes first, and a table's title is a ``#`` comment line above it. Rich decides what is
a terminal, so ``FORCE_COLOR``/``TTY_COMPATIBLE`` and ``COLUMNS`` behave as documented
there, and ``NO_COLOR`` turns colour off.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence

import attrs
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = ["Column", "Output", "cell", "console", "print_json", "progress_console"]

_PIPE_WIDTH = 200


@attrs.frozen
class Column:
    """One column of a table: its header and how it behaves at a narrow width.

    ``keep`` columns are never cut or wrapped (codes, names); the others are
    shortened with an ellipsis when ``wrap`` is false, or wrapped onto more lines.
    """

    header: str
    keep: bool = False
    wrap: bool = False


class Output:
    """Standard output for one command: a rich console that knows if it is a terminal."""

    def __init__(self) -> None:
        self.console = Console(file=sys.stdout, no_color="NO_COLOR" in os.environ, highlight=False)

    @property
    def terminal(self) -> bool:
        """Whether output goes to a terminal (tables) rather than a pipe or file (rows)."""
        return self.console.is_terminal

    def line(self, text: str = "") -> None:
        """Print one line of text as is (no markup, no wrapping)."""
        if self.terminal:
            self.console.print(text, markup=False, soft_wrap=True)
        else:
            sys.stdout.write(text + "\n")

    def note(self, text: str) -> None:
        """Print a line about the output (a count, a legend): to standard error in a pipe."""
        if self.terminal:
            self.console.print(text, markup=False)
        else:
            sys.stderr.write(text + "\n")

    def table(
        self,
        title: str,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        *,
        dim: Sequence[bool] = (),
    ) -> None:
        """Print a table: drawn on a terminal, tab-separated rows otherwise.

        ``dim`` marks rows to show in yellow (definitions whose legal basis is not
        confirmed); it is ignored in a pipe.
        """
        if not self.terminal:
            sys.stdout.write(f"# {title}\n")
            sys.stdout.write("\t".join(c.header for c in columns) + "\n")
            for row in rows:
                sys.stdout.write("\t".join(_flat(value) for value in row) + "\n")
            return
        table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
        widest = [
            max([len(column.header), *(len(row[i]) for row in rows)])
            for i, column in enumerate(columns)
        ]
        # Rich shrinks only wrapping columns; give the shortened ones their share of what
        # the kept columns leave. Each column costs 3 more than its width (padding and
        # the space between columns), less 1 for the table (no padding at its edges).
        kept = sum(w for w, c in zip(widest, columns, strict=True) if c.keep)
        short = [c for c in columns if not c.keep and not c.wrap]
        free = self.console.width - kept - 3 * len(columns) + 1
        share = max(8, free // max(1, len(short)))
        for i, column in enumerate(columns):
            table.add_column(
                column.header,
                no_wrap=column.keep or not column.wrap,
                overflow="fold" if column.wrap else "ellipsis",
                min_width=widest[i] if column.keep else None,
                max_width=None if column.keep or column.wrap else share,
            )
        for i, row in enumerate(rows):
            # Text, not markup: data holding "[...]" (a name, a code) prints as written.
            table.add_row(
                *(Text(v) for v in row),
                style="yellow" if i < len(dim) and dim[i] else None,
            )
        self.console.print(table)


def console() -> Console:
    """Return a rich console on standard output, for commands that draw their own tables.

    Piped output gets a wide console (no wrapping at 80), never colour; prefer
    :class:`Output`, whose tables become plain rows in a pipe.
    """
    wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return Console(
        file=sys.stdout,
        no_color="NO_COLOR" in os.environ,
        highlight=False,
        width=_PIPE_WIDTH if wide else None,
    )


def progress_console() -> Console:
    """Return the console progress bars draw on: standard error.

    What a command prints on standard output then stays clean in a pipe; a command
    draws no bar at all when this console is not a terminal (``is_terminal``).
    """
    return Console(stderr=True, no_color="NO_COLOR" in os.environ, highlight=False)


def _flat(value: str) -> str:
    """Return a cell fit for one tab-separated line: tabs and newlines become spaces."""
    return " ".join(value.split()) if any(c in value for c in "\t\n\r") else value


def print_json(data: object) -> None:
    """Write ``data`` as indented JSON (UTF-8 text kept as is) to standard output."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def cell(value: object) -> str:
    """Return a table cell: empty for ``None``, else the value as text."""
    return "" if value is None else str(value)
