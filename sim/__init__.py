"""opgaven: networks forming around societal challenges, after de Caluwé & Kaats.

Public API::

    from sim import OpgaveModel, load_config
    model = OpgaveModel(load_config("configs/hybrid.yaml"))
    model.run_for(200)
"""

from sim.config import Config, ConfigError, load_config
from sim.model.model import OpgaveModel

__version__ = "0.1.0"
__all__ = ["Config", "ConfigError", "OpgaveModel", "__version__", "load_config"]
