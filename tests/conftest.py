"""Shared fixtures: where the read-only shared data lives, and small generated media."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HIGHLIT_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or fill the user's feature/ONNX cache (unless HIGHLIT_CACHE says where)."""
    if "HIGHLIT_CACHE" not in os.environ:
        os.environ["HIGHLIT_CACHE"] = str(tmp_path_factory.mktemp("highlit-cache"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared data not found at {SHARED}; set HIGHLIT_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def media_dir(shared_dir: Path) -> Path:
    return shared_dir / "media"


@pytest.fixture(scope="session")
def data_dir(shared_dir: Path) -> Path:
    return shared_dir / "data"


@pytest.fixture
def one_thread():
    """Toy-sized tensors: thread hand-offs cost more than the maths, and the CI cores are shared."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
