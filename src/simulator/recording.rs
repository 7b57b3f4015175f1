//! A call recording for the demo: a short generated WAV (two soft beeps) served at
//! [`RECORDING_PATH`], outside Cal.com's API, where VAPI's storage would serve a call's recording.
//! The demo's booking call links it, so its Call page plays something with no VAPI account.

use axum::http::header;
use axum::response::IntoResponse;

/// Where the simulator serves the recording.
pub const RECORDING_PATH: &str = "/_simulator/recording.wav";
/// Samples a second: telephone quality, as call recordings are.
const RATE: u32 = 8_000;
/// Seconds of sound.
const SECONDS: f64 = 1.2;

/// The recording: 16-bit mono PCM, a 440 Hz beep then a 660 Hz one, each faded in and out so
/// it does not click.
pub fn wav() -> Vec<u8> {
    let count = (f64::from(RATE) * SECONDS) as u32;
    let half = count / 2;
    let mut samples = Vec::with_capacity(count as usize * 2);
    for i in 0..count {
        let (pitch, at) = if i < half {
            (440.0, i)
        } else {
            (660.0, i - half)
        };
        let t = f64::from(at) / f64::from(RATE);
        let span = f64::from(half) / f64::from(RATE);
        // Silent at both ends of each beep, loudest in the middle.
        let envelope = (std::f64::consts::PI * t / span).sin();
        let value = 0.3 * envelope * (2.0 * std::f64::consts::PI * pitch * t).sin();
        samples.extend_from_slice(&((value * f64::from(i16::MAX)) as i16).to_le_bytes());
    }
    let data_len = samples.len() as u32;
    let mut out = Vec::with_capacity(44 + samples.len());
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16_u32.to_le_bytes()); // format chunk size
    out.extend_from_slice(&1_u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1_u16.to_le_bytes()); // mono
    out.extend_from_slice(&RATE.to_le_bytes());
    out.extend_from_slice(&(RATE * 2).to_le_bytes()); // bytes a second
    out.extend_from_slice(&2_u16.to_le_bytes()); // bytes a frame
    out.extend_from_slice(&16_u16.to_le_bytes()); // bits a sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    out.extend_from_slice(&samples);
    out
}

/// `GET /_simulator/recording.wav`.
pub(super) async fn serve() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "audio/wav")], wav())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recording_is_a_wav_of_its_length() {
        let wav = wav();
        assert_eq!(&wav[..4], b"RIFF");
        assert_eq!(&wav[8..16], b"WAVEfmt ");
        let data = u32::from_le_bytes(wav[40..44].try_into().unwrap());
        assert_eq!(data as usize, wav.len() - 44);
        assert_eq!(f64::from(data) / f64::from(RATE * 2), SECONDS);
        assert!(wav[44..].iter().any(|b| *b != 0), "it is not silent");
    }
}
