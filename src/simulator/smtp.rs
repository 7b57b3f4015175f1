//! A tiny in-process SMTP server that keeps what it receives in memory: the mailbox of the demo
//! and the tests, so a one-time code is read from the mail as a caller would read it.
//!
//! It speaks just enough SMTP for a client such as `lettre` on loopback: `EHLO`/`HELO`,
//! `MAIL FROM`, `RCPT TO`, `DATA` (dot-unstuffed), `RSET`, `NOOP`, `QUIT`; no TLS, no auth.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
    sync::Notify,
    task::JoinHandle,
};

/// Longest line or message the sink accepts (a client gone wrong cannot fill memory).
const MAX_MESSAGE: usize = 256 * 1024;

/// One message as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    /// The envelope sender.
    pub from: String,
    /// The envelope recipients.
    pub to: Vec<String>,
    /// Headers and body as sent (quoted-printable or base64 parts stay encoded).
    pub data: String,
}

impl Mail {
    /// The first run of `digits` digits in the message's body (after the headers), e.g. a code.
    pub fn code(&self, digits: usize) -> Option<String> {
        let body = self
            .data
            .split_once("\r\n\r\n")
            .map_or(self.data.as_str(), |(_, body)| body);
        let bytes = body.as_bytes();
        (0..bytes.len()).find_map(|i| {
            let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
            let starts = i == 0 || !bytes[i - 1].is_ascii_digit();
            (starts && run == digits).then(|| body[i..i + digits].to_owned())
        })
    }
}

/// Shared state of a running sink.
#[derive(Debug, Default)]
struct Inbox {
    mails: Mutex<Vec<Mail>>,
    arrived: Notify,
}

/// A running SMTP sink; it stops when the last handle is dropped.
#[derive(Clone, Debug)]
pub struct SmtpSink {
    addr: SocketAddr,
    inbox: Arc<Inbox>,
    _task: Arc<AbortOnDrop>,
}

#[derive(Debug)]
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl SmtpSink {
    /// Starts a sink on a free loopback port.
    pub async fn spawn() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let inbox = Arc::new(Inbox::default());
        let accepting = inbox.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let inbox = accepting.clone();
                tokio::spawn(async move {
                    if let Err(err) = session(stream, &inbox).await {
                        tracing::debug!(%err, "SMTP sink session ended");
                    }
                });
            }
        });
        Ok(Self {
            addr,
            inbox,
            _task: Arc::new(AbortOnDrop(task)),
        })
    }

    /// The `SMTP_URL` that reaches this sink.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Every message received so far, oldest first.
    pub fn mails(&self) -> Vec<Mail> {
        self.inbox
            .mails
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Waits until at least `count` messages have arrived, and returns them all.
    pub async fn wait_for(&self, count: usize) -> Vec<Mail> {
        loop {
            let arrived = self.inbox.arrived.notified();
            let mails = self.mails();
            if mails.len() >= count {
                return mails;
            }
            arrived.await;
        }
    }

    /// Waits for each new message and hands it to `on_mail` (the demo logs the code).
    pub fn on_each(&self, on_mail: impl Fn(&Mail) + Send + 'static) -> JoinHandle<()> {
        let sink = self.clone();
        tokio::spawn(async move {
            let mut seen = 0;
            loop {
                let mails = sink.wait_for(seen + 1).await;
                for mail in &mails[seen..] {
                    on_mail(mail);
                }
                seen = mails.len();
            }
        })
    }
}

/// One client connection, until `QUIT` or the client goes.
async fn session(stream: TcpStream, inbox: &Inbox) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 vapi-cal sink ESMTP\r\n").await?;
    let mut from = String::new();
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if read_line(&mut lines, &mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-vapi-cal sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" | "NOOP" => b"250 OK\r\n",
            "MAIL" => {
                from = address(&command);
                to.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                to.push(address(&command));
                b"250 OK\r\n"
            }
            "RSET" => {
                from.clear();
                to.clear();
                b"250 OK\r\n"
            }
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let data = read_data(&mut lines).await?;
                let mail = Mail {
                    from: std::mem::take(&mut from),
                    to: std::mem::take(&mut to),
                    data,
                };
                inbox
                    .mails
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(mail);
                inbox.arrived.notify_waiters();
                b"250 OK: queued\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 Command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}

/// Reads one line, refusing one longer than the message limit.
async fn read_line(
    lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    line: &mut String,
) -> std::io::Result<usize> {
    let read = lines.read_line(line).await?;
    if line.len() > MAX_MESSAGE {
        return Err(std::io::Error::other("line too long"));
    }
    Ok(read)
}

/// The message after `DATA`, up to the lone dot, with leading dots unstuffed.
async fn read_data(
    lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> std::io::Result<String> {
    let mut data = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if read_line(lines, &mut line).await? == 0 {
            return Err(std::io::Error::other("connection closed inside DATA"));
        }
        let text = line.trim_end_matches(['\r', '\n']);
        if text == "." {
            return Ok(data);
        }
        data.push_str(text.strip_prefix('.').unwrap_or(text));
        data.push_str("\r\n");
        if data.len() > MAX_MESSAGE {
            return Err(std::io::Error::other("message too large"));
        }
    }
}

/// The address in `MAIL FROM:<a@b>` or `RCPT TO:<a@b>`.
fn address(command: &str) -> String {
    let inside = command
        .split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(addr, _)| addr);
    inside
        .unwrap_or_else(|| command.split_once(':').map_or("", |(_, a)| a.trim()))
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_read_from_the_body_not_the_headers() {
        let mail = Mail {
            from: String::new(),
            to: Vec::new(),
            data: "Date: Tue, 01 Dec 2026 19:00:00 +0000\r\nMessage-ID: <123456789@x>\r\n\r\nYour code is 042917.\r\n".to_owned(),
        };
        assert_eq!(mail.code(6).as_deref(), Some("042917"));
    }

    #[tokio::test]
    async fn a_mailer_delivers_to_the_sink() {
        let sink = SmtpSink::spawn().await.expect("sink starts");
        let mailer = crate::email::Mailer::new(
            &secrecy::SecretString::from(sink.url()),
            "Bookings <bookings@example.com>",
        )
        .expect("mailer");
        mailer
            .send(
                "pat@example.com",
                "Your code",
                "Your code is 123456.".to_owned(),
            )
            .await
            .expect("sent");
        let mails = sink.wait_for(1).await;
        assert_eq!(mails[0].to, vec!["pat@example.com".to_owned()]);
        assert_eq!(mails[0].from, "bookings@example.com");
        assert_eq!(mails[0].code(6).as_deref(), Some("123456"));
    }
}
