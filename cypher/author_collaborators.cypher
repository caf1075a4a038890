// An author's co-authors (COAUTHOR, either direction), most joint works first.
// Parameters: $id (Author.id), $limit.
// Columns: id, name, works (joint works), first_year, last_year, works_count (the co-author's own works).
MATCH (:Author {id: $id})-[c:COAUTHOR]-(b:Author)
RETURN b.id AS id, coalesce(b.name, b.id) AS name, c.works AS works, c.first_year AS first_year,
       c.last_year AS last_year, coalesce(b.works_count, 0) AS works_count
ORDER BY works DESC, last_year DESC, name, id
LIMIT $limit
