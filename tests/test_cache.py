"""The content-keyed feature cache: keys, round trips, the manifest and concurrent writers."""

from __future__ import annotations

import json
import multiprocessing as mp
import warnings
from pathlib import Path

import numpy as np
import pytest

from highlit.cache import FeatureCache, config_hash, content_hash, default_cache_dir
from highlit.datasets import VideoFeatures
from highlit.errors import HighlitWarning

CONFIG = {"visual": {"name": "pixels", "version": "1"}, "audio": None, "fps": 5.0}


def _features(n: int = 7, audio: bool = True, seed: int = 0) -> VideoFeatures:
    rng = np.random.default_rng(seed)
    return VideoFeatures(video_id="clip", domain="video",
                         visual=rng.standard_normal((n, 4)).astype(np.float32),
                         audio=rng.standard_normal((n, 3)).astype(np.float32) if audio else None,
                         meta={"source": "/x/clip.mp4", "step_seconds": 0.2, "has_audio": audio})


def test_content_hash_follows_bytes_not_names(tmp_path: Path) -> None:
    a = tmp_path / "a.bin"
    a.write_bytes(bytes(range(256)) * 5000)
    b = tmp_path / "renamed.mp4"
    b.write_bytes(a.read_bytes())
    assert content_hash(a) == content_hash(b)
    data = bytearray(a.read_bytes())
    data[len(data) // 2] ^= 1  # one bit in the middle
    b.write_bytes(bytes(data))
    assert content_hash(a) != content_hash(b)
    b.write_bytes(a.read_bytes() + b"\0")
    assert content_hash(a) != content_hash(b)


def test_config_hash_is_order_independent_and_sensitive() -> None:
    assert config_hash({"a": 1, "b": 2}) == config_hash({"b": 2, "a": 1})
    assert config_hash(CONFIG) != config_hash({**CONFIG, "fps": 2.0})


def test_store_then_load_round_trips(tmp_path: Path) -> None:
    cache = FeatureCache(tmp_path)
    key = cache.key("c0ffee", CONFIG)
    assert cache.load(key) is None
    for audio in (True, False):
        feats = _features(audio=audio)
        path = cache.store(key, feats, "/x/clip.mp4")
        assert path.is_file() and path.suffix == ".npz"
        got = cache.load(key)
        np.testing.assert_array_equal(got.visual, feats.visual)
        if audio:
            np.testing.assert_array_equal(got.audio, feats.audio)
        else:
            assert got.audio is None
        assert got.meta["cache_hit"] is True and got.meta["cache_file"] == str(path)
        assert got.meta["step_seconds"] == 0.2
    assert [p.name for p in tmp_path.rglob("*") if p.name.startswith(".")] == []  # no temp files left


def test_manifest_records_sources_and_skips_a_torn_line(tmp_path: Path) -> None:
    cache = FeatureCache(tmp_path)
    cache.store(cache.key("aa", CONFIG), _features(), tmp_path / "one.mp4")
    cache.store(cache.key("bb", CONFIG), _features(), tmp_path / "two.mp4")
    with open(tmp_path / "manifest.jsonl", "a") as fh:
        fh.write('{"key": "half a li')  # what a crash mid-append leaves
    entries = cache.manifest()
    assert [Path(e["source"]).name for e in entries] == ["one.mp4", "two.mp4"]
    assert all(Path(e["file"]).is_file() and e["n_steps"] == 7 for e in entries)


def test_damaged_entry_is_a_miss_with_a_warning(tmp_path: Path) -> None:
    cache = FeatureCache(tmp_path)
    key = cache.key("dd", CONFIG)
    path = cache.store(key, _features(), "/x/clip.mp4")
    path.write_bytes(path.read_bytes()[:100])
    with pytest.warns(HighlitWarning, match="unreadable cache entry"):
        assert cache.load(key) is None


def test_default_dir_honours_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HIGHLIT_CACHE", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    assert FeatureCache().root == tmp_path / "c"
    monkeypatch.delenv("HIGHLIT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "highlit"


def _writer(args: tuple[str, int]) -> None:
    root, worker = args
    cache = FeatureCache(root)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in range(10):
            # every worker writes the same shared key and one of its own
            cache.store(cache.key("shared", CONFIG), _features(), "/x/shared.mp4")
            cache.store(cache.key(f"w{worker}-{i}", CONFIG), _features(seed=worker), f"/x/{worker}.mp4")
            assert cache.load(cache.key("shared", CONFIG)) is not None


def test_concurrent_processes_share_a_cache(tmp_path: Path) -> None:
    ctx = mp.get_context("fork")
    with ctx.Pool(4) as pool:
        pool.map(_writer, [(str(tmp_path), w) for w in range(4)])
    cache = FeatureCache(tmp_path)
    lines = (tmp_path / "manifest.jsonl").read_text().splitlines()
    assert len(lines) == 4 * 10 * 2
    assert all(json.loads(line)["key"] for line in lines)  # no interleaved or torn lines
    assert len(list(tmp_path.rglob("*.npz"))) == 1 + 4 * 10
    np.testing.assert_array_equal(cache.load(cache.key("shared", CONFIG)).visual, _features().visual)
