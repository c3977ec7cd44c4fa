//! Suggestions for a mistyped command, chosen and ordered as the AWS CLI chooses them:
//! Python's `difflib.get_close_matches(word, commands, n=3, cutoff=0.8)`, the closest first.

/// The (at most) three candidates closest to `word`, the closest first (ties go to the
/// greater name, as in Python): those with a similarity of at least 0.8 when there are
/// any, as the AWS CLI, else the three best.
pub fn close_matches<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let word: Vec<char> = word.chars().collect();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (ratio(&c.chars().collect::<Vec<_>>(), &word), c))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| b.1.cmp(a.1)));
    let close = scored.iter().take_while(|(score, _)| *score >= 0.8).count();
    if close > 0 {
        scored.truncate(close);
    }
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// `SequenceMatcher(None, a, b).ratio()`: twice the matched characters over the total.
fn ratio(a: &[char], b: &[char]) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    2.0 * matched(a, b) as f64 / total as f64
}

/// The characters of the matching blocks: the longest common run (the earliest in `a`,
/// then in `b`), then recursively the runs left and right of it.
fn matched(a: &[char], b: &[char]) -> usize {
    let (i, j, size) = longest_match(a, b);
    if size == 0 {
        return 0;
    }
    size + matched(&a[..i], &b[..j]) + matched(&a[i + size..], &b[j + size..])
}

fn longest_match(a: &[char], b: &[char]) -> (usize, usize, usize) {
    let (mut best_i, mut best_j, mut best) = (0, 0, 0);
    // run[j + 1]: the length of the common run ending at a[i] and b[j].
    let mut previous = vec![0usize; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![0usize; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            if ca == cb {
                let k = previous[j] + 1;
                current[j + 1] = k;
                if k > best {
                    best = k;
                    best_i = i + 1 - k;
                    best_j = j + 1 - k;
                }
            }
        }
        previous = current;
    }
    (best_i, best_j, best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_command_comes_first() {
        let commands = [
            "clone-backend",
            "create-backend",
            "get-backend",
            "get-backend-api",
            "get-backend-api-models",
            "get-backend-auth",
            "get-backend-job",
            "get-backend-storage",
            "get-token",
        ];
        // What the AWS CLI answers for the same typo.
        assert_eq!(
            close_matches("get-backendd", commands),
            ["get-backend", "get-backend-job", "get-backend-api"]
        );
        assert_eq!(close_matches("get-tokn", commands), ["get-token"]);
        assert_eq!(
            close_matches("clone", commands),
            ["clone-backend", "create-backend", "get-token"]
        );
    }

    #[test]
    fn ratio_is_difflibs() {
        let r = |a: &str, b: &str| {
            ratio(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        // difflib.SequenceMatcher(None, "abcd", "bcde").ratio() == 0.75
        assert_eq!(r("abcd", "bcde"), 0.75);
        // difflib.SequenceMatcher(None, "get-backend-job", "get-backendd").ratio()
        assert!((r("get-backend-job", "get-backendd") - 0.814_814_814_8).abs() < 1e-9);
    }
}
