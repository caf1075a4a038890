// One author's headline figures: the derived counts on the node, plus what the profile needs to judge completeness.
// Parameters: $id (Author.id), $close (joint works that make a collaborator "close").
// Columns: id, name, orcid, name_variants, works_count, cited_by_count, h_index, works_in_graph,
//   incomplete_works (works whose author list was cut short), cited_works (works with a citation count above 0),
//   counted_works (works from a source that counts citations: openalex or paperscape),
//   topics_count, collaborators_count, close_collaborators_count.
MATCH (a:Author {id: $id})
CALL (a) {
  MATCH (a)-[:AUTHORED]->(p:Paper)
  RETURN count(p) AS works_in_graph,
         count(CASE WHEN p.authors_complete = false THEN 1 END) AS incomplete_works,
         count(CASE WHEN p.cited_by_count > 0 THEN 1 END) AS cited_works,
         count(CASE WHEN any(s IN coalesce(p.sources, []) WHERE s IN ['openalex', 'paperscape'])
                    THEN 1 END) AS counted_works
}
CALL (a) {
  MATCH (a)-[:AUTHORED]->(:Paper)-[:ABOUT]->(t:Topic)
  RETURN count(DISTINCT t) AS topics_count
}
CALL (a) {
  MATCH (a)-[c:COAUTHOR]-(:Author)
  RETURN count(c) AS collaborators_count, count(CASE WHEN c.works >= $close THEN 1 END) AS close_collaborators_count
}
RETURN a.id AS id, a.name AS name, a.orcid AS orcid, coalesce(a.name_variants, []) AS name_variants,
       coalesce(a.works_count, works_in_graph) AS works_count, a.cited_by_count AS cited_by_count,
       a.h_index AS h_index, works_in_graph, incomplete_works, cited_works, counted_works,
       topics_count, collaborators_count, close_collaborators_count
