"""The model wing: actors, challenges, mechanisms and metrics. It imports neither engine nor face."""
