//! Rust names for model names.

/// `AppId` → `app_id`, `MFAMode` → `mfa_mode`, `OpenIDAuthTTL` → `open_id_auth_ttl`,
/// `RedirectSignInURIs` → `redirect_sign_in_uris`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next = chars.get(i + 1).copied();
            let plural_acronym = next == Some('s')
                && chars.get(i + 2).is_none_or(|c| c.is_ascii_uppercase())
                && prev.is_ascii_uppercase();
            let starts_word = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase()
                    && next.is_some_and(|n| n.is_ascii_lowercase())
                    && !plural_acronym);
            if starts_word && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    match out.as_str() {
        "type" | "match" | "ref" | "self" | "mod" | "use" | "fn" => format!("r#{out}"),
        _ => out,
    }
}

/// `USER_POOL_ONLY` → `UserPoolOnly`, `ON` → `On`.
pub fn enum_variant(value: &str) -> String {
    value
        .split(['_', '-', ' '])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut cs = p.chars();
            match cs.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + &cs.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect()
}

/// `CreateBackendAPI` → `create-backend-api`, as the AWS CLI names commands.
pub fn kebab_case(name: &str) -> String {
    snake_case(name).replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_cases_model_names() {
        assert_eq!(snake_case("AppId"), "app_id");
        assert_eq!(snake_case("MFAMode"), "mfa_mode");
        assert_eq!(snake_case("OpenIDAuthTTL"), "open_id_auth_ttl");
        assert_eq!(snake_case("OpenIDIssueURL"), "open_id_issue_url");
        assert_eq!(snake_case("RedirectSignInURIs"), "redirect_sign_in_uris");
        assert_eq!(snake_case("CreateBackendAPI"), "create_backend_api");
        assert_eq!(
            snake_case("GenerateBackendAPIModels"),
            "generate_backend_api_models"
        );
        assert_eq!(snake_case("ListS3Buckets"), "list_s3_buckets");
        assert_eq!(snake_case("Ttl"), "ttl");
    }

    #[test]
    fn names_enum_variants() {
        assert_eq!(enum_variant("USER_POOL_ONLY"), "UserPoolOnly");
        assert_eq!(enum_variant("ON"), "On");
        assert_eq!(
            enum_variant("AWS_COGNITO_SIGNIN_USER_ADMIN"),
            "AwsCognitoSigninUserAdmin"
        );
    }

    #[test]
    fn kebab_cases_commands() {
        assert_eq!(kebab_case("CreateBackendAPI"), "create-backend-api");
        assert_eq!(kebab_case("ListS3Buckets"), "list-s3-buckets");
    }
}
