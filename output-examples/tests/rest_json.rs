//! The generated REST types against JSON shaped like Altinn 3's answers: exact property names,
//! absent optional properties left out, required nullable ones written as null, enumeration
//! values checked, unnamed ProblemDetails properties kept.

use altinn_bridge_examples::generated::correspondence_agency_external_basic::rest::{
    CorrespondenceStatusExt, InitializedCorrespondencesExt, ProblemDetails,
};
use altinn_bridge_runtime::serde_json::{self, json};

#[test]
fn initialized_correspondence_round_trips_with_exact_names() {
    let input = json!({
        "correspondenceId": "0192f3c5-6a1b-7c2d-8e3f-405162738495",
        "status": "Initialized",
        "recipient": null,
        "notifications": [{"orderId": "o-1", "isReminder": false, "status": "Success"}]
    });
    let parsed: InitializedCorrespondencesExt =
        serde_json::from_value(input.clone()).expect("valid");
    assert_eq!(parsed.status, Some(CorrespondenceStatusExt::Initialized));
    assert_eq!(parsed.recipient, None);
    assert_eq!(serde_json::to_value(&parsed).ok(), Some(input));

    let minimal = json!({"recipient": "910514458"});
    let parsed: InitializedCorrespondencesExt =
        serde_json::from_value(minimal.clone()).expect("valid");
    // Optional properties stay absent; they do not come back as nulls.
    assert_eq!(serde_json::to_value(&parsed).ok(), Some(minimal));
}

#[test]
fn unknown_enumeration_values_are_refused() {
    let input = json!({"recipient": "x", "status": "Teleported"});
    assert!(serde_json::from_value::<InitializedCorrespondencesExt>(input).is_err());
}

#[test]
fn problem_details_keep_extension_members() {
    let input = json!({
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        "title": "Bad Request",
        "status": 400,
        "errors": {"recipients": ["required"]}
    });
    let parsed: ProblemDetails = serde_json::from_value(input.clone()).expect("valid");
    assert_eq!(
        parsed.r#type.as_deref(),
        Some("https://tools.ietf.org/html/rfc9110#section-15.5.1")
    );
    assert_eq!(parsed.status, Some(400));
    assert!(parsed.additional_properties.contains_key("errors"));
    assert_eq!(serde_json::to_value(&parsed).ok(), Some(input));
}
