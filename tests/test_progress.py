"""Progress in a log: lines while the work runs, not only its final state."""

from __future__ import annotations

import pytest

from highlit import progress


@pytest.fixture
def log_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIGHLIT_PROGRESS", "1")
    monkeypatch.delenv("HIGHLIT_QUIET", raising=False)


def test_a_log_gets_a_line_per_interval_with_count_and_eta(log_progress: None, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HIGHLIT_PROGRESS_EVERY", "0")
    with progress.bar("fitting", total=4, unit="steps") as b:
        for _ in range(4):
            b.advance()
            b.note("loss 1.0")
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("fitting: 1/4 steps, 0:00:00 elapsed, eta ")
    assert err[1].endswith("loss 1.0")
    assert err[-1].startswith("fitting: 4/4 steps")
    assert len(err) == 5  # one per step, and the closing line


def test_a_long_interval_leaves_only_the_closing_line(log_progress: None, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HIGHLIT_PROGRESS_EVERY", "3600")
    with progress.bar("pretraining", total=10, unit="steps", start=6) as b:
        b.advance(2)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("pretraining: 8/10 steps, 0:00:00 elapsed")


def test_an_interrupted_bar_still_says_where_it_stopped(log_progress: None,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(KeyboardInterrupt), progress.bar("extract a.mp4", total=None, unit="steps") as b:
        b.advance(3)
        raise KeyboardInterrupt
    assert capsys.readouterr().err.startswith("extract a.mp4: 3 steps, ")


def test_no_progress_in_a_log_unless_asked(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("HIGHLIT_PROGRESS", raising=False)
    with progress.bar("fitting", total=2, unit="steps") as b:
        b.advance(2)
    assert capsys.readouterr().err == ""


def test_a_bad_interval_falls_back_to_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIGHLIT_PROGRESS_EVERY", "often")
    assert progress._line_every() == progress.LINE_EVERY
