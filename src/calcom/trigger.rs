//! The Cal.com webhook triggers this service understands, as a closed set. A delivery whose
//! trigger is not one of them is logged and acknowledged; what each known one changes is an
//! exhaustive `match` in [`super::webhook`].

/// A Cal.com webhook trigger (`triggerEvent`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Trigger {
    /// A booking was made (accepted, or pending when the type needs confirmation).
    BookingCreated,
    /// A booking awaits the host's confirmation.
    BookingRequested,
    /// A booking moved: a new uid replaces the old one.
    BookingRescheduled,
    /// A booking was cancelled.
    BookingCancelled,
    /// The host declined a requested booking.
    BookingRejected,
    /// An attendee's no-show flag changed.
    BookingNoShowUpdated,
    /// A booking was paid.
    BookingPaid,
    /// A payment was started (no booking change yet).
    BookingPaymentInitiated,
    /// The meeting started.
    MeetingStarted,
    /// The meeting ended.
    MeetingEnded,
    /// Cal.com's test delivery.
    Ping,
}

impl Trigger {
    /// Every trigger understood.
    pub const ALL: [Trigger; 11] = [
        Trigger::BookingCreated,
        Trigger::BookingRequested,
        Trigger::BookingRescheduled,
        Trigger::BookingCancelled,
        Trigger::BookingRejected,
        Trigger::BookingNoShowUpdated,
        Trigger::BookingPaid,
        Trigger::BookingPaymentInitiated,
        Trigger::MeetingStarted,
        Trigger::MeetingEnded,
        Trigger::Ping,
    ];

    /// Whether our webhook subscription asks for it: every trigger that changes a booking.
    pub const fn is_subscribed(self) -> bool {
        match self {
            Trigger::BookingCreated
            | Trigger::BookingRequested
            | Trigger::BookingRescheduled
            | Trigger::BookingCancelled
            | Trigger::BookingRejected
            | Trigger::BookingNoShowUpdated
            | Trigger::BookingPaid
            | Trigger::MeetingEnded => true,
            Trigger::BookingPaymentInitiated | Trigger::MeetingStarted | Trigger::Ping => false,
        }
    }

    /// The name Cal.com sends.
    pub const fn as_str(self) -> &'static str {
        match self {
            Trigger::BookingCreated => "BOOKING_CREATED",
            Trigger::BookingRequested => "BOOKING_REQUESTED",
            Trigger::BookingRescheduled => "BOOKING_RESCHEDULED",
            Trigger::BookingCancelled => "BOOKING_CANCELLED",
            Trigger::BookingRejected => "BOOKING_REJECTED",
            Trigger::BookingNoShowUpdated => "BOOKING_NO_SHOW_UPDATED",
            Trigger::BookingPaid => "BOOKING_PAID",
            Trigger::BookingPaymentInitiated => "BOOKING_PAYMENT_INITIATED",
            Trigger::MeetingStarted => "MEETING_STARTED",
            Trigger::MeetingEnded => "MEETING_ENDED",
            Trigger::Ping => "PING",
        }
    }

    /// The trigger Cal.com calls `name`, if it is one we understand.
    pub fn parse(name: &str) -> Option<Trigger> {
        Trigger::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// Whether the delivery is about one booking and must name it.
    pub const fn names_a_booking(self) -> bool {
        match self {
            Trigger::BookingPaymentInitiated | Trigger::Ping => false,
            Trigger::BookingCreated
            | Trigger::BookingRequested
            | Trigger::BookingRescheduled
            | Trigger::BookingCancelled
            | Trigger::BookingRejected
            | Trigger::BookingNoShowUpdated
            | Trigger::BookingPaid
            | Trigger::MeetingStarted
            | Trigger::MeetingEnded => true,
        }
    }

    /// Whether the body is the booking itself rather than `{"payload": booking}`.
    pub const fn is_flat(self) -> bool {
        matches!(self, Trigger::MeetingStarted | Trigger::MeetingEnded)
    }

    /// A bounded metric label for a trigger as sent: its name, or `other`.
    pub fn label(name: &str) -> &'static str {
        Trigger::parse(name).map_or("other", Trigger::as_str)
    }
}

/// How many triggers our subscription asks for.
const SUBSCRIBED_COUNT: usize = {
    let mut count = 0;
    let mut i = 0;
    while i < Trigger::ALL.len() {
        if Trigger::ALL[i].is_subscribed() {
            count += 1;
        }
        i += 1;
    }
    count
};

/// The subscribed triggers' names, in the order of [`Trigger::ALL`], as Cal.com's API takes them.
pub const SUBSCRIBED_NAMES: [&str; SUBSCRIBED_COUNT] = {
    let mut names = [""; SUBSCRIBED_COUNT];
    let (mut i, mut n) = (0, 0);
    while i < Trigger::ALL.len() {
        if Trigger::ALL[i].is_subscribed() {
            names[n] = Trigger::ALL[i].as_str();
            n += 1;
        }
        i += 1;
    }
    names
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for trigger in Trigger::ALL {
            assert_eq!(Trigger::parse(trigger.as_str()), Some(trigger));
        }
        assert_eq!(Trigger::parse("FORM_SUBMITTED"), None);
        assert_eq!(Trigger::label("x".repeat(2000).as_str()), "other");
    }

    #[test]
    fn every_subscribed_trigger_names_a_booking() {
        for name in SUBSCRIBED_NAMES {
            assert!(
                Trigger::parse(name).is_some_and(Trigger::names_a_booking),
                "{name}"
            );
        }
        assert_eq!(SUBSCRIBED_NAMES.len(), 8);
    }
}
