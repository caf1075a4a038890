// The nodes a load marked :StaleMetrics (papers and topics whose metric inputs changed: loaders.metrics runs
// its whole-graph pass only when there is one, and clears these marks after it).
// Parameters: none.
// Columns: eid (elementId).
MATCH (n:StaleMetrics)
RETURN elementId(n) AS eid
