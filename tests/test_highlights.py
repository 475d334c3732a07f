"""The Highlights result object: JSON round-trip, output naming and dispatch, bad files."""

from __future__ import annotations

import json

import numpy as np
import pytest

import highlit
from highlit.errors import ConfigError, InputNotFoundError
from highlit.highlights import Highlights
from highlit.segments import Segment, find_segments
from highlit.writers import DEFAULT_FORMATS, SUFFIXES, WRITERS


def make(source: str = "/videos/My clip.mp4", n: int = 200, fps: float | None = 25.0, seed: int = 0) -> Highlights:
    rng = np.random.default_rng(seed)
    times = np.arange(n) * 0.2
    scores = rng.uniform(0, 1, n).astype(np.float32)
    segs = find_segments(times, scores, 0.2, ratio=0.2, frame_rate=fps, video_duration=n * 0.2 - 0.05)
    return Highlights(source=source, times=times, scores=scores, segments=segs, step=0.2,
                      duration=n * 0.2 - 0.05, has_audio=True, fps=fps,
                      model={"name": "fit-on-input", "steps": 60}, extractors={"visual": {"name": "effnet"}},
                      meta={"note": "ünïcode ok"})


def test_json_round_trip_is_exact_after_one_pass():
    h = make()
    text = h.to_json()
    back = Highlights.from_json(text)
    assert back.to_dict() == json.loads(text)  # stable: a second pass changes nothing
    np.testing.assert_allclose(back.scores, h.scores, atol=1e-6)
    np.testing.assert_allclose(back.times, h.times, atol=1e-6)
    assert back.segments == [Segment.from_dict(s.to_dict()) for s in h.segments]
    assert (back.source, back.fps, back.has_audio, back.model, back.extractors, back.meta) == \
        (h.source, h.fps, h.has_audio, h.model, h.extractors, h.meta)
    assert back.version == highlit.__version__
    assert back.scores.dtype == np.float32


def test_json_holds_what_scripts_need():
    d = make().to_dict()
    assert d["format"] == "highlit.highlights" and d["highlit_version"] == highlit.__version__
    assert len(d["times"]) == len(d["scores"]) == 200
    assert all({"start", "end", "score"} == set(s) for s in d["segments"])
    assert d["model"]["name"] == "fit-on-input" and d["extractors"]["visual"]["name"] == "effnet"


def test_segments_sorted_and_duration_defaulted():
    h = Highlights(source="a.mp4", times=np.arange(10) * 0.2, scores=np.zeros(10),
                   segments=[Segment(1.0, 1.4, 0.1), Segment(0.0, 0.4, 0.2)])
    assert [s.start for s in h.segments] == [0.0, 1.0]
    assert h.duration == pytest.approx(2.0)


@pytest.mark.parametrize("text", ["not json", "[]", '{"format": "other"}',
                                  '{"format": "highlit.highlights", "source": "a"}',
                                  '{"format": "highlit.highlights", "format_version": 99}'])
def test_bad_results_raise_config_error(text):
    with pytest.raises(ConfigError):
        Highlights.from_json(text)


def test_mismatched_arrays_raise():
    with pytest.raises(ConfigError):
        Highlights(source="a.mp4", times=np.arange(5) * 0.2, scores=np.zeros(4), segments=[])


def test_load_missing_file(tmp_path):
    with pytest.raises(InputNotFoundError):
        Highlights.load(tmp_path / "nope.json")


def test_write_dispatches_to_named_formats_with_predictable_names(tmp_path):
    h = make(source=str(tmp_path / "src" / "My clip.mp4"))
    paths = h.write(tmp_path / "out", formats=["json", "csv", "edl", "otio"])
    assert set(paths) == {"json", "csv", "edl", "otio"}
    for fmt, p in paths.items():
        assert p == tmp_path / "out" / f"My clip{SUFFIXES[fmt]}" and p.stat().st_size > 0
    assert not list((tmp_path / "out").glob(".*part*")), "temporary files left behind"
    assert Highlights.load(paths["json"]).to_dict() == h.to_dict()
    # default formats and default folder (beside the source)
    (tmp_path / "src").mkdir()
    written = h.write()
    assert set(written) == set(DEFAULT_FORMATS) and all(p.parent == tmp_path / "src" for p in written.values())


def test_unknown_format_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="unknown output format"):
        make().write(tmp_path, formats=["json", "mov"])
    assert set(WRITERS) == set(SUFFIXES)


def test_equal_results_compare_equal():
    h = make()
    assert h == Highlights.from_json(h.to_json())
    assert h != make(seed=1) and h != h.to_dict()


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_scores_are_refused_up_front(bad):
    scores = np.linspace(0, 1, 5)
    scores[2] = bad
    with pytest.raises(ConfigError, match="finite"):
        Highlights(source="a.mp4", times=np.arange(5) * 0.2, scores=scores, segments=[])


def test_one_format_may_be_named_by_a_plain_string(tmp_path):
    assert set(make().write(tmp_path, formats="json")) == {"json"}


def test_more_segments_than_an_edl_holds_leave_out_only_the_edl(tmp_path):
    from highlit.errors import HighlitWarning

    n = 2200
    times = np.arange(n) * 0.2
    scores = (np.arange(n) % 2).astype(np.float32)  # every other step: 1100 one-step segments
    segs = [Segment(float(t), float(t) + 0.2, 1.0) for t in times[scores > 0]]
    h = Highlights(source=str(tmp_path / "long.mp4"), times=times, scores=scores, segments=segs, fps=25.0)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "long.edl").write_text("TITLE: an earlier cut\n")
    with pytest.warns(HighlitWarning, match=r"at most 999.*earlier long.edl was removed"):
        written = h.write(tmp_path / "out")
    assert set(written) == set(DEFAULT_FORMATS) - {"edl"}
    assert not (tmp_path / "out" / "long.edl").exists()


def test_unknown_frame_rate_warns_once_per_result(tmp_path):
    import warnings

    h = make(source=str(tmp_path / "a.mp4"), fps=None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        h.write(tmp_path, formats=["edl", "otio"])
    assert sum("frame rate unknown" in str(w.message) for w in caught) == 1


def test_the_package_exports_segment_and_detect_names_its_own_bad_options():
    assert highlit.Segment is Segment and {"Segment", "Highlights", "detect"} <= set(dir(highlit))
    with pytest.raises(TypeError, match=r"detect\(\) got an unexpected keyword argument 'bogus'"):
        highlit.detect("x.mp4", bogus=1)


def test_a_warning_from_deep_in_the_package_points_at_the_callers_line(tmp_path):
    import warnings

    h = Highlights(source=str(tmp_path / "a.mp4"), times=np.arange(50) * 0.2, scores=np.linspace(0, 1, 50),
                   segments=[Segment(2.0, 4.0, 1.0)], fps=25.0, timecode="25:61:00:00")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        h.write(tmp_path, formats="edl")  # Highlights.write -> writers.edl -> timecode.first_frame -> warn
    [w] = [w for w in caught if "counts from 00:00:00:00" in str(w.message)]
    assert w.filename == __file__
