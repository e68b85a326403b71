//! One-to-one assignment: every paper row gets at most one database row and the other way
//! round, maximising the total match score.
//!
//! The candidate graph falls apart into small connected components (one person and the few
//! rows that resemble them), so the Hungarian method runs per component. Ties are broken
//! towards the lower paper row and the lower database row, so results do not depend on
//! iteration order.

use std::collections::BTreeMap;

/// A scored candidate pair: (paper row, database row, score). Scores must be positive.
pub type Edge = (u32, u32, f64);

/// Ties are broken by this much less than one thousandth of a score point, so the preference for
/// lower row numbers never overrides a real score difference (components are capped well below
/// its square root).
const TIE_SCALE: i64 = 1_000_000;

/// Returns the chosen edges (a subset of `edges`, sorted by paper row). Components with more
/// than `max_exact` rows on a side are assigned greedily by descending score instead.
pub fn assign(edges: &[Edge], max_exact: usize) -> Vec<Edge> {
    let mut chosen = Vec::new();
    for component in components(edges) {
        let exact = component.rows.len() <= max_exact && component.cols.len() <= max_exact;
        if exact {
            chosen.extend(hungarian(&component));
        } else {
            chosen.extend(greedy(&component.edges));
        }
    }
    chosen.sort_by_key(|e| e.0);
    chosen
}

struct Component {
    rows: Vec<u32>,
    cols: Vec<u32>,
    edges: Vec<Edge>,
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Splits the bipartite graph into connected components (union–find over dense node ids).
fn components(edges: &[Edge]) -> Vec<Component> {
    let mut ids: BTreeMap<(bool, u32), usize> = BTreeMap::new();
    for &(r, c, _) in edges {
        let n = ids.len();
        ids.entry((false, r)).or_insert(n);
        let n = ids.len();
        ids.entry((true, c)).or_insert(n);
    }
    let mut parent: Vec<usize> = (0..ids.len()).collect();
    for &(r, c, _) in edges {
        let a = find(&mut parent, ids[&(false, r)]);
        let b = find(&mut parent, ids[&(true, c)]);
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut by_root: BTreeMap<usize, Component> = BTreeMap::new();
    for &(r, c, s) in edges {
        let root = find(&mut parent, ids[&(false, r)]);
        let comp = by_root.entry(root).or_insert_with(|| Component {
            rows: Vec::new(),
            cols: Vec::new(),
            edges: Vec::new(),
        });
        comp.rows.push(r);
        comp.cols.push(c);
        comp.edges.push((r, c, s));
    }
    by_root
        .into_values()
        .map(|mut comp| {
            comp.rows.sort_unstable();
            comp.rows.dedup();
            comp.cols.sort_unstable();
            comp.cols.dedup();
            comp
        })
        .collect()
}

fn greedy(edges: &[Edge]) -> Vec<Edge> {
    let mut sorted = edges.to_vec();
    sorted.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    let mut used_rows = std::collections::HashSet::new();
    let mut used_cols = std::collections::HashSet::new();
    sorted
        .into_iter()
        .filter(|&(r, c, _)| {
            let free = !used_rows.contains(&r) && !used_cols.contains(&c);
            if free {
                used_rows.insert(r);
                used_cols.insert(c);
            }
            free
        })
        .collect()
}

/// Maximum-weight matching of one component by the Hungarian method on a cost matrix whose
/// missing edges cost 0 (taking one means "unassigned").
fn hungarian(comp: &Component) -> Vec<Edge> {
    if comp.edges.len() == 1 {
        return comp.edges.clone();
    }
    // The method needs no more rows than columns; transpose when paper rows outnumber.
    let transpose = comp.rows.len() > comp.cols.len();
    let (left, right) = if transpose {
        (&comp.cols, &comp.rows)
    } else {
        (&comp.rows, &comp.cols)
    };
    let (n, m) = (left.len(), right.len());
    let mut cost = vec![0i64; n * m];
    let mut score_at = vec![None; n * m];
    for &(r, c, s) in &comp.edges {
        let (l, rt) = if transpose { (c, r) } else { (r, c) };
        let i = left.binary_search(&l).expect("node of this component");
        let j = right.binary_search(&rt).expect("node of this component");
        let (row_rank, col_rank) = if transpose { (j, i) } else { (i, j) };
        let milli = (s * 1000.0).round() as i64;
        cost[i * m + j] = -(milli * TIE_SCALE - (row_rank + col_rank) as i64);
        score_at[i * m + j] = Some(s);
    }
    let matched = solve(n, m, &cost);
    let mut out = Vec::new();
    for (j, i) in matched.into_iter().enumerate() {
        if let Some(i) = i {
            if let Some(s) = score_at[i * m + j] {
                let (l, rt) = (left[i], right[j]);
                out.push(if transpose { (rt, l, s) } else { (l, rt, s) });
            }
        }
    }
    out
}

/// Classic O(n²·m) Hungarian algorithm with potentials for an n×m cost matrix (n ≤ m, row-major).
/// Returns, for each column, the row assigned to it.
fn solve(n: usize, m: usize, cost: &[i64]) -> Vec<Option<usize>> {
    const INF: i64 = i64::MAX / 4;
    let mut u = vec![0i64; n + 1];
    let mut v = vec![0i64; m + 1];
    // p[j]: row (1-based) assigned to column j (1-based); p[0] is the row being inserted.
    let mut p = vec![0usize; m + 1];
    let mut way = vec![0usize; m + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![INF; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = INF;
            let mut j1 = 0;
            for j in 1..=m {
                if !used[j] {
                    let cur = cost[(i0 - 1) * m + (j - 1)] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    (1..=m).map(|j| (p[j] != 0).then(|| p[j] - 1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optimal_beats_greedy() {
        // Greedy would give row 0 the column 0 (score 10) and leave row 1 with nothing.
        let edges = [(0, 0, 10.0), (0, 1, 9.0), (1, 0, 8.0)];
        let got = assign(&edges, 100);
        assert_eq!(got, vec![(0, 1, 9.0), (1, 0, 8.0)]);
    }

    #[test]
    fn ties_go_to_the_lower_rows() {
        let edges = [(3, 7, 5.0), (3, 2, 5.0), (1, 7, 5.0)];
        assert_eq!(assign(&edges, 100), vec![(1, 7, 5.0), (3, 2, 5.0)]);
        let edges = [(4, 9, 5.0), (2, 9, 5.0)];
        assert_eq!(assign(&edges, 100), vec![(2, 9, 5.0)]);
    }

    #[test]
    fn more_paper_rows_than_database_rows() {
        let edges = [(0, 0, 3.0), (1, 0, 4.0), (2, 0, 1.0), (2, 1, 2.0)];
        assert_eq!(assign(&edges, 100), vec![(1, 0, 4.0), (2, 1, 2.0)]);
    }

    #[test]
    fn large_components_fall_back_to_greedy() {
        let edges = [(0, 0, 10.0), (0, 1, 9.0), (1, 0, 8.0)];
        assert_eq!(assign(&edges, 1), vec![(0, 0, 10.0)]);
    }
}
