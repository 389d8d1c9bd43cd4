"""Loading configs: YAML files with ``extends``, dotted ``--set`` overrides, and clear errors."""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from sim.config.schema import MOVED_KEYS, Config
from sim.config.yamlsafe import parse_yaml, read_text
from sim.errors import UsageError


class ConfigError(UsageError):
    """A config that cannot be used; the message names the file, the field and what is allowed."""


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``override`` onto ``base``: mappings merge key by key, anything else replaces."""
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def read_yaml(path: Path) -> dict[str, Any]:
    """Read one YAML mapping; syntax errors, non-mappings and oversized, binary or deeply
    nested files become a ConfigError naming the file."""
    if not path.exists():
        raise ConfigError(f"{path}: no such config file")
    try:
        text = read_text(path)
        data = parse_yaml(text, str(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        what = " ".join(
            filter(None, [getattr(exc, "context", None), getattr(exc, "problem", None)])
        )
        raise ConfigError(f"{path}{where}: YAML syntax error: {what or exc}") from None
    except UsageError as exc:
        raise ConfigError(str(exc)) from None
    if data is None:
        raise ConfigError(f"{path}: the file is empty; a config is a YAML mapping of sections")
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config must be a YAML mapping, got {type(data).__name__}")
    return data


def resolve_extends(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Read ``path`` and everything it ``extends`` (relative to the file), merged child-last."""
    path = path.resolve()
    if path in _seen:
        chain = " -> ".join(str(p) for p in (*_seen, path))
        raise ConfigError(f"{path}: extends forms a cycle: {chain}")
    data = read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ConfigError(f"{path}: extends must be a file path, got {parent!r}")
    parent_path = (path.parent / parent) if not Path(parent).is_absolute() else Path(parent)
    if parent_path.is_dir():
        raise ConfigError(f"{path}: extends names {parent!r}, which is a folder, not a YAML file")
    if not parent_path.is_file():
        raise ConfigError(f"{path}: extends names {parent!r}, which does not exist")
    return deep_merge(resolve_extends(parent_path, (*_seen, path)), data)


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``a.b.c=value`` into its key path and its YAML-typed value."""
    if "=" not in text:
        raise ConfigError(f"--set {text!r}: expected dotted.key=value")
    key, raw = text.split("=", 1)
    parts = [p for p in key.strip().split(".") if p]
    if not parts:
        raise ConfigError(f"--set {text!r}: the key is empty")
    try:
        value = parse_yaml(raw, f"--set {key.strip()}") if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    except UsageError as exc:
        raise ConfigError(str(exc)) from None
    return parts, value


def apply_overrides(data: dict[str, Any], overrides: Iterable[str] | Mapping[str, Any]) -> dict:
    """Apply dotted overrides (``["a.b=1"]`` or ``{"a.b": 1}``) to a raw config mapping."""
    data = copy.deepcopy(data)
    items = (
        [(k.split("."), v) for k, v in overrides.items()]
        if isinstance(overrides, Mapping)
        else [parse_override(o) for o in overrides]
    )
    for parts, value in items:
        node = data
        for part in parts[:-1]:
            child = node.get(part)
            if child is None:
                child = node[part] = {}
            elif not isinstance(child, dict):
                raise ConfigError(f"--set {'.'.join(parts)}: {part!r} holds a value, not a section")
            node = child
        node[parts[-1]] = value
    return data


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed at ``loc`` (the parent of a rejected key)."""
    current: Any = model
    parts = list(loc)
    while parts:
        if get_origin(current) is dict:  # a mapping: the next part is one of its keys
            current = get_args(current)[1]
            parts.pop(0)
            continue
        if get_origin(current) in (Union, UnionType):  # Optional[Section]: the section
            current = next((a for a in get_args(current) if hasattr(a, "model_fields")), None)
            continue
        field = getattr(current, "model_fields", {}).get(parts.pop(0))
        if field is None:
            return []
        current = field.annotation
    if get_origin(current) in (Union, UnionType):
        current = next((a for a in get_args(current) if hasattr(a, "model_fields")), None)
    return list(getattr(current, "model_fields", {}).keys())


def format_validation_error(
    exc: ValidationError, source: str, schema: type[BaseModel] = Config
) -> str:
    """One line per problem: file, field path, the value given and what is allowed."""
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = ".".join(str(p) for p in loc) or "(top level)"
        given = err.get("input")
        if err["type"] == "extra_forbidden":
            allowed = _allowed_keys(schema, loc[:-1])
            guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            hint = f"; did you mean {guess[0]!r}?" if guess else ""
            lines.append(f"{source}: {path}: unknown key{hint} Allowed here: {', '.join(allowed)}")
        else:
            shown = "" if isinstance(given, dict) else f" (given: {given!r})"
            message = err["msg"].removeprefix("Value error, ")
            lines.append(f"{source}: {path}: {message}{shown}")
    return "\n".join(lines)


def moved_keys(data: Mapping[str, Any], source: str) -> list[str]:
    """One line per key of an older config version that moved or went, naming the new key."""
    lines = []
    for old, new in MOVED_KEYS.items():
        section, key = old.rsplit(".", 1)
        node: Any = data
        for part in section.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if isinstance(node, Mapping) and key in node:
            where = f"it moved to {new}" if new else "it was removed (nothing read it)"
            lines.append(f"{source}: {old}: {where}")
    return lines


def validate(data: dict[str, Any], source: str = "<config>") -> Config:
    """Validate a raw mapping into a Config, turning pydantic's errors into a ConfigError."""
    moved = moved_keys(data, source)
    if moved:
        raise ConfigError("\n".join(moved))
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, source)) from None


def load_config(
    path: str | Path | None = None,
    overrides: Iterable[str] | Mapping[str, Any] = (),
) -> Config:
    """Load a scenario: the file (with its ``extends`` chain), then ``overrides``, validated.

    ``path=None`` gives the built-in defaults (the same as configs/base.yaml).
    """
    source = str(path) if path is not None else "<defaults>"
    data = resolve_extends(Path(path)) if path is not None else {}
    if overrides:
        data = apply_overrides(data, overrides)
        source += " with --set"
    return validate(data, source)
