// The stored AI share and novelty of one author, with their coverage.
// Parameters: $id (Author.id).
// Columns: works (in the graph), ai_share, ai_works, ai_works_considered, ai_share_version, novelty,
//   novel_works, novelty_eligible, novelty_version.
MATCH (a:Author {id: $id})
RETURN COUNT { (a)-[:AUTHORED]->(:Paper) } AS works, a.ai_share AS ai_share, a.ai_works AS ai_works,
       a.ai_works_considered AS ai_works_considered, a.ai_share_version AS ai_share_version,
       a.novelty AS novelty, a.novel_works AS novel_works, a.novelty_eligible AS novelty_eligible,
       a.novelty_version AS novelty_version
