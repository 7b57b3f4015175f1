//! Who is calling, decided by the server from VAPI's message and never from a tool's arguments:
//! the caller's number (read strictly, see [`caller_e164`]) and whether the call is staff's.

use crate::{domain::phone::caller_e164, vapi::CallInfo};

use super::{CallContext, ToolContext};

/// Which calls are staff's: from a number in `STAFF_NUMBERS`, or on a VAPI phone number in
/// `STAFF_PHONE_NUMBER_IDS`; the deprecated `STAFF_LINE` makes every call staff's.
#[derive(Clone, Debug, Default)]
pub struct StaffPolicy {
    /// Staff numbers, in E.164.
    pub numbers: Vec<String>,
    /// VAPI phone-number ids of staff lines.
    pub phone_number_ids: Vec<String>,
    /// `STAFF_LINE`: every call on this process is staff's.
    pub every_call: bool,
}

impl StaffPolicy {
    /// Whether a call from `caller` (a verified E.164 number) on `phone_number_id` is staff's.
    pub fn is_staff(&self, caller: Option<&str>, phone_number_id: Option<&str>) -> bool {
        self.every_call
            || caller.is_some_and(|c| self.numbers.iter().any(|n| n == c))
            || phone_number_id.is_some_and(|id| self.phone_number_ids.iter().any(|s| s == id))
    }
}

impl ToolContext {
    /// The context of one tool call in the call VAPI's message describes.
    pub fn call_context(&self, info: &CallInfo, tool_call_id: String) -> CallContext {
        let caller_phone = info.caller_number.as_deref().and_then(caller_e164);
        let staff = self
            .staff
            .is_staff(caller_phone.as_deref(), info.phone_number_id.as_deref());
        CallContext::new(info.call_id.clone(), tool_call_id, caller_phone, staff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_by_number_or_line_only() {
        let policy = StaffPolicy {
            numbers: vec!["+15550001111".into()],
            phone_number_ids: vec!["pn-staff".into()],
            every_call: false,
        };
        assert!(policy.is_staff(Some("+15550001111"), None));
        assert!(policy.is_staff(None, Some("pn-staff")));
        assert!(!policy.is_staff(Some("+15550002222"), Some("pn-public")));
        assert!(!policy.is_staff(None, None));
        let every = StaffPolicy {
            every_call: true,
            ..StaffPolicy::default()
        };
        assert!(every.is_staff(None, None));
    }
}
