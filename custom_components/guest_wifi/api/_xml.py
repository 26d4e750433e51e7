"""Reading Wiwiz XML with xmltodict: bounded in depth, records as a stream.

Wiwiz documents are `result/status/{code,message}` and `result/data/record`.
xmltodict (the user's chosen XML library) builds a dict per element; two
things keep a hostile or huge answer cheap:

- depth: an element nested past `MAX_DEPTH` stops the parse before it is
  built (freeing 100k nested dicts once took one ~30 ms step holding the
  interpreter lock);
- streaming: `RecordStream` is handed each `result/*/*` element as soon as
  it is read (xmltodict's `item_depth`), makes a record a model at once and
  drops its dict. A log of tens of thousands of sessions never exists as
  one tree of dicts, whose freeing (and collection) cost a 12-15 ms step;
- counting: the stream stops at the first element past the records its
  caller expects. A byte cap alone does not bound the models: 16 MiB holds
  400,000 records of one short field. Nor does a count of records: one
  record may hold millions of elements, built whole before it is handed
  over, so the elements inside each `result/*/*` are counted as they start
  (`MAX_RECORD_ELEMENTS`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final
from xml.parsers import expat
from xml.parsers.expat import ExpatError

import xmltodict

from ._turns import let_the_loop_in
from .errors import InvalidResponseError, ResponseTooLargeError

# Wiwiz documents are four elements deep (result/data/record/field); a field
# holding markup adds a few. Past this, an answer is refused unbuilt.
MAX_DEPTH: Final = 32
# The most elements one `result/*/*` element (a record, a status field) may
# hold, at any depth. A Wiwiz record is a dozen fields of text; a field
# holding markup adds a few. Past it, the answer is refused before the record
# is built (once 1M fields of one record cost +230 MB and a 440 ms stall).
MAX_RECORD_ELEMENTS: Final = 256
# Expat is handed the body in pieces this large: ~1 ms each, its records
# made models included; the loop takes a turn between two.
PIECE: Final = 16 * 2**10
# `result/status/code`, `result/data/record`: the depth a stream is read at.
_ITEM_DEPTH: Final = 3
_MISSING: Final = object()


class _TooDeepError(Exception):
    """An element nested past MAX_DEPTH."""


class _DepthLimitedParser:
    """An expat parser that stops at the first element past MAX_DEPTH.

    With `sections`, it also counts the root's children named there: read as
    a stream, a second `<data>` is otherwise never seen.
    """

    def __init__(self, parser: Any, sections: dict[str, int] | None) -> None:
        object.__setattr__(self, "_parser", parser)
        object.__setattr__(self, "_sections", sections)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._parser, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "StartElementHandler":
            value = self._limited(value, self._sections)
        setattr(self._parser, name, value)

    @staticmethod
    def _limited(
        start: Callable[..., None], sections: dict[str, int] | None
    ) -> Callable[..., None]:
        # xmltodict's handler keeps the open elements in `path`.
        path = start.__self__.path  # type: ignore[attr-defined]
        # Elements inside the `result/*/*` element being read.
        inside = 0

        def limited(name: str, attrs: Any) -> None:
            nonlocal inside
            depth = len(path)
            if depth < _ITEM_DEPTH:
                inside = 0
                if depth == 1 and sections is not None and name in sections:
                    sections[name] += 1
            else:
                inside += 1
                if depth >= MAX_DEPTH:
                    raise _TooDeepError
                if inside > MAX_RECORD_ELEMENTS:
                    raise ResponseTooLargeError(
                        f"A Wiwiz record holds more than {MAX_RECORD_ELEMENTS} elements"
                    )
            start(name, attrs)

        return limited


class _DepthLimitedExpat:
    """The `expat` module xmltodict is handed: its parsers limit depth."""

    def __init__(self, sections: dict[str, int] | None) -> None:
        self._sections = sections

    def ParserCreate(self, *args: Any) -> _DepthLimitedParser:  # noqa: N802 - expat's name
        return _DepthLimitedParser(expat.ParserCreate(*args), self._sections)


def _pieces(body: bytes) -> Iterator[bytes]:
    """The body in pieces: expat then never reads megabytes in one call.

    Between two pieces the event loop takes a turn (see `_turns`).
    """
    for start in range(0, len(body), PIECE):
        if start:
            let_the_loop_in()
        yield body[start : start + PIECE]


def read_xml(
    body: bytes, sections: dict[str, int] | None = None, **options: Any
) -> Any:
    """xmltodict.parse with the depth bound, its failures made ours.

    `sections` counts the root's children of the names it holds.
    """
    try:
        return xmltodict.parse(
            _pieces(body), expat=_DepthLimitedExpat(sections), **options
        )
    # LookupError: the declared encoding is one Python does not know
    # (`x-klingon`), or no text encoding (`rot13`).
    except (ExpatError, ValueError, LookupError):
        pass
    except _TooDeepError:
        raise InvalidResponseError("Wiwiz answer nested too deeply") from None
    raise InvalidResponseError("Malformed XML from Wiwiz")


class RecordStream[T]:
    """One answer's status and its records, made models as they are read.

    Errors keep the order a whole-tree reading gives them: malformed XML
    first (the parse raises), then the status's own error (the caller checks
    `status`), then a malformed record (`failure`, kept until then: the
    first one ends the building). Past `most` records, or as many other
    elements, the reading itself stops with a ResponseTooLargeError.
    """

    def __init__(
        self, what: str, build: Callable[[dict[str, Any]], T], most: int
    ) -> None:
        """Build each `result/data/record` with `build`, at most `most` of them."""
        self._what = what
        self._build = build
        self._most = most
        # Elements read: records, and the others (a status field given a
        # million times would be a list of a million).
        self._read = {True: 0, False: 0}
        self.models: list[T] = []
        self.status: dict[str, Any] = {}
        self.failure: InvalidResponseError | None = None
        self.foreign_root = False
        # How many <status> and <data> the root holds: one each, or none.
        self.sections = {"status": 0, "data": 0}

    def read(self, body: bytes) -> None:
        """Parse the whole body, building as it goes."""
        read_xml(body, self.sections, item_depth=_ITEM_DEPTH, item_callback=self._item)

    def _item(self, path: list[tuple[str, Any]], value: Any) -> bool:
        root, section, name = path[0][0], path[1][0], path[2][0]
        record = section == "data" and name == "record"
        self._read[record] += 1
        if self._read[record] > self._most:
            raise ResponseTooLargeError(
                f"More than {self._most} records from Wiwiz {self._what}"
            )
        if root != "result":
            self.foreign_root = True
        elif section == "status":
            # A field given twice is a list, as a whole-tree reading makes it.
            known = self.status.get(name, _MISSING)
            self.status[name] = value if known is _MISSING else [known, value]
        elif record and self.failure is None:
            if value.__class__ is not dict:
                self.failure = InvalidResponseError(
                    f"Wiwiz {self._what} records are malformed"
                )
            else:
                try:
                    self.models.append(self._build(value))
                except InvalidResponseError as err:
                    self.failure = err
        return True
