// Store the per-paper metrics the metrics pass computed (only for papers whose values changed).
// Parameters: $rows [{id, ai_work, novel, p10, refs, rarest_a, rarest_b, rarest_commonness, cd,
//   novelty_version, cd_version}] (null removes a value: the paper is no longer eligible).
// Columns: none.
UNWIND $rows AS row
MATCH (p:Paper {id: row.id})
SET p.ai_work = row.ai_work, p.novel = row.novel, p.novelty_p10 = row.p10, p.novelty_refs = row.refs,
    p.rarest_pair_a = row.rarest_a, p.rarest_pair_b = row.rarest_b,
    p.rarest_pair_commonness = row.rarest_commonness, p.novelty_version = row.novelty_version,
    p.cd_index = row.cd, p.cd_version = row.cd_version
