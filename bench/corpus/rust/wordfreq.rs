//! Text processing with the standard collections: generate prose into a `String`, split
//! it into lowercase words, count them in a `HashMap<String, usize>`, count bigrams with
//! borrowed keys, rank with a sort, build a `BTreeMap` index by word length and a
//! `BTreeSet` of rare words, and produce a report with `format!`.

mod common;
use common::{Rng, mix};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "had",
    "they",
    "you",
    "were",
    "there",
    "one",
    "all",
    "we",
    "can",
    "her",
    "has",
    "been",
    "memory",
    "page",
    "grow",
    "limit",
    "interpreter",
    "bytecode",
    "module",
    "function",
    "table",
    "value",
    "stack",
    "frame",
    "branch",
    "target",
    "instruction",
    "compile",
    "Rust",
    "Wasm",
    "allocation",
    "vector",
    "string",
    "collection",
    "iterator",
    "closure",
    "borrow",
    "lifetime",
];

fn generate(rng: &mut Rng, sentences: usize) -> String {
    let mut text = String::new();
    for _ in 0..sentences {
        let len = 4 + rng.below(14) as usize;
        for i in 0..len {
            let word = *rng.pick(WORDS);
            if i == 0 {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    text.extend(first.to_uppercase());
                    text.push_str(chars.as_str());
                }
            } else {
                text.push(' ');
                if rng.below(40) == 0 {
                    // A made-up word now and then, so that the vocabulary keeps growing.
                    let _ = write!(text, "{word}{}", rng.below(1000));
                } else {
                    text.push_str(word);
                }
            }
            if i + 1 < len && rng.below(12) == 0 {
                text.push(',');
            }
        }
        text.push_str(if rng.below(8) == 0 { "?\n" } else { ". " });
    }
    text
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

#[unsafe(no_mangle)]
pub extern "C" fn run(n: i32) -> i64 {
    let mut rng = Rng::new(11);
    let mut sum = 0u64;
    for round in 0..n {
        let text = generate(&mut rng, 80);

        let mut counts: HashMap<String, usize> = HashMap::new();
        for w in words(&text) {
            *counts.entry(w.to_lowercase()).or_insert(0) += 1;
        }
        let mut bigrams: HashMap<(&str, &str), u32> = HashMap::new();
        let mut prev: Option<&str> = None;
        for w in words(&text) {
            if let Some(p) = prev {
                *bigrams.entry((p, w)).or_default() += 1;
            }
            prev = Some(w);
        }

        let mut ranked: Vec<(&String, &usize)> = counts.iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        for (i, (w, c)) in ranked.iter().take(20).enumerate() {
            sum = mix(sum, (**c as u64) << 8 | i as u64);
            sum = mix(sum, w.len() as u64);
        }

        let mut by_len: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
        for w in counts.keys() {
            by_len.entry(w.len()).or_default().push(w);
        }
        for (len, list) in &mut by_len {
            list.sort_unstable();
            sum = mix(sum, (*len as u64) << 32 | list.len() as u64);
            if let Some(first) = list.first() {
                sum = mix(sum, first.bytes().fold(0u64, |h, b| h * 31 + u64::from(b)));
            }
        }
        let rare: BTreeSet<&str> = counts
            .iter()
            .filter(|(_, c)| **c == 1)
            .map(|(w, _)| w.as_str())
            .collect();
        sum = mix(sum, rare.len() as u64);
        if let Some(w) = rare.iter().nth(rare.len() / 2) {
            sum = mix(sum, w.len() as u64);
        }

        let mut best: Vec<(&(&str, &str), &u32)> =
            bigrams.iter().filter(|(_, c)| **c > 2).collect();
        best.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let mut report = String::new();
        for ((a, b), c) in best.iter().take(10) {
            let _ = writeln!(report, "{a} {b}: {c}");
        }
        let _ = write!(
            report,
            "round {round}: {} words, {} distinct",
            text.len(),
            counts.len()
        );
        sum = mix(sum, report.len() as u64);
        sum = mix(sum, report.bytes().map(u64::from).sum());
    }
    sum as i64
}
