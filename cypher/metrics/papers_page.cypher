// One page of papers (by id) with what the metrics pass needs: the year, the arXiv categories (primary first),
// the subfields of the top-scored OpenAlex topics (the primary topic's subfield, unless topics tie at the top),
// the ids of the cited papers, and the metrics stored now (so the pass writes only what changed).
// Parameters: $after (the last id of the previous page; '' for the first), $limit.
// Columns: id, year, categories, top_subfields, refs, stored {ai_work, novel, p10, refs, rarest_a, rarest_b,
//   rarest_commonness, cd, novelty_version, cd_version}.
MATCH (p:Paper)
WHERE p.id > $after
WITH p ORDER BY p.id LIMIT $limit
CALL (p) {
  OPTIONAL MATCH (p)-[r:ABOUT]->(t:Topic {scheme: 'openalex', level: 'topic'})
  OPTIONAL MATCH (t)-[:PART_OF]->(s:Topic {scheme: 'openalex', level: 'subfield'})
  WITH r.score AS score, s.id AS subfield
  ORDER BY score DESC
  WITH collect(CASE WHEN score IS NOT NULL THEN {score: score, subfield: subfield} END) AS scored
  RETURN [x IN scored WHERE x.score = scored[0].score | x.subfield] AS top_subfields
}
RETURN p.id AS id, p.year AS year, coalesce(p.categories, []) AS categories, top_subfields,
       [(p)-[:CITES]->(q:Paper) | q.id] AS refs,
       {ai_work: p.ai_work, novel: p.novel, p10: p.novelty_p10, refs: p.novelty_refs, rarest_a: p.rarest_pair_a,
        rarest_b: p.rarest_pair_b, rarest_commonness: p.rarest_pair_commonness, cd: p.cd_index,
        novelty_version: p.novelty_version, cd_version: p.cd_version} AS stored
