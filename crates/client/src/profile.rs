//! The shared `~/.aws/config` and `~/.aws/credentials` files.

use crate::env::Env;
use std::collections::HashMap;
use std::path::PathBuf;

/// One profile's settings, keys lowercased.
pub(crate) type Section = HashMap<String, String>;

/// Parses INI text into sections. `[profile x]` (config) and `[x]` (credentials) are both
/// returned under their raw header; comments start with `#` or `;`.
pub(crate) fn parse_ini(text: &str) -> HashMap<String, Section> {
    let mut sections: HashMap<String, Section> = HashMap::new();
    let mut current: Option<String> = None;
    let mut last_key: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(header) = trimmed
            .strip_prefix('[')
            .and_then(|rest| rest.split(']').next())
        {
            let name = header.split_whitespace().collect::<Vec<_>>().join(" ");
            sections.entry(name.clone()).or_default();
            current = Some(name);
            last_key = None;
            continue;
        }
        let Some(section) = current.as_ref().and_then(|c| sections.get_mut(c)) else {
            continue;
        };
        // An indented line continues the previous value (sub-sections such as `s3 =`).
        if line.starts_with([' ', '\t']) && last_key.is_some() {
            continue;
        }
        if let Some((key, value)) = trimmed.split_once('=') {
            let key = key.trim().to_ascii_lowercase();
            let mut value = value.trim().to_owned();
            for marker in [" #", " ;", "\t#", "\t;"] {
                if let Some(i) = value.find(marker) {
                    value.truncate(i);
                }
            }
            section.insert(key.clone(), value.trim().to_owned());
            last_key = Some(key);
        }
    }
    sections
}

/// The merged settings of one profile of both files.
#[derive(Debug, Default, Clone)]
pub(crate) struct Profile {
    /// From the credentials file (wins for credentials).
    pub credentials: Section,
    /// From the config file.
    pub config: Section,
    /// Whether either file has the profile.
    pub found: bool,
}

fn shared_file(env: &dyn Env, var: &str, default: &str) -> Option<PathBuf> {
    match env.var(var) {
        Some(path) => Some(expand_home(env, &path)),
        None => env.home_dir().map(|home| home.join(".aws").join(default)),
    }
}

fn expand_home(env: &dyn Env, path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), env.home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

/// Loads profile `name` from the files `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`
/// name (default `~/.aws/config`, `~/.aws/credentials`).
pub(crate) fn load(env: &dyn Env, name: &str) -> Profile {
    let mut profile = Profile::default();
    if let Some(text) = shared_file(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials")
        .and_then(|p| env.read_file(&p))
    {
        let mut sections = parse_ini(&text);
        if let Some(section) = sections.remove(name) {
            profile.credentials = section;
            profile.found = true;
        }
    }
    if let Some(text) =
        shared_file(env, "AWS_CONFIG_FILE", "config").and_then(|p| env.read_file(&p))
    {
        let mut sections = parse_ini(&text);
        let section = sections.remove(&format!("profile {name}")).or_else(|| {
            if name == "default" {
                sections.remove("default")
            } else {
                None
            }
        });
        if let Some(section) = section {
            profile.config = section;
            profile.found = true;
        }
    }
    profile
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_keys_and_comments() {
        let s = parse_ini(
            "# top\n[default]\nregion = eu-west-1 # comment\n\n[profile  dev ]\n\
             aws_access_key_id=AK\ns3 =\n  max_concurrent_requests = 2\nRegion=us-west-2\n",
        );
        assert_eq!(s["default"]["region"], "eu-west-1");
        assert_eq!(s["profile dev"]["aws_access_key_id"], "AK");
        assert_eq!(s["profile dev"]["region"], "us-west-2");
        assert!(!s["profile dev"].contains_key("max_concurrent_requests"));
    }
}
