// Write the public account facts onto one Author (never anything personal: no e-mail, no account id).
// Parameters: $id (Author.id), $claimed (boolean), $level ('L0'..'L3'), $followers (integer),
//   $trust_score (0-100), $trust_band (New, Emerging, Established, Trusted, Highly trusted).
// Columns: id (empty when no such author).
MATCH (a:Author {id: $id})
SET a.claimed = $claimed, a.verification_level = $level, a.followers = $followers,
    a.trust_score = $trust_score, a.trust_band = $trust_band
RETURN a.id AS id
