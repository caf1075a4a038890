// The people already in the graph under the given name blocks, with the evidence of their papers: what
// loaders.people needs to attach a batch's name-only bylines to them (or to give new people fresh ids).
// Parameters: $blocks (block keys, 'name:<last>_<first initial>'), $max_authors (papers with more AUTHORED edges
//   give no co-author list).
// Columns: block, id, orcid, variants (the bylines seen), excluded (papers a split took away), papers: one
//   map per AUTHORED edge {paper, venue, year, topics (ABOUT topic ids), coauthors (the other authors'
//   blocks, or ids when they have none), institutions (a list holding the edge's institution list)}.
UNWIND $blocks AS block
MATCH (a:Author {block: block})
RETURN block, a.id AS id, a.orcid AS orcid, a.name_variants AS variants, a.identity_excluded AS excluded,
       [(a)-[r:AUTHORED]->(p:Paper) | {
          paper: p.id, venue: p.venue, year: p.year,
          topics: [(p)-[:ABOUT]->(t:Topic) | t.id],
          coauthors: CASE WHEN COUNT { (p)<-[:AUTHORED]-() } > $max_authors THEN []
            ELSE [(p)<-[:AUTHORED]-(c:Author) WHERE c <> a | coalesce(c.block, c.id)] END,
          institutions: [coalesce(r.institutions, [])]}] AS papers
