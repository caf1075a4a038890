// The people already in the graph under the given name blocks, with the evidence of their papers: what
// loaders.people needs to attach a batch's name-only bylines to them (or to give new people fresh ids).
// A person merged away (identity/merge) comes too, with merged_into (the end of its MERGED_INTO chain) and the
// papers moved from it: its bylines keep finding it, and the loader writes them to the survivor.
// Parameters: $blocks (block keys, 'name:<last>_<first initial>'), $max_authors (papers with more AUTHORED edges
//   give no co-author list).
// Columns: block, id, merged_into (null unless merged away), orcid, variants (the bylines seen), excluded (papers
//   a split took away), papers: one map per AUTHORED edge {paper, position (the edge's), venue, year, title, topics (ABOUT topic ids),
//   coauthors (the other authors' blocks, or ids when they have none), institutions (a list holding the edge's
//   institution list)}.
UNWIND $blocks AS block
MATCH (a:Author {block: block})
OPTIONAL MATCH (a)-[:MERGED_INTO*1..50]->(s:Author) WHERE NOT (s)-[:MERGED_INTO]->()
WITH block, a, s, coalesce(s, a) AS holder
RETURN block, a.id AS id, s.id AS merged_into, a.orcid AS orcid, a.name_variants AS variants,
       a.identity_excluded AS excluded,
       [(holder)-[r:AUTHORED]->(p:Paper) WHERE s IS NULL OR r.merged_from = a.id | {
          paper: p.id, position: r.position, venue: p.venue, year: p.year, title: p.title,
          topics: [(p)-[:ABOUT]->(t:Topic) | t.id],
          coauthors: CASE WHEN COUNT { (p)<-[:AUTHORED]-() } > $max_authors THEN []
            ELSE [(p)<-[:AUTHORED]-(c:Author) WHERE c <> holder | coalesce(c.block, c.id)] END,
          institutions: [coalesce(r.institutions, [])]}] AS papers
