import json
import logging

import pytest

import bordermap
from bordermap.errors import ValidationError
from bordermap.validate import check, load_valid, memo


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "cache"))


def _forbid_rules(monkeypatch):
    def fail(target):
        raise AssertionError("the rules ran again")

    monkeypatch.setattr("bordermap.validate.validate", fail)


def _record_files(tmp_path):
    folder = tmp_path / "cache" / "validated"
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() else []


def test_a_pass_is_remembered_for_the_same_files(mini_copy, monkeypatch):
    check(bordermap.load(mini_copy), remember=True)
    _forbid_rules(monkeypatch)
    check(bordermap.load(mini_copy), remember=True)
    load_valid(mini_copy)


def test_changed_data_is_checked_again_and_refused(mini_copy):
    check(bordermap.load(mini_copy), remember=True)
    boundary = mini_copy / "boundary.geojson"
    fc = json.loads(boundary.read_text())
    fc["features"][0]["properties"]["sides"] = ["KG", "XX"]
    boundary.write_text(json.dumps(fc))
    with pytest.raises(ValidationError, match="XX"):
        load_valid(mini_copy)


def test_without_remember_nothing_is_recorded(mini_copy, tmp_path):
    dataset = bordermap.load(mini_copy)
    check(dataset)
    assert memo.recall(dataset.digests) is None
    assert _record_files(tmp_path) == []


def test_warnings_are_logged_again_on_a_hit(mini_copy, caplog):
    dataset = bordermap.load(mini_copy)
    memo.remember(dataset.digests, ["areas.geojson:x: a remembered warning [ring-orientation]"])
    with caplog.at_level(logging.WARNING):
        check(dataset, remember=True)
    assert "a remembered warning" in caplog.text


def test_the_key_covers_the_validator_itself(mini_copy, monkeypatch):
    digests = bordermap.load(mini_copy).digests
    before = memo.key(digests)
    monkeypatch.setattr(memo, "__version__", "0.0.0-other")
    assert memo.key(digests) != before


def test_the_key_covers_only_the_files_load_reads(mini_copy):
    """An unrelated file in the directory is neither read nor part of the key (issue #16)."""
    before = bordermap.load(mini_copy).digests
    (mini_copy / "unrelated.json").write_text('{"huge": "not a layer"}')
    (mini_copy / "notes.geojson").write_text("not even JSON")
    after = bordermap.load(mini_copy).digests
    assert after == before
    assert sorted(after) == sorted(
        str(p) for p in mini_copy.iterdir() if p.name not in ("unrelated.json", "notes.geojson")
    )


def _invalid(mini_copy):
    path = mini_copy / "dataset.json"
    meta = json.loads(path.read_text())
    meta["pair"] = ["KG", "TJ", "UZ"]
    path.write_text(json.dumps(meta))
    return bordermap.load(mini_copy)


def test_a_planted_record_does_not_skip_validation(mini_copy, tmp_path):
    dataset = _invalid(mini_copy)
    folder = tmp_path / "cache" / "validated"
    folder.mkdir(parents=True, exist_ok=True)  # loading made it: it holds the cache key
    record = folder / memo.key(dataset.digests)
    # What an unsigned pass would look like: the right name, no valid signature.
    record.write_text(json.dumps({"key": record.name, "warnings": [], "mac": "0" * 64}))
    with pytest.raises(ValidationError, match="pair"):
        load_valid(mini_copy)
    record.write_text("")  # the old format: an empty file meant a pass without warnings
    with pytest.raises(ValidationError, match="pair"):
        load_valid(mini_copy)


@pytest.mark.parametrize("content", [b"\xff\xfe garbage", b"[1, 2", b'{"warnings": 5}', b"null"])
def test_a_corrupted_record_is_a_miss(mini_copy, tmp_path, content):
    dataset = bordermap.load(mini_copy)
    check(dataset, remember=True)
    [record] = _record_files(tmp_path)
    record.write_bytes(content)
    assert memo.recall(dataset.digests) is None
    check(dataset, remember=True)  # runs the rules again and records a good pass
    assert memo.recall(dataset.digests) == []
