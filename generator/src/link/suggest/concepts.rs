//! Altinn 2 concepts and the Altinn 3 concepts that took their place, as general facts of the
//! platform (not of one API): form tasks, archived form sets, download-queue items and
//! pre-filled forms are app *instances*; forms and attachments are an instance's *data*
//! elements; pushed batches are replaced by *event subscriptions*. A match through a concept
//! counts less than a direct one.

/// (Altinn 2 word, [(Altinn 3 word, discount)]).
const CONCEPTS: &[(&str, &[(&str, f64)])] = &[
    ("task", &[("instance", 0.7)]),
    ("queue", &[("instance", 0.6)]),
    ("item", &[("instance", 0.6)]),
    ("archive", &[("instance", 0.6)]),
    ("receipt", &[("instance", 0.5)]),
    ("prefill", &[("instance", 0.7), ("data", 0.5)]),
    ("form", &[("data", 0.7), ("instance", 0.5)]),
    ("attachment", &[("data", 0.5)]),
    ("batch", &[("subscription", 0.6)]),
    // An operation Altinn 2 called on the service owner's side ("receive ...") is replaced by the
    // service owner subscribing to Altinn 3 events.
    ("receive", &[("subscription", 0.6), ("event", 0.5)]),
    ("message", &[("correspondence", 0.6)]),
    ("reportee", &[("party", 0.8)]),
];

/// The Altinn 3 concepts `word` became, with the discount a match through each gets.
pub fn concepts_of(word: &str) -> &'static [(&'static str, f64)] {
    CONCEPTS
        .iter()
        .find(|(k, _)| *k == word)
        .map_or(&[], |(_, v)| v)
}
