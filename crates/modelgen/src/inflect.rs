//! The word helpers the generator uses: `pluralize` 8.0.0's `plural`, `change-case`
//! 4.1.2's `camelCase` and `constantCase`, and graphql-transformer-common's helpers.

use regex_lite::Regex;
use std::sync::OnceLock;

struct Plural {
    rules: Vec<(Regex, &'static str)>,
    irregular: Vec<(&'static str, &'static str)>,
    uncountable: Vec<&'static str>,
    split1: Regex,
    split2: Regex,
    strip: Regex,
}

const IRREGULAR: &[(&str, &str)] = &[
    ("i", "we"),
    ("me", "us"),
    ("he", "they"),
    ("she", "they"),
    ("them", "them"),
    ("myself", "ourselves"),
    ("yourself", "yourselves"),
    ("itself", "themselves"),
    ("herself", "themselves"),
    ("himself", "themselves"),
    ("themself", "themselves"),
    ("is", "are"),
    ("was", "were"),
    ("has", "have"),
    ("this", "these"),
    ("that", "those"),
    ("echo", "echoes"),
    ("dingo", "dingoes"),
    ("volcano", "volcanoes"),
    ("tornado", "tornadoes"),
    ("torpedo", "torpedoes"),
    ("genus", "genera"),
    ("viscus", "viscera"),
    ("stigma", "stigmata"),
    ("stoma", "stomata"),
    ("dogma", "dogmata"),
    ("lemma", "lemmata"),
    ("schema", "schemata"),
    ("anathema", "anathemata"),
    ("ox", "oxen"),
    ("axe", "axes"),
    ("die", "dice"),
    ("yes", "yeses"),
    ("foot", "feet"),
    ("eave", "eaves"),
    ("goose", "geese"),
    ("tooth", "teeth"),
    ("quiz", "quizzes"),
    ("human", "humans"),
    ("proof", "proofs"),
    ("carve", "carves"),
    ("valve", "valves"),
    ("looey", "looies"),
    ("thief", "thieves"),
    ("groove", "grooves"),
    ("pickaxe", "pickaxes"),
    ("passerby", "passersby"),
];

/// Plural rules in the order `pluralize` adds them (it tries them last to first).
const RULES: &[(&str, &str)] = &[
    (r"s?$", "s"),
    (r"[^\x00-\x7F]$", "$0"),
    (r"([^aeiou]ese)$", "$1"),
    (r"(ax|test)is$", "$1es"),
    (r"(alias|[^aou]us|t[lm]as|gas|ris)$", "$1es"),
    (r"(e[mn]u)s?$", "$1s"),
    (r"([^l]ias|[aeiou]las|[ejzr]as|[iu]am)$", "$1"),
    (
        r"(alumn|syllab|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat)(?:us|i)$",
        "$1i",
    ),
    (r"(alumn|alg|vertebr)(?:a|ae)$", "$1ae"),
    (r"(seraph|cherub)(?:im)?$", "$1im"),
    (r"(her|at|gr)o$", "$1oes"),
    (
        r"(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor)(?:a|um)$",
        "$1a",
    ),
    (
        r"(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat)(?:a|on)$",
        "$1a",
    ),
    (r"sis$", "ses"),
    (r"(?:(kni|wi|li)fe|(ar|l|ea|eo|oa|hoo)f)$", "$1$2ves"),
    (r"([^aeiouy]|qu)y$", "$1ies"),
    (r"([^ch][ieo][ln])ey$", "$1ies"),
    (r"(x|ch|ss|sh|zz)$", "$1es"),
    (r"(matr|cod|mur|sil|vert|ind|append)(?:ix|ex)$", "$1ices"),
    (r"\b((?:tit)?m|l)(?:ice|ouse)$", "$1ice"),
    (r"(pe)(?:rson|ople)$", "$1ople"),
    (r"(child)(?:ren)?$", "$1ren"),
    (r"eaux$", "$0"),
    (r"m[ae]n$", "men"),
    (r"^thou$", "you"),
    // uncountable regexes are added as rules that keep the word
    (r"pok[eé]mon$", "$0"),
    (r"[^aeiou]ese$", "$0"),
    (r"deer$", "$0"),
    (r"fish$", "$0"),
    (r"measles$", "$0"),
    (r"o[iu]s$", "$0"),
    (r"pox$", "$0"),
    (r"sheep$", "$0"),
];

/// The last characters (lower case) a word can end with for each rule in `RULES`
/// to match; `""` for any, `"~"` for a non-ASCII one. Lets most rules be skipped
/// without running the regex.
const LAST_CHARS: &[&str] = &[
    "", "~", "e", "s", "s", "us", "sm", "si", "ae", "hbm", "o", "am", "an", "s", "ef", "y", "y",
    "xhsz", "x", "e", "ne", "dn", "x", "n", "u", "n", "e", "r", "h", "s", "s", "x", "p",
];

const UNCOUNTABLE: &[&str] = &[
    "adulthood",
    "advice",
    "agenda",
    "aid",
    "aircraft",
    "alcohol",
    "ammo",
    "analytics",
    "anime",
    "athletics",
    "audio",
    "bison",
    "blood",
    "bream",
    "buffalo",
    "butter",
    "carp",
    "cash",
    "chassis",
    "chess",
    "clothing",
    "cod",
    "commerce",
    "cooperation",
    "corps",
    "debris",
    "diabetes",
    "digestion",
    "elk",
    "energy",
    "equipment",
    "excretion",
    "expertise",
    "firmware",
    "flounder",
    "fun",
    "gallows",
    "garbage",
    "graffiti",
    "hardware",
    "headquarters",
    "health",
    "herpes",
    "highjinks",
    "homework",
    "housework",
    "information",
    "jeans",
    "justice",
    "kudos",
    "labour",
    "literature",
    "machinery",
    "mackerel",
    "mail",
    "media",
    "mews",
    "moose",
    "music",
    "mud",
    "manga",
    "news",
    "only",
    "personnel",
    "pike",
    "plankton",
    "pliers",
    "police",
    "pollution",
    "premises",
    "rain",
    "research",
    "rice",
    "salmon",
    "scissors",
    "series",
    "sewage",
    "shambles",
    "shrimp",
    "software",
    "species",
    "staff",
    "swine",
    "tennis",
    "traffic",
    "transportation",
    "trout",
    "tuna",
    "wealth",
    "welfare",
    "whiting",
    "wildebeest",
    "wildlife",
    "you",
];

fn tables() -> &'static Plural {
    static TABLES: OnceLock<Plural> = OnceLock::new();
    TABLES.get_or_init(|| {
        let rx = |s: &str| Regex::new(s).unwrap_or_else(|_| unreachable_regex());
        Plural {
            rules: RULES
                .iter()
                .map(|(r, rep)| (rx(&format!("(?i){r}")), *rep))
                .collect(),
            irregular: IRREGULAR.to_vec(),
            uncountable: UNCOUNTABLE.to_vec(),
            split1: rx("([a-z0-9])([A-Z])"),
            split2: rx("([A-Z])([A-Z][a-z])"),
            strip: rx("(?i)[^A-Z0-9]+"),
        }
    })
}

#[allow(clippy::panic)]
fn unreachable_regex() -> Regex {
    // every pattern above is a constant that compiles; this is never reached
    panic!("invalid built-in regex")
}

fn restore_case(word: &str, token: &str) -> String {
    if word == token {
        return token.to_string();
    }
    if word == word.to_lowercase() {
        return token.to_lowercase();
    }
    if word == word.to_uppercase() {
        return token.to_uppercase();
    }
    let first = word.chars().next();
    if let Some(f) = first
        && f.to_uppercase().eq(std::iter::once(f))
    {
        let mut chars = token.chars();
        return match chars.next() {
            Some(c) => c.to_uppercase().collect::<String>() + &chars.as_str().to_lowercase(),
            None => String::new(),
        };
    }
    token.to_lowercase()
}

/// `pluralize.plural(word)`.
pub fn plural(word: &str) -> String {
    let t = tables();
    let token = word.to_lowercase();
    if let Some((_, p)) = t.irregular.iter().find(|(_, p)| *p == token) {
        return restore_case(word, p);
    }
    if let Some((_, p)) = t.irregular.iter().find(|(s, _)| *s == token) {
        return restore_case(word, p);
    }
    if token.is_empty() || t.uncountable.contains(&token.as_str()) {
        return word.to_string();
    }
    let last = word.chars().last().map(|c| c.to_ascii_lowercase());
    for (i, (rx, rep)) in t.rules.iter().enumerate().rev() {
        let ends = LAST_CHARS.get(i).copied().unwrap_or("");
        let possible = match last {
            None => true,
            Some(c) if ends == "~" => !c.is_ascii(),
            Some(c) => ends.is_empty() || ends.contains(c),
        };
        if !possible {
            continue;
        }
        if let Some(caps) = rx.captures(word) {
            let Some(m) = caps.get(0) else { continue };
            let mut result = String::new();
            let bytes = rep.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'$' && i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit() {
                    let idx = (bytes[i + 1] - b'0') as usize;
                    if let Some(g) = caps.get(idx) {
                        result.push_str(g.as_str());
                    }
                    i += 2;
                } else {
                    let ch = rep[i..].chars().next().unwrap_or(' ');
                    result.push(ch);
                    i += ch.len_utf8();
                }
            }
            let restored = if m.as_str().is_empty() {
                let prev = word[..m.start()]
                    .chars()
                    .last()
                    .map(String::from)
                    .unwrap_or_default();
                restore_case(&prev, &result)
            } else {
                restore_case(m.as_str(), &result)
            };
            return format!("{}{}{}", &word[..m.start()], restored, &word[m.end()..]);
        }
    }
    word.to_string()
}

/// change-case's word split (`noCase` without the transform).
fn words(input: &str) -> Vec<String> {
    let t = tables();
    let s = t.split1.replace_all(input, "$1\u{0}$2");
    let s = t.split2.replace_all(&s, "$1\u{0}$2");
    let s = t.strip.replace_all(&s, "\u{0}");
    s.trim_matches('\u{0}')
        .split('\u{0}')
        .map(str::to_string)
        .collect()
}

/// change-case `camelCase`.
pub fn camel_case(input: &str) -> String {
    let mut out = String::new();
    for (i, w) in words(input).iter().enumerate() {
        if i == 0 {
            out.push_str(&w.to_lowercase());
            continue;
        }
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            if first.is_ascii_digit() {
                out.push('_');
            }
            out.extend(first.to_uppercase());
            out.push_str(&chars.as_str().to_lowercase());
        }
    }
    out
}

/// change-case `constantCase`.
pub fn constant_case(input: &str) -> String {
    words(input)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
        .to_uppercase()
}

/// First character upper-cased.
pub fn to_upper(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// First character lower-cased.
pub fn to_lower(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// graphql-transformer-common `graphqlName`.
pub fn graphql_name(val: &str) -> String {
    if val.trim().is_empty() {
        return String::new();
    }
    let start = val
        .char_indices()
        .find(|(_, c)| *c == '_' || c.is_ascii_alphabetic())
        .map(|(i, _)| i)
        .unwrap_or(val.len());
    val[start..]
        .chars()
        .filter(|c| *c == '_' || c.is_ascii_alphanumeric())
        .collect()
}

/// The modelgen plugin's `toCamelCase(words)`.
pub fn to_camel_case(parts: &[&str]) -> String {
    let mut out = String::new();
    for (i, w) in parts.iter().enumerate() {
        if i == 0 {
            out.push_str(&to_lower(w));
        } else {
            out.push_str(&to_upper(w));
        }
    }
    out
}

/// `makeConnectionAttributeName(type, field, otherSidePrimaryKeyComponentField)`.
pub fn connection_attribute_name(ty: &str, field: &str, key: &str) -> String {
    if field.is_empty() {
        to_camel_case(&[ty, key])
    } else {
        to_camel_case(&[ty, field, key])
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        for (s, p) in [
            ("Post", "Posts"),
            ("PostTags", "PostTags"),
            ("Category", "Categories"),
            ("Person", "People"),
            ("Box", "Boxes"),
            ("Fish", "Fish"),
            ("Status", "Statuses"),
            ("Media", "Media"),
            ("Leaf", "Leaves"),
            ("Child", "Children"),
            ("Datum", "Data"),
            ("Quiz", "Quizzes"),
            ("Index", "Indices"),
            ("Mouse", "Mice"),
            ("TODO", "TODOS"),
            ("Pokémon", "Pokémon"),
            ("Reindeer", "Reindeer"),
            ("Thou", "You"),
            ("Menu", "Menus"),
            ("Criterion", "Criteria"),
            ("Knife", "Knives"),
            ("Wolf", "Wolves"),
        ] {
            assert_eq!(plural(s), p, "{s}");
        }
    }

    #[test]
    fn cases() {
        assert_eq!(camel_case("PostTag"), "postTag");
        assert_eq!(camel_case("HTTPServer"), "httpServer");
        assert_eq!(camel_case("Model_2"), "model_2");
        assert_eq!(constant_case("fooBar"), "FOO_BAR");
        assert_eq!(constant_case("FOO_BAR"), "FOO_BAR");
        assert_eq!(graphql_name("12ab-c_d"), "abc_d");
        assert_eq!(graphql_name("Post tags"), "Posttags");
    }
}
