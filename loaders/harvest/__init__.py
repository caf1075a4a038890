"""Harvest from live sources (OpenAlex, arXiv, ORCID) into the graph, in two phases.

Phase one writes each raw page atomically to ``<data dir>/harvest/<job>/``;
phase two loads it through the ordinary loaders (``loaders.load_files``), and
only then is the job's checkpoint saved. A harvest stopped at any point and
resumed gives the graph an uninterrupted run gives. See docs/harvest.md.
"""

from __future__ import annotations

from loaders.harvest.http import BudgetSpent, HarvestError
from loaders.harvest.jobs import Job, JobStore
from loaders.harvest.run import HarvestSummary, run_job

__all__ = ["BudgetSpent", "HarvestError", "HarvestSummary", "Job", "JobStore", "run_job"]
