// Whether two researchers are co-authors or co-authors of co-authors (invitations: the "coauthors2" setting).
// Parameters: $from_ids (the sender's claimed Author ids), $to_ids (the recipient's claimed Author ids).
// Columns: near (true when some pair is within two COAUTHOR hops; no row otherwise).
UNWIND $from_ids AS from_id
MATCH (a:Author {id: from_id})-[:COAUTHOR*1..2]-(b:Author)
WHERE b.id IN $to_ids
RETURN true AS near
LIMIT 1
