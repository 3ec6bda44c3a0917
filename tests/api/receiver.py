"""A real HTTP receiver on localhost for webhook tests: records each POST (headers, body) and answers
with the statuses it is given in turn (200 once they run out), each after its delay in `delays`, a 3xx
pointing to `location`."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, statuses=(), delays=(), location=""):
        self.statuses, self.delays, self.received = list(statuses), list(delays), []
        self.location = location  # sent with a 3xx
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append((dict(self.headers), body))
                if receiver.delays:
                    import time

                    time.sleep(receiver.delays.pop(0))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.location)
                self.end_headers()

            def do_GET(self):  # noqa: N802  (recorded too: a followed redirect arrives as a GET)
                receiver.received.append((dict(self.headers), b""))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
