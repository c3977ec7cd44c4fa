//! JSON text written straight into the output, laid out as `JSON.stringify(value,
//! null, 4)` lays it out. The documents run to megabytes for large schemas: building
//! a value tree for them and serialising it afterwards cost more than everything
//! else the generator does, so only directive arguments and root operations (small,
//! and read back by the checks) still go through [`Js`].

use crate::js::{Js, Obj, write_object, write_string, write_value};

/// Spaces per level, as the generator passes to `JSON.stringify`.
pub const INDENT: usize = 4;

/// A pretty-printing JSON writer over a `String`.
#[derive(Debug, Default)]
pub struct Json {
    out: String,
    /// One entry per open object or array: whether it has a member yet.
    open: Vec<bool>,
}

impl Json {
    pub fn with_capacity(capacity: usize) -> Json {
        Json {
            out: String::with_capacity(capacity),
            open: Vec::with_capacity(8),
        }
    }

    /// The text written so far.
    pub fn text(&self) -> &str {
        &self.out
    }

    /// Appends text that is already JSON laid out for the current depth.
    pub fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    pub fn into_string(self) -> String {
        self.out
    }

    /// How many objects and arrays are open.
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    fn newline(&mut self, depth: usize) {
        newline(&mut self.out, depth * INDENT);
    }

    /// The comma (after the first member) and line break before a member.
    fn separate(&mut self) {
        if let Some(has_members) = self.open.last_mut() {
            if *has_members {
                self.out.push(',');
            }
            *has_members = true;
        }
        self.newline(self.open.len());
    }

    fn close(&mut self, bracket: char) {
        if self.open.pop() == Some(true) {
            self.newline(self.open.len());
        }
        self.out.push(bracket);
    }

    pub fn begin_object(&mut self) -> &mut Json {
        self.out.push('{');
        self.open.push(false);
        self
    }

    pub fn end_object(&mut self) {
        self.close('}');
    }

    pub fn begin_array(&mut self) -> &mut Json {
        self.out.push('[');
        self.open.push(false);
        self
    }

    pub fn end_array(&mut self) {
        self.close(']');
    }

    /// Starts an object member; its value is written next.
    pub fn key(&mut self, key: &str) -> &mut Json {
        self.separate();
        write_string(&mut self.out, key);
        self.out.push_str(": ");
        self
    }

    /// Starts an array element; its value is written next.
    pub fn item(&mut self) -> &mut Json {
        self.separate();
        self
    }

    pub fn str(&mut self, s: &str) {
        write_string(&mut self.out, s);
    }

    pub fn bool(&mut self, b: bool) {
        self.out.push_str(if b { "true" } else { "false" });
    }

    /// A value built as [`Js`] (`undefined` members inside it are dropped).
    pub fn value(&mut self, v: &Js) {
        write_value(&mut self.out, v, INDENT, self.open.len());
    }

    /// An object built as [`Obj`].
    pub fn object(&mut self, o: &Obj) {
        write_object(&mut self.out, o, INDENT, self.open.len());
    }

    /// `"key": value`, left out when the value is `undefined` (as `JSON.stringify`
    /// leaves out such members).
    pub fn member(&mut self, key: &str, v: &Js) {
        if !matches!(v, Js::Undefined) {
            self.key(key).value(v);
        }
    }

    /// `"key": value` for a boolean.
    pub fn bool_member(&mut self, key: &str, b: bool) {
        self.key(key).bool(b);
    }

    /// `"key": "value"`.
    pub fn str_member(&mut self, key: &str, s: &str) {
        self.key(key).str(s);
    }

    /// An array of strings.
    pub fn strs<S: AsRef<str>>(&mut self, items: &[S]) {
        self.begin_array();
        for s in items {
            self.item().str(s.as_ref());
        }
        self.end_array();
    }

    /// `{"tag": "name"}`, the form type references to enums, models, ... take.
    pub fn tagged(&mut self, tag: &str, name: &str) {
        self.begin_object().str_member(tag, name);
        self.end_object();
    }
}

/// A line break and `spaces` of indentation.
pub fn newline(out: &mut String, spaces: usize) {
    const LINE: &str = "\n                                                                ";
    if let Some(line) = LINE.get(..1 + spaces) {
        out.push_str(line);
        return;
    }
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', spaces));
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn lays_out_as_json_stringify() {
        let mut w = Json::default();
        w.begin_object();
        w.key("a").begin_array();
        w.item().str("x");
        w.item().bool(true);
        w.end_array();
        w.key("empty").begin_object().end_object();
        w.key("none").begin_array().end_array();
        let mut o = Obj::new();
        o.push("u", Js::Undefined);
        o.push("n", Js::Num(1.5));
        w.member("js", &Js::Obj(o));
        w.member("skipped", &Js::Undefined);
        w.end_object();
        assert_eq!(
            w.into_string(),
            "{\n    \"a\": [\n        \"x\",\n        true\n    ],\n    \"empty\": {},\n    \"none\": [],\n    \"js\": {\n        \"n\": 1.5\n    }\n}"
        );
    }
}
