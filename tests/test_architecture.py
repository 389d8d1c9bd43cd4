"""The architecture holds: the model wing imports no other wing, strategies are objects whose
names match the schema, and references in code and docs point to files in the repository."""

from __future__ import annotations

import ast
import re
import typing
from pathlib import Path

import pytest

from sim.config import schema
from sim.model.strategy import CHOICES, PRESETS, Strategy, resolve_knobs

ROOT = Path(__file__).resolve().parents[1]
MODEL_FILES = sorted((ROOT / "sim" / "model").glob("*.py"))
FORBIDDEN = ("sim.engine", "sim.analysis", "sim.app", "sim.cli", "sim.results")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_the_model_wing_imports_no_other_wing(path):
    bad = {m for m in imported_modules(path) if m.startswith(FORBIDDEN)}
    assert not bad, f"{path.name} imports {bad}"


def test_no_module_is_over_400_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / "sim").rglob("*.py")
        if (n := len(p.read_text().splitlines())) > 400
    }
    assert not long, long


def test_no_mechanism_compares_a_knob_to_a_string():
    knob_values = {v for choices in CHOICES.values() for v in choices}
    for path in MODEL_FILES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Compare):
                strings = [
                    c.value
                    for c in [node.left, *node.comparators]
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                ]
                assert not set(strings) & knob_values, f"{path.name}:{node.lineno}"


KNOB_LITERALS = {
    "definition": schema.KnobDefinition,
    "table": schema.KnobTable,
    "decomposition": schema.KnobDecomposition,
    "citizens": schema.KnobCitizens,
    "regie": schema.KnobRegie,
}


@pytest.mark.parametrize("knob", sorted(KNOB_LITERALS))
def test_every_knob_value_has_exactly_one_object(knob):
    allowed = set(typing.get_args(KNOB_LITERALS[knob]))
    assert set(CHOICES[knob]) == allowed
    for name, obj in CHOICES[knob].items():
        assert obj.name == name


def test_presets_name_every_knob_and_resolve_to_objects():
    assert set(PRESETS) == set(typing.get_args(schema.PresetName))
    for name, knobs in PRESETS.items():
        strategy = resolve_knobs(schema.StrategyConfig(preset=name))
        assert isinstance(strategy, Strategy)
        assert strategy.as_dict() == knobs


# `path/to/file.ext` references in docs and docstrings
REFERENCE = re.compile(r"`((?:sim|docs|configs|experiments|tests|benchmarks)/[\w/.-]+\.\w+)`")
PLACEHOLDERS = {"configs/x.yaml"}  # an example name in a usage text


def test_references_point_to_files_in_the_repository():
    sources = [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "sim").rglob("*.py")]
    missing = {
        (str(src.relative_to(ROOT)), ref)
        for src in sources
        for ref in REFERENCE.findall(src.read_text())
        if ref not in PLACEHOLDERS and not (ROOT / ref).exists()
    }
    assert not missing, missing
    for src in sources:
        assert "MODEL.md" not in src.read_text(), f"{src.name} names a design file not in the repo"
