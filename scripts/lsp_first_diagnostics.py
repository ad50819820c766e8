#!/usr/bin/env python3
"""Seconds from starting `policylint lsp` (all packs) to the first diagnostics of a
document, as an editor sees them: initialize, wait DELAY seconds, open the document,
wait for its diagnostics. Then, where /proc tells it, the server's resident memory
one second after the diagnostics and no sooner than DELAY + 3 seconds after it
started (its background compile takes under a second on the reference machine).

Usage: scripts/lsp_first_diagnostics.py BINARY DELAY FILE
  e.g. scripts/lsp_first_diagnostics.py target/release/policylint 1 examples/policies/plesk.md
"""
import json
import pathlib
import subprocess
import sys
import tempfile
import time


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    binary, delay, path = sys.argv[1], float(sys.argv[2]), pathlib.Path(sys.argv[3])
    text = path.read_text()
    with tempfile.TemporaryDirectory() as root:
        root = pathlib.Path(root)
        started = time.monotonic()
        server = subprocess.Popen(
            [binary, "lsp", "--pack", "core,gdpr,ccpa,caloppa,coppa"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=root,
        )
        try:
            send(server, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                          "params": {"processId": None, "rootUri": root.as_uri(),
                                     "capabilities": {}}})
            while receive(server).get("id") != 1:
                pass
            send(server, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
            time.sleep(delay)
            opened = time.monotonic()
            uri = (root / ("policy" + path.suffix)).as_uri()
            language = {".md": "markdown", ".html": "html"}.get(path.suffix, "plaintext")
            send(server, {"jsonrpc": "2.0", "method": "textDocument/didOpen",
                          "params": {"textDocument": {"uri": uri, "languageId": language,
                                                      "version": 1, "text": text}}})
            while True:
                message = receive(server)
                if (message.get("method") == "textDocument/publishDiagnostics"
                        and message["params"]["uri"] == uri):
                    break
            done = time.monotonic()
            time.sleep(max(0.0, started + delay + 2 - done) + 1)
            memory = resident_mb(server.pid)
        finally:
            server.kill()
            server.wait()
    print(f"start to diagnostics {done - started:.2f} s, "
          f"open to diagnostics {done - opened:.2f} s"
          + (f", then {memory} MB resident" if memory else ""))


def resident_mb(pid):
    """The process's resident memory in MB, or None where /proc does not say."""
    try:
        status = pathlib.Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return None


def send(server, message):
    body = json.dumps(message).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


def receive(server):
    length = 0
    while True:
        line = server.stdout.readline()
        if not line:
            sys.exit("the server stopped before sending diagnostics")
        if line in (b"\r\n", b"\n"):
            break
        if line.lower().startswith(b"content-length"):
            length = int(line.split(b":")[1])
    return json.loads(server.stdout.read(length))


if __name__ == "__main__":
    main()
