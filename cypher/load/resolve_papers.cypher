// Which Papers already carry these identifiers (the batch's works and the works they cite).
// Parameters: $arxiv, $doi, $openalex (lists of arXiv ids, DOIs, OpenAlex work ids; each value once).
// Columns: kind ('arxiv_id'|'doi'|'openalex_id'), value, id (the Paper's id, the smallest when several
//   carry it; values without a match are left out). One index seek per value.
UNWIND $arxiv AS value
MATCH (p:Paper {arxiv_id: value})
RETURN 'arxiv_id' AS kind, value, min(p.id) AS id
UNION ALL
UNWIND $doi AS value
MATCH (p:Paper {doi: value})
RETURN 'doi' AS kind, value, min(p.id) AS id
UNION ALL
UNWIND $openalex AS value
MATCH (p:Paper {openalex_id: value})
RETURN 'openalex_id' AS kind, value, min(p.id) AS id
