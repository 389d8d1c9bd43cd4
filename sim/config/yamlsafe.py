"""Reading YAML from users safely: bounded size, depth and alias expansion, no duplicate keys.

A config or spec is small; anything far beyond that is a mistake or an attack (a "billion
laughs" alias bomb, a binary file, 3000 nested brackets), and gets a ``UsageError`` naming the
file and the limit instead of a hang or a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from sim.errors import UsageError

MAX_BYTES = 1_000_000  # a YAML file this tool reads: far beyond any real config or spec
MAX_DEPTH = 64  # nesting levels, after aliases are expanded
MAX_NODES = 200_000  # values, after aliases are expanded


class _Limited(Exception):
    """Raised inside the loader; turned into a UsageError naming the source."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses deep nesting and duplicate keys while it composes."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:  # checked before the recursion can hit Python's limit
                raise _Limited(f"nested deeper than {MAX_DEPTH} levels{_where(self)}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                if key in seen:
                    raise _Limited(
                        f"duplicate key {key!r} (line {key_node.start_mark.line + 1}, first on "
                        f"line {seen[key] + 1}); each key may appear once"
                    )
                seen[key] = key_node.start_mark.line
            except TypeError:  # an unhashable key: SafeLoader reports it itself
                break
        return super().construct_mapping(node, deep=deep)


def _where(loader: _Loader) -> str:
    mark = getattr(loader, "marks", None) or [loader.get_mark()]
    return f" (line {mark[-1].line + 1})"


def _check_expansion(root: Node) -> None:
    """Count nodes and depth as if every alias were copied out (memoised, so linear)."""
    memo: dict[int, tuple[int, int]] = {}

    def walk(node: Node, depth: int) -> tuple[int, int]:
        if depth > MAX_DEPTH:
            raise _Limited(f"nested deeper than {MAX_DEPTH} levels (or a recursive alias)")
        known = memo.get(id(node))
        if known is not None:
            size, height = known
            if depth + height > MAX_DEPTH:
                raise _Limited(f"nested deeper than {MAX_DEPTH} levels once aliases expand")
        else:
            size, height = 1, 1
            if isinstance(node, SequenceNode | MappingNode):
                children = (
                    node.value
                    if isinstance(node, SequenceNode)
                    else [n for pair in node.value for n in pair]
                )
                for child in children:
                    s, h = walk(child, depth + 1)
                    size += s
                    height = max(height, h + 1)
            memo[id(node)] = (size, height)
        if size > MAX_NODES:
            raise _Limited(
                f"expands to more than {MAX_NODES:,} values (aliases copied out); "
                "a config or spec is far smaller"
            )
        return size, height

    walk(root, 0)


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML text under the limits above; errors name ``source``."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return loader.construct_document(node)
    except _Limited as exc:
        raise UsageError(f"{source}: {exc}") from None
    except RecursionError:
        raise UsageError(f"{source}: nested too deeply (limit {MAX_DEPTH} levels)") from None
    finally:
        loader.dispose()


def read_text(path: Path) -> str:
    """A file's text: UTF-8, at most MAX_BYTES; binary and UTF-16 files are refused clearly."""
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; expected a YAML file")
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise UsageError(f"{path}: larger than {MAX_BYTES:,} bytes; a YAML config is far smaller")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise UsageError(f"{path}: is UTF-16 encoded; save it as UTF-8")
    if b"\x00" in data:
        raise UsageError(f"{path}: holds binary data (NUL bytes); expected a UTF-8 YAML file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path}: not valid UTF-8 (byte {exc.start}); save it as UTF-8 text"
        ) from None
