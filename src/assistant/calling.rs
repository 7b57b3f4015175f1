//! The calling assistant: the one that places the business's own calls (reminders before an
//! appointment, a follow-up after a no-show), and the hand-over to a person both assistants
//! carry when `TRANSFER_NUMBER` is set.
//!
//! Each call fills the assistant's variables (`assistantOverrides.variableValues`): the purpose,
//! the appointment id, its time as spoken, the name on the booking and the business's name. The
//! tools are the public ones with the same rules as on an inbound call: the number called is
//! the caller's identity, so the person called reaches their own bookings only.

use serde_json::{Value, json};

use super::{AssistantSpec, END_CALL_MESSAGE, END_CALL_MESSAGE_ES, SERVER_MESSAGES, system_prompt};
use crate::{
    domain::{language::Language, outbound::OutboundOutcome},
    outbound::calling_assistant_name,
};

/// The calling assistant's first words.
pub const CALLING_FIRST_MESSAGE: &str = "Hi{% if callerName and callerName != \"\" %} {{callerName}}{% endif %}, \
this is {{businessName}} calling. \
{% if callPurpose == \"waitlist_offer\" %}A time you asked for on our waitlist just opened up: {{appointmentTime}}. \
We're holding it for you for a few minutes. Would you like it?\
{% elsif callPurpose == \"no_show\" %}About your appointment {{appointmentTime}}: we missed you. Would you like to book a new time?\
{% else %}About your appointment {{appointmentTime}}: can you still make it?{% endif %}";

/// [`CALLING_FIRST_MESSAGE`] for a business whose language is Spanish.
pub const CALLING_FIRST_MESSAGE_ES: &str = "Hola{% if callerName and callerName != \"\" %}, {{callerName}}{% endif %}, \
le llamamos de {{businessName}}. \
{% if callPurpose == \"waitlist_offer\" %}Se acaba de liberar una hora que pidió en nuestra lista de espera: el {{appointmentTime}}. \
Se la guardamos unos minutos. ¿La quiere?\
{% elsif callPurpose == \"no_show\" %}Por su cita del {{appointmentTime}}: no pudo venir. ¿Quiere reservar otra hora?\
{% else %}Por su cita del {{appointmentTime}}: ¿podrá venir?{% endif %}";

/// What a voicemail hears: short, once.
pub const VOICEMAIL_MESSAGE: &str = "Hi, this is {{businessName}} calling{% if callPurpose == \"waitlist_offer\" %}: \
a time you asked for on our waitlist opened up. If it is still free, you can book it by calling us back. Goodbye.\
{% else %} about your appointment {{appointmentTime}}. To move or cancel it, please call us back. Goodbye.{% endif %}";

/// [`VOICEMAIL_MESSAGE`] in Spanish.
pub const VOICEMAIL_MESSAGE_ES: &str = "Hola, le llamamos de {{businessName}}{% if callPurpose == \"waitlist_offer\" %}: \
se liberó una hora que pidió en nuestra lista de espera. Si sigue libre, puede reservarla devolviéndonos la llamada. Hasta luego.\
{% else %} por su cita del {{appointmentTime}}. Para cambiarla o cancelarla, devuélvanos la llamada. Hasta luego.{% endif %}";

/// The prompt lines of a call the business placed, before the general rules.
const CALLING_PROMPT: &str = "This is a call YOU placed on behalf of {{businessName}} to the person who booked \
appointment {{appointmentId}}, which is {{appointmentTime}}. The purpose of the call is \"{{callPurpose}}\":
- \"reminder\": remind them of the appointment and ask whether they can still make it. If they can, thank them \
and end the call. If they cannot, offer to move it (check availability_read first, then appointment_update with \
appointmentId {{appointmentId}}) or to cancel it (appointment_cancel), and confirm before changing anything.
- \"no_show\": they missed the appointment. Offer to book a new time (availability_read, then appointment_create).
- \"waitlist_offer\": they are on the waitlist (entry {{waitlistId}}) and {{appointmentTime}} just opened up; it is \
held for them during this call. Offer it. If they want it, book it with appointment_create, start {{offeredStart}} and \
eventTypeId {{eventTypeId}} (their name is on file), and say it back only after the result confirms it. If they do \
not want it, thank them: they stay on the waitlist unless they ask to leave it (waitlist_leave).
If they ask not to be called again, call call_opt_out and tell them the business will not call again. \
If they ask for a person, hand the call over with transferCall when you have it; otherwise say someone will call back. \
If you reach a voicemail, leave the short message and end the call. Never read out anyone else's details.

The rules below, written for people who call the business, apply to the person you called.

";

impl AssistantSpec {
    /// The calling assistant: "<name> (calls)", the public tools (and the hand-over), its
    /// first message and voicemail message in the business's language, and a structured
    /// outcome VAPI fills in after each call.
    pub fn calling_definition(&self) -> anyhow::Result<Value> {
        let mut definition = self.definition()?;
        let name = definition["name"].as_str().unwrap_or_default().to_owned();
        definition["name"] = json!(calling_assistant_name(&name));
        let (first, voicemail, end) = match self.business_language {
            Language::En => (CALLING_FIRST_MESSAGE, VOICEMAIL_MESSAGE, END_CALL_MESSAGE),
            Language::Es => (
                CALLING_FIRST_MESSAGE_ES,
                VOICEMAIL_MESSAGE_ES,
                END_CALL_MESSAGE_ES,
            ),
        };
        definition["firstMessage"] = json!(first);
        definition["voicemailMessage"] = json!(voicemail);
        definition["endCallMessage"] = json!(end);
        definition["voicemailDetection"] = json!({"provider": "vapi"});
        definition["serverMessages"] = json!(SERVER_MESSAGES);
        let prompt = format!("{CALLING_PROMPT}{}", system_prompt(self.business_tz));
        definition["model"]["messages"] = json!([{"role": "system", "content": prompt}]);
        // The reminders' outcomes, and a waitlist offer's yes or no.
        let outcomes: Vec<&str> = OutboundOutcome::ALL
            .iter()
            .filter(|o| **o != OutboundOutcome::Failed)
            .map(|o| o.label())
            .chain(["accepted", "declined"])
            .collect();
        definition["analysisPlan"] = json!({
            "structuredDataPlan": {
                "enabled": true,
                "schema": {
                    "type": "object",
                    "properties": {
                        "outcome": {
                            "type": "string",
                            "description": "How the call ended for the appointment (for a waitlist offer: accepted or declined the time offered).",
                            "enum": outcomes,
                        }
                    }
                }
            }
        });
        definition["metadata"] = json!({"managedBy": "vapi-cal", "purpose": "calls"});
        Ok(definition)
    }

    /// VAPI's transfer-call tool to `TRANSFER_NUMBER`, when it is set.
    pub fn transfer_tool(&self) -> Option<Value> {
        let number = self.transfer_number.as_deref()?;
        let message = match self.business_language {
            Language::En => "I'll put you through to someone now. One moment.",
            Language::Es => "Le paso con una persona ahora. Un momento.",
        };
        Some(json!({
            "type": "transferCall",
            "destinations": [{
                "type": "number",
                "number": number,
                "message": message,
                "description": "A person at the business, for a caller who asks for one or when the tools have failed twice.",
            }],
        }))
    }
}
