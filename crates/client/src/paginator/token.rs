//! botocore's resume tokens: what a pagination cut short by `MaxItems` hands back, and
//! what `StartingToken` accepts (ours, boto3's, or a service token).

use crate::Error;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// A botocore resume token: the service token a page started from, and how many of that
/// page's items were already returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeToken {
    /// The service's `NextToken` of the page to resume in (`None`: the first page).
    pub next_token: Option<String>,
    /// Items of that page already seen.
    pub truncate_amount: Option<usize>,
}

impl ResumeToken {
    /// Encodes as botocore does for AmplifyBackend: base64 of `json.dumps({"NextToken": …,
    /// "boto_truncate_amount": n})`.
    pub fn encode(&self) -> String {
        self.encode_for("NextToken")
    }

    /// Encodes as botocore does for an operation whose input token is `input_token`
    /// (`NextToken`, Amplify's `nextToken`): the token is keyed by that name.
    pub fn encode_for(&self, input_token: &str) -> String {
        let mut json = format!("{{{}: ", python_json_string(input_token));
        match &self.next_token {
            Some(t) => json.push_str(&python_json_string(t)),
            None => json.push_str("null"),
        }
        if let Some(n) = self.truncate_amount {
            json.push_str(&format!(", \"boto_truncate_amount\": {n}"));
        }
        json.push('}');
        STANDARD.encode(json)
    }

    /// Decodes a starting token of AmplifyBackend as botocore does, falling back to its
    /// older `token___index` form and finally to an opaque service token.
    pub fn decode(token: &str) -> Result<ResumeToken, Error> {
        ResumeToken::decode_for(token, "NextToken")
    }

    /// [`ResumeToken::decode`] for an operation whose input token is `input_token`.
    pub fn decode_for(token: &str, input_token: &str) -> Result<ResumeToken, Error> {
        if let Some(parsed) = STANDARD
            .decode(token.trim())
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        {
            let Some(object) = parsed.as_object() else {
                return Err(Error::Pagination {
                    message: format!("Bad starting token: {token}"),
                });
            };
            let next_token = match object.get(input_token) {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(serde_json::Value::Null) | None => None,
                Some(other) => Some(other.to_string()),
            };
            let truncate_amount = match object.get("boto_truncate_amount") {
                None => None,
                Some(v) => {
                    Some(
                        v.as_u64()
                            .map(|n| n as usize)
                            .ok_or_else(|| Error::Pagination {
                                message: format!("Bad starting token: {token}"),
                            })?,
                    )
                }
            };
            return Ok(ResumeToken {
                next_token: next_token.filter(|t| t != "None"),
                truncate_amount,
            });
        }
        let parts: Vec<&str> = token.split("___").collect();
        if let [t, index] = parts.as_slice()
            && let Ok(index) = index.parse::<usize>()
        {
            return Ok(ResumeToken {
                next_token: Some((*t).to_owned()).filter(|t| t != "None"),
                truncate_amount: Some(index),
            });
        }
        Ok(ResumeToken {
            next_token: Some(token.to_owned()).filter(|t| t != "None"),
            truncate_amount: None,
        })
    }
}

/// `json.dumps(s)` of Python: ASCII only, `\uXXXX` escapes.
fn python_json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_tokens_as_botocore() {
        let t = ResumeToken {
            next_token: None,
            truncate_amount: Some(2),
        };
        // base64.b64encode(json.dumps({"NextToken": None, "boto_truncate_amount": 2}).encode())
        assert_eq!(
            t.encode(),
            "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ=="
        );
        assert_eq!(ResumeToken::decode(&t.encode()).ok(), Some(t));
        let t = ResumeToken {
            next_token: Some("abc".into()),
            truncate_amount: None,
        };
        // base64.b64encode(json.dumps({"NextToken": "abc"}).encode())
        assert_eq!(t.encode(), "eyJOZXh0VG9rZW4iOiAiYWJjIn0=");
        // base64.b64encode(json.dumps({"nextToken": "abc"}).encode()): Amplify's key.
        assert_eq!(t.encode_for("nextToken"), "eyJuZXh0VG9rZW4iOiAiYWJjIn0=");
        assert_eq!(
            ResumeToken::decode_for("eyJuZXh0VG9rZW4iOiAiYWJjIn0=", "nextToken").ok(),
            Some(t.clone())
        );
        assert_eq!(ResumeToken::decode(&t.encode()).ok(), Some(t));
    }

    #[test]
    fn decodes_legacy_and_opaque_tokens() {
        let t = ResumeToken::decode("tok___3").ok();
        assert_eq!(
            t.map(|t| (t.next_token, t.truncate_amount)),
            Some((Some("tok".into()), Some(3)))
        );
        let t = ResumeToken::decode("opaque!").ok();
        assert_eq!(t.map(|t| t.next_token), Some(Some("opaque!".into())));
    }
}
