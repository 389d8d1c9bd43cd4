"""The engine wing: runs models and stores what they produce.

It imports the model, never the face."""

from sim.engine.run import RunOutput, run_config, write_run

__all__ = ["RunOutput", "run_config", "write_run"]
