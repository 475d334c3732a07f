"""One self-contained HTML page: the video, its score curve under it, the segments to click.

No network resource of any kind (no CDN script, font or style): it opens from a USB stick or an
air-gapped editing machine. How the page reaches the video (the one choice the format leaves open):

- a source of at most ``EMBED_LIMIT`` bytes is embedded as a base64 ``data:`` URL, so short clips
  give a single file that can be mailed around;
- a larger one is linked by its path *relative to the report* (reports are written beside the video
  or in an output folder near it, and relative links survive moving both together), or by an
  absolute ``file://`` URL when no relative path exists.

The curve is inline SVG (one polyline; above ``MAX_POINTS`` steps it shows the max of each bin so
peaks never disappear); clicking it or a segment seeks the player. "Play highlights" plays the
segments one after another. ``?autotest=1`` is a hook for the headless-browser test: once the video
has metadata it clicks the first segment, waits for the seek, and writes the player state as JSON
into ``document.title``.
"""

from __future__ import annotations

import base64
import html
import json
import mimetypes
import os
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from highlit.atomic import atomic_write_text
from highlit.media import file_origin

if TYPE_CHECKING:
    from highlit.highlights import Highlights

EMBED_LIMIT = 8 * 1024 * 1024
MAX_POINTS = 2000
# QuickTime is labelled video/mp4: Chrome and Edge refuse "video/quicktime" (MediaError 4) but play the
# same H.264/AAC .mov as mp4, and Safari plays it under either label.
_MIME = {".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/mp4", ".webm": "video/webm",
         ".mkv": "video/x-matroska", ".ogv": "video/ogg", ".avi": "video/x-msvideo"}


def video_src(source: str, report: Path, embed: bool | None = None) -> str:
    """The ``src`` of the player: data URL, relative URL or file URL (see module docstring)."""
    src = Path(source).expanduser().resolve()
    if embed is None:
        embed = src.is_file() and src.stat().st_size <= EMBED_LIMIT
    if embed:
        mime = _MIME.get(src.suffix.lower()) or mimetypes.guess_type(src.name)[0] or "video/mp4"
        return f"data:{mime};base64,{base64.b64encode(src.read_bytes()).decode('ascii')}"
    try:
        rel = os.path.relpath(src, report.expanduser().resolve().parent)
    except ValueError:  # another drive (Windows): no relative path exists
        return src.as_uri()
    return urllib.parse.quote(Path(rel).as_posix())


def _curve_points(highlights: Highlights) -> str:
    centres = highlights.times + highlights.step / 2
    scores = highlights.scores.astype(np.float64)
    if len(scores) > MAX_POINTS:
        bins = np.array_split(np.arange(len(scores)), MAX_POINTS)
        centres = np.array([centres[b].mean() for b in bins])
        scores = np.array([scores[b].max() for b in bins])
    dur = max(highlights.duration, 1e-6)
    # The last step's centre can lie past the end (a 5.1 s video has a step at 5.0-5.2 s): the curve stays
    # inside the player's length, as the segments and the playhead do.
    centres = np.clip(centres, 0.0, dur)
    return " ".join(f"{1000 * t / dur:.2f},{100 * (1 - s):.2f}" for t, s in zip(centres, scores, strict=True))


def _clock(t: float) -> str:
    return f"{int(t // 60)}:{t % 60:04.1f}"


_CSS = """
body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:16px;background:#111;color:#eee}
h1{font-size:20px;margin:0 0 4px} .meta{color:#aaa;margin:0 0 12px;font-size:13px}
video{width:100%;max-height:62vh;background:#000;display:block}
#curve{width:100%;height:120px;display:block;margin-top:6px;background:#1b1b1b;cursor:pointer}
#curve polyline{fill:none;stroke:#5dade2;stroke-width:1.5;vector-effect:non-scaling-stroke}
#curve rect.seg{fill:#f39c12;opacity:.35} #curve rect.seg.active{opacity:.7}
#playhead{stroke:#e74c3c;stroke-width:2;vector-effect:non-scaling-stroke}
.ticks{display:flex;justify-content:space-between;color:#888;font-size:11px}
.bar{display:flex;gap:8px;align-items:center;margin:10px 0}
button{background:#2c3e50;color:#eee;border:1px solid #456;border-radius:4px;padding:5px 10px;cursor:pointer}
ol{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:6px}
.seg-btn{width:100%;text-align:left;display:flex;gap:8px;align-items:center}
.seg-btn.active{border-color:#f39c12;background:#4a3a1a}
.score{flex:1;height:6px;background:#333;border-radius:3px;overflow:hidden}
.score i{display:block;height:100%;background:#f39c12}
"""

_JS = """
const data = JSON.parse(document.getElementById('highlit-data').textContent);
const video = document.getElementById('player');
const curve = document.getElementById('curve');
const head = document.getElementById('playhead');
const buttons = [...document.querySelectorAll('.seg-btn')];
const rects = [...document.querySelectorAll('#curve rect.seg')];
let reel = -1;  // index of the segment "Play highlights" is in, -1 when off
// highlit counts from the video's first frame, data.origin seconds into a file muxed with a start offset.
// Chromium's player keeps that offset (its timeline is data.origin longer), others may start at the first
// frame: the player's own duration tells which, once it is known.
let origin = 0;
function pickOrigin() {
  const d = video.duration;
  if (data.origin > 0 && isFinite(d) && Math.abs(d - data.duration - data.origin) < Math.abs(d - data.duration))
    origin = data.origin;
}
if (video.readyState >= 1) pickOrigin(); else video.addEventListener('loadedmetadata', pickOrigin, {once: true});
const now = () => video.currentTime - origin;
function seek(t, play) {
  video.currentTime = origin + Math.max(0, Math.min(t, data.duration));
  if (play) video.play().catch(() => {});
}
function jump(i) { seek(data.segments[i].start, true); }
buttons.forEach((b, i) => b.addEventListener('click', () => { reel = -1; jump(i); }));
rects.forEach((r, i) => r.addEventListener('click', ev => { ev.stopPropagation(); reel = -1; jump(i); }));
curve.addEventListener('click', ev => {
  const box = curve.getBoundingClientRect();
  reel = -1; seek((ev.clientX - box.left) / box.width * data.duration, false);
});
document.getElementById('play-reel').addEventListener('click', () => {
  if (!data.segments.length) return; reel = 0; jump(0);
});
video.addEventListener('timeupdate', () => {
  const t = now();
  head.setAttribute('x1', 1000 * t / data.duration); head.setAttribute('x2', 1000 * t / data.duration);
  data.segments.forEach((s, i) => {
    const on = t >= s.start && t < s.end;
    buttons[i].classList.toggle('active', on); rects[i].classList.toggle('active', on);
  });
  if (reel >= 0 && t >= data.segments[reel].end) {
    reel += 1;
    if (reel < data.segments.length) jump(reel); else { reel = -1; video.pause(); }
  }
});
document.addEventListener('keydown', ev => {
  if (ev.target.tagName === 'INPUT') return;
  const t = now() + 0.01;
  if (ev.key === 'n') { const i = data.segments.findIndex(s => s.start > t); if (i >= 0) jump(i); }
  if (ev.key === 'p') {
    const prev = data.segments.map((s, i) => [s, i]).filter(([s]) => s.start < t - 1).pop();
    if (prev) jump(prev[1]);
  }
});
if (new URLSearchParams(location.search).has('autotest')) {
  const report = extra => {
    document.title = 'autotest:' + JSON.stringify(Object.assign({
      currentTime: now(), duration: video.duration - origin, readyState: video.readyState,
      error: video.error ? video.error.code : null}, extra));
  };
  const run = () => {
    if (!buttons.length) { report({clicked: null}); return; }
    video.muted = true;
    video.addEventListener('seeked', () => { video.pause(); report({clicked: data.segments[0].start}); },
                           {once: true});
    buttons[0].click();
  };
  if (video.readyState >= 1) run(); else video.addEventListener('loadedmetadata', run, {once: true});
  video.addEventListener('error', () => report({clicked: null}), {once: true});
}
"""


def render(highlights: Highlights, path: str | os.PathLike[str], embed: bool | None = None) -> str:
    """The page as a string; ``path`` is where it will live (for the relative video link)."""
    esc = html.escape
    dur = max(highlights.duration, 1e-6)
    segs = highlights.segments
    # Chromium keeps a positive start offset (an mkv muxed to start at 5 s plays from 0, showing its first frame
    # for 5 s) and moves a negative one to 0; the page adds a positive one only when the player's duration
    # shows it kept it (see _JS).
    data = {"duration": highlights.duration, "origin": max(0.0, file_origin(highlights.source)),
            "segments": [s.to_dict() for s in segs]}
    rects = "".join(
        f'<rect class="seg" x="{1000 * s.start / dur:.2f}" y="0" width="{1000 * s.length / dur:.2f}" '
        f'height="100"><title>#{n} {_clock(s.start)}-{_clock(s.end)}</title></rect>'
        for n, s in enumerate(segs, start=1))
    items = "".join(
        f'<li><button class="seg-btn" data-start="{s.start:.3f}" data-end="{s.end:.3f}">'
        f'<b>#{n}</b> {_clock(s.start)}&ndash;{_clock(s.end)} '
        f'<span class="score" title="score {s.score:.2f}"><i style="width:{100 * s.score:.0f}%"></i></span>'
        f'{s.score:.2f}</button></li>'
        for n, s in enumerate(segs, start=1))
    model = next((highlights.model[k] for k in ("name", "kind", "path") if highlights.model.get(k)), None)
    meta = " &middot; ".join(
        [f"{_clock(highlights.duration)} long",
         f"{len(segs)} segment{'s' if len(segs) != 1 else ''}, {highlights.highlight_duration:.1f}s"]
        + ([f"model {esc(str(model))}"] if model else []) + [f"highlit {esc(highlights.version)}"])
    ticks = "".join(f"<span>{_clock(highlights.duration * k / 4)}</span>" for k in range(5))
    payload = json.dumps(data).replace("</", "<\\/")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(highlights.name)}: highlights</title>
<style>{_CSS}</style></head>
<body>
<h1>{esc(highlights.name)}</h1>
<p class="meta">{meta}</p>
<video id="player" controls preload="auto" src="{esc(video_src(highlights.source, Path(path), embed))}"></video>
<svg id="curve" viewBox="0 0 1000 100" preserveAspectRatio="none" role="img" aria-label="highlight score over time">
{rects}<polyline points="{_curve_points(highlights)}"/>
<line id="playhead" x1="0" x2="0" y1="0" y2="100"/></svg>
<div class="ticks">{ticks}</div>
<div class="bar"><button id="play-reel">&#9654; Play highlights</button>
<span class="meta">click a segment or the curve to jump; keys n / p: next / previous segment</span></div>
<ol id="segments">{items}</ol>
<script type="application/json" id="highlit-data">{payload}</script>
<script>{_JS}</script>
</body></html>
"""


def write(highlights: Highlights, path: str | os.PathLike[str], embed: bool | None = None) -> Path:
    atomic_write_text(path, render(highlights, path, embed))
    return Path(path)
