// COAUTHOR increments of one batch for pairs that exist (load/coauthors_existing found them in this
// transaction): `works` raised by the batch's new joint papers, first/last year widened.
// Parameters: $rows [{rel: the relationship's elementId, works, first, last}].
// Columns: none.
UNWIND $rows AS row
MATCH ()-[c:COAUTHOR]->() WHERE elementId(c) = row.rel
SET c.works = coalesce(c.works, 0) + row.works,
    c.first_year = CASE WHEN c.first_year IS NULL OR row.first < c.first_year THEN row.first ELSE c.first_year END,
    c.last_year = CASE WHEN c.last_year IS NULL OR row.last > c.last_year THEN row.last ELSE c.last_year END
