use poem::{EndpointExt, IntoEndpoint};
use poem_openapi::{OpenApi, OpenApiService};
use serde_json::{Map, Value};

// A leaf of core: the module seam (`module.rs`) builds parts with it, so it
// imports nothing else of the crate.

/// Version of the API documents.
pub const API_VERSION: &str = env!("CARGO_PKG_VERSION");

/// One API part: its endpoint (mounted at `prefix`) and its spec.
pub struct ApiPart {
    pub prefix: String,
    pub endpoint: poem::endpoint::BoxEndpoint<'static>,
    pub spec: Value,
}

impl ApiPart {
    /// Builds a part from an `OpenApi` type, served under `prefix`
    /// (`/api/v1/<module>` or `/api/admin/v1/<module>`).
    pub fn new<T: OpenApi + 'static>(api: T, prefix: &str) -> Self {
        let svc = OpenApiService::new(api, "portal", API_VERSION).url_prefix(prefix);
        let spec = serde_json::from_str(&svc.spec()).unwrap_or(Value::Null);
        Self {
            prefix: prefix.to_string(),
            endpoint: svc.into_endpoint().map_to_response().boxed(),
            spec,
        }
    }
}

/// Two parts that cannot live in one document.
#[derive(Debug, thiserror::Error)]
#[error("API spec merge: {0}")]
pub struct MergeError(pub String);

fn object<'a>(v: &'a mut Value, key: &str) -> &'a mut Map<String, Value> {
    if !v.get(key).is_some_and(Value::is_object) {
        v[key] = Value::Object(Map::new());
    }
    match v.get_mut(key) {
        Some(Value::Object(m)) => m,
        _ => unreachable!("just made an object"),
    }
}

/// Merges the parts' specs into one document.
///
/// # Errors
/// A path or operation id twice, or two different schemas under one name.
pub fn merge_specs(parts: &[&Value]) -> Result<Value, MergeError> {
    let skeleton = OpenApiService::new((), "Portal API", API_VERSION).spec();
    let mut doc: Value = serde_json::from_str(&skeleton).map_err(|e| MergeError(e.to_string()))?;
    let mut operation_ids = std::collections::HashSet::new();
    let mut tags: Vec<Value> = Vec::new();
    for part in parts {
        if let Some(paths) = part.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                for op in item.as_object().into_iter().flat_map(|o| o.values()) {
                    if let Some(id) = op.get("operationId").and_then(Value::as_str)
                        && !operation_ids.insert(id.to_string())
                    {
                        return Err(MergeError(format!("operation id {id} appears twice")));
                    }
                }
                if object(&mut doc, "paths")
                    .insert(path.clone(), item.clone())
                    .is_some()
                {
                    return Err(MergeError(format!("path {path} appears twice")));
                }
            }
        }
        if let Some(comps) = part.get("components").and_then(Value::as_object) {
            for section in ["schemas", "securitySchemes"] {
                let Some(entries) = comps.get(section).and_then(Value::as_object) else {
                    continue;
                };
                for (name, schema) in entries {
                    let comps_out = object(&mut doc, "components");
                    let sec = comps_out
                        .entry(section.to_string())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(sec) = sec {
                        match sec.get(name) {
                            Some(existing) if existing != schema => {
                                return Err(MergeError(format!(
                                    "{section} {name} differs between two parts"
                                )));
                            }
                            _ => {
                                sec.insert(name.clone(), schema.clone());
                            }
                        }
                    }
                }
            }
        }
        for tag in part
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !tags.iter().any(|t| t.get("name") == tag.get("name")) {
                tags.push(tag.clone());
            }
        }
    }
    doc["tags"] = Value::Array(tags);
    Ok(doc)
}
