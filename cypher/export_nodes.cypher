// The attributes of a batch of authors in a network export, in the order given.
// Parameters: $ids (Author.id list).
// Columns: id, name, works (works_count), citations (cited_by_count), main_topic (the topic most of their
//   works are about, the finest level first on a tie; null when none), institution (the affiliation with
//   the most works, the latest on a tie; null when none).
UNWIND range(0, size($ids) - 1) AS i
MATCH (a:Author {id: $ids[i]})
CALL (a) {
  OPTIONAL MATCH (a)-[:AUTHORED]->(:Paper)-[:ABOUT]->(t:Topic)
  WITH t, count(*) AS n
  ORDER BY n DESC, CASE t.level WHEN 'topic' THEN 0 WHEN 'category' THEN 0 WHEN 'subfield' THEN 1
                               WHEN 'field' THEN 2 ELSE 3 END, t.id
  LIMIT 1
  RETURN coalesce(t.name, t.id) AS main_topic
}
CALL (a) {
  OPTIONAL MATCH (a)-[r:AFFILIATED_WITH]->(inst:Institution)
  WITH inst, r
  ORDER BY coalesce(r.works, 0) DESC, coalesce(r.last_year, 0) DESC, inst.id
  LIMIT 1
  RETURN coalesce(inst.name, inst.id) AS institution
}
RETURN a.id AS id, coalesce(a.name, a.id) AS name, coalesce(a.works_count, 0) AS works,
       coalesce(a.cited_by_count, 0) AS citations, main_topic, institution
ORDER BY i
