//! A JSON document model the way Rust code writes one: an `enum Value` tree with `Vec`
//! and `BTreeMap<String, Value>`, a generator, a serializer (`fmt::Write`, float
//! formatting from core), a byte-level recursive-descent parser returning
//! `Result<Value, ParseError>` (float parsing by `str::parse`), a round-trip equality
//! check and path queries.

mod common;
use common::{Rng, mix};
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Value>),
    Obj(BTreeMap<String, Value>),
}

#[derive(Debug)]
struct ParseError {
    at: usize,
    what: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.what, self.at)
    }
}

impl Value {
    fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Obj(m) => m.get(key),
            _ => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Num(x) => Some(x),
            _ => None,
        }
    }

    fn count(&self) -> usize {
        match self {
            Value::Arr(v) => 1 + v.iter().map(Value::count).sum::<usize>(),
            Value::Obj(m) => 1 + m.values().map(Value::count).sum::<usize>(),
            _ => 1,
        }
    }
}

// ---- serializing ----

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_value(out: &mut String, v: &Value, indent: Option<usize>) {
    let newline = |out: &mut String, depth: usize| {
        if let Some(d) = indent {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', d * depth));
        }
    };
    fn go(out: &mut String, v: &Value, depth: usize, nl: &dyn Fn(&mut String, usize)) {
        match v {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Num(x) => {
                let _ = write!(out, "{x}");
            }
            Value::Str(s) => write_str(out, s),
            Value::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    nl(out, depth + 1);
                    go(out, item, depth + 1, nl);
                }
                if !items.is_empty() {
                    nl(out, depth);
                }
                out.push(']');
            }
            Value::Obj(members) => {
                out.push('{');
                for (i, (k, item)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    nl(out, depth + 1);
                    write_str(out, k);
                    out.push(':');
                    go(out, item, depth + 1, nl);
                }
                if !members.is_empty() {
                    nl(out, depth);
                }
                out.push('}');
            }
        }
    }
    go(out, v, 0, &newline);
}

// ---- parsing ----

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn err<T>(&self, what: &'static str) -> Result<T, ParseError> {
        Err(ParseError { at: self.pos, what })
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, lit: &'static str) -> Result<(), ParseError> {
        if self.bytes[self.pos..].starts_with(lit.as_bytes()) {
            self.pos += lit.len();
            Ok(())
        } else {
            self.err("unexpected word")
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > 100 {
            return self.err("too deep");
        }
        self.skip_ws();
        match self.bytes.get(self.pos) {
            None => self.err("unexpected end"),
            Some(b'n') => self.expect("null").map(|()| Value::Null),
            Some(b't') => self.expect("true").map(|()| Value::Bool(true)),
            Some(b'f') => self.expect("false").map(|()| Value::Bool(false)),
            Some(b'"') => self.string().map(Value::Str),
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.bytes.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    return Ok(Value::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Value::Arr(items));
                        }
                        _ => return self.err("expected , or ]"),
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut members = BTreeMap::new();
                self.skip_ws();
                if self.bytes.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    return Ok(Value::Obj(members));
                }
                loop {
                    self.skip_ws();
                    if self.bytes.get(self.pos) != Some(&b'"') {
                        return self.err("expected a key");
                    }
                    let key = self.string()?;
                    self.skip_ws();
                    if self.bytes.get(self.pos) != Some(&b':') {
                        return self.err("expected :");
                    }
                    self.pos += 1;
                    let v = self.value(depth + 1)?;
                    members.insert(key, v);
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(Value::Obj(members));
                        }
                        _ => return self.err("expected , or }"),
                    }
                }
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.err("unexpected byte"),
        }
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).map_err(|_| ParseError {
            at: start,
            what: "bad number",
        })?;
        text.parse::<f64>().map(Value::Num).map_err(|_| ParseError {
            at: start,
            what: "bad number",
        })
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or(ParseError {
            at: self.pos,
            what: "short escape",
        })?;
        let mut v = 0;
        for &d in digits {
            v = v * 16
                + (d as char).to_digit(16).ok_or(ParseError {
                    at: self.pos,
                    what: "bad hex",
                })?;
        }
        self.pos += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1; // the opening quote
        let mut out = String::new();
        loop {
            // Copy the run of plain bytes in one go.
            let run_start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            let run =
                std::str::from_utf8(&self.bytes[run_start..self.pos]).map_err(|_| ParseError {
                    at: run_start,
                    what: "bad UTF-8",
                })?;
            out.push_str(run);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = self.bytes.get(self.pos).copied();
                    self.pos += 1;
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'n') => out.push('\n'),
                        Some(b't') => out.push('\t'),
                        Some(b'r') => out.push('\r'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'u') => {
                            let cp = self.hex4()?;
                            out.push(char::from_u32(cp).ok_or(ParseError {
                                at: self.pos,
                                what: "bad code point",
                            })?);
                        }
                        _ => return self.err("bad escape"),
                    }
                }
                _ => return self.err("unterminated string"),
            }
        }
    }
}

fn parse(bytes: &[u8]) -> Result<Value, ParseError> {
    let mut p = Parser { bytes, pos: 0 };
    let v = p.value(0)?;
    p.skip_ws();
    if p.pos != p.bytes.len() {
        return p.err("trailing characters");
    }
    Ok(v)
}

// ---- generating ----

const KEYS: &[&str] = &[
    "id",
    "name",
    "tags",
    "price",
    "children",
    "active",
    "meta",
    "score",
    "description",
    "url",
    "owner",
    "count",
    "ratio",
    "created_at",
    "kind",
];
const WORDS: &[&str] = &[
    "alpha",
    "beta",
    "gamma",
    "delta",
    "widget",
    "gadget",
    "north",
    "south",
    "blue",
    "crimson",
    "quiet",
    "rapid",
    "café",
    "naïve",
    "☃",
    "line\nbreak",
    "\"quoted\"",
    "tab\there",
];

fn gen_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth < 4 { 10 } else { 7 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::Num(f64::from(rng.below(100_000)) - 5000.0),
        3 => Value::Num(rng.f64() * 1000.0),
        4 | 5 => {
            let n = 1 + rng.below(5) as usize;
            let words: Vec<&str> = (0..n).map(|_| *rng.pick(WORDS)).collect();
            Value::Str(words.join(" "))
        }
        6 => Value::Num(f64::from(rng.below(1000)) / 8.0),
        7 => Value::Arr(
            (0..rng.below(7))
                .map(|_| gen_value(rng, depth + 1))
                .collect(),
        ),
        _ => Value::Obj(
            (0..2 + rng.below(6))
                .map(|_| (rng.pick(KEYS).to_string(), gen_value(rng, depth + 1)))
                .collect(),
        ),
    }
}

fn gen_document(rng: &mut Rng, items: usize) -> Value {
    let list = (0..items)
        .map(|i| {
            let mut m = BTreeMap::new();
            m.insert("id".to_string(), Value::Num(i as f64));
            m.insert("active".to_string(), Value::Bool(rng.below(3) != 0));
            m.insert(
                "price".to_string(),
                Value::Num(f64::from(rng.below(100_000)) / 100.0),
            );
            m.insert("data".to_string(), gen_value(rng, 1));
            Value::Obj(m)
        })
        .collect();
    let mut root = BTreeMap::new();
    root.insert("items".to_string(), Value::Arr(list));
    root.insert("version".to_string(), Value::Str("1.0".into()));
    Value::Obj(root)
}

fn hash_value(v: &Value, h: u64) -> u64 {
    match v {
        Value::Null => mix(h, 1),
        Value::Bool(b) => mix(h, 2 + u64::from(*b)),
        Value::Num(x) => mix(h, x.to_bits()),
        Value::Str(s) => mix(
            h,
            s.bytes().fold(5, |a, b| a.wrapping_mul(33) ^ u64::from(b)),
        ),
        Value::Arr(items) => items.iter().fold(mix(h, 6), |h, v| hash_value(v, h)),
        Value::Obj(m) => m
            .iter()
            .fold(mix(h, 7), |h, (k, v)| hash_value(v, mix(h, k.len() as u64))),
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn run(n: i32) -> i64 {
    let mut rng = Rng::new(3);
    let mut sum = 0u64;
    for round in 0..n {
        let doc = gen_document(&mut rng, 20);
        let mut compact = String::new();
        write_value(&mut compact, &doc, None);
        let mut pretty = String::new();
        write_value(&mut pretty, &doc, Some(2));
        for text in [&compact, &pretty] {
            match parse(text.as_bytes()) {
                Ok(back) => {
                    if back != doc {
                        sum = mix(sum, 0xbad);
                    }
                    sum = hash_value(&back, sum);
                    sum = mix(sum, back.count() as u64);
                    if let Some(Value::Arr(items)) = back.get("items") {
                        let total: f64 = items
                            .iter()
                            .filter(|it| it.get("active") == Some(&Value::Bool(true)))
                            .filter_map(|it| it.get("price").and_then(Value::as_f64))
                            .sum();
                        sum = mix(sum, total.to_bits());
                    }
                }
                Err(e) => sum = mix(sum, e.to_string().len() as u64),
            }
        }
        // A truncated document must be an error.
        let cut = &compact.as_bytes()[..compact.len() * (round as usize % 7 + 1) / 9];
        match parse(cut) {
            Ok(_) => sum = mix(sum, 0xbad),
            Err(e) => sum = mix(sum, e.at as u64),
        }
        sum = mix(sum, compact.len() as u64 ^ (pretty.len() as u64) << 32);
    }
    sum as i64
}
