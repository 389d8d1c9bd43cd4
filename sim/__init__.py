"""opgaven: networks forming around societal challenges, after de Caluwé & Kaats.

Public API::

    from sim import OpgaveModel, load_config
    model = OpgaveModel(load_config("configs/hybrid.yaml"))
    model.run_for(200)

    import sim
    res = sim.run_experiment("experiments/smoke.yaml")   # paired replications, stored
    table = sim.compare(res)                             # the comparison table
"""

from sim.api import compare, run_experiment
from sim.config import Config, ConfigError, load_config
from sim.model.model import OpgaveModel
from sim.results import Results
from sim.results import load as load_results

__version__ = "0.1.0"
__all__ = [
    "Config",
    "ConfigError",
    "OpgaveModel",
    "Results",
    "__version__",
    "compare",
    "load_config",
    "load_results",
    "run_experiment",
]
