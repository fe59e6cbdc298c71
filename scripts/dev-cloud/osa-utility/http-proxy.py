"""A tiny HTTP forward proxy for the rig's utility container: plain http:// requests in absolute form (what apt
and pip send to a proxy) and CONNECT tunnels (https). It listens on 127.0.0.1 only, writes its port to
PORT_FILE once listening, and logs one line per request ("GET http://deb.debian.org/…", "CONNECT host:443")
to LOG_FILE, so tests can tell what went through it.

Usage: /usr/bin/python3 http-proxy.py PORT_FILE LOG_FILE
"""
import http.client
import http.server
import select
import socket
import socketserver
import sys
import threading
import urllib.parse

LOG_LOCK = threading.Lock()
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade"}


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    log_file = None

    def log_message(self, format, *args):
        pass

    def record(self, line):
        with LOG_LOCK:
            self.log_file.write(line + "\n")
            self.log_file.flush()

    def do_CONNECT(self):
        self.record("CONNECT %s" % self.path)
        host, _, port = self.path.rpartition(":")
        try:
            upstream = socket.create_connection((host, int(port)), timeout=30)
        except OSError as error:
            self.send_error(502, str(error))
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        sockets = [self.connection, upstream]
        while True:
            readable, _, _ = select.select(sockets, [], [], 60)
            if not readable:
                break
            for sock in readable:
                data = sock.recv(65536)
                if not data:
                    upstream.close()
                    return
                (upstream if sock is self.connection else self.connection).sendall(data)

    def forward(self):
        self.record("%s %s" % (self.command, self.path))
        url = urllib.parse.urlsplit(self.path)
        if url.scheme != "http" or not url.hostname:
            self.send_error(400, "absolute http:// URL expected")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        path = url.path or "/"
        if url.query:
            path += "?" + url.query
        try:
            upstream = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
            upstream.request(self.command, path, body=body, headers=headers)
            response = upstream.getresponse()
        except OSError as error:
            self.send_error(502, str(error))
            return
        self.send_response(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                self.send_header(key, value)
        data = response.read()
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        upstream.close()

    do_GET = forward
    do_HEAD = forward
    do_POST = forward


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def main():
    port_file, log_path = sys.argv[1], sys.argv[2]
    Proxy.log_file = open(log_path, "a")
    server = Server(("127.0.0.1", 0), Proxy)
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % server.server_address[1])
    import os
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
