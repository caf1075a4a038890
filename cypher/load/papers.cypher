// Papers of one batch: MERGE on id; values merged across sources (null never overwrites a value; a later
// source's value replaces an earlier one, except Paperscape's titles, which only fill a gap).
// Parameters: $rows [{id, title, abstract, year, date, doi, arxiv_id, openalex_id, venue, type, code_url,
//   has_code, source_cited_by_count, categories, author_count, authors_complete, source}].
//   $max_authors (the COAUTHOR rule).
// Columns: one row of parallel lists, one entry per input row: ids, eids (elementId, for look-ups later in
//   the same transaction), years, author_counts (one-element lists: the values after this write: for a paper given twice,
//   the last entry's are final), authored (AUTHORED edges it had before this batch). Each paper is marked :Stale (its cited_by_count is recomputed by derive_papers). When an
// existing paper's year changes, or its author count crosses $max_authors, its authors are marked
// :StaleCoauthors (their COAUTHOR pairs are recomputed in full by derive_coauthors). A new paper, or one whose
// year or categories change, is marked :StaleMetrics (the metrics pass, loaders.metrics, runs when one is).
UNWIND $rows AS row
MERGE (p:Paper {id: row.id})
WITH p, row, p.year AS old_year, p.author_count AS old_count, COUNT { (p)<-[:AUTHORED]-() } AS authored,
     p.sources IS NULL AS created, p.categories AS old_categories
SET p.title = CASE WHEN row.source = 'paperscape' THEN coalesce(p.title, row.title)
      ELSE coalesce(row.title, p.title) END,
    p.abstract = coalesce(row.abstract, p.abstract),
    p.year = coalesce(row.year, p.year),
    p.date = coalesce(row.date, p.date),
    p.doi = coalesce(p.doi, row.doi),
    p.arxiv_id = coalesce(p.arxiv_id, row.arxiv_id),
    p.openalex_id = coalesce(p.openalex_id, row.openalex_id),
    p.venue = coalesce(row.venue, p.venue),
    p.type = coalesce(row.type, p.type),
    p.code_url = coalesce(row.code_url, p.code_url),
    p.has_code = coalesce(p.has_code, false) OR coalesce(row.has_code, false) OR row.code_url IS NOT NULL,
    p.source_cited_by_count = CASE
      WHEN row.source_cited_by_count IS NULL THEN p.source_cited_by_count
      WHEN p.source_cited_by_count IS NULL OR row.source_cited_by_count > p.source_cited_by_count
        THEN row.source_cited_by_count
      ELSE p.source_cited_by_count END,
    p.categories = coalesce(p.categories, []) + [c IN row.categories WHERE NOT c IN coalesce(p.categories, [])],
    p.author_count = CASE WHEN p.author_count IS NULL OR row.author_count > p.author_count
      THEN row.author_count ELSE p.author_count END,
    p.authors_complete = coalesce(p.authors_complete, false) OR row.authors_complete,
    p.sources = coalesce(p.sources, []) + CASE WHEN row.source IN coalesce(p.sources, []) THEN [] ELSE [row.source] END,
    p.cited_by_count = coalesce(p.cited_by_count, 0),
    p:Stale
WITH p, row, old_year, old_count, authored, created, old_categories
CALL (p, old_year, created, old_categories) {
  WITH p WHERE created OR coalesce(old_year, -1) <> coalesce(p.year, -1) OR coalesce(old_categories, []) <> p.categories
  SET p:StaleMetrics
}
CALL (p, old_year, old_count) {
  WITH p WHERE (old_year IS NOT NULL AND old_year <> p.year)
    OR (old_count IS NOT NULL AND old_count <= $max_authors AND p.author_count > $max_authors)
  MATCH (a:Author)-[:AUTHORED]->(p)
  SET a:StaleCoauthors
}
// collect() drops nulls: a year or author count that may be missing goes in a one-element list.
RETURN collect(row.id) AS ids, collect(elementId(p)) AS eids, collect([p.year]) AS years,
       collect([p.author_count]) AS author_counts, collect(authored) AS authored
