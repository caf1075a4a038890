// One topic: its names, the chain of broader topics (PART_OF upwards), its narrower topics and how many works it has.
// Works of a broader topic include those of its narrower topics (up to 3 levels down).
// Parameters: $id (Topic.id), $children (how many narrower topics to list).
// Columns: id, name, scheme, level, parents [{id, name, level}] (nearest first), children [{id, name, level, works}],
//   children_count, works.
MATCH (t:Topic {id: $id})
CALL (t) {
  OPTIONAL MATCH path = (t)-[:PART_OF*1..4]->(up:Topic)
  WITH up, length(path) AS d ORDER BY d
  RETURN collect(CASE WHEN up IS NULL THEN null ELSE {id: up.id, name: coalesce(up.name, up.id), level: up.level} END)
         AS parents
}
CALL (t) {
  OPTIONAL MATCH (s:Topic)-[:PART_OF]->(t)
  WITH s, COUNT { (s)<-[:ABOUT]-(:Paper) } AS works ORDER BY works DESC, s.id
  RETURN count(s) AS children_count,
         collect(CASE WHEN s IS NULL THEN null ELSE {id: s.id, name: coalesce(s.name, s.id), level: s.level,
                                                     works: works} END)[..$children] AS children
}
CALL (t) {
  MATCH (t)<-[:PART_OF*0..3]-(:Topic)<-[:ABOUT]-(p:Paper)
  RETURN count(DISTINCT p) AS works
}
RETURN t.id AS id, coalesce(t.name, t.id) AS name, t.scheme AS scheme, t.level AS level, parents, children,
       children_count, works
