//! The arguments of a component call, `(role="pm", n=3, roles=["a", "b"])`:
//! strings with escapes, integers, floats, booleans and arrays of them,
//! read into JSON values for the template's context.

use serde_json::{Map, Number, Value};

/// A mistake in a call's arguments: where (byte offset from the start of the
/// text given to [`parse`]), what, and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArgError {
    /// Byte offset of the mistake.
    pub at: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: &'static str,
}

/// The result of reading a call's argument list: the arguments in order and
/// the offset just past the closing `)`.
pub type Parsed = (Map<String, Value>, usize);

const HINT: &str = "write arguments as `name=\"text\"`, `n=3`, `on=true` or `list=[\"a\", \"b\"]`, separated by commas";

/// Read `name=value, …)` from `text` (which starts just after the opening
/// `(`), up to and including the closing `)`.
pub fn parse(text: &str) -> Result<Parsed, ArgError> {
    let mut reader = Reader { text, at: 0 };
    let mut args = Map::new();
    loop {
        reader.skip_space();
        if reader.eat(')') {
            return Ok((args, reader.at));
        }
        let start = reader.at;
        let name = reader
            .identifier()
            .ok_or_else(|| reader.error("expected an argument name"))?;
        if args.contains_key(name) {
            return Err(ArgError {
                at: start,
                message: format!("argument `{name}` is given twice"),
                hint: "keep one of them",
            });
        }
        reader.skip_space();
        if !reader.eat('=') {
            return Err(reader.error(&format!("expected `=` after `{name}`")));
        }
        reader.skip_space();
        let value = reader.value()?;
        args.insert(name.to_string(), value);
        reader.skip_space();
        if reader.eat(',') {
            continue;
        }
        if !reader.peek_is(')') {
            return Err(reader.error("expected `,` or `)`"));
        }
    }
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn error(&self, message: &str) -> ArgError {
        let found = match self.rest().chars().next() {
            Some(c) => format!("{message}, found `{c}`"),
            None => format!("{message}, found the end of the call"),
        };
        ArgError {
            at: self.at,
            message: found,
            hint: HINT,
        }
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn peek_is(&self, c: char) -> bool {
        self.rest().starts_with(c)
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.peek_is(c);
        if found {
            self.at += c.len_utf8();
        }
        found
    }

    fn identifier(&mut self) -> Option<&'a str> {
        let length = identifier_length(self.rest());
        let name = &self.rest()[..length];
        self.at += length;
        (length > 0).then_some(name)
    }

    fn value(&mut self) -> Result<Value, ArgError> {
        match self.rest().chars().next() {
            Some('"') => self.string().map(Value::String),
            Some('[') => self.array(),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            Some(_) if self.rest().starts_with("true") => self.word("true", Value::Bool(true)),
            Some(_) if self.rest().starts_with("false") => self.word("false", Value::Bool(false)),
            _ => Err(ArgError {
                hint: "quote text: `name=\"value\"`; numbers, `true`, `false` and `[…]` lists go as they are",
                ..self.error("expected a value")
            }),
        }
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, ArgError> {
        self.at += word.len();
        match self.rest().chars().next() {
            Some(c) if c.is_alphanumeric() || c == '_' => Err(self.error("expected a value")),
            _ => Ok(value),
        }
    }

    fn string(&mut self) -> Result<String, ArgError> {
        let start = self.at;
        self.at += 1;
        let mut value = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += i + 1;
                    return Ok(value);
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, 't')) => value.push('\t'),
                    Some((_, c @ ('"' | '\\'))) => value.push(c),
                    Some((j, other)) => {
                        return Err(ArgError {
                            at: self.at + j,
                            message: format!("unknown escape `\\{other}` in a string"),
                            hint: "escapes are `\\\"`, `\\\\`, `\\n` and `\\t`",
                        });
                    }
                    None => break,
                },
                other => value.push(other),
            }
        }
        Err(ArgError {
            at: start,
            message: "string is not closed".to_string(),
            hint: "end the text with `\"`; write `\\\"` for a quote inside it",
        })
    }

    fn number(&mut self) -> Result<Value, ArgError> {
        let start = self.at;
        let length = self
            .rest()
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || c == '_' || (i == 0 && c == '-')))
            .map_or(self.rest().len(), |(i, _)| i);
        let written = &self.rest()[..length];
        self.at += length;
        let digits = written.replace('_', "");
        let number = if digits.contains('.') {
            digits.parse::<f64>().ok().and_then(Number::from_f64)
        } else {
            digits.parse::<i64>().ok().map(Number::from)
        };
        number.map(Value::Number).ok_or(ArgError {
            at: start,
            message: format!("`{written}` is not a number"),
            hint: "write whole numbers as `3` and fractions as `0.5`",
        })
    }

    fn array(&mut self) -> Result<Value, ArgError> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.eat(']') {
                return Ok(Value::Array(items));
            }
            items.push(self.value()?);
            self.skip_space();
            if !self.eat(',') && !self.peek_is(']') {
                return Err(self.error("expected `,` or `]` in a list"));
            }
        }
    }
}

/// Length in bytes of the identifier `text` starts with (`[A-Za-z_][A-Za-z0-9_]*`).
pub fn identifier_length(text: &str) -> usize {
    let first_ok = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok {
        return 0;
    }
    text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(text: &str) -> Value {
        Value::Object(parse(text).expect("valid arguments").0)
    }

    #[test]
    fn strings_numbers_booleans_and_lists() {
        assert_eq!(
            args(r#"role="account-manager", n=3, x=-0.5, on=true, off=false, roles=["a", "b"])"#),
            json!({"role": "account-manager", "n": 3, "x": -0.5, "on": true, "off": false, "roles": ["a", "b"]})
        );
        assert_eq!(args(")"), json!({}));
        assert_eq!(args(" a = [ ] , )"), json!({"a": []}));
    }

    #[test]
    fn escapes_and_unicode_in_strings() {
        assert_eq!(
            args(r#"s="Москва \"центр\"\\\n")"#),
            json!({"s": "Москва \"центр\"\\\n"})
        );
    }

    #[test]
    fn the_end_offset_is_past_the_parenthesis() {
        let (_, end) = parse(r#"a="x") }}"#).unwrap();
        assert_eq!(end, 6);
    }

    #[test]
    fn mistakes_are_located() {
        let err = |text: &str| parse(text).unwrap_err();
        assert_eq!(err(r#"a="x" b=1)"#).at, 6);
        assert!(err(r#"a="x" b=1)"#).message.contains("expected `,` or `)`"));
        assert_eq!(err(r#"a="open)"#).message, "string is not closed");
        assert_eq!(err("a=moscow)").at, 2);
        assert_eq!(err("a=1, a=2)").message, "argument `a` is given twice");
        assert_eq!(err("a=1.2.3)").message, "`1.2.3` is not a number");
        assert!(err(r#"a="\q")"#).message.contains("unknown escape"));
        assert!(err("a=[1 2])").message.contains("in a list"));
        assert!(err("a=truex)").message.contains("expected a value"));
        assert!(err("=1)").message.contains("argument name"));
        assert!(err("a=1").message.contains("end of the call"));
    }
}
