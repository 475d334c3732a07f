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

from highlit.errors import DatasetError

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
        return json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DatasetError(f"{path}: not valid JSON ({err.msg if hasattr(err, 'msg') else err})") from None


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
    for per_domain in splits.values():
        if isinstance(per_domain, dict) and split in per_domain:
            found = True
            ids.update(per_domain[split])
    if not found:
        raise DatasetError(f"{root / 'splits.json'}: no split named {split!r}")
    return ids


def _load_array(path: Path) -> np.ndarray:
    try:
        return np.load(path).astype(np.float32)
    except (OSError, ValueError) as err:
        raise DatasetError(f"{path}: unreadable feature file ({err})") from None


def load_dataset(root: str | Path, name: str | None = None, split: str | None = None,
                 with_audio: bool = True) -> list[VideoFeatures]:
    """Read every annotated video that has features (optionally only those under ``split``).

    Videos whose feature files are missing are skipped (the YouTube release lists one such id);
    visual, audio and label rows are cut to the shortest of them.
    """
    root = Path(root)
    if not root.is_dir():
        raise DatasetError(f"{root}: dataset folder not found")
    name = name or detect_name(root)
    if name not in DATASETS:
        raise DatasetError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    anno = _read_json(root / f"{name}_anno.json")
    wanted = split_ids(root, split) if split else None
    videos: list[VideoFeatures] = []
    for vid in sorted(anno):
        if wanted is not None and vid not in wanted:
            continue
        rgb_path = root / "video_features" / f"{vid}_rgb.npy"
        opt_path = root / "video_features" / f"{vid}_opt.npy"
        if not (rgb_path.is_file() and opt_path.is_file()):
            continue
        rgb, opt = _load_array(rgb_path), _load_array(opt_path)
        audio_path = root / "audio_features" / f"{vid}.npy"
        audio = _load_array(audio_path) if with_audio and audio_path.is_file() else None
        entry = anno[vid]
        if name == "tvsum":
            labels = np.asarray(entry["anno"], dtype=np.float32)
        else:
            labels = np.asarray(entry["match"], dtype=np.float32)
        n = min(len(rgb), len(opt), len(labels), *( [len(audio)] if audio is not None else []))
        if n == 0:
            continue
        visual = np.concatenate([rgb[:n], opt[:n]], axis=1)
        videos.append(VideoFeatures(
            video_id=vid,
            domain=str(entry["domain"]),
            visual=visual,
            audio=None if audio is None else audio[:n],
            labels=labels[:n],
            meta={"dataset": name, "fps": float(entry.get("fps", 0) or 0),
                  "visual_extractor": UMT_VISUAL | {"dim": int(visual.shape[1])},
                  "audio_extractor": None if audio is None else UMT_AUDIO | {"dim": int(audio.shape[1])}},
        ))
    if not videos:
        raise DatasetError(f"{root}: no video with both annotations and features"
                           + (f" in split {split!r}" if split else ""))
    return videos


def align_audio_dim(video: VideoFeatures) -> VideoFeatures:
    """Resample the audio vector length to the visual dimension, as the paper's Implementation says.

    Both branches then share one architecture. Raw-video audio (log-mel, 64-d) needs this; the
    benchmark features are already 2048-d on both sides and pass through unchanged.
    """
    if video.audio is None or video.audio.shape[1] == video.visual.shape[1]:
        return video
    from highlit.sequences import resize_dim

    return replace(video, audio=resize_dim(video.audio, video.visual.shape[1]))
