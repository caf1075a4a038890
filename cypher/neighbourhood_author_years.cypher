// All four expansions of each author, counting only works published from $year_from to $year_to (the
// explorer's year range: who worked with whom, on what, in those years). Same columns as
// neighbourhood_author_all, so the slice builder reads both alike.
// Parameters: $ids (Author ids); $papers, $people, $topics, $institutions (how many of each per author; 0 skips);
// $year_from, $year_to (inclusive; works without a year are left out).
// Columns: from, papers_total, papers, people_total, people, topics_total, topics, institutions_total,
// institutions (people's weight: joint works in the range; topics' weight: works in the range about them).
UNWIND $ids AS from
MATCH (a:Author {id: from})
CALL (a) {
  MATCH (a)-[:AUTHORED]->(p:Paper) WHERE $year_from <= p.year <= $year_to
  RETURN collect(p) AS works
}
CALL (works) {
  UNWIND CASE WHEN $papers > 0 THEN works ELSE [] END AS p
  WITH p ORDER BY coalesce(p.cited_by_count, 0) DESC, coalesce(p.year, 0) DESC, p.id
  WITH collect(p) AS ranked
  RETURN [p IN ranked[..$papers] | {weight: 1, node: p {.id, eid: elementId(p), .title, .year, .date, .doi,
    .arxiv_id, .venue, .cited_by_count, .categories, .has_code, .code_url, .type, .author_count,
    .authors_complete}}] AS papers
}
CALL (a, works) {
  UNWIND works AS p
  MATCH (p)<-[:AUTHORED]-(b:Author) WHERE b <> a
  WITH b, count(p) AS joint, min(p.year) AS first, max(p.year) AS last
  ORDER BY joint DESC, last DESC, b.id
  WITH collect({weight: joint, first_year: first, last_year: last,
                node: b {.id, eid: elementId(b), .name, .orcid, .works_count, .cited_by_count, .h_index}}) AS found
  RETURN size(found) AS people_total, CASE WHEN $people > 0 THEN found[..$people] ELSE [] END AS people
}
CALL (works) {
  UNWIND works AS p
  MATCH (p)-[:ABOUT]->(t:Topic)
  WITH t, count(*) AS n ORDER BY n DESC, t.id
  WITH collect([t, n]) AS found
  RETURN size(found) AS topics_total,
         CASE WHEN $topics > 0 THEN [x IN found[..$topics] | {weight: x[1], node: {id: x[0].id,
           eid: elementId(x[0]), name: x[0].name, scheme: x[0].scheme, level: x[0].level}}] ELSE [] END AS topics
}
CALL (a) {
  // An affiliation counts when its years meet the range (one without years is kept: nothing says otherwise).
  MATCH (a)-[r:AFFILIATED_WITH]->(i:Institution)
  WHERE coalesce(r.first_year, $year_from) <= $year_to AND coalesce(r.last_year, $year_to) >= $year_from
  WITH i, r ORDER BY coalesce(r.works, 0) DESC, coalesce(r.last_year, 0) DESC, i.id
  WITH collect({weight: coalesce(r.works, 1), first_year: r.first_year, last_year: r.last_year,
                node: i {.id, eid: elementId(i), .name, .ror, .country, .type}}) AS found
  RETURN size(found) AS institutions_total,
         CASE WHEN $institutions > 0 THEN found[..$institutions] ELSE [] END AS institutions
}
RETURN from, size(works) AS papers_total, papers, people_total, people, topics_total, topics,
       institutions_total, institutions
