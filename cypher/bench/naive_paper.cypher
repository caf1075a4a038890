// Naive loader (bench/naive.py, the benchmark's yardstick): one paper, merged by id.
// Parameters: $id (Paper.id), $props (map of the paper's properties).
// Columns: created (true when the paper was new: a re-run skips the record's derived updates).
OPTIONAL MATCH (existing:Paper {id: $id})
WITH existing IS NULL AS created
MERGE (p:Paper {id: $id})
SET p += $props
RETURN created
