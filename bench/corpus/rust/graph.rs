//! Graph algorithms over adjacency lists: Dijkstra with a `BinaryHeap`, breadth-first
//! search with a `VecDeque`, union-find components (Kruskal's minimum spanning tree over
//! sorted edges), and a topological order of a DAG with cycle detection, the way route
//! planners, build systems and package managers write them.

mod common;
use common::{Rng, mix};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet, VecDeque};

#[derive(Clone, Copy, Debug)]
struct Edge {
    to: u32,
    weight: u32,
}

struct Graph {
    adj: Vec<Vec<Edge>>,
}

impl Graph {
    /// A road-network-like graph: a grid with random weights plus random long links.
    fn random(rng: &mut Rng, side: usize, extra: usize) -> Graph {
        let n = side * side;
        let mut adj = vec![Vec::new(); n];
        let link = |a: usize, b: usize, w: u32, adj: &mut Vec<Vec<Edge>>| {
            adj[a].push(Edge {
                to: b as u32,
                weight: w,
            });
            adj[b].push(Edge {
                to: a as u32,
                weight: w,
            });
        };
        for y in 0..side {
            for x in 0..side {
                let v = y * side + x;
                if x + 1 < side && rng.below(10) != 0 {
                    let w = 1 + rng.below(20);
                    link(v, v + 1, w, &mut adj);
                }
                if y + 1 < side && rng.below(10) != 0 {
                    let w = 1 + rng.below(20);
                    link(v, v + side, w, &mut adj);
                }
            }
        }
        for _ in 0..extra {
            let a = rng.below(n as u32) as usize;
            let b = rng.below(n as u32) as usize;
            if a != b {
                let w = 10 + rng.below(200);
                link(a, b, w, &mut adj);
            }
        }
        Graph { adj }
    }

    fn dijkstra(&self, source: usize) -> Vec<Option<u64>> {
        let mut dist: Vec<Option<u64>> = vec![None; self.adj.len()];
        let mut heap = BinaryHeap::new();
        dist[source] = Some(0);
        heap.push(Reverse((0u64, source as u32)));
        while let Some(Reverse((d, v))) = heap.pop() {
            if dist[v as usize].is_some_and(|best| d > best) {
                continue;
            }
            for e in &self.adj[v as usize] {
                let nd = d + u64::from(e.weight);
                let slot = &mut dist[e.to as usize];
                if slot.is_none_or(|cur| nd < cur) {
                    *slot = Some(nd);
                    heap.push(Reverse((nd, e.to)));
                }
            }
        }
        dist
    }

    fn bfs_levels(&self, source: usize) -> Vec<u32> {
        let mut level = vec![u32::MAX; self.adj.len()];
        let mut queue = VecDeque::new();
        level[source] = 0;
        queue.push_back(source);
        while let Some(v) = queue.pop_front() {
            let next = level[v] + 1;
            for e in &self.adj[v] {
                let t = e.to as usize;
                if level[t] == u32::MAX {
                    level[t] = next;
                    queue.push_back(t);
                }
            }
        }
        level
    }
}

struct UnionFind {
    parent: Vec<u32>,
    rank: Vec<u8>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
            rank: vec![0; n],
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize]; // path halving
            x = p;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (ra, rb) = if self.rank[ra as usize] < self.rank[rb as usize] {
            (rb, ra)
        } else {
            (ra, rb)
        };
        self.parent[rb as usize] = ra;
        if self.rank[ra as usize] == self.rank[rb as usize] {
            self.rank[ra as usize] += 1;
        }
        true
    }
}

fn kruskal(g: &Graph) -> (u64, usize) {
    let mut edges: Vec<(u32, u32, u32)> = g
        .adj
        .iter()
        .enumerate()
        .flat_map(|(v, es)| {
            es.iter()
                .filter(move |e| (v as u32) < e.to)
                .map(move |e| (e.weight, v as u32, e.to))
        })
        .collect();
    edges.sort_unstable();
    let mut uf = UnionFind::new(g.adj.len());
    let mut total = 0;
    let mut used = 0;
    for (w, a, b) in edges {
        if uf.union(a, b) {
            total += u64::from(w);
            used += 1;
        }
    }
    (total, g.adj.len() - used) // weight, number of components
}

/// Kahn's algorithm on a dependency list; `None` if there is a cycle.
fn topo_order(deps: &[Vec<usize>]) -> Option<Vec<usize>> {
    let n = deps.len();
    let mut indegree = vec![0usize; n];
    let mut users = vec![Vec::new(); n];
    for (v, ds) in deps.iter().enumerate() {
        for &d in ds {
            indegree[v] += 1;
            users[d].push(v);
        }
    }
    let mut ready: VecDeque<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(v) = ready.pop_front() {
        order.push(v);
        for &u in &users[v] {
            indegree[u] -= 1;
            if indegree[u] == 0 {
                ready.push_back(u);
            }
        }
    }
    (order.len() == n).then_some(order)
}

#[unsafe(no_mangle)]
pub extern "C" fn run(n: i32) -> i64 {
    let mut rng = Rng::new(23);
    let mut sum = 0u64;
    for round in 0..n {
        let g = Graph::random(&mut rng, 24, 50);
        let source = rng.below(g.adj.len() as u32) as usize;
        let dist = g.dijkstra(source);
        let reachable = dist.iter().flatten().count();
        let far = dist.iter().flatten().max().copied().unwrap_or(0);
        let total: u64 = dist.iter().flatten().sum();
        sum = mix(sum, reachable as u64);
        sum = mix(sum, far ^ total << 16);

        let levels = g.bfs_levels(source);
        let deepest = levels
            .iter()
            .filter(|&&l| l != u32::MAX)
            .max()
            .copied()
            .unwrap_or(0);
        sum = mix(sum, u64::from(deepest));

        let (weight, components) = kruskal(&g);
        sum = mix(sum, weight ^ (components as u64) << 40);

        // A package graph: each package depends on a few earlier ones; sometimes a cycle.
        let packages = 200;
        let mut deps: Vec<Vec<usize>> = (0..packages)
            .map(|v| {
                let mut set = HashSet::new();
                if v > 0 {
                    for _ in 0..rng.below(4) {
                        set.insert(rng.below(v as u32) as usize);
                    }
                }
                let mut list: Vec<usize> = set.into_iter().collect();
                list.sort_unstable();
                list
            })
            .collect();
        if round % 3 == 0 {
            deps[10].push(packages - 1);
        }
        match topo_order(&deps) {
            Some(order) => {
                let mut position = vec![0; packages];
                for (i, &v) in order.iter().enumerate() {
                    position[v] = i;
                }
                let ok = deps
                    .iter()
                    .enumerate()
                    .all(|(v, ds)| ds.iter().all(|&d| position[d] < position[v]));
                sum = mix(
                    sum,
                    if ok {
                        order[packages / 2] as u64
                    } else {
                        0xbad
                    },
                );
            }
            None => sum = mix(sum, 0xc1c1e),
        }
    }
    sum as i64
}
