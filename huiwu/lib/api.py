"""What every app's JSON API shares: the field types, the error bodies, the page of a list, and the one way a
broken rule becomes a 422.

Input is strict where pydantic's lax mode would guess: `true` is not the number 1, a number is not a date
(1970-01-01 + seconds), text holds no control or text-direction characters, and days lie in
EARLIEST_DAY…LATEST_DAY. Times are ISO 8601: one without an offset is Shanghai time, answers carry +08:00 and
are given to the second.
"""

import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import Annotated, Any, Generic, Literal, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as RuleError
from django.db.models import Choices
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja import Status as Reply
from pydantic import AfterValidator, BeforeValidator, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from huiwu.lib.dates import EARLIEST_DAY, LATEST_DAY
from huiwu.lib.params import MAX_ID
from huiwu.lib.text import has_unsafe_characters
from huiwu.lib.xlsx import XLSX_CONTENT_TYPE

MAX_PAGE_SIZE = 200
MAX_OFFSET = 2**31 - 1

# Error types of our own; `error_message` words them like pydantic's.
NOT_A_NUMBER = "number_not_boolean"
NOT_A_DATE = "date_not_number"
UNSAFE_TEXT = "unsafe_characters"
DAY_OUT_OF_RANGE = "day_out_of_range"


# --- field types --------------------------------------------------------------------------------------


def _not_boolean(value: Any) -> Any:
    # JSON's true is no count and no id, although Python's bool is an int.
    if isinstance(value, bool):
        raise PydanticCustomError(NOT_A_NUMBER, "expected a number, not true or false")
    return value


def _not_number(value: Any) -> Any:
    # Pydantic reads a number as seconds since 1970; nobody sending 20261127 means that.
    if isinstance(value, int | float):
        raise PydanticCustomError(NOT_A_DATE, "expected a date as text")
    return value


def _day_in_range(day: date) -> None:
    plain_day = day.date() if isinstance(day, datetime) else day
    if not EARLIEST_DAY <= plain_day <= LATEST_DAY:
        raise PydanticCustomError(DAY_OUT_OF_RANGE, "day out of range")


def _date_and_time(value: Any) -> Any:
    # A date alone would book from midnight, and a bare number is a Unix time nobody means: both are mistakes.
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value.strip()) <= len("2026-11-27"):
        raise PydanticCustomError("datetime_parsing", "expected an ISO 8601 date and time")
    return value


def _local_to_the_second(value: datetime) -> datetime:
    # The range first: the offset arithmetic of localtime() overflows on year 1 and 9999.
    _day_in_range(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localtime(value).replace(microsecond=0)


def _day(value: date) -> date:
    _day_in_range(value)
    return value


DateTime = Annotated[datetime, BeforeValidator(_date_and_time), AfterValidator(_local_to_the_second)]
Date = Annotated[date, BeforeValidator(_not_number), AfterValidator(_day)]
Id = Annotated[int, BeforeValidator(_not_boolean), Field(ge=1, le=MAX_ID)]
SmallCount = Annotated[int, BeforeValidator(_not_boolean), Field(ge=0, le=32767)]
Count = Annotated[int, BeforeValidator(_not_boolean), Field(ge=0, le=2**31 - 1)]


def _kinds(annotation: Any) -> set[type]:
    """The plain types a field annotation admits: int | None → {int, NoneType}, Annotated unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _kinds(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_kinds(arg) for arg in typing.get_args(annotation)))
    return {annotation} if isinstance(annotation, type) else set()


class InputSchema(Schema):
    """The base of every request schema: the same strict reading for every field, whatever its annotation."""

    # Views hand plain strings to the services, which compare them with the choices' values.
    # An unknown field is most often a misspelt one ("headcout"): refused, not silently ignored.
    model_config = ConfigDict(use_enum_values=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _strict_kinds(cls, value: Any, info: ValidationInfo) -> Any:
        kinds = _kinds(cls.model_fields[info.field_name].annotation)
        if isinstance(value, bool) and bool not in kinds and kinds & {int, float}:
            raise PydanticCustomError(NOT_A_NUMBER, "expected a number, not true or false")
        if isinstance(value, int | float) and not isinstance(value, bool) and kinds & {date, datetime}:
            raise PydanticCustomError(NOT_A_DATE, "expected a date as text")
        if isinstance(value, str) and str in kinds and has_unsafe_characters(value):
            raise PydanticCustomError(UNSAFE_TEXT, "control or text-direction characters")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _days_in_range(cls, value: Any) -> Any:
        if isinstance(value, date):
            _day_in_range(value)
        return value


def one_of(choices: type[Choices]) -> Any:
    """The choices' values as an inline enum. Models' enums share their names ("Kind", "State", "Action")
    across apps, and the OpenAPI schema keeps one component per name: the last would win."""
    return Literal[tuple(choices.values)]


def without_defaults(schema: dict[str, Any]) -> None:
    """`json_schema_extra` of a partial update: an omitted field keeps its value, which a documented default
    would contradict."""
    for field in schema.get("properties", {}).values():
        field.pop("default", None)


class PageIn(InputSchema):
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


# --- output -------------------------------------------------------------------------------------------

T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int = Field(description="Matching items in all")
    limit: int
    offset: int
    items: list[T]


class UserRefOut(Schema):
    id: int
    display_name: str


class OrganizationRefOut(Schema):
    id: int
    name: str


class ErrorOut(Schema):
    code: str = Field(description="e.g. not_authenticated, csrf_failed, forbidden, not_found, uri_too_long")
    message: str = Field(description="In the caller's language (Accept-Language)")


class InvalidOut(Schema):
    code: str = Field(description='"invalid"')
    message: str = Field(description="The first reason, in the caller's language")
    errors: dict[str, list[str]] = Field(
        description="field → messages; a nested field is named by its path (service_items.0.quantity), "
        "a rule about the whole request by __all__"
    )


class ForbiddenOut(ErrorOut):
    roles: list[str] | None = Field(
        None,
        description="The role codes any one of which would allow the action (see GET /me); absent when the "
        "refusal is not about a role (csrf_failed, or a meeting the caller may not change)",
    )


def errors_answered(*statuses: int) -> dict[int, type[Schema]]:
    """The error part of an operation's `response=`, so that OpenAPI describes every error it can answer.
    401 (no credentials) and 403 (CSRF, permission) can come from any authenticated operation."""
    answers: dict[int, type[Schema]] = {401: ErrorOut, 403: ForbiddenOut}
    for status in statuses:
        answers[status] = InvalidOut if status == 422 else ErrorOut
    return answers


def xlsx_answered(description: str) -> dict[str, Any]:
    """The `openapi_extra` of an operation that answers an Excel workbook: OpenAPI names its media type."""
    workbook = {XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}}
    return {"responses": {200: {"description": description, "content": workbook}}}


def pdf_answered(description: str) -> dict[str, Any]:
    """The `openapi_extra` of an operation that answers a PDF: OpenAPI names its media type."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


# --- errors -------------------------------------------------------------------------------------------


def error_message(error: dict[str, Any]) -> str:
    """One pydantic error in the caller's language. Pydantic words its messages in English only."""
    kind, context = error.get("type", ""), error.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "string_type": _("Enter text."),
        "bool_type": _("Enter true or false."),
        "bool_parsing": _("Enter true or false."),
        "int_type": _("Enter a whole number."),
        "int_parsing": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        NOT_A_NUMBER: _("Enter a number, not true or false."),
        "float_type": _("Enter a number."),
        "float_parsing": _("Enter a number."),
        "finite_number": _("Enter a number."),
        "date_type": _("Enter a date as YYYY-MM-DD."),
        "date_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_from_datetime_parsing": _("Enter a date as YYYY-MM-DD."),
        "date_from_datetime_inexact": _("Enter a date as YYYY-MM-DD."),
        NOT_A_DATE: _("Enter a date as text (YYYY-MM-DD), not a number."),
        "datetime_type": _("Enter a date and time in ISO 8601, e.g. 2026-11-27T09:00+08:00."),
        "datetime_parsing": _("Enter a date and time in ISO 8601, e.g. 2026-11-27T09:00+08:00."),
        "datetime_from_date_parsing": _("Enter a date and time in ISO 8601, e.g. 2026-11-27T09:00+08:00."),
        "datetime_object_invalid": _("Enter a date and time in ISO 8601, e.g. 2026-11-27T09:00+08:00."),
        DAY_OUT_OF_RANGE: _("Enter a day between %(first)s and %(last)s.")
        % {"first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()},
        UNSAFE_TEXT: _("Remove the control or text-direction characters; they cannot be stored."),
        "json_invalid": _("The request body is not valid JSON."),
        "model_type": _("Send an object."),
        "model_attributes_type": _("Send an object."),
        "dict_type": _("Send an object."),
        "list_type": _("Send a list."),
        "extra_forbidden": _("This field is not known."),
        "enum": _("Choose one of: %(expected)s.") % {"expected": context.get("expected", "")},
        "literal_error": _("Choose one of: %(expected)s.") % {"expected": context.get("expected", "")},
        "string_too_long": _("Enter at most %(limit)s characters.") % {"limit": context.get("max_length")},
        "string_too_short": _("Enter at least %(limit)s characters.") % {"limit": context.get("min_length")},
        "too_long": _("Send at most %(limit)s items.") % {"limit": context.get("max_length")},
        "too_short": _("Send at least %(limit)s items.") % {"limit": context.get("min_length")},
        "greater_than_equal": _("Enter a number of at least %(limit)s.") % {"limit": context.get("ge")},
        "greater_than": _("Enter a number greater than %(limit)s.") % {"limit": context.get("gt")},
        "less_than_equal": _("Enter a number of at most %(limit)s.") % {"limit": context.get("le")},
        "less_than": _("Enter a number less than %(limit)s.") % {"limit": context.get("lt")},
        "decimal_max_places": _("Enter at most %(limit)s decimal places.") % {"limit": context.get("decimal_places")},
        "decimal_whole_digits": _("Enter at most %(limit)s digits before the decimal point.")
        % {"limit": context.get("whole_digits")},
        "decimal_max_digits": _("Enter at most %(limit)s digits in all.") % {"limit": context.get("max_digits")},
        "decimal_parsing": _("Enter a number."),
        "decimal_type": _("Enter a number."),
    }
    if kind == "value_error":
        # Our own validators raise ValueError with a message already translated.
        return str(context.get("error", "")) or _("This value is not valid.")
    return messages.get(kind, _("This value is not valid."))


def schema_error_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The 422 body of a request that does not match its schema: each field (by its path) with its messages."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        path = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        # The schema of a Query[...] parameter adds its own name ("filters") in front of the field.
        fields.setdefault(".".join(path) or NON_FIELD_ERRORS, []).append(error_message(error))
    field, messages = next(iter(fields.items()), (NON_FIELD_ERRORS, [_("The request is not valid.")]))
    first = (
        messages[0]
        if field == NON_FIELD_ERRORS
        else _("%(field)s: %(message)s") % {"field": field, "message": messages[0]}
    )
    return {"code": "invalid", "message": first, "errors": fields}


def validation_error_body(error: RuleError, fields: dict[str, str] | None = None) -> dict[str, Any]:
    """The 422 body of a broken rule (a service's ValidationError). `fields` renames the services' field names
    (they name objects: organizer) to the API's (it names ids: organizer_id)."""
    raw = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    named = {(fields or {}).get(name, name): list(messages) for name, messages in raw.items()}
    first = next((messages[0] for messages in named.values() if messages), _("The request is not valid."))
    return {"code": "invalid", "message": first, "errors": named}


def answers_validation_errors(fields: dict[str, str] | None = None) -> Callable[[Callable], Callable]:
    """Decorates an operation: a rule the service finds broken answers 422 with the field messages.
    PermissionDenied and Http404 go on to the API's own handlers (403, 404)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except RuleError as error:
                return Reply(422, validation_error_body(error, fields))

        return wrapper

    return decorate
