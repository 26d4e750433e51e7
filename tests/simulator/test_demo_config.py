"""The demo's configuration folder, as scripts/develop makes it (issue 17: 9, 10).

Read with Home Assistant's own YAML loader, as `hass --config config` reads it.
"""

from __future__ import annotations

import os
from pathlib import Path
import re
import shutil

from homeassistant.config import load_yaml_config_file
import pytest

from simulator.demo import prepare_config

ROOT = Path(__file__).parent.parent.parent
DEMO_SH = ROOT / "scripts" / "demo.sh"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A fresh demo folder: our configuration.yaml, then what the demo adds."""
    shutil.copy(ROOT / "config" / "configuration.yaml", tmp_path)
    prepare_config(tmp_path)
    return tmp_path


def test_automations_saved_in_the_editor_are_loaded(config: Path) -> None:
    loaded = load_yaml_config_file(str(config / "configuration.yaml"))
    # Home Assistant reads an empty list of automations as an empty mapping.
    assert "automation" in loaded
    assert not loaded["automation"]
    # A second start keeps what the owner saved.
    (config / "automations.yaml").write_text("- id: mine\n  alias: Mine\n")
    prepare_config(config)
    loaded = load_yaml_config_file(str(config / "configuration.yaml"))
    assert loaded["automation"] == [{"id": "mine", "alias": "Mine"}]


def test_the_simulator_runs_in_the_time_zone_home_assistant_runs_in(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both read GUEST_WIFI_TZ, with one default."""
    monkeypatch.delenv("GUEST_WIFI_TZ", raising=False)
    ha_default = load_yaml_config_file(str(config / "configuration.yaml"))[
        "homeassistant"
    ]["time_zone"]
    script = DEMO_SH.read_text("utf-8")
    [demo_default] = re.findall(
        r'^export GUEST_WIFI_TZ="\$\{GUEST_WIFI_TZ:-([^}]+)\}"$', script, re.MULTILINE
    )
    assert demo_default == ha_default
    [simulator] = [
        line for line in script.splitlines() if line.startswith("python -m simulator ")
    ]
    assert '--tz "${GUEST_WIFI_TZ}"' in simulator
    monkeypatch.setenv("GUEST_WIFI_TZ", "Asia/Tokyo")
    assert (
        load_yaml_config_file(str(config / "configuration.yaml"))["homeassistant"][
            "time_zone"
        ]
        == os.environ["GUEST_WIFI_TZ"]
    )
