//! A small model of JavaScript values, with the two properties the oracle's output
//! depends on: objects keep insertion order (an overwrite keeps the key's place) and
//! `undefined` members are dropped by `JSON.stringify`.

use std::fmt::Write as _;

/// A JavaScript value as the generator builds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Js {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Js>),
    Obj(Obj),
}

/// An insertion-ordered object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Obj(pub Vec<(String, Js)>);

impl Obj {
    pub fn new() -> Self {
        Obj(Vec::new())
    }

    /// `o[key] = value`: replaces in place, or appends.
    pub fn set(&mut self, key: &str, value: Js) {
        if let Some(slot) = self.0.iter_mut().find(|(k, _)| k == key) {
            slot.1 = value;
        } else {
            self.0.push((key.to_string(), value));
        }
    }

    /// Appends without looking for an existing key (the caller knows it is new).
    pub fn push(&mut self, key: &str, value: Js) {
        self.0.push((key.to_string(), value));
    }

    pub fn get(&self, key: &str) -> Option<&Js> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Js> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// `{...self, ...other}`.
    pub fn spread(&mut self, other: Obj) {
        for (k, v) in other.0 {
            match self.0.iter_mut().find(|(sk, _)| *sk == k) {
                Some(slot) => slot.1 = v,
                None => self.0.push((k, v)),
            }
        }
    }
}

impl Js {
    pub fn str(s: &str) -> Js {
        Js::Str(s.to_string())
    }

    pub fn strs<S: AsRef<str>>(items: &[S]) -> Js {
        Js::Arr(items.iter().map(|s| Js::str(s.as_ref())).collect())
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Js::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_obj(&self) -> Option<&Obj> {
        match self {
            Js::Obj(o) => Some(o),
            _ => None,
        }
    }

    /// JavaScript truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            Js::Undefined | Js::Null => false,
            Js::Bool(b) => *b,
            Js::Num(n) => *n != 0.0 && !n.is_nan(),
            Js::Str(s) => !s.is_empty(),
            Js::Arr(_) | Js::Obj(_) => true,
        }
    }

    /// `String(value)` for the values a directive argument can hold.
    pub fn to_js_string(&self) -> String {
        match self {
            Js::Undefined => "undefined".into(),
            Js::Null => "null".into(),
            Js::Bool(b) => b.to_string(),
            Js::Num(n) => number(*n),
            Js::Str(s) => s.clone(),
            Js::Arr(a) => a
                .iter()
                .map(|v| match v {
                    Js::Undefined | Js::Null => String::new(),
                    other => other.to_js_string(),
                })
                .collect::<Vec<_>>()
                .join(","),
            Js::Obj(_) => "[object Object]".into(),
        }
    }
}

/// JavaScript's `Number.prototype.toString` for the numbers a schema can spell.
pub fn number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if n == n.trunc() && n.abs() < 1e21 {
        return format!("{n:.0}");
    }
    let s = format!("{n}");
    if n.abs() >= 1e21 || (n != 0.0 && n.abs() < 1e-6) {
        // exponent form, as JavaScript writes it
        let e = format!("{n:e}");
        if let Some((m, x)) = e.split_once('e') {
            let sign = if x.starts_with('-') { "" } else { "+" };
            return format!("{m}e{sign}{x}");
        }
    }
    s
}

pub fn write_value(out: &mut String, v: &Js, indent: usize, depth: usize) {
    match v {
        Js::Undefined | Js::Null => out.push_str("null"),
        Js::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Js::Num(n) => {
            if n.is_finite() {
                out.push_str(&number(*n));
            } else {
                out.push_str("null");
            }
        }
        Js::Str(s) => write_string(out, s),
        Js::Arr(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write_value(out, item, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push(']');
        }
        Js::Obj(obj) => write_object(out, obj, indent, depth),
    }
}

/// `JSON.stringify` of an object sitting `depth` levels deep: `undefined` members are
/// left out.
pub fn write_object(out: &mut String, obj: &Obj, indent: usize, depth: usize) {
    let mut first = true;
    for (k, val) in &obj.0 {
        if matches!(val, Js::Undefined) {
            continue;
        }
        out.push(if first { '{' } else { ',' });
        first = false;
        newline(out, indent, depth + 1);
        write_string(out, k);
        out.push(':');
        if indent > 0 {
            out.push(' ');
        }
        write_value(out, val, indent, depth + 1);
    }
    if first {
        out.push_str("{}");
    } else {
        newline(out, indent, depth);
        out.push('}');
    }
}

fn newline(out: &mut String, indent: usize, depth: usize) {
    if indent > 0 {
        crate::json::newline(out, indent * depth);
    }
}

/// `JSON.stringify` of a string.
pub fn write_string(out: &mut String, s: &str) {
    // names and the like need no escapes: copy them in one go
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.reserve(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            b if b < 0x20 => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// `JSON.stringify(value)` without indentation (used for de-duplication by text).
pub fn compact(v: &Js) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0, 0);
    out
}
