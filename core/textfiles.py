"""Reading user-supplied CSV/JSONL files: encoding check, delimiter sniffing, line numbers.

Shared by the catalog loader (:mod:`tastebud.loaders`) and the interactions loader
(:mod:`tastebud.interactions`), so a bad file gets the same one-line error in both places.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import BadRowError, CatalogError

__all__ = [
    "CSV_SUFFIXES",
    "JSONL_SUFFIXES",
    "TextFormat",
    "check_readable",
    "open_table",
    "read_csv_header",
    "read_csv_rows",
    "read_jsonl_rows",
    "sniff_delimiter",
]

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")
#: Delimiters the sniffer may choose; ``|`` is left out because it separates genres and tags
#: inside a comma-separated cell.
_SNIFFED = ",;\t"
_SAMPLE = 64 * 1024


@dataclass(frozen=True)
class TextFormat:
    """How to read a user file.

    Attributes:
        encoding: Text encoding (``None``: UTF-8, a byte-order mark allowed).
        delimiter: CSV field separator (``None``: sniffed from the file).
    """

    encoding: str | None = None
    delimiter: str | None = None

    @property
    def codec(self) -> str:
        """The codec used to open the file."""
        return self.encoding or "utf-8-sig"


def check_readable(path: Path, fmt: TextFormat = TextFormat()) -> TextFormat:
    """Check that ``path`` exists and decodes; return the format to read it with.

    Without an explicit encoding, a file that is not UTF-8 is rejected with the encoding
    ``charset-normalizer`` detects and the ``--encoding`` option to pass. One ``--encoding``
    serves a catalog and its interactions file, which may differ: a file that holds non-ASCII
    bytes and is valid UTF-8 is read as UTF-8 whatever ``--encoding`` says (decoding it as an
    8-bit code page would silently turn "café" into "cafÃ©"; real Latin-1 text is almost never
    valid UTF-8).

    Raises:
        CatalogError: One line: missing file, unknown encoding, or text not in the encoding.
    """
    path = Path(path)
    if not path.is_file():
        raise CatalogError(f"file not found: {path}")
    raw = path.read_bytes()
    if fmt.encoding and not fmt.encoding.lower().replace("_", "-").startswith("utf") and _is_utf8_text(raw):
        return replace(fmt, encoding=None)
    try:
        raw.decode(fmt.codec)
        return fmt
    except LookupError:
        raise CatalogError(f"unknown encoding {fmt.encoding!r} (try utf-8, latin-1, cp1252, utf-16)") from None
    except UnicodeDecodeError as exc:
        if fmt.encoding:
            raise CatalogError(f"{path} is not valid {fmt.encoding} (byte {exc.start}); check --encoding") from None
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:_SAMPLE * 4]).best()
    guess = best.encoding if best is not None else "unknown"
    hint = f"--encoding {guess}" if best is not None else "--encoding NAME"
    raise CatalogError(f"{path} is not UTF-8 (detected encoding: {guess}); re-save it as UTF-8 or pass {hint}")


def _is_utf8_text(raw: bytes) -> bool:
    """Whether ``raw`` has non-ASCII bytes and is valid UTF-8 (so it is UTF-8 text)."""
    if raw.isascii():
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff_delimiter(path: Path, fmt: TextFormat = TextFormat()) -> str:
    """The CSV delimiter: ``fmt.delimiter`` when given (and in the header), tab for ``.tsv``, else ``csv.Sniffer``
    over the first 64 KB choosing among ``,`` ``;`` and tab (comma when it cannot tell)."""
    with open(path, newline="", encoding=fmt.codec) as fh:
        sample = fh.read(_SAMPLE)
    header = sample.splitlines()[0] if sample else ""
    if fmt.delimiter:
        given = "\t" if fmt.delimiter in ("\\t", "tab") else fmt.delimiter
        # One --delimiter serves a catalog and its interactions file: a delimiter missing from this
        # file's header would make the header one column, so this file is sniffed instead.
        if given in header or not header:
            return given
    if Path(path).suffix.lower() == ".tsv":
        return "\t"
    try:
        found = csv.Sniffer().sniff(sample, delimiters=_SNIFFED).delimiter
    except csv.Error:
        found = max(_SNIFFED, key=header.count) if header else ","
    # The header decides between a sniffed delimiter and a comma that splits it as well.
    return found if header.count(found) >= header.count(",") else ","


def read_csv_header(path: Path, fmt: TextFormat, delimiter: str) -> list[str]:
    """The header row of a CSV file."""
    with open(path, newline="", encoding=fmt.codec) as fh:
        return next(csv.reader(fh, delimiter=delimiter), [])


def read_csv_rows(path: Path, fmt: TextFormat = TextFormat(), delimiter: str = ",") -> Iterator[tuple[int, dict]]:
    """Yield ``(line_number, row)``; the line is where the record starts."""
    try:
        fh = open(path, newline="", encoding=fmt.codec)  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise CatalogError(f"cannot read {path}: {exc.strerror}") from exc
    with fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        start = 2
        for row in reader:
            yield start, row
            start = reader.line_num + 1


def read_jsonl_rows(path: Path, fmt: TextFormat, on_error) -> Iterator[tuple[int, dict]]:
    """Yield ``(line_number, object)`` of a JSON-lines file; ``on_error(BadRowError)`` for bad lines."""
    with open(path, encoding=fmt.codec) as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError("a line must hold a JSON object")  # noqa: TRY004 - a bad row, reported
            except ValueError as exc:
                on_error(BadRowError(str(path), line_no, f"invalid JSON: {exc}"))
                continue
            yield line_no, row


def open_table(path: Path, fmt: TextFormat, required: Sequence[str], kind: str,
               on_error: Callable[[BadRowError], None]) -> Iterator[tuple[int, dict]]:
    """The ``(line_number, row)`` pairs of a user's CSV/TSV/JSONL file, after the checks every such
    file gets: a known suffix, a readable encoding and, for CSV, the ``required`` columns in the
    header read with the sniffed (or given) delimiter.

    Args:
        path: The file.
        fmt: Encoding and delimiter.
        required: Columns a CSV header must have.
        kind: What the file holds, for the error message ("catalog", "interactions").
        on_error: Called with each bad JSON line.

    Raises:
        CatalogError: Unsupported suffix, unreadable encoding, or required columns absent.
    """
    suffix = path.suffix.lower()
    if suffix not in JSONL_SUFFIXES + CSV_SUFFIXES:
        raise CatalogError(f"{path}: unsupported {kind} format {path.suffix!r} (use .csv, .tsv or .jsonl)")
    fmt = check_readable(path, fmt)
    if suffix in JSONL_SUFFIXES:
        return read_jsonl_rows(path, fmt, on_error)
    delimiter = sniff_delimiter(path, fmt)
    header = read_csv_header(path, fmt, delimiter)
    missing = [c for c in required if c not in header]
    if missing:
        raise CatalogError(f"{path}: missing column(s) {', '.join(missing)}; columns are: {', '.join(header)} "
                           f"(read with delimiter {delimiter!r}; pass --delimiter if the file uses another)")
    return read_csv_rows(path, fmt, delimiter)
