// Full-text search over the four indexes in one round trip; each kind of node can be switched off.
// Parameters: $q (a Lucene query, special characters already escaped), $types (a list of 'author', 'paper',
//   'topic', 'institution'), $limit (per kind).
// Columns: type, id, name, score (Lucene's, per index), works_count (authors), year (papers),
//   detail (author: latest affiliation; paper: first author; topic: scheme · level; institution: country · type).
CALL () {
  WITH 1 AS on WHERE 'author' IN $types
  CALL db.index.fulltext.queryNodes('author_names', $q, {limit: $limit}) YIELD node, score
  OPTIONAL CALL (node) {
    MATCH (node)-[r:AFFILIATED_WITH]->(i:Institution)
    RETURN i.name AS affiliation ORDER BY r.last_year DESC, r.works DESC LIMIT 1
  }
  RETURN 'author' AS type, node.id AS id, coalesce(node.name, node.id) AS name, score,
         coalesce(node.works_count, 0) AS works_count, null AS year, affiliation AS detail
  UNION ALL
  WITH 1 AS on WHERE 'paper' IN $types
  CALL db.index.fulltext.queryNodes('paper_titles', $q, {limit: $limit}) YIELD node, score
  OPTIONAL CALL (node) {
    MATCH (a:Author)-[r:AUTHORED]->(node)
    RETURN a.name AS first_author ORDER BY r.position LIMIT 1
  }
  RETURN 'paper' AS type, node.id AS id, coalesce(node.title, node.id) AS name, score,
         null AS works_count, node.year AS year, first_author AS detail
  UNION ALL
  WITH 1 AS on WHERE 'topic' IN $types
  CALL db.index.fulltext.queryNodes('topic_names', $q, {limit: $limit}) YIELD node, score
  RETURN 'topic' AS type, node.id AS id, coalesce(node.name, node.id) AS name, score,
         null AS works_count, null AS year,
         reduce(s = '', x IN [v IN [node.scheme, node.level] WHERE v IS NOT NULL] |
                s + CASE WHEN s = '' THEN '' ELSE ' · ' END + x) AS detail
  UNION ALL
  WITH 1 AS on WHERE 'institution' IN $types
  CALL db.index.fulltext.queryNodes('institution_names', $q, {limit: $limit}) YIELD node, score
  RETURN 'institution' AS type, node.id AS id, coalesce(node.name, node.id) AS name, score,
         null AS works_count, null AS year,
         reduce(s = '', x IN [v IN [node.country, node.type] WHERE v IS NOT NULL] |
                s + CASE WHEN s = '' THEN '' ELSE ' · ' END + x) AS detail
}
RETURN type, id, name, score, works_count, year, detail
