"""Framework-free building blocks shared by api/ and dashboards/: links, elements, ids, limits, parameters."""
