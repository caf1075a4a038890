// Everything a profile shows, in one round trip: the headline figures, the top topics,
// the institutions over time, the top collaborators and the works/citations per year.
// Parameters: $id (Author.id), $close (joint works that make a collaborator "close"), $topics, $institutions,
//   $collaborators (list lengths).
// Columns: id, name, orcid, name_variants, works_count, cited_by_count, h_index, works_in_graph,
//   incomplete_works (works whose author list was cut short), cited_works (works with a citation count above 0),
//   counted_works (works from a source that counts citations: openalex or paperscape),
//   topics_count, collaborators_count, close_collaborators_count,
//   topics [{id, name, scheme, level, works}],
//   institutions [{id, name, country, type, first_year, last_year, works}],
//   collaborators [{id, name, works, first_year, last_year, works_count}], per_year [{year, works, citations}].
MATCH (a:Author {id: $id})
CALL (a) {
  MATCH (a)-[:AUTHORED]->(p:Paper)
  RETURN count(p) AS works_in_graph,
         count(CASE WHEN p.authors_complete = false THEN 1 END) AS incomplete_works,
         count(CASE WHEN p.cited_by_count > 0 THEN 1 END) AS cited_works,
         count(CASE WHEN any(s IN coalesce(p.sources, []) WHERE s IN ['openalex', 'paperscape'])
                    THEN 1 END) AS counted_works,
         collect(p) AS papers
}
CALL (papers) {
  UNWIND papers AS p
  MATCH (p)-[:ABOUT]->(t:Topic)
  WITH t, count(DISTINCT p) AS works
  ORDER BY works DESC, t.id
  RETURN count(t) AS topics_count,
         collect({id: t.id, name: coalesce(t.name, t.id), scheme: t.scheme, level: t.level, works: works})[..$topics]
           AS topics
}
CALL (a) {
  MATCH (a)-[c:COAUTHOR]-(b:Author)
  WITH c, b ORDER BY c.works DESC, c.last_year DESC, b.name, b.id
  RETURN count(c) AS collaborators_count, count(CASE WHEN c.works >= $close THEN 1 END) AS close_collaborators_count,
         collect({id: b.id, name: coalesce(b.name, b.id), works: c.works, first_year: c.first_year,
                  last_year: c.last_year, works_count: coalesce(b.works_count, 0)})[..$collaborators] AS collaborators
}
RETURN a.id AS id, a.name AS name, a.orcid AS orcid, coalesce(a.name_variants, []) AS name_variants,
       coalesce(a.works_count, works_in_graph) AS works_count, a.cited_by_count AS cited_by_count,
       a.h_index AS h_index, works_in_graph, incomplete_works, cited_works, counted_works,
       topics_count, collaborators_count, close_collaborators_count, topics, collaborators,
       COLLECT {
         MATCH (a)-[r:AFFILIATED_WITH]->(i:Institution)
         WITH i, r ORDER BY r.last_year DESC, r.works DESC, r.first_year DESC, i.id LIMIT $institutions
         RETURN {id: i.id, name: coalesce(i.name, i.id), country: i.country, type: i.type,
                 first_year: r.first_year, last_year: r.last_year, works: coalesce(r.works, 0)}
       } AS institutions,
       COLLECT {
         UNWIND papers AS p
         WITH p WHERE p.year IS NOT NULL
         WITH p.year AS year, count(p) AS works, sum(coalesce(p.cited_by_count, 0)) AS citations
         ORDER BY year
         RETURN {year: year, works: works, citations: citations}
       } AS per_year
