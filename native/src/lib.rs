//! The clustering of `loaders/identity.py` for blocks without known people, in Rust.
//!
//! The Python module is the specification: every rule, threshold and order here is the one
//! `identity._cluster` applies to a block whose people are all new (a load into an empty
//! graph, or new surnames), so both give the same people for the same input, in any order
//! (tests/test_native.py compares them on real and synthetic loads). `loaders/native.py`
//! turns the load's mentions into integer columns: every string becomes its rank among the
//! load's strings of its kind, so comparing ranks orders as comparing the strings does (the
//! cluster keys, the `_obvious` groups). The thresholds and bonuses come in `params`, read
//! from `loaders.identity` at each call, so a sweep of them needs no rebuild.
//!
//! One entry point, `pg_people`, called through ctypes with flat arrays: no Python objects
//! cross, and the crate has no dependencies (it builds offline). It clusters the blocks on
//! several threads; the people are numbered afterwards, so the answer is the same on any number.

use std::collections::{HashMap as StdMap, HashSet as StdSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The multiply-rotate hash of rustc's FxHasher: the maps here are keyed by small integers the library made
/// itself, so the default SipHash's protection against chosen keys buys nothing and costs a fifth of the time.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(b as u64);
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(n as u64);
    }

    fn write_u32(&mut self, n: u32) {
        self.add(n as u64);
    }

    fn write_i32(&mut self, n: i32) {
        self.add(n as u32 as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

impl Fx {
    #[inline]
    fn add(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type HashMap<K, V> = StdMap<K, V, BuildHasherDefault<Fx>>;
type HashSet<K> = StdSet<K, BuildHasherDefault<Fx>>;

const NONE: i32 = -1;
const NO_YEAR: i32 = i32::MIN;

/// The constants of `loaders.identity`, in the order `loaders/native.py` sends them.
struct Params {
    threshold: f64,
    initials_threshold: f64,
    initials_margin: f64,
    lone_name_bonus: f64,
    common_diversity: usize,
    common_extra: f64,
    max_rounds: usize,
    sole_bonus: f64,
    span_bonus: f64,
    span_slack: i64,
    words_bonus: f64,
    rare_bonus: f64,
    name_words_bonus: f64,
    max_posting: usize,
    name_bonus: Vec<f64>,
}

impl Params {
    fn from(p: &[f64]) -> Params {
        Params {
            threshold: p[0],
            initials_threshold: p[1],
            initials_margin: p[2],
            lone_name_bonus: p[3],
            common_diversity: p[4] as usize,
            common_extra: p[5],
            max_rounds: p[6] as usize,
            sole_bonus: p[7],
            span_bonus: p[8],
            span_slack: p[9] as i64,
            words_bonus: p[10],
            rare_bonus: p[11],
            name_words_bonus: p[12],
            max_posting: p[13] as usize,
            name_bonus: p[14..].to_vec(),
        }
    }

    /// `identity._needs`: (between full-named clusters, with an initials-only one).
    fn needs(&self, diversity: usize) -> (f64, f64) {
        let need = self.threshold + if diversity > self.common_diversity { self.common_extra } else { 0.0 };
        (need, need.max(self.initials_threshold))
    }
}

/// A given name (`identity.GivenName`) as the columns `compatible` reads.
#[derive(Clone, Copy)]
struct Name {
    empty: bool,
    first_char: i32,
    first: i32,
    full: i32,
    mid_char: i32,
    mid: i32,
    mid_long: bool,
    initials_only: bool,
}

/// `identity._compatible`.
fn compatible(a: &Name, b: &Name) -> bool {
    if a.empty || b.empty {
        return true;
    }
    if a.first_char != b.first_char {
        return false;
    }
    if a.full != NONE && b.full != NONE && a.first != b.first {
        return a.full == b.full;
    }
    if a.mid_char != NONE && b.mid_char != NONE {
        if a.mid_char != b.mid_char {
            return false;
        }
        if a.mid_long && b.mid_long && a.mid != b.mid {
            return false;
        }
    }
    true
}

/// One mention of a block, its sets as slices of the load's columns.
struct Mention<'a> {
    paper: i32,
    position: i32,
    reference: i64,
    record: i64,
    name: u32,
    orcid: i32,
    venue: i32,
    year: i32,
    coauthors: &'a [i32],
    institutions: &'a [i32],
    topics: &'a [i32],
    words: &'a [i32],
}

/// `identity._Cluster`: every set a sorted, deduplicated vector.
#[derive(Default)]
struct Cluster {
    key: (i32, i32),
    mentions: Vec<u32>,
    names: Vec<u32>,
    papers: Vec<i32>,
    coauthors: Vec<i32>,
    institutions: Vec<i32>,
    orcids: Vec<i32>,
    topics: Vec<i32>,
    venues: Vec<i32>,
    words: Vec<i32>,
    fulls: Vec<i32>,
    years: Option<(i32, i32)>,
    initials_only: bool,
    version: u32,
}

fn set_of(values: &[i32]) -> Vec<i32> {
    let mut out = values.to_vec();
    out.sort_unstable();
    out.dedup();
    out
}

fn one(value: i32) -> Vec<i32> {
    if value == NONE {
        Vec::new()
    } else {
        vec![value]
    }
}

/// The union of two sorted sets, into the first.
fn union<T: Ord + Copy>(a: &mut Vec<T>, b: &[T]) {
    if b.is_empty() {
        return;
    }
    if a.is_empty() {
        a.extend_from_slice(b);
        return;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] < b[j] {
            out.push(a[i]);
            i += 1;
        } else if b[j] < a[i] {
            out.push(b[j]);
            j += 1;
        } else {
            out.push(a[i]);
            i += 1;
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    *a = out;
}

/// How many elements two sorted sets share, counted up to `cap`.
fn shared(a: &[i32], b: &[i32], cap: usize) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() && n < cap {
        if a[i] < b[j] {
            i += 1;
        } else if b[j] < a[i] {
            j += 1;
        } else {
            n += 1;
            i += 1;
            j += 1;
        }
    }
    n
}

fn meet(a: &[i32], b: &[i32]) -> bool {
    !a.is_empty() && !b.is_empty() && shared(a, b, 1) > 0
}

impl Cluster {
    /// `identity._from_mention`.
    fn from_mention(index: u32, m: &Mention, names: &[Name]) -> Cluster {
        let name = &names[m.name as usize];
        Cluster {
            key: (m.paper, m.position),
            mentions: vec![index],
            names: vec![m.name],
            papers: vec![m.paper],
            coauthors: set_of(m.coauthors),
            institutions: set_of(m.institutions),
            orcids: one(m.orcid),
            topics: set_of(m.topics),
            venues: one(m.venue),
            words: set_of(m.words),
            fulls: one(name.full),
            years: if m.year == NO_YEAR { None } else { Some((m.year, m.year)) },
            initials_only: name.initials_only,
            version: 0,
        }
    }

    /// `_Cluster.absorb`.
    fn absorb(&mut self, other: Cluster) {
        self.mentions.extend_from_slice(&other.mentions);
        self.key = self.key.min(other.key);
        union(&mut self.names, &other.names);
        union(&mut self.papers, &other.papers);
        union(&mut self.coauthors, &other.coauthors);
        union(&mut self.institutions, &other.institutions);
        union(&mut self.orcids, &other.orcids);
        union(&mut self.topics, &other.topics);
        union(&mut self.venues, &other.venues);
        union(&mut self.words, &other.words);
        union(&mut self.fulls, &other.fulls);
        self.initials_only = self.initials_only && other.initials_only;
        if let Some((lo, hi)) = other.years {
            self.years = Some(match self.years {
                None => (lo, hi),
                Some((a, b)) => (a.min(lo), b.max(hi)),
            });
        }
        self.version += 1;
    }
}

/// `identity._names_fit` (and the name half of `can_link`).
fn names_fit(a: &Cluster, b: &Cluster, names: &[Name]) -> bool {
    a.names.iter().all(|&x| {
        b.names.iter().all(|&y| x == y || compatible(&names[x as usize], &names[y as usize]))
    })
}

/// `identity.can_link` for clusters without known people.
fn can_link(a: &Cluster, b: &Cluster, names: &[Name]) -> bool {
    if !a.orcids.is_empty() && !b.orcids.is_empty() && !meet(&a.orcids, &b.orcids) {
        return false;
    }
    if meet(&a.papers, &b.papers) {
        return false;
    }
    names_fit(a, b, names)
}

/// `identity._score`, term by term in the same order (every term a multiple of 0.25: the sums are exact).
fn score(a: &Cluster, b: &Cluster, diversity: usize, p: &Params) -> f64 {
    let mut s = 0.0;
    if meet(&a.orcids, &b.orcids) {
        s += 10.0;
    }
    if !a.coauthors.is_empty() && !b.coauthors.is_empty() {
        s += 3.0 * shared(&a.coauthors, &b.coauthors, 3) as f64;
    }
    if !a.institutions.is_empty() && !b.institutions.is_empty() {
        s += 2.0 * shared(&a.institutions, &b.institutions, 2) as f64;
    }
    if meet(&a.venues, &b.venues) {
        s += 1.0;
    }
    if !a.topics.is_empty() && !b.topics.is_empty() {
        s += 0.75 * shared(&a.topics, &b.topics, 3) as f64;
    }
    if meet(&a.fulls, &b.fulls) {
        s += p.name_bonus[diversity.min(p.name_bonus.len() - 1)];
        if meet(&a.words, &b.words) {
            s += p.name_words_bonus;
        }
    } else if diversity <= 1 && (a.initials_only || b.initials_only) {
        s += p.lone_name_bonus;
    }
    if let (Some((a0, a1)), Some((b0, b1))) = (a.years, b.years) {
        if a0 - b1 > 12 || b0 - a1 > 12 {
            s -= 1.5;
        }
    }
    s
}

/// `identity._weak`.
fn weak(a: &Cluster, b: &Cluster, diversity: usize, rare: bool, p: &Params) -> f64 {
    let (x, y) = if a.initials_only { (a, b) } else { (b, a) };
    let mut s = if diversity > 1 { p.sole_bonus } else { 0.0 };
    if rare {
        s += p.rare_bonus;
    }
    if meet(&x.words, &y.words) {
        s += p.words_bonus;
    }
    if let (Some((x0, x1)), Some((y0, y1))) = (x.years, y.years) {
        if y0 as i64 - p.span_slack <= x0 as i64 && x1 as i64 <= y1 as i64 + p.span_slack {
            s += p.span_bonus;
        }
    }
    s
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// `identity._join`: the smaller key stays.
fn join(clusters: &mut [Cluster], parent: &mut [usize], ri: usize, rj: usize) {
    let (keep, gone) = if clusters[ri].key <= clusters[rj].key { (ri, rj) } else { (rj, ri) };
    let other = std::mem::take(&mut clusters[gone]);
    clusters[keep].absorb(other);
    parent[gone] = keep;
}

// Feature kinds: the order of `identity._evidence`'s prefixes ("c:" < "i:" < "o:") matters to `obvious`.
const COAUTHOR: u8 = 0;
const INSTITUTION: u8 = 1;
const ORCID: u8 = 2;
const VENUE: u8 = 3;
const FULL: u8 = 4;

fn evidence(c: &Cluster) -> impl Iterator<Item = (u8, i32)> + '_ {
    c.coauthors.iter().map(|&x| (COAUTHOR, x))
        .chain(c.institutions.iter().map(|&x| (INSTITUTION, x)))
        .chain(c.orcids.iter().map(|&x| (ORCID, x)))
}

/// `identity._obvious`.
fn obvious(clusters: &mut [Cluster], parent: &mut [usize], diversity: usize, names: &[Name], p: &Params) {
    let need = p.needs(diversity).0;
    let mut groups: HashMap<(i32, u8, i32), Vec<usize>> = HashMap::default();
    for (i, c) in clusters.iter().enumerate() {
        if c.initials_only {
            continue;
        }
        for &full in &c.fulls {
            for (kind, value) in evidence(c) {
                groups.entry((full, kind, value)).or_default().push(i);
            }
        }
    }
    let mut ordered: Vec<((i32, u8, i32), Vec<usize>)> = groups.into_iter().filter(|(_, m)| m.len() > 1).collect();
    ordered.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (_, members) in ordered {
        let first = members[0];
        for &j in &members[1..] {
            let (ri, rj) = (root(parent, first), root(parent, j));
            if ri == rj {
                continue;
            }
            let (a, b) = (&clusters[ri], &clusters[rj]);
            if score(a, b, diversity, p) >= need && can_link(a, b, names) {
                join(clusters, parent, ri, rj);
            }
        }
    }
}

/// `identity._sole`: (smaller, larger) pairs of an initials-only cluster and the one full-named cluster whose names
/// fit it and that shares a topic or a title word with it (in a rare surname's block: that fits it).
fn sole(clusters: &[Cluster], live: &[usize], rare: bool, names: &[Name]) -> HashSet<(usize, usize)> {
    let mut index: HashMap<(u8, i32), Vec<usize>> = HashMap::default();
    let mut named: Vec<usize> = Vec::new();
    for &j in live {
        let c = &clusters[j];
        if !c.initials_only {
            named.push(j);
            for &t in &c.topics {
                index.entry((0, t)).or_default().push(j);
            }
            for &w in &c.words {
                index.entry((1, w)).or_default().push(j);
            }
        }
    }
    let mut out = HashSet::default();
    for &i in live {
        let x = &clusters[i];
        if !x.initials_only {
            continue;
        }
        let mut found: Option<usize> = None;
        let mut second = false;
        let mut seen: HashSet<usize> = HashSet::default();
        let mut consider = |j: usize| -> bool {
            if Some(j) == found || !seen.insert(j) {
                return false;
            }
            if names_fit(x, &clusters[j], names) {
                if found.is_some() {
                    second = true;
                    return true;
                }
                found = Some(j);
            }
            false
        };
        if rare {
            for &j in &named {
                if consider(j) {
                    break;
                }
            }
        } else {
            'keys: for key in x.topics.iter().map(|&t| (0u8, t)).chain(x.words.iter().map(|&w| (1u8, w))) {
                if let Some(list) = index.get(&key) {
                    for &j in list {
                        if consider(j) {
                            break 'keys;
                        }
                    }
                }
            }
        }
        if let (Some(j), false) = (found, second) {
            out.insert(if i < j { (i, j) } else { (j, i) });
        }
    }
    out
}

type Scored = (f64, (i32, i32), (i32, i32), usize, usize);

/// `identity._unambiguous`.
fn unambiguous(scored: Vec<Scored>, clusters: &[Cluster], names: &[Name], p: &Params) -> Vec<Scored> {
    let mut options: HashMap<usize, Vec<(f64, usize)>> = HashMap::default();
    for &(s, _, _, i, j) in &scored {
        if clusters[i].initials_only {
            options.entry(i).or_default().push((s, j));
        }
        if clusters[j].initials_only {
            options.entry(j).or_default().push((s, i));
        }
    }
    let mut unclear: HashSet<usize> = HashSet::default();
    for (x, mut found) in options {
        if found.len() < 2 {
            continue;
        }
        found.sort_by(|a, b| {
            b.0.partial_cmp(&a.0).unwrap().then(clusters[a.1].key.cmp(&clusters[b.1].key)).then(a.1.cmp(&b.1))
        });
        let (top, best) = found[0];
        for &(s, other) in &found[1..] {
            if top - s >= p.initials_margin {
                break;
            }
            let rival = &clusters[other];
            if !rival.initials_only || !can_link(&clusters[best], rival, names) {
                unclear.insert(x);
                break;
            }
        }
    }
    if unclear.is_empty() {
        return scored;
    }
    scored.into_iter().filter(|t| !unclear.contains(&t.3) && !unclear.contains(&t.4)).collect()
}

type Memo = HashMap<(usize, usize), (u32, u32, Option<f64>)>;

/// `identity._round`: one merge round over the live clusters; whether anything merged.
#[allow(clippy::too_many_arguments)]
fn round(clusters: &mut [Cluster], parent: &mut [usize], diversity: usize, initials: bool, memo: &mut Memo,
         rare: bool, names: &[Name], p: &Params) -> bool {
    let live: Vec<usize> = (0..clusters.len())
        .filter(|&i| parent[i] == i && (initials || !clusters[i].initials_only))
        .collect();
    let mut postings: HashMap<(u8, i32), Vec<usize>> = HashMap::default();
    for &i in &live {
        let c = &clusters[i];
        for feature in evidence(c)
            .chain(c.venues.iter().map(|&x| (VENUE, x)))
            .chain(c.fulls.iter().map(|&x| (FULL, x)))
        {
            postings.entry(feature).or_default().push(i);
        }
    }
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    for members in postings.values() {
        if members.len() > 1 && members.len() <= p.max_posting {
            for (k, &a) in members.iter().enumerate() {
                for &b in &members[k + 1..] {
                    candidates.push((a, b));
                }
            }
        }
    }
    let sole_pairs = if initials { sole(clusters, &live, rare, names) } else { HashSet::default() };
    candidates.extend(sole_pairs.iter().copied());
    candidates.sort_unstable();
    candidates.dedup();
    let needs = p.needs(diversity);
    let mut scored: Vec<Scored> = Vec::new();
    for pair in candidates {
        let (i, j) = pair;
        let (a, b) = (&clusters[i], &clusters[j]);
        let is_sole = !sole_pairs.is_empty() && sole_pairs.contains(&pair);
        let verdict = match memo.get(&pair) {
            Some(&(va, vb, v)) if va == a.version && vb == b.version && !is_sole => v,
            _ => {
                let s = score(a, b, diversity, p) + if is_sole { weak(a, b, diversity, rare, p) } else { 0.0 };
                let need = if a.initials_only || b.initials_only { needs.1 } else { needs.0 };
                let v = if s >= need && can_link(a, b, names) { Some(s) } else { None };
                if !is_sole {
                    memo.insert(pair, (a.version, b.version, v));
                }
                v
            }
        };
        if let Some(s) = verdict {
            scored.push(if a.key <= b.key { (s, a.key, b.key, i, j) } else { (s, b.key, a.key, i, j) });
        }
    }
    let mut scored = unambiguous(scored, clusters, names, p);
    // Best score first, ties by the clusters' keys, then by their indices (`identity._round`).
    scored.sort_by(|x, y| {
        y.0.partial_cmp(&x.0).unwrap().then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)).then(x.3.cmp(&y.3)).then(x.4.cmp(&y.4))
    });
    let mut merged = false;
    for (_, _, _, i, j) in scored {
        let (ri, rj) = (root(parent, i), root(parent, j));
        if ri == rj || !can_link(&clusters[ri], &clusters[rj], names) {
            continue;
        }
        join(clusters, parent, ri, rj);
        merged = true;
    }
    merged
}

/// `identity._cluster` for a block without known people: the clusters, largest first, as lists of the block's
/// mention indices.
fn cluster_block(mentions: &[Mention], rare: bool, names: &[Name], p: &Params) -> Vec<Vec<u32>> {
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_unstable_by_key(|&k| (mentions[k].paper, mentions[k].position, mentions[k].reference));
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut by_paper: HashMap<i32, Vec<usize>> = HashMap::default();
    for &k in &order {
        let m = &mentions[k];
        let name = &names[m.name as usize];
        if let Some(earlier) = by_paper.get(&m.paper) {
            // The same paper given again by another record: its byline is the one already seen.
            let twin = earlier.iter().copied().find(|&c| {
                let c = &clusters[c];
                c.key == (m.paper, m.position)
                    && c.names.iter().all(|&n| compatible(name, &names[n as usize]))
                    && c.mentions.iter().all(|&x| mentions[x as usize].record != m.record)
            });
            if let Some(c) = twin {
                let single = Cluster::from_mention(k as u32, m, names);
                clusters[c].absorb(single);
                continue;
            }
        }
        by_paper.entry(m.paper).or_default().push(clusters.len());
        clusters.push(Cluster::from_mention(k as u32, m, names));
    }
    if clusters.len() > 1 {
        let mut fulls: Vec<i32> = clusters.iter().flat_map(|c| c.fulls.iter().copied()).collect();
        fulls.sort_unstable();
        fulls.dedup();
        let diversity = fulls.len();
        let mut parent: Vec<usize> = (0..clusters.len()).collect();
        obvious(&mut clusters, &mut parent, diversity, names, p);
        let mut memo: Memo = HashMap::default();
        let mut settled = false;
        for initials in [false, true] {
            let live: Vec<usize> = (0..clusters.len())
                .filter(|&i| parent[i] == i && (initials || !clusters[i].initials_only))
                .collect();
            if live.len() < 2 || (initials && settled && !live.iter().any(|&i| clusters[i].initials_only)) {
                settled = true;
                continue;
            }
            settled = false;
            for _ in 0..p.max_rounds {
                if !round(&mut clusters, &mut parent, diversity, initials, &mut memo, rare, names, p) {
                    settled = true;
                    break;
                }
            }
        }
        let mut roots: Vec<usize> = (0..clusters.len()).filter(|&i| parent[i] == i).collect();
        roots.sort_by_key(|&i| (std::cmp::Reverse(clusters[i].mentions.len()), clusters[i].key, i));
        return roots.into_iter().map(|i| std::mem::take(&mut clusters[i].mentions)).collect();
    }
    clusters.into_iter().map(|c| c.mentions).collect()
}

unsafe fn slice<'a, T>(ptr: *const T, len: usize) -> &'a [T] {
    if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    }
}

/// Cluster every block. Mention `k` is of block `block[k]` (blocks numbered by their sorted keys); its sets are
/// `values[offsets[k]..offsets[k + 1]]`; a name is 8 columns (empty, first letter, first token, full name rank or -1,
/// middle letter or -1, middle token, middle is a word, initials only). The people are numbered block by block, in
/// `identity.assign`'s order within a block (largest first): `person[k]` is mention `k`'s, `person_block[c]` the
/// block of person `c`, and `lead[c]` the mention whose ORCID names a new person (`people.assign_people`: the first
/// by paper and position that has one) or -1. The blocks are clustered on `threads` threads. Returns the number of
/// people, or -1 when the arguments do not fit.
///
/// # Safety
/// Every pointer must point to as many values as the lengths say (`loaders/native.py` builds them from numpy
/// arrays of the right type and length; the three outputs hold `n` values).
#[no_mangle]
pub unsafe extern "C" fn pg_people(
    n_blocks: usize, block: *const i32, rare: *const u8,
    n: usize, paper: *const i32, position: *const i32, reference: *const i64, record: *const i64,
    name: *const i32, orcid: *const i32, venue: *const i32, year: *const i32,
    coauthor_offsets: *const i64, coauthors: *const i32,
    institution_offsets: *const i64, institutions: *const i32,
    topic_offsets: *const i64, topics: *const i32,
    word_offsets: *const i64, words: *const i32,
    n_names: usize, name_columns: *const i32,
    params: *const f64, n_params: usize,
    person: *mut i32, person_block: *mut i32, lead: *mut i32, threads: usize,
) -> i64 {
    let result = std::panic::catch_unwind(|| {
        let block = slice(block, n);
        let rare = slice(rare, n_blocks);
        let (paper, position, reference, record) =
            (slice(paper, n), slice(position, n), slice(reference, n), slice(record, n));
        let (name, orcid, venue, year) = (slice(name, n), slice(orcid, n), slice(venue, n), slice(year, n));
        let sets = |offsets: *const i64, values: *const i32| -> (&[i64], &[i32]) {
            let offsets = slice(offsets, n + 1);
            (offsets, slice(values, offsets[n] as usize))
        };
        let (co_off, co) = sets(coauthor_offsets, coauthors);
        let (inst_off, inst) = sets(institution_offsets, institutions);
        let (topic_off, topic) = sets(topic_offsets, topics);
        let (word_off, word) = sets(word_offsets, words);
        if n_params < 15 || block.iter().any(|&b| b < 0 || b as usize >= n_blocks) {
            return -1;
        }
        let p = Params::from(slice(params, n_params));
        let names: Vec<Name> = slice(name_columns, n_names * 8)
            .chunks_exact(8)
            .map(|c| Name {
                empty: c[0] != 0,
                first_char: c[1],
                first: c[2],
                full: c[3],
                mid_char: c[4],
                mid: c[5],
                mid_long: c[6] != 0,
                initials_only: c[7] != 0,
            })
            .collect();
        let part = |offsets: &[i64], values: &'static [i32], k: usize| -> &'static [i32] {
            &values[offsets[k] as usize..offsets[k + 1] as usize]
        };
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); n_blocks];
        for (k, &b) in block.iter().enumerate() {
            members[b as usize].push(k as u32);
        }
        // Each block alone, on `threads` threads (blocks handed out largest first, as they come free); the
        // people are numbered afterwards, block by block, so the answer does not depend on the threads.
        let solve = |b: usize| -> Vec<(Vec<u32>, i32)> {
            let global = &members[b];
            let mentions: Vec<Mention> = global
                .iter()
                .map(|&g| {
                    let k = g as usize;
                    Mention {
                        paper: paper[k],
                        position: position[k],
                        reference: reference[k],
                        record: record[k],
                        name: name[k] as u32,
                        orcid: orcid[k],
                        venue: venue[k],
                        year: year[k],
                        coauthors: part(co_off, co, k),
                        institutions: part(inst_off, inst, k),
                        topics: part(topic_off, topic, k),
                        words: part(word_off, word, k),
                    }
                })
                .collect();
            cluster_block(&mentions, rare[b] != 0, &names, &p)
                .into_iter()
                .map(|cluster| {
                    let mut first: Option<((i32, i32), u32)> = None;
                    for &local in &cluster {
                        let m = &mentions[local as usize];
                        if m.orcid != NONE && first.map_or(true, |(at, _)| (m.paper, m.position) < at) {
                            first = Some(((m.paper, m.position), global[local as usize]));
                        }
                    }
                    let people: Vec<u32> = cluster.iter().map(|&local| global[local as usize]).collect();
                    (people, first.map_or(-1, |(_, g)| g as i32))
                })
                .collect()
        };
        let mut order: Vec<usize> = (0..n_blocks).filter(|&b| !members[b].is_empty()).collect();
        order.sort_by_key(|&b| (std::cmp::Reverse(members[b].len()), b));
        let next = AtomicUsize::new(0);
        let mut solved: Vec<(usize, Vec<(Vec<u32>, i32)>)> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads.max(1))
                .map(|_| {
                    scope.spawn(|| {
                        let mut out = Vec::new();
                        loop {
                            let at = next.fetch_add(1, Ordering::Relaxed);
                            if at >= order.len() {
                                return out;
                            }
                            out.push((order[at], solve(order[at])));
                        }
                    })
                })
                .collect();
            workers.into_iter().flat_map(|w| w.join().expect("a clustering thread failed")).collect()
        });
        solved.sort_unstable_by_key(|(b, _)| *b);
        let person = std::slice::from_raw_parts_mut(person, n);
        let person_block = std::slice::from_raw_parts_mut(person_block, n);
        let lead = std::slice::from_raw_parts_mut(lead, n);
        let mut count = 0usize;
        for (b, clusters) in solved {
            for (people, first) in clusters {
                for g in people {
                    person[g as usize] = count as i32;
                }
                person_block[count] = b as i32;
                lead[count] = first;
                count += 1;
            }
        }
        count as i64
    });
    result.unwrap_or(-1)
}
