//! The last step of the merged OpenAPI document: what every operation can
//! answer whatever its handler says, and nullability as the JSON is
//! actually written (issue 22, finding 9: the document must match the API).
//!
//! - An optional property without a default is an `Option` in Rust; it is
//!   written as `null` when empty and accepted as `null`, so it is declared
//!   `nullable` (a `$ref` is wrapped in `allOf` for that, as OpenAPI 3.0
//!   ignores siblings of `$ref`).
//! - Answers that come from the layers around a handler are declared on
//!   every operation they can reach, all with the one error shape
//!   (`ApiErrors`): 400 (a parameter or body that does not match the
//!   document; a request that matches it but breaks a rule the document
//!   cannot state, such as a checksum or a missing reference, is a 422 of
//!   the handler's own), 401
//!   (no valid token), 403 (a browser session without its CSRF token, on
//!   unsafe methods), 413 and 415 (a body too large or of another type).

use serde_json::{Map, Value, json};

/// The error schema every error answer uses.
const ERRORS: &str = "#/components/schemas/ApiErrors";

/// The values a path parameter takes, known only when the portal starts
/// (the compiled modules): declared as an `enum` on every operation of
/// `path`.
pub struct PathEnum<'a> {
    pub path: &'a str,
    pub param: &'a str,
    pub values: Vec<String>,
}

/// The words of a pattern `^(a|b|c)$` made only of lower-case words
/// (letters, digits, `_`, `-`; not `.`, which a pattern reads as any
/// character), else `None`.
fn pattern_words(pattern: &str) -> Option<Vec<&str>> {
    let inner = pattern.strip_prefix("^(")?.strip_suffix(")$")?;
    let words: Vec<&str> = inner.split('|').collect();
    words
        .iter()
        .all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-'))
        })
        .then_some(words)
}

/// Adds what every operation can answer, marks nullable properties and
/// declares the run-time enums.
pub fn finish(doc: &mut Value, modules: &[String], enums: &[PathEnum<'_>]) {
    standard_formats(doc);
    for e in enums.iter().filter(|e| !e.values.is_empty()) {
        let Some(item) = doc
            .get_mut("paths")
            .and_then(|p| p.get_mut(e.path))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        for op in item.values_mut() {
            for p in op
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if p.get("name").and_then(Value::as_str) == Some(e.param)
                    && let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut)
                {
                    schema.insert("enum".into(), json!(e.values));
                }
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            mark_nullable(schema);
        }
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let module = modules.iter().any(|m| {
            path.starts_with(&format!("/api/admin/v1/{m}/"))
                || path.starts_with(&format!("/api/v1/{m}/"))
        });
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            add_common_answers(method, op, module);
        }
    }
}

fn mark_nullable(schema: &mut Value) {
    let required: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, prop) in props.iter_mut() {
        // poem-openapi reads `null` for an optional field as absent (its
        // default), and writes `null` for an empty `Option`.
        if required.contains(name) {
            continue;
        }
        if let Some(target) = prop.get("$ref").cloned() {
            let mut wrapped = Map::new();
            wrapped.insert("allOf".into(), json!([{ "$ref": target }]));
            wrapped.insert("nullable".into(), Value::Bool(true));
            *prop = Value::Object(wrapped);
        } else if let Some(p) = prop.as_object_mut() {
            p.insert("nullable".into(), Value::Bool(true));
            // OpenAPI 3.0.3: with an `enum`, `null` is allowed only when listed.
            if let Some(values) = p.get_mut("enum").and_then(Value::as_array_mut)
                && !values.contains(&Value::Null)
            {
                values.push(Value::Null);
            }
        }
    }
}

/// poem-openapi names some formats its own way; OpenAPI's names are the
/// ones tools (and schemathesis) know to generate and check: base64 text
/// is `byte` (not `bytes`), a calendar date `date` (not `naive-date`).
/// A text that takes one of a few words (a status, a kind) is validated
/// with a pattern `^(a|b|c)$` (poem-openapi has no `enum` validator for
/// text); the same words are declared as its `enum`, which client
/// generators turn into a type.
fn standard_formats(v: &mut Value) {
    match v {
        Value::Object(m) => {
            let standard = match m.get("format").and_then(Value::as_str) {
                Some("bytes") => Some("byte"),
                Some("naive-date") => Some("date"),
                _ => None,
            };
            if let Some(f) = standard {
                m.insert("format".into(), Value::String(f.into()));
            }
            if !m.contains_key("enum")
                && let Some(words) = m
                    .get("pattern")
                    .and_then(Value::as_str)
                    .and_then(pattern_words)
            {
                m.insert("enum".into(), json!(words));
            }
            for child in m.values_mut() {
                standard_formats(child);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(standard_formats),
        _ => {}
    }
}

fn add_common_answers(method: &str, op: &mut Value, module: bool) {
    let secured = op
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|s| !s.is_empty());
    let has_body = op.get("requestBody").is_some();
    let has_params = op
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|p| !p.is_empty());
    let unsafe_method = !matches!(method, "get" | "head" | "options");
    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    let mut add = |status: &str, why: &str| {
        responses.entry(status.to_string()).or_insert_with(|| {
            json!({
                "description": why,
                "content": { "application/json; charset=utf-8": { "schema": { "$ref": ERRORS } } }
            })
        });
    };
    if has_body || has_params {
        add(
            "400",
            "The request does not match this document (a parameter or the body does not parse, or breaks a constraint stated here); nothing changed.",
        );
    }
    if secured {
        add(
            "401",
            "No valid API key for this tenant, or the key lacks this scope.",
        );
    }
    if unsafe_method {
        add(
            "403",
            "Sent with a browser session but without its CSRF token.",
        );
    }
    if module {
        add(
            "404",
            "Not found at this tenant; also when the tenant has not enabled this module.",
        );
    }
    if has_body {
        add("413", "The body is larger than the portal accepts.");
        add("415", "The body is not of a documented content type.");
    }
}

/// A documented path with its `{parameters}`, matched against request
/// paths from `/api/` on (so a shared host's tenant prefix does not matter).
#[derive(Debug, Clone)]
struct PathTemplate(Vec<Option<String>>);

impl PathTemplate {
    fn of(path: &str) -> Self {
        Self(
            path.split('/')
                .map(|s| (!s.starts_with('{')).then(|| s.to_string()))
                .collect(),
        )
    }

    fn matches(&self, path: &str) -> bool {
        let Some(at) = path.find("/api/") else {
            return false;
        };
        let wanted: Vec<&str> = path[at..].split('/').collect();
        self.0.len() == wanted.len()
            && self
                .0
                .iter()
                .zip(&wanted)
                .all(|(s, w)| s.as_deref().is_none_or(|s| s == *w))
    }
}

/// Every path of a document with its operations.
fn operations(doc: &Value) -> impl Iterator<Item = (PathTemplate, &Map<String, Value>)> {
    doc.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(path, item)| Some((PathTemplate::of(path), item.as_object()?)))
}

/// The methods each documented path answers, for the `Allow` header of a
/// 405 (RFC 9110 requires it).
#[derive(Debug, Default)]
pub struct AllowedMethods {
    paths: Vec<(PathTemplate, String)>,
}

impl AllowedMethods {
    /// Reads the paths and methods of a finished document.
    pub fn of(doc: &Value) -> Self {
        let paths = operations(doc)
            .map(|(template, item)| {
                let mut methods: Vec<String> =
                    item.keys().map(|m| m.to_ascii_uppercase()).collect();
                methods.sort();
                if methods.iter().any(|m| m == "GET") {
                    methods.push("HEAD".into());
                }
                (template, methods.join(", "))
            })
            .collect();
        Self { paths }
    }

    /// The `Allow` value for a request path.
    pub fn allowed(&self, path: &str) -> Option<&str> {
        self.paths
            .iter()
            .find_map(|(t, methods)| t.matches(path).then_some(methods.as_str()))
    }
}

/// The JSON request body schema of each operation, to hold a body to the
/// document where poem-openapi is lenient: it reads a number or
/// `true`/`false` into a text field, which the document does not allow.
#[derive(Debug, Default)]
pub struct RequestSchemas {
    ops: Vec<(PathTemplate, String, Value)>,
    components: Value,
}

impl RequestSchemas {
    /// Reads the request bodies of a finished document.
    pub fn of(doc: &Value) -> Self {
        let mut ops = Vec::new();
        for (template, item) in operations(doc) {
            for (method, op) in item {
                let schema = op
                    .pointer("/requestBody/content")
                    .and_then(Value::as_object)
                    .and_then(|c| {
                        c.iter()
                            .find(|(ty, _)| ty.starts_with("application/json"))
                            .and_then(|(_, v)| v.get("schema"))
                    });
                if let Some(schema) = schema {
                    ops.push((
                        template.clone(),
                        method.to_ascii_uppercase(),
                        schema.clone(),
                    ));
                }
            }
        }
        Self {
            ops,
            components: doc
                .pointer("/components/schemas")
                .cloned()
                .unwrap_or(Value::Null),
        }
    }

    /// The component schema a `$ref` names.
    fn target(&self, r: &Value) -> Option<&Value> {
        self.components
            .get(r.as_str()?.trim_start_matches("#/components/schemas/"))
    }

    /// True when `method` on `path` takes a JSON body.
    pub fn takes_json(&self, method: &str, path: &str) -> bool {
        self.schema(method, path).is_some()
    }

    fn schema(&self, method: &str, path: &str) -> Option<&Value> {
        self.ops
            .iter()
            .find_map(|(t, m, schema)| (m == method && t.matches(path)).then_some(schema))
    }

    /// The first place where `body` breaks the document in a way
    /// poem-openapi reports without saying where: a number or
    /// `true`/`false` in a text field (which it would read as text), or a
    /// required field missing or `null` (its own message names the type
    /// it expected, not the field).
    pub fn problem(&self, method: &str, path: &str, body: &Value) -> Option<BodyProblem> {
        let schema = self.schema(method, path)?;
        self.check(schema, body, String::new(), 0)
    }

    fn check(
        &self,
        schema: &Value,
        value: &Value,
        at: String,
        depth: usize,
    ) -> Option<BodyProblem> {
        if depth > 32 {
            return None;
        }
        if let Some(r) = schema.get("$ref") {
            return self.check(self.target(r)?, value, at, depth + 1);
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            return all
                .iter()
                .find_map(|s| self.check(s, value, at.clone(), depth + 1));
        }
        match (schema.get("type").and_then(Value::as_str), value) {
            (Some("string"), Value::Bool(_) | Value::Number(_)) => {
                Some(BodyProblem::NotText(if at.is_empty() {
                    "/".into()
                } else {
                    at
                }))
            }
            (_, Value::Object(fields)) => {
                let props = schema.get("properties")?;
                let missing = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .find(|k| {
                        let prop = props.get(*k);
                        // poem-openapi lists a field with a struct-level
                        // default, a read-only one and one of any value
                        // (`{}`) as required, yet takes it absent.
                        let lenient = prop.is_some_and(|p| {
                            p.as_object().is_some_and(Map::is_empty)
                                || p.get("default").is_some()
                                || p.get("readOnly").and_then(Value::as_bool) == Some(true)
                        });
                        !lenient
                            && fields
                                .get(*k)
                                .is_none_or(|v| v.is_null() && !self.nullable(prop, depth + 1))
                    });
                if let Some(k) = missing {
                    return Some(BodyProblem::Missing(format!("{at}/{k}")));
                }
                fields.iter().find_map(|(k, v)| {
                    props
                        .get(k)
                        .and_then(|s| self.check(s, v, format!("{at}/{k}"), depth + 1))
                })
            }
            (_, Value::Array(items)) => {
                let s = schema.get("items")?;
                items
                    .iter()
                    .enumerate()
                    .find_map(|(i, v)| self.check(s, v, format!("{at}/{i}"), depth + 1))
            }
            _ => None,
        }
    }

    /// Whether a property's schema takes `null` (`nullable`, also behind a
    /// `$ref` or `allOf`).
    fn nullable(&self, schema: Option<&Value>, depth: usize) -> bool {
        let Some(schema) = schema else { return false };
        if depth > 32 {
            return false;
        }
        // `{}` (any JSON value, `serde_json::Value`) takes `null` too.
        if schema.get("nullable").and_then(Value::as_bool) == Some(true)
            || schema.as_object().is_some_and(Map::is_empty)
        {
            return true;
        }
        if let Some(r) = schema.get("$ref") {
            return self.nullable(self.target(r), depth + 1);
        }
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|all| all.iter().any(|s| self.nullable(Some(s), depth + 1)))
    }
}

/// What [`RequestSchemas::problem`] found, with the JSON pointer of the
/// field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyProblem {
    /// A number or `true`/`false` where the document asks for text.
    NotText(String),
    /// A required field absent or `null`.
    Missing(String),
}

impl BodyProblem {
    /// The message of the 400, in the shape poem-openapi's own parse
    /// errors have (integrators' log filters may match on its start).
    pub fn message(&self) -> String {
        match self {
            Self::NotText(at) => format!(
                "parse request payload error: {at} must be text (a JSON string), not a number or true/false"
            ),
            Self::Missing(at) => {
                format!("parse request payload error: {at} is required and may not be null")
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_refuse_numbers_and_booleans() {
        let doc = json!({
            "paths": { "/api/admin/v1/sync/{x}": { "post": { "requestBody": { "content": {
                "application/json; charset=utf-8": { "schema": { "$ref": "#/components/schemas/B" } }
            }}}}},
            "components": { "schemas": {
                "B": { "type": "object", "properties": {
                    "rows": { "type": "array", "items": { "allOf": [{ "$ref": "#/components/schemas/R" }] } }
                }},
                "R": { "type": "object", "properties": {
                    "phone": { "type": "string" }, "n": { "type": "integer" }
                }}
            }}
        });
        let r = RequestSchemas::of(&doc);
        let path = "/api/admin/v1/sync/1";
        assert!(r.takes_json("POST", path) && !r.takes_json("GET", path));
        let ok = json!({"rows": [{"phone": "0612345678", "n": 3}]});
        assert_eq!(r.problem("POST", path, &ok), None);
        let bad = json!({"rows": [{"phone": "x"}, {"phone": false}]});
        assert_eq!(
            r.problem("POST", path, &bad),
            Some(BodyProblem::NotText("/rows/1/phone".into()))
        );
        let num = json!({"rows": [{"phone": 612345678}]});
        assert_eq!(
            r.problem("POST", path, &num),
            Some(BodyProblem::NotText("/rows/0/phone".into()))
        );
    }

    #[test]
    fn a_missing_or_null_required_field_is_named() {
        let doc = json!({
            "paths": { "/api/admin/v1/things": { "post": { "requestBody": { "content": {
                "application/json; charset=utf-8": { "schema": { "$ref": "#/components/schemas/B" } }
            }}}}},
            "components": { "schemas": {
                "B": { "type": "object", "required": ["rows"], "properties": {
                    "rows": { "type": "array", "items": { "$ref": "#/components/schemas/R" } }
                }},
                "R": { "type": "object", "required": ["id", "note", "d", "ro", "any"], "properties": {
                    "id": { "type": "string" },
                    "note": { "allOf": [{ "$ref": "#/components/schemas/N" }] },
                    "extra": { "type": "string", "nullable": true },
                    "d": { "type": "string", "default": "x" },
                    "ro": { "type": "integer", "readOnly": true },
                    "any": {}
                }},
                "N": { "type": "string", "nullable": true }
            }}
        });
        let r = RequestSchemas::of(&doc);
        let path = "/api/admin/v1/things";
        let ok = json!({"rows": [{"id": "a", "note": null, "extra": null, "any": null}]});
        assert_eq!(
            r.problem("POST", path, &ok),
            None,
            "null where nullable, a default, read-only, any value"
        );
        assert_eq!(
            r.problem("POST", path, &json!({})),
            Some(BodyProblem::Missing("/rows".into()))
        );
        let absent = json!({"rows": [{"id": "a", "note": "x"}, {"note": "y"}]});
        assert_eq!(
            r.problem("POST", path, &absent),
            Some(BodyProblem::Missing("/rows/1/id".into()))
        );
        let null = json!({"rows": [{"id": null, "note": "x"}]});
        let found = r.problem("POST", path, &null);
        assert_eq!(found, Some(BodyProblem::Missing("/rows/0/id".into())));
        assert!(found.is_some_and(|p| {
            p.message()
                .ends_with("/rows/0/id is required and may not be null")
        }));
    }

    #[test]
    fn a_pattern_of_words_is_also_an_enum() {
        let mut doc = json!({
            "paths": {},
            "components": { "schemas": { "S": { "type": "object", "required": ["status"], "properties": {
                "status": { "type": "string", "pattern": "^(open|in_progress|done)$" },
                "kind": { "type": "string", "pattern": "^(a|b)$" },
                "code": { "type": "string", "pattern": "^[0-9]{4}$" },
                "mixed": { "type": "string", "pattern": "^(a|B c)$" },
                "dotted": { "type": "string", "pattern": "^(v1.0|v2)$" }
            }}}}
        });
        finish(&mut doc, &[], &[]);
        let props = &doc["components"]["schemas"]["S"]["properties"];
        assert_eq!(
            props["status"]["enum"],
            json!(["open", "in_progress", "done"])
        );
        assert_eq!(
            props["kind"]["enum"],
            json!(["a", "b", null]),
            "optional: null too"
        );
        assert!(props["code"].get("enum").is_none());
        assert!(props["mixed"].get("enum").is_none());
        assert!(
            props["dotted"].get("enum").is_none(),
            "a dot is any character"
        );
    }

    #[test]
    fn a_path_finds_its_methods() {
        let doc = json!({ "paths": {
            "/api/admin/v1/tickets/{id}": { "get": {}, "delete": {} },
            "/api/admin/v1/tickets/{id}/close": { "post": {} }
        }});
        let a = AllowedMethods::of(&doc);
        assert_eq!(
            a.allowed("/api/admin/v1/tickets/7"),
            Some("DELETE, GET, HEAD")
        );
        assert_eq!(a.allowed("/hci/api/admin/v1/tickets/7/close"), Some("POST"));
        assert_eq!(a.allowed("/api/admin/v1/nothing"), None);
    }

    #[test]
    fn optional_properties_without_a_default_are_nullable() {
        let mut doc = json!({
            "components": { "schemas": { "A": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": { "type": "integer" },
                    "name": { "type": "string" },
                    "kind": { "type": "string", "default": "x" },
                    "child": { "$ref": "#/components/schemas/B" }
                }
            }}},
            "paths": {}
        });
        finish(&mut doc, &[], &[]);
        let p = &doc["components"]["schemas"]["A"]["properties"];
        assert!(p["id"].get("nullable").is_none());
        assert_eq!(p["name"]["nullable"], true);
        assert_eq!(p["kind"]["nullable"], true, "null reads as the default");
        assert_eq!(p["child"]["allOf"][0]["$ref"], "#/components/schemas/B");
        assert_eq!(p["child"]["nullable"], true);
    }

    #[test]
    fn common_answers_are_declared_where_they_can_happen() {
        let mut doc = json!({ "paths": {
            "/a": {
                "get": { "security": [{ "k": [] }], "responses": { "200": {} } },
                "post": {
                    "security": [{ "k": [] }],
                    "requestBody": {},
                    "responses": { "400": { "description": "own" } }
                }
            },
            "/open": { "get": { "responses": { "200": {} } } }
        }});
        finish(&mut doc, &[], &[]);
        let get = &doc["paths"]["/a"]["get"]["responses"];
        assert!(get.get("401").is_some() && get.get("403").is_none() && get.get("400").is_none());
        let post = &doc["paths"]["/a"]["post"]["responses"];
        for s in ["401", "403", "413", "415"] {
            assert_eq!(
                post[s]["content"]["application/json; charset=utf-8"]["schema"]["$ref"], ERRORS,
                "{s}"
            );
        }
        assert_eq!(
            post["400"]["description"], "own",
            "a handler's own answer stays"
        );
        let open = &doc["paths"]["/open"]["get"]["responses"];
        assert_eq!(open.as_object().unwrap().len(), 1);
    }

    #[test]
    fn module_operations_may_answer_404_and_base64_is_byte() {
        let mut doc = json!({
            "paths": {
                "/api/admin/v1/tickets/": { "get": { "responses": { "200": {} } } },
                "/api/admin/v1/tenant": { "get": { "responses": { "200": {} } } }
            },
            "components": { "schemas": { "F": { "type": "object", "properties": {
                "content": { "type": "string", "format": "bytes" }
            }, "required": ["content"] }}}
        });
        finish(&mut doc, &["tickets".to_string()], &[]);
        assert!(
            doc["paths"]["/api/admin/v1/tickets/"]["get"]["responses"]
                .get("404")
                .is_some()
        );
        assert!(
            doc["paths"]["/api/admin/v1/tenant"]["get"]["responses"]
                .get("404")
                .is_none()
        );
        assert_eq!(
            doc["components"]["schemas"]["F"]["properties"]["content"]["format"],
            "byte"
        );
    }

    #[test]
    fn run_time_enums_land_on_their_parameter() {
        let mut doc = json!({ "paths": { "/m/{name}": {
            "put": { "parameters": [{ "name": "name", "in": "path", "schema": { "type": "string" } }], "responses": {} },
            "delete": { "parameters": [{ "name": "name", "in": "path", "schema": { "type": "string" } }], "responses": {} }
        }}});
        let values = vec!["invoices".to_string(), "tickets".to_string()];
        finish(
            &mut doc,
            &[],
            &[PathEnum {
                path: "/m/{name}",
                param: "name",
                values,
            }],
        );
        for m in ["put", "delete"] {
            assert_eq!(
                doc["paths"]["/m/{name}"][m]["parameters"][0]["schema"]["enum"],
                json!(["invoices", "tickets"])
            );
        }
    }
}
