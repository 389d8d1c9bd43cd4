"""The classroom face: a Solara app showing the network form around the challenges.

It imports the model, never the engine's machinery for sweeps.
"""
