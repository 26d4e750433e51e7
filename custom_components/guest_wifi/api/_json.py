"""JSON as the vendors send it: read fast by orjson, refused bodies the json way.

orjson (which Home Assistant ships) reads a list of records five times as
fast as the json module. It reads a long list in pieces cut between two
objects, so that no one call holds the interpreter lock for long, and hands
every element to the caller's `each` as soon as its piece is read. Whatever
orjson refuses goes the json module's way, element by element, which has
the last word on what is valid.

A list of records is counted as it is read, either way: a byte cap alone
does not bound memory (an empty record is three bytes, `{},`), so an answer
past the most records a caller expects stops there. Nor does a count alone:
one record may hold millions of values (`[{"a": [{}, {}, …]}]`), where no
cut between objects can be made. So a record is checked for its shape
(`MAX_RECORD_FIELDS`) before it is built, each way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
import json
import re
from typing import Any, Final

import orjson

from ._turns import let_the_loop_in
from .errors import InvalidResponseError, ResponseTooLargeError

# A record (an element of a list of records) is an object of at most this
# many fields, each a value (text, number, true, false, null) or a flat list
# or object of at most MAX_RECORD_ITEMS values. The vendors' records are flat,
# of 17 to 36 fields (a My Wi-Fi user). A text may be long: it is one value,
# cut where it is read. At most 65,536 values a record, however it is nested:
# a record holding more is refused before it is built (once 5.5 million
# `{}` in one record cost 3 s and +415 MB).
MAX_RECORD_FIELDS: Final = 256
MAX_RECORD_ITEMS: Final = 256

_SPACE = re.compile(r"[ \t\n\r]*")
_WS = r"[ \t\n\r]*+"
# One JSON value that is not a list or an object (a number, a literal, a
# string), or any run of such characters: the json module refuses what is
# not JSON in it, having built no more.
_VALUE = r'(?:[^"{}\[\],: \t\n\r]++|"(?:[^"\\]++|\\.)*+")'


def _values(value: str, most: int) -> str:
    """Up to `most` of `value`, each with a `,` or `:` after it (a field: two)."""
    return rf"(?:{_WS}{value}{_WS}[,:]?){{0,{most}}}+{_WS}"


_FLAT = (
    rf"(?:\[{_values(_VALUE, MAX_RECORD_ITEMS)}\]"
    rf"|\{{{_values(_VALUE, 2 * MAX_RECORD_ITEMS)}\}})"
)
# A record of that shape, from its `{` to its `}`: matched in one call,
# strings and all, and nothing built.
_RECORD = re.compile(
    rf"\{{{_values(f'(?:{_VALUE}|{_FLAT})', 2 * MAX_RECORD_FIELDS)}\}}", re.DOTALL
)
# Read in text or in UTF-8 bytes: a record, and any other element.
_SHAPES: Final[dict[type, tuple[re.Pattern[Any], re.Pattern[Any]]]] = {
    str: (_RECORD, re.compile(_VALUE, re.DOTALL)),
    bytes: (
        re.compile(_RECORD.pattern.encode(), re.DOTALL),
        re.compile(_VALUE.encode(), re.DOTALL),
    ),
}
# And a list's blanks, its commas and its end.
_SYNTAX: Final[dict[type, tuple[re.Pattern[Any], Any, Any]]] = {
    str: (_SPACE, ",", "]"),
    bytes: (re.compile(_SPACE.pattern.encode()), b",", b"]"),
}
# A record not of that shape is read this far to tell whether it is JSON.
_TELL_CHARS: Final = 64 * 2**10
# The longest text checked for depth by orjson first (see _too_deep).
_DEPTH_CHECK_CHARS: Final = 512 * 2**10
_DECODER = json.JSONDecoder()


class _TooManyError(Exception):
    """A list of records past the most its caller expects."""


class _NotAListError(Exception):
    """Records expected, and the answer is something else too large to read."""


class _MisshapenError(Exception):
    """A record nested, or holding more, past a record's shape (MAX_RECORD_FIELDS)."""


def _flat(record: Any) -> None:
    """Refuse a record, as read, that is not of a record's shape.

    A list is no record; a value other than an object is left to the
    caller's `each`, which refuses it.
    """
    if record.__class__ is list:
        raise _NotAListError
    if record.__class__ is not dict:
        return
    if len(record) > MAX_RECORD_FIELDS:
        raise _MisshapenError
    items: Iterable[Any]
    for value in record.values():
        if value.__class__ is list:
            items = value
        elif value.__class__ is dict:
            items = value.values()
        else:
            continue
        if len(value) > MAX_RECORD_ITEMS or any(
            item.__class__ is list or item.__class__ is dict for item in items
        ):
            raise _MisshapenError


def _flat_piece(piece: bytes, records: list[Any]) -> None:
    """Refuse a piece's records (see `_fast_loads`) not of a record's shape.

    Counted first: flat objects have a `{` each and no `[` but the piece's
    own, and their sizes are their numbers of fields. A brace inside a
    string only adds to the count; the records are then looked at one by
    one (the vendors' are flat: that is rare).
    """
    if piece.find(b"[", 1) < 0 and piece.count(b"{") == len(records):
        try:
            if max(map(len, records), default=0) <= MAX_RECORD_FIELDS:
                return
        except TypeError:
            pass  # a number among them: not a record, refused by `each`
    for record in records:
        _flat(record)


def _element_end(text: str | bytes, pos: int) -> int:
    """Where the element at `pos` of a list of records ends; none is built.

    An object must be of a record's shape (`_RECORD`), and a list is no
    record. Any other value is one value (the caller refuses it).
    """
    first = text[pos : pos + 1]
    if first in ("[", b"["):
        raise _NotAListError
    record, value = _SHAPES[text.__class__]
    if first not in ("{", b"{"):
        found = value.match(text, pos)
        if found is None:
            raise ValueError("Expecting a value")
        return found.end()
    found = record.match(text, pos)
    if found is None:
        window = text[pos : pos + _TELL_CHARS]
        if isinstance(window, bytes):
            window = window.decode("utf-8", "replace")
        raise _misshapen(window, cut=pos + _TELL_CHARS < len(text))
    return found.end()


def _misshapen(window: str, *, cut: bool) -> Exception:
    """Why a record is not of a record's shape: bad JSON, or too much in it.

    Told from its first `_TELL_CHARS` (`window`; `cut` if the text goes on),
    a few ms for the json module at most: read there, it is either JSON of
    another shape, or refused inside (bad JSON), or cut (too long a record).
    """
    if _too_deep(window):
        return ValueError("Nested too deeply")
    try:
        _DECODER.raw_decode(window)
    except json.JSONDecodeError as err:
        # A cut lands inside a value (a literal is at most 9 characters) or
        # inside a string, whose start is then where it is refused.
        if not cut or (
            err.pos < len(window) - 16 and not err.msg.startswith("Unterminated")
        ):
            return err
    return _MisshapenError()


def _skip(text: str | bytes, pos: int) -> int:
    """The first position at or after `pos` that is not JSON whitespace."""
    space = _SYNTAX[text.__class__][0].match(text, pos)
    return space.end() if space else pos


def _elements(
    text: str | bytes,
    pos: int,
    read: Callable[[int], tuple[Any, int]],
    each: Callable[[Any], Any] | None,
    most: int | None,
) -> list[Any]:
    """The elements of the list whose `[` ends at `pos`, up to the text's end.

    `read` reads the element at a position: the element and where it ends.
    Between elements the interpreter lock is handed back; `each` maps every
    element as it is read; past `most` elements reading stops.
    """
    _, comma, close = _SYNTAX[text.__class__]
    items: list[Any] = []
    pos = _skip(text, pos)
    if text.startswith(close, pos):
        pos += 1
    else:
        while True:
            if len(items) == most:
                raise _TooManyError
            item, pos = read(pos)
            items.append(item if each is None else each(item))
            pos = _skip(text, pos)
            if text.startswith(comma, pos):
                pos = _skip(text, pos + 1)
            elif text.startswith(close, pos):
                pos += 1
                break
            else:
                raise ValueError("Expected ',' or ']'")
    if _skip(text, pos) != len(text):
        raise ValueError("Extra data")
    return items


def _loads(
    text: str, each: Callable[[Any], Any] | None = None, most: int | None = None
) -> Any:
    """json.loads, reading a top-level list one element at a time.

    The slow way, for what orjson refuses (see `_fast_loads`).

    One C call over a whole 16 MiB list holds the interpreter lock for
    ~100 ms, and so stalls the event loop even from a worker thread; between
    elements the lock is handed back. `each` maps every element as it is read;
    past `most` elements reading stops, and each is a record (see
    `decode_json`).
    """
    if _too_deep(text):
        raise ValueError("Nested too deeply")
    pos = _skip(text, 0)
    if not text.startswith("[", pos):
        if most is not None and len(text) > _MAX_PIECE:
            raise _NotAListError
        return json.loads(text)

    def read(at: int) -> tuple[Any, int]:
        if most is not None:
            _element_end(text, at)
        return _DECODER.raw_decode(text, at)

    return _elements(text, pos + 1, read, each, most)


def _utf8_records(
    body: bytes, start: int, each: Callable[[Any], Any] | None, most: int
) -> list[Any]:
    """A UTF-8 list of records (its `[` ending at `start`), each decoded alone.

    The slow way's text is never made whole: decoding 16 MiB is one step of
    ~10 ms holding the interpreter lock (its memory is new: page faults).
    """

    def read(at: int) -> tuple[Any, int]:
        end = _element_end(body, at)
        return _DECODER.decode(body[at:end].decode("utf-8", "surrogatepass")), end

    return _elements(body, start, read, each, most)


def _too_deep(text: str) -> bool:
    """Whether orjson finds the text nested past its limit (1,024 levels).

    orjson stops at the 1,025th level, having read about as many bytes; the
    json module instead builds every level, down to its recursion limit (a
    100k-deep list: ~12 ms holding the interpreter lock, in one call). The
    check reads the whole text, so it is made only on texts orjson reads in
    about 2 ms. Anything else orjson refuses (NaN, a lone surrogate, a number
    past a double) is left to the json module, which decides as before.
    """
    if len(text) > _DEPTH_CHECK_CHARS:
        return False
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError as err:
        return "recursion" in str(err)
    return False


_MISSING: Final = object()
# A list is read by orjson in pieces of about this many bytes: ~1 ms each.
_PIECE: Final = 256 * 2**10
# A piece with no end of an object in sight by this size is no list of records.
_MAX_PIECE: Final = 4 * _PIECE
# Records made models between two turns of the event loop: ~1 ms of work.
_MODELS_A_TURN: Final = 100
# Where one object of a list ends and the next starts, if not inside a string.
_SEAM = re.compile(rb"\}[ \t\n\r]*,[ \t\n\r]*\{")
_LIST_START = re.compile(rb"[ \t\n\r]*\[")


def _pieces(body: bytes) -> Iterator[bytes] | None:
    """A top-level list of objects as lists of about `_PIECE` bytes, or None.

    Cut between two objects (`}, {`) and closed with brackets, each piece is
    JSON of its own. A cut inside a string, or inside a nested value, leaves
    its piece open (a string or a bracket unclosed): that piece then fails
    to parse, and the caller reads the body the slow way. Parsing being
    deterministic, every piece that parses starts where the one before it
    ended: together they read exactly as the whole body would.
    """
    start = _LIST_START.match(body)
    if start is None:
        return None
    return _cut(body, start.end())


def _cut(
    body: bytes, pos: int, piece: int = _PIECE, most: int = _MAX_PIECE
) -> Iterator[bytes]:
    """The list from `pos` on, cut at the first seam past each `piece` bytes."""
    end = len(body)
    while end - pos > piece:
        seam = _SEAM.search(body, pos + piece, pos + most)
        if seam is None:
            raise ValueError("No end of an object in sight")
        yield b"[" + body[pos : seam.start() + 1] + b"]"
        pos = seam.end() - 1
    yield b"[" + body[pos:]


def _fast_loads(
    body: bytes, each: Callable[[Any], Any] | None, most: int | None = None
) -> Any:
    """Orjson's reading of the body, or _MISSING if it must be read the slow way.

    A list is read piece by piece (see `_pieces`), each element mapped by
    `each` as soon as its piece is read, the event loop taking a turn
    between every `_MODELS_A_TURN` (see `_turns`): no more than a piece of
    records exists at once. A
    piece that takes the list past `most` elements is counted, never mapped.
    orjson refuses what the json module may accept (NaN, a lone surrogate,
    UTF-16, a number past a double, nesting past 1,024 levels): such a body
    is read the slow way, which decides as before.
    """
    pieces = _pieces(body)
    try:
        if pieces is None:
            if len(body) <= _MAX_PIECE:
                return orjson.loads(body)
            # Records expected, and UTF-8 that does not start with `[`: no
            # list, and not worth decoding whole (16 MiB: a 20 ms step).
            if most is not None and json.detect_encoding(body) == "utf-8":
                raise _NotAListError
            return _MISSING
        items: list[Any] = []
        for piece in pieces:
            read = orjson.loads(piece)
            if most is not None:
                if len(items) + len(read) > most:
                    raise _TooManyError
                _flat_piece(piece, read)
            if each is None:
                items.extend(read)
            else:
                for first in range(0, len(read), _MODELS_A_TURN):
                    if items:  # a short answer never waits
                        let_the_loop_in()
                    items.extend(map(each, read[first : first + _MODELS_A_TURN]))
            del read
    except (orjson.JSONDecodeError, ValueError):
        return _MISSING
    return items


def decode_json(
    body: bytes,
    what: str,
    each: Callable[[Any], Any] | None = None,
    *,
    exact: bool = False,
    most: int | None = None,
) -> Any:
    """Decode JSON, calling an HTML page, a cut body or deep nesting invalid.

    `each` maps every element of a top-level list as it is read. orjson reads
    what it can (five times as fast as the json module); anything it refuses
    goes the json module's way, which has the last word. orjson reads an
    integer past 64 bits as the nearest float: every number we read is
    range-checked far below that, and refused either way; `exact` reads with
    the json module alone, for small answers whose ids become identifiers.

    With `most`, the answer is a list of at most that many records: one past
    it is a ResponseTooLargeError, raised as it is read. Anything but a list
    is then read only if small (the caller refuses its shape): an object
    holding millions of records is not built to be refused. Each record is
    checked for a record's shape (`MAX_RECORD_FIELDS`) before it is built,
    or, read in a piece by orjson, before it is handed to `each`.
    """
    try:
        fast = _MISSING if exact else _fast_loads(body, each, most)
        if fast is not _MISSING:
            return fast
        encoding = json.detect_encoding(body)
        start = _LIST_START.match(body)
        if most is not None and encoding == "utf-8" and start is not None:
            return _utf8_records(body, start.end(), each, most)
        return _loads(body.decode(encoding, "surrogatepass"), each, most)
    except (ValueError, UnicodeDecodeError, RecursionError):
        failure = InvalidResponseError(f"Malformed JSON from /{what.lstrip('/')}")
    except _TooManyError:
        failure = ResponseTooLargeError(
            f"More than {most} records from /{what.lstrip('/')}"
        )
    except _NotAListError:
        failure = InvalidResponseError(f"Expected a list of records from {what}")
    except _MisshapenError:
        failure = InvalidResponseError(
            f"A record from /{what.lstrip('/')} is nested or holds too much: at"
            f" most {MAX_RECORD_FIELDS} fields, each a value or a flat list of"
            f" at most {MAX_RECORD_ITEMS}"
        )
    # Raised outside the handler: a UnicodeDecodeError's repr holds the body,
    # which may echo a secret, and would stay reachable as `__context__`.
    raise failure
