"""UMT-layout dataset loading: good folders load, broken ones fail with one line naming the file and the problem.

Every folder here is synthetic and tiny (a few clips per video), built in ``tmp_path`` in the release layout.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from highlit.cli import main
from highlit.datasets import FEATURE_WIDTHS, load_dataset
from highlit.errors import DatasetError, HighlitWarning

ROWS = 12


def make_dataset(root: Path, name: str = "tvsum", n_videos: int = 2, rows: int = ROWS) -> Path:
    """A valid ``name`` folder: features (float16, as in the release), annotations and splits."""
    rng = np.random.default_rng(0)
    (root / "video_features").mkdir(parents=True)
    (root / "audio_features").mkdir()
    anno = {}
    for i in range(n_videos):
        vid = f"vid{i}"
        for kind in ("rgb", "opt"):
            np.save(root / "video_features" / f"{vid}_{kind}.npy",
                    rng.random((rows, FEATURE_WIDTHS[kind])).astype(np.float16))
        np.save(root / "audio_features" / f"{vid}.npy", rng.random((rows, FEATURE_WIDTHS["audio"])).astype(np.float16))
        entry: dict = {"fps": 30.0, "frames": rows * 60, "domain": "dom"}
        if name == "tvsum":
            entry["anno"] = rng.integers(1, 6, size=(rows, 3)).tolist()
        else:
            entry["match"] = rng.integers(-1, 2, size=rows).tolist()
            entry["clip"] = [[50 * j, 50 * j + 100] for j in range(rows)]
        anno[vid] = entry
    (root / f"{name}_anno.json").write_text(json.dumps(anno))
    (root / "splits.json").write_text(json.dumps({"dom": {"train": ["vid0"], "val": [f"vid{n_videos - 1}"]}}))
    return root


def edit_anno(root: Path, name: str, change: Callable[[dict], object]) -> None:
    path = root / f"{name}_anno.json"
    anno = json.loads(path.read_text())
    change(anno)
    path.write_text(json.dumps(anno))


def cli_error(capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, root: Path, *extra: str) -> str:
    """Run ``highlit evaluate --baseline norm`` in process; it must fail with exactly one stderr line."""
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)  # main() replaces it
    capsys.readouterr()
    code = main(["evaluate", "--root", str(root), "--baseline", "norm", *extra])
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


@pytest.mark.parametrize("name", ["tvsum", "youtube"])
def test_synthetic_folder_loads(tmp_path: Path, name: str) -> None:
    videos = load_dataset(make_dataset(tmp_path, name))
    assert [v.video_id for v in videos] == ["vid0", "vid1"]
    v = videos[0]
    assert v.visual.shape == (ROWS, 2048) and v.visual.dtype == np.float32 and v.audio.shape == (ROWS, 2048)
    assert v.labels.shape == ((ROWS, 3) if name == "tvsum" else (ROWS,)) and v.meta["fps"] == 30.0


def test_mismatched_row_counts_are_cut_to_the_shortest(tmp_path: Path) -> None:
    """As the data README says (one TVSum video has an extra audio row): rows are aligned by truncation."""
    root = make_dataset(tmp_path)
    rng = np.random.default_rng(1)
    np.save(root / "video_features" / "vid0_opt.npy", rng.random((ROWS - 3, 1024)).astype(np.float16))
    np.save(root / "audio_features" / "vid0.npy", rng.random((ROWS + 1, 2048)).astype(np.float16))
    v = load_dataset(root)[0]
    assert v.n_steps == ROWS - 3 and v.audio.shape == (ROWS - 3, 2048) and v.labels.shape == (ROWS - 3, 3)


# ---------------------------------------------------------------- 1. feature files of the wrong shape


@pytest.mark.parametrize(("file", "array", "found"), [
    ("video_features/vid0_rgb.npy", np.ones(ROWS), f"({ROWS},)"),                  # 1-D
    ("video_features/vid0_opt.npy", np.ones((ROWS, 2, 512)), f"({ROWS}, 2, 512)"),  # 3-D
    ("video_features/vid0_rgb.npy", np.ones((ROWS, 512)), f"({ROWS}, 512)"),       # wrong width
    ("video_features/vid0_opt.npy", np.float32(3.0), "()"),                         # a scalar
    ("audio_features/vid0.npy", np.ones(ROWS), f"({ROWS},)"),
    ("audio_features/vid0.npy", np.ones((ROWS, 1024)), f"({ROWS}, 1024)"),
])
def test_feature_file_of_wrong_shape_is_named(tmp_path: Path, file: str, array: np.ndarray, found: str) -> None:
    root = make_dataset(tmp_path)
    np.save(root / file, array)
    width = 2048 if file.startswith("audio") else 1024
    with pytest.raises(DatasetError) as info:
        load_dataset(root)
    assert f"{file}: expected shape (rows, {width}), found {found}" in str(info.value)


def test_non_numeric_feature_file_is_named(tmp_path: Path) -> None:
    root = make_dataset(tmp_path)
    np.save(root / "video_features" / "vid1_rgb.npy", np.full((ROWS, 1024), "x"))
    with pytest.raises(DatasetError, match=r"vid1_rgb\.npy: expected numbers .* found dtype"):
        load_dataset(root)
    np.savez(root / "video_features" / "vid1_rgb.npy", a=np.ones((ROWS, 1024)))
    (root / "video_features" / "vid1_rgb.npy.npz").rename(root / "video_features" / "vid1_rgb.npy")
    with pytest.raises(DatasetError, match=r"vid1_rgb\.npy: unreadable"):
        load_dataset(root)


def test_cli_one_dimensional_features_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_dataset(tmp_path)
    np.save(root / "video_features" / "vid0_rgb.npy", np.ones(ROWS, np.float16))
    err = cli_error(capsys, monkeypatch, root, "--dataset", "tvsum")
    assert "vid0_rgb.npy" in err and f"expected shape (rows, 1024), found ({ROWS},)" in err


# ---------------------------------------------------------------- 2. annotation entries missing keys


@pytest.mark.parametrize(("name", "key"), [("tvsum", "anno"), ("tvsum", "domain"),
                                           ("youtube", "match"), ("youtube", "domain")])
def test_missing_annotation_key_names_file_video_and_key(tmp_path: Path, name: str, key: str) -> None:
    root = make_dataset(tmp_path, name)
    edit_anno(root, name, lambda a: a["vid1"].pop(key))
    with pytest.raises(DatasetError, match=rf"{name}_anno\.json: video 'vid1' has no '{key}'"):
        load_dataset(root)


def test_annotation_entries_of_the_wrong_type(tmp_path: Path) -> None:
    root = make_dataset(tmp_path)
    edit_anno(root, "tvsum", lambda a: a.update(vid0=[1, 2, 3]))
    with pytest.raises(DatasetError, match=r"video 'vid0': expected an object, found list"):
        load_dataset(root)
    edit_anno(root, "tvsum", lambda a: a.update(vid0={**a["vid1"], "fps": "thirty"}))
    with pytest.raises(DatasetError, match=r"video 'vid0': 'fps' is not a number"):
        load_dataset(root)
    (root / "tvsum_anno.json").write_text("[1, 2]")
    with pytest.raises(DatasetError, match=r"tvsum_anno\.json: expected a JSON object"):
        load_dataset(root)
    (root / "tvsum_anno.json").write_text("{}")
    (root / "splits.json").write_text('["train"]')
    with pytest.raises(DatasetError, match=r"splits\.json: expected a JSON object"):
        load_dataset(root, split="train")


def test_cli_missing_anno_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_dataset(tmp_path)
    edit_anno(root, "tvsum", lambda a: a["vid0"].pop("anno"))
    err = cli_error(capsys, monkeypatch, root, "--dataset", "tvsum")
    assert "tvsum_anno.json" in err and "'vid0'" in err and "'anno'" in err


# ---------------------------------------------------------------- 3. labels of the wrong shape


def test_ragged_anno_is_rejected(tmp_path: Path) -> None:
    root = make_dataset(tmp_path)
    edit_anno(root, "tvsum", lambda a: a["vid0"]["anno"][3].pop())
    with pytest.raises(DatasetError, match=r"video 'vid0': 'anno': expected shape \(clips, annotators\), "
                                           r"found ragged rows \(lengths 2, 3\)"):
        load_dataset(root)


@pytest.mark.parametrize(("name", "key", "value", "needle"), [
    ("tvsum", "anno", [1, 2, 3], "expected shape (clips, annotators), found (3,)"),
    ("tvsum", "anno", [[]] * ROWS, f"expected shape (clips, annotators), found ({ROWS}, 0)"),
    ("tvsum", "anno", [[1, 2], 3],
     "expected shape (clips, annotators), found ragged rows (lengths 2 and single values)"),
    ("tvsum", "anno", [["a", "b"]] * ROWS, "expected numbers of shape (clips, annotators), found non-numeric"),
    ("youtube", "match", [[1], [0]], "expected shape (clips,), found (2, 1)"),
    ("youtube", "match", [1, None, 0], "1 of 3 values are NaN or inf"),
])
def test_malformed_labels_are_rejected(tmp_path: Path, name: str, key: str, value: object, needle: str) -> None:
    root = make_dataset(tmp_path, name)
    edit_anno(root, name, lambda a: a["vid1"].update({key: value}))
    with pytest.raises(DatasetError) as info:
        load_dataset(root)
    assert f"video 'vid1': '{key}': {needle}" in str(info.value)


def test_cli_ragged_anno_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_dataset(tmp_path)
    edit_anno(root, "tvsum", lambda a: a["vid1"]["anno"][0].append(5))
    err = cli_error(capsys, monkeypatch, root)
    assert "tvsum_anno.json: video 'vid1': 'anno'" in err and "ragged" in err


# ---------------------------------------------------------------- 4. non-finite features


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_features_are_rejected_at_load(tmp_path: Path, bad: float) -> None:
    root = make_dataset(tmp_path)
    x = np.load(root / "video_features" / "vid1_opt.npy")
    x[2, 5] = x[7, 0] = bad
    np.save(root / "video_features" / "vid1_opt.npy", x)
    with pytest.raises(DatasetError, match=rf"vid1_opt\.npy: 2 of {ROWS * 1024} values are NaN or inf"):
        load_dataset(root)


def test_float64_values_beyond_float32_count_as_non_finite(tmp_path: Path) -> None:
    root = make_dataset(tmp_path)
    x = np.ones((ROWS, 2048))
    x[0, 0] = 1e300                                     # inf once cast to float32
    np.save(root / "audio_features" / "vid0.npy", x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                 # and no overflow warning on the way
        with pytest.raises(DatasetError, match=r"vid0\.npy: 1 of"):
            load_dataset(root)
    load_dataset(root, with_audio=False)               # audio that is not read is not checked


def test_cli_nan_features_with_norm_baseline_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_dataset(tmp_path)
    x = np.load(root / "video_features" / "vid0_rgb.npy")
    x[0, 0] = np.nan
    np.save(root / "video_features" / "vid0_rgb.npy", x)
    err = cli_error(capsys, monkeypatch, root, "--dataset", "tvsum")
    assert "vid0_rgb.npy" in err and "1 of" in err and "NaN or inf" in err and "finite scores" not in err


def test_a_split_that_is_not_a_list_of_ids_is_refused(tmp_path: Path) -> None:
    root = make_dataset(tmp_path / "tvsum")
    (root / "splits.json").write_text(json.dumps({"dom": {"train": "vid0"}}))  # a string, not a list
    with pytest.raises(DatasetError, match=r"'dom' / 'train' must be a list of video ids"):
        load_dataset(root, split="train")


def test_a_file_root_an_empty_split_and_empty_features_are_said(tmp_path: Path) -> None:
    root = make_dataset(tmp_path / "tvsum", n_videos=3)
    with pytest.raises(DatasetError, match="is a file; give the dataset folder"):
        load_dataset(root / "tvsum_anno.json")
    with pytest.raises(DatasetError, match="split name is empty"):
        load_dataset(root, split=" ")
    np.save(root / "video_features" / "vid1_rgb.npy", np.zeros((0, FEATURE_WIDTHS["rgb"]), np.float16))
    with pytest.warns(HighlitWarning, match=r"left out 1 video whose features or labels have no rows \(vid1\)"):
        videos = load_dataset(root)
    assert [v.video_id for v in videos] == ["vid0", "vid2"]


def test_an_annotated_video_without_feature_files_is_said_not_skipped_silently(tmp_path: Path) -> None:
    root = make_dataset(tmp_path / "tvsum", n_videos=3)
    (root / "video_features" / "vid2_opt.npy").unlink()
    with pytest.warns(HighlitWarning, match=r"left out 1 annotated video whose video_features/<id>_rgb.npy or "
                                            r"_opt.npy is missing \(vid2\)"):
        videos = load_dataset(root)
    assert [v.video_id for v in videos] == ["vid0", "vid1"]
