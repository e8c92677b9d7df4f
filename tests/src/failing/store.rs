//! What the local upstream has committed, and the answers Altinn 3 gives for it.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::http::{Head, Reply};

/// One committed correspondence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// The id Altinn gave it.
    pub id: String,
    /// `correspondence.sendersReference`: the legacy shipment reference.
    pub senders_reference: String,
    /// The attachments it refers to.
    pub attachments: Vec<String>,
}

/// Counters over the whole run.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// Correspondences created (a repeat of a key is not a creation).
    pub creations: u64,
    /// Requests that repeated a committed key and got its first answer back.
    pub repeats: u64,
    /// Creations per shipment reference: any value over 1 is a duplicate message.
    pub creations_by_reference: HashMap<String, u32>,
    /// Attachments created.
    pub attachments_created: u64,
    /// Attachments whose bytes arrived.
    pub attachments_uploaded: u64,
    /// Requests refused because they were invalid (not injected faults).
    pub invalid: u64,
}

#[derive(Debug)]
struct Attachment {
    published: bool,
    reference: String,
    resource: String,
    sender: String,
    size: usize,
}

const CREATED: &str = "2026-11-25T03:00:00Z";

/// The committed state.
#[derive(Debug, Default)]
pub(crate) struct Store {
    by_key: HashMap<String, (Committed, Reply)>,
    by_id: HashMap<String, Committed>,
    by_reference: HashMap<String, Vec<String>>,
    attachments: HashMap<String, Attachment>,
    counts: Counts,
    next: u64,
}

impl Store {
    pub(crate) fn committed(&self) -> HashMap<String, Committed> {
        self.by_key
            .iter()
            .map(|(k, (c, _))| (k.clone(), c.clone()))
            .collect()
    }

    /// The correspondences committed for shipment `reference`.
    pub(crate) fn commits_of(&self, reference: &str) -> Vec<Committed> {
        self.by_reference
            .get(reference)
            .into_iter()
            .flatten()
            .filter_map(|id| self.by_id.get(id).cloned())
            .collect()
    }

    pub(crate) fn counts(&self) -> Counts {
        self.counts.clone()
    }

    fn id(&mut self, kind: u32) -> String {
        self.next += 1;
        format!("{kind:08x}-0000-4000-8000-{:012x}", self.next)
    }

    /// Answers an authenticated request correctly, committing what it creates.
    pub(crate) fn route(&mut self, head: &Head, body: &[u8]) -> Reply {
        let reply = match head.route() {
            "attachment" => self.create_attachment(body),
            "upload" => self.upload(head.attachment_id().unwrap_or_default(), body),
            "correspondence" => self.create(body),
            "search" => Ok(self.search(head)),
            "details" => self.details(head.details_id().unwrap_or_default()),
            _ => Err(Reply::problem(404, "Not found", &head.path)),
        };
        reply.unwrap_or_else(|refusal| {
            self.counts.invalid += 1;
            refusal
        })
    }

    fn create_attachment(&mut self, body: &[u8]) -> Result<Reply, Reply> {
        let json = parse(body)?;
        let text = |f: &str| required(&json, f);
        let attachment = Attachment {
            published: false,
            reference: text("sendersReference")?,
            resource: text("resourceId")?,
            sender: text("sender")?,
            size: 0,
        };
        let id = self.id(0xa77a);
        self.attachments.insert(id.clone(), attachment);
        self.counts.attachments_created += 1;
        Ok(Reply::json(200, Value::String(id).to_string()))
    }

    fn upload(&mut self, id: &str, body: &[u8]) -> Result<Reply, Reply> {
        let Some(a) = self.attachments.get_mut(id) else {
            return Err(Reply::problem(404, "No such attachment", id));
        };
        if a.published {
            return Err(Reply::problem(
                400,
                "The attachment is already uploaded",
                id,
            ));
        }
        a.published = true;
        a.size = body.len();
        self.counts.attachments_uploaded += 1;
        let overview = json!({
            "attachmentId": id,
            "status": "Published",
            "statusText": "Published",
            "statusChanged": CREATED,
            "sendersReference": a.reference,
            "resourceId": a.resource,
            "sender": a.sender,
            "correspondenceIds": [],
            "dataType": "application/octet-stream",
        });
        Ok(Reply::json(200, overview.to_string()))
    }

    fn create(&mut self, body: &[u8]) -> Result<Reply, Reply> {
        let json = parse(body)?;
        let key = required(&json, "idempotentKey")?;
        if uuid_shaped(&key).is_none() {
            return Err(Reply::problem(400, "idempotentKey is not a GUID", &key));
        }
        if let Some((_, first)) = self.by_key.get(&key) {
            // What Altinn does with a repeated key: the first result, not a second message.
            self.counts.repeats += 1;
            return Ok(first.clone());
        }
        let reference = json
            .pointer("/correspondence/sendersReference")
            .and_then(Value::as_str)
            .ok_or_else(|| missing("correspondence.sendersReference"))?
            .to_owned();
        let recipient = json
            .pointer("/recipients/0")
            .and_then(Value::as_str)
            .ok_or_else(|| missing("recipients"))?
            .to_owned();
        let attachments = self.existing_attachments(&json)?;
        let id = self.id(0xc0de);
        let reply = Reply::json(
            200,
            json!({
                "correspondences": [{"correspondenceId": id, "status": "Initialized", "recipient": recipient}],
                "attachmentIds": attachments,
            })
            .to_string(),
        );
        let committed = Committed {
            id: id.clone(),
            senders_reference: reference.clone(),
            attachments,
        };
        self.by_reference
            .entry(reference.clone())
            .or_default()
            .push(id.clone());
        self.by_id.insert(id, committed.clone());
        self.by_key.insert(key, (committed, reply.clone()));
        self.counts.creations += 1;
        *self
            .counts
            .creations_by_reference
            .entry(reference)
            .or_default() += 1;
        Ok(reply)
    }

    /// The attachments a correspondence refers to; each must exist and hold its bytes.
    fn existing_attachments(&self, json: &Value) -> Result<Vec<String>, Reply> {
        let ids: Vec<String> = json
            .get("existingAttachments")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        for id in &ids {
            if !self.attachments.get(id).is_some_and(|a| a.published) {
                return Err(Reply::problem(400, "The attachment is not uploaded", id));
            }
        }
        Ok(ids)
    }

    fn search(&self, head: &Head) -> Reply {
        let wanted = head.param("sendersReference");
        let mut ids: Vec<&str> = self
            .by_id
            .values()
            .filter(|c| wanted.is_none_or(|w| w == c.senders_reference))
            .map(|c| c.id.as_str())
            .collect();
        ids.sort_unstable();
        Reply::json(200, json!({ "ids": ids }).to_string())
    }

    fn details(&self, id: &str) -> Result<Reply, Reply> {
        let c = self
            .by_id
            .get(id)
            .ok_or_else(|| Reply::problem(404, "No such correspondence", id))?;
        let details = json!({
            "correspondenceId": c.id,
            "resourceId": "altinn-bridge-test-resource",
            "sendersReference": c.senders_reference,
            "created": CREATED,
            "recipient": "urn:altinn:organization:identifier-no:910075918",
            "statusHistory": [{"status": "Published", "statusText": "Published", "statusChanged": CREATED}],
        });
        Ok(Reply::json(200, details.to_string()))
    }
}

fn parse(body: &[u8]) -> Result<Value, Reply> {
    serde_json::from_slice(body)
        .map_err(|e| Reply::problem(400, "The body is not JSON", &e.to_string()))
}

fn required(json: &Value, field: &str) -> Result<String, Reply> {
    json.get(field)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| missing(field))
}

fn missing(field: &str) -> Reply {
    Reply::problem(400, "A required field is missing", field)
}

/// `Some(())` for the 8-4-4-4-12 hex form of a GUID.
fn uuid_shaped(s: &str) -> Option<()> {
    let groups: Vec<&str> = s.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    (groups.len() == 5
        && groups
            .iter()
            .zip(lens)
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit())))
    .then_some(())
}
