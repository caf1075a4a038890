// What the trust snapshot of one author is computed from (graph/trust.py has the formula).
// Parameters: $id (Author.id), $sample (how many ids to give as evidence per component).
// Columns: id, name, orcid, works, years (one entry per work with a year), confirmed (works whose paper has two
//   or more sources), confirmed_ids, institutions, ror_institutions [{id, name, ror}], other_institutions,
//   verified_coauthors [{id, name, level}], data_date (newest work date of the author).
MATCH (a:Author {id: $id})
CALL (a) {
  MATCH (a)-[:AUTHORED]->(p:Paper)
  WITH p ORDER BY p.date DESC, p.id
  RETURN count(p) AS works, [y IN collect(p.year) WHERE y IS NOT NULL] AS years,
         count(CASE WHEN size(coalesce(p.sources, [])) >= 2 THEN 1 END) AS confirmed,
         [x IN collect(CASE WHEN size(coalesce(p.sources, [])) >= 2 THEN {id: p.id, title: p.title} END)
          WHERE x IS NOT NULL][..$sample] AS confirmed_ids,
         max(coalesce(p.date, toString(p.year))) AS data_date
}
CALL (a) {
  OPTIONAL MATCH (a)-[:AFFILIATED_WITH]->(i:Institution)
  WITH i ORDER BY i.id
  RETURN count(i) AS institutions,
         [x IN collect(CASE WHEN i.ror IS NOT NULL THEN {id: i.id, name: i.name, ror: i.ror} END)
          WHERE x IS NOT NULL] AS ror_institutions,
         [x IN collect(CASE WHEN i.ror IS NULL THEN {id: i.id, name: i.name} END) WHERE x IS NOT NULL]
           AS other_institutions
}
CALL (a) {
  OPTIONAL MATCH (a)-[:COAUTHOR]-(c:Author)
  WHERE c.verification_level IN ['L2', 'L3']
  WITH c ORDER BY c.id
  RETURN [x IN collect(CASE WHEN c IS NOT NULL THEN {id: c.id, name: c.name, level: c.verification_level} END)
          WHERE x IS NOT NULL][..$sample] AS verified_coauthors
}
RETURN a.id AS id, a.name AS name, a.orcid AS orcid, works, years, confirmed, confirmed_ids, institutions,
       ror_institutions, other_institutions, verified_coauthors, data_date
