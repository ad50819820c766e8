//! `policylint lsp` spoken to over standard input and output, as an editor does: a
//! small JSON-RPC client with `Content-Length` framing, and Neovim when installed.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long to wait for any one answer before calling the server hung. A guard
/// against a test that never ends, not a measure of speed.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// A policy with multi-byte characters before a finding, and CRLF line endings.
/// Line 4 (0-based): "Café — 😀 contact [Company Name] at ..."; before the
/// placeholder are 17 characters, 18 UTF-16 code units and 23 bytes.
const POLICY: &str = "# Café Privacy — Policy\r\n\r\nLast updated: October 1, 2026.\r\n\r\nCafé — 😀 contact [Company Name] at privacy@acme.example.\r\n";

struct Server {
    child: Child,
    stdin: ChildStdin,
    incoming: mpsc::Receiver<Value>,
    /// Messages read while waiting for another one.
    unread: Vec<Value>,
    next_id: i64,
}

impl Server {
    fn start(args: &[&str], dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_policylint"))
            .arg("lsp")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, incoming) = mpsc::channel();
        thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            while let Some(message) = read_message(&mut out) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            incoming,
            unread: Vec::new(),
            next_id: 0,
        }
    }

    fn send_raw(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.stdin.write_all(header.as_bytes()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response (result or error).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(json!(id))
    }

    fn response(&mut self, id: Value) -> Value {
        self.wait_for(&format!("the response to request {id}"), |m| {
            m["id"] == id && m.get("method").is_none()
        })
    }

    /// The first message (read before or from now on) that `wanted` accepts.
    fn wait_for(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.unread.iter().position(&wanted) {
            return self.unread.remove(i);
        }
        let deadline = Instant::now() + HANG_GUARD;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(m) if wanted(&m) => return m,
                Ok(m) => self.unread.push(m),
                Err(_) => panic!(
                    "hang guard: no {what} within {HANG_GUARD:?}; received: {:#?}",
                    self.unread
                ),
            }
        }
    }

    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let published = self.wait_for(
            &format!("diagnostics for version {version} of {uri}"),
            |m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"] == version
            },
        );
        published["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .clone()
    }

    fn initialize(&mut self, root: &Path, capabilities: Value) -> Value {
        let response = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": file_uri(root),
                "capabilities": capabilities,
            }),
        );
        self.notify("initialized", json!({}));
        response
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
    }

    /// Waits for the process to end and returns its exit code.
    fn exit_code(mut self) -> Option<i32> {
        let deadline = Instant::now() + HANG_GUARD;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            thread::sleep(Duration::from_millis(20));
        }
        self.child.kill().ok();
        panic!("hang guard: the server did not exit within {HANG_GUARD:?}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn read_message(out: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    out.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn range(start: (u64, u64), end: (u64, u64)) -> Value {
    json!({
        "start": {"line": start.0, "character": start.1},
        "end": {"line": end.0, "character": end.1},
    })
}

fn with_rule<'a>(diagnostics: &'a [Value], rule: &str) -> Vec<&'a Value> {
    diagnostics.iter().filter(|d| d["code"] == rule).collect()
}

/// Applies a one-insertion edit to a text whose lines end in CRLF (positions as the
/// protocol counts them: line, then UTF-16 units).
fn apply_insertion(text: &str, edit: &Value) -> String {
    let start = &edit["range"]["start"];
    let (line, character) = (
        start["line"].as_u64().unwrap() as usize,
        start["character"].as_u64().unwrap() as usize,
    );
    let line_start: usize = text.split_inclusive("\r\n").take(line).map(str::len).sum();
    let rest = &text[line_start..];
    let mut units = 0;
    let byte = rest
        .char_indices()
        .find(|(_, c)| {
            let here = units >= character;
            units += c.len_utf16();
            here
        })
        .map_or(rest.len(), |(i, _)| i);
    let at = line_start + byte;
    format!(
        "{}{}{}",
        &text[..at],
        edit["newText"].as_str().unwrap(),
        &text[at..]
    )
}

#[test]
fn diagnostics_hover_and_quick_fixes_over_stdio() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("policy.md"));
    let mut server = Server::start(&[], dir.path());
    let init = server.initialize(dir.path(), json!({}));
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["hoverProvider"], true, "{init}");
    assert_eq!(capabilities["textDocumentSync"]["change"], 1);
    assert_eq!(init["result"]["serverInfo"]["name"], "policylint");

    server.open(&uri, POLICY);
    let found = server.diagnostics(&uri, 1);

    // The placeholder: exact UTF-16 range, severity, code, source.
    let placeholder = with_rule(&found, "core/placeholder");
    assert_eq!(placeholder.len(), 1, "{found:#?}");
    let placeholder = placeholder[0];
    assert_eq!(placeholder["range"], range((4, 18), (4, 32)));
    assert_eq!(placeholder["severity"], 1);
    assert_eq!(placeholder["source"], "policylint");
    let message = placeholder["message"].as_str().unwrap();
    assert!(
        message.starts_with("a placeholder in square brackets"),
        "{message}"
    );
    assert!(
        message.contains("How to fix: Replace every placeholder"),
        "{message}"
    );
    assert!(
        message.contains("policylint explain core/placeholder"),
        "{message}"
    );

    // A missing statement is anchored at the title (after "é" and "—"); its label
    // becomes related information at the same place.
    let retention = with_rule(&found, "core/retention-period")[0];
    assert_eq!(retention["range"], range((0, 2), (0, 23)));
    assert_eq!(retention["severity"], 1);
    let related = &retention["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri.as_str());
    assert_eq!(related["location"]["range"], range((0, 2), (0, 23)));
    assert!(
        related["message"]
            .as_str()
            .unwrap()
            .contains("no section heading is about this")
    );
    let cookies = with_rule(&found, "core/cookies")[0];
    assert_eq!(cookies["severity"], 3, "info");

    // Hover on the placeholder: the rule's title, help and references.
    let hover = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 20}}),
    );
    let contents = &hover["result"]["contents"];
    assert_eq!(contents["kind"], "markdown");
    let text = contents["value"].as_str().unwrap();
    assert!(
        text.contains("**No template placeholders left in the text**"),
        "{text}"
    );
    assert!(
        text.contains("The policy still contains a template placeholder."),
        "{text}"
    );
    assert!(
        text.contains("Here: a placeholder in square brackets"),
        "{text}"
    );
    assert!(text.contains("**How to fix:**"), "{text}");
    assert!(text.contains("**References:**"), "{text}");
    assert!(text.contains("GDPR Art. 12(1)"), "{text}");
    assert_eq!(hover["result"]["range"], range((4, 18), (4, 32)));
    // Nothing to explain on the blank line.
    let nothing = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 0}}),
    );
    assert_eq!(nothing["result"], Value::Null, "{nothing}");

    // Quick fixes on the placeholder: this line, or the whole file.
    let actions = server.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": range((4, 20), (4, 20)),
            "context": {"diagnostics": [placeholder]},
        }),
    );
    let actions = actions["result"].as_array().unwrap().clone();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Disable core/placeholder for this line",
            "Disable core/placeholder for this file"
        ]
    );
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["diagnostics"][0]["code"], "core/placeholder");
    let line_edit = &actions[0]["edit"]["changes"][&uri][0];
    assert_eq!(line_edit["range"], range((4, 0), (4, 0)));
    assert_eq!(
        line_edit["newText"],
        "<!-- policylint-disable-next-line core/placeholder -- reason -->\r\n"
    );
    let file_edit = &actions[1]["edit"]["changes"][&uri][0];
    assert_eq!(file_edit["range"], range((0, 0), (0, 0)));

    // Applying the fix silences the finding, and the directive counts as used.
    let fixed = apply_insertion(POLICY, line_edit);
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = server.diagnostics(&uri, 2);
    assert!(
        with_rule(&after, "core/placeholder").is_empty(),
        "{after:#?}"
    );
    assert!(with_rule(&after, "policylint/unused-suppression").is_empty());
    assert_eq!(after.len(), found.len() - 1);

    // A burst of changes is linted once, for the last version.
    let burst: Vec<u8> = (3..=7)
        .flat_map(|version| {
            let text = POLICY.replace("[Company Name]", &format!("[Company Name {version}]"));
            let body = json!({
                "jsonrpc": "2.0",
                "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
            })
            .to_string();
            format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
        })
        .collect();
    server.stdin.write_all(&burst).unwrap();
    server.stdin.flush().unwrap();
    let last = server.diagnostics(&uri, 7);
    assert_eq!(
        with_rule(&last, "core/placeholder")[0]["range"],
        range((4, 18), (4, 34))
    );
    let earlier: Vec<&Value> = server
        .unread
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert!(earlier.is_empty(), "versions 3-6 were linted: {earlier:#?}");

    // Closing clears the document's diagnostics.
    server.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let cleared = server.wait_for("cleared diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str()
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));

    let shutdown = server.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null, "{shutdown}");
    assert!(shutdown.get("error").is_none());
    server.notify("exit", Value::Null);
    assert_eq!(server.exit_code(), Some(0));
}

#[test]
fn bad_messages_get_error_responses_and_the_server_keeps_answering() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(&[], dir.path());

    // Before `initialize`: refused, not fatal.
    let early = server.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    server.initialize(dir.path(), json!({}));

    server.send_raw(b"{\"jsonrpc\": \"2.0\", \"id\": 40, \"method\": ");
    let parse_error = server.wait_for("a parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(parse_error["id"], Value::Null);

    server.send_raw(br#"{"jsonrpc": "2.0", "id": 41, "method": 42}"#);
    let invalid = server.response(json!(41));
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");

    let unknown = server.request("policylint/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    assert!(
        unknown["error"]["message"]
            .as_str()
            .unwrap()
            .contains("policylint/nothing")
    );

    // Unknown notifications are ignored; bad parameters are reported in the log.
    server.notify("policylint/whatever", json!({"x": 1}));
    server.notify("textDocument/didOpen", json!({"textDocument": {"uri": 5}}));
    let logged = server.wait_for("a log message on didOpen", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("didOpen")
    });
    assert_eq!(logged["params"]["type"], 2, "{logged}");

    let bad_params = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x.md"}, "position": "top"}),
    );
    assert_eq!(bad_params["error"]["code"], -32602, "{bad_params}");

    // Positions far outside a document and unopened documents: no answer, no crash.
    let uri = file_uri(&dir.path().join("p.md"));
    server.open(&uri, POLICY);
    server.diagnostics(&uri, 1);
    for (line, character) in [(999, 0), (4, 999), (u32::MAX as u64, u32::MAX as u64)] {
        let hover = server.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        assert!(hover.get("error").is_none(), "{hover}");
    }
    let actions = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": "file:///never/opened.md"}, "range": range((0, 0), (9, 9)), "context": {"diagnostics": []}}),
    );
    assert_eq!(actions["result"], Value::Null);

    // Still answering after all that.
    let hover = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 20}}),
    );
    assert!(
        hover["result"]["contents"]["value"].as_str().is_some(),
        "{hover}"
    );

    // `exit` without `shutdown` is exit code 1, as the protocol says.
    server.notify("exit", Value::Null);
    assert_eq!(server.exit_code(), Some(1));
}

#[test]
fn requests_after_shutdown_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(&[], dir.path());
    server.initialize(dir.path(), json!({}));
    server.request("shutdown", Value::Null);
    let late = server.request("textDocument/hover", json!({}));
    assert_eq!(late["error"]["code"], -32600, "{late}");
    server.notify("exit", Value::Null);
    assert_eq!(server.exit_code(), Some(0));
}

const RULE: &str = "title: Names the DPO\nseverity: warning\nmessage: No data protection officer is named.\nrequire:\n  terms: [data protection officer]\n";

#[test]
fn rule_files_are_watched_and_a_broken_one_keeps_the_previous_rules() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("acme");
    std::fs::create_dir(&pack).unwrap();
    std::fs::write(pack.join("dpo.yaml"), RULE).unwrap();
    std::fs::write(dir.path().join("policylint.yaml"), "packs: [core]\n").unwrap();
    let mut server = Server::start(&["--rules", "acme"], dir.path());
    server.initialize(
        dir.path(),
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
    );

    // The server asks to watch the configuration and rule files.
    let register = server.wait_for("a registration", |m| {
        m["method"] == "client/registerCapability"
    });
    let watchers = &register["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert_eq!(watchers[0]["globPattern"], "**/policylint.yaml");
    assert_eq!(watchers[1]["globPattern"], "**/*.yaml");
    server.send(json!({"jsonrpc": "2.0", "id": register["id"], "result": null}));
    // The configuration file is read, and the log says so.
    let note = server.wait_for("a note on policylint.yaml", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("policylint.yaml")
    });
    assert!(
        note["params"]["message"]
            .as_str()
            .unwrap()
            .contains("using")
    );

    let uri = file_uri(&dir.path().join("policy.md"));
    server.open(&uri, POLICY);
    let found = server.diagnostics(&uri, 1);
    assert_eq!(with_rule(&found, "acme/dpo").len(), 1, "{found:#?}");

    // A broken rule file: shown to the user; the documents are linted again with the
    // rules that loaded before.
    let changed = json!({"changes": [{"uri": file_uri(&pack.join("dpo.yaml")), "type": 2}]});
    std::fs::write(pack.join("dpo.yaml"), RULE.replace("warning", "loud")).unwrap();
    server.notify("workspace/didChangeWatchedFiles", changed.clone());
    let shown = server.wait_for("an error message", |m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 1);
    let text = shown["params"]["message"].as_str().unwrap();
    assert!(
        text.contains("dpo.yaml") && text.contains("previous rules"),
        "{text}"
    );
    let again = server.diagnostics(&uri, 1);
    assert_eq!(with_rule(&again, "acme/dpo")[0]["severity"], 2);

    // Repaired, with a new message: the new rule is in force.
    std::fs::write(
        pack.join("dpo.yaml"),
        RULE.replace("No data protection officer is named.", "Name the DPO."),
    )
    .unwrap();
    server.notify("workspace/didChangeWatchedFiles", changed);
    let repaired = server.wait_for("diagnostics with the repaired rule", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["diagnostics"].as_array().is_some_and(|d| {
                d.iter().any(|d| {
                    d["message"]
                        .as_str()
                        .unwrap_or("")
                        .starts_with("Name the DPO.")
                })
            })
    });
    assert_eq!(repaired["params"]["version"], 1);

    // A change to the configuration takes effect too: the rule turned off.
    std::fs::write(
        dir.path().join("policylint.yaml"),
        "packs: [core]\nseverity:\n  acme/dpo: off\n",
    )
    .unwrap();
    let changed =
        json!({"changes": [{"uri": file_uri(&dir.path().join("policylint.yaml")), "type": 2}]});
    server.notify("workspace/didChangeWatchedFiles", changed);
    server.wait_for("diagnostics without the rule turned off", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| !d.iter().any(|d| d["code"] == "acme/dpo"))
    });
}

#[test]
fn other_files_and_word_documents_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(&[], dir.path());
    server.initialize(dir.path(), json!({}));
    for name in ["notes.rs", "policy.docx"] {
        let uri = file_uri(&dir.path().join(name));
        server.open(&uri, POLICY);
    }
    // Text and HTML are linted, each in its own format.
    let txt = file_uri(&dir.path().join("policy.txt"));
    server.open(&txt, "Privacy Policy\n\nContact us: [Company Name].\n");
    let found = server.diagnostics(&txt, 1);
    assert_eq!(
        with_rule(&found, "core/placeholder")[0]["range"],
        range((2, 12), (2, 26))
    );
    let html = file_uri(&dir.path().join("policy.html"));
    server.open(
        &html,
        "<!DOCTYPE html>\n<html><head><meta charset=\"windows-1252\"></head><body><h1>Café</h1><p>Contact: [Company Name].</p></body></html>\n",
    );
    let found = server.diagnostics(&html, 1);
    // The editor's text is not decoded again as the meta tag says.
    let placeholder = with_rule(&found, "core/placeholder")[0];
    let start = 79;
    assert_eq!(placeholder["range"], range((1, start), (1, start + 14)));
    let published: Vec<&Value> = server
        .unread
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert!(published.is_empty(), "{published:#?}");
}

/// Neovim 0.7+ as the client: it converts the server's UTF-16 positions to byte
/// columns of its buffer, so a wrong position would show as a wrong column.
#[test]
fn neovim_shows_the_findings_at_the_right_columns() {
    if Command::new("nvim").arg("--version").output().is_err() {
        eprintln!("skipped: nvim is not installed (apt-get install neovim)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.md");
    std::fs::write(&policy, POLICY).unwrap();
    let script = dir.path().join("client.lua");
    std::fs::write(&script, NEOVIM_CLIENT).unwrap();
    let out = dir.path().join("diagnostics.txt");
    let mut nvim = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-S"])
        .arg(&script)
        .current_dir(dir.path())
        .env("POLICYLINT_BIN", env!("CARGO_BIN_EXE_policylint"))
        .env("POLICYLINT_FILE", &policy)
        .env("POLICYLINT_ROOT", dir.path())
        .env("POLICYLINT_OUT", &out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("nvim starts");
    let deadline = Instant::now() + HANG_GUARD * 2;
    loop {
        if nvim.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            nvim.kill().ok();
            panic!("hang guard: nvim did not finish");
        }
        thread::sleep(Duration::from_millis(50));
    }
    let written = std::fs::read_to_string(&out).expect("the script wrote the diagnostics");
    let lines: Vec<&str> = written.lines().collect();
    assert!(!lines.contains(&"TIMEOUT"), "{written}");
    // Byte columns: 23 bytes precede the placeholder on its line, 14 it takes.
    assert!(lines.contains(&"4:23-4:37 core/placeholder 1"), "{written}");
    // "# " precedes the title; "Café Privacy — Policy" is 24 bytes.
    assert!(
        lines.contains(&"0:2-0:26 core/retention-period 1"),
        "{written}"
    );
}

const NEOVIM_CLIENT: &str = r#"
local client = vim.lsp.start_client({
  name = 'policylint',
  cmd = { vim.env.POLICYLINT_BIN, 'lsp' },
  root_dir = vim.env.POLICYLINT_ROOT,
})
vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.POLICYLINT_FILE))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client)
local arrived = vim.wait(60000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
local lines = {}
if not arrived then
  table.insert(lines, 'TIMEOUT')
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(lines, string.format('%d:%d-%d:%d %s %d', d.lnum, d.col, d.end_lnum, d.end_col, d.code or '?', d.severity))
end
vim.fn.writefile(lines, vim.env.POLICYLINT_OUT)
vim.lsp.stop_client(client)
vim.cmd('qa!')
"#;
