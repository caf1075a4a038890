// All four expansions of each author in one query (the explorer's hot path; each kind is also its own file,
// neighbourhood_author_papers/coauthors/topics/institutions, with the same ranking, for single expansions).
// Parameters: $ids (Author ids); $papers, $people, $topics, $institutions (how many of each per author; 0 skips).
// Columns: from (Author id), and per kind a total and items (as in the single files): papers_total, papers,
// people_total, people, topics_total, topics, institutions_total, institutions.
UNWIND $ids AS from
MATCH (a:Author {id: from})
CALL (a) {
  WITH a WHERE $papers > 0
  MATCH (a)-[:AUTHORED]->(p:Paper)
  WITH p ORDER BY coalesce(p.cited_by_count, 0) DESC, coalesce(p.year, 0) DESC, p.id LIMIT $papers
  RETURN collect({weight: 1, node: p {.id, eid: elementId(p), .title, .year, .date, .doi, .arxiv_id, .venue,
    .cited_by_count, .categories, .has_code, .code_url, .type, .author_count, .authors_complete}}) AS papers
}
CALL (a) {
  WITH a WHERE $people > 0
  MATCH (a)-[c:COAUTHOR]-(b)
  // One pass reading relationship properties only (hubs have thousands of co-authors); the few kept are then
  // ordered fully. Ties at the cut (same joint works and last year): the store order decides, stable for a graph.
  WITH b, c ORDER BY c.works DESC, coalesce(c.last_year, 0) DESC, elementId(b) LIMIT $people
  WITH b, c ORDER BY c.works DESC, coalesce(c.last_year, 0) DESC, b.id
  RETURN collect({weight: c.works, first_year: c.first_year, last_year: c.last_year,
                  node: b {.id, eid: elementId(b), .name, .orcid, .works_count, .cited_by_count, .h_index}}) AS people
}
CALL (a) {
  WITH a WHERE $topics > 0
  MATCH (a)-[:AUTHORED]->(:Paper)-[:ABOUT]->(t:Topic)
  WITH t, count(*) AS n ORDER BY n DESC, t.id
  WITH collect([t, n]) AS found
  RETURN size(found) AS topics_total,
         [x IN found[..$topics] | {weight: x[1], node: {id: x[0].id, eid: elementId(x[0]), name: x[0].name,
          scheme: x[0].scheme, level: x[0].level}}] AS topics
}
CALL (a) {
  WITH a WHERE $institutions > 0
  MATCH (a)-[r:AFFILIATED_WITH]->(i:Institution)
  WITH i, r ORDER BY coalesce(r.works, 0) DESC, coalesce(r.last_year, 0) DESC, i.id LIMIT $institutions
  RETURN collect({weight: coalesce(r.works, 1), first_year: r.first_year, last_year: r.last_year,
                  node: i {.id, eid: elementId(i), .name, .ror, .country, .type}}) AS institutions
}
RETURN from,
       COUNT { (a)-[:AUTHORED]->() } AS papers_total, papers,
       COUNT { (a)-[:COAUTHOR]-() } AS people_total, people,
       topics_total, topics,
       COUNT { (a)-[:AFFILIATED_WITH]->() } AS institutions_total, institutions
