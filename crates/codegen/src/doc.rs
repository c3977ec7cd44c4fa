//! The model's documentation as plain text, and as `///` comments.
//!
//! botocore writes documentation as a small subset of HTML (`<p>`, `<b>`, `<i>`, `<code>`,
//! `<a>`, `<ul><li>`, a few entities). The CLI prints it and rustdoc renders it, so it is
//! converted once, here, at generation time: the generated code holds no HTML and needs no
//! converter at run time. A crate such as html2text would pull a full HTML parser into the
//! build for a handful of tags.

/// Paragraphs of plain text from botocore's HTML, separated by blank lines. Inline tags
/// vanish, `<li>` starts a `- ` line, entities are decoded and whitespace is collapsed.
pub fn to_text(html: &str) -> String {
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        push_words(&mut current, &decode(&rest[..start]));
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            push_words(&mut current, &decode(after));
            rest = "";
            break;
        };
        let tag = after[1..end].trim().to_ascii_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default();
        match name {
            "p" | "ul" | "ol" | "br" | "div" | "note" | "important" | "dl" | "dt" | "dd" => {
                flush(&mut blocks, &mut current);
            }
            "li" => {
                flush(&mut blocks, &mut current);
                current.clear();
                if !tag.starts_with('/') {
                    current.push_str("- ");
                }
            }
            _ => {}
        }
        rest = &after[end + 1..];
    }
    push_words(&mut current, &decode(rest));
    flush(&mut blocks, &mut current);
    // List items stay together; other blocks are paragraphs.
    let mut out = String::new();
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            let both_items = block.starts_with("- ") && blocks[i - 1].starts_with("- ");
            out.push_str(if both_items { "\n" } else { "\n\n" });
        }
        out.push_str(block);
    }
    out
}

/// Appends `text`'s words to `line`, one space between words (also across tags).
fn push_words(line: &mut String, text: &str) {
    if text.starts_with(char::is_whitespace) && !line.is_empty() && !line.ends_with(' ') {
        line.push(' ');
    }
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        line.push_str(word);
        if words.peek().is_some() {
            line.push(' ');
        }
    }
    if text.ends_with(char::is_whitespace) && !line.is_empty() && !line.ends_with(' ') {
        line.push(' ');
    }
}

/// Ends the block in `current`; a bare list dash waits for its item's text
/// (`<li><p>text</p></li>`).
fn flush(blocks: &mut Vec<String>, current: &mut String) {
    let block = current.trim();
    if block == "-" {
        return;
    }
    if !block.is_empty() {
        blocks.push(block.to_string());
    }
    current.clear();
}

/// Decodes the entities botocore uses; an unknown one stays as written.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let entity = after.find(';').map(|end| (&after[1..end], end));
        let decoded = entity.and_then(|(name, end)| {
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` as `///` lines indented by `indent`, wrapped at 92 columns, with the characters
/// rustdoc would read as links, HTML or code blocks escaped.
pub fn comment(text: &str, indent: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if i > 0 {
                out.push_str(indent);
                out.push_str("///\n");
            }
            continue;
        }
        let (first, next) = if let Some(item) = line.strip_prefix("- ") {
            ("- ", ("  ", item))
        } else {
            ("", ("", line))
        };
        let (hang, body) = next;
        let width = 92usize.saturating_sub(indent.len() + 4 + first.len());
        let mut lead = first;
        for wrapped in wrap(&escape(body), width) {
            out.push_str(indent);
            out.push_str("/// ");
            out.push_str(lead);
            out.push_str(&wrapped);
            out.push('\n');
            lead = hang;
        }
    }
    out
}

/// Escapes Markdown's link brackets, HTML angle brackets and backslashes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']' | '<' | '>' | '\\' | '`' | '*' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `text` cut at spaces into lines of at most `width` characters (a longer word stands alone).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_become_blank_line_separated_text() {
        assert_eq!(
            to_text("<p>Creates a backend.</p> <p>Second <b>bold</b> one.</p>"),
            "Creates a backend.\n\nSecond bold one."
        );
    }

    #[test]
    fn inline_tags_vanish_and_keep_word_spacing() {
        assert_eq!(
            to_text("<p>Use <code>appId</code>, see <a href=\"https://x\">the guide</a>.</p>"),
            "Use appId, see the guide."
        );
        assert_eq!(to_text("<p>a<b>b</b> <i>c</i></p>"), "ab c");
    }

    #[test]
    fn list_items_become_dash_lines() {
        assert_eq!(
            to_text("<p>Modes:</p><ul><li><p>ON</p></li><li>OFF &amp; more</li></ul><p>End.</p>"),
            "Modes:\n\n- ON\n- OFF & more\n\nEnd."
        );
    }

    #[test]
    fn entities_are_decoded_and_unknown_ones_kept() {
        assert_eq!(
            to_text("a &lt;b&gt; &quot;c&quot; &#39;d&#x27; &bogus; &"),
            "a <b> \"c\" 'd' &bogus; &"
        );
    }

    #[test]
    fn plain_text_and_unclosed_tags_survive() {
        assert_eq!(to_text("no tags  here\n"), "no tags here");
        assert_eq!(to_text("text <unclosed"), "text <unclosed");
        assert_eq!(to_text(""), "");
    }

    #[test]
    fn comments_wrap_and_escape() {
        let text = format!("{} [link] <tag> a_b", "word ".repeat(30));
        let out = comment(&text, "    ");
        assert!(
            out.lines()
                .all(|l| l.len() <= 92 && l.starts_with("    /// ")),
            "{out}"
        );
        assert_eq!(
            comment("[link] <tag> a_b", ""),
            "/// \\[link\\] \\<tag\\> a\\_b\n"
        );
        assert_eq!(comment("A.\n\nB.", ""), "/// A.\n///\n/// B.\n");
        assert_eq!(
            comment("- one two", ""),
            "/// - one two\n",
            "a list item keeps its dash"
        );
    }
}
