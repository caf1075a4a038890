// Which Papers already carry these identifiers (the batch's works and the works they cite).
// Parameters: $rows [{kind: 'arxiv_id'|'doi'|'openalex_id', value}].
// Columns: kind, value, id (the Paper's id; rows without a match are left out).
UNWIND $rows AS row
CALL (row) {
  MATCH (p:Paper) WHERE row.kind = 'arxiv_id' AND p.arxiv_id = row.value
  RETURN p.id AS id
  UNION
  MATCH (p:Paper) WHERE row.kind = 'doi' AND p.doi = row.value
  RETURN p.id AS id
  UNION
  MATCH (p:Paper) WHERE row.kind = 'openalex_id' AND p.openalex_id = row.value
  RETURN p.id AS id
}
RETURN row.kind AS kind, row.value AS value, min(id) AS id
