//! Random identifiers drawn from the thread's generator: request ids, fault GUIDs and nonces
//! are made per request, and asking the kernel for each (`Uuid::new_v4`'s `getrandom`) costs a
//! system call every time.

/// A random (version 4) UUID from the thread-local, OS-seeded generator.
pub(crate) fn uuid_v4() -> uuid::Uuid {
    uuid::Builder::from_random_bytes(rand::random()).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_4_and_differ() {
        let (a, b) = (uuid_v4(), uuid_v4());
        assert_eq!(a.get_version_num(), 4);
        assert_eq!(a.get_variant(), uuid::Variant::RFC4122);
        assert_ne!(a, b);
    }
}
