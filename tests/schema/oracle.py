# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check v7 requests and answers against the vendor's schema, as carried by the official SDK 6.0.0.

The SDK's API classes give each operation: method, path template, path and query names, request model and
one response model per status. Its pydantic models give field names, types, enums, ranges and required
fields. The models themselves are too lenient to be the check (unknown keys are accepted silently, missing
ones get defaults, an unknown enum value becomes ``UNKNOWN``), so this module walks each model's declared
fields itself and reports every difference as a ``Mismatch`` naming the field and the rule.
"""

from __future__ import annotations

import datetime
import enum
import functools
import importlib
import inspect
import pkgutil
import re
import types
import typing
from dataclasses import dataclass, field

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

# The SDK packages pinned in requirements-dev.txt that cover the operations the collection and the
# emulator use (account groups live in the administrative package, which is not part of the oracle).
SDK_PACKAGES = ('instant_tests', 'tests', 'test_results', 'agents',
                'endpoint_instant_tests', 'endpoint_test_results', 'endpoint_agents')
# Operations whose schema lives in an SDK package that is not pinned: (method, path pattern, package). Their
# requests and answers are not checked (and not reported as unknown); everything else of the endpoint flow is.
# The endpoint test list belongs to thousandeyes-sdk-endpoint-tests; the collection reads only its testId and
# testName, to find an endpoint instant test by name (whether they are listed there is UNCONFIRMED).
UNPINNED_OPERATIONS = (
    ('GET', re.compile(r'/v7/endpoint/tests/scheduled-tests'), 'endpoint_tests'),
)
API_PREFIX = '/v7'
# The generator adds an ``unknown`` member to every enum for forward compatibility; it is not a schema value.
GENERATED_ENUM_MEMBERS = frozenset(('unknown',))


@dataclass(frozen=True)
class Mismatch:
    """One difference between a message and the schema."""

    where: str      # e.g. 'POST /v7/tests/http-server/instant request body'
    field: str      # dotted path inside the message, e.g. 'agents[0].sourceIpAddress'
    rule: str       # what the schema says, e.g. 'undeclared key'

    def __str__(self) -> str:
        return '%s: %s: %s' % (self.where, self.field or '(whole body)', self.rule)


@dataclass
class Operation:
    """One vendor operation, read from an SDK API class."""

    name: str
    package: str
    method: str
    template: str
    path_names: tuple[str, ...]
    query: dict[str, typing.Any]
    body_model: typing.Any
    responses: dict[str, typing.Any]
    pattern: re.Pattern = field(repr=False, default=None)
    api_class: type = field(repr=False, default=None)

    @property
    def literal_segments(self) -> int:
        return sum(1 for part in self.template.split('/') if part and not part.startswith('{'))


def camel_to_snake(name: str) -> str:
    return re.sub(r'(?<!^)(?=[A-Z])', '_', name).lower()


def _resolve_model(package: str, name: str | None) -> typing.Any:
    if name is None:
        return None
    models = importlib.import_module('thousandeyes_sdk.%s.models' % package)
    return getattr(models, name)


def _operations_of(package: str) -> list[Operation]:
    api = importlib.import_module('thousandeyes_sdk.%s.api' % package)
    found = []
    for module_info in pkgutil.iter_modules(api.__path__):
        module = importlib.import_module('%s.%s' % (api.__name__, module_info.name))
        for cls in dict(inspect.getmembers(module, inspect.isclass)).values():
            if cls.__module__ != module.__name__:
                continue
            for name, method in inspect.getmembers(cls, inspect.isfunction):
                if name.startswith('_') or name.endswith(('_with_http_info', '_without_preload_content')):
                    continue
                serializer = getattr(cls, '_%s_serialize' % name, None)
                if serializer is None:
                    continue
                found.append(_operation(package, name, method, serializer, cls))
    return found


def _operation(package: str, name: str, method, serializer, api_class: type) -> Operation:
    source = inspect.getsource(serializer)
    http_method = re.search(r"method='(\w+)'", source).group(1)
    template = API_PREFIX + re.search(r"resource_path='([^']+)'", source).group(1)
    path_names = tuple(re.findall(r"_path_params\['(\w+)'\]", source))
    hints = typing.get_type_hints(getattr(method, '__wrapped__', method), include_extras=True)
    query = {wire: hints.get(camel_to_snake(wire)) for wire in re.findall(r"_query_params\.append\(\s*\('(\w+)'", source)}
    body = re.search(r'_body_params = (\w+)', source)
    body_model = hints.get(body.group(1)) if body else None
    responses = {status: _resolve_model(package, None if model == 'None' else model.strip('"'))
                 for status, model in re.findall(r"'(\d{3})': (None|\"\w+\")", inspect.getsource(method))}
    pattern = re.compile(re.sub(r'\\\{(\w+)\\\}', r'(?P<\1>[^/]+)', re.escape(template)))
    return Operation(name, package, http_method, template, path_names, query, body_model, responses, pattern, api_class)


@functools.lru_cache(maxsize=1)
def operations() -> tuple[Operation, ...]:
    """Every operation of the pinned SDK packages."""
    return tuple(op for package in SDK_PACKAGES for op in _operations_of(package))


def find_operations(method: str, path: str) -> list[Operation]:
    """The operations for this method and path, the most specific template first (literal segments win).

    Several SDK packages may declare the same template; all of them are returned.
    """
    matching = [op for op in operations() if op.method == method and op.pattern.fullmatch(path)]
    if not matching:
        return []
    best = max(op.literal_segments for op in matching)
    return [op for op in matching if op.literal_segments == best]


# -- values against annotations ---------------------------------------------------------------------------
def _unwrap(annotation) -> tuple[typing.Any, list]:
    """(bare type, constraints) of a possibly Annotated annotation."""
    constraints: list = []
    while typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        annotation = args[0]
        constraints.extend(args[1:])
    return annotation, constraints


def _flatten_constraints(constraints) -> list:
    flat = []
    for item in constraints:
        if isinstance(item, FieldInfo):
            flat.extend(item.metadata)
            if item.json_schema_extra:
                flat.append(item.json_schema_extra)
        else:
            flat.append(item)
    return flat


def _type_name(value) -> str:
    return {bool: 'boolean', int: 'integer', float: 'number', str: 'string', list: 'array', dict: 'object',
            type(None): 'null'}.get(type(value), type(value).__name__)


def _enum_values(enum_cls) -> list:
    return [member.value for member in enum_cls if str(member.value) not in GENERATED_ENUM_MEMBERS]


def _is_model(annotation) -> bool:
    return inspect.isclass(annotation) and issubclass(annotation, BaseModel)


def _is_one_of(model) -> bool:
    """A generated oneOf/anyOf wrapper: the JSON is one of the alternatives, not an object of its own."""
    return 'actual_instance' in model.model_fields and bool(
        {'one_of_schemas', 'any_of_schemas'} & set(model.model_fields))


def _one_of_alternatives(model) -> list:
    alternatives = []
    for name, info in model.model_fields.items():
        if re.fullmatch(r'(one|any)of_schema_\d+_validator', name):
            alternatives.extend(arg for arg in _union_args(info.annotation) if arg is not types.NoneType)
    return alternatives


def _union_args(annotation) -> tuple:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)


def _check_constraints(value, constraints, where, path, out) -> None:
    for item in _flatten_constraints(constraints):
        if isinstance(item, annotated_types.Ge) and value < item.ge:
            out.append(Mismatch(where, path, '%r is below the minimum %r' % (value, item.ge)))
        elif isinstance(item, annotated_types.Gt) and value <= item.gt:
            out.append(Mismatch(where, path, '%r must be greater than %r' % (value, item.gt)))
        elif isinstance(item, annotated_types.Le) and value > item.le:
            out.append(Mismatch(where, path, '%r is above the maximum %r' % (value, item.le)))
        elif isinstance(item, annotated_types.Lt) and value >= item.lt:
            out.append(Mismatch(where, path, '%r must be less than %r' % (value, item.lt)))
        elif isinstance(item, annotated_types.MinLen) and len(value) < item.min_length:
            out.append(Mismatch(where, path, 'needs at least %d items' % item.min_length))
        elif isinstance(item, annotated_types.MaxLen) and len(value) > item.max_length:
            out.append(Mismatch(where, path, 'allows at most %d items' % item.max_length))
        elif hasattr(item, 'pattern') and isinstance(getattr(item, 'pattern'), str) and isinstance(value, str):
            if not re.search(item.pattern, value):
                out.append(Mismatch(where, path, '%r does not match the pattern %s' % (value, item.pattern)))


def check_value(value, annotation, where: str, path: str = '') -> list[Mismatch]:
    """Every way ``value`` (parsed JSON) differs from ``annotation`` (an SDK type)."""
    out: list[Mismatch] = []
    _check(value, annotation, where, path, out)
    return out


def _check(value, annotation, where, path, out) -> None:  # pylint: disable=too-many-return-statements,too-many-branches
    bare, constraints = _unwrap(annotation)
    if typing.get_origin(bare) in (typing.Union, types.UnionType):
        alternatives = [arg for arg in typing.get_args(bare) if arg is not types.NoneType]
        if value is None and len(alternatives) < len(typing.get_args(bare)):
            return
        if len(alternatives) == 1:
            _check(value, alternatives[0], where, path, out)
            return
        _check_first_fitting(value, alternatives, where, path, out)
        return
    if bare is typing.Any or bare is object:
        return
    if value is None:
        out.append(Mismatch(where, path, 'null where the schema wants %s' % _describe(bare)))
        return
    origin = typing.get_origin(bare)
    if origin in (list, typing.List, set, typing.Set):
        if not isinstance(value, list):
            out.append(Mismatch(where, path, 'expected an array, got %s' % _type_name(value)))
            return
        _check_constraints(value, constraints, where, path, out)
        (item_type,) = typing.get_args(bare) or (typing.Any,)
        for index, item in enumerate(value):
            _check(item, item_type, where, '%s[%d]' % (path, index), out)
        return
    if origin in (dict, typing.Dict):
        if not isinstance(value, dict):
            out.append(Mismatch(where, path, 'expected an object, got %s' % _type_name(value)))
            return
        args = typing.get_args(bare)
        for key, item in value.items():
            _check(item, args[1] if len(args) == 2 else typing.Any, where, _join(path, key), out)
        return
    if inspect.isclass(bare) and issubclass(bare, enum.Enum):
        allowed = _enum_values(bare)
        if value not in allowed or isinstance(value, bool):
            out.append(Mismatch(where, path, '%r is not one of the enum %s %s' % (value, bare.__name__, allowed)))
        return
    if _is_model(bare):
        _check_model(value, bare, where, path, out)
        return
    _check_scalar(value, bare, constraints, where, path, out)


def _check_first_fitting(value, alternatives, where, path, out) -> None:
    attempts = []
    for alternative in alternatives:
        found = check_value(value, alternative, where, path)
        if not found:
            return
        attempts.append(found)
    out.extend(min(attempts, key=len))


def _describe(annotation) -> str:
    return getattr(annotation, '__name__', str(annotation))


def _join(path: str, key: str) -> str:
    return '%s.%s' % (path, key) if path else key


def _check_scalar(value, bare, constraints, where, path, out) -> None:
    if bare is bool:
        if not isinstance(value, bool):
            out.append(Mismatch(where, path, 'expected a boolean, got %s %r' % (_type_name(value), value)))
        return
    if bare is int:
        if isinstance(value, bool) or not isinstance(value, int):
            out.append(Mismatch(where, path, 'expected an integer, got %s %r' % (_type_name(value), value)))
            return
    elif bare is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            out.append(Mismatch(where, path, 'expected a number, got %s %r' % (_type_name(value), value)))
            return
    elif bare is str:
        if not isinstance(value, str):
            out.append(Mismatch(where, path, 'expected a string, got %s %r' % (_type_name(value), value)))
            return
    elif bare in (datetime.datetime, datetime.date):
        if not isinstance(value, str) or not _parses_as_date(value, bare):
            out.append(Mismatch(where, path, 'expected an ISO-8601 %s string, got %r'
                                % ('date-time' if bare is datetime.datetime else 'date', value)))
        return
    elif bare in (bytes, bytearray):
        if not isinstance(value, str):
            out.append(Mismatch(where, path, 'expected a string, got %s' % _type_name(value)))
        return
    else:
        out.append(Mismatch(where, path, 'the oracle does not know the type %r' % (bare,)))
        return
    _check_constraints(value, constraints, where, path, out)


def _parses_as_date(value: str, kind) -> bool:
    try:
        if kind is datetime.date:
            datetime.date.fromisoformat(value)
        else:
            datetime.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


# Required by the tests schemas but absent for instant tests (the v7 instant-test documentation; whether the live API
# sends it is UNCONFIRMED, and the emulator's v7_instant_interval switch covers both readings).
ABSENT_FOR_INSTANT_TESTS = frozenset(('interval',))
# The generator's stand-in for ``additionalProperties``: such a model takes keys it does not declare.
ADDITIONAL_PROPERTIES = 'additional_properties'


def declared_fields(model) -> dict[str, typing.Any]:
    """JSON name -> FieldInfo of a model (the alias where one is declared)."""
    return {(info.alias or name): info for name, info in model.model_fields.items() if name != ADDITIONAL_PROPERTIES}


def _check_model(value, model, where, path, out) -> None:
    if _is_one_of(model):
        _check_first_fitting(value, _one_of_alternatives(model), where, path, out)
        return
    if not isinstance(value, dict):
        out.append(Mismatch(where, path, 'expected an object (%s), got %s' % (model.__name__, _type_name(value))))
        return
    fields = declared_fields(model)
    open_model = ADDITIONAL_PROPERTIES in model.model_fields
    for key in value:
        if key not in fields and not open_model:
            out.append(Mismatch(where, _join(path, key), 'undeclared key: %s declares no field %r'
                                % (model.__name__, key)))
    for key, info in fields.items():
        if key in value:
            _check(value[key], _field_annotation(info), where, _join(path, key), out)
        elif info.is_required() and key not in ABSENT_FOR_INSTANT_TESTS:
            out.append(Mismatch(where, _join(path, key), 'required by %s but missing' % model.__name__))


def _field_annotation(info: FieldInfo):
    if info.metadata:
        return typing.Annotated[(info.annotation, *info.metadata)]
    return info.annotation


# -- log entries ----------------------------------------------------------------------------------------------
def _query_items(query: dict) -> list[tuple[str, str]]:
    items = []
    for key, value in (query or {}).items():
        for one in value if isinstance(value, list) else [value]:
            items.append((key, one))
    return items


def _check_query_value(name: str, raw: str, annotation, where: str, out: list) -> None:
    bare = _unwrap(annotation)[0]
    args = [arg for arg in _union_args(bare) if arg is not types.NoneType]
    bare, constraints = _unwrap(args[0]) if len(args) == 1 else (bare, [])
    if typing.get_origin(bare) in (list, typing.List):
        item_type = _unwrap(typing.get_args(bare)[0])[0]
        values = raw.split(',')
    else:
        item_type, values = bare, [raw]
    for one in values:
        if inspect.isclass(item_type) and issubclass(item_type, enum.Enum):
            if one not in [str(v) for v in _enum_values(item_type)]:
                out.append(Mismatch(where, name, '%r is not one of the enum %s %s'
                                    % (one, item_type.__name__, _enum_values(item_type))))
        elif item_type is int:
            if not re.fullmatch(r'-?\d+', one):
                out.append(Mismatch(where, name, 'expected an integer, got %r' % one))
            else:
                _check_constraints(int(one), constraints, where, name, out)
        elif item_type is datetime.datetime and not _parses_as_date(one.replace('Z', '+00:00'), datetime.datetime):
            out.append(Mismatch(where, name, 'expected an ISO-8601 date-time, got %r' % one))


def unpinned(method: str, path: str) -> str | None:
    """The SDK package (not pinned) that holds this operation's schema, or None."""
    for one_method, pattern, package in UNPINNED_OPERATIONS:
        if method == one_method and pattern.fullmatch(path):
            return package
    return None


def check_request(entry: dict) -> list[Mismatch]:
    """A logged v7 request: its operation, query names and values, and body."""
    method, path = entry['method'], entry['path']
    if unpinned(method, path):
        return []
    where = '%s %s request' % (method, path)
    candidates = find_operations(method, path)
    if not candidates:
        return [Mismatch(where, '', 'no vendor operation has this method and path')]
    results = [_check_request_against(entry, op, where) for op in candidates]
    return min(results, key=len)


def _check_request_against(entry: dict, op: Operation, where: str) -> list[Mismatch]:
    out: list[Mismatch] = []
    for name, raw in _query_items(entry.get('query')):
        if name not in op.query:
            out.append(Mismatch(where, name, 'query parameter unknown to %s (it knows %s)'
                                % (op.name, sorted(op.query) or 'none')))
            continue
        _check_query_value(name, raw, op.query[name], where, out)
    body = entry.get('body')
    if op.body_model is None:
        if body is not None:
            out.append(Mismatch(where + ' body', '', '%s takes no request body' % op.name))
    elif body is None:
        if not _is_optional(op.body_model):
            out.append(Mismatch(where + ' body', '', '%s requires a JSON body' % op.name))
    else:
        _check(body, op.body_model, where + ' body', '', out)
    return out


def _is_optional(annotation) -> bool:
    bare = _unwrap(annotation)[0]
    return type(None) in _union_args(bare)


# Injected answers that stand for something in front of the API (a proxy page, maintenance text, a lost
# connection), not for the API itself: their answers are not the schema's business. Their requests are.
NOT_API_FAULTS = frozenset(('maintenance', 'html', 'xml', 'drop', 'drop_before'))


def check_response(entry: dict) -> list[Mismatch]:
    """What the emulator answered to a logged v7 request, against the operation's response model."""
    response = entry.get('response')
    if not response or response.get('status') is None or entry.get('fault') in NOT_API_FAULTS:
        return []
    method, path = entry['method'], entry['path']
    candidates = find_operations(method, path)
    if not candidates or unpinned(method, path):
        return []  # already reported by check_request, or not checkable here
    status = str(response['status'])
    where = '%s %s answer %s' % (method, path, status)
    results = []
    for op in candidates:
        responses = op.responses
        if entry.get('fault') == 'status' and status not in responses and '500' in responses:
            # a status a test injected on purpose: its body must still be the API's error body
            responses = dict(responses, **{status: responses['500']})
        if status not in responses:
            results.append([Mismatch(where, '', 'status %s is not declared for %s (declared: %s)'
                                     % (status, op.name, ', '.join(sorted(op.responses))))])
            continue
        model, body = responses[status], response.get('body')
        if model is None:
            results.append([Mismatch(where, '', '%s declares no body for %s' % (op.name, status))]
                           if body not in (None, b'', '') else [])
        elif body is None:
            results.append([Mismatch(where, '', '%s declares a %s body, the answer had none or no JSON'
                                     % (op.name, model.__name__))])
        else:
            results.append(check_value(body, model, where, ''))
    return min(results, key=len)


def check_log(entries: typing.Iterable[dict]) -> list[Mismatch]:
    """Every v7 entry of an emulator request log, request and answer."""
    out: list[Mismatch] = []
    for entry in entries:
        if entry.get('version') != 'v7':
            continue
        out.extend(check_request(entry))
        out.extend(check_response(entry))
    return out


def report(mismatches: list[Mismatch], limit: int = 40) -> str:
    """One line per distinct mismatch (list indices folded), with how often it occurred."""
    counts: dict[str, int] = {}
    for mismatch in mismatches:
        line = str(Mismatch(mismatch.where, re.sub(r'\[\d+\]', '[*]', mismatch.field), mismatch.rule))
        counts[line] = counts.get(line, 0) + 1
    lines = ['%s%s' % (line, ' (x%d)' % count if count > 1 else '') for line, count in counts.items()]
    if len(lines) > limit:
        lines = lines[:limit] + ['... and %d more distinct ones' % (len(lines) - limit)]
    return 'the v7 schema (thousandeyes-sdk 6.0.0) disagrees with %d item(s):\n  %s' % (
        len(mismatches), '\n  '.join(lines))
