"""The HTML report in a real browser: the video loads, clicking a segment moves the player there.

Uses headless Chromium (Debian package ``chromium``). The page's ``?autotest=1`` hook clicks the
first segment button once the video has metadata, waits for the seek to finish and writes the player
state as JSON into ``document.title``, which ``--dump-dom`` lets us read.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import av
import numpy as np
import pytest
from media_factory import make_video

from highlit.highlights import Highlights
from highlit.media import probe
from highlit.segments import find_segments
from highlit.writers import html_report

pytestmark = [pytest.mark.slow, pytest.mark.browser]

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)),
               None)


# Virtual time runs ahead while the media threads decode, so on a loaded 2-core CI box the page can be
# dumped before the player has metadata (seen once in CI with the 1 MB data URL). A broken page fails
# every budget; a slow machine passes a longer one.
BUDGETS_MS = (8000, 30000, 120000)


def _chromium(tmp_path: Path, *args: str, budget_ms: int = BUDGETS_MS[0]) -> subprocess.CompletedProcess:
    if BROWSER is None:
        pytest.skip("no chromium binary on PATH (Debian: apt-get install chromium)")
    cmd = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--mute-audio", "--hide-scrollbars",
           f"--user-data-dir={tmp_path / 'profile'}", f"--virtual-time-budget={budget_ms}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def _autotest_state(tmp_path: Path, page: Path) -> dict:
    """The player state the page's autotest hook wrote, trying longer budgets before giving up."""
    titles = []
    for budget in BUDGETS_MS:
        run = _chromium(tmp_path, "--dump-dom", page.as_uri() + "?autotest=1", budget_ms=budget)
        m = re.search(r"<title>autotest:(.*?)</title>", run.stdout)
        if m:
            return json.loads(html.unescape(m.group(1)))
        titles.append(re.search(r"<title>.*?</title>", run.stdout))
    pytest.fail(f"autotest hook did not finish within {BUDGETS_MS} virtual ms; titles={titles}")


def _report(tmp_path: Path, media_dir: Path, name: str, embed: bool) -> tuple[Path, Highlights]:
    src = media_dir / name
    with av.open(str(src)) as c:
        fps, duration = float(c.streams.video[0].average_rate), c.duration / 1e6
    times = np.arange(int(duration / 0.2)) * 0.2
    scores = np.exp(-(((times - 0.6 * duration) / 1.5) ** 2)).astype(np.float32)  # one peak at 60 %
    segs = find_segments(times, scores, 0.2, threshold=0.5, frame_rate=fps, video_duration=duration)
    h = Highlights(source=str(src), times=times, scores=scores, segments=segs, duration=duration, fps=fps)
    return html_report.write(h, tmp_path / "pages" / f"{src.stem}.report.html", embed=embed), h


@pytest.mark.parametrize(("name", "embed"), [("chaplin.mp4", True), ("big_buck_bunny_0_30.webm", False)])
def test_click_on_a_segment_moves_the_player(tmp_path, media_dir, name, embed):
    page, h = _report(tmp_path, media_dir, name, embed)
    assert h.segments and h.segments[0].start > 1.0  # so that "moved" means something
    state = _autotest_state(tmp_path, page)
    assert state["error"] is None, f"video failed to load (MediaError code {state['error']})"
    assert state["duration"] == pytest.approx(h.duration, abs=0.1)  # the real video was loaded
    assert state["clicked"] == pytest.approx(h.segments[0].start, abs=1e-3)
    assert state["currentTime"] == pytest.approx(h.segments[0].start, abs=2.0 / h.fps)


@pytest.mark.parametrize("embed", [True, False])
def test_a_file_that_starts_late_is_seeked_on_highlits_timeline(tmp_path, embed):
    """An mkv muxed to start at 3 s plays in the browser from 0: highlit's t = 0 is the player's 3 s."""
    src = make_video(tmp_path / "late.mkv", seconds=6.0, fps=10, offset=3.0)
    info = probe(src)
    assert info.duration == pytest.approx(6.0, abs=0.2)
    times = np.arange(30) * 0.2
    scores = np.exp(-(((times - 4.0) / 0.6) ** 2)).astype(np.float32)
    segs = find_segments(times, scores, 0.2, threshold=0.5, frame_rate=10.0, video_duration=info.duration)
    h = Highlights(source=str(src), times=times, scores=scores, segments=segs, duration=info.duration, fps=10.0)
    page = html_report.write(h, tmp_path / "pages" / "late.report.html", embed=embed)
    state = _autotest_state(tmp_path, page)
    assert state["error"] is None, f"video failed to load (MediaError code {state['error']})"
    assert state["duration"] == pytest.approx(h.duration, abs=0.2)
    assert state["currentTime"] == pytest.approx(h.segments[0].start, abs=0.25)


def test_screenshot(tmp_path, media_dir):
    page, _ = _report(tmp_path, media_dir, "chaplin.mp4", embed=True)
    shot = tmp_path / "report.png"
    _chromium(tmp_path, "--window-size=1200,900", f"--screenshot={shot}", page.as_uri() + "?autotest=1")
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    import matplotlib.image as mpimg

    img = mpimg.imread(shot)
    assert img.shape[:2] == (900, 1200)
    assert float(img[..., :3].std()) > 0.05, "blank screenshot"
