//! A Cal.com webhook body, as `POST /cal/webhook` parses it once the signature is verified.
//! Nothing may panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vapi_cal::calcom::webhook;

fuzz_target!(|data: &[u8]| {
    let _ = webhook::dedupe_key(data);
    let _ = webhook::parse_delivery(data);
});
