//! VAPI's request validation as the fake applies it: the property lists of the DTOs (from the
//! SDK types) and class-validator style messages for anything outside them.

use serde_json::{Map, Value, json};

// The fake keeps its own copy of VAPI's shapes (from the SDK types) on purpose: it is the oracle
// the assistant code is checked against, so it must not borrow the lists under test.
pub(super) const ASSISTANT_KEYS: &[&str] = &[
    "transcriber",
    "model",
    "voice",
    "firstMessage",
    "firstMessageInterruptionsEnabled",
    "firstMessageMode",
    "voicemailDetection",
    "clientMessages",
    "serverMessages",
    "maxDurationSeconds",
    "backgroundSound",
    "modelOutputInMessagesEnabled",
    "transportConfigurations",
    "observabilityPlan",
    "credentials",
    "hooks",
    "name",
    "voicemailMessage",
    "endCallMessage",
    "endCallPhrases",
    "compliancePlan",
    "metadata",
    "backgroundSpeechDenoisingPlan",
    "analysisPlan",
    "artifactPlan",
    "startSpeakingPlan",
    "stopSpeakingPlan",
    "monitorPlan",
    "credentialIds",
    "server",
    "keypadInputPlan",
];
pub(super) const OPENAI_MODEL_KEYS: &[&str] = &[
    "messages",
    "tools",
    "toolIds",
    "toolRefs",
    "knowledgeBase",
    "provider",
    "model",
    "fallbackModels",
    "toolStrictCompatibilityMode",
    "promptCacheRetention",
    "promptCacheKey",
    "reasoningEffort",
    "temperature",
    "maxTokens",
    "emotionRecognitionEnabled",
    "numFastTurns",
];
pub(super) const OPENAI_MESSAGE_KEYS: &[&str] = &["content", "role"];
pub(super) const FUNCTION_TOOL_KEYS: &[&str] = &[
    "messages",
    "type",
    "async",
    "server",
    "variableExtractionPlan",
    "parameters",
    "function",
    "rejectionPlan",
];
pub(super) const OPENAI_FUNCTION_KEYS: &[&str] = &["name", "strict", "description", "parameters"];
pub(super) const FUNCTION_PARAMETERS_KEYS: &[&str] = &["type", "properties", "required"];
pub(super) const JSON_SCHEMA_KEYS: &[&str] = &[
    "type",
    "items",
    "properties",
    "description",
    "pattern",
    "format",
    "required",
    "enum",
    "title",
];
pub(super) const JSON_SCHEMA_TYPES: &[&str] =
    &["string", "number", "integer", "boolean", "array", "object"];
pub(super) const JSON_SCHEMA_FORMATS: &[&str] = &[
    "date-time",
    "time",
    "date",
    "duration",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "uuid",
];
pub(super) const SERVER_KEYS: &[&str] = &[
    "timeoutSeconds",
    "credentialId",
    "staticIpAddressesEnabled",
    "encryptedPaths",
    "url",
    "headers",
    "backoffPlan",
];
pub(super) const TOOL_MESSAGE_START_KEYS: &[&str] =
    &["contents", "type", "blocking", "content", "conditions"];
pub(super) const TOOL_MESSAGE_DELAYED_KEYS: &[&str] = &[
    "contents",
    "type",
    "timingMilliseconds",
    "content",
    "conditions",
];
pub(super) const TOOL_PARAMETER_KEYS: &[&str] = &["key", "value"];
// CreateWebhookCredentialDTO and HMACAuthenticationPlan.
pub(super) const WEBHOOK_CREDENTIAL_KEYS: &[&str] = &["provider", "authenticationPlan", "name"];
pub(super) const HMAC_PLAN_KEYS: &[&str] = &[
    "type",
    "secretKey",
    "algorithm",
    "signatureHeader",
    "timestampHeader",
    "signaturePrefix",
    "includeTimestamp",
    "payloadFormat",
    "messageIdHeader",
    "signatureEncoding",
    "secretIsBase64",
];
pub(super) const VAPI_VOICE_KEYS: &[&str] = &[
    "provider",
    "voiceId",
    "speed",
    "cachingEnabled",
    "chunkPlan",
    "fallbackPlan",
];
// ElevenLabsVoice.
pub(super) const ELEVENLABS_VOICE_KEYS: &[&str] = &[
    "cachingEnabled",
    "provider",
    "voiceId",
    "stability",
    "similarityBoost",
    "style",
    "useSpeakerBoost",
    "speed",
    "optimizeStreamingLatency",
    "enableSsmlParsing",
    "autoMode",
    "model",
    "language",
    "chunkPlan",
    "pronunciationDictionaryLocators",
    "fallbackPlan",
];
/// ElevenLabsVoice.model's enum.
pub(super) const ELEVENLABS_MODELS: &[&str] = &[
    "eleven_multilingual_v2",
    "eleven_turbo_v2",
    "eleven_turbo_v2_5",
    "eleven_flash_v2",
    "eleven_flash_v2_5",
    "eleven_monolingual_v1",
    "eleven_v3",
];
pub(super) const DEEPGRAM_KEYS: &[&str] = &[
    "provider",
    "model",
    "language",
    "smartFormat",
    "keywords",
    "keyterm",
    "endpointing",
    "fallbackPlan",
];
pub(super) const SERVER_MESSAGES: &[&str] = &[
    "assistant.started",
    "assistant.speechStarted",
    "conversation-update",
    "end-of-call-report",
    "function-call",
    "hang",
    "language-changed",
    "language-change-detected",
    "model-output",
    "phone-call-control",
    "speech-update",
    "status-update",
    "transcript",
    "transcript[transcriptType=\"final\"]",
    "tool-calls",
    "transfer-destination-request",
    "handoff-destination-request",
    "transfer-update",
    "user-interrupted",
    "voice-input",
    "chat.created",
    "chat.deleted",
    "session.created",
    "session.updated",
    "session.deleted",
    "call.deleted",
    "call.delete.failed",
    "call.artifact.upload",
];

/// class-validator style messages for everything the SDK types do not allow.
pub fn validate_assistant(body: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(map) = body.as_object() else {
        return vec!["body must be an object".into()];
    };
    unknown(map, ASSISTANT_KEYS, "", &mut problems);
    if map
        .get("name")
        .is_some_and(|name| name.as_str().is_none_or(|n| n.chars().count() > 40))
    {
        problems.push("name must be shorter than or equal to 40 characters".into());
    }
    if let Some(model) = map.get("model") {
        check_model(model, &mut problems);
    }
    if let Some(server) = map.get("server") {
        check_server(server, "server.", &mut problems);
    }
    if let Some(credentials) = map.get("credentials") {
        check_credentials(credentials, &mut problems);
    }
    if let Some(voice) = map.get("voice").and_then(Value::as_object) {
        match voice.get("provider").and_then(Value::as_str) {
            Some("vapi") => unknown(voice, VAPI_VOICE_KEYS, "voice.", &mut problems),
            Some("11labs") => {
                unknown(voice, ELEVENLABS_VOICE_KEYS, "voice.", &mut problems);
                if voice
                    .get("model")
                    .is_some_and(|m| !m.as_str().is_some_and(|m| ELEVENLABS_MODELS.contains(&m)))
                {
                    problems.push(format!(
                        "voice.model must be one of the following values: {}",
                        ELEVENLABS_MODELS.join(", ")
                    ));
                }
            }
            _ => problems.push("voice.provider must be \"vapi\" or \"11labs\"".into()),
        }
        if !voice.get("voiceId").is_some_and(Value::is_string) {
            problems.push("voice.voiceId must be a string".into());
        }
    }
    if let Some(transcriber) = map.get("transcriber").and_then(Value::as_object) {
        unknown(transcriber, DEEPGRAM_KEYS, "transcriber.", &mut problems);
        if transcriber.get("provider") != Some(&json!("deepgram")) {
            problems.push("transcriber.provider must be \"deepgram\"".into());
        }
    }
    if let Some(list) = map.get("serverMessages") {
        match list.as_array() {
            Some(items) => {
                for item in items {
                    if !item.as_str().is_some_and(|s| SERVER_MESSAGES.contains(&s)) {
                        problems.push(format!(
                            "each value in serverMessages must be one of the following values: {}",
                            SERVER_MESSAGES.join(", ")
                        ));
                    }
                }
            }
            None => problems.push("serverMessages must be an array".into()),
        }
    }
    problems
}

pub(super) fn unknown(
    map: &Map<String, Value>,
    allowed: &[&str],
    prefix: &str,
    problems: &mut Vec<String>,
) {
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            problems.push(format!("property {prefix}{key} should not exist"));
        }
    }
}

pub(super) fn check_model(model: &Value, problems: &mut Vec<String>) {
    let Some(map) = model.as_object() else {
        problems.push("model must be an object".into());
        return;
    };
    unknown(map, OPENAI_MODEL_KEYS, "model.", problems);
    if map.get("provider") != Some(&json!("openai")) || !map.contains_key("model") {
        problems.push("model.provider must be \"openai\" and model.model is required".into());
    }
    for (i, message) in map
        .get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let prefix = format!("model.messages.{i}.");
        match message.as_object() {
            Some(m) => {
                unknown(m, OPENAI_MESSAGE_KEYS, &prefix, problems);
                if !m.get("content").is_some_and(Value::is_string) {
                    problems.push(format!("{prefix}content must be a string"));
                }
            }
            None => problems.push(format!("{prefix} must be an object")),
        }
    }
    for (i, tool) in map
        .get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        check_tool(tool, &format!("model.tools.{i}."), problems);
    }
}

pub(super) fn check_tool(tool: &Value, prefix: &str, problems: &mut Vec<String>) {
    let Some(map) = tool.as_object() else {
        problems.push(format!("{prefix} must be an object"));
        return;
    };
    if map.get("type") == Some(&json!("transferCall")) {
        check_transfer_tool(map, prefix, problems);
        return;
    }
    unknown(map, FUNCTION_TOOL_KEYS, prefix, problems);
    if map.get("type") != Some(&json!("function")) {
        problems.push(format!("{prefix}type must be \"function\""));
    }
    if let Some(server) = map.get("server") {
        check_server(server, &format!("{prefix}server."), problems);
    }
    if let Some(function) = map.get("function").and_then(Value::as_object) {
        let fp = format!("{prefix}function.");
        unknown(function, OPENAI_FUNCTION_KEYS, &fp, problems);
        let name_ok = function
            .get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| {
                !n.is_empty()
                    && n.len() <= 64
                    && n.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            });
        if !name_ok {
            problems.push(format!("{fp}name must match /^[a-zA-Z0-9_-]{{1,64}}$/"));
        }
        if let Some(params) = function.get("parameters") {
            let pp = format!("{fp}parameters.");
            match params.as_object() {
                Some(p) => {
                    unknown(p, FUNCTION_PARAMETERS_KEYS, &pp, problems);
                    if p.get("type") != Some(&json!("object")) {
                        problems.push(format!("{pp}type must be \"object\""));
                    }
                    match p.get("properties").and_then(Value::as_object) {
                        Some(props) => {
                            for (name, schema) in props {
                                check_json_schema(
                                    schema,
                                    &format!("{pp}properties.{name}."),
                                    problems,
                                );
                            }
                        }
                        None => problems.push(format!("{pp}properties is required")),
                    }
                }
                None => problems.push(format!("{pp} must be an object")),
            }
        }
    } else {
        problems.push(format!("{prefix}function is required"));
    }
    for (i, message) in map
        .get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let mp = format!("{prefix}messages.{i}.");
        let Some(m) = message.as_object() else {
            problems.push(format!("{mp} must be an object"));
            continue;
        };
        match m.get("type").and_then(Value::as_str) {
            Some("request-start") => unknown(m, TOOL_MESSAGE_START_KEYS, &mp, problems),
            Some("request-response-delayed") => {
                unknown(m, TOOL_MESSAGE_DELAYED_KEYS, &mp, problems)
            }
            _ => problems.push(format!("{mp}type must be a tool message type")),
        }
        // TextContent: type "text", text and language required, nothing else.
        for (k, content) in m
            .get("contents")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let cp = format!("{mp}contents.{k}.");
            match content.as_object() {
                Some(c) => {
                    unknown(c, &["type", "text", "language"], &cp, problems);
                    if c.get("type") != Some(&json!("text"))
                        || !c.get("text").is_some_and(Value::is_string)
                        || !c.get("language").and_then(Value::as_str).is_some_and(|l| {
                            l.len() == 2 && l.bytes().all(|b| b.is_ascii_lowercase())
                        })
                    {
                        problems.push(format!(
                            "{cp} must have type \"text\", a text and a two-letter language"
                        ));
                    }
                }
                None => problems.push(format!("{cp} must be an object")),
            }
        }
        if m.get("content")
            .and_then(Value::as_str)
            .is_some_and(|c| c.chars().count() > 1000)
        {
            problems.push(format!(
                "{mp}content must be shorter than or equal to 1000 characters"
            ));
        }
    }
    for (i, parameter) in map
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        match parameter.as_object() {
            Some(p) => unknown(
                p,
                TOOL_PARAMETER_KEYS,
                &format!("{prefix}parameters.{i}."),
                problems,
            ),
            None => problems.push(format!("{prefix}parameters.{i} must be an object")),
        }
    }
}

/// Only webhook credentials with an HMAC plan are checked in depth; that is all we send.
pub(super) fn check_credentials(credentials: &Value, problems: &mut Vec<String>) {
    let Some(items) = credentials.as_array() else {
        problems.push("credentials must be an array".into());
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let prefix = format!("credentials.{i}.");
        let Some(map) = item.as_object() else {
            problems.push(format!("{prefix} must be an object"));
            continue;
        };
        if map.get("provider") != Some(&json!("webhook")) {
            problems.push(format!("{prefix}provider must be \"webhook\""));
            continue;
        }
        unknown(map, WEBHOOK_CREDENTIAL_KEYS, &prefix, problems);
        match map.get("authenticationPlan").and_then(Value::as_object) {
            Some(plan) if plan.get("type") == Some(&json!("hmac")) => {
                unknown(
                    plan,
                    HMAC_PLAN_KEYS,
                    &format!("{prefix}authenticationPlan."),
                    problems,
                );
                if !plan.get("secretKey").is_some_and(Value::is_string) {
                    problems.push(format!(
                        "{prefix}authenticationPlan.secretKey must be a string"
                    ));
                }
                if !plan
                    .get("algorithm")
                    .and_then(Value::as_str)
                    .is_some_and(|a| ["sha256", "sha512", "sha1"].contains(&a))
                {
                    problems.push(format!("{prefix}authenticationPlan.algorithm must be one of the following values: sha256, sha512, sha1"));
                }
            }
            _ => problems.push(format!("{prefix}authenticationPlan must be an hmac plan")),
        }
    }
}

pub(super) fn check_server(server: &Value, prefix: &str, problems: &mut Vec<String>) {
    let Some(map) = server.as_object() else {
        problems.push(format!("{prefix} must be an object"));
        return;
    };
    unknown(map, SERVER_KEYS, prefix, problems);
    if map
        .get("timeoutSeconds")
        .is_some_and(|t| t.as_f64().is_none_or(|t| !(1.0..=300.0).contains(&t)))
    {
        problems.push(format!("{prefix}timeoutSeconds must be between 1 and 300"));
    }
}

pub(super) fn check_json_schema(schema: &Value, prefix: &str, problems: &mut Vec<String>) {
    let Some(map) = schema.as_object() else {
        problems.push(format!("{prefix} must be an object"));
        return;
    };
    unknown(map, JSON_SCHEMA_KEYS, prefix, problems);
    if !map
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| JSON_SCHEMA_TYPES.contains(&t))
    {
        problems.push(format!(
            "{prefix}type must be one of the following values: {}",
            JSON_SCHEMA_TYPES.join(", ")
        ));
    }
    if map
        .get("format")
        .is_some_and(|f| f.as_str().is_none_or(|f| !JSON_SCHEMA_FORMATS.contains(&f)))
    {
        problems.push(format!(
            "{prefix}format must be one of the following values: {}",
            JSON_SCHEMA_FORMATS.join(", ")
        ));
    }
    if map
        .get("enum")
        .is_some_and(|v| v.as_array().is_none_or(|v| !v.iter().all(Value::is_string)))
    {
        problems.push(format!("{prefix}each value in enum must be a string"));
    }
    if let Some(items) = map.get("items") {
        check_json_schema(items, &format!("{prefix}items."), problems);
    }
    if let Some(props) = map.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            check_json_schema(sub, &format!("{prefix}properties.{name}."), problems);
        }
    }
}

/// Properties of `CreateTransferCallToolDTO`.
const TRANSFER_TOOL_KEYS: &[&str] = &["messages", "type", "destinations", "rejectionPlan"];
/// Properties of `TransferDestinationNumber`.
const TRANSFER_NUMBER_KEYS: &[&str] = &[
    "message",
    "type",
    "numberE164CheckEnabled",
    "number",
    "extension",
    "callerId",
    "transferPlan",
    "description",
];

/// A `transferCall` tool: its own keys, and each destination a number with one.
fn check_transfer_tool(map: &Map<String, Value>, prefix: &str, problems: &mut Vec<String>) {
    unknown(map, TRANSFER_TOOL_KEYS, prefix, problems);
    for (i, destination) in map
        .get("destinations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let dp = format!("{prefix}destinations.{i}.");
        match destination.as_object() {
            Some(d) if d.get("type") == Some(&json!("number")) => {
                unknown(d, TRANSFER_NUMBER_KEYS, &dp, problems);
                if !d.get("number").is_some_and(Value::is_string) {
                    problems.push(format!("{dp}number must be a string"));
                }
            }
            _ => problems.push(format!("{dp}type must be \"number\"")),
        }
    }
}
