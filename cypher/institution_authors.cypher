// The authors affiliated with an institution, most works there first.
// Parameters: $id (Institution.id), $limit.
// Columns: id, name, works (works with this affiliation), first_year, last_year, works_count (all their works).
MATCH (a:Author)-[r:AFFILIATED_WITH]->(:Institution {id: $id})
RETURN a.id AS id, coalesce(a.name, a.id) AS name, coalesce(r.works, 0) AS works, r.first_year AS first_year,
       r.last_year AS last_year, coalesce(a.works_count, 0) AS works_count
ORDER BY works DESC, last_year DESC, id
LIMIT $limit
