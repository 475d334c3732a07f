"""End-to-end ``highlit detect`` speed and memory on a generated 720p video (a benchmark, not a test).

For one N-minute 1280x720 30 fps H.264 + AAC file (made by benchmarks/decode.py's generator and
reused) it runs, each in a fresh process, interleaved so all see the same background load:

- ``decode``: the limit. One pass of the same threaded PyAV reader, 5 fps at 224x224 + 16 kHz audio.
- ``detect`` with a small pretrained checkpoint: ``highlit.pipeline.detect_many`` + the default
  output formats, with the stage split (see :func:`_detect_child`), once per visual backend asked
  for (``onnx``: ONNX Runtime, the default when installed; ``torch``: the eager fallback).
- optionally ``detect`` fitting on the input (no checkpoint) and peak RSS on a longer video made by
  stream-copying the N-minute file back to back (``--long-minutes``, no re-encoding).

    python benchmarks/pipeline.py                      # 10 minutes, onnx vs torch, human-readable
    python benchmarks/pipeline.py --json               # only the headline numbers, as JSON
    python benchmarks/pipeline.py --save out.json --long-minutes 60 --fit-on-input

``--json`` prints only {"x_realtime", "vs_decode", "peak_rss_mb", "stages", "load_avg"} for the
first backend; ``--save`` keeps everything (benchmarks/write_docs.py renders docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import load_avg, machine, peak_rss_mb, run_child, spearman  # noqa: E402

SCRIPT = Path(__file__).resolve()
FPS = 5.0


# ----------------------------------------------------------------------------- inputs

def bench_video(minutes: float) -> Path:
    """The N-minute benchmark file in the temp dir, generated on first use (10 min: ~6 min)."""
    path = Path(tempfile.gettempdir()) / f"highlit-bench-{minutes:g}min-720p30.mp4"
    if not path.is_file():
        from benchmarks.decode import generate

        print(f"generating {path} ...", file=sys.stderr)
        generate(path, minutes)
    return path


def concat_video(src: Path, times: int) -> Path:
    """``src`` repeated ``times`` times by stream copy (timestamps shifted, nothing re-encoded)."""
    import av

    from highlit.atomic import atomic_path

    out = src.with_name(src.stem.replace("min", f"min-x{times}") + src.suffix)
    if out.is_file():
        return out
    with atomic_path(out) as tmp, av.open(str(tmp), "w", format="mp4") as dst:
        with av.open(str(src)) as first:
            keep = [s.index for s in first.streams if s.type in ("video", "audio")]
            outs = {i: dst.add_stream_from_template(first.streams[i]) for i in keep}
        end = dict.fromkeys(keep, 0)  # where each stream's next copy starts (its time base)
        for _ in range(times):
            with av.open(str(src)) as inp:
                shift: dict[int, int] = {}
                last = dict(end)
                for packet in inp.demux(*[inp.streams[i] for i in keep]):
                    if packet.dts is None:  # the demuxer's end-of-stream marker
                        continue
                    i = packet.stream.index
                    shift.setdefault(i, end[i] - packet.dts)  # dts keeps rising across the seam
                    packet.pts += shift[i]
                    packet.dts += shift[i]
                    last[i] = max(last[i], packet.dts + (packet.duration or 1))
                    packet.stream = outs[i]
                    dst.mux(packet)
                end = last
    return out


def checkpoint(dim: int = 1280) -> Path:
    """A small checkpoint pretrained on synthetic EfficientNet-sized features (speed does not depend
    on what it learnt), tagged with the default extractors so detect accepts it."""
    import numpy as np

    from highlit.datasets import VideoFeatures
    from highlit.features import get_audio, get_visual
    from highlit.model.config import ModelConfig
    from highlit.train import TrainConfig, pretrain

    out = Path(tempfile.gettempdir()) / "highlit-bench-checkpoint"
    from highlit.checkpoint import find_checkpoint

    found = find_checkpoint(out)
    if found is not None:
        return found
    rng = np.random.default_rng(0)
    videos = [VideoFeatures(video_id=f"v{i}", domain="synthetic",
                            visual=rng.random((600, dim), dtype=np.float32),
                            audio=rng.random((600, dim), dtype=np.float32), labels=None,
                            meta={"step_seconds": 0.2}) for i in range(4)]
    base = ModelConfig.preset("default").to_dict()
    cfg = ModelConfig.from_dict({**base, "visual_dim": dim, "audio_dim": dim})
    extractors = {"visual": get_visual("efficientnet").identity(), "audio": get_audio("logmel").identity()}
    return pretrain(videos, cfg, TrainConfig(steps=10, val_every=10, checkpoint_every=10), out,
                    extractors=extractors)


# ----------------------------------------------------------------------------- children

def _decode_child(path: Path) -> dict:
    from highlit.media import MediaReader

    started, cpu = time.perf_counter(), time.process_time()
    steps = 0
    for kind, _, _ in MediaReader(path, fps=FPS, size=(224, 224)):
        steps += kind == "video"
    return {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu, "steps": steps,
            "peak_rss_mb": peak_rss_mb()}


def _timed(fn, bucket: dict, key: str):
    def wrapper(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            bucket[key] += time.perf_counter() - t
    return wrapper


def _detect_child(path: Path, model: str | None, backend: str, threads: int | None) -> dict:
    """``detect_many`` on ``path`` with a cold feature cache, then the default outputs.

    Stages: visual_features / audio_features = time inside the extractors (main thread); model = the
    fit (fit-on-input only) plus scoring; outputs = writing the default formats; decode = the rest
    of the extraction, i.e. the time extraction waited for the decoder thread (decoding that
    overlapped with the extractors costs nothing here and is not counted).
    """
    import highlit.extract as extract
    import highlit.pipeline as pipeline
    from highlit.features import get_audio, get_visual

    vis, aud = get_visual("efficientnet"), get_audio("logmel")
    vis.backend = backend
    times = dict.fromkeys(("extract", "visual_features", "audio_features", "model", "outputs"), 0.0)
    vis._forward = _timed(vis._forward, times, "visual_features")
    aud._steps = _timed(aud._steps, times, "audio_features")
    pipeline.extract_video = _timed(extract.extract_video, times, "extract")
    pipeline.score_sequence = _timed(pipeline.score_sequence, times, "model")
    pipeline._fit_default_model = _timed(pipeline._fit_default_model, times, "model")
    if threads is not None:
        real = extract.extraction_threads
        extract.extraction_threads = lambda _t, current, shares=False: real(threads, current, shares)
    with tempfile.TemporaryDirectory() as tmp:
        started, cpu = time.perf_counter(), time.process_time()
        results = pipeline.detect_many([path], model, cache_dir=str(Path(tmp) / "cache"))
        t = time.perf_counter()
        if results[0].error is not None:
            raise results[0].error
        results[0].highlights.write(Path(tmp) / "out")
        times["outputs"] = time.perf_counter() - t
        total = time.perf_counter() - started
    scores = results[0].highlights.scores
    stages = {"decode": times["extract"] - times["visual_features"] - times["audio_features"],
              "visual_features": times["visual_features"], "audio_features": times["audio_features"],
              "model": times["model"], "outputs": times["outputs"]}
    return {"seconds": total, "cpu_seconds": time.process_time() - cpu, "stages": stages,
            "peak_rss_mb": peak_rss_mb(), "steps": int(scores.size),
            "fit_steps": (results[0].highlights.model or {}).get("steps") if model is None else None,
            "backend": vis.backend, "scores": [round(float(s), 6) for s in scores]}


# ----------------------------------------------------------------------------- parent

def _round(obj):
    if isinstance(obj, float):
        return round(obj, 3)
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_round(v) for v in obj]
    return obj


def run(minutes: float, backends: list[str], threads: int | None, fit: bool, long_minutes: float | None,
        repeats: int, save: Path | None = None) -> dict:
    path = bench_video(minutes)
    from highlit.media import probe

    duration = probe(path).duration
    ckpt = str(checkpoint())
    th = [] if threads is None else ["--threads", str(threads)]
    result: dict = {"video": str(path), "duration_s": duration, "machine": machine(), "load_start": load_avg(),
                    "decode": [], "detect": {b: [] for b in backends}}
    def keep() -> None:  # what was measured so far survives a later failure
        if save:
            from highlit.atomic import atomic_write_text

            atomic_write_text(save.with_suffix(".partial.json"), json.dumps(_round(result), indent=2))

    for _ in range(repeats):  # interleaved: decode, then each backend, then again
        result["decode"].append(run_child(SCRIPT, ["decode", str(path)]))
        keep()
        for b in backends:
            result["detect"][b].append(run_child(SCRIPT, ["detect", str(path), "--backend", b,
                                                          "--model", ckpt, *th]))
            keep()
    if fit:
        result["fit_on_input"] = run_child(SCRIPT, ["detect", str(path), "--backend", backends[0], *th])
        keep()
    if long_minutes:
        times = max(2, round(long_minutes / minutes))
        long_path = concat_video(path, times)
        long_dur = probe(long_path).duration
        r = run_child(SCRIPT, ["detect", str(long_path), "--backend", backends[0], "--model", ckpt, *th])
        r.pop("scores")
        result["long"] = {"video": str(long_path), "duration_s": long_dur, **r,
                          "x_realtime": long_dur / r["seconds"]}
    decode_s = min(r["seconds"] for r in result["decode"])
    for b, runs in result["detect"].items():
        best = min(runs, key=lambda r: r["seconds"])
        result[f"summary_{b}"] = {"x_realtime": duration / best["seconds"], "vs_decode": best["seconds"] / decode_s,
                                  "seconds": best["seconds"], "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
                                  "stages": best["stages"]}
    if len(backends) > 1:
        first = result["detect"][backends[0]][0]["scores"]
        result["score_spearman"] = {b: spearman(first, result["detect"][b][0]["scores"]) for b in backends[1:]}
        for b in backends[1:]:
            result[f"speedup_{backends[0]}_vs_{b}"] = (result[f"summary_{b}"]["seconds"]
                                                      / result[f"summary_{backends[0]}"]["seconds"])
    for runs in result["detect"].values():
        for r in runs:
            r.pop("scores", None)
    result["decode_x_realtime"] = duration / decode_s
    result["load_end"] = load_avg()
    return _round(result)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        kind, path, *rest = argv[1:]
        p = argparse.ArgumentParser()
        p.add_argument("--backend", default="onnx")
        p.add_argument("--model")
        p.add_argument("--threads", type=int)
        a = p.parse_args(rest)
        out = _decode_child(Path(path)) if kind == "decode" else _detect_child(Path(path), a.model, a.backend,
                                                                              a.threads)
        print(json.dumps(out))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--backends", default="onnx,torch", help="visual backends to compare, first = headline")
    parser.add_argument("--threads", type=int, help="torch/ORT threads while extracting (default: highlit's choice)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--fit-on-input", action="store_true", help="also time detect without a checkpoint")
    parser.add_argument("--long-minutes", type=float, help="also measure peak RSS on a video this long")
    parser.add_argument("--json", action="store_true", help="print only the headline numbers as JSON")
    parser.add_argument("--save", type=Path, help="write every number to this JSON file")
    parser.add_argument("--note", help="what this run measures (kept in the saved JSON and the docs)")
    args = parser.parse_args(argv)
    import os

    os.environ.setdefault("HIGHLIT_QUIET", "1")
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    result = run(args.minutes, backends, args.threads, args.fit_on_input, args.long_minutes, args.repeats, args.save)
    result["note"] = args.note
    if args.save:
        from highlit.atomic import atomic_write_text

        atomic_write_text(args.save, json.dumps(result, indent=2))
    head = result[f"summary_{backends[0]}"]
    if args.json:
        print(json.dumps({"x_realtime": head["x_realtime"], "vs_decode": head["vs_decode"],
                          "peak_rss_mb": head["peak_rss_mb"], "stages": head["stages"],
                          "load_avg": result["load_end"]}))
        return 0
    print(f"video      {result['video']} ({result['duration_s']} s)   load {result['load_start']} -> "
          f"{result['load_end']}   {result['machine']['cpus']} CPUs")
    print(f"decode     {result['decode_x_realtime']:6.1f}x real time (the limit)")
    for b in backends:
        s = result[f"summary_{b}"]
        print(f"detect/{b:5s} {s['x_realtime']:6.1f}x real time  {s['vs_decode']:.2f}x decode time  "
              f"peak RSS {s['peak_rss_mb']:.0f} MB  stages {s['stages']}")
    for key in ("score_spearman", "fit_on_input", "long"):
        if key in result:
            print(f"{key:10s} {result[key]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
