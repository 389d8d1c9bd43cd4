"""Configs: defaults, extends, --set, and errors that name the field."""

from pathlib import Path

import pytest

from sim.config import Config, ConfigError, load_config
from sim.model.strategy import PRESETS, resolve_knobs

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_base_yaml_is_the_default_scenario():
    shipped = load_config(CONFIGS / "base.yaml").model_dump(exclude={"description"})
    assert shipped == Config().model_dump(exclude={"description"})


@pytest.mark.parametrize("path", sorted(CONFIGS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_config_validates(path):
    assert isinstance(load_config(path), Config)


def test_strategy_configs_select_their_preset():
    for name in ("institutional", "opgave_centred", "hybrid"):
        cfg = load_config(CONFIGS / f"{name}.yaml")
        assert resolve_knobs(cfg.strategy).as_dict() == PRESETS[name]


def test_extends_merges_child_over_parent(tmp_path):
    write(tmp_path, "parent.yaml", "name: p\nsteps: 50\nactors: {citizen: {count: 7}}\n")
    child = write(
        tmp_path, "child.yaml", "extends: parent.yaml\nname: c\nactors: {company: {count: 3}}\n"
    )
    cfg = load_config(child)
    assert (cfg.name, cfg.steps) == ("c", 50)
    assert (cfg.actors.citizen.count, cfg.actors.company.count) == (7, 3)
    # a partial type block keeps that type's own defaults, not the generic ones
    assert cfg.actors.citizen.capacity == Config().actors.citizen.capacity


def test_set_overrides_are_typed():
    cfg = load_config(
        None,
        [
            "strategy.preset=hybrid",
            "actors.boundary_spanner.count=0",
            "strategy.follows_drift=false",
            "opgaven.drift_rate=0.5",
        ],
    )
    assert cfg.strategy.preset == "hybrid"
    assert cfg.actors.boundary_spanner.count == 0
    assert cfg.strategy.follows_drift is False
    assert cfg.opgaven.drift_rate == 0.5


def test_a_knob_overrides_its_preset():
    knobs = resolve_knobs(
        load_config(None, ["strategy.preset=opgave_centred", "strategy.citizens=excluded"]).strategy
    )
    assert knobs.citizens.name == "excluded"
    assert knobs.decomposition.name == PRESETS["opgave_centred"]["decomposition"]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (["actors.citizen.cout=3"], r"actors\.citizen\.cout: unknown key; did you mean 'count'"),
        (["actors.citizen.count=-1"], r"actors\.citizen\.count: .*greater than or equal to 0"),
        (["steps=0"], r"steps: .*greater than or equal to 1"),
        (["steps=many"], r"steps: .*integer"),
        (["opgaven.order_mix.first=0.5"], r"order_mix: .*sum to 1"),
        (["opgaven.drift_rate=1.5"], r"opgaven\.drift_rate: .*less than or equal to 1"),
        (["world.unmandated=[water]"], r"world: .*unmandated names \['water'\]"),
        (["strategy.preset=anarchy"], r"strategy\.preset: .*'institutional'"),
        (["strategy.table=friends"], r"strategy\.table: .*'interest'"),
    ],
)
def test_bad_values_name_the_field(overrides, expected):
    with pytest.raises(ConfigError, match=expected):
        load_config(None, overrides)


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, "bad.yaml", "name: x\nsteps: [1, 2\nseed: 3\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml \(line \d+, column \d+\): YAML syntax"):
        load_config(path)


def test_empty_missing_and_cyclic_files(tmp_path):
    with pytest.raises(ConfigError, match="empty"):
        load_config(write(tmp_path, "empty.yaml", ""))
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "nope.yaml")
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ConfigError, match="cycle"):
        load_config(tmp_path / "a.yaml")
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(write(tmp_path, "orphan.yaml", "extends: missing.yaml\n"))


def test_error_names_the_file(tmp_path):
    path = write(tmp_path, "typo.yaml", "actors: {citizen: {count: 3, capacty: 2}}\n")
    with pytest.raises(
        ConfigError,
        match=r"typo\.yaml: actors\.citizen\.capacty: unknown key; "
        r"did you mean 'capacity'",
    ):
        load_config(path)


def test_a_key_of_the_flat_dynamics_layout_names_its_new_place():
    with pytest.raises(ConfigError, match=r"dynamics\.attention: it moved to dynamics\.agenda\."):
        load_config(None, ["dynamics.attention=4"])
    with pytest.raises(ConfigError, match=r"dynamics\.chance_regie: it moved to dynamics\.regie"):
        load_config(None, ["dynamics.chance_regie=0.2"])
    with pytest.raises(ConfigError, match=r"public_attention_decay: it was removed"):
        load_config(None, ["opgaven.public_attention_decay=0.1"])


def test_each_mechanism_has_its_own_section():
    dynamics = load_config(None).dynamics
    assert dynamics.agenda.attention == 3 and dynamics.regie.chance == 0.1
    assert dynamics.network.metrics_every == 1 and dynamics.lifecycle.orphan_patience == 20


def test_actor_defaults_come_from_one_table():
    from sim.config.actors import ACTOR_DEFAULTS

    actors = load_config(None).actors
    for key, row in ACTOR_DEFAULTS.items():
        section = getattr(actors, key)
        for name, value in row.items():
            got = getattr(section, name)
            if name == "motives":
                got = (got.intrinsic, got.interest, got.external)
            assert got == value, (key, name)


def test_one_order_of_instrument_share_can_be_set_alone():
    config = load_config(None, ["opgaven.instrument_share.third=0.7"])
    assert config.opgaven.instrument_share.of(3) == 0.7
    assert config.opgaven.instrument_share.of(1) == 0.2  # the other orders keep their defaults
    assert config.opgaven.instrument_share.of(2) == 0.35
