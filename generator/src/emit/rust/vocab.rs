//! The shared vocabulary as generated code spells it: `Format::DateTimeUtc`, `Method::Post`,
//! `Retry::IdempotencyKey`, ... Each word's variant name comes from its spelling (`date-time-utc`
//! → `DateTimeUtc`), so no word list is written out a second time here.

use altinn_bridge_vocab::{BodyKind, Spelled, StatusMatch};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

/// `Type::Variant` for a word of the list `ty` (`Format`, `Method`, `Kind`, `ParamIn`, `Retry`).
pub fn word(ty: &str, w: &impl Spelled) -> TokenStream {
    let ty = Ident::new(ty, Span::call_site());
    let variant = Ident::new(&variant(w.spelling()), Span::call_site());
    quote!(#ty::#variant)
}

/// The variant name of a spelling: its words in upper camel case.
fn variant(spelling: &str) -> String {
    heck::ToUpperCamelCase::to_upper_camel_case(spelling.to_ascii_lowercase().as_str())
}

/// A body kind; a raw body keeps its media type.
pub fn body_kind(b: &BodyKind<String>) -> TokenStream {
    match b {
        BodyKind::None => quote!(BodyKind::None),
        BodyKind::Json => quote!(BodyKind::Json),
        BodyKind::Multipart => quote!(BodyKind::Multipart),
        BodyKind::Bytes(m) => quote!(BodyKind::Bytes(#m)),
    }
}

/// A fault rule's status match.
pub fn status(s: StatusMatch) -> TokenStream {
    match s {
        StatusMatch::Exact(n) => {
            let n = Literal::u16_unsuffixed(n);
            quote!(StatusMatch::Exact(#n))
        }
        StatusMatch::Class(c) => {
            let c = Literal::u8_unsuffixed(c);
            quote!(StatusMatch::Class(#c))
        }
        StatusMatch::Default => quote!(StatusMatch::Default),
        StatusMatch::Timeout => quote!(StatusMatch::Timeout),
    }
}

#[cfg(test)]
mod tests {
    use altinn_bridge_vocab::{Format, Kind, Method, ParamIn, Retry};

    /// Every word's derived variant name is the enum's own (its `Debug` name).
    #[test]
    fn variant_names_come_from_spellings() {
        fn all<T: super::Spelled + std::fmt::Debug>(words: &[T]) {
            for w in words {
                assert_eq!(super::variant(w.spelling()), format!("{w:?}"));
            }
        }
        all(Format::ALL);
        all(Method::ALL);
        all(Kind::ALL);
        all(ParamIn::ALL);
        all(Retry::ALL);
    }
}
