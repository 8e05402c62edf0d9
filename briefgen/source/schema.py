"""Validate loaded YAML against a pydantic model, as located, staffer-friendly diagnostics."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from briefgen.errors import Diagnostic
from briefgen.source.loader import Document, Loc

M = TypeVar("M", bound=BaseModel)


def validate_document(doc: Document, model: type[M]) -> tuple[M | None, list[Diagnostic]]:
    """Return the model built from ``doc`` and every schema problem found."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        errors = _without_echoes(model, exc.errors(), doc.data)
        return None, [_diagnostic(doc, model, err) for err in errors]


def _without_echoes(model: type[BaseModel], errors: list[Any], data: Any) -> list[Any]:
    """Drop 'missing field' errors already explained by a misspelt key's did-you-mean."""
    explained: set[Loc] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = _clean_loc(err["loc"], data)
            parent = model_at(model, loc[:-1])
            guess = difflib.get_close_matches(
                str(loc[-1]), list(parent.model_fields) if parent else [], n=1, cutoff=0.6
            )
            explained.update((*loc[:-1], g) for g in guess)
    return [
        e
        for e in errors
        if not (e["type"] == "missing" and _clean_loc(e["loc"], data) in explained)
    ]


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """Return ' (did you mean 'x'?)' for the closest choice, or ''."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """Return the model class that describes the mapping at ``loc``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            current = _unwrap(current, list_item=True)
        elif isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            current = _unwrap(info.annotation, list_item=False) if info else None
        else:
            return None
    current = _unwrap(current, list_item=False)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any, *, list_item: bool) -> Any:
    """Strip Optional/Annotated, and take a list's item type when asked."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0], list_item=list_item)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(args[0], list_item=list_item) if len(args) == 1 else annotation
    if list_item and origin is list:
        return typing.get_args(annotation)[0]
    return annotation


def _clean_loc(loc: tuple[Any, ...], data: Any) -> Loc:
    """Keep the parts of a pydantic error location that name data; drop validator tags.

    The last part may name a key that is absent (a missing field).
    """
    clean: list[str | int] = []
    for n, part in enumerate(loc):
        if _has(data, part):
            data = data[part]
            clean.append(part)
        elif n == len(loc) - 1 and isinstance(data, dict) and isinstance(part, str):
            clean.append(part)
    return tuple(clean)


def _has(data: Any, part: Any) -> bool:
    """Return True when ``part`` is a key of a mapping or an index of a list in ``data``."""
    if isinstance(data, dict):
        return part in data
    return isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)


def _diagnostic(doc: Document, model: type[BaseModel], err: Any) -> Diagnostic:
    """Translate one pydantic error into a located diagnostic."""
    loc = _clean_loc(err["loc"], doc.data)
    kind = err["type"]
    if kind == "extra_forbidden":
        parent = model_at(model, loc[:-1])
        hint = did_you_mean(str(loc[-1]), parent.model_fields) if parent else ""
        return doc.diagnostic(loc, f"unknown field '{loc[-1]}'{hint}", key=True)
    if kind == "missing":
        return doc.diagnostic(loc, f"missing required field '{loc[-1]}'")
    return doc.diagnostic(loc, _message(doc, loc, err))


def _message(doc: Document, loc: Loc, err: Any) -> str:
    """Word a pydantic error the way a staffer reads it."""
    kind, value = err["type"], err.get("input")
    raw = doc.raw.get(loc)
    if kind == "string_type":
        if value is None:
            return "is empty; write the text, or remove the field if it is optional"
        if raw is not None:
            reads = str(value).lower() if isinstance(value, bool) else f"the number {value}"
            return f'expected text, but YAML reads {raw} as {reads}; put it in quotes: "{raw}"'
        return f"expected text, got {_describe(value)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long (at most {err['ctx']['max_length']} characters)"
    if kind == "string_pattern_mismatch":
        return _pattern_message(loc, value)
    if kind.startswith("date") or kind.startswith("datetime"):
        return _date_message(value, str(err["msg"]))
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {_describe(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields, got {_describe(value)}"
    if kind.startswith("bool"):
        return f"expected true or false, got {_describe(value)}"
    if kind == "too_short":
        return "needs at least one entry"
    return str(err["msg"]).removeprefix("Value error, ")


def _date_message(value: Any, detail: str) -> str:
    """Explain a bad date: impossible (2019-02-30) or not written as YYYY-MM-DD."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        reason = detail.lower().removeprefix("input should be a valid date or datetime, ")
        return f"'{value}' is not a real date ({reason})"
    return f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2019-08-07"


def _pattern_message(loc: Loc, value: Any) -> str:
    """Explain which shape a patterned field expects."""
    name = str(loc[-1]) if loc and not isinstance(loc[-1], int) else str(loc[-2])
    if name in ("url",):
        return f"'{value}' is not a web address starting with http:// or https://"
    if name in ("time",):
        return f"'{value}' is not a time; write HH:MM:SS"
    return f"'{value}' is not a valid id: use lower-case letters, digits and hyphens"


def _describe(value: Any) -> str:
    """Describe a YAML value by its kind."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"
