// AI share (ai-share-v1) and novelty (novelty-v1) of the given authors, from their papers' stored ai_work
// (true, false, or null when the work cannot be judged) and novel (null when not eligible) flags.
// ai_share is null when no work can be judged; novelty is null below $min_eligible eligible works.
// Parameters: $ids (Author ids), $min_eligible, $ai_version, $novelty_version.
// Columns: none.
UNWIND $ids AS id
MATCH (a:Author {id: id})
CALL (a) {
  OPTIONAL MATCH (a)-[:AUTHORED]->(p:Paper)
  RETURN count(p.ai_work) AS judged, count(CASE WHEN p.ai_work THEN 1 END) AS ai,
         count(p.novel) AS eligible, count(CASE WHEN p.novel THEN 1 END) AS novel
}
SET a.ai_works_considered = judged,
    a.ai_works = ai,
    a.ai_share = CASE WHEN judged > 0 THEN toFloat(ai) / judged END,
    a.ai_share_version = $ai_version,
    a.novelty_eligible = eligible,
    a.novel_works = novel,
    a.novelty = CASE WHEN eligible >= $min_eligible THEN toFloat(novel) / eligible END,
    a.novelty_version = $novelty_version
