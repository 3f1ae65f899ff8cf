#!/usr/bin/env python3
"""New-connection cost of the exporter's listener: TCP connect plus TLS handshake, then one
GET /-/healthy, N times per variant with one client context (what a scraper reconnecting pays;
a kept-alive scraper pays it once). Run against exporters started on the given ports, e.g. one
plain, one with [web.tls] and one with RequireAndVerifyClientCert; the figures are in README.md
("TLS and mutual TLS"). TCP_NODELAY is set as curl and Go do: without it the request written
after a TLS 1.3 client Finished waits ~40 ms for a delayed ACK (Nagle), which no real scraper
sees.

  bench/tls_handshakes.py --ca ca.pem --cert client.pem --key client-key.pem \\
      --plain 18878 --tls 18877 --mtls 18879
"""
import argparse
import socket
import ssl
import statistics
import time


def measure(port, context, count):
    handshakes, requests = [], []
    for _ in range(count):
        start = time.perf_counter()
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if context is not None:
            sock = context.wrap_socket(sock, server_hostname="localhost")
        connected = time.perf_counter()
        sock.sendall(b"GET /-/healthy HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
        done = time.perf_counter()
        sock.close()
        if b" 200 " not in answer.split(b"\r\n", 1)[0]:
            raise SystemExit(f"port {port}: unexpected answer {answer[:80]!r}")
        handshakes.append((connected - start) * 1000)
        requests.append((done - start) * 1000)
    handshakes.sort()
    requests.sort()
    p90 = int(count * 0.9)
    return (f"connect+handshake median {statistics.median(handshakes):.2f} ms "
            f"(p90 {handshakes[p90]:.2f}), whole request median {statistics.median(requests):.2f} ms "
            f"(p90 {requests[p90]:.2f})")


def context(arguments, version, client_certificate):
    result = ssl.create_default_context(cafile=arguments.ca)
    result.minimum_version = result.maximum_version = version
    if client_certificate:
        result.load_cert_chain(arguments.cert, arguments.key)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ca", required=True)
    parser.add_argument("--cert", help="client certificate, for --mtls")
    parser.add_argument("--key", help="client key, for --mtls")
    parser.add_argument("--plain", type=int, help="port of a plain-HTTP exporter")
    parser.add_argument("--tls", type=int, help="port of an exporter with [web.tls]")
    parser.add_argument("--mtls", type=int, help="port of one requiring client certificates")
    parser.add_argument("--count", type=int, default=300)
    arguments = parser.parse_args()
    versions = [("TLS 1.2", ssl.TLSVersion.TLSv1_2), ("TLS 1.3", ssl.TLSVersion.TLSv1_3)]
    if arguments.plain:
        print(f"plain HTTP      {measure(arguments.plain, None, arguments.count)}")
    for name, version in versions:
        if arguments.tls:
            print(f"{name}         {measure(arguments.tls, context(arguments, version, False), arguments.count)}")
        if arguments.mtls:
            print(f"{name} mutual  {measure(arguments.mtls, context(arguments, version, True), arguments.count)}")


if __name__ == "__main__":
    main()
