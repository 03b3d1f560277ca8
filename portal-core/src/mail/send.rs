//! Delivery: SMTP through lettre, or the development mailbox (the mail
//! stays in the outbox, marked sent, and `/mailbox` shows it).

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::outbox::OutboxMail;
use crate::config::MailConfig;

/// Where mail goes.
#[derive(Clone)]
pub enum Transport {
    Mailbox,
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Transport::Mailbox => "Transport::Mailbox",
            Transport::Smtp(_) => "Transport::Smtp",
        })
    }
}

/// A failed delivery: try again later, or give up.
#[derive(Debug)]
pub enum SendError {
    Temporary(String),
    Permanent(String),
}

impl Transport {
    /// The transport the configuration names (no connection is made yet).
    ///
    /// # Errors
    /// A TLS relay that cannot be set up for the host.
    pub fn from_config(c: &MailConfig) -> Result<Self, String> {
        if c.transport != "smtp" {
            return Ok(Transport::Mailbox);
        }
        let builder = match c.smtp_tls.as_str() {
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&c.smtp_host)
                .map_err(|e| e.to_string())?,
            "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&c.smtp_host)
                .map_err(|e| e.to_string())?,
            _ => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&c.smtp_host),
        };
        let mut builder = builder
            .port(c.smtp_port)
            .timeout(Some(Duration::from_secs(c.smtp_timeout_secs)));
        if !c.smtp_username.is_empty() {
            builder = builder.credentials(Credentials::new(
                c.smtp_username.clone(),
                c.smtp_password.expose().to_string(),
            ));
        }
        Ok(Transport::Smtp(builder.build()))
    }

    /// Delivers one mail.
    ///
    /// # Errors
    /// See [`SendError`]: a 5xx answer or a malformed mail is permanent,
    /// anything else (server down, 4xx, timeout) temporary.
    pub async fn send(&self, m: &OutboxMail) -> Result<(), SendError> {
        let Transport::Smtp(smtp) = self else {
            return Ok(());
        };
        let message = build_message(m).map_err(SendError::Permanent)?;
        match smtp.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Err(e) => Err(SendError::Temporary(e.to_string())),
        }
    }
}

/// Names become one header line whatever they contain.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

fn mailbox(name: &str, address: &str) -> Result<Mailbox, String> {
    let address = address
        .parse()
        .map_err(|e| format!("bad address {address:?}: {e}"))?;
    let name = one_line(name);
    Ok(Mailbox::new((!name.is_empty()).then_some(name), address))
}

/// The MIME message: text and HTML alternatives, sender, Message-ID.
///
/// # Errors
/// A malformed address (checked when queued, so only old rows get here).
pub fn build_message(m: &OutboxMail) -> Result<Message, String> {
    let mut b = Message::builder()
        .from(mailbox(&m.from_name, &m.from_address)?)
        .to(mailbox(&m.to_name, &m.to_address)?)
        .subject(one_line(&m.subject))
        .message_id(Some(m.message_id.clone()));
    if let Some(r) = &m.reply_to {
        b = b.reply_to(mailbox("", r)?);
    }
    b.multipart(
        MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(m.body_text.clone()),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(m.body_html.clone()),
            ),
    )
    .map_err(|e| e.to_string())
}
