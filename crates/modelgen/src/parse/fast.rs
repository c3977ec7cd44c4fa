//! The fast front end: a hand-written reader that turns valid schemas of the usual
//! shapes straight into definitions, with no syntax tree in between.
//!
//! It reads a strict subset of what apollo-parser reads without errors, and builds
//! the same definitions from it (names, argument values and byte positions: a
//! definition, field or argument starts at its description, a directive at its `@`).
//! On anything else it gives up (`None`) and the apollo front end reads the text: any
//! syntax error, strings with escapes, block strings used as values or holding a
//! backslash, variables, executable and directive definitions, descriptions on
//! schema definitions or extensions, empty argument or field lists, schema
//! definitions without `{ ... }`, characters outside the SDL's ASCII vocabulary (other
//! than in strings and comments), and nesting deeper than [`MAX_DEPTH`].

use super::{Def, Root, directive, parse_num};
use crate::ir::{Directive, FieldDef, Kind, Pos, TypeDef, TypeRef};
use crate::js::{Js, Obj};

/// Nesting of list types and values past which the reader gives up (apollo's own
/// limit, 200, is thus never reached on this path).
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Name,
    /// an Int or a Float
    Number,
    /// `"..."` without escapes
    Str,
    /// `"""..."""` without backslashes
    Block,
    Punct(u8),
    Eof,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Tok,
    start: usize,
    end: usize,
    /// whether a comma came between the previous token and this one (apollo looks
    /// past a description or `extend` to the next token, past whitespace and
    /// comments but not commas)
    after_comma: bool,
}

/// `None` everywhere below means "give up".
struct Reader<'a> {
    text: &'a str,
    /// where lexing resumes (just past `tok`)
    at: usize,
    tok: Token,
    depth: usize,
}

/// The document's definitions, or `None` when the apollo front end must read it.
pub fn definitions(text: &str) -> Option<Vec<Def>> {
    let mut r = Reader {
        text,
        at: 0,
        tok: Token {
            kind: Tok::Eof,
            start: 0,
            end: 0,
            after_comma: false,
        },
        depth: 0,
    };
    r.tok = r.lex()?;
    // an empty document is a syntax error
    if r.tok.kind == Tok::Eof {
        return None;
    }
    let mut defs = Vec::new();
    while r.tok.kind != Tok::Eof {
        r.definition(&mut defs)?;
    }
    Some(defs)
}

fn is_name_byte(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphanumeric()
}

/// The end of the number starting at `i`, as GraphQL spells Int and Float.
fn number_end(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return None;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    // `01`, `1x`, `1.2.3`: lexical errors
    if b.get(i).is_some_and(|&c| c == b'.' || is_name_byte(c)) {
        return None;
    }
    Some(i)
}

impl<'a> Reader<'a> {
    /// The next token after whitespace, commas and comments.
    fn lex(&mut self) -> Option<Token> {
        let b = self.text.as_bytes();
        let mut i = self.at;
        let mut after_comma = false;
        loop {
            match b.get(i) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => i += 1,
                Some(b',') => {
                    after_comma = true;
                    i += 1;
                }
                Some(b'#') => {
                    while b.get(i).is_some_and(|&c| c != b'\n' && c != b'\r') {
                        i += 1;
                    }
                }
                _ => break,
            }
        }
        let start = i;
        let kind = match b.get(i) {
            None => Tok::Eof,
            Some(&c) if c == b'_' || c.is_ascii_alphabetic() => {
                i += 1;
                while b.get(i).is_some_and(|&c| is_name_byte(c)) {
                    i += 1;
                }
                Tok::Name
            }
            Some(b'-' | b'0'..=b'9') => {
                i = number_end(b, i)?;
                Tok::Number
            }
            Some(b'"') if b[i..].starts_with(b"\"\"\"") => {
                let body = i + 3;
                let len = b[body..].windows(3).position(|w| w == b"\"\"\"")?;
                if b[body..body + len].contains(&b'\\') {
                    return None;
                }
                i = body + len + 3;
                Tok::Block
            }
            Some(b'"') => {
                i += 1;
                loop {
                    match b.get(i)? {
                        b'"' => break,
                        b'\\' | b'\n' | b'\r' => return None,
                        _ => i += 1,
                    }
                }
                i += 1;
                Tok::Str
            }
            Some(
                &c @ (b'{' | b'}' | b'(' | b')' | b'[' | b']' | b':' | b'!' | b'@' | b'=' | b'|'
                | b'&'),
            ) => {
                i += 1;
                Tok::Punct(c)
            }
            Some(_) => return None,
        };
        self.at = i;
        Some(Token {
            kind,
            start,
            end: i,
            after_comma,
        })
    }

    fn bump(&mut self) -> Option<Token> {
        let t = self.tok;
        self.tok = self.lex()?;
        Some(t)
    }

    fn text_of(&self, t: Token) -> &'a str {
        &self.text[t.start..t.end]
    }

    fn at(&self, c: u8) -> bool {
        self.tok.kind == Tok::Punct(c)
    }

    fn at_word(&self, word: &str) -> bool {
        self.tok.kind == Tok::Name && self.text_of(self.tok) == word
    }

    /// Consumes `c` if it is next.
    fn eat(&mut self, c: u8) -> Option<bool> {
        if self.at(c) {
            self.bump()?;
            Some(true)
        } else {
            Some(false)
        }
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        self.eat(c)?.then_some(())
    }

    fn name(&mut self) -> Option<&'a str> {
        if self.tok.kind != Tok::Name {
            return None;
        }
        let t = self.bump()?;
        Some(self.text_of(t))
    }

    /// Skips a description if one is next.
    fn description(&mut self) -> Option<()> {
        if matches!(self.tok.kind, Tok::Str | Tok::Block) {
            self.bump()?;
        }
        Some(())
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn definition(&mut self, defs: &mut Vec<Def>) -> Option<()> {
        let pos = self.tok.start;
        let described = matches!(self.tok.kind, Tok::Str | Tok::Block);
        self.description()?;
        if self.tok.kind != Tok::Name || (described && self.tok.after_comma) {
            return None;
        }
        let extend = match self.text_of(self.tok) {
            "extend" if !described => {
                self.bump()?;
                true
            }
            _ => false,
        };
        if self.tok.kind != Tok::Name || (extend && self.tok.after_comma) {
            return None;
        }
        let kind = match self.text_of(self.tok) {
            "type" => Kind::Object,
            "interface" => Kind::Interface,
            "input" => Kind::Input,
            "enum" => Kind::Enum,
            "union" => Kind::Union,
            "scalar" => Kind::Scalar,
            // a schema extension reads as a definition does
            "schema" if !described => return self.schema(defs),
            _ => return None,
        };
        self.bump()?;
        let t = self.type_definition(kind, pos, extend)?;
        defs.push(Def::Type(t));
        Some(())
    }

    /// A type definition or extension after its keyword.
    fn type_definition(&mut self, kind: Kind, pos: Pos, extend: bool) -> Option<TypeDef> {
        let mut t = TypeDef {
            kind,
            name: self.name()?.to_string(),
            pos,
            directives: Vec::new(),
            fields: Vec::new(),
            interfaces: Vec::new(),
            values: Vec::new(),
            members: Vec::new(),
        };
        // an extension must add something
        let mut adds = false;
        if matches!(kind, Kind::Object | Kind::Interface) && self.at_word("implements") {
            adds = true;
            self.bump()?;
            self.eat(b'&')?;
            loop {
                t.interfaces.push(self.named_type()?);
                if !self.eat(b'&')? {
                    break;
                }
            }
        }
        if self.at(b'@') {
            adds = true;
            t.directives = self.directives()?;
        }
        match kind {
            Kind::Object | Kind::Interface if self.eat(b'{')? => {
                adds = true;
                loop {
                    t.fields.push(self.field()?);
                    if self.eat(b'}')? {
                        break;
                    }
                }
            }
            Kind::Input if self.eat(b'{')? => {
                adds = true;
                loop {
                    t.fields.push(self.input_value()?);
                    if self.eat(b'}')? {
                        break;
                    }
                }
            }
            Kind::Enum if self.eat(b'{')? => {
                adds = true;
                loop {
                    t.values.push(self.enum_value()?);
                    if self.eat(b'}')? {
                        break;
                    }
                }
            }
            Kind::Union if self.eat(b'=')? => {
                adds = true;
                self.eat(b'|')?;
                loop {
                    t.members.push(self.named_type()?);
                    if !self.eat(b'|')? {
                        break;
                    }
                }
            }
            _ => {}
        }
        (adds || !extend).then_some(t)
    }

    /// `schema { query: Q ... }` or its extension, at `schema`.
    fn schema(&mut self, defs: &mut Vec<Def>) -> Option<()> {
        self.bump()?;
        if self.at(b'@') {
            self.directives()?;
        }
        self.expect(b'{')?;
        loop {
            let root = match self.name()? {
                "query" => Root::Query,
                "mutation" => Root::Mutation,
                "subscription" => Root::Subscription,
                _ => return None,
            };
            self.expect(b':')?;
            let name = self.name()?;
            defs.push(Def::Root(root, name.to_string()));
            if self.eat(b'}')? {
                return Some(());
            }
        }
    }

    fn named_type(&mut self) -> Option<(String, Pos)> {
        let pos = self.tok.start;
        Some((self.name()?.to_string(), pos))
    }

    fn enum_value(&mut self) -> Option<String> {
        self.description()?;
        let name = self.name()?;
        if matches!(name, "true" | "false" | "null") {
            return None;
        }
        if self.at(b'@') {
            self.directives()?;
        }
        Some(name.to_string())
    }

    fn field(&mut self) -> Option<FieldDef> {
        let pos = self.tok.start;
        self.description()?;
        let name = self.name()?.to_string();
        let mut args = Vec::new();
        if self.eat(b'(')? {
            loop {
                args.push(self.input_value()?);
                if self.eat(b')')? {
                    break;
                }
            }
        }
        self.expect(b':')?;
        let ty = self.ty()?;
        let directives = if self.at(b'@') {
            self.directives()?
        } else {
            Vec::new()
        };
        Some(FieldDef {
            name,
            ty,
            directives,
            args,
            pos,
        })
    }

    /// An argument or input field definition (a default value is read and dropped).
    fn input_value(&mut self) -> Option<FieldDef> {
        let pos = self.tok.start;
        self.description()?;
        let name = self.name()?.to_string();
        self.expect(b':')?;
        let ty = self.ty()?;
        if self.eat(b'=')? {
            self.value()?;
        }
        let directives = if self.at(b'@') {
            self.directives()?
        } else {
            Vec::new()
        };
        Some(FieldDef {
            name,
            ty,
            directives,
            args: Vec::new(),
            pos,
        })
    }

    fn ty(&mut self) -> Option<TypeRef> {
        let inner = if self.eat(b'[')? {
            self.enter()?;
            let item = self.ty()?;
            self.depth -= 1;
            self.expect(b']')?;
            TypeRef::List(Box::new(item))
        } else {
            TypeRef::Named(self.name()?.to_string())
        };
        Some(if self.eat(b'!')? {
            TypeRef::NonNull(Box::new(inner))
        } else {
            inner
        })
    }

    fn directives(&mut self) -> Option<Vec<Directive>> {
        let mut out = Vec::new();
        while self.at(b'@') {
            let pos = self.tok.start;
            self.bump()?;
            let name = self.name()?.to_string();
            let mut args = Obj::new();
            if self.eat(b'(')? {
                loop {
                    let key = self.name()?;
                    self.expect(b':')?;
                    let value = self.value()?;
                    args.set(key, value);
                    if self.eat(b')')? {
                        break;
                    }
                }
            }
            out.push(directive(name, args, pos));
        }
        Some(out)
    }

    /// A constant value, as graphql-js' `valueFromASTUntyped` gives it.
    fn value(&mut self) -> Option<Js> {
        let t = self.tok;
        let value = match t.kind {
            Tok::Number => {
                self.bump()?;
                Js::Num(parse_num(self.text_of(t)))
            }
            Tok::Str => {
                self.bump()?;
                Js::Str(self.text[t.start + 1..t.end - 1].to_string())
            }
            Tok::Name => {
                self.bump()?;
                match self.text_of(t) {
                    "true" => Js::Bool(true),
                    "false" => Js::Bool(false),
                    "null" => Js::Null,
                    other => Js::Str(other.to_string()),
                }
            }
            Tok::Punct(b'[') => {
                self.bump()?;
                self.enter()?;
                let mut items = Vec::new();
                while !self.eat(b']')? {
                    items.push(self.value()?);
                }
                self.depth -= 1;
                Js::Arr(items)
            }
            Tok::Punct(b'{') => {
                self.bump()?;
                self.enter()?;
                let mut o = Obj::new();
                while !self.eat(b'}')? {
                    let key = self.name()?;
                    self.expect(b':')?;
                    let v = self.value()?;
                    o.set(key, v);
                }
                self.depth -= 1;
                Js::Obj(o)
            }
            _ => return None,
        };
        Some(value)
    }
}
