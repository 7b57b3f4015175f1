//! The kinds of server message VAPI sends, as a closed set: what the webhook handler does with a
//! message, which ones are call lifecycle, and the metric label, each an exhaustive `match`.

/// The `type` of a VAPI server message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// Tool calls to answer (`tool-calls`).
    ToolCalls,
    /// The legacy single function call (`function-call`).
    FunctionCall,
    /// The call's status changed (`status-update`).
    StatusUpdate,
    /// The call's report (`end-of-call-report`).
    EndOfCallReport,
    /// The call hung (`hang`).
    Hang,
    /// The conversation so far (`conversation-update`).
    ConversationUpdate,
    /// A transcript line (`transcript`, or `transcript[transcriptType="final"]` for a
    /// subscription to final lines only).
    Transcript {
        /// The subscription asked for final lines only.
        final_only: bool,
    },
    /// VAPI asks which assistant answers an inbound call (`assistant-request`).
    AssistantRequest,
    /// Someone started or stopped speaking (`speech-update`).
    SpeechUpdate,
    /// The transcriber switched to the language the caller speaks (`language-change-detected`).
    LanguageChangeDetected,
    /// Any other type: acknowledged and otherwise ignored.
    Other,
}

impl MessageKind {
    /// The kind of a message whose `type` is `name`.
    pub fn parse(name: &str) -> MessageKind {
        match name {
            "tool-calls" => MessageKind::ToolCalls,
            "function-call" => MessageKind::FunctionCall,
            "status-update" => MessageKind::StatusUpdate,
            "end-of-call-report" => MessageKind::EndOfCallReport,
            "hang" => MessageKind::Hang,
            "conversation-update" => MessageKind::ConversationUpdate,
            "assistant-request" => MessageKind::AssistantRequest,
            "speech-update" => MessageKind::SpeechUpdate,
            "language-change-detected" => MessageKind::LanguageChangeDetected,
            transcript if transcript.starts_with("transcript") => MessageKind::Transcript {
                final_only: transcript.contains("final"),
            },
            _ => MessageKind::Other,
        }
    }

    /// The metric label: the type's name, `other` for the rest (a bounded set).
    pub const fn label(self) -> &'static str {
        match self {
            MessageKind::ToolCalls => "tool-calls",
            MessageKind::FunctionCall => "function-call",
            MessageKind::StatusUpdate => "status-update",
            MessageKind::EndOfCallReport => "end-of-call-report",
            MessageKind::Hang => "hang",
            MessageKind::ConversationUpdate => "conversation-update",
            MessageKind::Transcript { .. } => "transcript",
            MessageKind::AssistantRequest => "assistant-request",
            MessageKind::SpeechUpdate => "speech-update",
            MessageKind::LanguageChangeDetected => "language-change-detected",
            MessageKind::Other => "other",
        }
    }

    /// Whether it tells us about the call itself, and so is recorded on the call's record.
    pub const fn is_lifecycle(self) -> bool {
        match self {
            MessageKind::StatusUpdate
            | MessageKind::EndOfCallReport
            | MessageKind::Hang
            | MessageKind::ConversationUpdate
            | MessageKind::Transcript { .. } => true,
            MessageKind::ToolCalls
            | MessageKind::FunctionCall
            | MessageKind::AssistantRequest
            | MessageKind::SpeechUpdate
            | MessageKind::LanguageChangeDetected
            | MessageKind::Other => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_type_and_bounds_the_rest() {
        assert_eq!(MessageKind::parse("tool-calls"), MessageKind::ToolCalls);
        assert_eq!(
            MessageKind::parse("transcript[transcriptType=\"final\"]"),
            MessageKind::Transcript { final_only: true }
        );
        assert_eq!(
            MessageKind::parse("transcript"),
            MessageKind::Transcript { final_only: false }
        );
        assert_eq!(MessageKind::parse(&"x".repeat(500)).label(), "other");
        assert!(MessageKind::parse("hang").is_lifecycle());
        assert!(!MessageKind::parse("assistant-request").is_lifecycle());
    }
}
