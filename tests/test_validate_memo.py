import json
import logging

import pytest

from bordermap.errors import ValidationError
from bordermap.validate import check, memo


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "cache"))


def _forbid_rules(monkeypatch):
    def fail(target):
        raise AssertionError("the rules ran again")

    monkeypatch.setattr("bordermap.validate.validate", fail)


def test_a_pass_is_remembered_for_the_same_files(mini_copy, monkeypatch):
    check(mini_copy, remember=True)
    _forbid_rules(monkeypatch)
    check(mini_copy, remember=True)


def test_changed_data_is_checked_again_and_refused(mini_copy):
    check(mini_copy, remember=True)
    boundary = mini_copy / "boundary.geojson"
    fc = json.loads(boundary.read_text())
    fc["features"][0]["properties"]["sides"] = ["KG", "XX"]
    boundary.write_text(json.dumps(fc))
    with pytest.raises(ValidationError, match="XX"):
        check(mini_copy, remember=True)


def test_without_remember_nothing_is_recorded(mini_copy):
    check(mini_copy)
    assert memo.recall(mini_copy) is None


def test_warnings_are_logged_again_on_a_hit(mini_copy, caplog):
    memo.remember(mini_copy, ["areas.geojson:x: a remembered warning [ring-orientation]"])
    with caplog.at_level(logging.WARNING):
        check(mini_copy, remember=True)
    assert "a remembered warning" in caplog.text


def test_the_key_covers_the_validator_itself(mini_copy, monkeypatch):
    before = memo.key(mini_copy)
    monkeypatch.setattr(memo, "__version__", "0.0.0-other")
    assert memo.key(mini_copy) != before
