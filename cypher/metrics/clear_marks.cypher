// Clear the :StaleMetrics marks the metrics pass read before it read the papers (a mark set since, by a load
// running beside it, stays for the next pass).
// Parameters: $eids (elementIds from metrics/stale_marks).
// Columns: none.
UNWIND $eids AS eid
// No label in the MATCH: the id seek is then the only sensible plan (with the label, a plan made while no node
// carried it could scan them all for each id).
MATCH (n) WHERE elementId(n) = eid
WITH n WHERE n:StaleMetrics
REMOVE n:StaleMetrics
