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
  CALL (a) {
    // A prolific author keeps their strongest co-authors ranked (loaders.derive): $people ids to look up.
    WITH a WHERE size(coalesce(a.top_coauthors, [])) >= $people
    UNWIND range(0, $people - 1) AS i
    MATCH (b:Author {id: a.top_coauthors[i]})
    WITH i, b, a.top_coauthor_stats[3 * i .. 3 * i + 3] AS s
    RETURN i, b, s[0] AS works, CASE WHEN s[1] > 0 THEN s[1] END AS first, CASE WHEN s[2] > 0 THEN s[2] END AS last
    UNION ALL
    // Otherwise the ranking in full: the cut (the $people-th strongest joint works and last year) from
    // relationship properties alone, then ids read only for the co-authors at or above it.
    WITH a WHERE size(coalesce(a.top_coauthors, [])) < $people
    CALL (a) {
      MATCH (a)-[c:COAUTHOR]-()
      WITH c.works AS works, coalesce(c.last_year, 0) AS last ORDER BY works DESC, last DESC LIMIT $people
      RETURN last(collect([works, last])) AS cut
    }
    MATCH (a)-[c:COAUTHOR]-(b:Author)
    WHERE c.works > cut[0] OR (c.works = cut[0] AND coalesce(c.last_year, 0) >= cut[1])
    WITH b, c ORDER BY c.works DESC, coalesce(c.last_year, 0) DESC, b.id LIMIT $people
    RETURN 0 AS i, b, c.works AS works, c.first_year AS first, c.last_year AS last
  }
  WITH b, works, first, last ORDER BY works DESC, coalesce(last, 0) DESC, b.id
  RETURN collect({weight: works, first_year: first, last_year: last,
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
