"""The model wing: actors, challenges, mechanisms and metrics.

It imports neither the engine nor the face."""
