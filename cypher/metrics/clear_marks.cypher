// Clear the :StaleMetrics marks the metrics pass read before it read the papers (a mark set since, by a load
// running beside it, stays for the next pass).
// Parameters: $eids (elementIds from metrics/stale_marks).
// Columns: none.
UNWIND $eids AS eid
MATCH (n:StaleMetrics) WHERE elementId(n) = eid
REMOVE n:StaleMetrics
