"""The documentation says what the code does: generated tables equal what the generator writes
now, and what the README and ODD state by hand matches the schema and the parser."""

import re
from pathlib import Path

import pytest

from sim import params
from sim.cli import build_parser
from sim.config import Config, load_config
from sim.config.actors import ACTOR_DEFAULTS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
REGENERATE = "out of date: run `make docs` (python -m sim.params .) and commit the result"


def test_parameter_doc_is_generated_from_the_schema():
    committed = (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert committed == params.markdown(), f"docs/parameters.md {REGENERATE}"


def test_readme_blocks_are_generated_from_schema_and_registry():
    assert params.fill_blocks(README) == README, f"README.md {REGENERATE}"
    assert "| citizens | 240 |" in params.default_world_markdown()  # the generator reads defaults
    assert "`fragmentation`" in params.headline_markdown()


def test_every_parameter_is_documented():
    rows = params.parameters()
    assert len(rows) > 80
    assert [p.key for p in rows if not p.description] == []
    keys = {p.key for p in rows}
    assert {"actors.citizen.count", "dynamics.regie.chance", "strategy.preset"} <= keys


def test_actor_rows_carry_each_types_defaults():
    rows = {p.key: p for p in params.parameters()}
    for actor_type, defaults in ACTOR_DEFAULTS.items():
        assert rows[f"actors.{actor_type}.count"].default == defaults["count"]
        assert rows[f"actors.{actor_type}.motives.intrinsic"].default == defaults["motives"][0]
    assert rows["actors.citizen.stubbornness"].allowed == "(0, 1]"
    assert rows["dynamics.agenda.attention"].allowed == "[1, 1000]"  # bounded (issue 14)
    assert rows["strategy.regie"].allowed == "owner | boundary_spanner | shared or unset"


def test_base_yaml_is_the_default_world():
    base = load_config(ROOT / "configs" / "base.yaml").model_dump(exclude={"description"})
    assert base == Config().model_dump(exclude={"description"})


def test_odd_actor_table_matches_the_schema():
    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    for actor_type, d in ACTOR_DEFAULTS.items():
        name = actor_type.replace("_", " ")
        (row,) = [line for line in odd.splitlines() if line.startswith(f"| {name} |")]
        cells = [c.strip() for c in row.strip("|").split("|")]
        numbers = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", " ".join(cells[1:]))]
        expected = [
            d["count"],
            d["lens_home"],
            d["lens_other"],
            d["capacity"],
            d["discretionary"],  # the column "capacity (discretionary share)"
            d["execution_power"],
            *d["motives"],
            d["regional_reach"],
            d["max_memberships"],
            d["influence"],
        ]
        assert numbers == pytest.approx(expected), (name, numbers, expected)


def test_readme_says_how_to_reach_the_command():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "source .venv/bin/activate" in quick_start
    assert ".venv/bin/opgaven" in quick_start


def test_readme_options_exist():
    """Every ``--option`` the README shows for ``opgaven COMMAND`` is an option of COMMAND."""
    sub = next(a for a in build_parser()._actions if isinstance(a.choices, dict))
    shown = re.findall(r"^(?:\.venv/bin/)?opgaven (\w+)(.*(?:\n {8,}.*)*)", README, re.M)
    assert {c for c, _ in shown} >= {"run", "experiment", "compare", "validate", "params"}
    for command, rest in shown:
        known = {o for a in sub.choices[command]._actions for o in a.option_strings}
        for option in re.findall(r"(--[a-z-]+)", rest.split("#")[0]):
            assert option in known, (command, option)
