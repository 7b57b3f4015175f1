//! Callers answered in their language: the `language` argument, the language VAPI detects on a
//! call, and the business's language, with every answer saying which one it speaks. The Spanish
//! sentences are snapshots (`api__languages__*.snap`), in the tests' pinned world (Saturday,
//! November 21, 2026, 10:00 AM in New York).

use serde_json::{Value, json};

use crate::{
    spoken::Transcript,
    support::{CALLER, Options, Outcome, TestApp},
};

/// `args` with `"language": "es"`.
fn es(mut args: Value) -> Value {
    args["language"] = json!("es");
    args
}

#[tokio::test]
async fn every_tool_answers_in_spanish_when_asked() {
    let app = TestApp::spawn().await;
    app.seed("mine", "2026-11-24T20:00:00Z", Some(CALLER), None);
    app.seed("later", "2026-11-25T14:00:00Z", Some(CALLER), None);
    let mut t = Transcript::default();

    let open = app
        .answer("availability_read", es(json!({"date": "2026-11-24"})))
        .await;
    assert_eq!(open["language"], "es", "{open}");
    // Structured fields are the same in every language; only what is spoken changes.
    assert_eq!(open["days"][0]["date"], "2026-11-24");
    assert!(
        open["days"][0]["starts"][0]
            .as_str()
            .is_some_and(|s| s.starts_with("2026-11-24T")),
        "{open}"
    );
    assert_eq!(open["days"][0]["day"], "martes 24 de noviembre");
    assert_eq!(open["today"], "sábado 21 de noviembre de 2026");
    t.answered("horas libres un día", &open, None);
    let afternoon = app
        .answer(
            "availability_read",
            es(json!({"date": "2026-11-24", "partOfDay": "afternoon"})),
        )
        .await;
    t.answered("horas libres una tarde", &afternoon, None);
    let evening = app
        .answer(
            "availability_read",
            es(json!({"date": "2026-11-24", "partOfDay": "evening"})),
        )
        .await;
    t.answered("horas libres una noche sin ninguna", &evening, None);
    t.answered(
        "las citas de quien llama",
        &app.answer("appointment_read", es(json!({}))).await,
        None,
    );
    let booked = app
        .answer(
            "appointment_create",
            es(json!({"start": "2026-11-26T11:00", "attendeeName": "Juana Pérez"})),
        )
        .await;
    let id = booked["appointment"]["appointmentId"].as_str();
    assert!(
        booked["appointment"]["when"]
            .as_str()
            .is_some_and(|w| w.starts_with("jueves 26 de noviembre a las once de la mañana")),
        "{booked}"
    );
    t.answered("una reserva", &booked, id);
    let moved = app
        .answer(
            "appointment_update",
            es(json!({"appointmentId": "mine", "start": "2026-11-27T10:00"})),
        )
        .await;
    let new_id = moved["appointment"]["appointmentId"].as_str();
    t.answered("un cambio de hora", &moved, new_id);
    t.answered(
        "una cancelación",
        &app.answer("appointment_cancel", es(json!({"appointmentId": "later"})))
            .await,
        None,
    );
    t.answered(
        "el negocio",
        &app.answer("user_read", es(json!({}))).await,
        None,
    );
    insta::assert_snapshot!("respuestas", t.0);
}

#[tokio::test]
async fn refusals_and_questions_are_spanish_too() {
    let app = TestApp::spawn().await;
    app.seed("mine", "2026-11-24T20:00:00Z", Some(CALLER), None);
    app.seed("theirs", "2026-11-24T16:00:00Z", Some("+15559999999"), None);
    let mut t = Transcript::default();
    let create = |start: &str| es(json!({"start": start, "attendeeName": "Juana Pérez"}));
    t.heard(
        "reservar una hora pasada",
        &app.refusal("appointment_create", create("2026-11-20T15:00"))
            .await,
    );
    t.heard(
        "reservar una hora ocupada",
        &app.refusal("appointment_create", create("2026-11-24T15:00"))
            .await,
    );
    t.heard(
        "reservar con un correo que no lo es",
        &app.refusal(
            "appointment_create",
            es(json!({"start": "2026-11-24T11:00", "attendeeName": "Juana", "attendeeEmail": "juana en example"})),
        )
        .await,
    );
    t.heard(
        "cambiar la cita de otra persona",
        &app.refusal(
            "appointment_update",
            es(json!({"appointmentId": "theirs", "start": "2026-11-25T10:00"})),
        )
        .await,
    );
    t.heard(
        "un intervalo que termina antes de empezar",
        &app.refusal(
            "availability_read",
            es(json!({"date": "2026-11-24", "after": "5pm", "before": "9am"})),
        )
        .await,
    );
    t.heard(
        "demasiados días",
        &app.refusal(
            "availability_read",
            es(json!({"date": "2026-11-24", "endDate": "2026-12-24"})),
        )
        .await,
    );
    t.heard(
        "una herramienta del personal",
        &app.refusal(
            "user_create",
            es(json!({"email": "a@example.com", "name": "A"})),
        )
        .await,
    );
    t.heard(
        "una herramienta que no existe",
        &app.refusal("appointment_delete", es(json!({}))).await,
    );
    insta::assert_snapshot!("negativas", t.0);
}

#[tokio::test]
async fn the_language_detected_on_the_call_is_kept_for_its_later_answers() {
    let app = TestApp::spawn().await;
    let english = app.open_times("2026-11-24").await;
    assert_eq!(english["language"], "en", "{english}");
    assert!(
        Outcome::summary(&english).starts_with("Open times"),
        "{english}"
    );

    let (status, _) = app
        .message(json!({
            "type": "language-change-detected",
            "language": "es",
            "call": {"id": "call-1"},
        }))
        .await;
    assert_eq!(status, 200);
    // The helpers' tool calls are on the same call: the next one, without a language, is Spanish.
    let spanish = app.open_times("2026-11-24").await;
    assert_eq!(spanish["language"], "es", "{spanish}");
    assert!(
        Outcome::summary(&spanish).starts_with("Horas libres"),
        "{spanish}"
    );
    // The model may still ask for English explicitly.
    let asked = app
        .answer(
            "availability_read",
            json!({"date": "2026-11-24", "language": "en"}),
        )
        .await;
    assert_eq!(asked["language"], "en", "{asked}");

    // Another call is not affected.
    let (status, other) = app
        .message(json!({
            "type": "tool-calls",
            "call": {"id": "call-2"},
            "customer": {"number": CALLER},
            "toolCallList": [{"id": "tc-other", "type": "function",
                "function": {"name": "availability_read", "arguments": {"date": "2026-11-24"}}}],
        }))
        .await;
    assert_eq!(status, 200);
    let result: Value =
        serde_json::from_str(other["results"][0]["result"].as_str().expect("a result")).unwrap();
    assert_eq!(result["language"], "en", "{result}");

    // A switch back to English is followed too.
    app.message(
        json!({"type": "language-change-detected", "language": "en-US", "call": {"id": "call-1"}}),
    )
    .await;
    assert_eq!(app.open_times("2026-11-24").await["language"], "en");
}

#[tokio::test]
async fn odd_language_values_never_fail_a_tool_call() {
    let app = TestApp::spawn().await;
    for language in [
        json!("fr"),
        json!("klingon"),
        json!(42),
        json!(null),
        json!(["es"]),
        json!("x".repeat(5_000)),
        json!(""),
    ] {
        let answer = app
            .answer(
                "availability_read",
                json!({"date": "2026-11-24", "language": language}),
            )
            .await;
        // A language the service does not speak answers in the business's language.
        assert_eq!(answer["language"], "en", "{language}: {answer}");
    }
    for language in ["es-MX", "ES", "spanish", "es_419"] {
        let answer = app
            .answer(
                "availability_read",
                json!({"date": "2026-11-24", "language": language}),
            )
            .await;
        assert_eq!(answer["language"], "es", "{language}: {answer}");
    }
    // A hostile language-change message is acknowledged and changes nothing.
    for hostile in [json!("x".repeat(10_000)), json!({"a": 1}), json!("fr")] {
        let (status, _) = app
            .message(json!({"type": "language-change-detected", "language": hostile, "call": {"id": "call-1"}}))
            .await;
        assert_eq!(status, 200);
    }
    assert_eq!(app.open_times("2026-11-24").await["language"], "en");
}

#[tokio::test]
async fn a_spanish_business_answers_in_spanish_unless_told_otherwise() {
    let app = TestApp::spawn_with(Options {
        tweak: Some(|s| s.business_language = vapi_cal::domain::language::Language::Es),
        ..Options::default()
    })
    .await;
    let answer = app.open_times("2026-11-24").await;
    assert_eq!(answer["language"], "es", "{answer}");
    let refusal = app
        .refusal(
            "appointment_create",
            json!({"start": "2026-11-20T15:00", "attendeeName": "Ana"}),
        )
        .await;
    assert!(refusal.contains("ya pasó"), "{refusal}");
    let english = app
        .answer(
            "availability_read",
            json!({"date": "2026-11-24", "language": "en"}),
        )
        .await;
    assert_eq!(english["language"], "en", "{english}");
}

#[tokio::test]
async fn every_tool_schema_offers_the_languages_spoken() {
    for (name, schema) in vapi_cal::tools::schema::all_tool_schemas() {
        let language = &schema["function"]["parameters"]["properties"]["language"];
        assert_eq!(language["enum"], json!(["en", "es"]), "{name}: {schema}");
        assert!(
            !schema["function"]["parameters"]["required"]
                .as_array()
                .is_some_and(|r| r.contains(&json!("language"))),
            "{name}: language is optional"
        );
    }
}

#[tokio::test]
async fn a_spanish_business_greets_a_known_caller_with_a_spanish_date() {
    let app = TestApp::spawn_with(Options {
        tweak: Some(|s| s.business_language = vapi_cal::domain::language::Language::Es),
        ..Options::default()
    })
    .await;
    app.seed("upcoming-1", "2026-11-24T20:00:00Z", Some(CALLER), None);
    app.reconcile().await;
    let (status, body) = app.assistant_request(Some(CALLER)).await;
    assert_eq!(status, 200, "{body}");
    let values = &body["assistantOverrides"]["variableValues"];
    assert_eq!(
        values["nextAppointment"],
        "martes 24 de noviembre a las tres de la tarde (EST)"
    );
    assert_eq!(values["today"], "sábado 21 de noviembre de 2026");
}

#[tokio::test]
async fn spanish_times_are_read_and_questioned_in_spanish() {
    let app = TestApp::spawn().await;
    // Saturday, November 21, 2026, 10:00 AM in New York.
    let afternoon = app
        .answer(
            "availability_read",
            es(json!({"date": "mañana por la tarde"})),
        )
        .await;
    assert_eq!(afternoon["from"], "2026-11-22", "{afternoon}");
    assert_eq!(afternoon["window"]["partOfDay"], "afternoon", "{afternoon}");
    let booked = app
        .answer(
            "appointment_create",
            es(json!({"start": "el martes que viene a las tres y media", "attendeeName": "Juana Pérez"})),
        )
        .await;
    assert_eq!(
        booked["appointment"]["startUtc"], "2026-11-24T20:30:00Z",
        "{booked}"
    );
    let quarter_to = app
        .answer(
            "appointment_create",
            es(json!({"start": "pasado mañana a las cuatro y media", "attendeeName": "Juana Pérez"})),
        )
        .await;
    assert_eq!(
        quarter_to["appointment"]["startUtc"], "2026-11-23T21:30:00Z",
        "{quarter_to}"
    );
    // A transcript without accents reads the same.
    let plain = app
        .answer("availability_read", es(json!({"date": "el miercoles"})))
        .await;
    assert_eq!(plain["from"], "2026-11-25", "{plain}");
    let mut t = Transcript::default();
    for said in [
        "el viernes pasado a las diez",
        "el 14 de marzo de 2027 a las dos y media de la madrugada",
        "12/03 a las 10",
        "mañana hacia las tres",
        "mañana a las tres con el doctor",
    ] {
        t.heard(
            said,
            &app.refusal(
                "appointment_create",
                es(json!({"start": said, "attendeeName": "Juana Pérez"})),
            )
            .await,
        );
    }
    insta::assert_snapshot!("preguntas", t.0);
}

#[tokio::test]
async fn another_replica_answers_in_the_language_detected_on_the_first() {
    let app = TestApp::spawn().await;
    let other = app.replica(Options::default()).await;
    app.message(
        json!({"type": "language-change-detected", "language": "es", "call": {"id": "call-1"}}),
    )
    .await;
    let answer = other.open_times("2026-11-24").await;
    assert_eq!(answer["language"], "es", "{answer}");
}
