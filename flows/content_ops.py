"""A content stream's operations, read fast: the operands and operators the glyph layer needs.

pypdf's ContentStream reads a stream byte by byte and turns every string into a text object
(trying PDFDocEncoding and UTF-16 on glyph codes that are neither), which costs more than
everything the glyph layer does with the operations. This reader tokenises the same bytes with
one regular expression and hands strings over as the bytes they are; it gives the operations
in pypdf's shape (operands, operator), with numbers as int/float, names as NameObject, strings
as bytes, arrays as lists and dictionaries as pypdf DictionaryObjects.

It reads what a well-formed content stream contains. Anything else (an inline image, a name
with #-escapes or non-ASCII bytes, a token pypdf would refuse, a stream longer than pypdf's
parsing budget) is left to pypdf's own parser, so odd streams are read, or refused, exactly as
pypdf reads them.
"""

from __future__ import annotations

import re

from pypdf._configuration import get_configuration
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    NameObject,
    NullObject,
    NumberObject,
    create_string_object,
)

_WS = rb"\x00\t\n\x0c\r "
_DELIMITERS = rb"()<>\[\]{}/%"
_TOKEN = re.compile(
    rb"[" + _WS + rb"]*(?:"
    rb"(?P<num>[+-]?(?:\d+\.?\d*|\.\d+))(?=[" + _WS + _DELIMITERS + rb"]|\Z)"
    rb"|(?P<name>/[!-~]*?)(?=[" + _WS + _DELIMITERS + rb"]|\Z)"
    rb"|\((?P<plain>[^()\\]*)\)|(?P<lit>\()"
    rb"|(?P<dict><<)|(?P<dictend>>>)"
    rb"|<(?P<hex>[0-9A-Fa-f" + _WS + rb"]*)>"
    rb"|(?P<array>\[)|(?P<arrayend>\])"
    rb"|(?P<comment>%[^\r\n]*)"
    rb"|(?P<op>[A-Za-z'\"][^" + _WS + _DELIMITERS + rb"\x0b]*)"
    rb"|(?P<end>\Z))"
)
_HEX_SPACE = re.compile(rb"[" + _WS + rb"]")
# pypdf's escapes after a backslash in a literal string (its own list, a superset of the
# standard's): the byte each stands for
_ESCAPES = {ord(k): v for k, v in {
    "n": 10, "r": 13, "t": 9, "b": 8, "f": 12, "(": 40, ")": 41, "/": 47, "\\": 92, " ": 32,
    "%": 37, "<": 60, ">": 62, "[": 91, "]": 93, "#": 35, "_": 95, "&": 38, "$": 36}.items()}
_OCTAL = frozenset(b"01234567")


class _Unusual(Exception):
    """Something pypdf's own parser should read (or refuse)."""


def operations(content: ContentStream) -> list:
    """The operations of a content stream not yet parsed by pypdf, in pypdf's shape."""
    data = content.get_data()
    try:
        return _parse(data)
    except _Unusual:
        return content.operations


def _literal(data: bytes, start: int) -> tuple[bytes, int]:
    """A literal string opening at ``start`` with nested parentheses or escapes: its bytes
    (as pypdf reads them) and the index after its closing parenthesis."""
    out = bytearray()
    depth = 1
    i, end = start + 1, len(data)
    while True:
        if i >= end:
            raise _Unusual
        byte = data[i]
        i += 1
        if byte == 40:  # (
            depth += 1
        elif byte == 41:  # )
            depth -= 1
            if depth == 0:
                return bytes(out), i
        elif byte == 92:  # backslash
            if i >= end:
                raise _Unusual
            byte = data[i]
            i += 1
            escaped = _ESCAPES.get(byte)
            if escaped is not None:
                out.append(escaped)
                continue
            if byte in _OCTAL:
                first = i - 1
                digits = 1
                while digits < 3 and i < end and data[i] in _OCTAL:
                    i += 1
                    digits += 1
                value = int(data[first:i], 8)
                if value > 255:  # pypdf keeps the backslash and reads the digits as text
                    out.append(92)
                    i = first
                else:
                    out.append(value)
                continue
            if byte in (10, 13):  # an escaped line break is no character
                if i < end and data[i] in (10, 13):
                    i += 1
                continue
            raise _Unusual  # pypdf warns and keeps the backslash: let it
        out.append(byte)


def _hex(digits: bytes) -> bytes:
    digits = _HEX_SPACE.sub(b"", digits)
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode("ascii"))


def _parse(data: bytes) -> list:
    ops: list = []
    operands: list = []
    stack: list[list] = []  # arrays and dictionaries being read
    budget = get_configuration().stream_parsing_work_maximum_count
    tokens = 0
    match = _TOKEN.match
    pos = 0
    while True:
        found = match(data, pos)
        if found is None:
            raise _Unusual
        pos = found.end()
        kind = found.lastgroup
        tokens += 1
        if kind == "op":
            if stack:
                raise _Unusual
            operator = found.group("op")
            if operator == b"BI":
                raise _Unusual  # an inline image: pypdf knows where its data ends
            ops.append((operands, operator))
            operands = []
            continue
        if kind == "end":
            if stack or tokens > budget:
                raise _Unusual
            # operands left without an operator are dropped, as pypdf drops them
            return ops
        if kind == "num":
            text = found.group("num")
            value = float(text) if b"." in text else int(text)
        elif kind == "plain":
            value = found.group("plain")
        elif kind == "lit":
            value, pos = _literal(data, found.start("lit"))
        elif kind == "hex":
            value = _hex(found.group("hex"))
        elif kind == "name":
            raw = found.group("name")
            if b"#" in raw:
                raise _Unusual
            value = NameObject(raw.decode("ascii"))
        elif kind == "comment":
            continue
        elif kind in ("array", "dict"):
            stack.append([kind])
            continue
        elif kind in ("arrayend", "dictend"):
            opener = "array" if kind == "arrayend" else "dict"
            if not stack or stack[-1][0] != opener:
                raise _Unusual
            items = stack.pop()[1:]
            value = items if opener == "array" else _dictionary(items)
        else:
            raise _Unusual
        (stack[-1] if stack else operands).append(value)


def _dictionary(items: list) -> DictionaryObject:
    """Inline dictionaries (marked-content properties) as pypdf objects, so code that reads
    resource dictionaries reads these alike."""
    if len(items) % 2:
        raise _Unusual
    result = DictionaryObject()
    for key, value in zip(items[::2], items[1::2], strict=True):
        if not isinstance(key, NameObject):
            raise _Unusual
        result[key] = _pdf_object(value)
    return result


def _pdf_object(value):
    if isinstance(value, bytes):
        return create_string_object(value)
    if isinstance(value, bool):
        return BooleanObject(value)
    if isinstance(value, int):
        return NumberObject(value)
    if isinstance(value, float):
        return FloatObject(value)
    if isinstance(value, list):
        return ArrayObject(_pdf_object(v) for v in value)
    if value is None:
        return NullObject()
    return value
