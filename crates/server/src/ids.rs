//! Generated identifiers, injected so that tests can make them predictable.

use rand::Rng;
use rand::distr::Alphanumeric;

/// A source of fresh identifiers.
pub trait IdGenerator: Send + Sync + std::fmt::Debug + 'static {
    /// A lowercase UUID v4.
    fn uuid(&self) -> String;
    /// `len` random ASCII letters and digits.
    fn alphanumeric(&self, len: usize) -> String;
    /// `len` random decimal digits.
    fn digits(&self, len: usize) -> String;
}

/// Identifiers from the thread-local CSPRNG.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomIds;

impl IdGenerator for RandomIds {
    fn uuid(&self) -> String {
        // From the thread's CSPRNG rather than `Uuid::new_v4`, which asks the kernel for
        // every identifier (a system call per request for the request id alone).
        uuid::Builder::from_random_bytes(rand::random())
            .into_uuid()
            .to_string()
    }

    fn alphanumeric(&self, len: usize) -> String {
        rand::rng()
            .sample_iter(&Alphanumeric)
            .take(len)
            .map(char::from)
            .collect()
    }

    fn digits(&self, len: usize) -> String {
        let mut rng = rand::rng();
        (0..len)
            .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_identifiers_of_the_asked_shape() {
        let ids = RandomIds;
        let u = ids.uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(u, u.to_lowercase());
        assert_eq!(&u[14..15], "4");
        assert!(
            ids.alphanumeric(9)
                .chars()
                .all(|c| c.is_ascii_alphanumeric())
        );
        assert_eq!(ids.digits(6).len(), 6);
        assert!(ids.digits(6).chars().all(|c| c.is_ascii_digit()));
    }
}
