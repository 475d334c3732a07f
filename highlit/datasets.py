"""Feature datasets in the UMT release layout (TVSum, YouTube Highlights).

These yield the same thing raw videos do after extraction: a visual and an audio feature sequence
per video, one row per step. Training and model code therefore never know where features came from.
Labels ride along for evaluation only; :mod:`highlit.train` never reads them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from highlit.errors import DatasetError, warn

DATASETS = ("tvsum", "youtube")

#: Identities of the UMT release features, recorded in checkpoints trained on them so that a
#: benchmark checkpoint refuses raw-video features (EfficientNet, log-mel) with a clear message.
UMT_VISUAL = {"name": "i3d-rgb-flow", "version": "umt-release", "source": "I3D RGB + optical flow, concatenated"}
UMT_AUDIO = {"name": "umt-audio", "version": "umt-release", "source": "PANNs-style audio embedding"}


@dataclass(frozen=True)
class VideoFeatures:
    """One video's feature sequences on its own step grid.

    ``visual`` is I3D RGB and flow concatenated (2048-d) for the benchmark data; ``audio`` has the
    same number of rows or is None when the video has no audio. ``labels`` is dataset specific:
    TVSum ``anno`` (n, 20) importance scores, YouTube ``match`` (n,) in {-1, 0, 1}.
    """

    video_id: str
    domain: str
    visual: np.ndarray
    audio: np.ndarray | None
    labels: np.ndarray | None = None
    meta: dict = field(default_factory=dict)

    @property
    def n_steps(self) -> int:
        return int(self.visual.shape[0])


def _read_json(path: Path) -> dict:
    if not path.is_file():
        raise DatasetError(f"{path}: missing; is this a UMT-layout dataset folder?")
    try:
        data = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DatasetError(f"{path}: not valid JSON ({err.msg if hasattr(err, 'msg') else err})") from None
    if not isinstance(data, dict):
        raise DatasetError(f"{path}: expected a JSON object at the top level, found {type(data).__name__}")
    return data


def detect_name(root: Path) -> str:
    """Infer the dataset name from the annotation file present in ``root``."""
    for name in DATASETS:
        if (root / f"{name}_anno.json").is_file():
            return name
    raise DatasetError(f"{root}: no tvsum_anno.json or youtube_anno.json found")


def split_ids(root: Path, split: str) -> set[str]:
    """Ids listed under ``split`` in ``splits.json`` ({domain: {split: [ids]}})."""
    splits = _read_json(root / "splits.json")
    ids: set[str] = set()
    found = False
    for domain, per_domain in splits.items():
        if isinstance(per_domain, dict) and split in per_domain:
            found = True
            listed = per_domain[split]
            if not isinstance(listed, list) or not all(isinstance(i, str) for i in listed):
                raise DatasetError(f"{root / 'splits.json'}: {domain!r} / {split!r} must be a list of video ids")
            ids.update(listed)
    if not found:
        raise DatasetError(f"{root / 'splits.json'}: no split named {split!r}")
    return ids


#: Row widths of the UMT release feature files (see the data README): I3D RGB, I3D flow, audio embedding.
FEATURE_WIDTHS = {"rgb": 1024, "opt": 1024, "audio": 2048}


def _checked(what: str, value: object, shape: tuple[int | str, ...]) -> np.ndarray:
    """``value`` as a finite float32 array of ``shape``, else one DatasetError line that names ``what``.

    The single check every loaded array (feature file or label list) passes. ``shape`` gives a width
    (int) or a name (str) per axis; named axes after the first must not be empty. Costs one
    ``np.isfinite`` pass on top of the float32 conversion.
    """
    expected = "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"
    if isinstance(value, np.ndarray) and value.dtype.kind not in "biuf":
        raise DatasetError(f"{what}: expected numbers of shape {expected}, found dtype {value.dtype}")
    try:
        with np.errstate(over="ignore", invalid="ignore"):  # values beyond float32 become inf: reported below
            arr = np.asarray(value, dtype=np.float32)
    except (TypeError, ValueError) as err:
        rows = value if isinstance(value, list) else []
        sizes = sorted({len(r) for r in rows if isinstance(r, list)})
        scalars = any(not isinstance(r, list) for r in rows)
        if len(sizes) > 1 or (sizes and scalars):  # JSON rows of different lengths, or rows and single values
            found = ", ".join(map(str, sizes)) + (" and single values" if scalars else "")
            raise DatasetError(f"{what}: expected shape {expected}, found ragged rows (lengths {found})") from None
        raise DatasetError(f"{what}: expected numbers of shape {expected}, "
                           f"found non-numeric values ({str(err).splitlines()[0]})") from None
    if arr.ndim != len(shape) or any((size != want) if isinstance(want, int) else (i > 0 and size == 0)
                                     for i, (size, want) in enumerate(zip(arr.shape, shape, strict=True))):
        raise DatasetError(f"{what}: expected shape {expected}, found {arr.shape}")
    finite = np.isfinite(arr)
    if not finite.all():
        bad = arr.size - int(np.count_nonzero(finite))
        raise DatasetError(f"{what}: {bad} of {arr.size} values are NaN or inf")
    return arr


def _load_array(path: Path, width: int) -> np.ndarray:
    try:
        raw = np.load(path)
    except (OSError, ValueError, EOFError) as err:
        raise DatasetError(f"{path}: unreadable feature file ({(str(err) or type(err).__name__).splitlines()[0]})") \
            from None
    if not isinstance(raw, np.ndarray):  # an .npz archive under an .npy name
        raise DatasetError(f"{path}: unreadable feature file (not a single .npy array)")
    return _checked(str(path), raw, ("rows", width))


def _field(anno_path: Path, vid: str, entry: object, key: str) -> object:
    """``entry[key]`` of one annotation entry, or a DatasetError naming the file, the video and the key."""
    if not isinstance(entry, dict):
        raise DatasetError(f"{anno_path}: video {vid!r}: expected an object, found {type(entry).__name__}")
    if key not in entry:
        raise DatasetError(f"{anno_path}: video {vid!r} has no {key!r}")
    return entry[key]


def load_dataset(root: str | Path, name: str | None = None, split: str | None = None,
                 with_audio: bool = True) -> list[VideoFeatures]:
    """Read every annotated video that has features (optionally only those under ``split``).

    Videos whose feature files are missing are skipped (the YouTube release lists one such id);
    visual, audio and label rows are cut to the shortest of them. Every file and label list that is read
    must have the layout's shape and finite numbers; one that does not is a one-line DatasetError naming it.
    """
    root = Path(root)
    if root.is_file():
        raise DatasetError(f"{root}: is a file; give the dataset folder (holding tvsum_anno.json or youtube_anno.json)")
    if not root.is_dir():
        raise DatasetError(f"{root}: dataset folder not found")
    if split is not None and not split.strip():
        raise DatasetError("the split name is empty; give one listed in splits.json, or no --split for every video")
    name = name or detect_name(root)
    if name not in DATASETS:
        raise DatasetError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    anno_path = root / f"{name}_anno.json"
    anno = _read_json(anno_path)
    wanted = split_ids(root, split) if split else None
    videos: list[VideoFeatures] = []
    empty: list[str] = []
    unfeatured: list[str] = []  # annotated, but its RGB or flow file is missing: a benchmark figure changes unsaid
    for vid in sorted(anno):
        if wanted is not None and vid not in wanted:
            continue
        rgb_path = root / "video_features" / f"{vid}_rgb.npy"
        opt_path = root / "video_features" / f"{vid}_opt.npy"
        if not (rgb_path.is_file() and opt_path.is_file()):
            unfeatured.append(vid)
            continue
        entry = anno[vid]
        label_key = "anno" if name == "tvsum" else "match"
        domain = str(_field(anno_path, vid, entry, "domain"))
        label_shape = ("clips", "annotators") if name == "tvsum" else ("clips",)
        labels = _checked(f"{anno_path}: video {vid!r}: {label_key!r}", _field(anno_path, vid, entry, label_key),
                          label_shape)
        fps = entry.get("fps", 0) or 0
        if isinstance(fps, bool) or not isinstance(fps, (int, float)):
            raise DatasetError(f"{anno_path}: video {vid!r}: 'fps' is not a number ({fps!r})")
        rgb, opt = _load_array(rgb_path, FEATURE_WIDTHS["rgb"]), _load_array(opt_path, FEATURE_WIDTHS["opt"])
        audio_path = root / "audio_features" / f"{vid}.npy"
        audio = (_load_array(audio_path, FEATURE_WIDTHS["audio"])
                 if with_audio and audio_path.is_file() else None)
        n = min(len(rgb), len(opt), len(labels), *( [len(audio)] if audio is not None else []))
        if n == 0:  # a feature or label file with no rows: nothing to score, but never left out unsaid
            empty.append(vid)
            continue
        visual = np.concatenate([rgb[:n], opt[:n]], axis=1)
        videos.append(VideoFeatures(
            video_id=vid,
            domain=domain,
            visual=visual,
            audio=None if audio is None else audio[:n],
            labels=labels[:n],
            meta={"dataset": name, "fps": float(fps),
                  "visual_extractor": UMT_VISUAL | {"dim": int(visual.shape[1])},
                  "audio_extractor": None if audio is None else UMT_AUDIO | {"dim": int(audio.shape[1])}},
        ))
    if unfeatured:
        warn(f"{root}: left out {_count(unfeatured, 'annotated ')} whose video_features/<id>_rgb.npy or _opt.npy "
             f"is missing ({_shown(unfeatured)})")
    if empty:
        warn(f"{root}: left out {_count(empty)} whose features or labels have no rows ({_shown(empty)})")
    if not videos:
        raise DatasetError(f"{root}: no video with both annotations and features"
                           + (f" in split {split!r}" if split else ""))
    return videos


def _count(ids: list[str], kind: str = "") -> str:
    return f"{len(ids)} {kind}video{'s' * (len(ids) > 1)}"


def _shown(ids: list[str]) -> str:
    return ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")


def align_audio_dim(video: VideoFeatures) -> VideoFeatures:
    """Resample the audio vector length to the visual dimension, as the paper's Implementation says.

    Both branches then share one architecture. Raw-video audio (log-mel, 64-d) needs this; the
    benchmark features are already 2048-d on both sides and pass through unchanged.
    """
    if video.audio is None or video.audio.shape[1] == video.visual.shape[1]:
        return video
    from highlit.sequences import resize_dim

    return replace(video, audio=resize_dim(video.audio, video.visual.shape[1]))
