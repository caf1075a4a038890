// Recompute cited_by_count of up to $limit stale papers: the larger of the source's own count and the
// incoming CITES. Authors of a paper whose count changed are marked :Stale; the paper's mark is cleared.
// Parameters: $limit.
// Columns: papers (how many were processed; 0 when none was stale).
MATCH (p:Paper:Stale)
USING SCAN p:Stale
WITH p LIMIT $limit
WITH p, p.cited_by_count AS before, COUNT { (p)<-[:CITES]-(:Paper) } AS incoming
SET p.cited_by_count = CASE WHEN coalesce(p.source_cited_by_count, 0) > incoming
      THEN p.source_cited_by_count ELSE incoming END
REMOVE p:Stale
WITH p, before
CALL (p, before) {
  WITH p WHERE before IS NULL OR before <> p.cited_by_count
  MATCH (a:Author)-[:AUTHORED]->(p)
  SET a:Stale
}
RETURN count(p) AS papers
