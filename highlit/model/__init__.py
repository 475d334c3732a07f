"""The RASL network (Section III of the paper): config, modules, losses, inference, size report."""

from highlit.model.config import PRESETS, ModelConfig
from highlit.model.info import format_model_info, model_info
from highlit.model.network import Losses, RASLNet

__all__ = ["PRESETS", "Losses", "ModelConfig", "RASLNet", "format_model_info", "model_info"]
