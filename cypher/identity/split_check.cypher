// Whether papers $papers may be split off author $id: the author, its block and merge state, which of the
// papers it writes (with the byline printed there), how many works it has, and every id of its block (a new
// person's id must be new).
// Parameters: $id (Author id), $papers (Paper ids).
// Columns: known (whether $id exists), merged_into, block, excluded (papers earlier splits took away),
//   found: [{paper, byline}], total (the author's AUTHORED edges), taken (ids of the block).
OPTIONAL MATCH (a:Author {id: $id})
OPTIONAL MATCH (b:Author {block: a.block})
WITH a, collect(b.id) AS taken
OPTIONAL MATCH (a)-[r:AUTHORED]->(p:Paper)
WITH a, taken, count(r) AS total,
     collect(CASE WHEN p.id IN $papers THEN {paper: p.id, byline: r.byline} END) AS found
RETURN a IS NOT NULL AS known, a.merged_into AS merged_into, a.block AS block,
       coalesce(a.identity_excluded, []) AS excluded, found, total, taken
