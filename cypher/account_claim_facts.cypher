// What a profile claim is checked against: the author's ORCID iD and the institutions of recent years.
// Parameters: $id (Author.id), $since (first year that counts as recent: the last five years).
// Columns: id, name, orcid, institutions [{id, name, ror, last_year}] affiliated in or after $since.
MATCH (a:Author {id: $id})
OPTIONAL MATCH (a)-[w:AFFILIATED_WITH]->(i:Institution)
WHERE w.last_year >= $since
WITH a, i, w ORDER BY w.last_year DESC, i.id
RETURN a.id AS id, a.name AS name, a.orcid AS orcid,
       [x IN collect(CASE WHEN i IS NULL THEN null
                     ELSE {id: i.id, name: i.name, ror: i.ror, last_year: w.last_year} END) WHERE x IS NOT NULL]
         AS institutions
