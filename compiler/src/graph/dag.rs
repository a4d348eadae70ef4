//! Topological layers of a small DAG and the cycles that prevent them.
//! Used for workflow tasks, pipeline stages and the start order. Knows
//! nothing of what the nodes are: they are indexes, their edges lists of
//! indexes they come after.
//!
//! Example: `test` after `lint` and `scan`, `build` after `test` gives
//! layers `[[lint, scan], [test], [build]]`: a node's layer is one more
//! than the highest layer of what it comes after.

/// The result of [`layers`].
pub struct Layered {
    /// Node indexes per layer, each layer sorted by index.
    pub layers: Vec<Vec<usize>>,
    /// Each cycle found, as the nodes around it starting at its smallest
    /// member (`a → b → a` is `[a, b]`: a comes after b, b after a). Nodes
    /// on or behind a cycle are in no layer.
    pub cycles: Vec<Vec<usize>>,
}

/// Layers `after.len()` nodes; `after[i]` lists the nodes `i` comes after.
/// Out-of-range indexes are ignored.
pub fn layers(after: &[Vec<usize>]) -> Layered {
    let n = after.len();
    let mut layer: Vec<Option<usize>> = vec![None; n];
    let mut layers: Vec<Vec<usize>> = Vec::new();
    // Repeatedly place every node whose predecessors are all placed.
    loop {
        let mut next = Vec::new();
        for (i, deps) in after.iter().enumerate() {
            if layer.get(i).copied().flatten().is_some() {
                continue;
            }
            let ready = deps
                .iter()
                .filter(|d| **d < n)
                .all(|d| matches!(layer.get(*d), Some(Some(l)) if *l < layers.len()));
            if ready {
                next.push(i);
            }
        }
        if next.is_empty() {
            break;
        }
        let depth = layers.len();
        for i in &next {
            if let Some(slot) = layer.get_mut(*i) {
                *slot = Some(depth);
            }
        }
        layers.push(next);
    }
    // Whatever is left is on a cycle or waits for one. Every such node has
    // an unplaced predecessor, so walking predecessors always closes a loop.
    let mut cycles: Vec<Vec<usize>> = Vec::new();
    let mut seen = vec![false; n];
    for start in 0..n {
        if layer[start].is_some() || seen[start] {
            continue;
        }
        let mut path: Vec<usize> = Vec::new();
        let mut at = start;
        loop {
            if seen[at] {
                break;
            }
            if let Some(pos) = path.iter().position(|p| *p == at) {
                let mut cycle = path[pos..].to_vec();
                if let Some(min_pos) = cycle
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, v)| **v)
                    .map(|(i, _)| i)
                {
                    cycle.rotate_left(min_pos);
                }
                cycles.push(cycle);
                break;
            }
            path.push(at);
            let next = after[at]
                .iter()
                .copied()
                .filter(|d| *d < n && layer[*d].is_none())
                .min();
            match next {
                Some(d) => at = d,
                None => break,
            }
        }
        for p in path {
            seen[p] = true;
        }
    }
    Layered { layers, cycles }
}

#[cfg(test)]
mod tests {
    use super::layers;

    #[test]
    fn layers_and_cycles() {
        // 0 lint, 1 scan, 2 test (after 0, 1), 3 build (after 2)
        let l = layers(&[vec![], vec![], vec![0, 1], vec![2]]);
        assert_eq!(l.layers, vec![vec![0, 1], vec![2], vec![3]]);
        assert!(l.cycles.is_empty());
        // 0 → 1 → 2 → 0, and 3 waits for the cycle.
        let l = layers(&[vec![2], vec![0], vec![1], vec![0], vec![]]);
        assert_eq!(l.layers, vec![vec![4]]);
        assert_eq!(l.cycles, vec![vec![0, 2, 1]]);
        // A self-loop, and an index out of range.
        let l = layers(&[vec![0], vec![7]]);
        assert_eq!(l.layers, vec![vec![1]]);
        assert_eq!(l.cycles, vec![vec![0]]);
    }
}
