"""highlit: label-free highlight detection for raw videos (RASL, Li et al., IEEE TIP 2024)."""

from __future__ import annotations

__version__ = "0.1.0"
