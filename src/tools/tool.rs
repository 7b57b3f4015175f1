//! The closed set of tools the assistant can call. Everything that differs by tool (its name on
//! the wire, whether it changes the calendar, how it links to a call, its parameter schema) is an
//! exhaustive `match` here, so adding a tool is adding a variant and following the compiler.

use serde_json::Value;

use crate::{db::call_records::LinkAction, domain::language::Language};

use super::{
    params::{
        AnswerParams, AppointmentCancelParams, AppointmentCreateParams, AppointmentReadParams,
        AppointmentUpdateParams, AvailabilityReadParams, CallOptOutParams, CallerVerifyParams,
        UserCreateParams, UserReadParams, WaitlistJoinParams, WaitlistLeaveParams,
    },
    schema::root_schema,
};

/// One of the assistant's tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tool {
    /// The caller's appointments.
    AppointmentRead,
    /// Book an appointment.
    AppointmentCreate,
    /// Move an appointment.
    AppointmentUpdate,
    /// Cancel an appointment.
    AppointmentCancel,
    /// The calendar's owner or a member of the organization.
    UserRead,
    /// Add a member to the organization.
    UserCreate,
    /// Open times.
    AvailabilityRead,
    /// Prove, by a one-time code sent to it, that a caller without a number owns an email.
    CallerVerify,
    /// The caller's number asks not to be called by the business again.
    CallOptOut,
    /// Wait for a time that is full: the business calls back when one opens.
    WaitlistJoin,
    /// Stop waiting.
    WaitlistLeave,
}

impl Tool {
    /// Every tool, in the order the assistant lists them.
    pub const ALL: [Tool; 11] = [
        Tool::AppointmentRead,
        Tool::AppointmentCreate,
        Tool::AppointmentUpdate,
        Tool::AppointmentCancel,
        Tool::UserRead,
        Tool::UserCreate,
        Tool::AvailabilityRead,
        Tool::CallerVerify,
        Tool::CallOptOut,
        Tool::WaitlistJoin,
        Tool::WaitlistLeave,
    ];

    /// The name the assistant calls it by.
    pub const fn name(self) -> &'static str {
        match self {
            Tool::AppointmentRead => "appointment_read",
            Tool::AppointmentCreate => "appointment_create",
            Tool::AppointmentUpdate => "appointment_update",
            Tool::AppointmentCancel => "appointment_cancel",
            Tool::UserRead => "user_read",
            Tool::UserCreate => "user_create",
            Tool::AvailabilityRead => "availability_read",
            Tool::CallerVerify => "caller_verify",
            Tool::CallOptOut => "call_opt_out",
            Tool::WaitlistJoin => "waitlist_join",
            Tool::WaitlistLeave => "waitlist_leave",
        }
    }

    /// The tool called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Tool> {
        Tool::ALL.into_iter().find(|tool| tool.name() == name)
    }

    /// Whether it changes the calendar: a repeated tool-call id then gets the stored answer, not
    /// a second change.
    pub const fn writes(self) -> bool {
        match self {
            Tool::AppointmentCreate
            | Tool::AppointmentUpdate
            | Tool::AppointmentCancel
            | Tool::UserCreate
            // A repeated join must not add a second entry.
            | Tool::WaitlistJoin => true,
            // A code sent twice is bounded by the sends a call may make, not by a claim.
            Tool::AppointmentRead
            | Tool::UserRead
            | Tool::AvailabilityRead
            | Tool::CallerVerify
            // Recording it twice changes nothing.
            | Tool::CallOptOut
            | Tool::WaitlistLeave => false,
        }
    }

    /// Whether only staff calls may run it (see [`StaffPolicy`](super::StaffPolicy)): the public
    /// assistant is registered without these tools, and the server refuses them to other calls.
    pub const fn staff_only(self) -> bool {
        match self {
            Tool::UserCreate => true,
            Tool::AppointmentRead
            | Tool::AppointmentCreate
            | Tool::AppointmentUpdate
            | Tool::AppointmentCancel
            | Tool::UserRead
            | Tool::AvailabilityRead
            | Tool::CallerVerify
            | Tool::CallOptOut
            | Tool::WaitlistJoin
            | Tool::WaitlistLeave => false,
        }
    }

    /// The tools an assistant is given: all of them for staff, the others for the public.
    pub fn for_assistant(staff: bool) -> impl Iterator<Item = Tool> {
        Tool::ALL
            .into_iter()
            .filter(move |tool| staff || !tool.staff_only())
    }

    /// What it does, as a caller would hear it named in a refusal.
    pub const fn spoken(self) -> &'static str {
        match self {
            Tool::AppointmentRead => "looking up appointments",
            Tool::AppointmentCreate => "booking appointments",
            Tool::AppointmentUpdate => "moving appointments",
            Tool::AppointmentCancel => "cancelling appointments",
            Tool::UserRead => "looking up calendar users",
            Tool::UserCreate => "creating calendar users",
            Tool::AvailabilityRead => "checking open times",
            Tool::CallerVerify => "confirming an email address",
            Tool::CallOptOut => "stopping calls to this number",
            Tool::WaitlistJoin => "joining the waitlist",
            Tool::WaitlistLeave => "leaving the waitlist",
        }
    }

    /// What a successful run did to the appointment it names, as the call's link to it.
    pub const fn link_action(self) -> Option<LinkAction> {
        match self {
            Tool::AppointmentCreate => Some(LinkAction::Booked),
            Tool::AppointmentUpdate => Some(LinkAction::Moved),
            Tool::AppointmentCancel => Some(LinkAction::Cancelled),
            Tool::AppointmentRead
            | Tool::UserRead
            | Tool::UserCreate
            | Tool::AvailabilityRead
            | Tool::CallerVerify
            | Tool::CallOptOut
            | Tool::WaitlistJoin
            | Tool::WaitlistLeave => None,
        }
    }

    /// schemars' schema of its parameter type with the common `language` argument (before
    /// reduction to VAPI's subset).
    pub fn parameter_schema(self) -> Value {
        let mut root = self.own_schema();
        let common = root_schema::<AnswerParams>();
        if let (Some(own), Some(Value::Object(extra))) = (
            root.get_mut("properties").and_then(Value::as_object_mut),
            common.get("properties"),
        ) {
            for (name, mut schema) in extra.clone() {
                if name == "language" {
                    // The codes the service speaks, so the model picks one of them.
                    let codes: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
                    schema["enum"] = serde_json::json!(codes);
                }
                own.insert(name, schema);
            }
        }
        root
    }

    /// schemars' schema of its own parameter type.
    fn own_schema(self) -> Value {
        match self {
            Tool::AppointmentRead => root_schema::<AppointmentReadParams>(),
            Tool::AppointmentCreate => root_schema::<AppointmentCreateParams>(),
            Tool::AppointmentUpdate => root_schema::<AppointmentUpdateParams>(),
            Tool::AppointmentCancel => root_schema::<AppointmentCancelParams>(),
            Tool::UserRead => root_schema::<UserReadParams>(),
            Tool::UserCreate => root_schema::<UserCreateParams>(),
            Tool::AvailabilityRead => root_schema::<AvailabilityReadParams>(),
            Tool::CallerVerify => root_schema::<CallerVerifyParams>(),
            Tool::CallOptOut => root_schema::<CallOptOutParams>(),
            Tool::WaitlistJoin => root_schema::<WaitlistJoinParams>(),
            Tool::WaitlistLeave => root_schema::<WaitlistLeaveParams>(),
        }
    }
}

impl std::fmt::Display for Tool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for tool in Tool::ALL {
            assert_eq!(Tool::from_name(tool.name()), Some(tool));
        }
        let mut names: Vec<_> = Tool::ALL.iter().map(|t| t.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Tool::ALL.len());
        assert_eq!(Tool::from_name("nope"), None);
    }

    #[test]
    fn the_public_assistant_has_every_tool_but_the_staff_ones() {
        let public: Vec<Tool> = Tool::for_assistant(false).collect();
        assert_eq!(public.len(), Tool::ALL.len() - 1);
        assert!(!public.contains(&Tool::UserCreate));
        assert_eq!(Tool::for_assistant(true).count(), Tool::ALL.len());
    }

    #[test]
    fn only_appointment_writes_link_to_a_call() {
        for tool in Tool::ALL {
            if tool.link_action().is_some() {
                assert!(tool.writes(), "{tool}");
            }
        }
    }
}
