"""The analysis part of the face: statistics, comparisons, sensitivity, figures and reports.

It reads only stored results (:mod:`sim.results`), never a live model.
"""
