//! A tree-walking interpreter for a small scripting language: a lexer, a recursive-descent
//! parser producing a boxed AST (variables resolved to frame slots with a `HashMap`),
//! recursive evaluation with `Result`-based errors, and built-in functions registered as
//! `Box<dyn Builtin>` trait objects (one with its own state, one wrapping a closure).

mod common;
use common::{Rng, mix};
use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Ident(String),
    Punct(&'static str),
    Fn,
    Let,
    If,
    Else,
    While,
    Return,
}

#[derive(Debug)]
enum Error {
    Syntax(usize, String),
    UnknownName(String),
    Arity(String),
    DivByZero,
    Index(i64),
    Depth,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Syntax(at, msg) => write!(f, "syntax error at token {at}: {msg}"),
            Error::UnknownName(n) => write!(f, "unknown name {n}"),
            Error::Arity(n) => write!(f, "wrong number of arguments to {n}"),
            Error::DivByZero => write!(f, "division by zero"),
            Error::Index(i) => write!(f, "index {i} out of range"),
            Error::Depth => write!(f, "recursion too deep"),
        }
    }
}

const PUNCTS: &[&str] = &[
    "==", "!=", "<=", ">=", "&&", "||", "+", "-", "*", "/", "%", "<", ">", "=", "(", ")", "{", "}",
    ",", ";", "!",
];

fn lex(src: &str) -> Result<Vec<Tok>, Error> {
    let bytes = src.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    'outer: while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'#' {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let n = src[start..i]
                .parse()
                .map_err(|_| Error::Syntax(toks.len(), "number too large".into()))?;
            toks.push(Tok::Num(n));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            toks.push(match &src[start..i] {
                "fn" => Tok::Fn,
                "let" => Tok::Let,
                "if" => Tok::If,
                "else" => Tok::Else,
                "while" => Tok::While,
                "return" => Tok::Return,
                word => Tok::Ident(word.to_string()),
            });
            continue;
        }
        for p in PUNCTS {
            if src[i..].starts_with(p) {
                toks.push(Tok::Punct(p));
                i += p.len();
                continue 'outer;
            }
        }
        return Err(Error::Syntax(
            toks.len(),
            format!("unexpected character {:?}", c as char),
        ));
    }
    Ok(toks)
}

#[derive(Debug, Clone, Copy)]
enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

#[derive(Debug)]
enum Expr {
    Num(i64),
    Var(usize),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Call(usize, Vec<Expr>),
    Builtin(usize, Vec<Expr>),
}

#[derive(Debug)]
enum Stmt {
    Let(usize, Expr),
    Assign(usize, Expr),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    While(Expr, Vec<Stmt>),
    Return(Expr),
    Expr(Expr),
}

struct Function {
    name: String,
    params: usize,
    slots: usize,
    body: Vec<Stmt>,
}

/// A function the host provides to scripts.
trait Builtin {
    fn name(&self) -> &str;
    fn arity(&self) -> usize;
    fn call(&mut self, args: &[i64]) -> Result<i64, Error>;
}

struct Abs;
impl Builtin for Abs {
    fn name(&self) -> &str {
        "abs"
    }
    fn arity(&self) -> usize {
        1
    }
    fn call(&mut self, args: &[i64]) -> Result<i64, Error> {
        Ok(args[0].wrapping_abs())
    }
}

/// A growable array the script can use.
#[derive(Default)]
struct Array {
    cells: Vec<i64>,
}
struct ArrayOp {
    name: &'static str,
    arity: usize,
    array: std::rc::Rc<std::cell::RefCell<Array>>,
}
impl Builtin for ArrayOp {
    fn name(&self) -> &str {
        self.name
    }
    fn arity(&self) -> usize {
        self.arity
    }
    fn call(&mut self, args: &[i64]) -> Result<i64, Error> {
        let mut a = self.array.borrow_mut();
        let index = |i: i64, len: usize| {
            usize::try_from(i)
                .ok()
                .filter(|&i| i < len)
                .ok_or(Error::Index(i))
        };
        match self.name {
            "push" => {
                a.cells.push(args[0]);
                Ok(a.cells.len() as i64)
            }
            "get" => Ok(a.cells[index(args[0], a.cells.len())?]),
            "set" => {
                let i = index(args[0], a.cells.len())?;
                a.cells[i] = args[1];
                Ok(args[1])
            }
            "len" => Ok(a.cells.len() as i64),
            _ => {
                a.cells.clear();
                Ok(0)
            }
        }
    }
}

/// Any closure as a builtin.
struct Native<F: FnMut(&[i64]) -> i64> {
    name: &'static str,
    arity: usize,
    f: F,
}
impl<F: FnMut(&[i64]) -> i64> Builtin for Native<F> {
    fn name(&self) -> &str {
        self.name
    }
    fn arity(&self) -> usize {
        self.arity
    }
    fn call(&mut self, args: &[i64]) -> Result<i64, Error> {
        Ok((self.f)(args))
    }
}

struct Parser<'a> {
    toks: &'a [Tok],
    pos: usize,
    fn_names: &'a HashMap<String, (usize, usize)>,
    builtins: &'a [Box<dyn Builtin>],
    locals: HashMap<String, usize>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn err<T>(&self, msg: &str) -> Result<T, Error> {
        Err(Error::Syntax(self.pos, msg.to_string()))
    }

    fn eat(&mut self, p: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Punct(q)) if *q == p) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, p: &str) -> Result<(), Error> {
        if self.eat(p) {
            Ok(())
        } else {
            self.err(&format!("expected {p}"))
        }
    }

    fn ident(&mut self) -> Result<String, Error> {
        match self.peek() {
            Some(Tok::Ident(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => self.err("expected a name"),
        }
    }

    fn block(&mut self) -> Result<Vec<Stmt>, Error> {
        self.expect("{")?;
        let mut stmts = Vec::new();
        while !self.eat("}") {
            stmts.push(self.stmt()?);
        }
        Ok(stmts)
    }

    fn stmt(&mut self) -> Result<Stmt, Error> {
        match self.peek() {
            Some(Tok::Let) => {
                self.pos += 1;
                let name = self.ident()?;
                self.expect("=")?;
                let e = self.expr()?;
                self.expect(";")?;
                let next = self.locals.len();
                let slot = *self.locals.entry(name).or_insert(next);
                Ok(Stmt::Let(slot, e))
            }
            Some(Tok::If) => {
                self.pos += 1;
                self.expect("(")?;
                let cond = self.expr()?;
                self.expect(")")?;
                let then = self.block()?;
                let otherwise = if matches!(self.peek(), Some(Tok::Else)) {
                    self.pos += 1;
                    if matches!(self.peek(), Some(Tok::If)) {
                        vec![self.stmt()?]
                    } else {
                        self.block()?
                    }
                } else {
                    Vec::new()
                };
                Ok(Stmt::If(cond, then, otherwise))
            }
            Some(Tok::While) => {
                self.pos += 1;
                self.expect("(")?;
                let cond = self.expr()?;
                self.expect(")")?;
                Ok(Stmt::While(cond, self.block()?))
            }
            Some(Tok::Return) => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect(";")?;
                Ok(Stmt::Return(e))
            }
            Some(Tok::Ident(name)) if self.toks.get(self.pos + 1) == Some(&Tok::Punct("=")) => {
                let slot = *self
                    .locals
                    .get(name)
                    .ok_or_else(|| Error::UnknownName(name.clone()))?;
                self.pos += 2;
                let e = self.expr()?;
                self.expect(";")?;
                Ok(Stmt::Assign(slot, e))
            }
            _ => {
                let e = self.expr()?;
                self.expect(";")?;
                Ok(Stmt::Expr(e))
            }
        }
    }

    fn expr(&mut self) -> Result<Expr, Error> {
        self.binary(0)
    }

    fn binary(&mut self, min_prec: u8) -> Result<Expr, Error> {
        let mut lhs = self.unary()?;
        loop {
            let (op, prec) = match self.peek() {
                Some(Tok::Punct(p)) => match *p {
                    "||" => (BinOp::Or, 1),
                    "&&" => (BinOp::And, 2),
                    "==" => (BinOp::Eq, 3),
                    "!=" => (BinOp::Ne, 3),
                    "<" => (BinOp::Lt, 4),
                    "<=" => (BinOp::Le, 4),
                    ">" => (BinOp::Gt, 4),
                    ">=" => (BinOp::Ge, 4),
                    "+" => (BinOp::Add, 5),
                    "-" => (BinOp::Sub, 5),
                    "*" => (BinOp::Mul, 6),
                    "/" => (BinOp::Div, 6),
                    "%" => (BinOp::Rem, 6),
                    _ => break,
                },
                _ => break,
            };
            if prec < min_prec {
                break;
            }
            self.pos += 1;
            let rhs = self.binary(prec + 1)?;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Expr, Error> {
        if self.eat("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        match self.peek().cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(Expr::Num(n))
            }
            Some(Tok::Ident(name)) => {
                self.pos += 1;
                if self.eat("(") {
                    let mut args = Vec::new();
                    if !self.eat(")") {
                        loop {
                            args.push(self.expr()?);
                            if self.eat(")") {
                                break;
                            }
                            self.expect(",")?;
                        }
                    }
                    if let Some(&(index, params)) = self.fn_names.get(&name) {
                        if params != args.len() {
                            return Err(Error::Arity(name));
                        }
                        return Ok(Expr::Call(index, args));
                    }
                    let b = self
                        .builtins
                        .iter()
                        .position(|b| b.name() == name)
                        .ok_or_else(|| Error::UnknownName(name.clone()))?;
                    if self.builtins[b].arity() != args.len() {
                        return Err(Error::Arity(name));
                    }
                    return Ok(Expr::Builtin(b, args));
                }
                let slot = *self.locals.get(&name).ok_or(Error::UnknownName(name))?;
                Ok(Expr::Var(slot))
            }
            Some(Tok::Punct("(")) => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect(")")?;
                Ok(e)
            }
            _ => self.err("expected an expression"),
        }
    }
}

/// Two passes: collect function names and arities, then parse each body.
fn compile(src: &str, builtins: &[Box<dyn Builtin>]) -> Result<Vec<Function>, Error> {
    let toks = lex(src)?;
    let mut fn_names = HashMap::new();
    for (i, w) in toks.windows(3).enumerate() {
        if let [Tok::Fn, Tok::Ident(name), Tok::Punct("(")] = w {
            let mut params = 0;
            let mut k = i + 3;
            while let Some(Tok::Ident(_)) = toks.get(k) {
                params += 1;
                k += if toks.get(k + 1) == Some(&Tok::Punct(",")) {
                    2
                } else {
                    1
                };
            }
            let index = fn_names.len();
            fn_names.insert(name.clone(), (index, params));
        }
    }
    let mut funcs: Vec<Option<Function>> = (0..fn_names.len()).map(|_| None).collect();
    let mut p = Parser {
        toks: &toks,
        pos: 0,
        fn_names: &fn_names,
        builtins,
        locals: HashMap::new(),
    };
    while p.pos < toks.len() {
        if p.peek() != Some(&Tok::Fn) {
            return p.err("expected fn");
        }
        p.pos += 1;
        let name = p.ident()?;
        p.expect("(")?;
        p.locals.clear();
        while !p.eat(")") {
            let param = p.ident()?;
            let slot = p.locals.len();
            p.locals.insert(param, slot);
            p.eat(",");
        }
        let params = p.locals.len();
        let body = p.block()?;
        let (index, _) = fn_names[&name];
        funcs[index] = Some(Function {
            name,
            params,
            slots: p.locals.len(),
            body,
        });
    }
    funcs
        .into_iter()
        .map(|f| f.ok_or(Error::Syntax(0, "missing function".into())))
        .collect()
}

enum Flow {
    Next,
    Return(i64),
}

struct Machine<'a> {
    funcs: &'a [Function],
    builtins: &'a mut [Box<dyn Builtin>],
    depth: usize,
    calls: u64,
}

impl Machine<'_> {
    fn call(&mut self, f: usize, args: Vec<i64>) -> Result<i64, Error> {
        if self.depth > 200 {
            return Err(Error::Depth);
        }
        self.depth += 1;
        self.calls += 1;
        let func = &self.funcs[f];
        let mut frame = args;
        frame.resize(func.slots.max(func.params), 0);
        let result = match self.exec_block(&func.body, &mut frame)? {
            Flow::Return(v) => v,
            Flow::Next => 0,
        };
        self.depth -= 1;
        Ok(result)
    }

    fn exec_block(&mut self, stmts: &[Stmt], frame: &mut Vec<i64>) -> Result<Flow, Error> {
        for s in stmts {
            if let Flow::Return(v) = self.exec(s, frame)? {
                return Ok(Flow::Return(v));
            }
        }
        Ok(Flow::Next)
    }

    fn exec(&mut self, s: &Stmt, frame: &mut Vec<i64>) -> Result<Flow, Error> {
        match s {
            Stmt::Let(slot, e) | Stmt::Assign(slot, e) => {
                frame[*slot] = self.eval(e, frame)?;
            }
            Stmt::If(c, a, b) => {
                let branch = if self.eval(c, frame)? != 0 { a } else { b };
                return self.exec_block(branch, frame);
            }
            Stmt::While(c, body) => {
                while self.eval(c, frame)? != 0 {
                    if let Flow::Return(v) = self.exec_block(body, frame)? {
                        return Ok(Flow::Return(v));
                    }
                }
            }
            Stmt::Return(e) => return Ok(Flow::Return(self.eval(e, frame)?)),
            Stmt::Expr(e) => {
                self.eval(e, frame)?;
            }
        }
        Ok(Flow::Next)
    }

    fn eval(&mut self, e: &Expr, frame: &[i64]) -> Result<i64, Error> {
        Ok(match e {
            Expr::Num(n) => *n,
            Expr::Var(slot) => frame[*slot],
            Expr::Not(x) => i64::from(self.eval(x, frame)? == 0),
            Expr::Neg(x) => self.eval(x, frame)?.wrapping_neg(),
            Expr::Bin(BinOp::And, a, b) => {
                i64::from(self.eval(a, frame)? != 0 && self.eval(b, frame)? != 0)
            }
            Expr::Bin(BinOp::Or, a, b) => {
                i64::from(self.eval(a, frame)? != 0 || self.eval(b, frame)? != 0)
            }
            Expr::Bin(op, a, b) => {
                let x = self.eval(a, frame)?;
                let y = self.eval(b, frame)?;
                match op {
                    BinOp::Add => x.wrapping_add(y),
                    BinOp::Sub => x.wrapping_sub(y),
                    BinOp::Mul => x.wrapping_mul(y),
                    BinOp::Div => x.checked_div(y).ok_or(Error::DivByZero)?,
                    BinOp::Rem => x.checked_rem(y).ok_or(Error::DivByZero)?,
                    BinOp::Lt => i64::from(x < y),
                    BinOp::Le => i64::from(x <= y),
                    BinOp::Gt => i64::from(x > y),
                    BinOp::Ge => i64::from(x >= y),
                    BinOp::Eq => i64::from(x == y),
                    BinOp::Ne => i64::from(x != y),
                    BinOp::And | BinOp::Or => unreachable!("handled above"),
                }
            }
            Expr::Call(f, args) => {
                let values = args
                    .iter()
                    .map(|a| self.eval(a, frame))
                    .collect::<Result<Vec<_>, _>>()?;
                self.call(*f, values)?
            }
            Expr::Builtin(b, args) => {
                let mut values = [0i64; 4];
                for (v, a) in values.iter_mut().zip(args) {
                    *v = self.eval(a, frame)?;
                }
                self.builtins[*b].call(&values[..args.len()])?
            }
        })
    }
}

const PROGRAM: &str = r#"
# Scripts as a plug-in host would run them.
fn fib(n) { if (n < 2) { return n; } return fib(n - 1) + fib(n - 2); }
fn gcd(a, b) { while (b != 0) { let t = b; b = a % b; a = t; } return a; }
fn collatz(x) {
    let steps = 0;
    while (x != 1) {
        if (x % 2 == 0) { x = x / 2; } else { x = 3 * x + 1; }
        steps = steps + 1;
    }
    return steps;
}
fn sieve(n) {
    clear();
    let i = 0;
    while (i < n) { push(1); i = i + 1; }
    let count = 0;
    i = 2;
    while (i < n) {
        if (get(i)) {
            count = count + 1;
            let j = i * i;
            while (j < n) { set(j, 0); j = j + i; }
        }
        i = i + 1;
    }
    return count;
}
fn sort_check(n, seed) {
    clear();
    let i = 0;
    while (i < n) { seed = mix(seed, i); push(abs(seed % 1000)); i = i + 1; }
    # insertion sort, in the script
    i = 1;
    while (i < n) {
        let v = get(i);
        let j = i - 1;
        while (j >= 0 && get(j) > v) { set(j + 1, get(j)); j = j - 1; }
        set(j + 1, v);
        i = i + 1;
    }
    return get(0) + get(n / 2) * 1000 + get(n - 1) * 1000000;
}
fn main(k) {
    let s = fib(9 + k % 3);
    let i = 1;
    while (i < 30) {
        s = s + collatz(i + k) + gcd(i * 7, 360 + k);
        i = i + 1;
    }
    s = s * 31 + sieve(300 + k);
    s = s * 31 + sort_check(30, k);
    return s;
}
"#;

#[unsafe(no_mangle)]
pub extern "C" fn run(n: i32) -> i64 {
    let array = std::rc::Rc::new(std::cell::RefCell::new(Array::default()));
    let mut builtins: Vec<Box<dyn Builtin>> = vec![Box::new(Abs)];
    for (name, arity) in [
        ("push", 1),
        ("get", 1),
        ("set", 2),
        ("len", 0),
        ("clear", 0),
    ] {
        builtins.push(Box::new(ArrayOp {
            name,
            arity,
            array: array.clone(),
        }));
    }
    builtins.push(Box::new(Native {
        name: "mix",
        arity: 2,
        f: |a: &[i64]| mix(a[0] as u64, a[1] as u64) as i64,
    }));
    let mut sum = 0u64;
    let mut rng = Rng::new(17);
    for round in 0..n {
        // Scripts are (re)loaded now and then, as a host reloads plug-ins.
        let funcs = match compile(PROGRAM, &builtins) {
            Ok(f) => f,
            Err(e) => return e.to_string().len() as i64,
        };
        let main = funcs.iter().position(|f| f.name == "main").unwrap_or(0);
        let mut m = Machine {
            funcs: &funcs,
            builtins: &mut builtins,
            depth: 0,
            calls: 0,
        };
        match m.call(main, vec![i64::from(round)]) {
            Ok(v) => sum = mix(sum, v as u64),
            Err(e) => sum = mix(sum, e.to_string().len() as u64),
        }
        sum = mix(sum, m.calls);
        // A broken script must fail to compile, with a message.
        let broken = format!(
            "fn f(x) {{ return x {} 1; }}",
            ["+", "*", ")"][rng.below(3) as usize]
        );
        if let Err(e) = compile(&broken, &builtins) {
            sum = mix(sum, e.to_string().len() as u64);
        }
    }
    sum as i64
}
