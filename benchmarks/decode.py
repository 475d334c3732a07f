"""Decode and extraction speed on a long synthetic video (a benchmark, not a test).

Generates once (and reuses) an N-minute 1280x720 30 fps H.264 + AAC file with moving, textured
content and scene changes, then reports, as multiples of real time (video seconds per wall second):

- decode: one pass over video + audio, frames sampled at 5 fps and scaled to 224x224, audio to
  16 kHz mono (what ``extract_video`` does before any network runs);
- decode+extract: ``extract_video`` with the default extractors (EfficientNet-Lite0 + log-mel),
  no cache;

and the peak resident memory of each phase (VmHWM from /proc, reset between phases where the
kernel allows it). The encoder uses x264's ``superfast`` preset: quick to generate, yet with CABAC
and B-frames like ordinary camera and web videos, so decoding is not flattered.

    python benchmarks/decode.py                 # 10 minutes
    python benchmarks/decode.py --minutes 2 --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from highlit.atomic import atomic_path  # noqa: E402

WIDTH, HEIGHT, FPS = 1280, 720, 30
AUDIO_RATE = 48000


def _textures(rng: np.random.Generator, n: int) -> list[np.ndarray]:
    """Smooth random luma textures (random low-res grids upsampled), twice the frame width to scroll."""
    out = []
    for _ in range(n):
        low = rng.integers(16, 235, (HEIGHT // 40 + 1, 2 * WIDTH // 40 + 1)).astype(np.float32)
        tex = np.kron(low, np.ones((40, 40), np.float32))[:HEIGHT, : 2 * WIDTH]
        fine = rng.integers(-12, 12, tex.shape).astype(np.float32)
        out.append(np.clip(tex + fine, 0, 255).astype(np.uint8))
    return out


def generate(path: Path, minutes: float) -> float:
    """Write the benchmark video; returns the seconds it took."""
    started = time.perf_counter()
    rng = np.random.default_rng(0)
    textures = _textures(rng, 6)
    n_frames = int(round(minutes * 60 * FPS))
    with atomic_path(path) as tmp:
        container = av.open(str(tmp), mode="w")
        video = container.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        video.options = {"preset": "superfast", "crf": "23"}
        audio = container.add_stream("aac", rate=AUDIO_RATE)
        audio.layout = "stereo"
        audio.bit_rate = 128_000
        chroma = np.full((HEIGHT // 2, WIDTH), 128, np.uint8)
        samples_per_frame = AUDIO_RATE // FPS
        audio_pts = 0
        for i in range(n_frames):
            scene = (i // (FPS * 10)) % len(textures)  # a cut every 10 s
            shift = (i * 6) % WIDTH
            y = textures[scene][:, shift: shift + WIDTH].copy()
            bx = int((np.sin(i / 40) * 0.4 + 0.5) * (WIDTH - 160))
            by = int((np.cos(i / 55) * 0.4 + 0.5) * (HEIGHT - 160))
            y[by: by + 160, bx: bx + 160] = 235
            chroma[:, :] = 128 + 40 * np.sin(i / 90 + scene)
            frame = av.VideoFrame.from_ndarray(np.concatenate([y, chroma]), format="yuv420p")
            frame.pts = i
            frame.time_base = Fraction(1, FPS)
            for packet in video.encode(frame):
                container.mux(packet)
            t = (audio_pts + np.arange(samples_per_frame)) / AUDIO_RATE
            tone = 0.2 * np.sin(2 * np.pi * (220 + 110 * scene) * t) + 0.05 * rng.standard_normal(t.size)
            wave = np.stack([tone, tone[::-1]]).astype(np.float32)
            aframe = av.AudioFrame.from_ndarray(wave, format="fltp", layout="stereo")
            aframe.sample_rate = AUDIO_RATE
            aframe.pts = audio_pts
            aframe.time_base = Fraction(1, AUDIO_RATE)
            audio_pts += samples_per_frame
            for packet in audio.encode(aframe):
                container.mux(packet)
        for stream in (video, audio):
            for packet in stream.encode():
                container.mux(packet)
        container.close()
    return time.perf_counter() - started


def _peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False where not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _load() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def run(path: Path, batch_size: int, skip_extract: bool, threads: int | None) -> dict:
    from highlit.extract import extract_video, extraction_threads
    from highlit.media import MediaReader, probe

    info = probe(path)
    result: dict = {"video": str(path), "duration_s": round(info.duration, 2),
                    "size": [info.width, info.height], "fps": info.fps,
                    "cpus": os.cpu_count(), "python": platform.python_version(), "pyav": av.__version__,
                    "load_before": _load()}
    _reset_peak()
    started = time.perf_counter()
    steps = 0
    for kind, _, _ in MediaReader(path, fps=5.0, size=(224, 224)):
        steps += kind == "video"
    decode_s = time.perf_counter() - started
    result.update(steps=steps, decode_s=round(decode_s, 2), decode_x_realtime=round(info.duration / decode_s, 2),
                  decode_peak_rss_mb=round(_peak_rss_mb(), 1))
    if not skip_extract:
        import torch

        result["torch_threads"] = extraction_threads(threads, torch.get_num_threads())
        resettable = _reset_peak()
        started = time.perf_counter()
        feats = extract_video(path, batch_size=batch_size, use_cache=False, threads=threads)
        extract_s = time.perf_counter() - started
        result.update(extract_s=round(extract_s, 2), extract_x_realtime=round(info.duration / extract_s, 2),
                      extract_peak_rss_mb=round(_peak_rss_mb(), 1), peak_reset_between_phases=resettable,
                      visual_shape=list(feats.visual.shape),
                      audio_shape=None if feats.audio is None else list(feats.audio.shape))
    result["load_after"] = _load()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the generated video (10)")
    parser.add_argument("--path", type=Path, help="video to use or create (default: a file in the temp dir)")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--threads", type=int, help="torch threads while extracting (default: cores - 1)")
    parser.add_argument("--skip-extract", action="store_true", help="decode only")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    os.environ.setdefault("HIGHLIT_QUIET", "1")
    path = args.path or Path(tempfile.gettempdir()) / f"highlit-bench-{args.minutes:g}min-720p30.mp4"
    generated_s = None
    if not path.is_file():
        print(f"generating {path} ({args.minutes:g} min 1280x720 30 fps H.264 + AAC) ...", file=sys.stderr)
        generated_s = round(generate(path, args.minutes), 1)
    result = run(path, args.batch_size, args.skip_extract, args.threads)
    result["generate_s"] = generated_s
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"video           {result['video']} ({result['duration_s']} s, {result['size'][0]}x{result['size'][1]} "
              f"@ {result['fps']:g} fps){'' if generated_s is None else f', generated in {generated_s} s'}")
        print(f"machine         {result['cpus']} CPUs, load {result['load_before']} -> {result['load_after']}")
        print(f"decode          {result['decode_s']:8.1f} s  {result['decode_x_realtime']:6.1f}x real time  "
              f"peak RSS {result['decode_peak_rss_mb']:.0f} MB  ({result['steps']} steps at 5 fps, 224x224)")
        if "extract_s" in result:
            print(f"decode+extract  {result['extract_s']:8.1f} s  {result['extract_x_realtime']:6.1f}x real time  "
                  f"peak RSS {result['extract_peak_rss_mb']:.0f} MB  (EfficientNet-Lite0 + log-mel, "
                  f"{result['torch_threads']} torch threads, batch {args.batch_size})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
