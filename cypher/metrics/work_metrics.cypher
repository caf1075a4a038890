// The stored novelty and disruption of the given papers (those that have either), the rarest pair by name.
// Parameters: $ids (Paper ids).
// Columns: id, novel, p10, rarest_a, rarest_b (class names: arXiv category or OpenAlex subfield),
//   rarest_commonness, cd.
UNWIND $ids AS pid
MATCH (p:Paper {id: pid})
WHERE p.novel IS NOT NULL OR p.cd_index IS NOT NULL
OPTIONAL MATCH (ta:Topic {id: p.rarest_pair_a})
OPTIONAL MATCH (tb:Topic {id: p.rarest_pair_b})
RETURN p.id AS id, p.novel AS novel, p.novelty_p10 AS p10,
       CASE WHEN p.rarest_pair_a IS NOT NULL THEN coalesce(ta.name, p.rarest_pair_a) END AS rarest_a,
       CASE WHEN p.rarest_pair_b IS NOT NULL THEN coalesce(tb.name, p.rarest_pair_b) END AS rarest_b,
       p.rarest_pair_commonness AS rarest_commonness, p.cd_index AS cd
