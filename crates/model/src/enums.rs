//! The impls every generated enumeration shares.

/// Implements `Display`, `FromStr`, `From<String>`, `Default`, serde and validation for an
/// enumeration whose `as_str` and `From<&str>` are generated.
#[macro_export]
#[doc(hidden)]
macro_rules! model_enum {
    ($name:ident) => {
        impl From<String> for $name {
            fn from(value: String) -> Self {
                $name::from(value.as_str())
            }
        }

        /// `Unknown("")`: what an absent required member decodes to, as the AWS SDKs
        /// correct it; validation rejects it.
        impl Default for $name {
            fn default() -> Self {
                $name::Unknown(String::new())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok($name::from(s))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value =
                    <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Ok($name::from(value.as_ref()))
            }
        }

        impl $crate::validate::Validate for $name {
            fn validate_at(&self, prefix: &str, out: &mut Vec<$crate::validate::Violation>) {
                if let $name::Unknown(value) = self {
                    out.push($crate::validate::Violation {
                        path: prefix.to_owned(),
                        problem: $crate::validate::Problem::UnknownEnum {
                            value: value.clone(),
                            allowed: $name::VALUES,
                        },
                    });
                }
            }
        }
    };
}
