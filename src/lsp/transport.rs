//! JSON-RPC over standard input and output with `Content-Length` framing. Unlike
//! `lsp_server::Connection::stdio`, whose reader stops at the first malformed
//! message, a message that cannot be read gets an error response and the next one is
//! read as usual.

use std::io::{self, BufRead, Read, Write};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, select, unbounded};
use lsp_server::{Connection, ErrorCode, Message};
use serde_json::{Value, json};

/// Larger messages are skipped with an error (no policy is near this size).
const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// What one frame of input held.
#[derive(Debug)]
pub enum Frame {
    Message(Message),
    /// Not a message: the error response to send (its `id` is null if unknown).
    Malformed(Value),
    End,
}

/// The writer thread; joined to flush every response before the process exits.
pub struct Writer(JoinHandle<()>);

impl Writer {
    pub fn join(self) {
        self.0.join().ok();
    }
}

/// A connection over standard input and output.
pub fn stdio() -> io::Result<(Connection, Writer)> {
    let (to_client, outgoing) = unbounded::<Message>();
    let (raw_to_client, raw_outgoing) = unbounded::<Value>();
    let (incoming_sender, incoming) = unbounded::<Message>();
    thread::Builder::new()
        .name("policylint-lsp-reader".into())
        .spawn(move || {
            let mut input = io::BufReader::new(io::stdin().lock());
            loop {
                match read_frame(&mut input) {
                    Ok(Frame::Message(message)) => {
                        let exit =
                            matches!(&message, Message::Notification(n) if n.method == "exit");
                        if incoming_sender.send(message).is_err() || exit {
                            break;
                        }
                    }
                    Ok(Frame::Malformed(response)) => {
                        raw_to_client.send(response).ok();
                    }
                    Ok(Frame::End) | Err(_) => break,
                }
            }
        })?;
    let writer = thread::Builder::new()
        .name("policylint-lsp-writer".into())
        .spawn(move || write_all(&outgoing, &raw_outgoing))?;
    Ok((
        Connection {
            sender: to_client,
            receiver: incoming,
        },
        Writer(writer),
    ))
}

/// Writes messages until both channels are closed (or standard output is).
fn write_all(messages: &Receiver<Message>, raw: &Receiver<Value>) {
    let mut out = io::stdout().lock();
    let (mut messages_open, mut raw_open) = (true, true);
    while messages_open || raw_open {
        let body = select! {
            recv(messages) -> m => match m {
                Ok(m) => serde_json::to_value(&m).map(with_version),
                Err(_) => { messages_open = false; continue; }
            },
            recv(raw) -> r => match r {
                Ok(r) => Ok(r),
                Err(_) => { raw_open = false; continue; }
            },
        };
        let Ok(body) = body.map(|b| b.to_string()) else {
            continue;
        };
        let written =
            write!(out, "Content-Length: {}\r\n\r\n{body}", body.len()).and_then(|()| out.flush());
        if written.is_err() {
            return;
        }
    }
}

fn with_version(mut message: Value) -> Value {
    if let Some(object) = message.as_object_mut() {
        object.insert("jsonrpc".into(), json!("2.0"));
    }
    message
}

/// Reads one frame: headers, a blank line, then `Content-Length` bytes of JSON.
pub fn read_frame(input: &mut impl BufRead) -> io::Result<Frame> {
    let mut length = None;
    let mut bad_header = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(Frame::End);
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            // Blank lines between messages are tolerated.
            continue;
        }
        saw_header = true;
        match line.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length `{}`", value.trim())),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("malformed header `{line}`")),
        }
    }
    let Some(length) = length else {
        let problem = bad_header.unwrap_or_else(|| "no Content-Length header".into());
        return Ok(Frame::Malformed(error_response(
            Value::Null,
            ErrorCode::ParseError,
            &problem,
        )));
    };
    if length > MAX_MESSAGE_BYTES {
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        return Ok(Frame::Malformed(error_response(
            Value::Null,
            ErrorCode::InvalidRequest,
            &format!("message of {length} bytes is larger than {MAX_MESSAGE_BYTES}"),
        )));
    }
    let mut body = vec![0; length];
    if let Err(e) = input.read_exact(&mut body) {
        return match e.kind() {
            io::ErrorKind::UnexpectedEof => Ok(Frame::End),
            _ => Err(e),
        };
    }
    Ok(parse(&body))
}

/// A message, or the error response that says why the body is not one.
pub fn parse(body: &[u8]) -> Frame {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => {
            return Frame::Malformed(error_response(
                Value::Null,
                ErrorCode::ParseError,
                &format!("not JSON: {e}"),
            ));
        }
    };
    let id = value
        .get("id")
        .filter(|id| id.is_string() || id.is_i64())
        .cloned()
        .unwrap_or(Value::Null);
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Frame::Message(message),
        Err(e) => Frame::Malformed(error_response(
            id,
            ErrorCode::InvalidRequest,
            &format!("not a JSON-RPC request, response or notification: {e}"),
        )),
    }
}

fn error_response(id: Value, code: ErrorCode, message: &str) -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code as i32, "message": message },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<Frame> {
        let mut reader = io::Cursor::new(input.as_bytes().to_vec());
        let mut out = Vec::new();
        loop {
            match read_frame(&mut reader).unwrap() {
                Frame::End => return out,
                frame => out.push(frame),
            }
        }
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn bad_messages_are_answered_and_reading_goes_on() {
        let input = [
            framed("{not json"),
            framed(r#"{"jsonrpc":"2.0","id":7,"method":42}"#),
            "Content-Type: x\r\n\r\n".to_string(),
            framed(r#"{"jsonrpc":"2.0","id":8,"method":"shutdown"}"#),
        ]
        .concat();
        let found = frames(&input);
        assert_eq!(found.len(), 4, "{found:?}");
        let Frame::Malformed(parse_error) = &found[0] else {
            panic!("{:?}", found[0])
        };
        assert_eq!(parse_error["error"]["code"], -32700);
        assert_eq!(parse_error["id"], Value::Null);
        let Frame::Malformed(invalid) = &found[1] else {
            panic!("{:?}", found[1])
        };
        assert_eq!(invalid["error"]["code"], -32600);
        assert_eq!(invalid["id"], 7);
        assert!(matches!(&found[2], Frame::Malformed(_)));
        assert!(matches!(&found[3], Frame::Message(Message::Request(r)) if r.method == "shutdown"));
    }

    #[test]
    fn a_truncated_message_ends_the_input() {
        assert!(frames("Content-Length: 50\r\n\r\n{}").is_empty());
    }

    #[test]
    fn multi_byte_bodies_are_counted_in_bytes() {
        let body = r#"{"jsonrpc":"2.0","method":"x","params":{"t":"é😀"}}"#;
        let found = frames(&framed(body));
        assert!(
            matches!(&found[0], Frame::Message(Message::Notification(n)) if n.params["t"] == "é😀")
        );
    }
}
