//! Business-logic Rust over a `Vec` of records: structs with `String` and `Vec` fields,
//! `#[derive(Clone, PartialEq, Ord)]`, stable and unstable sorts with closures and
//! `sort_by_key`, `dedup_by_key`, `retain`, `binary_search_by`, iterator chains
//! (`filter`/`map`/`fold`/`zip`/`windows`), grouping into a `BTreeMap`, a `HashMap`
//! index, and records cloned and moved around by value.

mod common;
use common::{Rng, mix};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Tier {
    Free,
    Pro,
    Enterprise,
}

#[derive(Clone, Debug)]
struct Customer {
    id: u32,
    name: String,
    country: &'static str,
    tier: Tier,
    balance_cents: i64,
    orders: Vec<u32>,
    score: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    tier_rank: u8,
    balance: i64,
    id: u32,
}

const COUNTRIES: &[&str] = &["DE", "FR", "US", "JP", "BR", "IN", "NG", "SE", "CA", "AU"];
const SYLLABLES: &[&str] = &[
    "an", "ber", "cor", "dan", "el", "fio", "gra", "hel", "ist", "jon", "ka", "lu",
];

fn make_customer(rng: &mut Rng, id: u32) -> Customer {
    let mut name = String::new();
    for i in 0..2 + rng.below(3) {
        let s = *rng.pick(SYLLABLES);
        if i == 0 {
            name.push_str(&s[..1].to_uppercase());
            name.push_str(&s[1..]);
        } else {
            name.push_str(s);
        }
    }
    let tier = match rng.below(10) {
        0 => Tier::Enterprise,
        1..=3 => Tier::Pro,
        _ => Tier::Free,
    };
    let orders = (0..rng.below(8)).map(|_| rng.below(10_000)).collect();
    Customer {
        id,
        name,
        country: *rng.pick(COUNTRIES),
        tier,
        balance_cents: i64::from(rng.below(2_000_000)) - 500_000,
        orders,
        score: rng.f64() * 100.0,
    }
}

fn key(c: &Customer) -> Key {
    Key {
        tier_rank: 2 - c.tier.clone() as u8,
        balance: -c.balance_cents,
        id: c.id,
    }
}

#[derive(Default, Debug, Clone)]
struct Stats {
    customers: usize,
    balance: i64,
    orders: usize,
    best: Option<(u32, String)>,
}

#[unsafe(no_mangle)]
pub extern "C" fn run(n: i32) -> i64 {
    let mut rng = Rng::new(41);
    let mut sum = 0u64;
    for round in 0..n {
        let mut all: Vec<Customer> = (0..300).map(|i| make_customer(&mut rng, i)).collect();

        // A stable multi-key sort with a closure, then by a derived key.
        let mut by_name = all.clone();
        by_name.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.country.cmp(b.country)));
        sum = mix(sum, u64::from(by_name[by_name.len() / 2].id));
        all.sort_by_key(key);
        sum = mix(
            sum,
            u64::from(all[0].id) << 32 | u64::from(all[all.len() - 1].id),
        );
        all.sort_unstable_by(|a, b| b.score.partial_cmp(&a.score).unwrap_or(Ordering::Equal));
        sum = mix(sum, all[10].score.to_bits());

        // Group by country (BTreeMap, cloned records), summarise per group.
        let mut groups: BTreeMap<&str, Vec<Customer>> = BTreeMap::new();
        for c in &all {
            groups.entry(c.country).or_default().push(c.clone());
        }
        let stats: Vec<(&str, Stats)> = groups
            .iter()
            .map(|(country, members)| {
                let s = members.iter().fold(Stats::default(), |mut s, c| {
                    s.customers += 1;
                    s.balance += c.balance_cents;
                    s.orders += c.orders.len();
                    if s.best.as_ref().is_none_or(|(_, name)| c.name < *name) {
                        s.best = Some((c.id, c.name.clone()));
                    }
                    s
                });
                (*country, s)
            })
            .collect();
        for (country, s) in &stats {
            sum = mix(
                sum,
                country.bytes().map(u64::from).sum::<u64>() ^ s.customers as u64,
            );
            sum = mix(sum, s.balance as u64 ^ (s.orders as u64) << 40);
            if let Some((id, name)) = &s.best {
                sum = mix(sum, u64::from(*id) ^ (name.len() as u64) << 48);
            }
        }

        // An index by name; duplicates merged.
        let mut index: HashMap<String, Vec<u32>> = HashMap::new();
        for c in &all {
            index.entry(c.name.clone()).or_default().push(c.id);
        }
        let mut dupes: Vec<(String, usize)> = index
            .into_iter()
            .filter(|(_, ids)| ids.len() > 1)
            .map(|(name, ids)| (name, ids.len()))
            .collect();
        dupes.sort();
        sum = mix(sum, dupes.len() as u64);
        if let Some((name, count)) = dupes.first() {
            sum = mix(sum, name.len() as u64 ^ (*count as u64) << 8);
        }

        // Orders: flatten, sort, dedup, search.
        let mut order_ids: Vec<u32> = all.iter().flat_map(|c| c.orders.iter().copied()).collect();
        order_ids.sort_unstable();
        order_ids.dedup();
        let hits = (0..100)
            .filter(|_| {
                let probe = rng.below(10_000);
                order_ids.binary_search_by(|x| x.cmp(&probe)).is_ok()
            })
            .count();
        sum = mix(sum, hits as u64 ^ (order_ids.len() as u64) << 20);
        let gaps = order_ids.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
        sum = mix(sum, u64::from(gaps));

        // Keep the solvent paying customers; dedup by tier after a sort.
        all.retain(|c| c.balance_cents > 0 && c.tier != Tier::Free);
        all.sort_by(|a, b| {
            a.tier
                .cmp(&b.tier)
                .then(b.balance_cents.cmp(&a.balance_cents))
        });
        let top: Vec<Customer> = {
            let mut t = all.clone();
            t.dedup_by_key(|c| c.tier.clone());
            t
        };
        for c in &top {
            sum = mix(sum, u64::from(c.id) ^ (c.balance_cents as u64) << 16);
        }
        let total: i64 = all
            .iter()
            .zip(by_name.iter())
            .map(|(a, b)| a.balance_cents.min(b.balance_cents))
            .sum();
        sum = mix(sum, total as u64 ^ round as u64);
    }
    sum as i64
}
